"""Designs: parsing, sampling, seeds, the plan, and strict validation through the CLI."""

import json
import tomllib
from importlib import resources

import numpy as np
import pytest

from spacemarket.errors import DesignError
from spacemarket.experiments.cli.app import main
from spacemarket.experiments.sweeps.design import parse_design
from spacemarket.experiments.sweeps.design_file import load_design
from spacemarket.experiments.sweeps.plan import build_plan, run_seed, sample_uncertainties
from spacemarket.market.scenario.spec import quarter_index


def test_plan_shape_order_and_columns(write_design):
    d = load_design(write_design())
    plan = build_plan(d)
    assert len(plan) == d.n_runs == 3 * 2 * 3
    assert list(plan["run_id"]) == sorted(plan["run_id"])
    assert plan["run_id"].is_unique
    assert list(plan.columns) == [
        "run_id", "sample", "policy", "replication", "seed_entropy", "spawn_key",
        "external_demand.growth_per_year", "vehicles.starship.first_flight",
        "compute.grid_delay_quarters", "policy_settings",
    ]  # fmt: skip
    assert plan["run_id"].iloc[0] == "s000-p00-r000"
    assert plan["run_id"].iloc[-1] == "s002-p01-r002"
    assert str(plan["compute.grid_delay_quarters"].dtype) == "int64"
    assert str(plan["external_demand.growth_per_year"].dtype) == "float64"
    assert set(plan["policy"]) == {
        "compute.launch_bargaining_weight=0.3",
        "compute.launch_bargaining_weight=0.7",
    }
    settings = {json.loads(s)["compute.launch_bargaining_weight"] for s in plan["policy_settings"]}
    assert settings == {0.3, 0.7}


def test_seeds_are_common_across_policies_and_match_spawning(write_design):
    plan = build_plan(load_design(write_design()))
    by_cell = plan.groupby(["sample", "replication"])["spawn_key"].nunique()
    assert (by_cell == 1).all(), "each (sample, replication) has one seed for every policy"
    assert plan.groupby("policy")["spawn_key"].nunique().eq(9).all()
    assert set(plan["seed_entropy"]) == {"2026"}
    # the recorded seed is the SeedSequence child root.spawn(2)[1].spawn(.)[s].spawn(.)[r]
    root = np.random.SeedSequence(2026)
    child = root.spawn(2)[1].spawn(3)[2].spawn(3)[1]
    row = plan[(plan["sample"] == 2) & (plan["replication"] == 1)].iloc[0]
    assert row["spawn_key"] == "1,2,1"
    key = tuple(int(k) for k in row["spawn_key"].split(","))
    mine = np.random.SeedSequence(int(row["seed_entropy"]), spawn_key=key)
    assert np.array_equal(mine.generate_state(4), child.generate_state(4))
    assert np.array_equal(run_seed(2026, 2, 1).generate_state(4), child.generate_state(4))


def test_lhs_values_are_stratified_and_typed(write_design):
    text_samples = "samples = 3"
    d = load_design(write_design(replace={text_samples: "samples = 12"}))
    samples = sample_uncertainties(d)
    assert len(samples) == 12
    growth = np.array([s["external_demand.growth_per_year"] for s in samples])
    assert ((growth >= 0.05) & (growth < 0.20)).all()
    strata = np.floor((growth - 0.05) / 0.15 * 12).astype(int)
    assert sorted(strata) == list(range(12)), "one LHS sample per stratum"
    quarters = [s["vehicles.starship.first_flight"] for s in samples]
    assert all(isinstance(q, str) for q in quarters)
    idx = [quarter_index(q) for q in quarters]
    assert min(idx) >= quarter_index("2026Q4") and max(idx) <= quarter_index("2029Q4")
    delays = [s["compute.grid_delay_quarters"] for s in samples]
    assert all(type(v) is int and 4 <= v <= 12 for v in delays)


def test_sobol_sampler_and_root_seed(write_design):
    d = load_design(
        write_design(replace={'method = "lhs"': 'method = "sobol"', "samples = 3": "samples = 8"})
    )
    a = sample_uncertainties(d)
    assert len(a) == 8
    assert sample_uncertainties(d) == a, "sampling is seeded by root_seed"
    d2 = load_design(
        write_design(
            replace={
                'method = "lhs"': 'method = "sobol"',
                "samples = 3": "samples = 8",
                "root_seed = 2026": "root_seed = 7",
            },
            name="other.toml",
        )
    )
    assert sample_uncertainties(d2) != a


def test_explicit_policies_and_levers_combine(write_design, design_text):
    text = (
        design_text
        + """
[[policies]]
name = "open-access"
set = { "compute.launch_bargaining_weight" = 0.5, "external_demand.market_missions_per_year" = 70.0 }
"""
    )
    d = load_design(write_design(text))
    names = [p.name for p in d.policies]
    assert names == [
        "open-access",
        "compute.launch_bargaining_weight=0.3",
        "compute.launch_bargaining_weight=0.7",
    ]
    assert d.n_runs == 3 * 3 * 3


def test_no_uncertainties_no_policies_is_one_base_policy(tmp_path):
    doc = tomllib.loads(
        'scenario = "backtest-2023"\nroot_seed = 1\nreplications = 2\n'
        'outcomes = ["orbital_mw_final"]\n'
    )
    d = parse_design(doc, tmp_path / "d.toml")
    plan = build_plan(d)
    assert list(plan["run_id"]) == ["s000-p00-r000", "s000-p00-r001"]
    assert list(plan["policy"]) == ["base", "base"]
    assert list(plan["policy_settings"]) == ["{}", "{}"]


