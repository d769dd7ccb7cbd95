"""Radiators: Stefan-Boltzmann heat rejection with fins, sides and environment loads.

Convention (explicit, because published figures differ by a factor of two on it): areas are
**plate** areas, i.e. the planform of a panel. A panel radiating from both faces (``sides=2``)
has twice its plate area as radiating surface. Net rejection per m^2 of plate is

    q_net = sides * fin_efficiency * emissivity * sigma * (T^4 - T_sink^4) - q_absorbed,

where ``q_absorbed`` (W per m^2 of plate, summed over the radiating faces) is the sunlight,
Earth albedo and Earth infrared the faces absorb (Gilmore, *Spacecraft Thermal Control
Handbook*, ch. 6; Kirchhoff: IR absorptance = emissivity). View factors are per face and summed
over the faces that see the source.
"""

from __future__ import annotations

import functools

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.constants import (
    EARTH_ALBEDO,
    EARTH_IR_W_M2,
    R_EARTH_KM,
    SOLAR_CONSTANT_W_M2,
    STEFAN_BOLTZMANN_W_M2_K4,
)
from spacemarket.market.physics.validation import (
    InputError,
    as_array,
    check_fraction,
    check_nonnegative,
    check_positive,
)

__all__ = [
    "absorbed_environment_w_per_m2",
    "earth_view_factor",
    "radiator_area_m2",
    "radiator_net_flux_w_per_m2",
]


def radiator_net_flux_w_per_m2(
    temperature_k: npt.ArrayLike,
    emissivity: npt.ArrayLike,
    sides: npt.ArrayLike = 2,
    fin_efficiency: npt.ArrayLike = 1.0,
    sink_temperature_k: npt.ArrayLike = 0.0,
    absorbed_w_per_m2: npt.ArrayLike = 0.0,
) -> np.ndarray:
    """Net heat rejected per m^2 of plate, W/m^2 (may be <= 0 if the panel cannot reject heat).

    Examples
    --------
    >>> round(float(radiator_net_flux_w_per_m2(300, 0.9)), 2)   # two faces, 0 K sink
    826.74
    """
    t = check_positive("temperature_k", temperature_k)
    eps = check_fraction("emissivity", emissivity, low_inclusive=False)
    n_sides = as_array("sides", sides)
    if np.any((n_sides != 1) & (n_sides != 2)):
        raise InputError("sides", "must be 1 or 2 (radiating faces per plate)")
    eta = check_fraction("fin_efficiency", fin_efficiency, low_inclusive=False)
    t_sink = check_nonnegative("sink_temperature_k", sink_temperature_k)
    absorbed = check_nonnegative("absorbed_w_per_m2", absorbed_w_per_m2)
    emitted = n_sides * eta * eps * STEFAN_BOLTZMANN_W_M2_K4 * (t**4 - t_sink**4)
    return emitted - absorbed


def radiator_area_m2(
    heat_w: npt.ArrayLike,
    temperature_k: npt.ArrayLike,
    emissivity: npt.ArrayLike,
    sides: npt.ArrayLike = 2,
    fin_efficiency: npt.ArrayLike = 1.0,
    sink_temperature_k: npt.ArrayLike = 0.0,
) -> np.ndarray:
    """Plate area (m^2, not radiating surface) that rejects ``heat_w`` with no absorbed load.

    Parameters
    ----------
    heat_w : float or array
        Heat to reject, W (>= 0).
    temperature_k : float or array
        Radiator surface temperature, K (> sink temperature).
    emissivity : float or array
        Hemispherical IR emissivity, in (0, 1].
    sides : 1 or 2
        Radiating faces per plate.
    fin_efficiency : float or array
        Fin efficiency in (0, 1].
    sink_temperature_k : float or array
        Effective sink temperature, K.

    Examples
    --------
    >>> round(float(radiator_area_m2(1e6, 300, 0.9)), 1)   # 1 MW at 300 K: 1e6 / (2 eps sigma T^4)
    1209.6
    >>> round(float(radiator_area_m2(161e3, 343, 0.9, sides=1, fin_efficiency=0.85)))  # McCalip
    268
    """
    heat = check_nonnegative("heat_w", heat_w)
    t = check_positive("temperature_k", temperature_k)
    t_sink = check_nonnegative("sink_temperature_k", sink_temperature_k)
    if np.any(t <= t_sink):
        raise InputError("temperature_k", "must exceed sink_temperature_k")
    q = radiator_net_flux_w_per_m2(t, emissivity, sides, fin_efficiency, t_sink)
    return heat / q


