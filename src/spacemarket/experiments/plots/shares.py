"""Plots: launch providers' shares of mass to orbit by quarter, one run or a band over seeds.

Both plots take the ``firms`` frame of :func:`spacemarket.market.model.run_scenario` (one row per
quarter and firm) and use the launch layer only: launch providers and captive markets, the
latter grouped as one "rest of world (captive)" series. Shares are of mass launched in the
quarter (``share_mass``), shown in percent; the x axis is the calendar year at the start of
each quarter.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import PercentFormatter

from spacemarket.experiments.plots.figure import freeze_layout, year_ticks

__all__ = [
    "CAPTIVE_LABEL",
    "leading_provider",
    "mass_shares",
    "plot_mass_shares",
    "plot_share_bands",
    "provider_colors",
    "quarter_year",
]

#: Series label of all captive (closed) launch markets together.
CAPTIVE_LABEL = "rest of world (captive)"

_Y_LABEL = "share of mass launched to orbit (%)"
_X_LABEL = "year (start of quarter)"


def quarter_year(label: str) -> float:
    """Calendar year at the start of a quarter.

    >>> quarter_year("2026Q3")
    2026.5
    """
    text = str(label)
    if len(text) != 6 or text[4] != "Q" or not text[:4].isdigit() or text[5] not in "1234":
        raise ValueError(f"quarter must look like 2026Q1, got {label!r}")
    return int(text[:4]) + (int(text[5]) - 1) / 4.0


def mass_shares(firms: pd.DataFrame) -> pd.DataFrame:
    """Share of mass to orbit (fraction) per quarter and launch provider.

    Index: quarter start in years (float, sorted); columns: providers ordered by their total
    mass launched (largest first, ties by name), then :data:`CAPTIVE_LABEL` last. Rows sum to
    one in every quarter in which anything flew, and to zero otherwise.
    """
    needed = {"quarter", "firm", "kind", "share_mass", "mass_launched_kg"}
    missing = needed - set(firms.columns)
    if missing:
        raise ValueError(f"firms frame lacks columns {sorted(missing)}")
    layer = firms[firms["kind"].isin(["launch", "captive"])].copy()
    if layer.empty:
        raise ValueError("firms frame has no launch-layer rows (kind 'launch' or 'captive')")
    layer["series"] = layer["firm"].where(layer["kind"] == "launch", CAPTIVE_LABEL)
    layer["x"] = layer["quarter"].map(quarter_year)
    shares = layer.pivot_table(
        index="x", columns="series", values="share_mass", aggfunc="sum", fill_value=0.0
    )
    mass = layer.groupby("series")["mass_launched_kg"].sum()
    providers = [s for s in shares.columns if s != CAPTIVE_LABEL]
    order = sorted(providers, key=lambda s: (-float(mass.get(s, 0.0)), str(s)))
    if CAPTIVE_LABEL in shares.columns:
        order.append(CAPTIVE_LABEL)
    out = shares[order].sort_index().astype(float)
    out.columns.name = None
    return out


def provider_colors(series: Sequence[str]) -> dict[str, object]:
    """Colours by name, not by rank: providers take the tab10 cycle in alphabetical order,
    captive markets grey, so one scenario's runs and sweeps colour each provider alike."""
    providers = sorted(s for s in series if s != CAPTIVE_LABEL)
    out: dict[str, object] = {name: f"C{i % 10}" for i, name in enumerate(providers)}
    if CAPTIVE_LABEL in series:
        out[CAPTIVE_LABEL] = "0.72"
    return out


def _mark_milestones(
    ax, milestones: Mapping[str, str], x_min: float, x_max: float, labels: bool = True
) -> list[str]:
    """Vertical lines at first flights inside [x_min, x_max]; return the others as text."""
    outside = []
    span = max(x_max - x_min, 0.25)
    for vehicle, quarter in sorted(milestones.items(), key=lambda kv: (quarter_year(kv[1]), kv[0])):
        x = quarter_year(quarter)
        if not x_min <= x <= x_max:
            outside.append(f"{vehicle} {quarter}")
            continue
        ax.axvline(x, color="0.15", lw=1.0, ls="--", zorder=5)
        if not labels:
            continue
        # label left of its line, or right of it when the line is at the left edge
        ha = "left" if x - x_min < 0.05 * span else "right"
        ax.annotate(
            f"{vehicle} first flight ({quarter})", (x, 0.98), xycoords=("data", "axes fraction"),
            rotation=90, va="top", ha=ha, fontsize=7, color="0.15", zorder=6,
            bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7},
        )  # fmt: skip
    return outside


def _two_panels(fig: Figure):
    """Main panel (all series, 0-100 %) over a panel enlarging all but the largest provider."""
    return fig.subplots(2, 1, sharex=True, height_ratios=[3.0, 1.4])


