"""Per-policy summaries of a sweep's outcomes: means with 95 % t-intervals.

For each policy and outcome the interval is the Student-t confidence interval for the mean
over that policy's successful runs (every uncertainty sample and replication pooled):
``mean +- t(0.975, n - 1) * sd / sqrt(n)`` with ``sd`` the sample standard deviation (ddof 1)
and ``n`` the number of finite values. It describes the mean outcome over the design's
distribution of runs (sampling noise plus parameter uncertainty when the design samples
uncertainties); it is undefined (NaN) for n < 2.

Examples
--------
>>> lo, hi = t_interval([1.0, 2.0, 3.0])
>>> round(lo, 3), round(hi, 3)
(-0.484, 4.484)
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .outcomes import OUTCOMES

__all__ = [
    "LEVEL",
    "format_summary",
    "paired_differences",
    "summarize_outcomes",
    "summary_json",
    "t_interval",
]

#: Confidence level of the intervals.
LEVEL = 0.95

INTERVAL_TEXT = (
    "95% interval: Student-t confidence interval for the mean over the policy's successful "
    "runs (all samples and replications), mean +- t(0.975, n-1) sd/sqrt(n)"
)


def t_interval(values: Sequence[float], level: float = LEVEL) -> tuple[float, float]:
    """The two-sided ``level`` t-interval for the mean of ``values`` (NaNs dropped)."""
    from scipy import stats

    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    n = x.size
    if n < 2:
        return (math.nan, math.nan)
    mean = float(x.mean())
    sd = float(x.std(ddof=1))
    half = float(stats.t.ppf(0.5 + level / 2.0, n - 1)) * sd / math.sqrt(n)
    return (mean - half, mean + half)


def summarize_outcomes(
    table: pd.DataFrame, outcomes: Sequence[str], policies: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """One dict per policy (in ``policies`` order, default: first appearance in ``table``).

    Each has ``policy``, ``settings`` (the policy's overrides), ``runs`` (counts of ``ok``,
    ``error``, ``pending``) and ``outcomes``: ``{name: {"n", "mean", "sd", "ci_low",
    "ci_high", "units"}}`` over the policy's ok runs.
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
            lo, hi = t_interval(x)
            stats_by_outcome[name] = {
                "n": int(x.size),
                "mean": float(x.mean()) if x.size else math.nan,
                "sd": float(x.std(ddof=1)) if x.size > 1 else math.nan,
                "ci_low": lo,
                "ci_high": hi,
                "units": OUTCOMES[name].units if name in OUTCOMES else "",
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
    {"n", "mean", "ci_low", "ci_high"}}}`` (t-interval over the n pairs where both runs are ok).
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
            d = (other.loc[common, name] - base.loc[common, name]).to_numpy(dtype=float)
            d = d[np.isfinite(d)]
            lo, hi = t_interval(d)
            out[policy][name] = {
                "n": int(d.size),
                "mean": float(d.mean()) if d.size else math.nan,
                "ci_low": lo,
                "ci_high": hi,
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


def _num(v: float, units: str = "") -> str:
    if v is None or not math.isfinite(v):
        return "-"
    if units == "year":
        return f"{v:.2f}"
    a = abs(v)
    if a == 0:
        return "0"
    if a >= 1e6 or a < 1e-3:
        return f"{v:.4g}"
    if a >= 100:
        return f"{v:,.1f}"
    return f"{v:.4g}"


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
            ci = (
                f"[{_num(st['ci_low'], u)}, {_num(st['ci_high'], u)}]"
                if math.isfinite(st["ci_low"])
                else "-"
            )
            lines.append(f"  {name:<{width}} {_num(st['mean'], u):>12} {ci:>27} {st['n']:>5}  {u}")
        diff = (differences or {}).get(pol["policy"])
        if diff:
            lines.append(f"  minus {baseline}, paired on sample and replication:")
            for name, st in diff.items():
                u = pol["outcomes"][name]["units"]
                u = "years" if u == "year" else u
                ci = (
                    f"[{_num(st['ci_low'])}, {_num(st['ci_high'])}]"
                    if math.isfinite(st["ci_low"])
                    else "-"
                )
                lines.append(f"  {name:<{width}} {_num(st['mean']):>12} {ci:>27} {st['n']:>5}  {u}")
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
