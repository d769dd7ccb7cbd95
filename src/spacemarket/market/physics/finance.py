"""Annuitization: turning an up-front cost into an equal annual charge.

The capital recovery factor (e.g. Brealey, Myers & Allen, *Principles of Corporate Finance*,
ch. 2) is ``r / (1 - (1 + r) ** -n)`` for rate r and n years; at r = 0 it is ``1 / n``
(straight-line, the convention Suncatcher uses for launch cost per kW-year).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.validation import InputError, as_array, check_positive

__all__ = ["DEFAULT_DISCOUNT_RATE", "capital_recovery_factor"]

#: Real discount rate (fraction per year) for annuitizing capital in full accounting.
#: Project assumption (2026-11-24): a weighted average cost of capital in the range commonly
#: used for data-center infrastructure (7-9 %); swept by users, not a calibrated fact.
DEFAULT_DISCOUNT_RATE = 0.08


def capital_recovery_factor(rate: npt.ArrayLike, years: npt.ArrayLike) -> np.ndarray:
    """Annual payment per dollar of capital over ``years`` at ``rate`` (fraction per year).

    Examples
    --------
    >>> float(capital_recovery_factor(0.0, 5))
    0.2
    >>> round(float(capital_recovery_factor(0.08, 20)), 4)
    0.1019
    """
    r = as_array("rate", rate)
    if np.any(r <= -1):
        raise InputError("rate", "must be > -1")
    n = check_positive("years", years)
    with np.errstate(divide="ignore", invalid="ignore"):
        crf = r / -np.expm1(-n * np.log1p(r))
    return np.where(np.abs(r) < 1e-12, 1.0 / n, crf)
