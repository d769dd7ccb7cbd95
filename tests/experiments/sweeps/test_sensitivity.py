"""Sobol sensitivity: the SALib machinery on Ishigami, then the model on a fast design."""

import json
import math
import sys

import numpy as np
import pandas as pd
import pytest

from spacemarket.experiments.cli.app import main
from spacemarket.experiments.sweeps import sensitivity as sens
from spacemarket.experiments.sweeps.design_file import load_design
from spacemarket.experiments.sweeps.outcomes import get_outcome
from spacemarket.experiments.sweeps.plan import run_seed
from spacemarket.market.model import run_scenario
from spacemarket.market.scenario import load_scenario

pytest.importorskip("SALib")

# ----------------------------------------------------------------------------- Ishigami


def ishigami_indices(a=7.0, b=0.1):
    """Analytic S1 and ST of f = sin x1 + a sin^2 x2 + b x3^4 sin x1, x ~ U(-pi, pi)^3."""
    pi = math.pi
    v1 = 0.5 * (1 + b * pi**4 / 5) ** 2
    v2 = a**2 / 8
    v13 = b**2 * pi**8 * (1 / 18 - 1 / 50)
    v = v1 + v2 + v13
    return np.array([v1, v2, 0.0]) / v, np.array([v1 + v13, v2, v13]) / v


def test_analytic_ishigami_indices_are_the_published_ones():
    s1, st = ishigami_indices()
    np.testing.assert_allclose(s1, [0.3139, 0.4424, 0.0], atol=1e-4)
    np.testing.assert_allclose(st, [0.5576, 0.4424, 0.2437], atol=1e-4)


def test_sobol_machinery_recovers_the_ishigami_indices():
    def ishigami(u):
        x = -math.pi + 2 * math.pi * u  # the unit cube mapped to U(-pi, pi)^3
        return np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])

    t = sens.sobol_indices(ishigami, ["x1", "x2", "x3"], n=4096, seed=1)
    s1, st = ishigami_indices()
    # SALib's own regression tolerance for Ishigami (atol 5e-2, rtol 1e-1) ...
    np.testing.assert_allclose(t["S1"], s1, atol=5e-2, rtol=1e-1)
    np.testing.assert_allclose(t["ST"], st, atol=5e-2, rtol=1e-1)
    # ... and the analytic value inside each 95 % bootstrap interval
    assert (np.abs(t["S1"] - s1) <= t["S1_conf"]).all()
    assert (np.abs(t["ST"] - st) <= t["ST_conf"]).all()
    assert list(t["parameter"]) == ["x1", "x2", "x3"]


def test_saltelli_sample_shape_and_checks():
    x = sens.saltelli_sample(d=3, n=8, seed=0)
    assert x.shape == (8 * (3 + 2), 3)
    assert (x >= 0).all() and (x <= 1).all()
    np.testing.assert_array_equal(x, sens.saltelli_sample(d=3, n=8, seed=0))
    assert not np.array_equal(x, sens.saltelli_sample(d=3, n=8, seed=1))
    with pytest.raises(ValueError, match="power of two"):
        sens.saltelli_sample(d=3, n=12, seed=0)


@pytest.mark.parametrize(
    ("values", "match"),
    [(lambda u: np.ones(len(u)), "no variance"), (lambda u: np.where(u[:, 0] > 0.5, np.nan, 1.0),
                                                   "undefined")],
)  # fmt: skip
def test_degenerate_outcomes_are_refused(values, match):
    with pytest.raises(ValueError, match=match):
        sens.sobol_indices(values, ["a", "b"], n=8)


# ----------------------------------------------------------------------------- the model

DESIGN = """\
scenario = "backtest-2023"
steps = {steps}
replications = 1
root_seed = 3
outcomes = ["spacex_mass_share_final"]
[sampling]
method = "sobol"
samples = 4
[uncertainties."vehicles.falcon-9.planned_launches_per_year.2023"]
low = 40.0
high = 120.0
[uncertainties."vehicles.starship.cost_learning_rate"]
low = 0.1                # Starship does not fly before 2026: no effect on 2023
high = 0.3
[[policies]]
name = "baseline"
[[policies]]
name = "cheap-demand"
set = {{ "external_demand.growth_per_year" = 0.3 }}
"""


def design_file(tmp_path, steps):
    path = tmp_path / f"design_{steps}.toml"
    path.write_text(DESIGN.format(steps=steps))
    return path


@pytest.fixture(scope="module")
def result(tmp_path_factory):
    design = load_design(design_file(tmp_path_factory.mktemp("d"), steps=2))
    return sens.model_sensitivity(design, "spacex_mass_share_final", n=4, policy="cheap-demand")


def test_model_indices_single_out_the_influential_input(result):
    t = result.indices.set_index("parameter")
    cadence = t.loc["vehicles.falcon-9.planned_launches_per_year.2023"]
    inert = t.loc["vehicles.starship.cost_learning_rate"]
    # an input the outcome does not depend on gets exactly zero (f(A) == f(A_B^i) pointwise)
    assert inert["S1"] == 0.0 and inert["ST"] == 0.0
    # the one that matters gets a positive share (its true S1 = ST = 1; N = 4 is noisy)
    assert cadence["ST"] > 0.1 and cadence["S1"] > 0.1
    assert np.isfinite(t[["S1_conf", "ST_conf"]].to_numpy()).all()
    assert list(t.columns) == ["outcome", "kind", "low", "high", "S1", "S1_conf", "ST", "ST_conf"]
    assert result.units == "fraction" and result.policy == "cheap-demand"


