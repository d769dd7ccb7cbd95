"""Shared fixtures for the sweep tests: a small design on the back-test and a reference sweep.

The standard design is 3 Latin-hypercube samples x 2 policies x 3 replications = 18 runs of
2 quarters of ``backtest-2023`` (about 0.1 s per run). ``reference_sweep`` runs it once,
in-process (``workers=1``), and the other tests compare their outputs with it byte for byte.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
def write_design(tmp_path):
    """``write_design(text=DESIGN, name="design.toml", replace={"old": "new"})`` -> path.

    ``replace`` holds literal text replacements applied to the design (each must match).
    """

    def write(text: str = DESIGN, name: str = "design.toml", replace=None) -> Path:
        for old, new in (replace or {}).items():
            assert old in text, f"{old!r} is not in the design"
            text = text.replace(old, new)
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def reference_sweep(tmp_path_factory) -> Path:
    """The standard design swept once, in-process; the directory of its outputs."""
    from spacemarket.experiments.sweeps.runner import run_sweep

    root = tmp_path_factory.mktemp("reference")
    design = root / "design.toml"
    design.write_text(DESIGN, encoding="utf-8")
    report = run_sweep(design, root / "out", workers=1, quiet=True)
    assert (report.planned, report.ok, report.failed) == (N_RUNS, N_RUNS, 0)
    return root / "out"


def _snapshot(out: Path) -> dict[str, object]:
    """Every file of a sweep directory except the manifest: bytes, or the parsed JSON
    without its wall time for per-run outcomes.json."""
    snap: dict[str, object] = {}
    for path in sorted(out.rglob("*")):
        if not path.is_file() or path.name == "manifest.json":
            continue
        rel = path.relative_to(out).as_posix()
        if path.name == "outcomes.json":
            doc = json.loads(path.read_text())
            doc.pop("wall_time_s")
            snap[rel] = doc
        else:
            snap[rel] = path.read_bytes()
    return snap


@pytest.fixture(scope="session")
def snapshot():
    """``snapshot(DIR)``: {relative path: bytes (or outcomes.json minus wall time)}."""
    return _snapshot


@pytest.fixture(scope="session")
def assert_same_sweep():
    """``assert_same_sweep(a, b)``: same files, byte-identical outcomes and run frames."""

    def check(a: Path, b: Path) -> None:
        sa, sb = _snapshot(a), _snapshot(b)
        assert sorted(sa) == sorted(sb), "the two sweeps wrote different sets of files"
        for rel in sa:
            assert sa[rel] == sb[rel], f"{rel} differs"
        assert (a / "outcomes.parquet").read_bytes() == (b / "outcomes.parquet").read_bytes()

    return check


@pytest.fixture(scope="session")
def spacemarket_cli():
    """Run ``python -m spacemarket.experiments.cli ARGS`` in a subprocess."""

    def run(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
        cmd = [sys.executable, "-m", "spacemarket.experiments.cli", *map(str, args)]
        env = {**os.environ, "PYTHONHASHSEED": "random", "MPLBACKEND": "Agg"}
        return subprocess.run(
            cmd, capture_output=True, text=True, timeout=timeout, env=env, **kwargs
        )

    return run


@pytest.fixture(scope="session")
def cli_command():
    """The argv prefix that runs the ``spacemarket`` CLI with this interpreter."""
    return [sys.executable, "-m", "spacemarket.experiments.cli"]
