"""Plots of a sweep: share, price and capacity paths by policy, and a policy comparison.

Readers stream a sweep directory (see :mod:`spacemarket.experiments.sweeps.store`) one run at a
time and keep only the series a figure needs; the plotting functions take those series and
return a :class:`~matplotlib.figure.Figure` (no pyplot, no global state). ``spacemarket plot``
writes them as PNG and SVG with :func:`~spacemarket.experiments.plots.costs.save_figure`
(atomic, byte-reproducible).

Across-run statistics pool every successful run of a policy: all uncertainty samples and all
replications. Paths show the mean over runs and the 5th-95th percentile band; the comparison
shows each outcome's mean, the 95 % Student-t confidence interval for that mean (the interval
``spacemarket summarize`` prints) and the 5th-95th percentile of the runs.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np
import pandas as pd

import spacemarket.experiments.sweeps.store as store
from spacemarket.experiments.sweeps.summarize import t_interval

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.figure import Figure

# matplotlib is imported where a figure is made, so that ``spacemarket --help`` stays quick

__all__ = [
    "PLOT_KINDS",
    "PathBand",
    "add_plot_parser",
    "band",
    "cmd_plot",
    "market_paths",
    "outcome_table",
    "plot_outcome_comparison",
    "plot_policy_paths",
    "plot_policy_share_bands",
    "policy_order",
    "share_paths",
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


# --------------------------------------------------------------------------- figures


def _finish(fig: Figure, title: str, note: str | None) -> Figure:
    if note:
        fig.supxlabel(note, x=0.01, ha="left", fontsize=7, color="0.35")
    fig.suptitle(title)
    # constrained layout re-solves (and creeps) on each draw: solve once, then freeze, so a
    # figure saved as PNG and then SVG, or twice, gives the same bytes (see share_plot)
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    return fig


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

    from spacemarket.experiments.plots.shares import CAPTIVE_LABEL, _colors, _leader, _year_ticks

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
    colors, leader = _colors(series), _leader(series)
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
        _year_ticks(bottom, float(x.min()), x_max)
        _year_ticks(top, float(x.min()), x_max)
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

    from spacemarket.experiments.plots.shares import _year_ticks

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
    _year_ticks(ax, x_min, x_max)
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


# --------------------------------------------------------------------------- command line


def add_plot_parser(sub) -> None:
    """Register ``spacemarket plot shares|prices|capacity|compare DIR``."""
    p = sub.add_parser(
        "plot",
        help="plot a sweep: shares, prices, capacity by policy, or a policy comparison",
        description=(
            "Plot the sweep in DIR as PNG and SVG. shares: launch providers' share of mass to "
            "orbit by quarter, one panel per policy; prices: the contestable launch price "
            "index; capacity: orbital IT load in service; compare: each outcome's mean and "
            "95% interval per policy. Paths show the mean and the 5th-95th percentile band "
            "over the policy's successful runs (samples and replications pooled)."
        ),
    )
    p.add_argument("kind", choices=PLOT_KINDS, help="which figure")
    p.add_argument("dir", metavar="DIR", help="a sweep output directory")
    p.add_argument(
        "--out",
        metavar="PATH_PREFIX",
        default=None,
        help="write PATH_PREFIX.png and PATH_PREFIX.svg (an existing directory, or a path "
        "ending in /, gets KIND.png and KIND.svg inside; default: DIR/plots/KIND)",
    )
    p.add_argument(
        "--outcome",
        action="append",
        default=None,
        metavar="NAME",
        help="compare only: an outcome to show (repeatable; default: every outcome)",
    )
    p.set_defaults(func=cmd_plot)


def _prefix(args) -> Path:
    if args.out is None:
        return Path(args.dir) / "plots" / args.kind
    out = Path(args.out)
    if args.out.endswith(("/", "\\")) or out.is_dir():
        return out / args.kind
    return out


def cmd_plot(args) -> int:
    from spacemarket.experiments.outputs.files import ensure_dir
    from spacemarket.experiments.plots.costs import save_figure
    from spacemarket.market.physics import InputError

    if args.outcome and args.kind != "compare":
        raise InputError("--outcome", "applies to 'plot compare' only")
    if not Path(args.dir).is_dir():
        raise InputError("DIR", f"no such directory: {args.dir}")
    try:
        fig = sweep_figure(args.dir, args.kind, args.outcome)
    except store.NotASweepError as exc:
        raise InputError("DIR", str(exc)) from None
    except ValueError as exc:
        raise InputError("--outcome" if "outcome" in str(exc) else "DIR", str(exc)) from None
    prefix = _prefix(args)
    ensure_dir(prefix.parent)
    written = [save_figure(fig, prefix.with_name(f"{prefix.name}.{fmt}")) for fmt in ("png", "svg")]
    print("wrote " + " and ".join(str(w) for w in written))
    return 0
