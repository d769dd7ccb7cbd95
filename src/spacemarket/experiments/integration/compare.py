"""Strategies side by side over seeds: ``spacemarket compare`` and the experiment scripts.

Each strategy profile runs ``replications`` times on common random numbers
(:func:`.game_runs.run_profiles`). Per profile and metric the table gives the mean over
seeds and its 95 % Student-t interval (clipped to [0, 1] for shares and exposure and to
[0, 10,000] for HHI), and for every profile after the first the paired difference from the
first (status-quo) profile: replication ``r`` has the same seed in every profile, so the
difference is taken seed by seed, with its 95 % t-interval, marked "n.s." (not significant)
when the interval covers zero. Amounts print as in ``summarize`` (USD bn, 2 decimals,
:func:`.summarize.format_value`), labelled with their basis: ``compare`` shows present values
at the discount rate, ``summarize`` nominal undiscounted sums. Metrics (units in the name):

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

from spacemarket.experiments.integration.effects import compare_effect_lines
from spacemarket.experiments.integration.runs import profile_label, read_summaries, run_profiles
from spacemarket.experiments.sweeps.outcomes import UNIT_BOUNDS
from spacemarket.experiments.sweeps.summarize import display_units, format_interval, t_interval
from spacemarket.market.games.paired import PairedDifference

__all__ = [
    "TABLE_COLUMNS",
    "CompareResult",
    "compare_profiles",
    "format_compare",
    "markdown_compare",
    "metric_units",
    "tabulate",
    "write_compare",
]

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


def metric_units(metric: str) -> str:
    """Units of a comparison metric, in the vocabulary of the outcomes registry."""
    if metric.startswith(("profit_usd", "consumer_surplus_usd")):
        return "USD"
    if metric.startswith(("share_mass", "exposure")):
        return "fraction"
    if metric.startswith("hhi"):
        return "HHI (0-10,000)"
    if metric.startswith("cost_of_compute_usd_per_kw_year"):
        return "USD/kW-yr"
    if metric.startswith("launch_price_index_usd_per_kg"):
        return "USD/kg"
    if metric.endswith("_mw"):
        return "MW"
    return ""


#: Columns of :attr:`CompareResult.table`: level statistics, then the paired difference from
#: the first profile (NaN on the first profile's own rows).
TABLE_COLUMNS = [
    "profile", "metric", "mean", "ci_low", "ci_high", "n",
    "diff_mean", "diff_ci_low", "diff_ci_high", "diff_n", "diff_significance",
    "diff_seeds_needed",
]  # fmt: skip


@dataclass
class CompareResult:
    """``table``: one row per (profile, metric), :data:`TABLE_COLUMNS`: mean, ci_low,
    ci_high, n over seeds and the paired difference from the first profile (``diff_*``).
    ``shares``: profile label -> mean launch-mass share by quarter (rows) and provider."""

    table: pd.DataFrame
    shares: dict[str, pd.DataFrame]
    labels: list[str]
    replications: int
    focus_lab: str
    discount_rate_per_year: float = 0.08
    #: Every run's metrics: columns ``profile``, ``replication``, ``metric``, ``value``.
    seed_values: pd.DataFrame | None = None

    def paired(
        self,
        label: str,
        baseline: str,
        metrics: str | list[str],
        level: float = 0.95,
        scale: float = 1.0,
    ) -> PairedDifference:
        """``label`` minus ``baseline`` seed by seed, summing ``metrics`` within each run
        (e.g. SpaceX's and xAI's profits: a group's payoff), with its t-interval; values are
        divided by ``scale`` first (1e9: USD bn)."""
        if self.seed_values is None:
            raise ValueError("this comparison holds no per-seed values")
        names = [metrics] if isinstance(metrics, str) else list(metrics)
        v = self.seed_values[self.seed_values["metric"].isin(names)]
        missing = {(lab, m) for lab in (label, baseline) for m in names} - set(
            zip(v["profile"], v["metric"], strict=True)
        )
        if missing:
            raise KeyError(f"no values for {sorted(missing)}")
        wide = v.pivot_table(index="replication", columns="profile", values="value",
                             aggfunc="sum", dropna=False)  # fmt: skip
        x, y = (wide[c].to_numpy() / scale for c in (label, baseline))
        return PairedDifference.of(x, y, level=level)


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
    frame, shares = tabulate(sums, labels)
    values = pd.DataFrame(
        [(label, rep, m, v) for (label, rep), s in sorted(sums.items()) for m, v in
         sorted(s.metrics.items())],
        columns=["profile", "replication", "metric", "value"],
    )  # fmt: skip
    return CompareResult(frame, shares, labels, replications, focus_lab, discount_rate_per_year,
                         values)  # fmt: skip


def tabulate(sums, labels: list[str]) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """The comparison table (:data:`TABLE_COLUMNS`) and mean share paths from run summaries.

    ``sums``: ``(profile label, replication) -> RunSummary``. Level intervals are clipped to
    the metric's range (:data:`~spacemarket.experiments.sweeps.outcomes.UNIT_BOUNDS`); differences
    from ``labels[0]`` are paired on the replication (the same seed in every profile).
    """
    reps = sorted({r for _, r in sums})
    rows, shares = [], {}
    for label in labels:
        runs = [sums[(label, r)] for r in reps if (label, r) in sums]
        metrics = sorted({m for s in runs for m in s.metrics})
        for m in metrics:
            values = _values(sums, label, m, reps)
            finite = values[np.isfinite(values)]
            lo, hi = t_interval(values, bounds=UNIT_BOUNDS.get(metric_units(m)))
            row = {
                "profile": label,
                "metric": m,
                "mean": float(finite.mean()) if finite.size else np.nan,
                "ci_low": lo,
                "ci_high": hi,
                "n": int(finite.size),
            }
            if label != labels[0]:
                d = PairedDifference.of(values, _values(sums, labels[0], m, reps))
                need = d.seeds_needed
                row.update(
                    diff_mean=d.mean,
                    diff_ci_low=d.ci_low,
                    diff_ci_high=d.ci_high,
                    diff_n=d.n,
                    diff_significance=d.verdict,
                    diff_seeds_needed=np.nan if d.significant or need is None else float(need),
                )
            rows.append(row)
        shares[label] = sum(s.shares for s in runs) / len(runs)
    return pd.DataFrame(rows).reindex(columns=TABLE_COLUMNS), shares


def _values(sums, label: str, metric: str, reps: list[int]) -> np.ndarray:
    """A metric over the replications, in replication order (NaN where missing): the seeds
    line up across profiles, so two such arrays are paired."""
    return np.array(
        [sums[(label, r)].metrics.get(metric, np.nan) if (label, r) in sums else np.nan
         for r in reps],
        dtype=float,
    )  # fmt: skip


def _unit(result: CompareResult, metric: str) -> str:
    units = metric_units(metric)
    if units != "USD":
        return ""
    basis = f"present value at {result.discount_rate_per_year:.0%}/yr"
    return f" ({display_units(units, basis)})"


def _cell(m: str, r: pd.Series) -> str:
    return format_interval(r["mean"], r["ci_low"], r["ci_high"], metric_units(m))


def _diff_cell(m: str, r: pd.Series) -> str:
    u = metric_units(m)
    sig = r["diff_significance"]
    if not isinstance(sig, str):
        return "n/a"
    if sig == "tie in every seed":
        return "0 (same in every seed)"
    text = format_interval(r["diff_mean"], r["diff_ci_low"], r["diff_ci_high"], u, signed=True)
    return text + ("" if sig == "significant" else " n.s.")


def _rows(result: CompareResult, metrics, cell) -> list[tuple[str, list[str]]]:
    wanted = [m.format(lab=result.focus_lab) for m in (metrics or HEADLINE_METRICS)]
    t = result.table.set_index(["profile", "metric"])
    out = []
    for m in wanted:
        if not any((label, m) in t.index for label in result.labels):
            continue
        out.append((m, [cell(m, t.loc[(label, m)]) if (label, m) in t.index else "n/a"
                        for label in result.labels]))  # fmt: skip
    return out


def _columns(header: list[str], body: list[list[str]]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *body]) for i in range(len(header))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *body]
    ]


def _legend(result: CompareResult) -> str:
    return (
        f"Paired differences from (1), same {result.replications} seeds: mean [95% "
        "t-interval]; n.s. = not significant (the interval covers 0)"
    )


def format_compare(result: CompareResult, metrics: tuple[str, ...] | None = None) -> str:
    """A plain-text table: metrics down, profiles across, ``mean [ci_low, ci_high]``; then
    the paired differences of profiles (2), (3), ... from (1)."""
    lines = [f"Strategies compared over {result.replications} seeds: mean [95% t-interval]"]
    for i, label in enumerate(result.labels, 1):
        lines.append(f"  ({i}) {label}")
    header = ["metric"] + [f"({i})" for i in range(1, len(result.labels) + 1)]
    rows = _rows(result, metrics, _cell)
    lines += _columns(header, [[m + _unit(result, m), *cells] for m, cells in rows])
    if len(result.labels) > 1:
        lines += ["", _legend(result)]
        diffs = _rows(result, metrics, _diff_cell)
        lines += _columns(
            ["metric"] + [f"({i}) - (1)" for i in range(2, len(result.labels) + 1)],
            [[m + _unit(result, m), *cells[1:]] for m, cells in diffs],
        )
        lines += compare_effect_lines(result.table, list(result.labels))
    return "\n".join(lines) + "\n"


def markdown_compare(result: CompareResult, metrics: tuple[str, ...] | None = None) -> str:
    """The same tables as Markdown (for the README and reports)."""
    out = ["| metric | " + " | ".join(result.labels) + " |", "|---|" + "---|" * len(result.labels)]
    for m, cells in _rows(result, metrics, _cell):
        out.append(f"| {m}{_unit(result, m)} | " + " | ".join(cells) + " |")
    if len(result.labels) > 1:
        others = result.labels[1:]
        out += ["", _legend(result).replace("(1)", result.labels[0]), ""]
        out += ["| metric | " + " | ".join(others) + " |", "|---|" + "---|" * len(others)]
        for m, cells in _rows(result, metrics, _diff_cell):
            out.append(f"| {m}{_unit(result, m)} | " + " | ".join(cells[1:]) + " |")
        out += compare_effect_lines(result.table, list(result.labels))
    return "\n".join(out) + "\n"


def plot_share_trajectories(result: CompareResult, path: str | Path, top: int = 5) -> Path:
    """One panel per profile: mean launch-mass share by quarter of the ``top`` providers."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from spacemarket.experiments.plots.figure import save_figure

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
    from spacemarket.experiments.outputs.files import atomic_write_text, write_frame

    out = Path(out)
    return [
        write_frame(result.table, out / f"{stem}.csv"),
        atomic_write_text(out / f"{stem}.txt", format_compare(result)),
        atomic_write_text(out / f"{stem}.md", markdown_compare(result)),
        plot_share_trajectories(result, out / f"{stem}_shares.png"),
    ]
