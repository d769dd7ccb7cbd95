"""Fixtures every test directory shares: sweep snapshots, design files, the CLI in a subprocess.

A directory that runs sweeps (``sweep/``, ``robustness/``) defines only its own design in its
conftest (``write_design`` and ``reference_sweep`` through :func:`design_writer` and
:func:`sweep_reference`); the helpers that compare sweeps live here once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def _snapshot(out: Path) -> dict[str, object]:
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


def _assert_same_sweep(a: Path, b: Path) -> None:
    sa, sb = _snapshot(a), _snapshot(b)
    assert sorted(sa) == sorted(sb), "the two sweeps wrote different sets of files"
    for rel in sa:
        assert sa[rel] == sb[rel], f"{rel} differs"
    assert (a / "outcomes.parquet").read_bytes() == (b / "outcomes.parquet").read_bytes()


@pytest.fixture(scope="session")
def snapshot():
    """``snapshot(DIR)``: {relative path: bytes (or outcomes.json minus wall time)}."""
    return _snapshot


@pytest.fixture(scope="session")
def assert_same_sweep():
    """``assert_same_sweep(a, b)``: same files, byte-identical outcomes and run frames."""
    return _assert_same_sweep


@pytest.fixture(scope="session")
def design_writer():
    """``design_writer(tmp_path, default_text)`` -> ``write(text=default, name=..., replace=...)``.

    ``replace`` holds literal text replacements applied to the design (each must match).
    """

    def make(tmp_path: Path, default: str):
        def write(text: str = default, name: str = "design.toml", replace=None) -> Path:
            for old, new in (replace or {}).items():
                assert old in text, f"{old!r} is not in the design"
                text = text.replace(old, new)
            path = tmp_path / name
            path.write_text(text, encoding="utf-8")
            return path

        return write

    return make


@pytest.fixture(scope="session")
def sweep_reference():
    """``sweep_reference(root, text, n_runs)``: sweep ``text`` once in-process into
    ``root/out`` (checking all ``n_runs`` succeed) and return that directory."""
    from spacemarket.experiments.sweeps.runner import run_sweep

    def run(root: Path, text: str, n_runs: int) -> Path:
        design = root / "design.toml"
        design.write_text(text, encoding="utf-8")
        report = run_sweep(design, root / "out", workers=1, quiet=True)
        assert (report.planned, report.ok, report.failed) == (n_runs, n_runs, 0)
        return root / "out"

    return run


@pytest.fixture(scope="session")
def cli_command():
    """The argv prefix that runs the ``spacemarket`` CLI with this interpreter."""
    return [sys.executable, "-m", "spacemarket.experiments.cli"]


@pytest.fixture(scope="session")
def spacemarket_cli(cli_command):
    """Run ``python -m spacemarket.experiments.cli ARGS`` in a subprocess."""

    def run(*args: str, timeout: float = 120, **kwargs) -> subprocess.CompletedProcess:
        env = {**os.environ, "PYTHONHASHSEED": "random", "MPLBACKEND": "Agg"}
        return subprocess.run(
            [*cli_command, *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
            **kwargs,
        )

    return run