def _finish(
    fig: Figure,
    axes,
    x: np.ndarray,
    milestones: Mapping[str, str] | None,
    leader: str | None,
    title: str,
    notes: list[str],
) -> None:
    top, bottom = axes
    x_min, x_max = float(x.min()), float(x.max()) if len(x) > 1 else float(x.min()) + 0.25
    outside = _mark_milestones(top, milestones or {}, x_min, x_max)
    _mark_milestones(bottom, milestones or {}, x_min, x_max, labels=False)
    if outside:
        notes = [*notes, f"first flights outside the plotted quarters: {', '.join(outside)}"]
    year_ticks(bottom, x_min, x_max)
    bottom.set_xlim(x_min, x_max)
    top.set_ylim(0.0, 100.0)
    bottom.set_ylim(bottom=0.0)
    for ax in axes:
        ax.yaxis.set_major_formatter(PercentFormatter(100.0, decimals=0 if ax is top else 1))
        ax.grid(True, alpha=0.25)
    top.set_ylabel(_Y_LABEL)
    bottom.set_ylabel("share of mass (%)")
    bottom.set_title(
        f"enlarged: every series except {leader}" if leader else "enlarged", fontsize=9, loc="left"
    )
    bottom.set_xlabel(_X_LABEL)
    top.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    if notes:
        # a figure-level label, so constrained layout reserves room for it once (a text in
        # axes coordinates below the axes moves with them and repeated saves drift)
        fig.supxlabel("; ".join(notes), x=0.01, ha="left", fontsize=7, color="0.35")
    fig.suptitle(title)
    freeze_layout(fig)


def leading_provider(series: Sequence[str]) -> str | None:
    """The largest provider (first non-captive series), enlarged away in the lower panel."""
    return next((s for s in series if s != CAPTIVE_LABEL), None)


def plot_mass_shares(
    firms: pd.DataFrame, milestones: Mapping[str, str] | None = None, title: str | None = None
) -> Figure:
    """Stacked area of each launch provider's share of mass to orbit by quarter.

    ``firms`` is a run's firms frame; ``milestones`` maps vehicle -> first-flight quarter
    (``ScenarioResult.milestones``), each drawn as a labelled vertical line. First flights
    outside the plotted quarters are listed under the axes instead.
    """
    shares = mass_shares(firms)
    x = shares.index.to_numpy(dtype=float)
    series = list(shares.columns)
    colors = provider_colors(series)
    fig = Figure(figsize=(11, 7.5), layout="constrained")  # no pyplot: no global state
    top, bottom = _two_panels(fig)
    top.stackplot(
        x,
        *(100.0 * shares[c].to_numpy() for c in series),
        labels=series,
        colors=[colors[c] for c in series],
        alpha=0.9,
        lw=0.3,
        edgecolor="white",
    )
    leader = leading_provider(series)
    for c in series:
        if c != leader:
            bottom.plot(x, 100.0 * shares[c].to_numpy(), color=colors[c], lw=1.5)
    title = title or "Launch providers' share of mass to orbit, by quarter"
    _finish(fig, (top, bottom), x, milestones, leader, title, [])
    return fig


def plot_share_bands(
    firms_by_seed: Sequence[pd.DataFrame],
    milestones: Mapping[str, str] | None = None,
    title: str | None = None,
) -> Figure:
    """Mean and 5-95 % band over seeds of each launch provider's share of mass, by quarter.

    ``firms_by_seed`` holds one firms frame per seed (same scenario and quarters). A provider
    absent from a seed's frame counts as a zero share there. ``milestones`` (optional) marks
    first-flight quarters, e.g. the median over seeds.
    """
    if len(firms_by_seed) == 0:
        raise ValueError("firms_by_seed is empty: need at least one run")
    per_seed = [mass_shares(f) for f in firms_by_seed]
    index = per_seed[0].index
    for i, s in enumerate(per_seed[1:], start=1):
        if not s.index.equals(index):
            raise ValueError(f"run {i} covers different quarters than run 0")
    total = pd.concat([s.sum() for s in per_seed], axis=1).sum(axis=1)
    providers = sorted((c for c in total.index if c != CAPTIVE_LABEL),
                       key=lambda c: (-float(total[c]), str(c)))  # fmt: skip
    if CAPTIVE_LABEL in total.index:
        providers.append(CAPTIVE_LABEL)
    # cube: seeds x quarters x series, percent
    cube = 100.0 * np.stack([s.reindex(columns=providers, fill_value=0.0) for s in per_seed])
    mean = cube.mean(axis=0)
    low, high = np.percentile(cube, [5.0, 95.0], axis=0)
    x = index.to_numpy(dtype=float)
    colors = provider_colors(providers)
    leader = leading_provider(providers)
    fig = Figure(figsize=(11, 7.5), layout="constrained")
    top, bottom = _two_panels(fig)
    for j, name in enumerate(providers):
        for ax in (top, bottom) if name != leader else (top,):
            ax.fill_between(x, low[:, j], high[:, j], color=colors[name], alpha=0.2, lw=0)
            ax.plot(x, mean[:, j], color=colors[name], lw=1.8, label=name if ax is top else None)
    notes = [f"lines: mean over {len(per_seed)} seeds; bands: 5th-95th percentile"]
    title = title or "Launch providers' share of mass to orbit, over seeds"
    _finish(fig, (top, bottom), x, milestones, leader, title, notes)
    return fig