def test_model_outcomes_follow_the_saltelli_structure(result):
    """Per base point j the rows are A, A with column i from B (i = 1..D), B. Only the
    cadence matters here, so swapping in B's learning rate changes nothing and swapping in
    B's cadence gives exactly f(B): the pointwise facts behind the indices above."""
    y = result.samples["spacex_mass_share_final"].to_numpy().reshape(4, 2 + 2)
    f_a, f_ab_cadence, f_ab_inert, f_b = y.T
    np.testing.assert_array_equal(f_ab_inert, f_a)
    np.testing.assert_array_equal(f_ab_cadence, f_b)
    assert not np.array_equal(f_a, f_b)


def test_model_sample_is_saltelli_over_the_design_ranges(result):
    s = result.samples
    assert len(s) == 4 * (2 + 2) and result.evaluations == 16
    f9 = s["vehicles.falcon-9.planned_launches_per_year.2023"]
    assert f9.between(40.0, 120.0).all()
    np.testing.assert_allclose(
        f9, 40.0 + 80.0 * s["u:vehicles.falcon-9.planned_launches_per_year.2023"]
    )
    assert s["spacex_mass_share_final"].between(0, 1).all()


def test_a_model_point_is_the_run_the_sweep_would_make(result):
    """Point 0 = the scenario with its sampled values and the policy, seed (1, 0, 0)."""
    row = result.samples.iloc[0]
    overrides = {
        "vehicles.falcon-9.planned_launches_per_year.2023": float(
            row["vehicles.falcon-9.planned_launches_per_year.2023"]
        ),
        "vehicles.starship.cost_learning_rate": float(row["vehicles.starship.cost_learning_rate"]),
        "external_demand.growth_per_year": 0.3,
    }
    r = run_scenario(load_scenario("backtest-2023", overrides), rng=run_seed(3, 0, 0), steps=2)
    assert row["spacex_mass_share_final"] == get_outcome("spacex_mass_share_final")(r)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_writes_table_plot_and_manifest(capsys, tmp_path):
    design = design_file(tmp_path, steps=1)
    out = tmp_path / "sens"
    code, stdout, err = run(capsys, "sensitivity", design, "--outcome", "spacex_mass_share_final",
                            "--samples", 2, "--out", out)  # fmt: skip
    assert code == 0, err
    stem = out / "sobol_spacex_mass_share_final"
    table = pd.read_parquet(f"{stem}.parquet")
    assert list(table["parameter"]) == [
        "vehicles.falcon-9.planned_launches_per_year.2023",
        "vehicles.starship.cost_learning_rate",
    ]
    csv = pd.read_csv(f"{stem}.csv")
    np.testing.assert_allclose(csv["ST"], table["ST"])
    assert (out / "sobol_spacex_mass_share_final_samples.parquet").is_file()
    assert stem.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"
    assert "</svg>" in stem.with_suffix(".svg").read_text()
    manifest = json.loads((out / "sobol_spacex_mass_share_final_manifest.json").read_text())
    assert manifest["model_runs"] == 2 * 4 and manifest["policy"] == "baseline"
    assert "S1" in stdout and "vehicles.starship.cost_learning_rate" in stdout
    # reproducible, whatever the number of processes: the library on 2 workers agrees
    again = sens.model_sensitivity(load_design(design), "spacex_mass_share_final", n=2, workers=2)
    pd.testing.assert_frame_equal(again.indices, table)


@pytest.mark.parametrize(
    ("extra", "needle"),
    [
        (["--outcome", "nope", "--samples", "2"], "unknown outcome 'nope'"),
        (["--outcome", "orbital_mw_final", "--samples", "3"], "power of two"),
        (["--outcome", "orbital_mw_final", "--samples", "2", "--policy", "x"], "no policy 'x'"),
        (["--outcome", "orbital_mw_final", "--samples", "2", "--replications", "0"],
         "--replications"),
    ],
)  # fmt: skip
def test_cli_bad_input_exits_2_and_writes_nothing(capsys, tmp_path, extra, needle):
    out = tmp_path / "sens"
    code, stdout, err = run(capsys, "sensitivity", design_file(tmp_path, 1), *extra, "--out", out)
    assert code == 2 and stdout == ""
    assert len(err.splitlines()) == 1 and needle in err
    assert not out.exists()


def test_cli_without_salib_says_how_to_install(capsys, tmp_path, monkeypatch):
    for name in ("SALib", "SALib.sample", "SALib.sample.sobol", "SALib.analyze",
                 "SALib.analyze.sobol"):  # fmt: skip
        monkeypatch.setitem(sys.modules, name, None)
    out = tmp_path / "sens"
    code, _, err = run(capsys, "sensitivity", design_file(tmp_path, 1), "--outcome",
                       "orbital_mw_final", "--samples", 2, "--out", out)  # fmt: skip
    assert code == 2 and "pip install spacemarket[sensitivity]" in err
    assert not out.exists()
