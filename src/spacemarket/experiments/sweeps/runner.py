"""The sweep runner: every run of a design, on a local process pool or a Dask cluster.

One run is (uncertainty sample, policy, replication). :func:`run_one` executes it: it loads
the base scenario with the run's overrides, runs the model with the run's seed, writes the
run's frames and then its ``outcomes.json`` (each atomically, the status file last), and
returns only a small status dict. An exception inside a run is caught there and recorded as an
error run; the sweep goes on. :func:`run_sweep` plans the design, skips finished runs on
``resume``, executes the rest and rebuilds ``outcomes.parquet`` from the per-run files, so the
results do not depend on the number of workers or the order in which runs finish, and no run's
frames are ever held in the parent process.

Executors (:mod:`~spacemarket.experiments.sweeps.executors`): ``workers=1`` runs in-process
(debuggable); otherwise a local process pool. A worker that dies (``BrokenProcessPool``) gets
the pool recreated and its unfinished runs requeued; a run in flight during
:data:`MAX_ATTEMPTS` pool failures is recorded as an error. Workers never outlive the sweep: an
interrupt (Ctrl-C, or SIGTERM with
:func:`~spacemarket.experiments.outputs.signals.install_sigterm_handler`) kills them before the
manifest is written and the lock (:mod:`~spacemarket.experiments.sweeps.lock`) released. With
``dask_local=N`` or ``scheduler=ADDRESS`` the runs go to a Dask cluster (the seed is in each
task's arguments too); the output directory must then be on a filesystem every worker can
write to."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import time
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

import spacemarket.experiments.sweeps.store as store
from spacemarket.errors import InputError
from spacemarket.experiments.outputs.files import (
    atomic_write_bytes,
    ensure_dir,
    write_frame,
    write_manifest,
)
from spacemarket.experiments.sweeps.design import Design
from spacemarket.experiments.sweeps.design_file import load_design
from spacemarket.experiments.sweeps.executors import (
    DaskPool,
    LocalPool,
    mp_context,
    single_threaded_children,
)
from spacemarket.experiments.sweeps.lock import LOCK, exclusive
from spacemarket.experiments.sweeps.plan import build_plan, run_overrides
from spacemarket.experiments.sweeps.task import record_failure, run_one

__all__ = ["MAX_ATTEMPTS", "SweepReport", "run_one", "run_sweep"]

log = logging.getLogger(__name__)

#: Pool failures a run may be caught in before it is recorded as an error.
MAX_ATTEMPTS = 3


# --------------------------------------------------------------------------- scheduling


def _drain(
    tasks: Iterable[dict[str, Any]],
    pool: LocalPool | DaskPool,
    record: Callable[[dict[str, Any]], None],
    out_dir: str,
) -> None:
    """Run ``tasks`` on ``pool`` with a bounded number in flight; ``record`` each status."""
    pending = deque(tasks)
    inflight: dict[Future, dict[str, Any]] = {}
    attempts: dict[str, int] = {}
    window = max(4, 2 * pool.workers)
    while pending or inflight:
        while pending and len(inflight) < window:
            task = pending.popleft()
            inflight[pool.executor.submit(run_one, task)] = task
        done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
        lost: list[dict[str, Any]] = []
        for fut in done:
            task = inflight.pop(fut)
            try:
                record(fut.result())
            except BrokenProcessPool:
                lost.append(task)
            except Exception as exc:  # e.g. a Dask worker killed repeatedly on this run
                record(record_failure(out_dir, task, exc))
        if not lost:
            continue
        lost += list(inflight.values())  # every run in flight dies with the pool
        inflight.clear()
        log.warning("a worker process died; restarting the pool, requeuing %d runs", len(lost))
        pool.restart()
        for task in sorted(lost, key=lambda t: t["run_id"], reverse=True):
            rid = task["run_id"]
            attempts[rid] = attempts.get(rid, 0) + 1
            finished = store.read_run_status(out_dir, rid)
            if finished is not None and finished["status"] == "ok":  # done before the pool broke
                wall = finished["wall_time_s"]
                record({"run_id": rid, "status": "ok", "error": None, "wall_time_s": wall})
            elif attempts[rid] >= MAX_ATTEMPTS:
                exc = RuntimeError(
                    f"a worker process died while running this run ({attempts[rid]} times)"
                )
                record(record_failure(out_dir, task, exc))
            else:
                pending.appendleft(task)


# --------------------------------------------------------------------------- the sweep


@dataclass
class SweepReport:
    """What a sweep did: counts over the whole plan and for this invocation."""

    out: Path
    planned: int
    ok: int
    failed: int
    skipped: int
    executed: int
    executor: str
    wall_time_s: float


def _scenario_sha256(design: Design) -> str:
    from spacemarket.market.scenario import resolved_document, to_toml

    doc, _ = resolved_document(design.scenario_ref)
    return hashlib.sha256(to_toml(doc).encode("utf-8")).hexdigest()


def _check_out_dir(out: Path, design_bytes: bytes, plan: pd.DataFrame, resume: bool) -> bool:
    """Validate ``--out`` against ``--resume``; return True when resuming into it."""
    if out.exists() and not out.is_dir():
        raise InputError("--out", f"{out} exists and is not a directory")
    if not out.exists() or not [p for p in out.iterdir() if p.name != LOCK]:
        return False
    if not resume:
        raise InputError(
            "--out",
            f"{out} is not empty; add --resume to continue the sweep in it, "
            "or choose a new directory",
        )
    saved = out / store.DESIGN
    if not saved.is_file():
        raise InputError("--resume", f"{out} holds no sweep (no {store.DESIGN})")
    if saved.read_bytes() != design_bytes:
        raise InputError(
            "--resume", f"the design differs from the one the sweep in {out} was started with"
        )
    if not (out / store.PLAN).is_file():  # killed before the plan was written
        return True
    old = store.load_plan(out)
    if not old.equals(plan):
        raise InputError(
            "--resume",
            f"the plan differs from {out / store.PLAN} (a different numpy or scipy version "
            "samples differently); start a new directory",
        )
    return True


def _tasks(plan: pd.DataFrame, design: Design, out: Path, skip: set[str]) -> list[dict]:
    tasks = []
    for row in plan.to_dict("records"):
        if row["run_id"] in skip:
            continue
        tasks.append(
            {
                "out_dir": str(out),
                "run_id": row["run_id"],
                "sample": int(row["sample"]),
                "policy": row["policy"],
                "replication": int(row["replication"]),
                "scenario": design.scenario_ref,
                "overrides": run_overrides(row, design),
                "entropy": row["seed_entropy"],
                "spawn_key": [int(k) for k in row["spawn_key"].split(",")],
                "steps": design.steps,
                "outcomes": list(design.outcomes),
            }
        )
    return tasks


def _progress(total: int, initial: int, quiet: bool, file: Any):
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="run",
        desc="sweep",
        disable=quiet,
        file=file if file is not None else sys.stderr,
        dynamic_ncols=True,
        smoothing=0.1,
    )


def run_sweep(
    design_path: str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    quiet: bool = True,
    progress_file: Any = None,
) -> SweepReport:
    """Run every planned run of the design at ``design_path`` into ``out``.

    Validates the design (``DesignError``) and ``out`` (``InputError``) before anything is
    written. ``workers`` (default: CPU count) sizes the local process pool; ``workers=1`` runs
    in-process. ``dask_local=N`` starts a local Dask cluster of N single-threaded worker
    processes; ``scheduler`` connects to an existing one. With ``resume``, runs whose
    ``outcomes.json`` says ``ok`` are skipped and failed ones rerun.
    """
    started = time.perf_counter()
    design_path = Path(design_path)
    design = load_design(design_path)
    design_bytes = design_path.read_bytes()
    if workers is not None and workers < 1:
        raise InputError("--workers", f"must be >= 1, got {workers}")
    if dask_local is not None and dask_local < 1:
        raise InputError("--dask-local", f"must be >= 1, got {dask_local}")
    out = Path(out).resolve()
    plan = build_plan(design)
    resuming = _check_out_dir(out, design_bytes, plan, resume)
    scenario_sha = _scenario_sha256(design)
    if resuming:
        old = store.read_manifest(out).get("scenario_sha256")
        if old and old != scenario_sha:
            raise InputError(
                "--resume", f"scenario {design.scenario} changed since the sweep in {out} began"
            )

    use_dask = scheduler is not None or dask_local is not None
    dask_pool = DaskPool(scheduler, dask_local) if use_dask else None  # before any write
    try:
        ensure_dir(out)
        with exclusive(out):
            return _execute(
                design=design,
                design_path=design_path,
                design_bytes=design_bytes,
                plan=plan,
                out=out,
                resuming=resuming,
                scenario_sha=scenario_sha,
                workers=workers,
                dask_pool=dask_pool,
                quiet=quiet,
                progress_file=progress_file,
                started=started,
            )
    finally:
        if dask_pool is not None:
            dask_pool.close()


def _design_reference(design_path: Path, out: Path) -> str:
    """The design's path, relative to ``out`` if it sits beside it (true after --overwrite)."""
    design = design_path.resolve()
    return os.path.relpath(design, out) if design.is_relative_to(out.parent) else str(design)


