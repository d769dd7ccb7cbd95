"""The rocket equation, staging and payload fraction.

Tsiolkovsky (1903): ``delta_v = Isp * g0 * ln(m0 / mf)``. Multi-stage vehicles add the delta-v of
each stage, where each stage's initial mass includes every stage above it and the payload
(e.g. Curtis, *Orbital Mechanics for Engineering Students*, ch. 11). Functions broadcast over
numpy arrays.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

from spacemarket.market.physics.constants import G0_M_S2
from spacemarket.market.physics.validation import (
    InputError,
    as_array,
    check_nonnegative,
    check_positive,
)

__all__ = [
    "delta_v_m_s",
    "mass_ratio_for_delta_v",
    "payload_for_delta_v_kg",
    "payload_fraction",
    "staged_delta_v_m_s",
]


def delta_v_m_s(isp_s: npt.ArrayLike, mass_ratio: npt.ArrayLike) -> np.ndarray:
    """Ideal delta-v of a stage, m/s (Tsiolkovsky rocket equation).

    Parameters
    ----------
    isp_s : float or array
        Specific impulse, s (> 0).
    mass_ratio : float or array
        Initial over final mass m0/mf (>= 1, dimensionless).

    Returns
    -------
    ndarray
        ``isp_s * g0 * ln(mass_ratio)`` in m/s, broadcast over the inputs.

    Examples
    --------
    >>> round(float(delta_v_m_s(350, 10)), 1)
    7903.2
    """
    isp = check_positive("isp_s", isp_s)
    ratio = as_array("mass_ratio", mass_ratio)
    if np.any(ratio < 1):
        raise InputError("mass_ratio", "must be >= 1 (initial mass over final mass)")
    return isp * G0_M_S2 * np.log(ratio)


def mass_ratio_for_delta_v(isp_s: npt.ArrayLike, delta_v: npt.ArrayLike) -> np.ndarray:
    """Mass ratio m0/mf needed for ``delta_v`` (m/s) at specific impulse ``isp_s`` (s).

    Examples
    --------
    >>> round(float(mass_ratio_for_delta_v(350, 7903.2)), 3)
    10.0
    """
    isp = check_positive("isp_s", isp_s)
    dv = check_nonnegative("delta_v", delta_v)
    return np.exp(dv / (isp * G0_M_S2))


def payload_fraction(payload_kg: npt.ArrayLike, liftoff_mass_kg: npt.ArrayLike) -> np.ndarray:
    """Payload mass over gross lift-off mass (dimensionless).

    Examples
    --------
    >>> round(float(payload_fraction(22_800, 549_054)), 4)   # Falcon 9, expendable
    0.0415
    """
    payload = check_nonnegative("payload_kg", payload_kg)
    liftoff = check_positive("liftoff_mass_kg", liftoff_mass_kg)
    if np.any(payload > liftoff):
        raise InputError("payload_kg", "cannot exceed liftoff_mass_kg")
    return payload / liftoff


def _stage_arrays(
    dry_masses_kg: Sequence[float], propellant_masses_kg: Sequence[float], isp_s: Sequence[float]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dry = check_nonnegative("dry_masses_kg", dry_masses_kg).ravel()
    prop = check_positive("propellant_masses_kg", propellant_masses_kg).ravel()
    isp = check_positive("isp_s", isp_s).ravel()
    if not (dry.size == prop.size == isp.size) or dry.size == 0:
        raise InputError(
            "dry_masses_kg",
            "dry_masses_kg, propellant_masses_kg and isp_s need one entry per stage",
        )
    return dry, prop, isp


def staged_delta_v_m_s(
    payload_kg: npt.ArrayLike,
    dry_masses_kg: Sequence[float],
    propellant_masses_kg: Sequence[float],
    isp_s: Sequence[float],
) -> np.ndarray:
    """Total ideal delta-v (m/s) of a serially staged vehicle carrying ``payload_kg``.

    Stages are listed bottom (first to burn) to top. Stage i starts with the payload plus all
    stages i..n and ends after burning its propellant; it is dropped before stage i+1 ignites.

    Examples
    --------
    >>> # Falcon 9 stage masses (spaceflightinsider), sea-level/vacuum Isp ~ 300 s / 348 s
    >>> round(float(staged_delta_v_m_s(0, [25_600, 3_900], [395_700, 92_670], [300, 348])))
    15202
    """
    payload = check_nonnegative("payload_kg", payload_kg)
    dry, prop, isp = _stage_arrays(dry_masses_kg, propellant_masses_kg, isp_s)
    total = np.zeros_like(payload, dtype=float)
    for i in range(dry.size):
        above = dry[i + 1 :].sum() + prop[i + 1 :].sum()
        m0 = payload + above + dry[i] + prop[i]
        mf = m0 - prop[i]
        total = total + isp[i] * G0_M_S2 * np.log(m0 / mf)
    return total


def payload_for_delta_v_kg(
    delta_v: float,
    dry_masses_kg: Sequence[float],
    propellant_masses_kg: Sequence[float],
    isp_s: Sequence[float],
) -> float:
    """Largest payload (kg) for which the staged vehicle reaches ``delta_v`` (m/s), by root finding.

    Raises :class:`InputError` if the vehicle cannot reach ``delta_v`` even with no payload.

    Examples
    --------
    >>> dv = float(staged_delta_v_m_s(10_000, [25_600, 3_900], [395_700, 92_670], [300, 348]))
    >>> round(payload_for_delta_v_kg(dv, [25_600, 3_900], [395_700, 92_670], [300, 348]))
    10000
    """
    dv = float(check_positive("delta_v", delta_v))
    dry, prop, isp = _stage_arrays(dry_masses_kg, propellant_masses_kg, isp_s)
    if float(staged_delta_v_m_s(0.0, dry, prop, isp)) < dv:
        raise InputError("delta_v", f"{dv:.0f} m/s is out of reach even with zero payload")
    hi = float(dry.sum() + prop.sum())
    while float(staged_delta_v_m_s(hi, dry, prop, isp)) > dv:
        hi *= 2.0
    return float(
        brentq(lambda m: float(staged_delta_v_m_s(m, dry, prop, isp)) - dv, 0.0, hi, xtol=1e-9)
    )
