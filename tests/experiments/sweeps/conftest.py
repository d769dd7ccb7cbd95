"""The sweep tests' design on the back-test and its reference sweep (helpers: tests/conftest.py).

The standard design is 3 Latin-hypercube samples x 2 policies x 3 replications = 18 runs of
2 quarters of ``backtest-2023`` (about 0.1 s per run). ``reference_sweep`` runs it once,
in-process (``workers=1``), and the other tests compare their outputs with it byte for byte.
"""

from __future__ import annotations

from pathlib import Path

import pytest

DESIGN = """\
scenario = "backtest-2023"
steps = 2
replications = 3
root_seed = 2026
outcomes = [
    "spacex_mass_share_final",
    "launch_price_index_final",
    "hhi_launch_mass_final",
    "falcon_launches_total",
    "spacex_profit_total_usd",
    "starship_first_flight_year",
]

[sampling]
method = "lhs"
samples = 3

[uncertainties."external_demand.growth_per_year"]
low = 0.05
high = 0.20

[uncertainties."vehicles.starship.first_flight"]
kind = "quarter"
low = "2026Q4"
high = "2029Q4"

[uncertainties."compute.grid_delay_quarters"]
kind = "int"
low = 4
high = 12

[levers]
"compute.launch_bargaining_weight" = [0.3, 0.7]
"""

#: Runs in the standard design.
N_RUNS = 18


@pytest.fixture(scope="session")
def design_text() -> str:
    """The standard design's TOML text."""
    return DESIGN


@pytest.fixture
def write_design(tmp_path, design_writer):
    """``write_design(text=DESIGN, name="design.toml", replace={"old": "new"})`` -> path."""
    return design_writer(tmp_path, DESIGN)


@pytest.fixture(scope="session")
def reference_sweep(tmp_path_factory, sweep_reference) -> Path:
    """The standard design swept once, in-process; the directory of its outputs."""
    return sweep_reference(tmp_path_factory.mktemp("reference"), DESIGN, N_RUNS)
