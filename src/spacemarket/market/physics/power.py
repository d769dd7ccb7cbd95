"""Solar arrays and batteries for an orbital payload.

Array sizing follows Wertz & Larson, *Space Mission Analysis and Design* (3rd ed., sec. 11.4):
the array must carry the load in daylight and recharge the battery for the eclipse,

    P_array = (P_load * T_eclipse / X_eclipse + P_load * T_day / X_day) / T_day,

with path efficiencies X (power conditioning, battery round trip). It is sized at end of life:
beginning-of-life power is ``P_array / (1 - degradation) ** life``. Batteries store the eclipse
energy within an allowed depth of discharge.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.constants import SOLAR_CONSTANT_W_M2
from spacemarket.market.physics.validation import (
    InputError,
    check_fraction,
    check_nonnegative,
    check_positive,
)

__all__ = [
    "array_power_required_w",
    "battery_mass_kg",
    "degradation_factor",
    "mean_degradation_factor",
    "solar_array_power_w",
]


def solar_array_power_w(
    area_m2: npt.ArrayLike,
    cell_efficiency: npt.ArrayLike,
    packing_factor: npt.ArrayLike = 1.0,
    solar_constant_w_m2: npt.ArrayLike = SOLAR_CONSTANT_W_M2,
    cos_incidence: npt.ArrayLike = 1.0,
) -> np.ndarray:
    """Electrical power of a sunlit array, W: area x efficiency x packing x flux x cos(angle).

    Examples
    --------
    Starlink v2 mini as in Suncatcher (Aguera y Arcas et al. 2025, sec. 4.4), "~28kW/satellite":

    >>> round(float(solar_array_power_w(105, 0.22, 0.90)))
    28295
    """
    return (
        check_nonnegative("area_m2", area_m2)
        * check_fraction("cell_efficiency", cell_efficiency)
        * check_fraction("packing_factor", packing_factor)
        * check_positive("solar_constant_w_m2", solar_constant_w_m2)
        * check_fraction("cos_incidence", cos_incidence)
    )


def degradation_factor(rate_per_year: npt.ArrayLike, years: npt.ArrayLike) -> np.ndarray:
    """Remaining fraction of power after ``years`` at ``rate_per_year`` (compound loss).

    Examples
    --------
    >>> round(float(degradation_factor(0.025, 5)), 4)
    0.8811
    """
    d = check_fraction("rate_per_year", rate_per_year, high_inclusive=False)
    t = check_nonnegative("years", years)
    return (1.0 - d) ** t


def mean_degradation_factor(rate_per_year: npt.ArrayLike, years: npt.ArrayLike) -> np.ndarray:
    """Average of :func:`degradation_factor` over [0, years] (1 when the rate is 0).

    Examples
    --------
    >>> round(float(mean_degradation_factor(0.025, 5)), 4)
    0.9393
    """
    d = check_fraction("rate_per_year", rate_per_year, high_inclusive=False)
    t = check_positive("years", years)
    k = np.log1p(-d)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.expm1(k * t) / (k * t)
    return np.where(d > 0, mean, 1.0)


def array_power_required_w(
    load_w: npt.ArrayLike,
    eclipse_fraction: npt.ArrayLike,
    path_efficiency_day: npt.ArrayLike = 1.0,
    path_efficiency_eclipse: npt.ArrayLike = 1.0,
    include_eclipse: bool = True,
) -> np.ndarray:
    """End-of-life array power (W) that runs ``load_w`` all orbit (SMAD eq. 11-5).

    With ``include_eclipse=False`` the load runs only in sunlight and no battery is charged.

    Examples
    --------
    >>> round(float(array_power_required_w(1000, 0.372, 0.8, 0.6)))   # SMAD-style efficiencies
    2237
    """
    load = check_nonnegative("load_w", load_w)
    f_e = check_fraction("eclipse_fraction", eclipse_fraction, high_inclusive=False)
    x_d = check_fraction("path_efficiency_day", path_efficiency_day, low_inclusive=False)
    x_e = check_fraction("path_efficiency_eclipse", path_efficiency_eclipse, low_inclusive=False)
    if not include_eclipse:
        return load / x_d
    t_day = 1.0 - f_e
    return (load * f_e / x_e + load * t_day / x_d) / t_day


def battery_mass_kg(
    load_w: npt.ArrayLike,
    eclipse_s: npt.ArrayLike,
    depth_of_discharge: npt.ArrayLike,
    specific_energy_wh_per_kg: npt.ArrayLike,
    discharge_efficiency: npt.ArrayLike = 1.0,
) -> np.ndarray:
    """Battery mass (kg) that carries ``load_w`` through an eclipse of ``eclipse_s`` seconds.

    Capacity = load x eclipse time / (depth of discharge x discharge efficiency).

    Examples
    --------
    >>> # 1 kW through a 19.7 min eclipse at 30 % DoD with 160 Wh/kg cells (Saft VES180)
    >>> round(float(battery_mass_kg(1000, 19.7 * 60, 0.30, 160)), 2)
    6.84
    """
    load = check_nonnegative("load_w", load_w)
    t = check_nonnegative("eclipse_s", eclipse_s)
    dod = check_fraction("depth_of_discharge", depth_of_discharge, low_inclusive=False)
    e = check_positive("specific_energy_wh_per_kg", specific_energy_wh_per_kg)
    eta = check_fraction("discharge_efficiency", discharge_efficiency, low_inclusive=False)
    energy_wh = load * t / 3600.0 / (dod * eta)
    if np.any(energy_wh < 0):
        raise InputError("load_w", "negative energy")
    return energy_wh / e
