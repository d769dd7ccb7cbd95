"""Scenarios: the sourced parameters of one market run, validated on load.

A scenario is a TOML file (presets ship in ``spacemarket/market/data/scenarios``). Loading is
strict: an unknown key, a wrong type, an out-of-range value or an unknown firm raises
:class:`ScenarioError` naming the key path and the file. Quarters are written ``"2026Q1"``.
Money is nominal USD; launch prices are per launch (missions) or per kg where the name says so.

Key paths name array elements by their own ``name``, as ``--set`` does:
``vehicles.starship.payload_capacity_kg``, not the position in a list merged through
``extends`` (elements without a name, such as ``[[control]]``, keep their position:
``control[0].kappa``). Every numeric field carries a plausible range next to its declaration
(see the comments in the specifications below); a value outside it is rejected with the range.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacemarket.errors import ScenarioError

__all__ = [
    "CaptiveSpec",
    "ComputeSpec",
    "ControlSpec",
    "ExternalDemandSpec",
    "LabSpec",
    "ProviderSpec",
    "Scenario",
    "ScenarioError",
    "StarlinkSpec",
    "VehicleSpec",
    "load_scenario",
    "parse_scenario",
    "preset_names",
    "quarter_index",
    "quarter_label",
]

_QUARTER = re.compile(r"^(\d{4})Q([1-4])\Z", re.ASCII)  # \Z: no trailing newline


def quarter_index(label: str) -> int:
    """Quarters since 0000Q1: ``"2026Q1"`` -> 8104. Raises ValueError on a bad label."""
    m = _QUARTER.match(str(label))
    if not m:
        raise ValueError(f"quarter must look like 2026Q1, got {label!r}")
    return int(m.group(1)) * 4 + int(m.group(2)) - 1


def quarter_label(index: int) -> str:
    """Inverse of :func:`quarter_index`."""
    return f"{index // 4}Q{index % 4 + 1}"


# --------------------------------------------------------------------------- specifications
# Each field's metadata may carry (low, high) bounds checked on load; ``low_open`` excludes the
# low end (``> low``). For a per-name table (``dict[str, float]``) the bounds apply to every
# entry. Besides the hard limits (shares in [0, 1], costs > 0) the bounds are plausibility
# limits: generous (several times any vehicle, firm or market on record) but finite, so that a
# slipped exponent or unit (``payload_capacity_kg = 1e30``, a price in cents) is rejected on
# load, naming the range, instead of running to a meaningless answer.
#
# Reference magnitudes (research notes, Dec 2025): the heaviest launcher lifts ~100-200 t to
# LEO (Starship; Saturn V 140 t); the dearest launch cost ~$1.5B (Space Shuttle, Jones 2018);
# 329 orbital launches worldwide in 2025 (Falcon 9: 165, ~600 flights in all); world data
# centres drew ~47 GW on average in 2024 (IEA 2025); SpaceX was valued at ~$800B (Dec 2025).
_MAX_PAYLOAD_KG = 1e6  # 1,000 t per launch: 5x Starship's 200 t expendable aspiration
_MAX_USD_PER_LAUNCH = 1e11  # $100B per launch: ~70x the Shuttle's $1.5B per flight
_MAX_LAUNCHES_PER_YEAR = 1e5  # ~300x the 2025 world total (329)
_MAX_CUMULATIVE_LAUNCHES = 1e5  # ~50x the most-flown family (Soyuz/R-7, ~1,900)
_MAX_CASH_USD = 1e13  # $10 trillion: ~12x SpaceX's Dec 2025 valuation
_MAX_GW = 1e3  # 1 TW of IT load: ~20x every data centre on Earth in 2024 (~47 GW)
#: Years a scenario may start or end in (the first satellite flew in 1957).
YEARS = (1957, 2200)
#: Longest scenario, in quarters (100 years).
MAX_QUARTERS = 400


def _f(
    low: float | None = None,
    high: float | None = None,
    default: Any = dataclasses.MISSING,
    *,
    low_open: bool = False,
):
    meta = {"low": low, "high": high, "low_open": low_open}
    if default is dataclasses.MISSING:
        return field(metadata=meta)
    if isinstance(default, dict | list):
        return field(default_factory=lambda: type(default)(default), metadata=meta)
    return field(default=default, metadata=meta)


@dataclass(frozen=True, kw_only=True)
class ProviderSpec:
    """A launch company. ``controller`` is its ultimate owner (e.g. ``"Musk"``).

    ``forecloses_launch`` refuses launch contracts for orbital compute to labs it does not
    control (they turn to their ``fallback_launch_supplier``); ``forecloses_backhaul`` refuses
    them its backhaul (Starlink), so they pay ``compute.alternative_backhaul_usd_per_kw_year``.
    """

    name: str
    controller: str
    cash_usd: float = _f(0.0, _MAX_CASH_USD, 0.0)
    forecloses_launch: bool = False
    forecloses_backhaul: bool = False
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class VehicleSpec:
    """A launch vehicle as flown in the scenario.

    ``planned_launches_per_year`` maps a year (``"2025"``) to the operator's planned cadence;
    after the last planned year cadence grows at ``cadence_growth_per_year``. A vehicle with a
    ``first_flight`` after the start enters then plus a random slip (geometric, mean
    ``first_flight_slip_mean_quarters``), and ramps to plan over ``ramp_quarters``. Each flight
    has an anomaly with probability ``(1 - reliability) * (n / n0) ** -reliability_growth`` after
    ``n`` cumulative flights (``n0`` at the start; Duane 1964 reliability growth); each anomaly
    grounds the vehicle for ``stand_down_quarters`` of the next quarter (at most half of it).
    """

    name: str
    provider: str
    payload_capacity_kg: float = _f(1.0, _MAX_PAYLOAD_KG)  # kg to LEO per launch
    external_payload_kg: float = _f(1.0, _MAX_PAYLOAD_KG)  # and <= payload_capacity_kg
    launch_cost_usd: float = _f(0.0, _MAX_USD_PER_LAUNCH, low_open=True)  # > 0: Wright's law
    cost_learning_rate: float = _f(0.0, 0.9, 0.0)
    cost_floor_usd: float = _f(0.0, _MAX_USD_PER_LAUNCH, 0.0)
    cumulative_launches: float = _f(1.0, _MAX_CUMULATIVE_LAUNCHES)
    list_price_usd: float = _f(0.0, _MAX_USD_PER_LAUNCH, low_open=True)
    mean_utility: float = _f(-50.0, 50.0)
    planned_launches_per_year: dict[str, float] = _f(0.0, _MAX_LAUNCHES_PER_YEAR)
    cadence_growth_per_year: float = _f(-0.5, 2.0, 0.0)
    #: The default, 1e6 launches a year, means no ceiling.
    max_launches_per_year: float = _f(0.0, 1e6, 1e6)
    investment_response: float = _f(0.0, 4.0, 0.0)
    reliability: float = _f(0.5, 1.0, 0.99)
    reliability_growth: float = _f(0.0, 1.0, 0.3)
    stand_down_quarters: float = _f(0.0, 4.0, 0.11)
    first_flight: str = ""
    first_flight_slip_mean_quarters: float = _f(0.0, 40.0, 0.0)
    ramp_quarters: float = _f(0.0, 40.0, 0.0)
    retire: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class StarlinkSpec:
    """SpaceX's internal demand: Starlink fills Falcon (and later Starship) capacity left over."""

    #: vehicle -> kg of satellites per launch (> 0)
    vehicles: dict[str, float] = _f(0.0, _MAX_PAYLOAD_KG)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class ExternalDemandSpec:
    """Contestable launch demand (commercial and government, outside captive markets).

    Logit over operational vehicles with an outside option: ``market_missions_per_year`` is the
    potential number of missions; ``price_sensitivity_per_usd_per_kg`` is alpha on the price
    per kg of the payload a vehicle typically delivers (see ``VehicleSpec.external_payload_kg``).
    """

    market_missions_per_year: float = _f(0.0, _MAX_LAUNCHES_PER_YEAR)
    growth_per_year: float = _f(-0.5, 2.0)
    price_sensitivity_per_usd_per_kg: float = _f(1e-9, 1.0)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class CaptiveSpec:
    """Launches of a closed market (e.g. China), exogenous: counts by year, then growth."""

    name: str
    launches_per_year: dict[str, float] = _f(0.0, _MAX_LAUNCHES_PER_YEAR)
    mass_per_launch_kg: float = _f(0.0, _MAX_PAYLOAD_KG)
    growth_per_year: float = _f(-0.5, 2.0, 0.0)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class CloudSpec:
    """A cloud provider selling compute (terrestrial MW of IT load at the start)."""

    name: str
    controller: str
    terrestrial_mw: float = _f(0.0, _MAX_GW * 1e3)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class LabSpec:
    """An AI lab: compute in use at the start (GW of IT load), its growth and its suppliers.

    Demand grows at ``growth_per_year``, a rate that halves every ``growth_half_life_years``.

    ``suppliers`` maps a cloud (or ``"own"``) to its share of the lab's compute; orbital
    capacity is launched by ``launch_supplier`` and linked to the ground through
    ``backhaul_supplier`` (Starlink, i.e. ``"SpaceX"``, or ``"own"``).
    """

    name: str
    controller: str
    compute_gw: float = _f(0.0, _MAX_GW)
    growth_per_year: float = _f(-0.5, 5.0)
    growth_half_life_years: float = _f(0.1, 1000.0, 1000.0)
    suppliers: dict[str, float] = _f(0.0, 1.0)  # shares, summing to 1
    launch_supplier: str = "SpaceX"
    fallback_launch_supplier: str = ""
    backhaul_supplier: str = "SpaceX"
    contract_supplier: str = ""
    contract_until: str = ""
    contract_bargaining_weight: float = _f(0.0, 1.0, 0.3)
    orbital_interest: float = _f(0.0, 1.0, 1.0)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class ComputeSpec:
    """How builders choose orbital versus terrestrial capacity.

    ``alternative_backhaul_usd_per_kw_year`` is what a lab refused Starlink backhaul pays for
    its own links to the ground per kW of orbital IT load (project assumption, default $500).

    New capacity goes to orbit with logit probability ``orbital_interest / (1 + exp((C_orb -
    C_ground) / (cost_dispersion * C_ground)))``; ground additions wait ``grid_delay_quarters``.
    """

    orbital_design: str
    terrestrial_site: str
    hardware: str
    cost_dispersion: float = _f(1e-3, 10.0, 0.15)
    grid_delay_quarters: int = _f(0, 80, 0)
    launch_bargaining_weight: float = _f(0.0, 1.0, 0.5)
    alternative_backhaul_usd_per_kw_year: float = _f(0.0, 1e6, 500.0)
    #: First quarter orbital data centers can be deployed at scale ("" = from the start).
    orbital_available_from: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class ControlSpec:
    """A control edge ``owner -> firm`` with weight kappa, active from ``start`` (optional)."""

    owner: str
    firm: str
    kappa: float = _f(1e-9, 1.0)
    start: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class Scenario:
    """A complete, validated scenario. Build with :func:`load_scenario`."""

    name: str
    description: str
    start: str
    end: str
    providers: list[ProviderSpec]
    vehicles: list[VehicleSpec]
    starlink: StarlinkSpec
    external_demand: ExternalDemandSpec
    captive: list[CaptiveSpec]
    clouds: list[CloudSpec]
    labs: list[LabSpec]
    compute: ComputeSpec
    control: list[ControlSpec] = _f(default=[])
    #: The integration game (:class:`~spacemarket.market.scenario.game_spec.GameSpec`) or None.
    game: Any = None
    source_file: str = ""

    @property
    def n_quarters(self) -> int:
        """Number of quarterly steps from ``start`` to ``end`` inclusive."""
        return quarter_index(self.end) - quarter_index(self.start) + 1


