"""``compare`` and ``summarize`` tables: the same quantity printed the same way, paired
differences from the status quo with intervals, bounded quantities kept in their range."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from spacemarket.experiments.integration.compare import (
    CompareResult,
    format_compare,
    markdown_compare,
    tabulate,
)
from spacemarket.experiments.integration.runs import RunSummary
from spacemarket.experiments.sweeps.summarize import (
    format_summary,
    paired_differences,
    summarize_outcomes,
)

SPACEX_PROFIT_USD = 123.456e9


def _runs(metrics_by_label: dict[str, dict[str, list[float]]]) -> dict:
    """Fake run summaries: label -> metric -> one value per replication."""
    sums = {}
    for label, metrics in metrics_by_label.items():
        n = len(next(iter(metrics.values())))
        for r in range(n):
            vals = {m: v[r] for m, v in metrics.items()}
            sums[(label, r)] = RunSummary({}, vals, pd.DataFrame())
    return sums


def _compare(metrics_by_label) -> CompareResult:
    labels = list(metrics_by_label)
    table, shares = tabulate(_runs(metrics_by_label), labels)
    n = len(next(iter(next(iter(metrics_by_label.values())).values())))
    return CompareResult(table, shares, labels, n, "OpenAI", 0.08)


def _sweep_table(values: dict[str, list[float]], outcome: str) -> pd.DataFrame:
    rows = []
    for policy, vals in values.items():
        for r, v in enumerate(vals):
            rows.append({"policy": policy, "policy_settings": "{}", "status": "ok",
                         "sample": 0, "replication": r, outcome: v})  # fmt: skip
    return pd.DataFrame(rows)


def test_compare_and_summarize_print_a_firms_profit_the_same_way():
    profit = [SPACEX_PROFIT_USD] * 3
    cmp_text = format_compare(_compare({"status quo": {"profit_usd__SpaceX": profit}}))
    table = _sweep_table({"status quo": profit}, "spacex_profit_total_usd")
    summary = summarize_outcomes(table, ["spacex_profit_total_usd"])
    sum_text = format_summary(summary, [])
    # same scale and format: USD billions, two decimals; never scientific notation
    assert "123.46 [123.46, 123.46]" in cmp_text
    assert "123.46" in sum_text and "[123.46, 123.46]" in sum_text
    assert "e+11" not in cmp_text + sum_text
    # units in the label, with what differs between the two said outright
    assert "profit_usd__SpaceX (USD bn, present value at 8%/yr)" in cmp_text
    assert "USD bn, nominal, undiscounted sum" in sum_text
    # the machine-readable values stay in USD
    assert summary[0]["outcomes"]["spacex_profit_total_usd"]["mean"] == pytest.approx(
        SPACEX_PROFIT_USD
    )


def test_compare_prints_paired_differences_from_the_first_profile():
    base = [10e9, 12e9, 14e9, 16e9]
    result = _compare(
        {
            "status quo": {"profit_usd__SpaceX": base, "share_mass__Stoke": [0.01, 0.0, 0.0, 0.01]},
            "noisy": {"profit_usd__SpaceX": [b + d for b, d in zip(base, [3e9, -2e9, 2e9, -1.5e9],
                                                                        strict=True)],
                      "share_mass__Stoke": [0.01, 0.0, 0.0, 0.01]},
            "clear": {"profit_usd__SpaceX": [b + d for b, d in zip(base, [0.9e9, 1.0e9, 1.1e9, 1.0e9],
                                                                        strict=True)],
                      "share_mass__Stoke": [0.02, 0.01, 0.01, 0.02]},
        }
    )  # fmt: skip
    t = result.table.set_index(["profile", "metric"])
    noisy = t.loc[("noisy", "profit_usd__SpaceX")]
    assert noisy.diff_mean == pytest.approx(0.375e9)
    assert noisy.diff_ci_low < 0 < noisy.diff_ci_high
    assert noisy.diff_significance == "not significant" and noisy.diff_seeds_needed > 4
    clear = t.loc[("clear", "profit_usd__SpaceX")]
    assert clear.diff_significance == "significant" and clear.diff_ci_low > 0
    # paired: the profiles' own intervals overlap widely, the difference does not cover 0
    assert clear.ci_low < t.loc[("status quo", "profit_usd__SpaceX")].ci_high
    assert pd.isna(t.loc[("status quo", "profit_usd__SpaceX")].diff_mean)
    assert t.loc[("noisy", "share_mass__Stoke")].diff_significance == "tie in every seed"
    text = format_compare(result)
    assert "Paired differences from (1), same 4 seeds" in text
    line = next(ln for ln in text.splitlines()[8:] if ln.startswith("profit_usd__SpaceX"))
    # by hand: d = (3, -2, 2, -1.5) bn, mean 0.375, sd 2.4958, t(0.975, 3) = 3.1824,
    # half-width 3.9714; d = (0.9, 1.0, 1.1, 1.0) bn, sd 0.08165, half-width 0.1299
    assert "+0.38 [-3.60, +4.35] n.s." in line and "+1.00 [+0.87, +1.13]" in line
    assert "+1.00 [+0.87, +1.13] n.s." not in line
    assert "0 (same in every seed)" in text
    md = markdown_compare(result)
    assert "Paired differences from status quo" in md and "n.s." in md


def test_share_intervals_are_clipped_to_the_unit_interval():
    result = _compare({"a": {"share_mass__Stoke": [0.0, 0.012, 0.001],
                             "hhi_launch_mass": [9990.0, 9999.0, 9950.0]}})  # fmt: skip
    t = result.table.set_index("metric")
    assert t.loc["share_mass__Stoke"].ci_low == 0.0
    assert 0.0 < t.loc["share_mass__Stoke"].ci_high < 1.0
    assert t.loc["hhi_launch_mass"].ci_high == 10_000.0
    table = _sweep_table({"p": [0.0, 0.012, 0.001]}, "spacex_mass_share_final")
    st = summarize_outcomes(table, ["spacex_mass_share_final"])[0]["outcomes"]
    assert st["spacex_mass_share_final"]["ci_low"] == 0.0


def test_summarize_marks_differences_that_are_not_significant():
    table = _sweep_table(
        {"a": [10e9, 12e9, 14e9, 16e9], "b": [13e9, 10e9, 16e9, 14.5e9]}, "spacex_profit_total_usd"
    )
    diff = paired_differences(table, ["spacex_profit_total_usd"], "a")
    st = diff["b"]["spacex_profit_total_usd"]
    assert st["significance"] == "not significant" and st["seeds_needed"] > 4
    text = format_summary(summarize_outcomes(table, ["spacex_profit_total_usd"]), [],
                          differences=diff, baseline="a")  # fmt: skip
    line = next(ln for ln in text.splitlines() if "+0.38" in ln)
    assert "[-3.60, +4.35]" in line and "not significant (~" in line
    json.dumps(diff)  # seeds_needed and significance serialize