@functools.cache
def _gauss_legendre(n_nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Gauss-Legendre nodes and weights on [-1, 1] (cached: they depend only on ``n_nodes``)."""
    x, w = np.polynomial.legendre.leggauss(n_nodes)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def earth_view_factor(
    altitude_km: npt.ArrayLike, tilt_deg: npt.ArrayLike = 0.0, n_nodes: int = 96
) -> np.ndarray:
    """View factor from one face of a flat plate to the Earth (a sphere), dimensionless.

    ``tilt_deg`` is the angle between the face normal and nadir (0 = facing Earth, 90 = edge-on
    to the local vertical, 180 = facing zenith). For a nadir-facing face the closed form is
    ``(R / (R + h))^2``; other tilts are integrated numerically (Gauss-Legendre over the cone of
    directions that hit the Earth, weighted by the positive part of the cosine), see Howell's
    *Catalog of Radiation Heat Transfer Configuration Factors*, case B-18.

    Examples
    --------
    >>> round(float(earth_view_factor(650, 0)), 4)
    0.8236
    >>> float(earth_view_factor(650, 180))
    0.0
    """
    h = check_positive("altitude_km", altitude_km)
    tilt = as_array("tilt_deg", tilt_deg)
    if np.any((tilt < 0) | (tilt > 180)):
        raise InputError("tilt_deg", "must be within [0, 180] degrees")
    h, tilt = np.broadcast_arrays(h, tilt)
    half_angle = np.arcsin(R_EARTH_KM / (R_EARTH_KM + h))
    x, w = _gauss_legendre(n_nodes)
    out = np.empty(h.shape, dtype=float)
    psi = np.pi * (x + 1.0)  # azimuth nodes on [0, 2pi]
    w_psi = np.pi * w
    for idx in np.ndindex(h.shape):
        phi = half_angle[idx]
        lam = np.radians(tilt[idx])
        theta = 0.5 * phi * (x + 1.0)  # polar angle from nadir on [0, phi]
        w_theta = 0.5 * phi * w
        th, ps = np.meshgrid(theta, psi, indexing="ij")
        cosine = np.sin(th) * np.cos(ps) * np.sin(lam) + np.cos(th) * np.cos(lam)
        integrand = np.maximum(cosine, 0.0) * np.sin(th)
        out[idx] = float(w_theta @ integrand @ w_psi) / np.pi
    return out


def absorbed_environment_w_per_m2(
    absorptivity: npt.ArrayLike,
    emissivity: npt.ArrayLike,
    solar_view_factor: npt.ArrayLike = 0.0,
    earth_view_factor_sum: npt.ArrayLike = 0.0,
    albedo_illumination: npt.ArrayLike = 0.0,
    solar_constant_w_m2: float = SOLAR_CONSTANT_W_M2,
    earth_ir_w_m2: float = EARTH_IR_W_M2,
    albedo: float = EARTH_ALBEDO,
) -> np.ndarray:
    """Environment heat absorbed per m^2 of plate (summed over faces), W/m^2.

    ``solar_view_factor`` is the orbit-average cosine of the Sun angle summed over faces
    (0 for panels kept edge-on to the Sun). ``earth_view_factor_sum`` is the sum over faces of
    :func:`earth_view_factor`. ``albedo_illumination`` is the orbit-average cosine of the solar
    zenith angle of the Earth the panel sees (about 0 in a dawn-dusk terminator orbit).

    Examples
    --------
    >>> round(float(absorbed_environment_w_per_m2(0.2, 0.9, 0.0, 0.5, 0.0)), 2)  # IR only
    106.65
    """
    a = check_fraction("absorptivity", absorptivity)
    eps = check_fraction("emissivity", emissivity, low_inclusive=False)
    f_sun = check_nonnegative("solar_view_factor", solar_view_factor)
    f_earth = check_nonnegative("earth_view_factor_sum", earth_view_factor_sum)
    illum = check_fraction("albedo_illumination", albedo_illumination)
    solar = a * solar_constant_w_m2 * f_sun
    reflected = a * albedo * solar_constant_w_m2 * f_earth * illum
    infrared = eps * earth_ir_w_m2 * f_earth
    return solar + reflected + infrared
