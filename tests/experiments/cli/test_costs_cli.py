"""The ``spacemarket costs`` and ``demo`` commands, run in-process and as a subprocess."""

import filecmp
import json
import os
import subprocess
import sys

import pandas as pd
import pytest

from spacemarket.experiments.cli.app import main


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("what", ["launch", "orbital", "terrestrial", "breakeven"])
def test_each_costs_command_prints_a_table_and_json(capsys, what):
    code, out, _ = run(capsys, "costs", what)
    assert code == 0 and out.strip()
    code, out, _ = run(capsys, "costs", what, "--json")
    assert code == 0
    doc = json.loads(out)
    assert doc


def test_launch_json_values(capsys):
    code, out, _ = run(capsys, "costs", "launch", "--vehicle", "falcon-9", "--json")
    row = json.loads(out)["vehicles"][0]
    assert row["list_price_usd_per_kg"] == pytest.approx(67e6 / 18_400)
    assert row["propellant_floor_usd_per_kg"] > 0
    # Flag overrides reach the computation: more reuse, cheaper per kg.
    _, out2, _ = run(capsys, "costs", "launch", "--vehicle", "falcon-9", "--reuses", "40", "--json")
    assert json.loads(out2)["vehicles"][0]["cost_usd_per_kg"] < row["cost_usd_per_kg"]
    _, out3, _ = run(
        capsys,
        "costs",
        "launch",
        "--vehicle",
        "starship",
        "--propellant-price",
        "ch4=1400",
        "--json",
    )
    assert json.loads(out3)["propellant_usd_per_t"]["ch4"] == 1400


def test_orbital_override_and_starcloud_warning(capsys):
    code, out, _ = run(capsys, "costs", "orbital", "--design", "starcloud")
    assert code == 0
    assert "WARNING [starcloud] launch_usd_per_kg" in out and "$50.00/kg" in out
    _, a, _ = run(
        capsys,
        "costs",
        "orbital",
        "--design",
        "compute-optimized",
        "--launch-price",
        "500",
        "--json",
    )
    _, b, _ = run(capsys, "costs", "orbital", "--design", "compute-optimized", "--launch-price", "500",
                  "--lifetime-years", "7", "--radiator-temperature-k", "360", "--no-battery", "--json")  # fmt: skip
    ra, rb = json.loads(a)["orbital"][0], json.loads(b)["orbital"][0]
    assert rb["lifetime_years"] == 7
    assert rb["mass_battery_kg_per_kw"] == 0.0 < ra["mass_battery_kg_per_kw"]
    assert rb["radiator_area_m2_per_kw"] < ra["radiator_area_m2_per_kw"]


def test_breakeven_google_reproduces_about_200(capsys):
    code, out, _ = run(capsys, "costs", "breakeven", "--design", "starlink-v2-mini-class",
                       "--site", "us-average", "--accounting", "google", "--pue", "1.1", "--json")  # fmt: skip
    row = json.loads(out)["breakeven"][0]
    assert row["status"] == "found"
    assert row["breakeven_usd_per_kg"] == pytest.approx(200, rel=0.06)
    assert 2030 < row["year"] < 2040


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["costs", "orbital", "--radiator-emissivity", "1.2"], "radiator_emissivity"),
        (["costs", "launch", "--vehicle", "saturn-v"], "vehicle"),
        (["costs", "launch", "--vehicle", "falcon-9", "--payload-leo-kg", "-5"], "payload_leo_kg"),
        (["costs", "terrestrial", "--pue", "0.5"], "pue"),
        (["costs", "launch", "--propellant-price", "lox"], "--propellant-price"),
        (["costs", "breakeven", "--path", "warp-drive"], "path"),
    ],
)
def test_bad_input_exit_2_names_the_argument(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert needle in err
    assert "Traceback" not in err and not out


def test_bad_input_as_a_process_has_no_traceback(tmp_path):
    target = tmp_path / "plot.png"
    proc = subprocess.run(
        [sys.executable, "-m", "spacemarket.experiments.cli", "costs", "plot", "--out", str(target),
         "--radiator-emissivity", "-1"],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert proc.returncode == 2
    assert "radiator_emissivity" in proc.stderr and "Traceback" not in proc.stderr
    assert not target.exists()  # nothing written
    proc = subprocess.run([sys.executable, "-m", "spacemarket.experiments.cli", "costs", "fly"],
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert proc.returncode == 2 and "Traceback" not in proc.stderr


def test_plot_command_writes_png_and_svg(tmp_path, capsys):
    for ext in ("png", "svg"):
        code, _, _ = run(capsys, "costs", "plot", "--out", str(tmp_path / f"c.{ext}"))
        assert code == 0
        assert (tmp_path / f"c.{ext}").stat().st_size > 10_000
    code, _, err = run(capsys, "costs", "plot", "--out", str(tmp_path / "c.gif"))
    assert code == 2 and "--out" in err


EXPECTED_FILES = {
    "orbital_costs", "terrestrial_costs", "breakeven", "claims", "cost_curves",
}  # fmt: skip


def test_demo_runs_headline_and_cost_tables(tmp_path, capsys):
    code, text, _ = run(capsys, "demo", "--out", str(tmp_path), "--seeds", "2",
                        "--game-seeds", "2", "--steps", "6", "--workers", "1", "--quiet")  # fmt: skip
    assert code == 0
    head = tmp_path / "headline"
    for name in ("compare.csv", "compare.txt", "compare.md", "compare_shares.png", "game.txt",
                 "game_payoffs.csv", "game_normal_form.csv", "manifest.json"):  # fmt: skip
        assert (head / name).exists(), name
    assert "Pure Nash equilibria" in (head / "game.txt").read_text()
    assert (tmp_path / "costs" / "breakeven.csv").exists()


def test_cost_demo_writes_tables_plots_and_manifest(tmp_path):
    from spacemarket.experiments.integration.cost_demo import run_cost_demo

    out = tmp_path / "demo"
    text = run_cost_demo(out)
    assert "Break-even launch price" in text and "$50.00/kg" in text
    for name in EXPECTED_FILES:
        assert (out / f"{name}.parquet").exists() and (out / f"{name}.csv").exists()
        pd.testing.assert_frame_equal(
            pd.read_parquet(out / f"{name}.parquet"),
            pd.read_csv(out / f"{name}.csv"),
            check_dtype=False,
            check_exact=False,
        )
    assert (out / "cost_vs_launch_price.png").exists() and (
        out / "cost_vs_launch_price.svg"
    ).exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["versions"]["numpy"] and "wall_time_s" in manifest
    assert not [p for p in os.listdir(out) if p.endswith(".tmp")]
    be = pd.read_parquet(out / "breakeven.parquet")
    google = be[
        (be.design == "starlink-v2-mini-class")
        & (be.site == "us-average")
        & (be.accounting == "google")
    ]
    assert google.breakeven_usd_per_kg.iloc[0] == pytest.approx(200, rel=0.15)


def test_demo_is_byte_reproducible(tmp_path, capsys):
    from spacemarket.experiments.integration.cost_demo import run_cost_demo

    a, b = tmp_path / "a", tmp_path / "b"
    run_cost_demo(a)
    run_cost_demo(b)
    files = sorted(p for p in os.listdir(a) if p != "manifest.json")
    match, mismatch, errors = filecmp.cmpfiles(a, b, files, shallow=False)
    assert not mismatch and not errors
    assert len(match) == len(files) == 2 * len(EXPECTED_FILES) + 3


def test_unwritable_output_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    code, _, err = run(capsys, "demo", "--out", str(blocker / "sub"))
    assert code == 1
    assert "cannot create output directory" in err
