"""The one validation engine (spacemarket.validation) and the four kinds of file that use it:
scenarios, the physics catalogue, games (in scenarios), sweep designs; the baseline graph too."""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacemarket.errors import DesignError, InputError, ScenarioError
from spacemarket.experiments.sweeps.design import parse_design
from spacemarket.market.economics.baseline_graph import _parse as parse_graph
from spacemarket.market.physics.catalog import load_file
from spacemarket.market.scenario import load_scenario
from spacemarket.validation import (
    bounded,
    build_record,
    check_keys,
    check_value,
    element_key,
    range_text,
)

SRC = Path(__file__).resolve().parents[1] / "src" / "spacemarket"


@dataclass(frozen=True, kw_only=True)
class Stage:
    name: str
    burn_s: float = bounded(0.0, 1000.0, low_open=True)


@dataclass(frozen=True, kw_only=True)
class Rocket:
    name: str
    stages: list[Stage]
    payload_kg: float = bounded(1.0, 1e6)
    rate: float = bounded(0.0, 1.0, 0.1, high_open=True)
    flights: int = bounded(0, 100, 0)
    list_price_usd: float | None = None
    tags: list[str] = bounded(default=[])
    split: dict[str, float] = bounded(0.0, 1.0, {})


def rocket(**changes):
    raw = {"name": "r", "stages": [{"name": "s1", "burn_s": 160}], "payload_kg": 500} | changes
    return build_record(Rocket, raw, "vehicles.r", "f.toml", ScenarioError)


def message(**changes) -> str:
    with pytest.raises(ScenarioError) as info:
        rocket(**changes)
    return str(info.value)


def test_a_valid_record_is_built_and_normalised():
    r = rocket(flights=3, split={"a": 1}, tags=["x"], list_price_usd=None)
    assert r.payload_kg == 500.0 and isinstance(r.payload_kg, float)
    assert r.stages == [Stage(name="s1", burn_s=160.0)]
    assert r.split == {"a": 1.0} and r.tags == ["x"] and r.rate == 0.1


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"payload_kg": 0}, "vehicles.r.payload_kg: must be in [1, 1e+06], got 0 (in f.toml)"),
        ({"rate": 1.0}, "vehicles.r.rate: must be in [0, 1), got 1"),
        ({"payload_kg": "big"}, "vehicles.r.payload_kg: expected a number, got string"),
        ({"flights": 2.0}, "vehicles.r.flights: expected an integer, got float"),
        ({"payload_kg": 10**400}, "vehicles.r.payload_kg: must be finite (too large for a float)"),
        ({"list_price_usd": "x"}, "list_price_usd: expected a number or nothing, got string"),
        ({"tags": ["a", 1]}, "vehicles.r.tags: expected an array of a string, got array"),
        ({"split": {"a": -1}}, "vehicles.r.split.a: must be >= 0, got -1"),
        ({"split": {"a": 2}}, "vehicles.r.split.a: must be in [0, 1], got 2"),
        ({"speed": 3}, "vehicles.r.speed: unknown key (allowed: flights, list_price_usd, name"),
        ({"stages": [{"name": "s1", "burn_s": 0}]}, "vehicles.r.stages.s1.burn_s: must be in (0,"),
        ({"stages": [{"burn_s": 1}]}, "vehicles.r.stages[0].name: missing required key"),
        ({"stages": {"name": "s1"}}, "vehicles.r.stages: expected an array of tables ([[...]])"),
    ],
)
def test_each_error_is_one_line_naming_the_key_path_and_the_file(changes, expected):
    text = message(**changes)
    assert expected in text and text.endswith("(in f.toml)") and "\n" not in text


def test_a_missing_required_key_is_named():
    with pytest.raises(ScenarioError, match=r"^vehicles\.r\.stages: missing required key"):
        build_record(Rocket, {"name": "r"}, "vehicles.r", "f.toml", ScenarioError)


def test_the_error_class_is_the_callers():
    with pytest.raises(DesignError):
        check_value("steps", "3", int, bounded(1), "d.toml", DesignError)
    with pytest.raises(InputError) as info:
        check_keys({"a.b": 1}, ["c"], "levers", "d.toml", quote=True)
    assert info.value.argument == 'levers."a.b"'


def test_range_text_and_element_key_by_hand():
    assert range_text(bounded(0.0, 1.0, high_open=True)) == "[0, 1)"
    assert range_text(bounded(0.0, low_open=True)) == "> 0"
    assert range_text(bounded(high=5.0)) == "<= 5"
    assert element_key("control", 2, {"owner": "x"}) == "control[2]"
    assert element_key("vehicles", 0, {"name": "nova"}) == "vehicles.nova"


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e9, max_value=1e9))
def test_a_number_is_accepted_exactly_when_it_is_in_range(x):
    f = bounded(-5.0, 5.0, low_open=True)
    if -5.0 < x <= 5.0:
        assert check_value("k", x, float, f, "f.toml") == x
    else:
        with pytest.raises(InputError, match="must be in"):
            check_value("k", x, float, f, "f.toml")


# ----------------------------------------------------------------- the files that use it


def test_scenario_catalogue_game_design_and_graph_errors_come_from_the_engine(tmp_path):
    scenario = tmp_path / "s.toml"
    scenario.write_text('extends = "baseline-2026"\n[game]\nseller_weight = 1.5\n')
    with pytest.raises(ScenarioError, match=r"game\.seller_weight: must be in \[0, 1\], got 1.5"):
        load_scenario(scenario)
    catalogue = tmp_path / "v.toml"
    shipped = (SRC / "market" / "data" / "launch_vehicles.toml").read_text(encoding="utf-8")
    catalogue.write_text(shipped.replace("payload_leo_kg = 18400 ", 'payload_leo_kg = "big" '))
    with pytest.raises(InputError, match="payload_leo_kg: expected a number, got string"):
        load_file("vehicle", catalogue)
    with pytest.raises(DesignError, match="steps: must be >= 1, got 0"):
        parse_design({"scenario": "baseline-2026", "steps": 0}, "d.toml")
    with pytest.raises(InputError, match=r"supply\[0\]\.input_units: expected a number"):
        parse_graph(
            'node = []\nsupply = [{ upstream = "a", downstream = "b", input = "launch", '
            'input_units = "x", source = "s" }]',
            "g.toml",
        )


def test_the_engine_imports_nothing_of_the_package_but_its_errors():
    tree = ast.parse((SRC / "validation.py").read_text(encoding="utf-8"))
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert {m for m in imported if m.startswith("spacemarket")} == {"spacemarket.errors"}


def test_no_other_module_checks_keys_by_hand():
    """The old per-file validators are gone: only the engine builds "unknown key" messages."""
    found = [
        str(p.relative_to(SRC))
        for p in SRC.rglob("*.py")
        if re.search(r"[\"']unknown key \(", p.read_text(encoding="utf-8"))
        and p != SRC / "validation.py"
    ]
    assert found == [], found
