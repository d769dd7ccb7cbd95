"""Issue 11, item 6: the validation gaps a new user hit, each closed at load time.

1. implausible values (``payload_capacity_kg = 1e30``) are rejected with the allowed range;
2. a scenario may not start before its data (``start = "2010Q1"`` on 2026 data);
3. ``launch_cost_usd = 0`` is rejected on load under its own name, not at run time;
4. errors name a record by its own name and the file the value came from, not its position
   in a list merged through ``extends``;
5. a misspelt record in a child scenario (``starshipp``) is a "did you mean", not a new
   vehicle without a provider;
6. ``run_scenario`` checks ``steps`` and ``seed``.

Bad files go through the CLI as a user meets them: exit 2, one line on stderr naming the file,
the record, the field and the value, and nothing written.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import io
import typing
from pathlib import Path

import numpy as np
import pytest

from spacemarket.experiments.cli.app import main
from spacemarket.market.model.results import run_scenario
from spacemarket.market.physics import InputError
from spacemarket.market.scenario import (
    CaptiveSpec,
    CloudSpec,
    ComputeSpec,
    ExternalDemandSpec,
    LabSpec,
    ProviderSpec,
    ScenarioError,
    StarlinkSpec,
    VehicleSpec,
    load_scenario,
    parse_scenario,
    resolved_document,
    to_toml,
)

PRESET_DIR = "spacemarket/market/data/scenarios"


def preset_doc(name: str) -> dict:
    """The preset as one standalone document (``extends`` and catalogue references resolved)."""
    return copy.deepcopy(dict(resolved_document(name)[0]))


def cli_rejects(tmp_path: Path, scenario: Path | str, *needles: str) -> str:
    """Run the scenario through the CLI: exit 2, one line naming every needle, nothing written."""
    out_dir = tmp_path / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
        code = main(["run", str(scenario), "--seed", "1", "--out", str(out_dir), "--quiet"])
    err = stderr.getvalue()
    assert code == 2, err
    assert err.startswith("spacemarket: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err and stdout.getvalue() == ""
    for needle in needles:
        assert needle in err, (needle, err)
    assert not out_dir.exists()
    return err


def child(tmp_path: Path, body: str, extends: str = "baseline-2026", name="child.toml") -> Path:
    path = tmp_path / name
    path.write_text(f'extends = "{extends}"\n{body}', encoding="utf-8")
    return path


# --------------------------------------------------------------------------- 1. plausibility


def test_a_payload_of_1e30_kg_is_rejected_with_its_range(tmp_path):
    path = child(tmp_path, '[[vehicles]]\nname = "starship"\npayload_capacity_kg = 1e30\n')
    cli_rejects(
        tmp_path,
        path,
        "vehicles.starship.payload_capacity_kg",
        "must be in [1, 1e+06], got 1e+30",
        str(path),
    )


@pytest.mark.parametrize(
    ("table", "record", "field", "value", "needle"),
    [
        ("providers", "Stoke", "cash_usd", 1e20, "[0, 1e+13]"),
        ("vehicles", "falcon-9", "launch_cost_usd", 28e15, "(0, 1e+11]"),
        ("vehicles", "falcon-9", "list_price_usd", 0, "(0, 1e+11]"),
        ("vehicles", "falcon-9", "cumulative_launches", 1e9, "[1, 100000]"),
        ("vehicles", "falcon-9", "external_payload_kg", 5e6, "[1, 1e+06]"),
        ("vehicles", "falcon-9", "max_launches_per_year", 1e9, "[0, 1e+06]"),
        ("captive", "China", "mass_per_launch_kg", 1.7e9, "[0, 1e+06]"),
        ("clouds", "AWS", "terrestrial_mw", 8e9, "[0, 1e+06]"),
        ("labs", "OpenAI", "compute_gw", 2e6, "[0, 1000]"),
    ],
)
def test_implausible_values_name_record_field_value_and_range(
    tmp_path, table, record, field, value, needle
):
    path = child(tmp_path, f'[[{table}]]\nname = "{record}"\n{field} = {value!r}\n')
    cli_rejects(tmp_path, path, f"{table}.{record}.{field}", needle, str(path))


@pytest.mark.parametrize(
    ("body", "key", "needle"),
    [
        ("[external_demand]\nmarket_missions_per_year = 1e9\n",
         "external_demand.market_missions_per_year", "[0, 100000]"),
        ('[[vehicles]]\nname = "nova"\nplanned_launches_per_year = { 2026 = 4e6 }\n',
         "vehicles.nova.planned_launches_per_year.2026", "[0, 100000]"),
        ('[[labs]]\nname = "Meta"\nsuppliers = { own = 1.5, CoreWeave = -0.5 }\n',
         "labs.Meta.suppliers.own", "[0, 1]"),
        ("[starlink]\nvehicles = { falcon-9 = 1.65e7 }\n",
         "starlink.vehicles.falcon-9", "must be in [0, 1e+06], got 16500000"),
        ('[[vehicles]]\nname = "nova"\nplanned_launches_per_year = { 20260 = 4 }\n',
         "vehicles.nova.planned_launches_per_year.20260", "year must be in [1957, 2200]"),
    ],
    ids=["missions", "cadence", "supplier-share", "starlink-load", "year-typo"],
)  # fmt: skip
def test_implausible_table_entries_are_rejected(tmp_path, body, key, needle):
    cli_rejects(tmp_path, child(tmp_path, body), key, needle)


# Every bounded field of every record kind: (spec, table in the preset, first record's name)
SPECS = [
    (ProviderSpec, "providers"), (VehicleSpec, "vehicles"), (CaptiveSpec, "captive"),
    (CloudSpec, "clouds"), (LabSpec, "labs"), (StarlinkSpec, "starlink"),
    (ExternalDemandSpec, "external_demand"), (ComputeSpec, "compute"),
]  # fmt: skip
SPECS_BY_TABLE = {table: spec for spec, table in SPECS}
EDGES = [
    (table, f.name, edge)
    for spec, table in SPECS
    for f in dataclasses.fields(spec)
    if typing.get_type_hints(spec)[f.name] in (float, int)
    for edge in ("low", "high")
    if f.metadata.get(edge) is not None
]


def test_every_numeric_field_has_a_plausible_range():
    """A bound on both sides of every float of a record (ints and utilities are bounded too)."""
    for spec, _ in SPECS:
        hints = typing.get_type_hints(spec)
        for f in dataclasses.fields(spec):
            if hints[f.name] is float or typing.get_origin(hints[f.name]) is dict:
                assert f.metadata.get("low") is not None, f"{spec.__name__}.{f.name}"
                assert f.metadata.get("high") is not None, f"{spec.__name__}.{f.name}"


@pytest.mark.parametrize(("table", "field", "edge"), EDGES)
def test_values_at_the_edges_of_a_range_load_and_run(table, field, edge):
    """The ranges reject only what cannot be meant: a value at either end loads and runs a
    quarter without error (no check at run time rejects what the schema accepts)."""
    doc = preset_doc("backtest-2023")
    node = doc[table][0] if isinstance(doc[table], list) else doc[table]
    spec = SPECS_BY_TABLE[table]
    f = {f.name: f for f in dataclasses.fields(spec)}[field]
    value = f.metadata[edge]
    if edge == "low" and f.metadata.get("low_open"):
        value = value + 1.0 if field.endswith("_usd") else value + 1e-6
    node[field] = value
    if field == "payload_capacity_kg" and edge == "low":
        node["external_payload_kg"] = value
    if field == "external_payload_kg" and edge == "high":
        node["payload_capacity_kg"] = value
    if field.startswith("contract_") and value:
        node["contract_supplier"] = "SpaceX"  # a contract's terms need a contract
    scenario = parse_scenario(doc, "edges.toml")
    result = run_scenario(scenario, seed=1, steps=1)
    assert len(result.market) == 1


# --------------------------------------------------------------------------- 2. the period


def test_a_start_before_the_data_is_rejected(tmp_path):
    path = child(tmp_path, 'start = "2010Q1"\n')
    cli_rejects(
        tmp_path,
        path,
        "start: 2010Q1 is before the scenario's data",
        "vehicles.falcon-9.planned_launches_per_year begins in 2026",
        str(path),
    )


def test_the_backtest_starts_where_its_data_start_and_no_earlier():
    assert load_scenario("backtest-2023").start == "2023Q1"
    doc = preset_doc("backtest-2023")
    doc["start"] = "2022Q4"
    with pytest.raises(ScenarioError, match="begins in 2023") as info:
        parse_scenario(doc, "early.toml")
    assert info.value.key == "start"
    # vehicles entering later (Vulcan 2024, Nova 2026) need no plan for 2023: data for the
    # year a vehicle enters is enough; with plans and captive counts for 2022 it loads
    for item in [*doc["vehicles"], *doc["captive"]]:
        table = item.get("planned_launches_per_year", item.get("launches_per_year"))
        if "first_flight" not in item:
            table["2022"] = table[min(table)]
    assert parse_scenario(doc, "early.toml").start == "2022Q4"


def test_a_captive_market_without_data_for_the_start_is_named(tmp_path):
    doc = preset_doc("baseline-2026")
    doc["captive"][1]["launches_per_year"] = {"2027": 17}  # a child's table would merge
    path = tmp_path / "own.toml"
    path.write_text(to_toml(doc), encoding="utf-8")
    cli_rejects(tmp_path, path, "captive.Russia.launches_per_year begins in 2027")


@pytest.mark.parametrize(
    ("body", "key", "needle"),
    [
        ('end = "2300Q4"\n', "end", "year must be in [1957, 2200], got 2300Q4"),
        ('end = "2140Q4"\n', "end", "a scenario runs at most 400 quarters, got 460"),
        ('end = "2025Q4"\n', "end", "must not be before start (2026Q1)"),
    ],
)
def test_implausible_periods_are_rejected(tmp_path, body, key, needle):
    cli_rejects(tmp_path, child(tmp_path, body), f"{key}: {needle}")


# --------------------------------------------------------------------------- 3. zero cost


def test_a_zero_launch_cost_is_rejected_on_load_under_its_own_name(tmp_path):
    path = child(tmp_path, '[[vehicles]]\nname = "nova"\nlaunch_cost_usd = 0\n')
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.key == "vehicles.nova.launch_cost_usd"
    err = cli_rejects(tmp_path, path, "vehicles.nova.launch_cost_usd: must be in (0, 1e+11], got 0")
    assert "initial_cost" not in err


# --------------------------------------------------------------------------- 4. names and files


def test_an_error_names_the_record_not_its_merged_position(tmp_path):
    """The child has one vehicle; it is the 11th of the merged list."""
    path = child(tmp_path, '[[vehicles]]\nname = "starship"\nreliability = 2\n')
    err = cli_rejects(tmp_path, path, "vehicles.starship.reliability", "got 2", f"(in {path})")
    assert "[10]" not in err and "vehicles[" not in err


def test_a_bad_value_from_the_parent_names_the_parent_file(tmp_path):
    base = to_toml(preset_doc("backtest-2023")).replace(
        "reliability = 0.978", "reliability = 0.2", 1
    )
    (tmp_path / "base.toml").write_text(base, encoding="utf-8")
    path = child(tmp_path, 'description = "a child"\n', extends="base.toml")
    cli_rejects(
        tmp_path,
        path,
        "vehicles.falcon-9.reliability: must be in [0.5, 1], got 0.2",
        f"(in {tmp_path / 'base.toml'}, extended by {path})",
    )


def test_a_new_complete_record_with_a_bad_value_names_the_child(tmp_path):
    vehicle = dict(preset_doc("baseline-2026")["vehicles"][0], name="falcon-10")
    vehicle["payload_capacity_kg"] = 2e7
    path = tmp_path / "child.toml"
    path.write_text('extends = "baseline-2026"\n' + to_toml({"vehicles": [vehicle]}))
    cli_rejects(tmp_path, path, "vehicles.falcon-10.payload_capacity_kg", f"(in {path})")


def test_a_duplicate_record_is_named(tmp_path):
    doc = preset_doc("backtest-2023")
    doc["vehicles"].append(dict(doc["vehicles"][0]))
    path = tmp_path / "dup.toml"
    path.write_text(to_toml(doc), encoding="utf-8")
    cli_rejects(tmp_path, path, "vehicles.falcon-9: duplicate name 'falcon-9'", str(path))


def test_origins_follow_extends_and_overrides(tmp_path):
    path = child(tmp_path, '[[vehicles]]\nname = "starship"\nreliability = 0.9\n')
    doc, src = resolved_document(path)
    preset = f"{PRESET_DIR}/baseline-2026.toml"
    assert doc.origins["vehicles.starship.reliability"] == src == str(path)
    assert doc.origins["vehicles.starship.provider"] == f"{PRESET_DIR}/_structure.toml"
    assert doc.origins["vehicles.falcon-9.cumulative_launches"] == preset
    catalogue = "spacemarket/market/data/launch_vehicles.toml"
    assert doc.origins["vehicles.falcon-9.payload_capacity_kg"] == catalogue
    # survives a deep copy (apply_scenario_overrides, strategies) and names the top file for --set
    doc2 = copy.deepcopy(doc)
    assert doc2.origins == doc.origins


# --------------------------------------------------------------------------- 5. typos


def test_a_misspelt_vehicle_in_a_child_is_a_did_you_mean(tmp_path):
    path = child(tmp_path, '[[vehicles]]\nname = "starshipp"\nfirst_flight = "2028Q1"\n')
    err = cli_rejects(
        tmp_path,
        path,
        "vehicles.starshipp: no vehicle 'starshipp' in baseline-2026; did you mean 'starship'?",
        str(path),
    )
    assert "provider" in err  # what a new vehicle would need, for one really meant as new


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('[[labs]]\nname = "OpenAl"\ngrowth_per_year = 0.3\n',
         "no lab 'OpenAl' in baseline-2026; did you mean 'OpenAI'?"),
        ('[[providers]]\nname = "Blue Orgin"\ncash_usd = 1e9\n',
         "no provider 'Blue Orgin' in baseline-2026; did you mean 'Blue Origin'?"),
        ('[[clouds]]\nname = "Zeus"\nterrestrial_mw = 1\n', "no cloud 'Zeus' in baseline-2026 ("),
    ],
)  # fmt: skip
def test_misspelt_records_of_every_kind(tmp_path, body, needle):
    cli_rejects(tmp_path, child(tmp_path, body), needle)


def test_a_complete_new_vehicle_is_still_added(tmp_path):
    vehicle = dict(preset_doc("baseline-2026")["vehicles"][0], name="falcon-10")
    path = tmp_path / "child.toml"
    path.write_text('extends = "baseline-2026"\n' + to_toml({"vehicles": [vehicle]}))
    names = [v.name for v in load_scenario(path).vehicles]
    assert names[-1] == "falcon-10" and "falcon-9" in names


def test_a_misspelt_override_is_a_did_you_mean(tmp_path):
    out = tmp_path / "out"
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        code = main(["run", "baseline-2026", "--seed", "1", "--out", str(out), "--quiet",
                     "--set", "vehicles.starshipp.reliability=0.9"])  # fmt: skip
    assert code == 2 and not out.exists()
    assert "no element named 'starshipp'; did you mean 'starship'?" in stderr.getvalue()


# --------------------------------------------------------------------------- 6. run_scenario


@pytest.mark.parametrize(
    ("kwargs", "argument", "needle"),
    [
        ({"steps": 0}, "steps", "must be in [1, 12]"),
        ({"steps": -1}, "steps", "must be in [1, 12]"),
        ({"steps": 13}, "steps", "must be in [1, 12] (scenario backtest-2023 runs 2023Q1"),
        ({"steps": 2.5}, "steps", "must be an integer number of quarters, got 2.5"),
        ({"steps": 2.0}, "steps", "must be an integer number of quarters, got 2.0"),
        ({"steps": True}, "steps", "got True"),
        ({"steps": "2"}, "steps", "got '2'"),
        ({"seed": "1"}, "seed", "must be an integer >= 0, a numpy SeedSequence"),
        ({"seed": -1}, "seed", "must be an integer >= 0, got -1"),
        ({"seed": 1.5}, "seed", "got 1.5"),
        ({"seed": True}, "seed", "got True"),
        ({"rng": "x"}, "rng", "got 'x'"),
        ({"seed": 1, "rng": 2}, "seed", "give seed or rng, not both"),
    ],
)
def test_run_scenario_checks_its_arguments(kwargs, argument, needle):
    with pytest.raises(InputError) as info:
        run_scenario("backtest-2023", **kwargs)
    assert info.value.argument == argument
    assert needle in str(info.value) and "\n" not in str(info.value)


def test_run_scenario_accepts_numpy_integers_and_seed_sequences():
    a = run_scenario("backtest-2023", seed=np.int64(3), steps=np.int64(2))
    b = run_scenario("backtest-2023", seed=3, steps=2)
    assert a.market.equals(b.market) and a.seed == 3 and isinstance(a.seed, int)
    c = run_scenario("backtest-2023", seed=np.random.SeedSequence(3), steps=1)
    d = run_scenario("backtest-2023", rng=np.random.default_rng(3), steps=1)
    assert len(c.market) == len(d.market) == 1
    assert len(run_scenario("backtest-2023", seed=0, steps=12).market) == 12


def test_run_scenario_rejects_a_non_scenario():
    with pytest.raises(InputError, match="scenario: must be a Scenario"):
        run_scenario(42)
