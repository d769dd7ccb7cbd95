"""Orbital data center: mass and cost per kW of IT load, bottom-up.

Per kW of IT load the model sizes (a bottom-up extension of Suncatcher's launch cost per kW-year,
Aguera y Arcas et al. 2025, arXiv:2511.19468, sec. 2.4 and Table 1):

* electrical load = IT x (1 + bus power fraction);
* solar array at end of life for the orbit's eclipse (``power.array_power_required_w``), scaled
  up for degradation to beginning of life, mass from array specific power;
* battery for the eclipse (if the design keeps computing in shadow);
* radiator plate area from Stefan-Boltzmann net of the environment load it absorbs, plus a
  thermal loop (pumps, plumbing) per kW;
* compute, shielding, and bus structure as a fraction of total dry mass.

Cost per kW-year = (capital recovery factor x [IT hardware + spacecraft hardware + launch]
+ operations) / availability, where availability is the share of installed IT actually
delivering (sunlit share if there is no battery; accelerators and whole satellites failing with
no repair). A design whose ``*_kg`` components are zero with a satellite-level specific power
reproduces Suncatcher's accounting of a Starlink-class bus (mass per kW of array power).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.constants import DEEP_SPACE_K, HOURS_PER_YEAR, SOLAR_CONSTANT_W_M2
from spacemarket.market.physics.finance import DEFAULT_DISCOUNT_RATE, capital_recovery_factor
from spacemarket.market.physics.hardware import ComputeHardware
from spacemarket.market.physics.orbit import eclipse_fraction, orbital_period_s
from spacemarket.market.physics.power import (
    array_power_required_w,
    battery_mass_kg,
    degradation_factor,
)
from spacemarket.market.physics.reliability import mean_surviving_fraction
from spacemarket.market.physics.thermal import (
    absorbed_environment_w_per_m2,
    earth_view_factor,
    radiator_net_flux_w_per_m2,
)
from spacemarket.market.physics.validation import (
    InputError,
    check_fraction,
    check_nonnegative,
    check_positive,
    record_context,
)

__all__ = ["MassBudget", "OrbitalCost", "OrbitalDesign", "mass_budget", "orbital_cost"]

_POSITIVE = (
    "altitude_km", "array_specific_power_w_per_kg", "cell_efficiency", "lifetime_years",
    "radiator_temperature_k", "battery_specific_energy_wh_per_kg",
)  # fmt: skip
_NONNEGATIVE = (
    "bus_power_fraction", "radiator_areal_density_kg_per_m2", "thermal_loop_kg_per_kw",
    "compute_mass_kg_per_kw", "shielding_kg_per_kw", "spacecraft_usd_per_kg",
    "solar_array_usd_per_w", "other_hardware_usd_per_kw", "operations_usd_per_kw_year",
    "solar_view_factor",
)  # fmt: skip
_FRACTIONS = (
    "packing_factor", "path_efficiency_day", "path_efficiency_eclipse",
    "battery_depth_of_discharge", "radiator_absorptivity", "albedo_illumination",
)  # fmt: skip


@dataclass(frozen=True)
class OrbitalDesign:
    """Assumptions of one orbital data-center design, per kW of IT load.

    Units are in the field names (km, deg, W/kg, K, kg/m^2, kg/kW, USD/kg, USD/W, years).
    ``claims`` holds a source's own published numbers, checked by
    :func:`spacemarket.market.physics.claims.check_design_claims` rather than used silently.
    """

    name: str
    description: str
    altitude_km: float
    beta_deg: float
    battery: bool
    array_specific_power_w_per_kg: float
    cell_efficiency: float
    packing_factor: float
    degradation_per_year: float
    path_efficiency_day: float
    path_efficiency_eclipse: float
    bus_power_fraction: float
    battery_specific_energy_wh_per_kg: float
    battery_depth_of_discharge: float
    radiator_temperature_k: float
    radiator_emissivity: float
    radiator_absorptivity: float
    radiator_sides: int
    radiator_fin_efficiency: float
    radiator_areal_density_kg_per_m2: float
    radiator_tilt_deg: float
    solar_view_factor: float
    albedo_illumination: float
    thermal_loop_kg_per_kw: float
    compute_mass_kg_per_kw: float
    shielding_kg_per_kw: float
    structure_fraction: float
    spacecraft_usd_per_kg: float
    solar_array_usd_per_w: float
    other_hardware_usd_per_kw: float
    operations_usd_per_kw_year: float
    satellite_annual_failure_rate: float
    lifetime_years: float
    hardware: str = "gb200-nvl72"
    claims: dict[str, float] = field(default_factory=dict)
    source: str = ""
    date: str = ""
    confidence: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        with record_context(f"orbital design {self.name!r}"):
            for name in _POSITIVE:
                check_positive(name, getattr(self, name))
            for name in _NONNEGATIVE:
                check_nonnegative(name, getattr(self, name))
            for name in _FRACTIONS:
                check_fraction(name, getattr(self, name))
            check_fraction("radiator_emissivity", self.radiator_emissivity, low_inclusive=False)
            check_fraction(
                "radiator_fin_efficiency", self.radiator_fin_efficiency, low_inclusive=False
            )
            check_fraction("degradation_per_year", self.degradation_per_year, high_inclusive=False)
            check_fraction("structure_fraction", self.structure_fraction, high_inclusive=False)
            check_fraction(
                "satellite_annual_failure_rate",
                self.satellite_annual_failure_rate,
                high_inclusive=False,
            )
            if self.radiator_sides not in (1, 2):
                raise InputError("radiator_sides", "must be 1 or 2")
            if not -90 <= self.beta_deg <= 90:
                raise InputError("beta_deg", "must be within [-90, 90] degrees")
            if not 0 <= self.radiator_tilt_deg <= 180:
                raise InputError("radiator_tilt_deg", "must be within [0, 180] degrees")


@dataclass(frozen=True)
class MassBudget:
    """Mass (kg), area (m^2) and power (W) per kW of IT load; arrays broadcast like the inputs."""

    eclipse_fraction: np.ndarray
    array_power_bol_w: np.ndarray
    array_area_m2: np.ndarray
    radiator_area_m2: np.ndarray
    heat_w: np.ndarray
    masses_kg: dict[str, np.ndarray]

    @property
    def total_kg(self) -> np.ndarray:
        """Total launched mass per kW of IT load, kg."""
        return sum(self.masses_kg.values())


def mass_budget(design: OrbitalDesign) -> MassBudget:
    """Size the satellite per kW of IT load (see the module docstring for the method).

    Examples
    --------
    >>> from spacemarket.market.physics.catalog import orbital_design
    >>> round(float(mass_budget(orbital_design("starlink-v2-mini-class")).total_kg), 1)
    20.3
    """
    d = design
    it_w = 1000.0
    load_w = it_w * (1.0 + np.asarray(d.bus_power_fraction, dtype=float))
    f_e = eclipse_fraction(d.altitude_km, d.beta_deg)
    eol_w = array_power_required_w(
        load_w, f_e, d.path_efficiency_day, d.path_efficiency_eclipse, include_eclipse=d.battery
    )
    bol_w = eol_w / degradation_factor(d.degradation_per_year, d.lifetime_years)
    array_kg = bol_w / np.asarray(d.array_specific_power_w_per_kg, dtype=float)
    area_m2 = bol_w / (SOLAR_CONSTANT_W_M2 * d.cell_efficiency * d.packing_factor)
    eclipse_s = f_e * orbital_period_s(d.altitude_km)
    battery_kg = (
        battery_mass_kg(
            load_w, eclipse_s, d.battery_depth_of_discharge, d.battery_specific_energy_wh_per_kg
        )
        if d.battery
        else np.zeros_like(load_w)
    )
    heat_w = load_w  # every electrical watt used on board ends as heat in the radiators
    face_tilts = (
        [d.radiator_tilt_deg]
        if d.radiator_sides == 1
        else [d.radiator_tilt_deg, 180.0 - d.radiator_tilt_deg]
    )
    f_earth = sum(earth_view_factor(d.altitude_km, t) for t in face_tilts)
    absorbed = absorbed_environment_w_per_m2(
        d.radiator_absorptivity,
        d.radiator_emissivity,
        d.solar_view_factor,
        f_earth,
        d.albedo_illumination,
    )
    q_net = radiator_net_flux_w_per_m2(
        d.radiator_temperature_k, d.radiator_emissivity, d.radiator_sides,
        d.radiator_fin_efficiency, DEEP_SPACE_K, absorbed,
    )  # fmt: skip
    if np.any(q_net <= 0):
        raise InputError(
            "radiator_temperature_k",
            f"radiators at {d.radiator_temperature_k} K absorb more than they emit",
            f"orbital design {d.name!r}",
        )
    radiator_m2 = heat_w / q_net
    masses = {
        "solar_array": array_kg,
        "battery": battery_kg,
        "radiator": radiator_m2 * d.radiator_areal_density_kg_per_m2,
        "thermal_loop": np.asarray(d.thermal_loop_kg_per_kw, dtype=float),
        "compute": np.asarray(d.compute_mass_kg_per_kw, dtype=float),
        "shielding": np.asarray(d.shielding_kg_per_kw, dtype=float),
    }
    subtotal = sum(masses.values())
    masses["structure_and_bus"] = subtotal * d.structure_fraction / (1.0 - d.structure_fraction)
    return MassBudget(f_e, bol_w, area_m2, radiator_m2, heat_w, masses)


@dataclass(frozen=True)
class OrbitalCost:
    """Cost of delivered orbital compute, broadcast over the launch prices (and design arrays).

    ``breakdown_usd_per_kw_year`` splits ``total_usd_per_kw_year`` into IT hardware, spacecraft
    hardware, launch and operations, each already divided by ``availability``.
    """

    design: str
    launch_price_usd_per_kg: np.ndarray
    mass: MassBudget
    capital_usd_per_kw: dict[str, np.ndarray]
    availability: np.ndarray
    breakdown_usd_per_kw_year: dict[str, np.ndarray]
    usd_per_gpu_hour: np.ndarray

    @property
    def total_usd_per_kw_year(self) -> np.ndarray:
        """Cost per kW-year of delivered IT capacity, USD."""
        return sum(self.breakdown_usd_per_kw_year.values())

    def as_dict(self) -> dict[str, Any]:
        """Plain-Python summary (first element of any array) for JSON and tables."""

        def f(x: npt.ArrayLike) -> float:
            return float(np.asarray(x, dtype=float).ravel()[0])

        return {
            "design": self.design,
            "launch_price_usd_per_kg": f(self.launch_price_usd_per_kg),
            "total_usd_per_kw_year": f(self.total_usd_per_kw_year),
            "usd_per_gpu_hour": f(self.usd_per_gpu_hour),
            "availability": f(self.availability),
            "mass_kg_per_kw": {k: f(v) for k, v in self.mass.masses_kg.items()}
            | {"total": f(self.mass.total_kg)},
            "array_area_m2_per_kw": f(self.mass.array_area_m2),
            "radiator_area_m2_per_kw": f(self.mass.radiator_area_m2),
            "eclipse_fraction": f(self.mass.eclipse_fraction),
            "capital_usd_per_kw": {k: f(v) for k, v in self.capital_usd_per_kw.items()},
            "breakdown_usd_per_kw_year": {
                k: f(v) for k, v in self.breakdown_usd_per_kw_year.items()
            },
        }


def orbital_cost(
    design: OrbitalDesign,
    hardware: ComputeHardware,
    launch_price_usd_per_kg: npt.ArrayLike,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> OrbitalCost:
    """Full cost of orbital compute per kW-year of delivered IT capacity (USD).

    Parameters
    ----------
    design : OrbitalDesign
        The satellite's assumptions.
    hardware : ComputeHardware
        IT hardware (the same object priced on the ground, for a like-for-like comparison).
    launch_price_usd_per_kg : float or array
        Launch price paid, USD/kg; the result broadcasts over it.
    discount_rate : float
        Real discount rate for annuitizing capital, fraction per year (0 = straight line).

    Examples
    --------
    >>> from spacemarket.market.physics.catalog import compute_hardware, orbital_design
    >>> c = orbital_cost(orbital_design("compute-optimized"), compute_hardware("gb200-nvl72"), 500)
    >>> bool(c.total_usd_per_kw_year > 0)
    True
    """
    price = check_nonnegative("launch_price_usd_per_kg", launch_price_usd_per_kg)
    mass = mass_budget(design)
    non_it_kg = mass.total_kg - mass.masses_kg["compute"]
    capital = {
        "it_hardware": np.asarray(hardware.usd_per_w * 1000.0, dtype=float),
        "spacecraft": design.spacecraft_usd_per_kg * non_it_kg
        + design.solar_array_usd_per_w * mass.array_power_bol_w
        + design.other_hardware_usd_per_kw,
        "launch": price * mass.total_kg,
    }
    crf = capital_recovery_factor(discount_rate, design.lifetime_years)
    sunlit = np.where(design.battery, 1.0, 1.0 - mass.eclipse_fraction)
    availability = (
        sunlit
        * mean_surviving_fraction(hardware.loss_rate_per_year, design.lifetime_years)
        * mean_surviving_fraction(design.satellite_annual_failure_rate, design.lifetime_years)
    )
    breakdown = {k: crf * v / availability for k, v in capital.items()}
    breakdown["operations"] = np.asarray(design.operations_usd_per_kw_year) / availability
    total = sum(breakdown.values())
    per_gpu_hour = total * hardware.it_power_per_accelerator_w / 1000.0 / HOURS_PER_YEAR
    return OrbitalCost(design.name, price, mass, capital, availability, breakdown, per_gpu_hour)
