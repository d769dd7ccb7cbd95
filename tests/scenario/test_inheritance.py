"""Presets share one base (``_structure``), drop inherited records with ``remove``, and take a
vehicle's published figures from the physics catalogue with ``catalog = NAME``."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

from spacemarket.experiments.cli.app import main
from spacemarket.market import physics as ph
from spacemarket.market.model import run_scenario
from spacemarket.market.scenario import (
    ScenarioError,
    load_scenario,
    preset_names,
    resolved_document,
)
from spacemarket.market.scenario.documents import CATALOG_FIELDS


def child(tmp_path: Path, body: str, extends: str = "baseline-2026") -> Path:
    path = tmp_path / "child.toml"
    path.write_text(f'extends = "{extends}"\n{body}', encoding="utf-8")
    return path


def rejected(path: Path) -> str:
    """The CLI's one-line error for ``path`` (exit 2, nothing written)."""
    out, err = path.parent / "out", io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["run", str(path), "--seed", "1", "--out", str(out), "--quiet"])
    assert code == 2 and not out.exists()
    assert err.getvalue().count("\n") == 1
    return err.getvalue()


# --------------------------------------------------------------------------- the shared base


def test_the_base_is_not_a_preset_but_both_presets_extend_it():
    assert "_structure" not in preset_names()
    assert {"backtest-2023", "baseline-2026"} <= set(preset_names())
    for name in ("backtest-2023", "baseline-2026"):
        doc, _ = resolved_document(name)
        structure = "spacemarket/market/data/scenarios/_structure.toml"
        assert doc.origins["vehicles.starship.mean_utility"] == structure
        assert doc.origins["labs.OpenAI.suppliers"] == structure


def test_the_presets_share_structure_and_differ_in_state():
    bt, bl = load_scenario("backtest-2023"), load_scenario("baseline-2026")
    by_name = {v.name: v for v in bt.vehicles}
    for v in bl.vehicles:
        assert v.mean_utility == by_name[v.name].mean_utility  # one calibrated value
        assert v.launch_cost_usd == by_name[v.name].launch_cost_usd
    assert by_name["falcon-9"].cumulative_launches < bl.vehicles[0].cumulative_launches
    # Ariane 5 flies in the back-test only: the baseline removes it, keeping the order
    assert "ariane-5" in by_name
    assert [v.name for v in bl.vehicles] == [v.name for v in bt.vehicles if v.name != "ariane-5"]


# --------------------------------------------------------------------------- remove


def test_remove_drops_an_inherited_record_and_the_run_follows(tmp_path):
    path = child(tmp_path, 'remove = ["vehicles.new-glenn", "labs.Meta"]\n')
    s = load_scenario(path)
    assert "new-glenn" not in [v.name for v in s.vehicles]
    assert "Meta" not in [lab.name for lab in s.labs]
    result = run_scenario(s, seed=1, steps=2)
    assert "new-glenn" not in set(result.vehicles["vehicle"])
    assert "new-glenn" in set(
        run_scenario(load_scenario("baseline-2026"), 1, steps=2).vehicles["vehicle"]
    )


def test_a_removed_record_can_be_added_back_whole(tmp_path):
    base = {v.name: v for v in load_scenario("baseline-2026").vehicles}["vega"]
    body = (
        'remove = ["vehicles.vega"]\n[[vehicles]]\nname = "vega"\nprovider = "Arianespace"\n'
        "payload_capacity_kg = 2300\nexternal_payload_kg = 1500\nlaunch_cost_usd = 30e6\n"
        "cumulative_launches = 22\nlist_price_usd = 40e6\nmean_utility = 5.0\n"
        "planned_launches_per_year = { 2026 = 3 }\n"
    )
    vega = load_scenario(child(tmp_path, body)).vehicles[-1]
    assert vega.name == "vega" and vega.launch_cost_usd == 30e6 != base.launch_cost_usd
    assert vega.reliability == 0.99 != base.reliability  # the default: nothing inherited


@pytest.mark.parametrize(
    ("body", "needle"),
    [
        ('remove = ["vehicles.new-glen"]\n',
         "remove: no vehicle 'new-glen' in baseline-2026; did you mean 'new-glenn'?"),
        ('remove = ["rockets.new-glenn"]\n', "remove: 'rockets.new-glenn' is not TABLE.NAME"),
        ('remove = "vehicles.new-glenn"\n', "remove: expected a list of key paths"),
    ],
)  # fmt: skip
def test_a_bad_remove_is_one_line_naming_the_file(tmp_path, body, needle):
    path = child(tmp_path, body)
    err = rejected(path)
    assert needle in err and str(path) in err


def test_remove_without_extends_is_rejected(tmp_path):
    path = tmp_path / "alone.toml"
    path.write_text('remove = ["vehicles.vega"]\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="no extends") as info:
        load_scenario(path)
    assert info.value.key == "remove"


# --------------------------------------------------------------------------- catalogue references


def test_a_vehicles_published_figures_have_one_home():
    """Falcon 9's payload, list price and reported cost come from the physics catalogue."""
    f9 = ph.launch_vehicle("falcon-9")
    for name in ("backtest-2023", "baseline-2026"):
        doc, _ = resolved_document(name)
        (record,) = [v for v in doc["vehicles"] if v["name"] == "falcon-9"]
        assert record["catalog"] == "falcon-9"
        assert "launch_vehicles.toml" in doc.origins["vehicles.falcon-9.payload_capacity_kg"]
        v = {v.name: v for v in load_scenario(name).vehicles}["falcon-9"]
        assert v.payload_capacity_kg == f9.payload_leo_kg
        assert v.list_price_usd == f9.list_price_usd
        assert v.launch_cost_usd == f9.reported_cost_per_flight_usd


def test_a_value_set_in_the_scenario_wins_over_the_catalogue():
    starship = {v.name: v for v in load_scenario("baseline-2026").vehicles}["starship"]
    assert starship.catalog == "starship"
    assert ph.launch_vehicle("starship").payload_leo_kg == 200000  # Musk's full-reuse goal
    assert starship.payload_capacity_kg == 100000  # the scenario's V3 figure


def test_a_new_vehicle_can_take_its_figures_from_the_catalogue(tmp_path):
    body = (
        '[[vehicles]]\nname = "f9-copy"\ncatalog = "falcon-9"\nprovider = "SpaceX"\n'
        "external_payload_kg = 5000\ncumulative_launches = 10\nmean_utility = 1.0\n"
        "planned_launches_per_year = { 2026 = 2 }\n"
    )
    v = load_scenario(child(tmp_path, body)).vehicles[-1]
    assert (v.name, v.payload_capacity_kg, v.list_price_usd) == ("f9-copy", 18400, 67e6)
    assert set(CATALOG_FIELDS) == {"payload_capacity_kg", "list_price_usd", "launch_cost_usd"}


def test_an_unknown_catalogue_vehicle_is_named(tmp_path):
    path = child(tmp_path, '[[vehicles]]\nname = "nova"\ncatalog = "novaa"\n')
    err = rejected(path)
    assert "vehicles.nova.catalog: no vehicle 'novaa' in " in err
    assert "did you mean 'nova'?" in err and str(path) in err
