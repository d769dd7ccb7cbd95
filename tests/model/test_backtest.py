"""The 2023-2025 back-test of issue 4, asserted per year over several seeds."""

import pytest

from spacemarket.market.model.backtest import (
    FIRST_FLIGHTS,
    OBSERVED,
    backtest_table,
    entrant_violations,
)
from spacemarket.market.model.results import run_scenario

SEEDS = range(6)


@pytest.fixture(scope="module")
def table():
    return backtest_table(SEEDS)


@pytest.mark.parametrize("key", list(OBSERVED), ids=[f"{m}-{y}" for m, y in OBSERVED])
def test_backtest_metric_within_band_for_every_seed(table, key):
    row = table[(table.metric == key[0]) & (table.year == key[1])].iloc[0]
    assert row.passes_every_seed, (
        f"{key}: simulated {row.simulated_min:.3f}..{row.simulated_max:.3f}, "
        f"band {row.low:.3f}..{row.high:.3f}"
    )


def test_no_entrant_flies_before_its_observed_first_flight(table):
    assert table.attrs["entrant_violations"] == 0


def test_entrant_check_detects_an_early_flight():
    r = run_scenario("backtest-2023", seed=0)
    early = r.vehicles.copy()
    idx = early.index[(early.vehicle == "new-glenn") & (early.quarter == "2024Q2")]
    early.loc[idx, "launches"] = 1.0
    assert entrant_violations(r.milestones, early) == ["new-glenn"]
    assert set(FIRST_FLIGHTS) <= {"new-glenn", "nova", "neutron"}
