"""Hardware failure rates and capacity that survives without repair.

Ground fleets repair failed accelerators; an orbital node cannot, so its delivered capacity
decays. With a constant hazard ``lambda = -ln(1 - annual_rate)`` the surviving fraction after t
years is ``exp(-lambda t)`` and its average over a life L is ``(1 - exp(-lambda L)) / (lambda L)``.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.validation import check_fraction, check_nonnegative, check_positive

__all__ = ["annual_failure_rate", "mean_surviving_fraction"]


def annual_failure_rate(
    failures: npt.ArrayLike, fleet_size: npt.ArrayLike, days: npt.ArrayLike
) -> np.ndarray:
    """Failures per unit per year, annualized linearly from a count over ``days``.

    Examples
    --------
    >>> # Llama 3 405B training (Meta 2024): 148 GPU + 72 HBM3 faults, 16,384 GPUs, 54 days
    >>> round(float(annual_failure_rate(148 + 72, 16_384, 54)), 4)
    0.0908
    """
    return (
        check_nonnegative("failures", failures)
        / check_positive("fleet_size", fleet_size)
        * 365.0
        / check_positive("days", days)
    )


def mean_surviving_fraction(annual_rate: npt.ArrayLike, years: npt.ArrayLike) -> np.ndarray:
    """Average fraction of units still working over ``years`` with no repair.

    Examples
    --------
    >>> round(float(mean_surviving_fraction(0.09, 5)), 4)
    0.7973
    >>> float(mean_surviving_fraction(0.0, 5))
    1.0
    """
    rate = check_fraction("annual_rate", annual_rate, high_inclusive=False)
    t = check_positive("years", years)
    lam = -np.log1p(-rate)
    x = lam * t
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = -np.expm1(-x) / x
    return np.where(x > 0, mean, 1.0)
