"""Scenario specifications: the sourced parameters of one market run, and quarter labels.

The bottom of the scenario package: frozen dataclasses and the quarter helpers, no parsing (a
TOML document becomes a :class:`Scenario` in :mod:`spacemarket.market.scenario.parse`; the one
load pipeline is :mod:`spacemarket.market.scenario.load`). Quarters are written ``"2026Q1"``.
Money is nominal USD; launch prices are per launch (missions) or per kg where the name says so.

Every numeric field carries a plausible range next to its declaration (see the comments in the
specifications below); the parser rejects a value outside it, naming the range.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

from spacemarket.errors import ScenarioError
from spacemarket.validation import bounded

__all__ = [
    "ARRAYS",
    "MAX_QUARTERS",
    "TABLES",
    "YEARS",
    "CaptiveSpec",
    "CloudSpec",
    "ComputeSpec",
    "ControlSpec",
    "DownstreamSpec",
    "ExternalDemandSpec",
    "LabSpec",
    "ProviderSpec",
    "Scenario",
    "ScenarioError",
    "StarlinkSpec",
    "VehicleSpec",
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


@dataclass(frozen=True, kw_only=True)
class ProviderSpec:
    """A launch company. ``controller`` is its ultimate owner (e.g. ``"Musk"``).

    ``forecloses_launch`` refuses launch contracts for orbital compute to labs it does not
    control (they bargain with the other launchers); ``forecloses_backhaul`` refuses
    them its backhaul (Starlink), so they pay ``compute.alternative_backhaul_usd_per_kw_year``.
    """

    name: str
    controller: str
    cash_usd: float = bounded(0.0, _MAX_CASH_USD, 0.0)
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
    payload_capacity_kg: float = bounded(1.0, _MAX_PAYLOAD_KG)  # kg to LEO per launch
    external_payload_kg: float = bounded(1.0, _MAX_PAYLOAD_KG)  # and <= payload_capacity_kg
    launch_cost_usd: float = bounded(0.0, _MAX_USD_PER_LAUNCH, low_open=True)  # > 0: Wright's law
    cost_learning_rate: float = bounded(0.0, 0.9, 0.0)
    cost_floor_usd: float = bounded(0.0, _MAX_USD_PER_LAUNCH, 0.0)
    cumulative_launches: float = bounded(1.0, _MAX_CUMULATIVE_LAUNCHES)
    list_price_usd: float = bounded(0.0, _MAX_USD_PER_LAUNCH, low_open=True)
    mean_utility: float = bounded(-50.0, 50.0)
    planned_launches_per_year: dict[str, float] = bounded(0.0, _MAX_LAUNCHES_PER_YEAR)
    cadence_growth_per_year: float = bounded(-0.5, 2.0, 0.0)
    #: The default, 1e6 launches a year, means no ceiling.
    max_launches_per_year: float = bounded(0.0, 1e6, 1e6)
    investment_response: float = bounded(0.0, 4.0, 0.0)
    reliability: float = bounded(0.5, 1.0, 0.99)
    reliability_growth: float = bounded(0.0, 1.0, 0.3)
    stand_down_quarters: float = bounded(0.0, 4.0, 0.11)
    first_flight: str = ""
    first_flight_slip_mean_quarters: float = bounded(0.0, 40.0, 0.0)
    ramp_quarters: float = bounded(0.0, 40.0, 0.0)
    retire: str = ""
    #: The physics-catalogue vehicle whose published figures fill the fields not set here
    #: (``documents.CATALOG_FIELDS``); "" for a vehicle with no catalogue record.
    catalog: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class StarlinkSpec:
    """SpaceX's internal demand: Starlink fills Falcon (and later Starship) capacity left over."""

    #: vehicle -> kg of satellites per launch (> 0)
    vehicles: dict[str, float] = bounded(0.0, _MAX_PAYLOAD_KG)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class ExternalDemandSpec:
    """Contestable launch demand (commercial and government, outside captive markets).

    Logit over operational vehicles with an outside option: ``market_missions_per_year`` is the
    potential number of missions; ``price_sensitivity_per_usd_per_kg`` is alpha on the price
    per kg of the payload a vehicle typically delivers (see ``VehicleSpec.external_payload_kg``).
    """

    market_missions_per_year: float = bounded(0.0, _MAX_LAUNCHES_PER_YEAR)
    growth_per_year: float = bounded(-0.5, 2.0)
    price_sensitivity_per_usd_per_kg: float = bounded(1e-9, 1.0)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class CaptiveSpec:
    """Launches of a closed market (e.g. China), exogenous: counts by year, then growth."""

    name: str
    launches_per_year: dict[str, float] = bounded(0.0, _MAX_LAUNCHES_PER_YEAR)
    mass_per_launch_kg: float = bounded(0.0, _MAX_PAYLOAD_KG)
    growth_per_year: float = bounded(-0.5, 2.0, 0.0)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class CloudSpec:
    """A cloud provider selling compute (terrestrial MW of IT load at the start)."""

    name: str
    controller: str
    terrestrial_mw: float = bounded(0.0, _MAX_GW * 1e3)
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class LabSpec:
    """An AI lab: compute in use at the start (GW of IT load), its growth and its suppliers.

    Demand grows at ``growth_per_year``, a rate that halves every ``growth_half_life_years``.

    ``suppliers`` maps a cloud (or ``"own"``) to its share of the lab's compute; orbital
    capacity is launched by whichever launchers it contracts with (every launcher is a possible
    edge, bargained each quarter) and linked to the ground through ``backhaul_supplier``
    (Starlink, i.e. ``"SpaceX"``, or ``"own"``). ``contract_supplier`` is a long-term contract
    (:mod:`spacemarket.market.model.long_term`): that edge cannot be refused until
    ``contract_until``, is bargained at ``contract_bargaining_weight`` when signed, and then
    reserves ``contract_reserved_kg_per_quarter`` at the signed price for its term
    (``contract_take_or_pay``: paid whether used or not).
    """

    name: str
    controller: str
    compute_gw: float = bounded(0.0, _MAX_GW)
    growth_per_year: float = bounded(-0.5, 5.0)
    growth_half_life_years: float = bounded(0.1, 1000.0, 1000.0)
    suppliers: dict[str, float] = bounded(0.0, 1.0)  # shares, summing to 1
    backhaul_supplier: str = "SpaceX"
    contract_supplier: str = ""
    contract_until: str = ""
    contract_bargaining_weight: float = bounded(0.0, 1.0, 0.3)
    #: launcher -> its Nash weight with this lab (else ``compute.launch_bargaining_weight``)
    launch_bargaining_weights: dict[str, float] = bounded(0.0, 1.0, {})
    #: kg a quarter the contract reserves at its fixed price (0: what the lab buys at signing)
    contract_reserved_kg_per_quarter: float = bounded(0.0, _MAX_PAYLOAD_KG * 1e4, 0.0)
    contract_take_or_pay: bool = False
    orbital_interest: float = bounded(0.0, 1.0, 1.0)
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
    cost_dispersion: float = bounded(1e-3, 10.0, 0.15)
    grid_delay_quarters: int = bounded(0, 80, 0)
    launch_bargaining_weight: float = bounded(0.0, 1.0, 0.5)
    alternative_backhaul_usd_per_kw_year: float = bounded(0.0, 1e6, 500.0)
    #: First quarter orbital data centers can be deployed at scale ("" = from the start).
    orbital_available_from: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class ControlSpec:
    """A control edge ``owner -> firm`` with weight kappa, active from ``start`` (optional)."""

    owner: str
    firm: str
    kappa: float = bounded(1e-9, 1.0)
    start: str = ""
    source: str = ""


