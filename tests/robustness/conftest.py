"""Shared helpers of the robustness tests: a small sweep design and sweep-directory snapshots.

The helpers mirror ``tests/sweep/conftest.py`` (which is not importable from here: the test
directories are not packages). The design is 2 Latin-hypercube samples x 2 policies x 3
replications = 12 runs of 6 quarters of ``backtest-2023`` (about 0.1 s per run).
"""

from __future__ import annotations

import json
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


def snapshot(out: Path) -> dict[str, object]:
    """Every file of a sweep directory except the manifest: bytes, or the parsed JSON without
    its wall time for per-run ``outcomes.json``."""
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


def assert_same_sweep(a: Path, b: Path) -> None:
    """Same files; byte-identical outcomes.parquet, plan and run frames."""
    sa, sb = snapshot(a), snapshot(b)
    assert sorted(sa) == sorted(sb), "the two sweeps wrote different sets of files"
    for rel in sa:
        assert sa[rel] == sb[rel], f"{rel} differs"
    assert (a / "outcomes.parquet").read_bytes() == (b / "outcomes.parquet").read_bytes()


@pytest.fixture
def write_design(tmp_path):
    """``write_design(text=DESIGN, name="design.toml")`` -> path of the written design."""

    def write(text: str = DESIGN, name: str = "design.toml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture(scope="session")
def reference_sweep(tmp_path_factory) -> Path:
    """:data:`DESIGN` swept once in-process (``workers=1``); the output directory."""
    from spacemarket.experiments.sweeps.runner import run_sweep

    root = tmp_path_factory.mktemp("robustness-reference")
    design = root / "design.toml"
    design.write_text(DESIGN, encoding="utf-8")
    report = run_sweep(design, root / "out", workers=1, quiet=True)
    assert (report.planned, report.ok, report.failed) == (N_RUNS, N_RUNS, 0)
    return root / "out"


@pytest.fixture(scope="session")
def same_sweep():
    """The :func:`assert_same_sweep` helper (test modules cannot import this conftest)."""
    return assert_same_sweep


@pytest.fixture(scope="session")
def design_runs() -> int:
    """:data:`N_RUNS`."""
    return N_RUNS
