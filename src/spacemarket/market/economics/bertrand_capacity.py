"""Capacity constraints in the Bertrand price game: shadow prices by an active-set loop.

Capacities bind through shadow prices: ``q_j <= K_j``, ``lambda_j >= 0``,
``lambda_j (K_j - q_j) = 0``. ``lambda_j`` acts as an extra marginal (opportunity) cost of
product ``j`` for every decision maker that weighs its margin; for single-owner and fully merged
firms this is exactly the KKT system of each firm's capacity-constrained problem. The active set
of binding products is found iteratively and ``lambda`` on it by a root find on ``q_A = K_A``
(each trial ``lambda`` re-solves the zeta fixed point of :mod:`.bertrand_fixed_point`).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from scipy import optimize

from spacemarket.errors import EquilibriumNotConverged
from spacemarket.market.economics.bertrand_fixed_point import PricingProblem, zeta_fixed_point

__all__ = ["CAPACITY_RTOL", "solve_with_capacities"]

CAPACITY_RTOL = 1e-9  # relative tolerance on q_j <= K_j and on q_j = K_j when binding
#: The root find stops at the first trial whose log-gap is this small (100x inside
#: CAPACITY_RTOL, above the ~5e-13 noise of the inner fixed point): MINPACK's hybrd has only a
#: step tolerance, and near the root it re-differences the Jacobian to refine a step the
#: residual no longer needs (about half of its evaluations in a baseline run).
_STOP_RTOL = 1e-11


class _RootFound(Exception):  # noqa: N818 (control flow, not an error)
    """Raised inside the root find to stop it at a trial that already solves the system."""


def solve_with_capacities(
    problem: PricingProblem, capacities: np.ndarray, market_size: float, start: np.ndarray
) -> tuple[np.ndarray, np.ndarray, int, float]:
    """Active-set loop: root-find ``lambda_A`` so that ``q_A = K_A``.

    Parameters
    ----------
    problem : PricingProblem
    capacities : numpy.ndarray, shape (J,)
        Units (``> 0``, ``inf`` = none).
    market_size : float
        Number of consumers; quantities are shares times this.
    start : numpy.ndarray, shape (J,)
        Starting prices, USD.

    Returns
    -------
    prices, shadow_prices : numpy.ndarray, shape (J,)
        USD per unit.
    iterations : int
        Zeta iterations over all inner solves.
    residual : float
        FOC residual of the last inner solve, USD.

    Raises
    ------
    EquilibriumNotConverged
        If a root find fails or the active set cycles without meeting complementarity.
    """
    size = problem.costs.size
    state: dict[str, Any] = {"prices": start, "iterations": 0, "residual": np.inf}

    def solve_at(shadow_prices: np.ndarray) -> np.ndarray:
        prices, its, res = zeta_fixed_point(problem, problem.costs + shadow_prices, state["prices"])
        state.update(prices=prices, iterations=state["iterations"] + its, residual=res)
        return prices

    def solve_active(active: np.ndarray, guess: np.ndarray) -> np.ndarray:
        """Shadow prices with ``q_j = K_j`` on the active set (0 elsewhere)."""
        idx = np.flatnonzero(active)

        def gap(lam: np.ndarray) -> np.ndarray:
            trial = np.zeros(size)
            trial[idx] = lam
            q = problem.shares(solve_at(trial))[idx] * market_size
            # a trial shadow price can drive a share to 0 (underflow): floor it so the root
            # finder sees a large finite gap instead of -inf
            floor = np.finfo(float).tiny * capacities[idx]
            return np.log(np.maximum(q, floor) / capacities[idx])

        found: list[np.ndarray] = []

        def gap_or_stop(lam: np.ndarray) -> np.ndarray:
            out = gap(lam)
            if float(np.max(np.abs(out))) <= _STOP_RTOL:  # a root: no need to refine the step
                found.append(np.array(lam, dtype=float))
                raise _RootFound
            return out

        try:
            root = optimize.root(gap_or_stop, guess[idx], method="hybr", options={"xtol": 1e-14})
            x, message = root.x, root.message
        except _RootFound:
            x, message = found[-1], "converged"
        worst = float(np.max(np.abs(gap(x))))
        if not worst <= CAPACITY_RTOL:
            raise EquilibriumNotConverged(
                f"capacity shadow prices: root find failed ({message})",
                residual=worst,
                iterations=state["iterations"],
                last_iterate=state["prices"],
            )
        shadow = np.zeros(size)
        shadow[idx] = x
        return shadow

    shadow = np.zeros(size)
    prices = solve_at(shadow)
    active = np.zeros(size, dtype=bool)
    seen: set[bytes] = set()
    while active.tobytes() not in seen:
        seen.add(active.tobytes())
        if active.any():
            shadow = solve_active(active, shadow)
            if np.any(shadow[active] < 0.0):  # release the least justified constraint
                active[int(np.argmin(np.where(active, shadow, np.inf)))] = False
                shadow = np.maximum(shadow, 0.0) * active
                continue
        else:
            shadow = np.zeros(size)
        prices = solve_at(shadow)
        quantities = problem.shares(prices) * market_size
        violated = ~active & (quantities > capacities * (1.0 + CAPACITY_RTOL))
        if not violated.any():
            return prices, shadow, state["iterations"], state["residual"]
        with np.errstate(divide="ignore", invalid="ignore"):  # q = 0 only where not violated
            overshoot = np.where(
                violated, np.log(quantities / np.minimum(quantities, capacities)), 0.0
            )
        shadow = shadow + violated * overshoot / problem.alpha  # first guess for new entries
        active |= violated
    raise EquilibriumNotConverged(
        "capacity active-set iteration cycled without satisfying complementarity",
        residual=state["residual"],
        iterations=state["iterations"],
        last_iterate=prices,
    )
