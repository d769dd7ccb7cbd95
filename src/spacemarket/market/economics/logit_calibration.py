"""Calibrating logit demand to observed shares and margins (the inverse of Bertrand-Nash pricing).

Berry (1994, RAND J. Econ. 25(2)) inversion with the supply side of Berry, Levinsohn and
Pakes (1995, Econometrica 63(4)): under logit demand with an outside good, observed shares
``s_j`` and outside share ``s_0`` identify mean utilities net of price,
``delta_j - alpha p_j = log(s_j / s_0)``. With owners that each price their products
jointly (full control, kappa = 1 inside an owner), the Bertrand-Nash first-order condition
gives every product of owner ``f`` the same markup

    p_j - c_j = 1 / (alpha (1 - S_f)),        S_f = sum of the owner's shares

(e.g. Anderson, de Palma and Thisse 1992, ch. 7; the single-product case is the textbook
``1 / (alpha (1 - s_j))``). Given marginal costs, one more moment fixes the price sensitivity
``alpha``: here the share-weighted Lerner index ``sum_j s_j (p_j - c_j) / p_j / sum_j s_j``, an
observable (gross margins), which falls strictly as ``alpha`` rises, so it has one root.
Then ``p_j`` follows from the FOC and ``delta_j = log(s_j / s_0) + alpha p_j``: the
equilibrium of :func:`~spacemarket.market.economics.solve_prices` at these costs reproduces
the shares exactly.

Examples
--------
Two single-product firms with equal shares 0.25 and cost 10 at a Lerner index of 0.5: the
markup ``1 / (alpha x 0.75)`` equals the cost, so ``alpha = 1 / 7.5`` and prices are 20.

>>> cal = calibrate_logit_bertrand([0.25, 0.25], [10.0, 10.0], lerner_index=0.5)
>>> round(cal.alpha * 7.5, 12), [round(float(p), 9) for p in cal.prices]
(1.0, [20.0, 20.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

__all__ = ["LogitCalibration", "calibrate_logit_bertrand"]


@dataclass(frozen=True)
class LogitCalibration:
    """Result of :func:`calibrate_logit_bertrand`.

    Attributes
    ----------
    alpha : float
        Price sensitivity, 1/USD.
    mean_utilities : numpy.ndarray, shape (J,)
        ``delta_j``, utils (utility ``delta_j - alpha p_j``, outside good 0).
    prices : numpy.ndarray, shape (J,)
        The Bertrand-Nash prices at the calibration point, USD per unit.
    lerner_index : float
        The share-weighted Lerner index the calibration matched.
    """

    alpha: float
    mean_utilities: np.ndarray
    prices: np.ndarray
    lerner_index: float


def _owner_shares(shares: np.ndarray, owners: np.ndarray) -> np.ndarray:
    """``S_f(j)``: the summed share of the owner of each product, shape (J,)."""
    return np.array([shares[owners == o].sum() for o in owners])


def calibrate_logit_bertrand(
    shares: object,
    marginal_costs: object,
    lerner_index: float,
    owners: object | None = None,
) -> LogitCalibration:
    """Logit demand whose Bertrand-Nash equilibrium reproduces ``shares`` at ``marginal_costs``.

    Parameters
    ----------
    shares : array_like, shape (J,)
        Inside shares, each in (0, 1), summing below 1 (the rest is the outside good).
    marginal_costs : array_like, shape (J,)
        USD per unit, ``> 0``.
    lerner_index : float
        Share-weighted ``(p - c) / p`` to match, in (0, 1).
    owners : array_like, shape (J,), optional
        Owner label of each product (products of one owner are priced jointly). Default: every
        product its own owner.

    Returns
    -------
    LogitCalibration

    Raises
    ------
    ValueError
        Shares outside (0, 1) or summing to 1 or more, non-positive costs, a Lerner index
        outside (0, 1), or shapes that differ.
    """
    s = np.asarray(shares, dtype=float)
    c = np.asarray(marginal_costs, dtype=float)
    if s.ndim != 1 or s.size == 0 or c.shape != s.shape:
        raise ValueError(f"shares {s.shape} and marginal_costs {c.shape} must be equal 1-D shapes")
    if not np.all((s > 0) & (s < 1)) or s.sum() >= 1.0:
        raise ValueError("shares must lie in (0, 1) and sum below 1 (the outside good)")
    if not np.all(np.isfinite(c) & (c > 0)):
        raise ValueError("marginal_costs must be finite and > 0")
    if not 0.0 < lerner_index < 1.0:
        raise ValueError(f"lerner_index must lie in (0, 1), got {lerner_index!r}")
    labels = np.arange(s.size) if owners is None else np.asarray(owners)
    if labels.shape != s.shape:
        raise ValueError(f"owners has shape {labels.shape}, shares {s.shape}")
    one_minus = 1.0 - _owner_shares(s, labels)

    def lerner(alpha: float) -> float:
        markup = 1.0 / (alpha * one_minus)
        return float(np.sum(s * markup / (c + markup)) / s.sum())

    # L(alpha) falls from 1 (alpha -> 0) to 0 (alpha -> inf): bracket on a log scale
    lo = hi = 1.0 / float(np.average(c, weights=s))
    while lerner(lo) < lerner_index:
        lo /= 10.0
    while lerner(hi) > lerner_index:
        hi *= 10.0
    alpha = float(brentq(lambda a: lerner(a) - lerner_index, lo, hi, xtol=1e-300, rtol=1e-15))
    prices = c + 1.0 / (alpha * one_minus)
    delta = np.log(s / (1.0 - s.sum())) + alpha * prices
    return LogitCalibration(alpha, delta, prices, lerner(alpha))
