"""``spacemarket scenarios list|show`` and ``--set`` overrides on ``show`` and ``run``."""

import dataclasses
import json
import tomllib

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.experiments.cli.app import main
from spacemarket.market.scenario import load_scenario, preset_names, resolved_document, to_toml

PRESET = "backtest-2023"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def same_scenario(path, expected):
    """``path`` loads to ``expected`` (up to the file it came from)."""
    got = load_scenario(path)
    assert got == dataclasses.replace(expected, source_file=str(path))


def test_list_prints_every_preset_with_period_and_description(capsys):
    code, out, err = run(capsys, "scenarios", "list")
    assert code == 0 and err == ""
    for name in preset_names():
        s = load_scenario(name)
        line = next(x for x in out.splitlines() if x.startswith(name + " "))
        assert f"{s.start}-{s.end}" in line and f"{s.n_quarters} quarters" in line
        assert s.description in line


@pytest.mark.parametrize("name", ["backtest-2023", "baseline-2026"])
def test_show_prints_toml_that_loads_to_the_same_scenario(capsys, tmp_path, name):
    code, out, err = run(capsys, "scenarios", "show", name)
    assert code == 0 and err == ""
    assert out.startswith("# resolved from ") and name in out.splitlines()[0]
    path = tmp_path / "shown.toml"
    path.write_text(out, encoding="utf-8")
    same_scenario(path, load_scenario(name))


def test_show_json_is_the_resolved_document(capsys):
    code, out, _ = run(capsys, "scenarios", "show", PRESET, "--json")
    assert code == 0
    assert json.loads(out) == resolved_document(PRESET)[0]


def test_show_merges_extends_and_applies_overrides(capsys, tmp_path):
    child = tmp_path / "child.toml"
    child.write_text(
        'extends = "backtest-2023"\nname = "child"\n\n'
        '[[vehicles]]\nname = "starship"\nfirst_flight = "2027Q2"\n',
        encoding="utf-8",
    )
    code, out, err = run(
        capsys, "scenarios", "show", child,
        "--set", "external_demand.growth_per_year=0.2",
        "--set", "vehicles.falcon-9.reliability=0.95",
        "--set", "vehicles.falcon-9.reliability=0.96",  # the last --set of a path wins
    )  # fmt: skip
    assert code == 0, err
    doc = tomllib.loads(out)
    assert "extends" not in doc and doc["name"] == "child"
    starship = next(v for v in doc["vehicles"] if v["name"] == "starship")
    assert starship["first_flight"] == "2027Q2"
    assert starship["payload_capacity_kg"] == 100000  # inherited from the preset
    assert doc["external_demand"]["growth_per_year"] == 0.2
    assert doc["vehicles"][0]["reliability"] == 0.96
    assert str(child) in out.splitlines()[0] and "--set" in out.splitlines()[1]
    path = tmp_path / "shown.toml"
    path.write_text(out, encoding="utf-8")
    same_scenario(
        path,
        load_scenario(
            child,
            {"external_demand.growth_per_year": 0.2, "vehicles.falcon-9.reliability": 0.96},
        ),
    )


def test_show_defaults_writes_every_field_and_round_trips(capsys, tmp_path):
    code, out, _ = run(capsys, "scenarios", "show", PRESET, "--defaults")
    assert code == 0
    doc = tomllib.loads(out)
    falcon = doc["vehicles"][0]
    assert "reliability_growth" not in resolved_document(PRESET)[0]["vehicles"][0]
    assert falcon["reliability_growth"] == 0.3  # the VehicleSpec default, now explicit
    path = tmp_path / "shown.toml"
    path.write_text(out, encoding="utf-8")
    same_scenario(path, load_scenario(PRESET))


@given(text=st.text(max_size=40))
@settings(max_examples=60, deadline=None)
def test_shown_toml_round_trips_any_string(text):
    """Control characters, quotes and backslashes in strings survive show -> load."""
    doc = resolved_document(PRESET)[0]
    doc["description"] = text
    doc["providers"][0]["source"] = text
    assert tomllib.loads(to_toml(doc)) == doc


@pytest.mark.parametrize(
    ("argv", "needles"),
    [
        (["--set", "vehicles.falcon-9.reliability=2"],
         ["vehicles.falcon-9.reliability", "must be in [0.5, 1], got 2", "--set vehicles.falcon-9.reliability=2",
          "backtest-2023.toml"]),
        (["--set", "vehicles.falcon-10.reliability=0.9"], ["vehicles.falcon-10", "no element"]),
        (["--set", "compute.grid_delay_quarters=1.5"],
         ["compute.grid_delay_quarters", "expected an integer"]),
        (["--set", "compute.speed=3"], ["compute.speed", "unknown key"]),
        (["--set", "start=2023Q5"], ["start", "2023Q5"]),
        (["--set", "novalue"], ["--set", "path.to.key=value"]),
    ],
)  # fmt: skip
def test_bad_overrides_exit_2_naming_the_key(capsys, tmp_path, argv, needles):
    code, out, err = run(capsys, "scenarios", "show", PRESET, *argv)
    assert code == 2 and out == ""
    assert len(err.splitlines()) == 1 and err.startswith("spacemarket: error: ")
    for needle in needles:
        assert needle in err
    out_dir = tmp_path / "out"
    code, out, err2 = run(
        capsys, "run", PRESET, "--seed", 1, "--steps", 1, "--out", out_dir, "--quiet", *argv
    )
    assert code == 2 and out == "" and err2 == err
    assert not out_dir.exists()


def test_show_unknown_scenario_exits_2(capsys):
    code, out, err = run(capsys, "scenarios", "show", "no-such-preset")
    assert code == 2 and out == "" and "no-such-preset" in err


def test_run_applies_overrides_and_records_them(capsys, tmp_path):
    base, changed = tmp_path / "base", tmp_path / "changed"
    args = ["run", PRESET, "--seed", 1, "--steps", 2, "--quiet", "--out"]
    assert run(capsys, *args, base)[0] == 0
    override = "vehicles.falcon-9.planned_launches_per_year.2023=40"
    assert run(capsys, *args, changed, "--set", override)[0] == 0
    a = pd.read_parquet(base / "vehicles.parquet")
    b = pd.read_parquet(changed / "vehicles.parquet")
    f9 = (a["vehicle"] == "falcon-9") & (a["step"] == 1)
    assert float(b.loc[f9, "capacity_launches"].iloc[0]) < float(
        a.loc[f9, "capacity_launches"].iloc[0]
    )
    manifest = json.loads((changed / "manifest.json").read_text())
    assert manifest["scenario_overrides"] == {
        "vehicles.falcon-9.planned_launches_per_year.2023": 40
    }
    assert json.loads((base / "manifest.json").read_text())["scenario_overrides"] == {}
