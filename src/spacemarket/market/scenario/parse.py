"""Parsing and validation: a scenario document (a dict read from TOML) -> :class:`Scenario`.

Strict: an unknown key, a wrong type, an out-of-range value or an unknown firm raises
:class:`ScenarioError` naming the key path and the file. Key paths name array elements by their
own ``name``, as ``--set`` does: ``vehicles.starship.payload_capacity_kg``, not the position in
a list merged through ``extends`` (elements without a name, such as ``[[control]]``, keep their
position: ``control[0].kappa``). Types and bounds are those declared on the specifications
(:mod:`spacemarket.market.scenario.spec`), checked by the package's one validation engine
(:mod:`spacemarket.validation`); this module adds what spans records (periods, firm names,
catalogue references). The ``[game]`` table is parsed by
:mod:`spacemarket.market.scenario.game_spec`.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from spacemarket.market import physics as ph
from spacemarket.market.scenario.game_spec import parse_game_spec
from spacemarket.market.scenario.spec import (
    MAX_QUARTERS,
    YEARS,
    Scenario,
    ScenarioError,
    quarter_index,
)
from spacemarket.validation import build_record, element_key, shown

__all__ = ["origin_of", "parse_scenario"]


def _check_years(key: str, by_year: dict[str, float], src: str) -> None:
    """Keys of a per-year table are years (ASCII digits, 1957-2200); it has at least one."""
    for year in by_year:
        if not (year.isascii() and year.isdigit()):
            raise ScenarioError(f"{key}.{year}", "keys are years", src)
        if not YEARS[0] <= int(year) <= YEARS[1]:
            raise ScenarioError(
                f"{key}.{year}", f"year must be in [{YEARS[0]}, {YEARS[1]}], got {year}", src
            )
    if not by_year:
        raise ScenarioError(key, "needs at least one year", src)


def _quarter(key: str, label: str, src: str) -> int:
    try:
        return quarter_index(label)
    except ValueError as exc:
        raise ScenarioError(key, str(exc), src) from None


def _check_period(s: Scenario, src: str) -> None:
    """``start`` and ``end`` are quarters in plausible years, in order, at most 100 years apart."""
    start, end = _quarter("start", s.start, src), _quarter("end", s.end, src)
    if end < start:
        raise ScenarioError("end", f"must not be before start ({s.start})", src)
    for key, q in (("start", start), ("end", end)):
        if not YEARS[0] <= q // 4 <= YEARS[1]:
            raise ScenarioError(
                key, f"year must be in [{YEARS[0]}, {YEARS[1]}], got {getattr(s, key)}", src
            )
    if end - start + 1 > MAX_QUARTERS:
        raise ScenarioError(
            "end",
            f"a scenario runs at most {MAX_QUARTERS} quarters, got {end - start + 1} "
            f"({s.start} to {s.end})",
            src,
        )


def _check_start_within_data(s: Scenario, src: str) -> None:
    """The scenario does not start before its data: every per-year table of something active
    at the start (a vehicle already flying, a captive market) begins in the start year or
    earlier. (The model would otherwise run the first year's numbers in earlier years: 2026's
    cadences in 2010, without a word.)"""
    start = quarter_index(s.start)
    tables = [
        (f"{element_key('vehicles', i, v)}.planned_launches_per_year", v.planned_launches_per_year)
        for i, v in enumerate(s.vehicles)
        if not v.first_flight or quarter_index(v.first_flight) <= start
    ]
    tables += [
        (f"{element_key('captive', i, c)}.launches_per_year", c.launches_per_year)
        for i, c in enumerate(s.captive)
    ]
    for key, by_year in tables:
        first = min(int(y) for y in by_year)
        if first > start // 4:
            raise ScenarioError(
                "start",
                f"{s.start} is before the scenario's data: {key} begins in {first}; start in "
                f"{first} or later, or give that table the years from {start // 4}",
                src,
            )


def _cross_check(s: Scenario, src: str) -> None:
    _check_period(s, src)
    providers = {p.name for p in s.providers}
    vehicles = {v.name: v for v in s.vehicles}
    clouds = {c.name for c in s.clouds}
    firms = providers | clouds | {lab.name for lab in s.labs}
    for group in ("providers", "vehicles", "clouds", "labs", "captive"):
        names = [x.name for x in getattr(s, group)]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ScenarioError(f"{group}.{dup[0]}", f"duplicate name {dup[0]!r}", src)
    for i, v in enumerate(s.vehicles):
        path = element_key("vehicles", i, v)
        if v.provider not in providers:
            raise ScenarioError(f"{path}.provider", f"unknown firm {v.provider!r}", src)
        if v.external_payload_kg > v.payload_capacity_kg:
            raise ScenarioError(
                f"{path}.external_payload_kg",
                f"{shown(v.external_payload_kg)} exceeds payload_capacity_kg "
                f"({shown(v.payload_capacity_kg)})",
                src,
            )
        for label_key in ("first_flight", "retire"):
            label = getattr(v, label_key)
            if label:
                _quarter(f"{path}.{label_key}", label, src)
        _check_years(f"{path}.planned_launches_per_year", v.planned_launches_per_year, src)
    for i, c in enumerate(s.captive):
        _check_years(f"{element_key('captive', i, c)}.launches_per_year", c.launches_per_year, src)
    _check_start_within_data(s, src)
    for name, kg in s.starlink.vehicles.items():
        if name not in vehicles:
            raise ScenarioError(f"starlink.vehicles.{name}", f"unknown vehicle {name!r}", src)
        if kg <= 0:
            raise ScenarioError(f"starlink.vehicles.{name}", "must be > 0", src)
    for i, lab in enumerate(s.labs):
        path = element_key("labs", i, lab)
        for sup in lab.suppliers:
            if sup != "own" and sup not in clouds:
                raise ScenarioError(f"{path}.suppliers.{sup}", f"unknown firm {sup!r}", src)
        if lab.suppliers and abs(sum(lab.suppliers.values()) - 1.0) > 1e-6:
            raise ScenarioError(f"{path}.suppliers", "shares must sum to 1", src)
        if lab.backhaul_supplier != "own" and lab.backhaul_supplier not in providers:
            raise ScenarioError(
                f"{path}.backhaul_supplier", f"unknown firm {lab.backhaul_supplier!r}", src
            )
        for name in lab.launch_bargaining_weights:
            if name not in providers:
                raise ScenarioError(
                    f"{path}.launch_bargaining_weights.{name}", f"unknown launcher {name!r}", src
                )
        if lab.contract_supplier and lab.contract_supplier not in providers:
            raise ScenarioError(
                f"{path}.contract_supplier", f"unknown firm {lab.contract_supplier!r}", src
            )
        if lab.contract_until:
            if not lab.contract_supplier:
                raise ScenarioError(f"{path}.contract_until", "needs a contract_supplier", src)
            _quarter(f"{path}.contract_until", lab.contract_until, src)
        for key in ("contract_reserved_kg_per_quarter", "contract_take_or_pay"):
            if getattr(lab, key) and not lab.contract_supplier:
                raise ScenarioError(f"{path}.{key}", "needs a contract_supplier", src)
    if s.compute.orbital_available_from:
        _quarter("compute.orbital_available_from", s.compute.orbital_available_from, src)
    for i, c in enumerate(s.control):
        if c.firm not in firms:
            raise ScenarioError(f"control[{i}].firm", f"unknown firm {c.firm!r}", src)
        if c.start:
            _quarter(f"control[{i}].start", c.start, src)
    for key, kind in (
        ("orbital_design", "design"),
        ("terrestrial_site", "site"),
        ("hardware", "hardware"),
    ):
        name = getattr(s.compute, key)
        if name not in ph.records(kind):
            known = ", ".join(ph.records(kind))
            raise ScenarioError(f"compute.{key}", f"unknown {kind} {name!r} (known: {known})", src)


def origin_of(doc: dict[str, Any], key: str) -> str | None:
    """The file that gave ``key`` its value, when ``doc`` records it (a document resolved by
    :func:`spacemarket.market.scenario.documents.resolved_document` does, in ``doc.origins``):
    the entry for ``key`` itself or for its nearest enclosing table or array element."""
    origins = getattr(doc, "origins", None)
    if not isinstance(origins, dict):
        return None
    best = None
    for k, src in origins.items():
        if k == key:
            return src
        if (
            key.startswith(k)
            and key[len(k) : len(k) + 1] in (".", "[")
            and (best is None or len(k) > len(best[0]))
        ):
            best = (k, src)
    return best[1] if best else None


def _parse(doc: dict[str, Any], source: str) -> Scenario:
    body = {k: v for k, v in doc.items() if k != "game"}
    scenario = build_record(Scenario, body, "", source, ScenarioError, internal=("source_file",))
    scenario = dataclasses.replace(scenario, source_file=source)
    _cross_check(scenario, source)
    if "game" in doc:
        firms = {f.name for group in (scenario.providers, scenario.clouds, scenario.labs)
                 for f in group}  # fmt: skip
        scenario = dataclasses.replace(scenario, game=parse_game_spec(doc["game"], firms, source))
    return scenario


def parse_scenario(doc: dict[str, Any], source: str) -> Scenario:
    """Validate a parsed TOML document into a :class:`Scenario`.

    An error names the key path and ``source``; when ``doc`` was resolved through ``extends``
    and the offending value came from an ancestor file, it names that file too
    (``(in base.toml, extended by child.toml)``).
    """
    try:
        return _parse(doc, source)
    except ScenarioError as exc:
        origin = origin_of(doc, exc.key)
        if origin is None or origin == source or exc.source != source:
            raise
        raise ScenarioError(exc.key, exc.reason, f"{origin}, extended by {source}") from None
