"""Per-policy summaries of a sweep's outcomes: means with 95 % t-intervals.

For each policy and outcome the interval is the Student-t confidence interval for the mean
over that policy's successful runs (every uncertainty sample and replication pooled):
``mean +- t(0.975, n - 1) * sd / sqrt(n)`` with ``sd`` the sample standard deviation (ddof 1)
and ``n`` the number of finite values. It describes the mean outcome over the design's
distribution of runs (sampling noise plus parameter uncertainty when the design samples
uncertainties); it is undefined (NaN) for n < 2. Intervals of bounded quantities (fractions,
HHI: :data:`~spacemarket.experiments.sweeps.outcomes.UNIT_BOUNDS`) are clipped to their range.
Differences between policies are paired on (sample, replication) - common random numbers -
and marked "not significant" when their interval covers zero. The statistics live in one
place, :mod:`spacemarket.market.games.paired` (:func:`t_interval` is re-exported here).

Every table prints a quantity the same way (:func:`format_value`, :func:`display_units`):
amounts in USD in billions with two decimals, fractions with three, and the basis of an
amount (present value, nominal sum) beside its units.

Examples
--------
>>> lo, hi = t_interval([1.0, 2.0, 3.0])
>>> round(lo, 3), round(hi, 3)
(-0.484, 4.484)
>>> t_interval([0.0, 0.01, 0.0], bounds=(0.0, 1.0))[0]
0.0
>>> format_value(153.6e9, "USD"), display_units("USD", "present value at 8%/yr")
('153.60', 'USD bn, present value at 8%/yr')
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from spacemarket.experiments.sweeps.outcomes import OUTCOMES
from spacemarket.market.games.paired import LEVEL, PairedDifference, t_interval

__all__ = [
    "LEVEL",
    "USD_SCALE",
    "display_units",
    "format_interval",
    "format_summary",
    "format_value",
    "paired_differences",
    "summarize_outcomes",
    "summary_json",
    "t_interval",
]

#: Amounts in USD are printed in billions in every table.
USD_SCALE = 1e9

INTERVAL_TEXT = (
    "95% interval: Student-t confidence interval for the mean over the policy's successful "
    "runs (all samples and replications), mean +- t(0.975, n-1) sd/sqrt(n); intervals of "
    "bounded quantities are clipped to their range (fractions [0, 1], HHI [0, 10,000], "
    "capacities, prices and counts >= 0); differences are paired on "
    "sample and replication, 'not significant' when their interval covers 0"
)


def format_value(
    value: float | None, units: str = "", signed: bool = False, ref: float | None = None
) -> str:
    """One number as every table prints it: ``"USD"`` amounts in billions (2 decimals),
    fractions with 3 decimals, years with 2; other values with separators and no decimals
    from 100 up, 2 decimals from 1 up, 3 significant digits below. ``ref``: the magnitude
    that picks the format (so a mean and its interval print alike), default ``value``.

    >>> format_value(1.2345e11, "USD"), format_value(0.04, "fraction", signed=True)
    ('123.45', '+0.040')
    >>> format_value(89.48, "MW"), format_value(89.48, "MW", ref=278.0)
    ('89.48', '89')
    """
    if value is None or not math.isfinite(value):
        return "n/a"
    if signed and value == 0:
        return "0"
    sign = "+" if signed else ""
    if units == "USD":
        return f"{value / USD_SCALE:{sign},.2f}"
    if units == "fraction":
        return f"{value:{sign}.3f}"
    if units == "year":
        return f"{value:{sign}.2f}"
    a = abs(value if ref is None or not math.isfinite(ref) else ref)
    if value == 0:
        return "0"
    if a >= 1e15:
        return f"{value:{sign}.4g}"
    if a >= 100:
        return f"{value:{sign},.0f}"
    if a >= 1:
        return f"{value:{sign}.2f}"
    return f"{value:{sign}.3g}"


def format_interval(
    mean: float, lo: float, hi: float, units: str = "", signed: bool = False
) -> str:
    """``"mean [lo, hi]"`` in one format (:func:`format_value`; the mean alone without an
    interval)."""
    finite = [abs(v) for v in (mean, lo, hi) if v is not None and math.isfinite(v)]
    ref = max(finite) if finite else None
    head = format_value(mean, units, signed, ref)
    if lo is None or not math.isfinite(lo):
        return head
    return (
        f"{head} [{format_value(lo, units, signed, ref)}, {format_value(hi, units, signed, ref)}]"
    )


def display_units(units: str, basis: str = "") -> str:
    """The units as printed: ``"USD"`` becomes ``"USD bn"``, followed by the basis."""
    shown = "USD bn" if units == "USD" else units
    return f"{shown}, {basis}" if basis else shown


def summarize_outcomes(
    table: pd.DataFrame, outcomes: Sequence[str], policies: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """One dict per policy (in ``policies`` order, default: first appearance in ``table``).

    Each has ``policy``, ``settings`` (the policy's overrides), ``runs`` (counts of ``ok``,
    ``error``, ``pending``) and ``outcomes``: ``{name: {"n", "mean", "sd", "ci_low",
    "ci_high", "units", "basis"}}`` over the policy's ok runs (intervals of bounded
    quantities clipped to their range).
    """
    order = list(policies) if policies is not None else list(dict.fromkeys(table["policy"]))
    out = []
    for policy in order:
        rows = table[table["policy"] == policy]
        ok = rows[rows["status"] == "ok"]
        settings = json.loads(rows["policy_settings"].iloc[0]) if len(rows) else {}
        stats_by_outcome = {}
        for name in outcomes:
            x = ok[name].to_numpy(dtype=float) if name in ok else np.array([])
            x = x[np.isfinite(x)]
            known = OUTCOMES.get(name)
            lo, hi = t_interval(x, bounds=known.bounds if known else None)
            stats_by_outcome[name] = {
                "n": int(x.size),
                "mean": float(x.mean()) if x.size else math.nan,
                "sd": float(x.std(ddof=1)) if x.size > 1 else math.nan,
                "ci_low": lo,
                "ci_high": hi,
                "units": known.units if known else "",
                "basis": known.basis if known else "",
            }
        out.append(
            {
                "policy": policy,
                "settings": settings,
                "runs": {s: int((rows["status"] == s).sum()) for s in ("ok", "error", "pending")},
                "outcomes": stats_by_outcome,
            }
        )
    return out


def paired_differences(
    table: pd.DataFrame, outcomes: Sequence[str], baseline: str
) -> dict[str, dict[str, dict[str, float]]]:
    """Each policy minus ``baseline``, paired on (sample, replication): common random numbers.

    Runs of different policies with the same sample and replication share their seed and
    sampled values, so the per-pair difference removes that noise. Returns ``{policy: {name:
    {"n", "mean", "ci_low", "ci_high", "significance", "seeds_needed"}}}`` (t-interval over
    the n pairs where both runs are ok; ``significance`` is ``"significant"``, ``"not
    significant"`` - the interval covers 0 - or ``"tie in every seed"``; ``seeds_needed``
    estimates the pairs that would settle a non-significant difference, see
    :class:`~spacemarket.market.games.paired.PairedDifference`).
    """
    ok = table[table["status"] == "ok"]
    base = ok[ok["policy"] == baseline].set_index(["sample", "replication"])
    out: dict[str, dict[str, dict[str, float]]] = {}
    for policy in dict.fromkeys(table["policy"]):
        if policy == baseline:
            continue
        other = ok[ok["policy"] == policy].set_index(["sample", "replication"])
        common = base.index.intersection(other.index)
        out[policy] = {}
        for name in outcomes:
            d = PairedDifference.of(
                other.loc[common, name].to_numpy(dtype=float),
                base.loc[common, name].to_numpy(dtype=float),
            )
            out[policy][name] = {
                "n": d.n,
                "mean": d.mean,
                "ci_low": d.ci_low,
                "ci_high": d.ci_high,
                "significance": d.verdict,
                "seeds_needed": None if d.significant else d.seeds_needed,
            }
    return out


def _none_for_nan(obj: Any) -> Any:
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _none_for_nan(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_none_for_nan(v) for v in obj]
    return obj


def summary_json(
    summary: list[dict[str, Any]],
    errors: list[dict[str, str]],
    differences: dict[str, Any] | None = None,
    baseline: str | None = None,
) -> str:
    """Machine-readable summary (NaN as null)."""
    doc: dict[str, Any] = {
        "interval": INTERVAL_TEXT,
        "level": LEVEL,
        "policies": summary,
        "errors": errors,
    }
    if differences is not None:
        doc["baseline"] = baseline
        doc["differences"] = differences
    return json.dumps(_none_for_nan(doc), indent=2, allow_nan=False)


def _interval(mean: float, lo: float, hi: float, units: str, signed: bool = False) -> str:
    """The ``[lo, hi]`` column of a summary row, in the format of the row's mean."""
    if lo is None or not math.isfinite(lo):
        return "-"
    return format_interval(mean, lo, hi, units, signed).split(" ", 1)[1]


