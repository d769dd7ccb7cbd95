"""Plots of a sweep: share, price and capacity paths by policy, and a policy comparison.

The readers (:mod:`spacemarket.experiments.plots.sweep_data`) stream a sweep directory one run at
a time and keep only the series a figure needs; the plotting functions take those series and
return a :class:`~matplotlib.figure.Figure` (no pyplot, no global state). ``spacemarket plot``
(:mod:`spacemarket.experiments.cli.plot`) writes them as PNG and SVG with
:func:`~spacemarket.experiments.plots.figure.save_figure` (atomic, byte-reproducible).

Across-run statistics pool every successful run of a policy: all uncertainty samples and all
replications. Paths show the mean over runs and the 5th-95th percentile band; the comparison
shows each outcome's mean, the 95 % Student-t confidence interval for that mean (the interval
``spacemarket summarize`` prints) and the 5th-95th percentile of the runs.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from spacemarket.experiments.plots.figure import freeze_layout, year_ticks
from spacemarket.experiments.plots.sweep_data import (
    band,
    market_paths,
    outcome_table,
    policy_order,
    share_paths,
)
from spacemarket.experiments.sweeps.summarize import t_interval

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

# matplotlib is imported where a figure is made, so that ``spacemarket --help`` stays quick

__all__ = [
    "PLOT_KINDS",
    "plot_outcome_comparison",
    "plot_policy_paths",
    "plot_policy_share_bands",
    "sweep_figure",
]

#: What ``spacemarket plot`` draws.
PLOT_KINDS = ("shares", "prices", "capacity", "compare")

_X_LABEL = "year (start of quarter)"
_BAND_NOTE = "lines: mean over runs (samples x replications); bands: 5th-95th percentile of runs"
_MARKET = {
    "prices": (
        "launch_price_index_usd_per_kg",
        "launch price index (USD/kg)",
        "Contestable launch price index by policy (external spend / kg sold)",
    ),
    "capacity": (
        "orbital_mw",
        "orbital IT load in service (MW)",
        "Orbital data-center capacity in service by policy",
    ),
}


# --------------------------------------------------------------------------- figures


def _finish(fig: Figure, title: str, note: str | None) -> Figure:
    if note:
        fig.supxlabel(note, x=0.01, ha="left", fontsize=7, color="0.35")
    fig.suptitle(title)
    return freeze_layout(fig)


def _wrap(text: str, width: int = 36) -> str:
    return "\n".join(textwrap.wrap(text, width, break_long_words=True)) or text


def plot_policy_share_bands(
    shares_by_policy: Mapping[str, Sequence[pd.DataFrame]], title: str | None = None
) -> Figure:
    """Launch providers' share of mass to orbit by policy: mean and 5-95 % band over runs.

    ``shares_by_policy`` maps a policy to its runs' :func:`mass_shares` frames (same
    quarters within a policy). One column of panels per policy (at most three per row): all
    series on 0-100 % above, every series but the largest provider enlarged below, as in
    :func:`~spacemarket.experiments.plots.shares.plot_share_bands`. Colours follow provider
    names, so they match the single-run plots.
    """
    from matplotlib.figure import Figure
    from matplotlib.ticker import PercentFormatter

    from spacemarket.experiments.plots.shares import (
        CAPTIVE_LABEL,
        leading_provider,
        provider_colors,
    )

    policies = [p for p, runs in shares_by_policy.items() if len(runs)]
    if not policies:
        raise ValueError("no runs to plot")
    totals: dict[str, float] = {}
    for p in policies:
        for s in shares_by_policy[p]:
            for c, v in s.sum().items():
                totals[c] = totals.get(c, 0.0) + float(v) / len(shares_by_policy[p])
    series = sorted((c for c in totals if c != CAPTIVE_LABEL), key=lambda c: (-totals[c], c))
    if CAPTIVE_LABEL in totals:
        series.append(CAPTIVE_LABEL)
    colors, leader = provider_colors(series), leading_provider(series)
    ncols = min(3, len(policies))
    groups = math.ceil(len(policies) / ncols)
    fig = Figure(figsize=(4.6 * ncols + 2.6, 6.2 * groups), layout="constrained")
    grid = fig.subplots(2 * groups, ncols, squeeze=False, height_ratios=[3.0, 1.4] * groups)
    enlarged = []
    for k in range(groups * ncols):
        top, bottom = grid[2 * (k // ncols), k % ncols], grid[2 * (k // ncols) + 1, k % ncols]
        if k >= len(policies):
            top.set_visible(False)
            bottom.set_visible(False)
            continue
        policy = policies[k]
        runs = shares_by_policy[policy]
        index = runs[0].index
        for i, s in enumerate(runs[1:], start=1):
            if not s.index.equals(index):
                raise ValueError(f"policy {policy!r}: run {i} covers different quarters")
        cube = 100.0 * np.stack([s.reindex(columns=series, fill_value=0.0) for s in runs])
        x = index.to_numpy(dtype=float)
        stats = band(cube.reshape(len(runs), -1))
        shape = cube.shape[1:]
        mean, lo, hi = (a.reshape(shape) for a in stats[:3])
        for j, name in enumerate(series):
            for ax in (top, bottom) if name != leader else (top,):
                ax.fill_between(x, lo[:, j], hi[:, j], color=colors[name], alpha=0.2, lw=0)
                ax.plot(x, mean[:, j], color=colors[name], lw=1.6,
                        label=name if (ax is top and k == 0) else None)  # fmt: skip
        top.set_title(_wrap(f"{policy} ({len(runs)} runs)"), fontsize=9)
        top.set_ylim(0.0, 100.0)
        others = [j for j, name in enumerate(series) if name != leader]
        enlarged.append((bottom, float(np.nanmax(hi[:, others], initial=0.0)) if others else 0.0))
        x_max = float(x.max()) if len(x) > 1 else float(x.min()) + 0.25
        for ax in (top, bottom):
            ax.set_xlim(float(x.min()), x_max)
            ax.grid(True, alpha=0.25)
            ax.yaxis.set_major_formatter(PercentFormatter(100.0, decimals=0))
        year_ticks(bottom, float(x.min()), x_max)
        year_ticks(top, float(x.min()), x_max)
        top.tick_params(labelbottom=False)
        top.set_ylabel("share of mass launched to orbit (%)", fontsize=8)
        bottom.set_ylabel("share of mass (%)", fontsize=8)
        bottom.set_title(f"enlarged: all but {leader}" if leader else "enlarged", fontsize=8,
                         loc="left")  # fmt: skip
        bottom.set_xlabel(_X_LABEL, fontsize=8)
    top_pct = max(max(h for _, h in enlarged) * 1.05, 1.0)  # one scale: panels compare
    for ax, _ in enlarged:
        ax.set_ylim(0.0, top_pct)
    fig.legend(loc="outside right upper", fontsize=8, frameon=False)
    title = title or "Launch providers' share of mass to orbit, by policy"
    return _finish(fig, title, _BAND_NOTE)


def plot_policy_paths(
    paths_by_policy: Mapping[str, pd.DataFrame],
    ylabel: str,
    title: str,
    note: str | None = None,
) -> Figure:
    """One quarterly series by policy on one axis: mean over runs and 5-95 % band.

    ``paths_by_policy`` maps a policy to a runs x quarters frame (columns: quarter start in
    years), e.g. from :func:`market_paths`. ``ylabel`` carries the units. A quarter in which
    no run of a policy has a value (e.g. no external launch sold) leaves a gap.
    """
    from matplotlib.figure import Figure

    policies = [p for p, f in paths_by_policy.items() if len(f)]
    if not policies:
        raise ValueError("no runs to plot")
    fig = Figure(figsize=(10, 5.6), layout="constrained")
    ax = fig.subplots()
    xs = []
    for i, policy in enumerate(policies):
        frame = paths_by_policy[policy]
        x = frame.columns.to_numpy(dtype=float)
        xs.append(x)
        stats = band(frame.to_numpy(dtype=float))
        color = f"C{i % 10}"
        ax.fill_between(x, stats.low, stats.high, color=color, alpha=0.15, lw=0)
        ax.plot(x, stats.mean, color=color, lw=1.8, marker="o" if len(x) < 3 else None,
                label=f"{policy} ({len(frame)} runs)")  # fmt: skip
    x_all = np.concatenate(xs)
    x_min, x_max = float(x_all.min()), float(x_all.max())
    x_max = x_max if x_max > x_min else x_min + 0.25
    ax.set_xlim(x_min, x_max)
    year_ticks(ax, x_min, x_max)
    ax.set_xlabel(_X_LABEL)
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0.0)
    ax.grid(True, alpha=0.25)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return _finish(fig, title, note or _BAND_NOTE)


def _scale(values: np.ndarray, unit: str) -> tuple[float, str]:
    """A power of 1,000 that keeps tick labels short, and the units it implies.

    >>> _scale(np.array([3.2e10]), "USD")
    (1000000000.0, 'billion USD')
    """
    peak = float(np.abs(values).max()) if values.size else 0.0
    for factor, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
        if peak >= factor:
            return factor, f"{word} {unit}"
    return 1.0, unit


def plot_outcome_comparison(
    table: pd.DataFrame,
    outcomes: Sequence[str],
    policies: Sequence[str] | None = None,
    units: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """One small panel per outcome: each policy's mean, 95 % CI of the mean, 5-95 % of runs.

    ``table`` has a ``policy`` column and one column per outcome (the ok runs of the sweep's
    outcomes table). The interval is the Student-t interval of
    :func:`spacemarket.experiments.sweeps.summarize.t_interval`, pooled over samples and
    replications. ``units`` maps an outcome to its units (default: the outcomes registry).
    """
    from matplotlib.figure import Figure

    from spacemarket.experiments.sweeps.outcomes import OUTCOMES

    if not outcomes:
        raise ValueError("no outcomes to compare")
    missing = [o for o in outcomes if o not in table.columns]
    if missing:
        raise ValueError(f"outcome table has no column {missing[0]!r}")
    order = list(policies) if policies is not None else list(dict.fromkeys(table["policy"]))
    if not order:
        raise ValueError("no runs to compare")
    units = dict(units or {})
    ncols = min(3, len(outcomes))
    nrows = math.ceil(len(outcomes) / ncols)
    height = max(2.2, 0.45 * len(order) + 1.3)
    fig = Figure(figsize=(4.4 * ncols + 1.5, height * nrows + 0.8), layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    y = np.arange(len(order))[::-1]
    for k, ax in enumerate(axes.flat):
        if k >= len(outcomes):
            ax.set_visible(False)
            continue
        name = outcomes[k]
        unit = units.get(name) or (OUTCOMES[name].units if name in OUTCOMES else "") or "-"
        values = table[name].to_numpy(dtype=float)
        scale, unit = _scale(values[np.isfinite(values)], unit)
        for i, policy in enumerate(order):
            v = table.loc[table["policy"] == policy, name].to_numpy(dtype=float) / scale
            v = v[np.isfinite(v)]
            color = f"C{i % 10}"
            if v.size == 0:
                ax.annotate("no finite value", (0.02, y[i]), xycoords=("axes fraction", "data"),
                            va="center", fontsize=7, color="0.4")  # fmt: skip
                continue
            p5, p95 = np.percentile(v, [5.0, 95.0])
            ax.hlines(y[i], p5, p95, color=color, lw=1.0, alpha=0.6)
            bounds = OUTCOMES[name].bounds if name in OUTCOMES else None
            if bounds is not None:  # the same units as v once the scale is applied
                bounds = (bounds[0] / scale, bounds[1] / scale)
            lo, hi = t_interval(v, bounds=bounds)
            if math.isfinite(lo):
                ax.hlines(y[i], lo, hi, color=color, lw=4.0)
            ax.plot([float(v.mean())], [y[i]], "o", color=color, mec="white", ms=6, zorder=3)
        ax.set_yticks(y, [_wrap(p, 28) for p in order], fontsize=8)
        ax.set_ylim(-0.6, len(order) - 0.4)
        ax.set_xlabel(f"{name} ({unit})", fontsize=8)
        ax.set_ylabel("policy", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(True, axis="x", alpha=0.25)
    note = ("dot: mean over the policy's runs; thick bar: 95% Student-t confidence interval for "
            "the mean; thin line: 5th-95th percentile of runs")  # fmt: skip
    counts = table["policy"].value_counts()
    n_text = ", ".join(f"{p}: {int(counts.get(p, 0))}" for p in order)
    title = title or "Policy comparison of outcomes"
    return _finish(fig, title, f"{note}. Runs per policy: {n_text}")


def sweep_figure(out: str | Path, kind: str, outcomes: Sequence[str] | None = None) -> Figure:
    """The ``kind`` figure (one of :data:`PLOT_KINDS`) of the sweep in directory ``out``.

    Raises :class:`ValueError` when the sweep has no successful run (or the named outcome is
    not in it) and :class:`~spacemarket.experiments.sweeps.store.NotASweepError` when ``out``
    holds no sweep.
    """
    if kind not in PLOT_KINDS:
        raise ValueError(f"kind must be one of {', '.join(PLOT_KINDS)}, got {kind!r}")
    name = Path(out).name
    if kind == "shares":
        shares = share_paths(out)
        if not shares:
            raise ValueError(f"no finished (ok) runs in {out}")
        return plot_policy_share_bands(
            shares, title=f"Launch providers' share of mass to orbit, by policy: sweep {name}"
        )
    if kind in _MARKET:
        column, ylabel, title = _MARKET[kind]
        paths = market_paths(out, column)
        if not paths:
            raise ValueError(f"no finished (ok) runs in {out}")
        return plot_policy_paths(paths, ylabel, f"{title}: sweep {name}")
    table, names = outcome_table(out)
    if outcomes:
        unknown = [o for o in outcomes if o not in names]
        if unknown:
            raise ValueError(
                f"outcome {unknown[0]!r} is not in the sweep (recorded: {', '.join(names)})"
            )
        names = list(outcomes)
    if table.empty:
        raise ValueError(f"no finished (ok) runs in {out}")
    order = [p for p in policy_order(out) if p in set(table["policy"])]
    return plot_outcome_comparison(table, names, order, title=f"Policy comparison: sweep {name}")