# --------------------------------------------------------------------------- loading

_LISTS = {
    "providers": ProviderSpec,
    "vehicles": VehicleSpec,
    "captive": CaptiveSpec,
    "clouds": CloudSpec,
    "labs": LabSpec,
    "control": ControlSpec,
}
_TABLES = {"starlink": StarlinkSpec, "external_demand": ExternalDemandSpec, "compute": ComputeSpec}


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def element_key(table: str, index: int, item: Any) -> str:
    """The key path of one element of an array of tables: by its own name, as ``--set`` spells
    it (``vehicles.starship``); by position only if it has no name (``control[0]``)."""
    name = item.get("name") if isinstance(item, dict) else getattr(item, "name", None)
    if isinstance(name, str) and name.strip():
        return f"{table}.{name}"
    return f"{table}[{index}]"


def _shown(value: float) -> str:
    """A value as the user wrote it, compactly: 18400, 0.978, 1e+30."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _range(f: dataclasses.Field) -> str:
    """The allowed range of a field as text: ``[1, 1e+06]``, ``(0, 1e+11]``, ``>= 0``."""
    low, high = f.metadata.get("low"), f.metadata.get("high")
    open_ = f.metadata.get("low_open", False)
    if low is not None and high is not None:
        return f"{'(' if open_ else '['}{low:g}, {high:g}]"
    if low is not None:
        return f"{'>' if open_ else '>='} {low:g}"
    return f"<= {high:g}"


def _in_range(key: str, value: float, f: dataclasses.Field, src: str) -> None:
    low, high = f.metadata.get("low"), f.metadata.get("high")
    if low is None and high is None:
        return
    below = low is not None and (value <= low if f.metadata.get("low_open") else value < low)
    if below or (high is not None and value > high):
        raise ScenarioError(key, f"must be in {_range(f)}, got {_shown(value)}", src)


def _finite(key: str, value: int | float, src: str) -> float:
    """``value`` as a finite float (TOML integers may exceed the float range)."""
    try:
        out = float(value)
    except OverflowError:
        raise ScenarioError(key, "must be finite (too large for a float)", src) from None
    if out != out or out in (float("inf"), float("-inf")):
        raise ScenarioError(key, "must be finite", src)
    return out


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


def _check_value(key: str, value: Any, annotation: Any, f: dataclasses.Field, src: str) -> Any:
    origin = typing.get_origin(annotation)
    if annotation is float:
        if not _number(value):
            raise ScenarioError(key, f"expected a number, got {type(value).__name__}", src)
        value = _finite(key, value, src)
    elif annotation is int:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ScenarioError(key, f"expected an integer, got {type(value).__name__}", src)
    elif annotation is bool:
        if not isinstance(value, bool):
            raise ScenarioError(key, f"expected true or false, got {type(value).__name__}", src)
    elif annotation is str:
        if not isinstance(value, str):
            raise ScenarioError(key, f"expected a string, got {type(value).__name__}", src)
    elif origin is dict or annotation is dict:
        if not isinstance(value, dict):
            raise ScenarioError(key, f"expected a table, got {type(value).__name__}", src)
        for k, v in value.items():
            if not _number(v):
                raise ScenarioError(f"{key}.{k}", "expected a number", src)
            number = _finite(f"{key}.{k}", v, src)
            if number < 0:
                raise ScenarioError(f"{key}.{k}", f"must be >= 0, got {_shown(number)}", src)
            _in_range(f"{key}.{k}", number, f, src)
        return {str(k): float(v) for k, v in value.items()}
    if _number(value):
        _in_range(key, value, f, src)
    return value


def _build(cls: type, raw: Any, key: str, src: str) -> Any:
    if not isinstance(raw, dict):
        raise ScenarioError(key, f"expected a table, got {type(raw).__name__}", src)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    for k in raw:
        if k not in fields or k == "source_file":
            allowed = ", ".join(sorted(n for n in fields if n != "source_file"))
            raise ScenarioError(
                f"{key}.{k}" if key else k, f"unknown key (allowed: {allowed})", src
            )
    kwargs = {}
    for name, f in fields.items():
        path = f"{key}.{name}" if key else name
        if name not in raw:
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required and name != "source_file":
                raise ScenarioError(path, "missing required key", src)
            continue
        ann = hints[name]
        if name in _LISTS and cls is Scenario:
            if not isinstance(raw[name], list):
                raise ScenarioError(path, "expected an array of tables ([[...]])", src)
            kwargs[name] = [
                _build(_LISTS[name], r, element_key(path, i, r), src)
                for i, r in enumerate(raw[name])
            ]
        elif name in _TABLES and cls is Scenario:
            kwargs[name] = _build(_TABLES[name], raw[name], path, src)
        elif typing.get_origin(ann) in (typing.Union, types.UnionType):
            kwargs[name] = raw[name]
        else:
            kwargs[name] = _check_value(path, raw[name], ann, f, src)
    return cls(**kwargs)


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
                f"{_shown(v.external_payload_kg)} exceeds payload_capacity_kg "
                f"({_shown(v.payload_capacity_kg)})",
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
        if lab.fallback_launch_supplier and lab.fallback_launch_supplier not in providers:
            raise ScenarioError(
                f"{path}.fallback_launch_supplier",
                f"unknown firm {lab.fallback_launch_supplier!r}",
                src,
            )
        for key in ("launch_supplier", "contract_supplier"):
            name = getattr(lab, key)
            if (name or key == "launch_supplier") and name not in providers:
                raise ScenarioError(f"{path}.{key}", f"unknown firm {name!r}", src)
        if lab.contract_until:
            if not lab.contract_supplier:
                raise ScenarioError(f"{path}.contract_until", "needs a contract_supplier", src)
            _quarter(f"{path}.contract_until", lab.contract_until, src)
    if s.compute.orbital_available_from:
        _quarter("compute.orbital_available_from", s.compute.orbital_available_from, src)
    for i, c in enumerate(s.control):
        if c.firm not in firms:
            raise ScenarioError(f"control[{i}].firm", f"unknown firm {c.firm!r}", src)
        if c.start:
            _quarter(f"control[{i}].start", c.start, src)
    from spacemarket.market import physics as ph

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
    :func:`spacemarket.market.scenario.files.resolved_document` does, in ``doc.origins``):
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
    from spacemarket.market.scenario.game_spec import parse_game_spec

    body = {k: v for k, v in doc.items() if k != "game"}
    scenario = _build(Scenario, body, "", source)
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


def preset_names() -> list[str]:
    """Names of the scenarios shipped in the package."""
    from spacemarket.market.scenario.files import preset_names as names

    return names()


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load a preset by name or a TOML file by path, resolving ``extends`` and ``overrides``.

    See :func:`spacemarket.market.scenario.files.load_scenario`.

    Examples
    --------
    >>> s = load_scenario("backtest-2023")
    >>> s.start, s.n_quarters
    ('2023Q1', 12)
    >>> s = load_scenario("backtest-2023", {"external_demand.growth_per_year": 0.2})
    >>> s.external_demand.growth_per_year
    0.2
    """
    from spacemarket.market.scenario.files import load_scenario as load

    return load(name_or_path, overrides)
