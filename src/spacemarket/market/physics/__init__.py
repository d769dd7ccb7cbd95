"""Physical-cost core: launch economics, orbital and terrestrial data-center cost (pure numpy).

Units are SI and USD; names carry them (``_kg``, ``_w``, ``_usd``). Functions broadcast over
numpy arrays; small frozen dataclasses (:class:`LaunchVehicle`, :class:`OrbitalDesign`,
:class:`TerrestrialSite`, :class:`ComputeHardware`, :class:`LearningPath`) sit in front, and
shipped, sourced records load through :mod:`~spacemarket.market.physics.catalog`.

Examples
--------
>>> from spacemarket.market import physics as ph
>>> round(float(ph.delta_v_m_s(350, 10)))
7903
>>> be = ph.breakeven_launch_price(ph.orbital_design("starlink-v2-mini-class"),
...     ph.terrestrial_site("us-average"), ph.compute_hardware("gb200-nvl72"), "google")
>>> round(be.price_usd_per_kg)
226
"""

from spacemarket.market.physics.breakeven import (
    ACCOUNTINGS,
    BreakEven,
    breakeven_launch_price,
    launched_power_cost_usd_per_kw_year,
)
from spacemarket.market.physics.catalog import (
    compute_hardware,
    launch_vehicle,
    learning_path,
    load_file,
    orbital_design,
    propellant_prices_usd_per_t,
    records,
    terrestrial_site,
)
from spacemarket.market.physics.claims import (
    SUNCATCHER_TABLE1,
    Finding,
    check_design_claims,
    design_launch_price_usd_per_kg,
    starcloud_cost_table,
)
from spacemarket.market.physics.finance import DEFAULT_DISCOUNT_RATE, capital_recovery_factor
from spacemarket.market.physics.hardware import ComputeHardware
from spacemarket.market.physics.launch_cost import (
    LaunchVehicle,
    cost_per_kg_usd,
    launch_cost_per_flight_usd,
    price_from_cost,
    propellant_cost_usd,
)
from spacemarket.market.physics.learning import (
    LearningPath,
    learning_exponent,
    wright_cost,
    wright_cumulative_for_cost,
)
from spacemarket.market.physics.orbit import (
    circular_speed_m_s,
    critical_beta_deg,
    eclipse_duration_s,
    eclipse_fraction,
    orbital_period_s,
    sunlight_fraction,
)
from spacemarket.market.physics.orbital_dc import (
    MassBudget,
    OrbitalCost,
    OrbitalDesign,
    mass_budget,
    orbital_cost,
)
from spacemarket.market.physics.power import (
    array_power_required_w,
    battery_mass_kg,
    degradation_factor,
    mean_degradation_factor,
    solar_array_power_w,
)
from spacemarket.market.physics.radiation import (
    events_per_year,
    inferences_per_event,
    mission_dose_rad,
    per_chip_cross_section_cm2,
    tid_margin,
)
from spacemarket.market.physics.reliability import annual_failure_rate, mean_surviving_fraction
from spacemarket.market.physics.rocket import (
    delta_v_m_s,
    mass_ratio_for_delta_v,
    payload_for_delta_v_kg,
    payload_fraction,
    staged_delta_v_m_s,
)
from spacemarket.market.physics.terrestrial_dc import (
    TerrestrialCost,
    TerrestrialSite,
    power_spend_usd_per_kw_year,
    terrestrial_cost,
)
from spacemarket.market.physics.thermal import (
    absorbed_environment_w_per_m2,
    earth_view_factor,
    radiator_area_m2,
    radiator_net_flux_w_per_m2,
)
from spacemarket.market.physics.validation import InputError

__all__ = [
    "ACCOUNTINGS",
    "DEFAULT_DISCOUNT_RATE",
    "SUNCATCHER_TABLE1",
    "BreakEven",
    "ComputeHardware",
    "Finding",
    "InputError",
    "LaunchVehicle",
    "LearningPath",
    "MassBudget",
    "OrbitalCost",
    "OrbitalDesign",
    "TerrestrialCost",
    "TerrestrialSite",
    "absorbed_environment_w_per_m2",
    "annual_failure_rate",
    "array_power_required_w",
    "battery_mass_kg",
    "breakeven_launch_price",
    "capital_recovery_factor",
    "check_design_claims",
    "circular_speed_m_s",
    "compute_hardware",
    "cost_per_kg_usd",
    "critical_beta_deg",
    "degradation_factor",
    "delta_v_m_s",
    "design_launch_price_usd_per_kg",
    "earth_view_factor",
    "eclipse_duration_s",
    "eclipse_fraction",
    "events_per_year",
    "inferences_per_event",
    "launch_cost_per_flight_usd",
    "launch_vehicle",
    "launched_power_cost_usd_per_kw_year",
    "learning_exponent",
    "learning_path",
    "load_file",
    "mass_budget",
    "mass_ratio_for_delta_v",
    "mean_degradation_factor",
    "mean_surviving_fraction",
    "mission_dose_rad",
    "orbital_cost",
    "orbital_design",
    "orbital_period_s",
    "payload_for_delta_v_kg",
    "payload_fraction",
    "per_chip_cross_section_cm2",
    "power_spend_usd_per_kw_year",
    "price_from_cost",
    "propellant_cost_usd",
    "propellant_prices_usd_per_t",
    "radiator_area_m2",
    "radiator_net_flux_w_per_m2",
    "records",
    "solar_array_power_w",
    "staged_delta_v_m_s",
    "starcloud_cost_table",
    "sunlight_fraction",
    "terrestrial_cost",
    "terrestrial_site",
    "tid_margin",
    "wright_cost",
    "wright_cumulative_for_cost",
]
