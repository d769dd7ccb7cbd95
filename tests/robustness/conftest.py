"""The robustness tests' sweep design (helpers shared with the sweep tests: tests/conftest.py).

The design is 2 Latin-hypercube samples x 2 policies x 3
replications = 12 runs of 6 quarters of ``backtest-2023`` (about 0.1 s per run).
"""

from __future__ import annotations

from pathlib import Path

import pytest

DESIGN = """\
scenario = "backtest-2023"
steps = 6
replications = 3
root_seed = 4711
outcomes = [
    "spacex_mass_share_final",
    "launch_price_index_final",
    "hhi_launch_mass_final",
    "falcon_launches_total",
    "spacex_profit_total_usd",
]

[sampling]
method = "lhs"
samples = 2

[uncertainties."external_demand.growth_per_year"]
low = 0.05
high = 0.20

[uncertainties."compute.grid_delay_quarters"]
kind = "int"
low = 4
high = 12

[levers]
"compute.launch_bargaining_weight" = [0.3, 0.7]
"""

#: Runs in :data:`DESIGN`.
N_RUNS = 12


@pytest.fixture
def write_design(tmp_path, design_writer):
    """``write_design(text=DESIGN, name="design.toml")`` -> path of the written design."""
    return design_writer(tmp_path, DESIGN)


@pytest.fixture(scope="session")
def reference_sweep(tmp_path_factory, sweep_reference) -> Path:
    """:data:`DESIGN` swept once in-process (``workers=1``); the output directory."""
    return sweep_reference(tmp_path_factory.mktemp("robustness-reference"), DESIGN, N_RUNS)


@pytest.fixture(scope="session")
def design_runs() -> int:
    """:data:`N_RUNS`."""
    return N_RUNS
