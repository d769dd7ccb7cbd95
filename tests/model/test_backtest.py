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


#: Known misses, each with why (deterministic on SEEDS, so strict: a fix shows up as XPASS).
KNOWN_MISSES = {
    ("starlink_share_of_falcon", 2024): (
        "biased high: seed mean ~0.715 against 0.66 observed (too few external Falcon missions "
        "in 2024); it sat at the band's edge (max 0.7199) and one seed's anomaly draws cross "
        "it (0.728) since anomalies are drawn by inverse transform for common random numbers; "
        "the external-market re-fit on 2023-2025 is issue 15"
    ),
}


def _cases():
    for key in OBSERVED:
        marks = ([pytest.mark.xfail(reason=KNOWN_MISSES[key], strict=True)]
                 if key in KNOWN_MISSES else [])  # fmt: skip
        yield pytest.param(key, marks=marks, id=f"{key[0]}-{key[1]}")


@pytest.mark.parametrize("key", list(_cases()))
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