def test_relative_scenario_path_is_relative_to_the_design(tmp_path):
    sub = tmp_path / "studies"
    sub.mkdir()
    (sub / "my.toml").write_text('extends = "backtest-2023"\nname = "mine"\n')
    (sub / "design.toml").write_text(
        'scenario = "my.toml"\nroot_seed = 1\noutcomes = ["orbital_mw_final"]\nsteps = 2\n'
    )
    d = load_design(sub / "design.toml")
    assert d.scenario_ref == str((sub / "my.toml").resolve())


def test_shipped_example_design_is_valid():
    ref = resources.files("spacemarket.experiments.sweeps.designs").joinpath("example.toml")
    with resources.as_file(ref) as path:
        d = load_design(path)
        plan = build_plan(d)
    assert d.method == "lhs" and len(d.uncertainties) == 6 and len(d.policies) == 3
    assert len(plan) == d.n_runs == 8 * 3 * 2
    assert d.scenario_ref == "baseline-2026"


# ----------------------------------------------------------------------- validation errors

BAD = [
    # (description, replacements or appended text, key named in the message)
    ("unknown top-level key", {"steps = 2": "steps = 2\nstepz = 4"}, "stepz"),
    ("unknown key in an uncertainty", {"low = 0.05": "low = 0.05\nmean = 0.1"},
     'uncertainties."external_demand.growth_per_year".mean'),
    ("bad key path", {'"external_demand.growth_per_year"]': '"external_demand.growth_rate"]'},
     'uncertainties."external_demand.growth_rate".low'),
    ("bad array element name", {'"vehicles.starship.first_flight"]': '"vehicles.starshp.first_flight"]'},
     'uncertainties."vehicles.starshp.first_flight".low'),
    ("wrong type of a design value", {"replications = 3": 'replications = "3"'}, "replications"),
    ("wrong type of a bound", {"low = 0.05": 'low = "low"'},
     'uncertainties."external_demand.growth_per_year".low'),
    ("bound the scenario rejects", {"high = 0.20": "high = 9.0"},
     'uncertainties."external_demand.growth_per_year".high'),
    ("float kind on an integer parameter", {'kind = "int"\nlow = 4\nhigh = 12': "low = 4.0\nhigh = 12.0"},
     'uncertainties."compute.grid_delay_quarters".low'),
    ("bad sampler", {'method = "lhs"': 'method = "random"'}, "sampling.method"),
    ("sobol needs a power of two", {'method = "lhs"': 'method = "sobol"'}, "sampling.samples"),
    ("zero samples", {"samples = 3": "samples = 0"}, "sampling.samples"),
    ("unknown outcome", {'"falcon_launches_total",': '"falcon_launch_total",'}, "outcomes[3]"),
    ("bad lever path", {'"compute.launch_bargaining_weight" = [0.3, 0.7]': '"compute.launch_weight" = [0.3, 0.7]'},
     '"compute.launch_weight"'),
    ("lever value out of range", {"[0.3, 0.7]": "[0.3, 1.7]"}, 'levers."compute.launch_bargaining_weight"'),
    ("unquoted key path", {'[uncertainties."compute.grid_delay_quarters"]': "[uncertainties.compute.grid_delay_quarters]"},
     "uncertainties.compute"),
    ("steps beyond the scenario", {"steps = 2": "steps = 40"}, "steps"),
    ("low above high", {"low = 0.05\nhigh = 0.20": "low = 0.20\nhigh = 0.05"},
     'uncertainties."external_demand.growth_per_year".high'),
    ("unknown scenario", {'scenario = "backtest-2023"': 'scenario = "no-such-scenario"'}, "scenario"),
    ("not TOML", {"root_seed = 2026": "root_seed = = 2026"}, "toml"),
    ("missing root seed", {"root_seed = 2026": ""}, "root_seed"),
    ("negative root seed", {"root_seed = 2026": "root_seed = -1"}, "root_seed"),
]  # fmt: skip


@pytest.mark.parametrize(("what", "replace", "key"), BAD, ids=[b[0] for b in BAD])
def test_bad_design_exits_2_with_one_line_naming_key_and_file(
    what, replace, key, write_design, tmp_path, capsys
):
    design = write_design(replace=replace)
    out = tmp_path / "out"
    code = main(["sweep", str(design), "--out", str(out), "--quiet"])
    captured = capsys.readouterr()
    assert code == 2, what
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("spacemarket: error: "), lines[0]
    assert key in lines[0], f"{key!r} not named in: {lines[0]}"
    assert str(design) in lines[0], f"design file not named in: {lines[0]}"
    assert "Traceback" not in captured.err
    assert not out.exists(), "nothing may be written for a bad design"


def test_policy_setting_a_bad_path_is_rejected(write_design, design_text, tmp_path, capsys):
    text = design_text + '\n[[policies]]\nname = "x"\nset = { "compute.bargaining" = 0.5 }\n'
    design = write_design(text)
    code = main(["sweep", str(design), "--out", str(tmp_path / "o"), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "policies[0].set" in err and "compute.bargaining" in err
    assert not (tmp_path / "o").exists()


def test_policy_and_uncertainty_on_the_same_key_is_rejected(write_design, design_text):
    text = design_text + (
        '\n[[policies]]\nname = "x"\nset = { "external_demand.growth_per_year" = 0.1 }\n'
    )
    with pytest.raises(DesignError, match="also an uncertainty"):
        load_design(write_design(text))


def test_bad_design_in_a_subprocess_has_no_traceback(write_design, tmp_path, spacemarket_cli):
    design = write_design(replace={'method = "lhs"': 'method = "grid"'})
    r = spacemarket_cli("sweep", design, "--out", tmp_path / "out", "--quiet")
    assert r.returncode == 2
    assert r.stderr.count("\n") == 1 and "sampling.method" in r.stderr
    assert "Traceback" not in r.stderr and str(design) in r.stderr
    assert not (tmp_path / "out").exists()
