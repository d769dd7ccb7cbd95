"""Strategies side by side over seeds: ``spacemarket compare`` and the experiment scripts.

Each strategy profile runs ``replications`` times on common random numbers
(:func:`.game_runs.run_profiles`). Per profile and metric the table gives the mean over
seeds and its 95 % Student-t interval. Metrics (units in the name):

* ``cost_of_compute_usd_per_kw_year__<lab>``: the focus lab's expected full cost of the
  compute it added since the start (final year mean);
* ``launch_price_index_usd_per_kg``: external launch spend per kg of capacity sold (final
  year);
* ``share_mass__<provider>``: launch-mass share (final year);
* ``profit_usd__<firm>``: discounted profit over the horizon at the game's discount rate
  (labs: minus their cost of compute);
* ``consumer_surplus_usd``: discounted surplus of external launch buyers;
* ``hhi_launch_mass``: HHI of launch mass (0-10,000, final year);
* ``exposure_spacex__<lab>``: share of the focus lab's compute that depends on
  SpaceX-controlled inputs (final year).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from .game_runs import profile_label, read_summaries, run_profiles
from .summarize import t_interval

__all__ = ["CompareResult", "compare_profiles", "format_compare", "write_compare"]

log = logging.getLogger(__name__)

#: Rows of the printed table, in order (``{lab}`` is the focus lab).
HEADLINE_METRICS = (
    "cost_of_compute_usd_per_kw_year__{lab}",
    "launch_price_index_usd_per_kg",
    "share_mass__SpaceX",
    "share_mass__Stoke",
    "share_mass__Blue Origin",
    "profit_usd__SpaceX",
    "profit_usd__Stoke",
    "profit_usd__{lab}",
    "consumer_surplus_usd",
    "hhi_launch_mass",
    "exposure_spacex__{lab}",
    "orbital_mw",
)


@dataclass
class CompareResult:
    """``table``: one row per (profile, metric) with mean, ci_low, ci_high, n.
    ``shares``: profile label -> mean launch-mass share by quarter (rows) and provider."""

    table: pd.DataFrame
    shares: dict[str, pd.DataFrame]
    labels: list[str]
    replications: int
    focus_lab: str


def compare_profiles(
    scenario: str,
    profiles: list[dict[str, str]],
    out: str | Path,
    *,
    replications: int = 32,
    root_seed: int = 2026,
    overrides: dict[str, Any] | None = None,
    steps: int | None = None,
    discount_rate_per_year: float = 0.08,
    focus_lab: str = "OpenAI",
    workers: int | None = None,
    dask_local: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    quiet: bool = True,
) -> CompareResult:
    """Run each profile over ``replications`` seeds into ``out`` and tabulate the metrics."""
    table = run_profiles(
        scenario,
        profiles,
        out,
        replications=replications,
        root_seed=root_seed,
        overrides=overrides,
        steps=steps,
        workers=workers,
        dask_local=dask_local,
        scheduler=scheduler,
        resume=resume,
        quiet=quiet,
    )
    sums = read_summaries(out, table, discount_rate_per_year, focus_lab)
    labels = [profile_label(p) for p in profiles]
    rows, shares = [], {}
    for label in labels:
        runs = [s for (lab, _), s in sums.items() if lab == label]
        metrics = sorted({m for s in runs for m in s.metrics})
        for m in metrics:
            values = np.array([s.metrics.get(m, np.nan) for s in runs], dtype=float)
            lo, hi = t_interval(values)
            finite = values[np.isfinite(values)]
            rows.append(
                {
                    "profile": label,
                    "metric": m,
                    "mean": float(finite.mean()) if finite.size else np.nan,
                    "ci_low": lo,
                    "ci_high": hi,
                    "n": int(finite.size),
                }
            )
        shares[label] = sum(s.shares for s in runs) / len(runs)
    return CompareResult(pd.DataFrame(rows), shares, labels, replications, focus_lab)


def _fmt(metric: str, value: float) -> str:
    if not np.isfinite(value):
        return "n/a"
    if metric.startswith(("profit_usd", "consumer_surplus")):
        return f"{value / 1e9:,.2f}"
    if metric.startswith(("share_mass", "exposure")):
        return f"{value:.3f}"
    return f"{value:,.0f}"


def _unit(metric: str) -> str:
    if metric.startswith(("profit_usd", "consumer_surplus")):
        return " (USD bn, PV)"
    return ""


def format_compare(result: CompareResult, metrics: tuple[str, ...] | None = None) -> str:
    """A plain-text table: metrics down, profiles across, ``mean [ci_low, ci_high]``."""
    wanted = [m.format(lab=result.focus_lab) for m in (metrics or HEADLINE_METRICS)]
    t = result.table.set_index(["profile", "metric"])
    lines = [f"Strategies compared over {result.replications} seeds: mean [95% t-interval]"]
    for i, label in enumerate(result.labels, 1):
        lines.append(f"  ({i}) {label}")
    header = ["metric"] + [f"({i})" for i in range(1, len(result.labels) + 1)]
    body = []
    for m in wanted:
        if not any((label, m) in t.index for label in result.labels):
            continue
        row = [m + _unit(m)]
        for label in result.labels:
            if (label, m) not in t.index:
                row.append("n/a")
                continue
            r = t.loc[(label, m)]
            row.append(f"{_fmt(m, r['mean'])} [{_fmt(m, r['ci_low'])}, {_fmt(m, r['ci_high'])}]")
        body.append(row)
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    for r in [header, *body]:
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    return "\n".join(lines) + "\n"


def markdown_compare(result: CompareResult, metrics: tuple[str, ...] | None = None) -> str:
    """The same table as Markdown (for the README and reports)."""
    wanted = [m.format(lab=result.focus_lab) for m in (metrics or HEADLINE_METRICS)]
    t = result.table.set_index(["profile", "metric"])
    out = ["| metric | " + " | ".join(result.labels) + " |", "|---|" + "---|" * len(result.labels)]
    for m in wanted:
        if not any((label, m) in t.index for label in result.labels):
            continue
        cells = []
        for label in result.labels:
            r = t.loc[(label, m)] if (label, m) in t.index else None
            cells.append(
                "n/a"
                if r is None
                else f"{_fmt(m, r['mean'])} [{_fmt(m, r['ci_low'])}, {_fmt(m, r['ci_high'])}]"
            )
        out.append(f"| {m}{_unit(m)} | " + " | ".join(cells) + " |")
    return "\n".join(out) + "\n"


def plot_share_trajectories(result: CompareResult, path: str | Path, top: int = 5) -> Path:
    """One panel per profile: mean launch-mass share by quarter of the ``top`` providers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from .cost_plot import save_figure

    n = len(result.labels)
    cols = min(n, 2)
    rows = (n + cols - 1) // cols
    fig, axes = plt.subplots(
        rows, cols, figsize=(6.2 * cols, 3.4 * rows), sharey=True, squeeze=False
    )
    firms = pd.concat(result.shares.values()).mean().sort_values(ascending=False).index[:top]
    colors = dict(zip(firms, plt.cm.tab10.colors, strict=False))
    for ax, label in zip(axes.flat, result.labels, strict=False):
        s = result.shares[label]
        x = np.arange(len(s))
        for firm in firms:
            if firm in s:
                ax.plot(x, s[firm].to_numpy(), label=firm, color=colors[firm], lw=1.6)
        ticks = x[:: max(1, len(x) // 6)]
        ax.set_xticks(ticks, [s.index[i] for i in ticks], fontsize=8)
        ax.set_title(label, fontsize=9)
        ax.set_ylim(0, 1)
        ax.grid(alpha=0.3)
    for ax in axes.flat[n:]:
        ax.set_visible(False)
    axes[0, 0].set_ylabel("launch-mass share")
    axes[0, 0].legend(fontsize=8, loc="upper left")
    fig.suptitle(f"Launch-mass share by quarter, mean of {result.replications} seeds", fontsize=10)
    fig.tight_layout()
    saved = save_figure(fig, path)
    plt.close(fig)
    return saved


def write_compare(result: CompareResult, out: str | Path, stem: str = "compare") -> list[Path]:
    """Write ``<stem>.csv``, ``<stem>.txt``, ``<stem>.md`` and ``<stem>_shares.png``."""
    from .output import atomic_write_text, write_frame

    out = Path(out)
    return [
        write_frame(result.table, out / f"{stem}.csv"),
        atomic_write_text(out / f"{stem}.txt", format_compare(result)),
        atomic_write_text(out / f"{stem}.md", markdown_compare(result)),
        plot_share_trajectories(result, out / f"{stem}_shares.png"),
    ]
