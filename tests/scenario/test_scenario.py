"""Scenario loading: presets validate; bad files get one clear error naming key and file."""

import pytest

from spacemarket.market.scenario import (
    ScenarioError,
    load_scenario,
    preset_names,
    quarter_index,
    quarter_label,
    resolved_document,
    to_toml,
)


def preset_text(name="backtest-2023"):
    """The preset as one standalone file: ``extends`` and catalogue references resolved."""
    return to_toml(resolved_document(name)[0])


@pytest.mark.parametrize("name", ["backtest-2023", "baseline-2026"])
def test_presets_load(name):
    assert name in preset_names()
    s = load_scenario(name)
    assert s.name == name
    assert s.n_quarters >= 12
    for group in ("providers", "vehicles", "captive", "clouds", "labs", "control"):
        for record in getattr(s, group):
            label = getattr(record, "name", getattr(record, "firm", "?"))
            assert record.source.strip(), f"{name}: {group} {label} has no source"
    for table in ("starlink", "external_demand", "compute"):
        assert getattr(s, table).source.strip(), f"{name}: [{table}] has no source"
    # the citations are the data files' (tests/physics/test_catalog.py checks that they cite,
    # not point into the unshipped research notes by number)
    assert "md 1" not in s.vehicles[0].source


def test_quarters_round_trip():
    assert quarter_label(quarter_index("2026Q3")) == "2026Q3"
    assert quarter_index("2027Q1") - quarter_index("2026Q4") == 1
    with pytest.raises(ValueError):
        quarter_index("2026-Q1")


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda t: t.replace('start = "2023Q1"', 'start = "2023Q1"\nspeed = 3'), "speed"),
        (
            lambda t: t.replace("payload_capacity_kg = 18400.0\n", "payload_capacity_kg = -1\n"),
            "vehicles.falcon-9.payload_capacity_kg",
        ),
        (
            lambda t: t.replace("payload_capacity_kg = 18400.0\n", 'payload_capacity_kg = "big"\n'),
            "vehicles.falcon-9.payload_capacity_kg",
        ),
        (
            lambda t: t.replace(
                'catalog = "falcon-9"\nprovider = "SpaceX"',
                'catalog = "falcon-9"\nprovider = "SpaceY"',
            ),
            "vehicles.falcon-9.provider",
        ),
        (lambda t: t.replace('start = "2023Q1"', 'start = "2023-01"'), "start"),
        (
            lambda t: t.replace("reliability = 0.978\n", "reliability = 1.5\n"),
            "vehicles.falcon-9.reliability",
        ),
        (
            lambda t: t.replace(
                'orbital_design = "starlink-v2-mini-class"', 'orbital_design = "death-star"'
            ),
            "compute.orbital_design",
        ),
        (
            lambda t: t.replace("suppliers = { Azure = 0.8,", "suppliers = { Azur = 0.8,"),
            "labs.OpenAI.suppliers.Azur",
        ),
        (
            lambda t: t.replace("[external_demand]\n", "[external_demand]\nmood = 1\n"),
            "external_demand.mood",
        ),
        (
            lambda t: t + "\n[[control]]\nowner = 'x'\nfirm = 'Nobody'\nkappa = 1.0\n",
            "control[1].firm",
        ),
        (lambda t: t.replace("[[control]]\nowner", "[[control]\nowner"), "toml"),
    ],
)
def test_bad_scenario_names_key_and_file(tmp_path, edit, key):
    text = preset_text()
    bad = edit(text)
    assert bad != text, "edit did not apply"
    path = tmp_path / "bad.toml"
    path.write_text(bad)
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    assert info.value.key == key
    assert str(path) in str(info.value)


def test_unknown_preset_or_missing_file():
    with pytest.raises(ScenarioError, match="no preset or file"):
        load_scenario("no-such-scenario")
