"""Circular-orbit geometry: period, speed, eclipse (shadow) fraction.

The eclipse fraction of a circular orbit with a cylindrical Earth shadow is the textbook form
(Wertz & Larson, *Space Mission Analysis and Design*, 3rd ed., sec. 5.1; Vallado):

    f = (1/pi) * arccos( sqrt(h^2 + 2 R h) / ((R + h) cos(beta)) )   if |beta| < beta*,
    f = 0                                                            otherwise,

with beta* = arcsin(R / (R + h)) the beta angle above which the orbit never enters shadow.
A dawn-dusk sun-synchronous orbit keeps beta high (near-continuous sunlight).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.constants import MU_EARTH_M3_S2, R_EARTH_KM
from spacemarket.market.physics.validation import InputError, as_array, check_positive

__all__ = [
    "circular_speed_m_s",
    "critical_beta_deg",
    "eclipse_duration_s",
    "eclipse_fraction",
    "orbital_period_s",
    "sunlight_fraction",
]


def _altitude(altitude_km: npt.ArrayLike) -> np.ndarray:
    return check_positive("altitude_km", altitude_km)


def orbital_period_s(altitude_km: npt.ArrayLike) -> np.ndarray:
    """Period of a circular orbit at ``altitude_km`` above the equatorial radius, s.

    Examples
    --------
    >>> round(float(orbital_period_s(550)) / 60, 1)
    95.6
    """
    r_m = (R_EARTH_KM + _altitude(altitude_km)) * 1e3
    return 2.0 * np.pi * np.sqrt(r_m**3 / MU_EARTH_M3_S2)


def circular_speed_m_s(altitude_km: npt.ArrayLike) -> np.ndarray:
    """Circular orbital speed at ``altitude_km``, m/s.

    Examples
    --------
    >>> round(float(circular_speed_m_s(550)) / 1e3, 3)
    7.585
    """
    r_m = (R_EARTH_KM + _altitude(altitude_km)) * 1e3
    return np.sqrt(MU_EARTH_M3_S2 / r_m)


def critical_beta_deg(altitude_km: npt.ArrayLike) -> np.ndarray:
    """Beta angle (deg) above which a circular orbit at ``altitude_km`` sees no eclipse.

    Examples
    --------
    >>> round(float(critical_beta_deg(650)), 1)
    65.2
    """
    h = _altitude(altitude_km)
    return np.degrees(np.arcsin(R_EARTH_KM / (R_EARTH_KM + h)))


def eclipse_fraction(altitude_km: npt.ArrayLike, beta_deg: npt.ArrayLike) -> np.ndarray:
    """Fraction of a circular orbit spent in Earth's (cylindrical) shadow, in [0, 0.5).

    Parameters
    ----------
    altitude_km : float or array
        Orbit altitude above the equatorial radius, km (> 0).
    beta_deg : float or array
        Angle between the orbit plane and the Sun vector, degrees, in [-90, 90].

    Examples
    --------
    >>> round(float(eclipse_fraction(550, 0)), 4)
    0.3723
    >>> float(eclipse_fraction(650, 70))
    0.0
    """
    h = _altitude(altitude_km)
    beta = as_array("beta_deg", beta_deg)
    if np.any(np.abs(beta) > 90):
        raise InputError("beta_deg", "must be within [-90, 90] degrees")
    r = R_EARTH_KM + h
    cos_beta = np.cos(np.radians(beta))
    in_shadow = np.abs(beta) < critical_beta_deg(h)
    with np.errstate(divide="ignore", invalid="ignore"):
        arg = np.sqrt(h**2 + 2.0 * R_EARTH_KM * h) / (r * cos_beta)
    frac = np.arccos(np.clip(np.where(in_shadow, arg, 1.0), -1.0, 1.0)) / np.pi
    return np.where(in_shadow, frac, 0.0)


def sunlight_fraction(altitude_km: npt.ArrayLike, beta_deg: npt.ArrayLike) -> np.ndarray:
    """Fraction of the orbit in sunlight: ``1 - eclipse_fraction``."""
    return 1.0 - eclipse_fraction(altitude_km, beta_deg)


def eclipse_duration_s(altitude_km: npt.ArrayLike, beta_deg: npt.ArrayLike) -> np.ndarray:
    """Eclipse duration per orbit, s.

    Examples
    --------
    >>> round(float(eclipse_duration_s(550, 0)) / 60, 1)
    35.6
    """
    return eclipse_fraction(altitude_km, beta_deg) * orbital_period_s(altitude_km)
