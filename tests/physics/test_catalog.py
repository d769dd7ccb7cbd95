"""Shipped data: every record is sourced and dated, and loading is strict."""

import re
import tomllib
from importlib import resources

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


#: A source that points into the project's research notes (which do not ship with the package)
#: by note and section number instead of citing: "md 6", "pd 1.2-1.3", "market_data.md §6".
NOTE_NUMBER = re.compile(
    r"(?<![\w./])(?:md|pd|gt)(?:\s+|\s*§\s*)\d"  # md 1c, pd 1.2, gt 4.2
    r"|(?<![\w./])(?:md|pd)\s*(?:[;,]|$)"  # "pd; md 4"
    r"|§"
    r"|\b(?:market_data|physical|gametheory|tooling|strategy_in_the_loop)\.md\b"
    r"|shared/research"
    r"|(?-i:\bDESIGN\s*\()",  # "DESIGN (Games)": the project's design notes
    re.IGNORECASE,
)


@pytest.mark.parametrize(
    "old",
    ["md 6: Musk controls SpaceX", "md 3", "pd 1.2-1.3", "md 1a-1e; pd 1.2-1.3", "pd; md 4, 5c",
     "shared/research/market_data.md §6: $300B (livemint, H)", "DESIGN (Games); gametheory.md 4.2",
     "Project design from physical.md anchors", "calibrated to 2023 (md 1a, 1e)"],
)  # fmt: skip
def test_note_number_sources_are_recognised(old):
    assert NOTE_NUMBER.search(old)


@pytest.mark.parametrize(
    "fine",
    ["Suncatcher (Aguera y Arcas et al. 2025) sec. 4.4", "AMD 6 GW", "(A) size; IEA, Apr 2025",
     "Cushman & Wakefield 2025; Uptime Institute 2024", "https://cmd.example/pd1"],
)  # fmt: skip
def test_citations_are_not_taken_for_note_numbers(fine):
    assert not NOTE_NUMBER.search(fine)


def _data_files():
    root = resources.files("spacemarket.market.data")
    files = [p for p in root.iterdir() if p.name.endswith(".toml")]
    files += [p for p in root.joinpath("scenarios").iterdir() if p.name.endswith(".toml")]
    return sorted(files, key=lambda p: p.name)


def _sources(node, where=""):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "source":
                yield where, v
            else:
                yield from _sources(v, f"{where}.{k}" if where else k)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            name = v.get("name", v.get("firm", i)) if isinstance(v, dict) else i
            yield from _sources(v, f"{where}.{name}")


@pytest.mark.parametrize("path", _data_files(), ids=lambda p: p.name)
def test_every_shipped_source_is_a_citation_not_a_note_number(path):
    """Every data row's source is one a reader can follow (publisher, title or address, date)
    or marks an assumption: not a note number pointing into the unshipped research notes."""
    text = path.read_text(encoding="utf-8")
    found = list(_sources(tomllib.loads(text)))
    assert found, f"{path.name} names no source"
    for where, source in found:
        assert isinstance(source, str) and source.strip(), f"{path.name}: {where} has no source"
        assert not NOTE_NUMBER.search(source), (
            f"{path.name}: {where}: note-number source {source!r}"
        )
    for n, line in enumerate(text.splitlines(), 1):  # comments cite the same way
        assert not NOTE_NUMBER.search(line), f"{path.name}:{n}: note number in {line!r}"


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