@dataclass(frozen=True, kw_only=True)
class DownstreamSpec:
    """The AI-services market labs sell into (:mod:`spacemarket.market.model.downstream`).

    Logit demand with an outside good, calibrated at the start so that the Bertrand-Nash
    equilibrium at the ground cost of compute reproduces ``serving_fraction`` of the labs'
    compute in service as their served demand (inference; the rest trains, a fixed cost) with a
    share-weighted Lerner index ``lerner_index`` (gross margin: revenue less the cost of the
    compute that serves it); ``outside_share`` is the share of the potential market not served
    at the start. Clouds earn
    ``cloud_margin`` of the ground cost of the capacity they host (the rest of that cost is
    theirs to pay). The market grows as the labs' reference paths (``compute_gw`` growing at
    ``growth_per_year``) add up; how it splits between labs is the market's equilibrium.
    """

    outside_share: float = bounded(0.01, 0.99, 0.5)
    serving_fraction: float = bounded(0.01, 1.0, 0.5)
    lerner_index: float = bounded(0.01, 0.95, 0.45)
    cloud_margin: float = bounded(0.0, 0.9, 0.3)
    #: weight of this quarter's launch offer in a lab's expected launch price (adaptive)
    price_expectation_weight: float = bounded(0.01, 1.0, 0.25)
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
    control: list[ControlSpec] = bounded(default=[])
    downstream: DownstreamSpec = dataclasses.field(default_factory=DownstreamSpec)
    #: The integration game (:class:`~spacemarket.market.scenario.game_spec.GameSpec`) or None.
    game: Any = None
    source_file: str = ""

    @property
    def n_quarters(self) -> int:
        """Number of quarterly steps from ``start`` to ``end`` inclusive."""
        return quarter_index(self.end) - quarter_index(self.start) + 1


#: The arrays of tables of a scenario (``[[vehicles]]`` ...) and its sub-tables, by spec class.
ARRAYS = {
    "providers": ProviderSpec,
    "vehicles": VehicleSpec,
    "captive": CaptiveSpec,
    "clouds": CloudSpec,
    "labs": LabSpec,
    "control": ControlSpec,
}
TABLES = {
    "starlink": StarlinkSpec,
    "external_demand": ExternalDemandSpec,
    "compute": ComputeSpec,
    "downstream": DownstreamSpec,
}
