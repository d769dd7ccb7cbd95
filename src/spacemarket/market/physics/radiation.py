"""Radiation budget of accelerators in low Earth orbit.

Total ionizing dose (TID) margin and single-event upset rates from a dose rate and a measured
dose per event, as in Suncatcher (Aguera y Arcas et al. 2025, sec. 2.3 and 4.3): ~150 rad(Si)
per year behind ~10 mm Al in a 650 km dawn-dusk orbit; Trillium v6e showed HBM irregularities
after 2 krad(Si) and about one silent data corruption per 17 rad.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.constants import SECONDS_PER_YEAR
from spacemarket.market.physics.validation import check_nonnegative, check_positive

__all__ = [
    "events_per_year",
    "inferences_per_event",
    "mission_dose_rad",
    "per_chip_cross_section_cm2",
    "tid_margin",
]

#: Protons per cm^2 per rad(Si) at 67 MeV, as quoted by Suncatcher sec. 4.3.
PROTONS_PER_CM2_PER_RAD = 7.9e6


def mission_dose_rad(dose_rate_rad_per_year: npt.ArrayLike, years: npt.ArrayLike) -> np.ndarray:
    """Total ionizing dose over a mission, rad(Si).

    Examples
    --------
    >>> float(mission_dose_rad(150, 5))
    750.0
    """
    return check_nonnegative("dose_rate_rad_per_year", dose_rate_rad_per_year) * check_nonnegative(
        "years", years
    )


def tid_margin(tolerated_dose_rad: npt.ArrayLike, mission_dose: npt.ArrayLike) -> np.ndarray:
    """Ratio of the dose a part tolerates to the mission dose (dimensionless).

    Examples
    --------
    >>> round(float(tid_margin(2000, 750)), 2)
    2.67
    """
    return check_positive("tolerated_dose_rad", tolerated_dose_rad) / check_positive(
        "mission_dose", mission_dose
    )


def events_per_year(
    dose_rate_rad_per_year: npt.ArrayLike, rad_per_event: npt.ArrayLike
) -> np.ndarray:
    """Single-event rate per chip per year from a dose rate and a measured dose per event.

    Examples
    --------
    >>> round(float(events_per_year(150, 17)), 2)
    8.82
    """
    return check_nonnegative("dose_rate_rad_per_year", dose_rate_rad_per_year) / check_positive(
        "rad_per_event", rad_per_event
    )


def inferences_per_event(
    dose_rate_rad_per_year: npt.ArrayLike,
    rad_per_event: npt.ArrayLike,
    inferences_per_second: npt.ArrayLike = 1.0,
) -> np.ndarray:
    """Inferences between events (e.g. silent data corruptions) at a given inference rate.

    Examples
    --------
    >>> round(float(inferences_per_event(150, 17)) / 1e6, 2)   # "1 per 3 million inferences"
    3.58
    """
    per_year = check_positive("inferences_per_second", inferences_per_second) * SECONDS_PER_YEAR
    return per_year / events_per_year(dose_rate_rad_per_year, rad_per_event)


def per_chip_cross_section_cm2(rad_per_event: npt.ArrayLike) -> np.ndarray:
    """Per-chip event cross-section, cm^2: 1 / (protons per cm^2 per rad x rad per event).

    Examples
    --------
    >>> round(float(per_chip_cross_section_cm2(17)) * 1e9, 2)
    7.45
    """
    return 1.0 / (PROTONS_PER_CM2_PER_RAD * check_positive("rad_per_event", rad_per_event))
