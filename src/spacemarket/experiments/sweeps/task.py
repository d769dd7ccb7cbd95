"""One run of a sweep: (uncertainty sample, policy, replication), executed by :func:`run_one`.

:func:`run_one` loads the base scenario with the run's overrides (parsed once per worker
process), runs the model with the run's seed, writes the run's frames and then its
``outcomes.json`` (each atomically, the status file last), and returns only a small status
dict. An exception inside a run is caught there and recorded as an error run, so the sweep goes
on. It runs in-process or in a pool worker (:mod:`spacemarket.experiments.sweeps.executors`)."""

from __future__ import annotations

import time
import traceback as tb
from typing import Any

import numpy as np
import pandas as pd

import spacemarket.experiments.sweeps.store as store
from spacemarket.experiments.outputs.files import write_frame
from spacemarket.experiments.sweeps.outcomes import compute_outcomes
from spacemarket.market.scenario import load_scenario_cached

__all__ = ["record_failure", "run_one"]


def _load_scenario(ref: str, overrides: dict[str, Any]):
    return load_scenario_cached(ref, overrides)


def _simulate(scenario: Any, seed: np.random.SeedSequence, steps: int | None) -> Any:
    """Run the model (a separate function so tests can make a run fail)."""
    from spacemarket.market.model.results import run_scenario

    return run_scenario(scenario, rng=seed, steps=steps)


def _labelled(frame: pd.DataFrame, task: dict[str, Any]) -> pd.DataFrame:
    out = frame.copy()
    for i, col in enumerate(store.LABEL_COLUMNS):
        out.insert(i, col, task[col])
    out["run_id"] = out["run_id"].astype(str)
    out["policy"] = out["policy"].astype(str)
    out["sample"] = out["sample"].astype("int64")
    out["replication"] = out["replication"].astype("int64")
    return out


def run_one(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one run and write its files; return ``{"run_id", "status", "error", ...}``.

    ``task`` holds the output directory, the run's labels, the scenario reference and
    overrides, the seed (``entropy`` and ``spawn_key``), ``steps`` and the outcome names.
    Exceptions raised by the scenario, the model or an outcome are caught and recorded in the
    run's ``outcomes.json`` with status ``"error"``; only a failure to write propagates.
    """
    started = time.perf_counter()
    out, rid = task["out_dir"], task["run_id"]
    rdir = store.run_dir(out, rid)
    rdir.mkdir(parents=True, exist_ok=True)
    store.remove_temp_files(rdir)
    try:
        scenario = _load_scenario(task["scenario"], task["overrides"])
        seed = np.random.SeedSequence(int(task["entropy"]), spawn_key=tuple(task["spawn_key"]))
        result = _simulate(scenario, seed, task["steps"])
        values = compute_outcomes(result, task["outcomes"])
        frames = {kind: _labelled(getattr(result, kind), task) for kind in store.FRAME_KINDS}
    except Exception as exc:
        for kind in store.FRAME_KINDS:
            (rdir / f"{kind}.parquet").unlink(missing_ok=True)
        error = f"{type(exc).__name__}: {exc}"
        wall = time.perf_counter() - started
        store.write_run_status(out, rid, "error", {}, error, tb.format_exc(), wall)
        return {"run_id": rid, "status": "error", "error": error, "wall_time_s": wall}
    for kind, frame in frames.items():
        write_frame(frame, rdir / f"{kind}.parquet")
    wall = time.perf_counter() - started
    store.write_run_status(out, rid, "ok", values, None, None, wall)
    return {"run_id": rid, "status": "ok", "error": None, "wall_time_s": wall}


def record_failure(out_dir: str, task: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    """Write an error ``outcomes.json`` from the parent for a run whose task itself failed."""
    error = f"{type(exc).__name__}: {exc}"
    trace = "".join(tb.format_exception(exc))
    store.run_dir(out_dir, task["run_id"]).mkdir(parents=True, exist_ok=True)
    store.write_run_status(out_dir, task["run_id"], "error", {}, error, trace, 0.0)
    return {"run_id": task["run_id"], "status": "error", "error": error, "wall_time_s": 0.0}
