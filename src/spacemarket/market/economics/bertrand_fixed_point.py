"""The Morrow-Skerlos zeta-markup fixed point with a margin matrix (the core of ``solve_prices``).

Iterates ``p <- c_eff + zeta(p)`` with ``zeta`` from the first-order conditions written in
:mod:`.bertrand` (kappa control weights plus upstream margins; Morrow & Skerlos 2011, Oper.
Res. 59(2); pyblp's step when there are no upstream margins). ``c_eff`` is marginal cost plus
any capacity shadow price (:mod:`.bertrand_capacity`). No input validation here:
:func:`~.bertrand.solve_prices` validates and builds the :class:`PricingProblem`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from spacemarket.errors import EquilibriumNotConverged
from spacemarket.market.economics.demand_logit import log_one_plus_sum_exp, logit_core
from spacemarket.market.economics.demand_nested_logit import nested_core

__all__ = ["PricingProblem", "weighted_blocks", "zeta_fixed_point"]


def weighted_blocks(kappa: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """``(groups, weights)`` if ``kappa[k, j] = w_j / w_k`` within groups and 0 across, else None.

    This is the structure of full control (``w = 1``: the ownership matrix of merger
    simulation) and of the model's per-launch objective (``w`` = payload, so a provider weighs
    vehicle j's per-kg margin by ``m_j / m_k``). With it and plain logit demand the zeta step
    needs only group sums, ``zeta_k = (1/w_k) sum_{j in g(k)} w_j s_j (p_j - c_j) + 1/alpha``:
    O(J) per iteration instead of O(J^2) (Morrow and Skerlos 2011's step with the dense
    Gamma block rank-one).

    Examples
    --------
    >>> g, w = weighted_blocks(np.array([[1.0, 2.0, 0.0], [0.5, 1.0, 0.0], [0.0, 0.0, 1.0]]))
    >>> g.tolist(), w.tolist()   # group labels: the index of each group's first product
    ([0, 0, 2], [1.0, 2.0, 1.0])
    >>> weighted_blocks(np.array([[1.0, 0.3], [0.3, 1.0]])) is None   # partial ownership
    True
    """
    size = kappa.shape[0]
    nonzero = kappa != 0.0
    groups = np.argmax(nonzero, axis=1)  # each row's first related product labels its group
    weights = kappa[groups, np.arange(size)]
    same = groups[:, None] == groups[None, :]
    if np.any(weights <= 0.0) or not np.array_equal(nonzero, same):
        return None
    predicted = np.where(same, weights[None, :] / weights[:, None], 0.0)
    if not np.all(np.abs(kappa - predicted) <= 1e-12 * np.abs(predicted)):
        return None
    return groups, weights


@dataclass(frozen=True)
class PricingProblem:
    """A validated pricing problem: demand, costs and the margin matrix.

    Attributes
    ----------
    delta : numpy.ndarray, shape (J,)
        Mean utilities, utils.
    alpha : float
        Price sensitivity, 1/USD.
    costs : numpy.ndarray, shape (J,)
        Marginal costs, USD per unit.
    kappa, upstream : numpy.ndarray, shape (J, J)
        Control weights and upstream margins of the margin matrix (:mod:`.bertrand`).
    nests : tuple of numpy.ndarray or None
        ``(nest index per product, rho per nest)`` for nested logit, ``None`` for logit.
    tolerance : float
        Relative tolerance on the FOC residual.
    max_iterations : int
        Cap on zeta iterations per solve.
    """

    delta: np.ndarray
    alpha: float
    costs: np.ndarray
    kappa: np.ndarray
    upstream: np.ndarray
    nests: tuple[np.ndarray, np.ndarray] | None
    tolerance: float
    max_iterations: int
    #: ``(groups, weights)`` from :func:`weighted_blocks` when the O(J) step applies (plain
    #: logit, no upstream margins), else None.
    fast: tuple[np.ndarray, np.ndarray] | None = None

    def shares(self, prices: np.ndarray) -> np.ndarray:
        """Inside shares at ``prices``, shape (J,)."""
        if self.nests is None:
            u = self.delta - self.alpha * prices
            return np.exp(u - log_one_plus_sum_exp(u))
        return self.blocks(prices)[0]

    def blocks(self, prices: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Shares and share-scaled Morrow-Skerlos blocks at ``prices``."""
        u = self.delta - self.alpha * prices
        if self.nests is None:
            return logit_core(u, self.alpha)
        return nested_core(u, self.alpha, *self.nests)

    def zeta_residual(self, prices: np.ndarray, eff_costs: np.ndarray) -> np.ndarray:
        """``p - c_eff - zeta(p)`` (USD) using the share-scaled Morrow-Skerlos blocks."""
        if self.fast is not None:
            groups, weights = self.fast
            margins = prices - eff_costs
            sums = np.bincount(groups, weights * self.shares(prices) * margins)
            zeta = sums[groups] / weights + 1.0 / self.alpha
            return margins - zeta
        _, lambda_over_s, gamma_over_s = self.blocks(prices)
        mu = self.kappa * (prices - eff_costs)[None, :] + self.upstream
        kdiag = np.diag(self.kappa)
        gamma_mu = np.einsum("kj,jk->k", mu, gamma_over_s) / kdiag
        zeta = (gamma_mu - 1.0) / lambda_over_s - np.diag(self.upstream) / kdiag
        return prices - eff_costs - zeta


def zeta_fixed_point(
    problem: PricingProblem, eff_costs: np.ndarray, start: np.ndarray
) -> tuple[np.ndarray, int, float]:
    """Iterate ``p <- c_eff + zeta(p)`` until the USD FOC residual is below tolerance.

    Parameters
    ----------
    problem : PricingProblem
    eff_costs : numpy.ndarray, shape (J,)
        Marginal costs plus capacity shadow prices, USD per unit.
    start : numpy.ndarray, shape (J,)
        Starting prices, USD.

    Returns
    -------
    prices : numpy.ndarray, shape (J,)
        USD per unit.
    iterations : int
    residual : float
        Largest ``|p - c_eff - zeta(p)|`` at ``prices``, USD.

    Raises
    ------
    EquilibriumNotConverged
        On divergence or when ``problem.max_iterations`` is reached.
    """
    prices = start.copy()
    residual = np.inf
    tol = problem.tolerance
    for iteration in range(1, problem.max_iterations + 1):
        step = problem.zeta_residual(prices, eff_costs)
        size = np.abs(step)
        # NaN fails every comparison, so a non-finite step never counts as converged
        if (size <= tol * np.maximum(1.0, np.abs(prices))).all():
            return prices, iteration, float(size.max())
        residual = float(size.max())
        if not math.isfinite(residual):
            raise EquilibriumNotConverged(
                "zeta-markup iteration diverged (non-finite FOC)",
                residual=math.inf,
                iterations=iteration,
                last_iterate=prices,
            )
        if iteration == problem.max_iterations:
            break
        prices = prices - step  # finite: prices and step are
    raise EquilibriumNotConverged(
        f"zeta-markup iteration did not converge in {problem.max_iterations} iterations",
        residual=residual,
        iterations=problem.max_iterations,
        last_iterate=prices,
    )
