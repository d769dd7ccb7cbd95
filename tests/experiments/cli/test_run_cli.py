"""``spacemarket run``: reproducible outputs, bad input, and the share plots."""

import filecmp
import json
import os
import subprocess
import sys
from importlib import resources

import numpy as np
import pandas as pd
import pytest

from spacemarket.experiments.cli.app import main
from spacemarket.experiments.plots.figure import save_figure
from spacemarket.experiments.plots.shares import (
    CAPTIVE_LABEL,
    mass_shares,
    plot_mass_shares,
    plot_share_bands,
)

PRESET = "backtest-2023"
STEPS = "4"
TABLES = ("firms", "market", "vehicles")


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """Three runs of the back-test: seed 1 twice (one with --csv) and seed 2."""
    root = tmp_path_factory.mktemp("runs")
    dirs = {}
    for name, seed, extra in (("a", "1", ["--csv"]), ("b", "1", ["--csv"]), ("c", "2", [])):
        d = root / name
        code = main(
            ["run", PRESET, "--seed", seed, "--out", str(d), "--steps", STEPS, "--quiet", *extra]
        )
        assert code == 0
        dirs[name] = d
    return dirs


def test_same_seed_gives_byte_identical_files(runs):
    a, b = runs["a"], runs["b"]
    names = [f"{t}.{ext}" for t in TABLES for ext in ("parquet", "csv")]
    names += ["shares.png", "shares.svg", "summary.txt"]
    for name in names:
        assert (a / name).is_file(), name
        assert filecmp.cmp(a / name, b / name, shallow=False), f"{name} differs between runs"
    ma, mb = (json.loads((d / "manifest.json").read_text()) for d in (a, b))
    assert ma.pop("wall_time_s") >= 0 and mb.pop("wall_time_s") >= 0
    assert ma == mb


def test_same_seed_in_another_process_gives_the_same_parquet_bytes(runs, tmp_path):
    """Reproducible across processes too (string hashing, hence set order, is per process)."""
    out = tmp_path / "p"
    env = {**os.environ, "PYTHONHASHSEED": "12345", "MPLBACKEND": "Agg"}
    proc = subprocess.run(
        [sys.executable, "-m", "spacemarket.experiments.cli", "run", PRESET, "--seed", "1",
         "--out", str(out), "--steps", STEPS, "--quiet"],
        capture_output=True, text=True, check=False, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    for t in TABLES:
        assert filecmp.cmp(runs["a"] / f"{t}.parquet", out / f"{t}.parquet", shallow=False), t
    assert filecmp.cmp(runs["a"] / "shares.svg", out / "shares.svg", shallow=False)


def test_manifest_records_the_run(runs):
    doc = json.loads((runs["a"] / "manifest.json").read_text())
    assert doc["scenario"] == PRESET and doc["seed"] == 1 and doc["steps"] == int(STEPS)
    assert doc["scenario_source"].endswith(f"{PRESET}.toml")
    assert len(doc["scenario_sha256"]) == 64
    assert doc["quarters"] == ["2023Q1", "2023Q4"]
    assert isinstance(doc["milestones"], dict)
    assert "pandas" in doc["versions"] and "git_commit" in doc
    assert {"firms.parquet", "shares.png", "shares.svg"} <= set(doc["files"])
    assert not (runs["c"] / "firms.csv").exists()  # CSV only on request


def test_tables_are_the_run(runs):
    firms = pd.read_parquet(runs["a"] / "firms.parquet")
    market = pd.read_parquet(runs["a"] / "market.parquet")
    vehicles = pd.read_parquet(runs["a"] / "vehicles.parquet")
    assert list(market["quarter"]) == ["2023Q1", "2023Q2", "2023Q3", "2023Q4"]
    assert set(firms["step"]) == {1, 2, 3, 4} and set(vehicles["step"]) == {1, 2, 3, 4}
    layer = firms[firms["kind"].isin(["launch", "captive"])]
    assert np.allclose(layer.groupby("quarter")["share_mass"].sum(), 1.0)
    csv = pd.read_csv(runs["a"] / "firms.csv")
    assert list(csv.columns) == list(firms.columns) and len(csv) == len(firms)


def test_different_seeds_give_different_runs(runs):
    a = pd.read_parquet(runs["a"] / "firms.parquet")
    c = pd.read_parquet(runs["c"] / "firms.parquet")
    assert a.shape == c.shape
    assert not a.equals(c)


def test_summary_printed_unless_quiet(capsys, tmp_path):
    code, out, err = run(
        capsys, "run", PRESET, "--seed", "3", "--out", str(tmp_path / "o"), "--steps", "1"
    )
    assert code == 0
    assert "SpaceX share" in out and "USD/kg" in out and "2023" in out
    assert str(tmp_path / "o") in out


def _assert_rejected(capsys, out_dir, argv, *needles):
    code, out, err = run(capsys, "run", *argv, "--seed", "1", "--out", str(out_dir), "--steps", "1")
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("spacemarket: error: "), err
    for needle in needles:
        assert needle in lines[0]
    assert not out_dir.exists()


def test_bad_scenario_path_exits_2_and_writes_nothing(capsys, tmp_path):
    missing = tmp_path / "no-such-scenario.toml"
    _assert_rejected(capsys, tmp_path / "out", [str(missing)], "scenario", "no-such-scenario.toml")


def test_unknown_key_exits_2_and_writes_nothing(capsys, tmp_path):
    text = (
        resources.files("spacemarket.market.data.scenarios").joinpath(f"{PRESET}.toml").read_text()
    )
    bad = tmp_path / "bogus.toml"
    # a top-level key must come before the first table header
    bad.write_text("bogus_key = 1.0\n" + text, encoding="utf-8")
    _assert_rejected(capsys, tmp_path / "out", [str(bad)], "bogus_key", "unknown key", str(bad))


@pytest.mark.parametrize(
    ("extra", "needle"),
    [(["--steps", "0"], "--steps"), (["--steps", "999"], "--steps"), (["--seed", "-1"], "--seed")],
)
def test_bad_arguments_exit_2(capsys, tmp_path, extra, needle):
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "run", PRESET, "--seed", "1", "--out", str(out_dir), *extra)
    assert code == 2 and needle in err and len(err.strip().splitlines()) == 1
    assert not out_dir.exists()


