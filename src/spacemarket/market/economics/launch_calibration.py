"""Calibrating the external launch market to observed missions, prices and one cost.

The standard merger-simulation calibration (Werden & Froeb 1994; Nevo 2000): with logit demand
over price per delivered kg, the mean utilities come from Berry's (1994) inversion
``delta_j = ln(s_j / s_0) + alpha p_j`` at observed shares and list prices, alpha from one
vehicle's known marginal cost through its provider's first-order condition, and every other
marginal cost from the first-order conditions (the margin-matrix form of
:func:`spacemarket.market.economics.solve_prices`). Solving the market at the calibrated
parameters returns the observed prices and shares.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import brentq

__all__ = ["LaunchCalibration", "calibrate_launch_market"]


@dataclass(frozen=True)
class LaunchCalibration:
    """alpha (per USD/kg), mean utilities and marginal costs per launch (USD), per vehicle."""

    alpha_per_usd_per_kg: float
    mean_utility: dict[str, float]
    launch_cost_usd: dict[str, float]
    market_missions: float


def _costs(alpha, shares, price_kg, mass, owners):
    """Marginal cost per kg from the FOCs s + Omega (p - c) ds/dp = 0 (logit, kappa m_k/m_j)."""
    n = len(shares)
    jac = alpha * (np.outer(shares, shares) - np.diag(shares))  # ds_k/dp_j (symmetric for logit)
    omega = np.array([[mass[k] / mass[j] if owners[j] == owners[k] else 0.0 for k in range(n)]
                      for j in range(n)])  # fmt: skip
    # row j: s_j + sum_k omega[j,k] (p_k - c_k) jac[j,k] = 0  ->  A (p - c) = -s
    a = omega * jac
    margin = np.linalg.solve(a, -shares)
    return price_kg - margin


def calibrate_launch_market(
    missions: dict[str, float],
    list_price_usd: dict[str, float],
    external_payload_kg: dict[str, float],
    owner: dict[str, str],
    outside_share: float,
    anchor: str,
    anchor_cost_usd: float,
) -> LaunchCalibration:
    """Calibrate alpha, mean utilities and costs so the observed year is an equilibrium.

    Parameters
    ----------
    missions : dict
        Observed external missions per vehicle in the calibration year.
    list_price_usd : dict
        List price per launch, USD.
    external_payload_kg : dict
        Typical delivered payload per external mission, kg.
    owner : dict
        Controller of each vehicle's provider.
    outside_share : float
        Share of potential missions not bought (sets the market size), in (0, 1).
    anchor, anchor_cost_usd : str, float
        The vehicle whose marginal cost per launch (USD) is known; it pins alpha.
    """
    names = list(missions)
    total = sum(missions.values())
    market = total / (1.0 - outside_share)
    s = np.array([missions[n] / market for n in names])
    mass = np.array([external_payload_kg[n] for n in names])
    p = np.array([list_price_usd[n] for n in names]) / mass
    owners = [owner[n] for n in names]
    i = names.index(anchor)

    def gap(alpha: float) -> float:
        return _costs(alpha, s, p, mass, owners)[i] * mass[i] - anchor_cost_usd

    alpha = brentq(gap, 1e-8, 1.0, xtol=1e-14)
    c = _costs(alpha, s, p, mass, owners) * mass
    delta = np.log(s / outside_share) + alpha * p
    return LaunchCalibration(
        float(alpha),
        {n: float(d) for n, d in zip(names, delta, strict=True)},
        {n: float(x) for n, x in zip(names, c, strict=True)},
        float(market),
    )