def _execute(
    *,
    design: Design,
    design_path: Path,
    design_bytes: bytes,
    plan: pd.DataFrame,
    out: Path,
    resuming: bool,
    scenario_sha: str,
    workers: int | None,
    dask_pool: DaskPool | None,
    quiet: bool,
    progress_file: Any,
    started: float,
) -> SweepReport:
    """The part of :func:`run_sweep` that writes: run under the directory's lock."""
    planned = len(plan)
    skip = set()
    if resuming:  # read under the lock: no other sweep is finishing runs meanwhile
        for rid in plan["run_id"]:
            doc = store.read_run_status(out, rid)
            if doc is not None and doc["status"] == "ok":
                skip.add(rid)
    tasks = _tasks(plan, design, out, skip)
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    n_workers = max(1, min(n_workers, len(tasks) or 1))
    if dask_pool is not None:
        executor_name = dask_pool.name
    elif n_workers > 1:
        executor_name = f"process pool ({mp_context().get_start_method()}, {n_workers} workers)"
    else:
        executor_name = "in-process (1 worker)"
    manifest = {
        "job": "sweep",
        "design": _design_reference(design_path, out),
        "design_sha256": hashlib.sha256(design_bytes).hexdigest(),
        "scenario": design.scenario,
        "scenario_ref": design.scenario_ref,
        "scenario_sha256": scenario_sha,
        "root_seed": design.root_seed,
        "seeding": "numpy SeedSequence(root_seed, spawn_key=(1, sample, replication)); "
        "sampler: spawn_key=(0,)",
        "steps": design.steps,
        "sampling": {"method": design.method, "samples": design.samples},
        "uncertainties": [u.key for u in design.uncertainties],
        "policies": [p.name for p in design.policies],
        "replications": design.replications,
        "outcomes": list(design.outcomes),
        "runs_planned": planned,
        "executor": executor_name,
        "resumed": resuming,
    }
    store.remove_temp_files(out)
    if not resuming:
        atomic_write_bytes(out / store.DESIGN, design_bytes)
    if not (out / store.PLAN).is_file():
        write_frame(plan, out / store.PLAN)
    ensure_dir(out / store.RUNS)
    if dask_pool is not None:
        dask_pool.check_workers(str(out))
    write_manifest(out / store.MANIFEST, status="running", **manifest)

    failed = executed = 0
    bar = _progress(planned, len(skip), quiet, progress_file)

    def record(status: dict[str, Any]) -> None:
        nonlocal failed, executed
        executed += 1
        if status["status"] != "ok":
            failed += 1
            log.warning("run %s failed: %s", status["run_id"], status["error"])
        bar.update(1)
        bar.set_postfix(failed=failed, refresh=False)

    pool: LocalPool | DaskPool | None = dask_pool
    try:
        if dask_pool is not None:
            _drain(tasks, dask_pool, record, str(out))
        elif n_workers > 1 and tasks:
            with single_threaded_children():
                pool = LocalPool(n_workers)
                _drain(tasks, pool, record, str(out))
        else:
            for task in tasks:
                record(run_one(task))
    except KeyboardInterrupt:
        if pool is not None:
            pool.close(cancel=True)
        bar.close()
        _finish(out, manifest, "interrupted", started, len(skip), executed)
        raise
    finally:
        bar.close()
        if isinstance(pool, LocalPool):
            pool.close()
    return _finish(out, manifest, "complete", started, len(skip), executed)


def _finish(
    out: Path, manifest: dict, status: str, started: float, skipped: int, executed: int
) -> SweepReport:
    table = store.write_outcomes_table(out)
    counts = table["status"].value_counts()
    ok, failed = int(counts.get("ok", 0)), int(counts.get("error", 0))
    wall = round(time.perf_counter() - started, 3)
    write_manifest(
        out / store.MANIFEST,
        status=status,
        runs_done=ok,
        runs_failed=failed,
        runs_pending=int(counts.get("pending", 0)),
        runs_skipped=skipped,
        runs_executed=executed,
        wall_time_s=wall,
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        **manifest,
    )
    return SweepReport(
        out, manifest["runs_planned"], ok, failed, skipped, executed, manifest["executor"], wall
    )