def test_out_is_a_file_exits_2(capsys, tmp_path):
    target = tmp_path / "file.txt"
    target.write_text("x")
    code, _, err = run(capsys, "run", PRESET, "--seed", "1", "--out", str(target), "--steps", "1")
    assert code == 2 and "--out" in err
    assert target.read_text() == "x"


# ----------------------------------------------------------------------------- plots


def _firms(seed, quarters=8):
    """A small synthetic firms frame: three providers and two captive markets."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(quarters):
        q = f"{2026 + i // 4}Q{i % 4 + 1}"
        launch = {
            "SpaceX": 1e6 * rng.uniform(0.9, 1.1),
            "Stoke": 0.0 if i < 3 else 2e4 * i,
            "ULA": 5e4,
        }
        captive = {"China": 3e5, "Russia": 5e4}
        total = sum(launch.values()) + sum(captive.values())
        for kind, group in (("launch", launch), ("captive", captive)):
            for firm, kg in group.items():
                rows.append(
                    dict(
                        step=i + 1,
                        quarter=q,
                        firm=firm,
                        kind=kind,
                        mass_launched_kg=kg,
                        share_mass=kg / total,
                    )
                )
        rows.append(
            dict(
                step=i + 1,
                quarter=q,
                firm="OpenAI",
                kind="lab",
                mass_launched_kg=0.0,
                share_mass=np.nan,
            )
        )
    return pd.DataFrame(rows)


def test_mass_shares_groups_captive_markets_and_sums_to_one():
    shares = mass_shares(_firms(0))
    assert list(shares.columns) == ["SpaceX", "Stoke", "ULA", CAPTIVE_LABEL]
    assert list(shares.index) == [2026 + i / 4 for i in range(8)]
    assert np.allclose(shares.sum(axis=1), 1.0)


def test_share_plots_have_units_milestones_and_reproduce(tmp_path):
    fig = plot_mass_shares(_firms(0), {"starship": "2026Q3", "nova": "2031Q1"})
    ax, enlarged = fig.axes
    assert "(%)" in ax.get_ylabel() and "(%)" in enlarged.get_ylabel()
    assert "year" in enlarged.get_xlabel()
    assert "SpaceX" in enlarged.get_title(
        loc="left"
    )  # the leader is left out of the enlarged panel
    assert len(enlarged.lines) == 3 + 1  # Stoke, ULA, captive + the starship marker
    texts = [t.get_text() for t in [*ax.texts, *fig.texts]]
    assert any("starship first flight (2026Q3)" in t for t in texts)
    assert any("nova 2031Q1" in t for t in texts)  # after the plotted quarters: listed
    bands = plot_share_bands([_firms(s) for s in range(5)])
    labels = bands.axes[0].get_legend_handles_labels()[1]
    assert labels == ["SpaceX", "Stoke", "ULA", CAPTIVE_LABEL]
    assert "(%)" in bands.axes[0].get_ylabel()
    for name, f in (("a", fig), ("b", fig)):
        save_figure(f, tmp_path / f"{name}.svg")
        save_figure(f, tmp_path / f"{name}.png")
    assert filecmp.cmp(tmp_path / "a.svg", tmp_path / "b.svg", shallow=False)
    assert filecmp.cmp(tmp_path / "a.png", tmp_path / "b.png", shallow=False)
    with pytest.raises(ValueError):
        plot_share_bands([])
