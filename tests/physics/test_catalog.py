"""Shipped data: every record is sourced and dated, and loading is strict."""

import pytest

from spacemarket.market import physics as ph
from spacemarket.market.physics import InputError

REQUIRED_VEHICLES = {
    "falcon-9", "falcon-heavy", "starship", "nova", "new-glenn", "neutron", "electron", "vulcan",
    "ariane-6",
}  # fmt: skip


@pytest.mark.parametrize("kind", ["vehicle", "design", "site", "hardware", "path"])
def test_every_record_has_source_and_date(kind):
    recs = ph.records(kind)
    assert recs
    for rec in recs.values():
        assert rec.source.strip(), f"{kind} {rec.name} has no source"
        assert rec.date.strip(), f"{kind} {rec.name} has no date"
        assert rec.confidence in {"A", "B", "C"}, f"{kind} {rec.name} confidence"


def test_the_issue_lists_are_shipped():
    assert REQUIRED_VEHICLES <= set(ph.records("vehicle"))
    assert {"starlink-v2-mini-class", "compute-optimized", "starcloud"} <= set(ph.records("design"))
    assert {"us-average", "cheap-power", "power-constrained"} <= set(ph.records("site"))


def test_every_design_names_shipped_hardware():
    for d in ph.records("design").values():
        ph.compute_hardware(d.hardware)


def test_propellant_prices():
    prices = ph.propellant_prices_usd_per_t()
    assert prices["lox"] == 200 and prices["ch4"] == 700 and prices["rp1"] == 700


def _write(tmp_path, text):
    p = tmp_path / "designs.toml"
    p.write_text(text)
    return p


BASE = ph.__file__.rsplit("/", 2)[0] + "/data/terrestrial_sites.toml"


def test_user_file_loads(tmp_path):
    text = open(BASE).read()
    p = _write(tmp_path, text)
    assert set(ph.load_file("site", p)) == set(ph.records("site"))


@pytest.mark.parametrize(
    ("edit", "key"),
    [
        (lambda t: t.replace("pue = 1.3 ", "pue = 1.3\nwattage = 4 "), "wattage"),
        (lambda t: t.replace("pue = 1.3 ", 'pue = "high" '), "pue"),
        (lambda t: t.replace("pue = 1.3 ", "pue = 0.5 "), "pue"),
        (lambda t: t.replace("facility_life_years = 20 ", "", 1), "facility_life_years"),
        (lambda t: t + "\n[extra]\nx = 1\n", "extra"),
        (lambda t: t + "\n[[site]]\n", "name"),
        (lambda t: t.replace("[[site]]", "[[site]\n", 1), "toml"),
    ],
)
def test_bad_files_name_key_and_file(tmp_path, edit, key):
    p = _write(tmp_path, edit(open(BASE).read()))
    with pytest.raises(InputError) as info:
        ph.load_file("site", p)
    assert info.value.argument == key
    assert str(p) in str(info.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(InputError, match="cannot read"):
        ph.load_file("site", tmp_path / "absent.toml")
