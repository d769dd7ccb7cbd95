"""What a sweep's plots read: per-policy paths and outcomes streamed from a sweep directory.

Readers stream a sweep directory (see :mod:`spacemarket.experiments.sweeps.store`) one run at a
time and keep only the series a figure needs; :func:`band` gives the across-run statistics.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

import spacemarket.experiments.sweeps.store as store

__all__ = [
    "PathBand",
    "band",
    "market_paths",
    "outcome_table",
    "policy_order",
    "share_paths",
]

_META = {"status", "error", "traceback", "wall_time_s", "policy_settings"}


# --------------------------------------------------------------------------- statistics


class PathBand(NamedTuple):
    """Per-column statistics over runs: mean, low and high percentiles, finite count."""

    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray
    n: np.ndarray


def band(values: np.ndarray, low: float = 5.0, high: float = 95.0) -> PathBand:
    """Mean and ``low``-``high`` percentiles over axis 0, ignoring NaNs.

    A column with no finite value gives NaN (without numpy's all-NaN warnings); ``n`` is the
    number of finite values per column.

    >>> b = band(np.array([[1.0, np.nan], [3.0, np.nan]]))
    >>> b.mean.tolist(), b.n.tolist()
    ([2.0, nan], [2, 0])
    """
    x = np.asarray(values, dtype=float)
    if x.ndim == 1:
        x = x[:, None]
    n = np.isfinite(x).sum(axis=0)
    shape = x.shape[1:]
    mean, lo, hi = (np.full(shape, np.nan) for _ in range(3))
    ok = n > 0
    if ok.any():
        sub = x[:, ok]
        mean[ok] = np.nanmean(sub, axis=0)
        lo[ok], hi[ok] = np.nanpercentile(sub, [low, high], axis=0)
    return PathBand(mean, lo, hi, n)


# --------------------------------------------------------------------------- readers


def policy_order(out: str | Path) -> list[str]:
    """Policies in design order (first appearance in the plan, which is sorted by run id)."""
    return list(dict.fromkeys(store.load_plan(out)["policy"].astype(str)))


def _frames(out: str | Path, kind: str) -> Iterator[pd.DataFrame]:
    for frame in store.iter_run_frames(out, kind):
        if len(frame):
            yield frame


def share_paths(out: str | Path) -> dict[str, list[pd.DataFrame]]:
    """Per policy, each ok run's share of mass to orbit by quarter and provider.

    Values are :func:`~spacemarket.experiments.plots.shares.mass_shares` frames (fractions;
    index: quarter start in years). Streams the runs: one run's firms frame at a time.
    """
    from spacemarket.experiments.plots.shares import mass_shares

    out_by: dict[str, list[pd.DataFrame]] = {p: [] for p in policy_order(out)}
    for frame in _frames(out, "firms"):
        out_by.setdefault(str(frame["policy"].iloc[0]), []).append(mass_shares(frame))
    return {p: v for p, v in out_by.items() if v}


def market_paths(out: str | Path, column: str) -> dict[str, pd.DataFrame]:
    """Per policy, a runs x quarters frame of one market column (index: run ids).

    Columns are quarter starts in years; a run shorter than others has NaN where it ends.
    """
    from spacemarket.experiments.plots.shares import quarter_year

    rows: dict[str, dict[str, pd.Series]] = {p: {} for p in policy_order(out)}
    for frame in _frames(out, "market"):
        if column not in frame.columns:
            raise ValueError(f"market frames have no column {column!r}")
        x = frame["quarter"].map(quarter_year).to_numpy(dtype=float)
        series = pd.Series(frame[column].to_numpy(dtype=float), index=x)
        rows.setdefault(str(frame["policy"].iloc[0]), {})[str(frame["run_id"].iloc[0])] = series
    return {p: pd.DataFrame(r).T.sort_index(axis=1) for p, r in rows.items() if r}


def outcome_table(out: str | Path) -> tuple[pd.DataFrame, list[str]]:
    """The ok rows of the outcomes table, and the outcome columns (design order)."""
    table = store.load_outcomes(out)
    try:
        names = store.design_outcome_names(out)
    except store.NotASweepError:
        names = []
    if not names:  # no design file: every numeric column that is not a plan column
        plan_cols = set(store.load_plan(out).columns)
        names = [
            c for c in table.columns
            if c not in plan_cols and c not in _META and pd.api.types.is_numeric_dtype(table[c])
        ]  # fmt: skip
    names = [n for n in names if n in table.columns]
    return table[table["status"] == "ok"].reset_index(drop=True), names
