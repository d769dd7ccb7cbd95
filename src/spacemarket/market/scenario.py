"""Scenarios: the sourced parameters of one market run, validated on load.

A scenario is a TOML file (presets ship in ``spacemarket/market/data/scenarios``). Loading is
strict: an unknown key, a wrong type, an out-of-range value or an unknown firm raises
:class:`ScenarioError` naming the key path and the file. Quarters are written ``"2026Q1"``.
Money is nominal USD; launch prices are per launch (missions) or per kg where the name says so.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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


class ScenarioError(ValueError):
    """A scenario that fails validation; ``key`` is the dotted path, ``source`` the file."""

    def __init__(self, key: str, message: str, source: str = "") -> None:
        self.key = key
        self.reason = message
        self.source = source
        where = f" (in {source})" if source else ""
        # keys come from the file: escape newlines and other unprintables, so one line
        shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in key)
        super().__init__(f"{shown}: {message}{where}")


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
# Each field's metadata may carry (low, high) bounds checked on load.


def _f(low: float | None = None, high: float | None = None, default: Any = dataclasses.MISSING):
    meta = {"low": low, "high": high}
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
    cash_usd: float = _f(0.0, None, 0.0)
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
    payload_capacity_kg: float = _f(1.0)
    external_payload_kg: float = _f(1.0)
    launch_cost_usd: float = _f(0.0)
    cost_learning_rate: float = _f(0.0, 0.9, 0.0)
    cost_floor_usd: float = _f(0.0, None, 0.0)
    cumulative_launches: float = _f(1.0)
    list_price_usd: float = _f(0.0)
    mean_utility: float = _f(-50.0, 50.0)
    planned_launches_per_year: dict[str, float] = _f()
    cadence_growth_per_year: float = _f(-0.5, 2.0, 0.0)
    max_launches_per_year: float = _f(0.0, None, 1e6)
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

    vehicles: dict[str, float] = _f()  # vehicle -> kg of satellites per launch
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class ExternalDemandSpec:
    """Contestable launch demand (commercial and government, outside captive markets).

    Logit over operational vehicles with an outside option: ``market_missions_per_year`` is the
    potential number of missions; ``price_sensitivity_per_usd_per_kg`` is alpha on the price
    per kg of the payload a vehicle typically delivers (see ``VehicleSpec.external_payload_kg``).
    """

    market_missions_per_year: float = _f(0.0)
    growth_per_year: float = _f(-0.5, 2.0)
    price_sensitivity_per_usd_per_kg: float = _f(1e-9, 1.0)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class CaptiveSpec:
    """Launches of a closed market (e.g. China), exogenous: counts by year, then growth."""

    name: str
    launches_per_year: dict[str, float] = _f()
    mass_per_launch_kg: float = _f(0.0)
    growth_per_year: float = _f(-0.5, 2.0, 0.0)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class CloudSpec:
    """A cloud provider selling compute (terrestrial MW of IT load at the start)."""

    name: str
    controller: str
    terrestrial_mw: float = _f(0.0)
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
    compute_gw: float = _f(0.0)
    growth_per_year: float = _f(-0.5, 5.0)
    growth_half_life_years: float = _f(0.1, 1000.0, 1000.0)
    suppliers: dict[str, float] = _f()
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
    alternative_backhaul_usd_per_kw_year: float = _f(0.0, None, 500.0)
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
    #: The integration game (:class:`~spacemarket.market.game_spec.GameSpec`) or None.
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
    """Keys of a per-year table are years (ASCII digits); the table has at least one."""
    for year in by_year:
        if not (year.isascii() and year.isdigit()):
            raise ScenarioError(f"{key}.{year}", "keys are years", src)
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
            if _finite(f"{key}.{k}", v, src) < 0:
                raise ScenarioError(f"{key}.{k}", f"must be >= 0, got {v}", src)
        value = {str(k): float(v) for k, v in value.items()}
    low, high = f.metadata.get("low"), f.metadata.get("high")
    if _number(value):
        if low is not None and value < low:
            raise ScenarioError(key, f"must be >= {low}, got {value}", src)
        if high is not None and value > high:
            raise ScenarioError(key, f"must be <= {high}, got {value}", src)
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
                _build(_LISTS[name], r, f"{path}[{i}]", src) for i, r in enumerate(raw[name])
            ]
        elif name in _TABLES and cls is Scenario:
            kwargs[name] = _build(_TABLES[name], raw[name], path, src)
        elif typing.get_origin(ann) in (typing.Union, types.UnionType):
            kwargs[name] = raw[name]
        else:
            kwargs[name] = _check_value(path, raw[name], ann, f, src)
    return cls(**kwargs)


def _cross_check(s: Scenario, src: str) -> None:
    for key in ("start", "end"):
        try:
            quarter_index(getattr(s, key))
        except ValueError as exc:
            raise ScenarioError(key, str(exc), src) from None
    if s.n_quarters < 1:
        raise ScenarioError("end", f"must not be before start ({s.start})", src)
    providers = {p.name for p in s.providers}
    vehicles = {v.name for v in s.vehicles}
    clouds = {c.name for c in s.clouds}
    firms = providers | clouds | {lab.name for lab in s.labs}
    owners = firms | {p.controller for p in s.providers} | {c.controller for c in s.clouds}
    owners |= {lab.controller for lab in s.labs} | {c.owner for c in s.control}
    for group in ("providers", "vehicles", "clouds", "labs", "captive"):
        names = [x.name for x in getattr(s, group)]
        dup = sorted({n for n in names if names.count(n) > 1})
        if dup:
            raise ScenarioError(f"{group}", f"duplicate name {dup[0]!r}", src)
    for i, v in enumerate(s.vehicles):
        path = f"vehicles[{i}]"
        if v.provider not in providers:
            raise ScenarioError(f"{path}.provider", f"unknown firm {v.provider!r}", src)
        if v.external_payload_kg > v.payload_capacity_kg:
            raise ScenarioError(f"{path}.external_payload_kg", "exceeds payload_capacity_kg", src)
        for label_key in ("first_flight", "retire"):
            label = getattr(v, label_key)
            if label:
                try:
                    quarter_index(label)
                except ValueError as exc:
                    raise ScenarioError(f"{path}.{label_key}", str(exc), src) from None
        _check_years(f"{path}.planned_launches_per_year", v.planned_launches_per_year, src)
    for i, c in enumerate(s.captive):
        _check_years(f"captive[{i}].launches_per_year", c.launches_per_year, src)
    for name, kg in s.starlink.vehicles.items():
        if name not in vehicles:
            raise ScenarioError(f"starlink.vehicles.{name}", f"unknown vehicle {name!r}", src)
        if kg <= 0:
            raise ScenarioError(f"starlink.vehicles.{name}", "must be > 0", src)
    for i, lab in enumerate(s.labs):
        for sup in lab.suppliers:
            if sup != "own" and sup not in clouds:
                raise ScenarioError(f"labs[{i}].suppliers.{sup}", f"unknown firm {sup!r}", src)
        if lab.suppliers and abs(sum(lab.suppliers.values()) - 1.0) > 1e-6:
            raise ScenarioError(f"labs[{i}].suppliers", "shares must sum to 1", src)
        if lab.backhaul_supplier != "own" and lab.backhaul_supplier not in providers:
            raise ScenarioError(
                f"labs[{i}].backhaul_supplier", f"unknown firm {lab.backhaul_supplier!r}", src
            )
        if lab.fallback_launch_supplier and lab.fallback_launch_supplier not in providers:
            raise ScenarioError(
                f"labs[{i}].fallback_launch_supplier",
                f"unknown firm {lab.fallback_launch_supplier!r}",
                src,
            )
        for key in ("launch_supplier", "contract_supplier"):
            name = getattr(lab, key)
            if (name or key == "launch_supplier") and name not in providers:
                raise ScenarioError(f"labs[{i}].{key}", f"unknown firm {name!r}", src)
        if lab.contract_until:
            if not lab.contract_supplier:
                raise ScenarioError(f"labs[{i}].contract_until", "needs a contract_supplier", src)
            try:
                quarter_index(lab.contract_until)
            except ValueError as exc:
                raise ScenarioError(f"labs[{i}].contract_until", str(exc), src) from None
    if s.compute.orbital_available_from:
        try:
            quarter_index(s.compute.orbital_available_from)
        except ValueError as exc:
            raise ScenarioError("compute.orbital_available_from", str(exc), src) from None
    for i, c in enumerate(s.control):
        if c.firm not in firms:
            raise ScenarioError(f"control[{i}].firm", f"unknown firm {c.firm!r}", src)
        if c.start:
            try:
                quarter_index(c.start)
            except ValueError as exc:
                raise ScenarioError(f"control[{i}].start", str(exc), src) from None
    del owners
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


def parse_scenario(doc: dict[str, Any], source: str) -> Scenario:
    """Validate a parsed TOML document into a :class:`Scenario`."""
    from .game_spec import parse_game_spec

    body = {k: v for k, v in doc.items() if k != "game"}
    scenario = _build(Scenario, body, "", source)
    scenario = dataclasses.replace(scenario, source_file=source)
    _cross_check(scenario, source)
    if "game" in doc:
        firms = {f.name for group in (scenario.providers, scenario.clouds, scenario.labs)
                 for f in group}  # fmt: skip
        scenario = dataclasses.replace(scenario, game=parse_game_spec(doc["game"], firms, source))
    return scenario


def preset_names() -> list[str]:
    """Names of the scenarios shipped in the package."""
    from .scenario_files import preset_names as names

    return names()


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load a preset by name or a TOML file by path, resolving ``extends`` and ``overrides``.

    See :func:`spacemarket.market.scenario_files.load_scenario`.

    Examples
    --------
    >>> s = load_scenario("backtest-2023")
    >>> s.start, s.n_quarters
    ('2023Q1', 12)
    >>> s = load_scenario("backtest-2023", {"external_demand.growth_per_year": 0.2})
    >>> s.external_demand.growth_per_year
    0.2
    """
    from .scenario_files import load_scenario as load

    return load(name_or_path, overrides)