def _mean(mean: float, lo: float, hi: float, units: str, signed: bool = False) -> str:
    return format_interval(mean, lo, hi, units, signed).split(" ", 1)[0]


def _verdict(st: dict[str, Any]) -> str:
    """``"  not significant (~N seeds)"`` and the like, for a paired difference."""
    sig = st.get("significance")
    if sig is None or sig == "significant":
        return ""
    need = st.get("seeds_needed")
    return f"  {sig}" + (f" (~{need} pairs would settle it)" if need else "")


def format_summary(
    summary: list[dict[str, Any]],
    errors: list[dict[str, str]],
    header: str = "",
    differences: dict[str, Any] | None = None,
    baseline: str | None = None,
) -> str:
    """Human-readable per-policy tables (one row per outcome, with units)."""
    lines = [header, ""] if header else []
    for pol in summary:
        runs = pol["runs"]
        counts = f"{runs['ok']} ok, {runs['error']} failed"
        if runs["pending"]:
            counts += f", {runs['pending']} not run yet"
        lines.append(f"policy {pol['policy']}  ({counts})")
        if pol["settings"]:
            lines.append(
                "  settings: " + ", ".join(f"{k} = {v!r}" for k, v in pol["settings"].items())
            )
        width = max([len(n) for n in pol["outcomes"]] + [7])
        lines.append(f"  {'outcome':<{width}} {'mean':>12} {'95% interval':>27} {'n':>5}  units")
        for name, st in pol["outcomes"].items():
            u = st["units"]
            lines.append(
                f"  {name:<{width}} {_mean(st['mean'], st['ci_low'], st['ci_high'], u):>12} "
                f"{_interval(st['mean'], st['ci_low'], st['ci_high'], u):>27} {st['n']:>5}  "
                f"{display_units(u, st.get('basis', ''))}"
            )
        diff = (differences or {}).get(pol["policy"])
        if diff:
            lines.append(f"  minus {baseline}, paired on sample and replication:")
            for name, st in diff.items():
                u = pol["outcomes"][name]["units"]
                shown = display_units(
                    "years" if u == "year" else u, pol["outcomes"][name].get("basis", "")
                )
                lines.append(
                    f"  {name:<{width}} "
                    f"{_mean(st['mean'], st['ci_low'], st['ci_high'], u, signed=True):>12} "
                    f"{_interval(st['mean'], st['ci_low'], st['ci_high'], u, signed=True):>27} "
                    f"{st['n']:>5}  {shown}{_verdict(st)}"
                )
        lines.append("")
    if errors:
        lines.append(f"failed runs ({len(errors)}):")
        for e in errors[:20]:
            lines.append(f"  {e['run_id']}: {e['error']}")
        if len(errors) > 20:
            lines.append(f"  ... and {len(errors) - 20} more (see runs/<run_id>/outcomes.json)")
        lines.append("")
    lines.append(INTERVAL_TEXT)
    return "\n".join(lines)
