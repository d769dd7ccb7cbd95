"""The on-disk layout of a sweep, and the readers other tools use.

::

    DIR/design.toml                 verbatim copy of the design file
    DIR/plan.parquet                one row per run, sorted by run_id (see plan.build_plan)
    DIR/runs/<run_id>/market.parquet, firms.parquet
                                    the run's frames, with leading columns run_id, sample,
                                    policy, replication
    DIR/runs/<run_id>/outcomes.json {"run_id", "status": "ok"|"error", "outcomes": {name: float
                                    or null}, "error", "traceback", "wall_time_s"}; written
                                    last and atomically: its presence marks a finished run
    DIR/outcomes.parquet            plan columns + status + one column per outcome, one row
                                    per run, sorted by run_id
    DIR/manifest.json               design, seeds, counts, executor, versions, git commit
    DIR/.sweep.lock                 while a sweep writes: flock-ed, and its owner as JSON
                                    {"pid", "host", "started"}; removed when the sweep ends
                                    (one left by a killed sweep is taken over by the next)

Every file is written atomically (a temporary sibling moved into place), so a reader never
sees a half-written file. Readers stream: :func:`iter_run_frames` yields one run's frame at a
time in ``run_id`` order.
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from spacemarket.experiments.outputs.files import atomic_write_text, write_frame

__all__ = [
    "FRAME_KINDS",
    "LABEL_COLUMNS",
    "NotASweepError",
    "build_outcomes_table",
    "completed_run_ids",
    "design_outcome_names",
    "iter_run_frames",
    "load_frames",
    "load_outcomes",
    "load_plan",
    "read_manifest",
    "read_run_status",
    "remove_temp_files",
    "run_dir",
    "write_outcomes_table",
    "write_run_status",
]

#: The frames each run writes (``events``: the decisions of an endogenous run, else empty).
FRAME_KINDS = ("market", "firms", "events")
#: Columns prepended to every run frame.
LABEL_COLUMNS = ("run_id", "sample", "policy", "replication")

DESIGN = "design.toml"
PLAN = "plan.parquet"
OUTCOMES = "outcomes.parquet"
MANIFEST = "manifest.json"
RUNS = "runs"
RUN_STATUS = "outcomes.json"


class NotASweepError(ValueError):
    """A directory without a sweep plan."""


def run_dir(out: str | Path, run_id: str) -> Path:
    """``DIR/runs/<run_id>``."""
    return Path(out) / RUNS / run_id


def _require(out: str | Path, name: str) -> Path:
    path = Path(out) / name
    if not path.is_file():
        raise NotASweepError(f"{out} is not a sweep directory (no {name})")
    return path


def load_plan(out: str | Path) -> pd.DataFrame:
    """The plan: one row per run, sorted by ``run_id``."""
    return pd.read_parquet(_require(out, PLAN))


def design_outcome_names(out: str | Path) -> list[str]:
    """The outcome names listed in ``DIR/design.toml``, in design order."""
    doc = tomllib.loads(_require(out, DESIGN).read_text(encoding="utf-8"))
    names = doc.get("outcomes", [])
    return [str(n) for n in names] if isinstance(names, list) else []


def read_run_status(out: str | Path, run_id: str) -> dict[str, Any] | None:
    """The run's ``outcomes.json`` as a dict, or None if missing or unreadable."""
    path = run_dir(out, run_id) / RUN_STATUS
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(doc, dict) or doc.get("status") not in ("ok", "error"):
        return None
    return doc


def write_run_status(
    out: str | Path,
    run_id: str,
    status: str,
    outcomes: dict[str, float],
    error: str | None = None,
    traceback: str | None = None,
    wall_time_s: float = 0.0,
) -> Path:
    """Atomically write ``DIR/runs/<run_id>/outcomes.json`` (NaN values become null)."""
    doc = {
        "run_id": run_id,
        "status": status,
        "outcomes": {
            k: (None if v is None or not math.isfinite(v) else float(v))
            for k, v in outcomes.items()
        },
        "error": error,
        "traceback": traceback,
        "wall_time_s": round(float(wall_time_s), 4),
    }
    text = json.dumps(doc, indent=2, allow_nan=False) + "\n"
    return atomic_write_text(run_dir(out, run_id) / RUN_STATUS, text)


def completed_run_ids(out: str | Path, status: str | None = "ok") -> list[str]:
    """Sorted ids of the plan's runs whose ``outcomes.json`` exists with ``status``.

    ``status=None`` returns every finished run (ok or error).
    """
    done = []
    for rid in load_plan(out)["run_id"]:
        doc = read_run_status(out, rid)
        if doc is not None and (status is None or doc["status"] == status):
            done.append(rid)
    return done


def build_outcomes_table(out: str | Path) -> pd.DataFrame:
    """The outcomes table, rebuilt from the plan and every run's ``outcomes.json``.

    One row per planned run, sorted by ``run_id``: the plan columns, ``status`` (``ok``,
    ``error``, or ``pending`` for a run that has not finished) and one float column per
    outcome of the design (NaN where undefined, failed or pending).
    """
    plan = load_plan(out)
    names = design_outcome_names(out)
    status: list[str] = []
    values: dict[str, list[float]] = {n: [] for n in names}
    for rid in plan["run_id"]:
        doc = read_run_status(out, rid)
        status.append("pending" if doc is None else doc["status"])
        got = doc.get("outcomes", {}) if doc is not None and doc["status"] == "ok" else {}
        for n in names:
            v = got.get(n)
            values[n].append(math.nan if v is None else float(v))
    table = plan.copy()
    table["status"] = pd.Series(status, dtype=str, index=table.index)
    for n in names:
        table[n] = pd.Series(values[n], dtype="float64", index=table.index)
    return table


def write_outcomes_table(out: str | Path) -> pd.DataFrame:
    """Rebuild ``DIR/outcomes.parquet`` (atomically) and return it."""
    table = build_outcomes_table(out)
    write_frame(table, Path(out) / OUTCOMES)
    return table


def read_manifest(out: str | Path) -> dict[str, Any]:
    """``DIR/manifest.json`` as a dict (empty if missing or unreadable)."""
    try:
        return json.loads((Path(out) / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def load_outcomes(out: str | Path) -> pd.DataFrame:
    """The outcomes table of a sweep (see :func:`build_outcomes_table` for the columns).

    Reads ``DIR/outcomes.parquet`` when the manifest says the sweep completed; otherwise (a
    sweep still running or interrupted) rebuilds the table from the per-run files, with
    ``status == "pending"`` for unfinished runs.
    """
    path = Path(out) / OUTCOMES
    if path.is_file() and read_manifest(out).get("status") == "complete":
        return pd.read_parquet(path)
    return build_outcomes_table(out)


def iter_run_frames(out: str | Path, kind: str = "market") -> Iterator[pd.DataFrame]:
    """Yield each finished (ok) run's ``kind`` frame, one run at a time, in ``run_id`` order."""
    if kind not in FRAME_KINDS:
        raise ValueError(f"kind must be one of {', '.join(FRAME_KINDS)}, got {kind!r}")
    for rid in load_plan(out)["run_id"]:
        doc = read_run_status(out, rid)
        if doc is None or doc["status"] != "ok":
            continue
        yield pd.read_parquet(run_dir(out, rid) / f"{kind}.parquet")


def load_frames(out: str | Path, kind: str = "market") -> pd.DataFrame:
    """Every finished run's ``kind`` frame concatenated (all in memory: mind large sweeps)."""
    frames = list(iter_run_frames(out, kind))
    if not frames:
        return pd.DataFrame(columns=list(LABEL_COLUMNS))
    return pd.concat(frames, ignore_index=True)


def remove_temp_files(directory: str | Path) -> int:
    """Delete temporary files a killed writer left in ``directory``; return how many."""
    n = 0
    d = Path(directory)
    if not d.is_dir():
        return 0
    for p in d.iterdir():
        if p.is_file() and p.name.startswith(".") and p.name.endswith(".tmp"):
            p.unlink(missing_ok=True)
            n += 1
    return n
