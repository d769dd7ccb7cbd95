"""Multi-product Bertrand-Nash prices under logit / nested-logit demand.

The solver is the zeta-markup fixed point of Morrow & Skerlos (2011, Oper. Res. 59(2)), the
method pyblp uses (Conlon & Gortmaker 2020, RAND J. Econ. 51(4)), generalised here to a *margin
matrix* (derived below) so one FOC covers full and partial ownership (O'Brien-Salop kappa
weights) and upstream margins earned on inputs sold to rivals (the raising-rivals'-costs /
vGUPPI_d channel of Moresi & Salop 2013).

The decision maker that prices product ``k`` maximises, per consumer,

    V_k(p) = sum_j [ kappa[k, j] (p_j - c_j - lambda_j) + upstream_margins[k, j] ] s_j(p)

where ``lambda_j >= 0`` is product ``j``'s capacity shadow price. With the Morrow-Skerlos split
``ds_j/dp_k = Lambda_kk 1{j=k} - Gamma_jk`` and ``mu_kj = kappa[k, j] (p_j - c_j - lambda_j)
+ upstream_margins[k, j]``, the FOC ``kappa[k, k] s_k + sum_j (ds_j/dp_k) mu_kj = 0`` rearranges
to ``p_k = c_k + lambda_k + zeta_k(p)`` with

    zeta_k = Lambda_kk^-1 [ sum_j Gamma_jk mu_kj / kappa[k, k] - s_k ]
             - upstream_margins[k, k] / kappa[k, k],

iterated for all ``k`` at once. With ``upstream_margins = 0`` and ``kappa`` an ownership matrix
this is exactly pyblp's zeta step.

Vertical integration under *linear* contracts (elimination of double marginalisation) is
expressed through costs, not through this module: the integrated downstream product's marginal
cost uses the upstream marginal cost of the input instead of the wholesale price (see
:func:`delivered_marginal_cost`). Under two-part contracts the wholesale price already equals
upstream cost and integration changes nothing here.

Capacities bind through shadow prices: ``q_j <= K_j``, ``lambda_j >= 0``,
``lambda_j (K_j - q_j) = 0``, with ``lambda_j`` an extra marginal (opportunity) cost of product
``j`` (:mod:`.bertrand_capacity`).

Implementation: :mod:`.bertrand_fixed_point` (the zeta iteration) and
:mod:`.bertrand_capacity` (the active set of binding capacities); this module validates the
inputs and assembles the :class:`PriceEquilibrium`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np

from spacemarket.market.economics.bertrand_capacity import solve_with_capacities
from spacemarket.market.economics.bertrand_fixed_point import (
    PricingProblem,
    weighted_blocks,
    zeta_fixed_point,
)
from spacemarket.market.economics.demand_logit import logit_consumer_surplus
from spacemarket.market.economics.demand_nested_logit import (
    nest_structure,
    nested_logit_consumer_surplus,
)

__all__ = ["PriceEquilibrium", "delivered_marginal_cost", "solve_prices"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PriceEquilibrium:
    """Result of :func:`solve_prices` (arrays are read-only).

    Attributes
    ----------
    prices : numpy.ndarray, shape (J,)
        Equilibrium prices, USD per unit.
    shares : numpy.ndarray, shape (J,)
        Market shares (fraction of ``market_size``).
    margins : numpy.ndarray, shape (J,)
        ``prices - marginal_costs``, USD per unit (capacity rents included).
    quantities : numpy.ndarray, shape (J,)
        ``shares * market_size``, units.
    profits : numpy.ndarray, shape (J,)
        ``margins * quantities``, USD: the variable profit earned on each product by its seller.
        Upstream margins are *not* included (they accrue to the upstream sellers).
    shadow_prices : numpy.ndarray, shape (J,)
        Capacity shadow prices ``lambda``, USD per unit (0 where capacity is slack or absent).
    consumer_surplus : float
        Total consumer surplus (inclusive value times ``market_size``), USD.
    market_size : float
        Number of consumers.
    iterations : int
        Total zeta-markup iterations (over all inner solves when capacities bind).
    residual : float
        Max absolute FOC residual at ``prices`` in the Morrow-Skerlos normalisation
        ``|p_k - c_k - lambda_k - zeta_k(p)|``, USD (the FOC divided by
        ``kappa[k, k] * Lambda_kk``; it equals the price change one more step would make).
    converged : bool
        Always ``True`` for a returned result: non-convergence raises
        :class:`~spacemarket.errors.EquilibriumNotConverged`.
    """

    prices: np.ndarray
    shares: np.ndarray
    margins: np.ndarray
    quantities: np.ndarray
    profits: np.ndarray
    shadow_prices: np.ndarray
    consumer_surplus: float
    market_size: float
    iterations: int
    residual: float
    converged: bool

    def __post_init__(self) -> None:
        for name in ("prices", "shares", "margins", "quantities", "profits", "shadow_prices"):
            arr = np.array(getattr(self, name), dtype=float)
            arr.setflags(write=False)
            object.__setattr__(self, name, arr)


def delivered_marginal_cost(
    downstream_cost: object, input_price_or_upstream_cost: object, input_units: object
) -> np.ndarray:
    """Marginal cost of a downstream product that uses an upstream input.

    ``c = downstream_cost + input_price_or_upstream_cost * input_units``. For an independent
    buyer on a linear contract pass the wholesale price ``w``; for a vertically integrated
    buyer (linear contracts: elimination of double marginalisation, Spengler 1950) pass the
    upstream marginal cost. Under a two-part tariff ``w`` equals upstream cost already.

    Parameters
    ----------
    downstream_cost : array_like
        Own marginal cost, USD per unit of output.
    input_price_or_upstream_cost : array_like
        USD per unit of input (e.g. USD/kg of launch).
    input_units : array_like
        Input units per unit of output (e.g. kg per compute unit), ``>= 0``.

    Returns
    -------
    numpy.ndarray
        Marginal cost, USD per unit of output (broadcast shape of the inputs).

    Examples
    --------
    >>> delivered_marginal_cost(1.0, [3.0, 2.0], 0.5).tolist()   # w = 3 vs upstream mc = 2
    [2.5, 2.0]
    """
    base = np.asarray(downstream_cost, dtype=float)
    price = np.asarray(input_price_or_upstream_cost, dtype=float)
    units = np.asarray(input_units, dtype=float)
    for name, arr in (
        ("downstream_cost", base),
        ("input_price_or_upstream_cost", price),
        ("input_units", units),
    ):
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite")
    if np.any(units < 0):
        raise ValueError("input_units must be >= 0")
    return np.asarray(base + price * units, dtype=float)


def _vector(name: str, value: object, size: int | None) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.ndim != 1 or arr.size == 0 or (size is not None and arr.size != size):
        want = f"({size},)" if size is not None else "(J,) with J >= 1"
        raise ValueError(f"{name} must have shape {want}, got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def _square(name: str, value: object, size: int) -> np.ndarray:
    arr = np.asarray(value, dtype=float)
    if arr.shape != (size, size):
        raise ValueError(f"{name} must have shape ({size}, {size}), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def solve_prices(
    mean_utilities: object,
    alpha: float,
    marginal_costs: object,
    *,
    kappa: object | None = None,
    upstream_margins: object | None = None,
    nest_ids: object | None = None,
    rho: object | None = None,
    capacities: object | None = None,
    market_size: float = 1.0,
    initial_prices: object | None = None,
    tolerance: float = 1e-12,
    max_iterations: int = 5000,
) -> PriceEquilibrium:
    """Multi-product Bertrand-Nash prices by the generalised zeta-markup fixed point.

    Morrow & Skerlos (2011, Oper. Res. 59(2)) zeta-markup iteration as in pyblp (Conlon &
    Gortmaker 2020), extended with a margin matrix (kappa weights plus upstream margins) and
    capacity shadow prices; see the module docstring for the equations. Demand is logit, or
    nested logit (Berry 1994; Cardell 1997) when ``nest_ids`` is given.

    Parameters
    ----------
    mean_utilities : array_like, shape (J,)
        ``delta_j`` in utils; utility is ``delta_j - alpha p_j``, outside good 0.
    alpha : float
        Price sensitivity, 1/USD (``> 0``).
    marginal_costs : array_like, shape (J,)
        USD per unit. For an integrated buyer under linear contracts, build it with the
        upstream marginal cost (:func:`delivered_marginal_cost`).
    kappa : array_like, shape (J, J), optional
        ``kappa[j, k]`` = weight the decision maker pricing ``j`` puts on product ``k``'s profit
        (1 = own / fully controlled, fractions for partial ownership). Default identity
        (single-product firms). Diagonal must be ``> 0``.
    upstream_margins : array_like, shape (J, J), optional
        ``upstream_margins[j, k]`` = USD the decision maker pricing ``j`` earns upstream per
        unit of product ``k`` sold (input margin times input units, already kappa-weighted).
        Default zeros.
    nest_ids : array_like, shape (J,), optional
        Nest label per product (nested logit). Requires ``rho``.
    rho : float or array_like, shape (G,), optional
        Nesting parameter(s) in (0, 1] (1 = logit); pyblp's ``rho`` is ``1 - rho``.
    capacities : array_like, shape (J,), optional
        Capacity per product in units (``> 0``, ``inf`` = none); binds via shadow prices.
    market_size : float, default 1.0
        Number of consumers (``> 0``); quantities are ``shares * market_size``.
    initial_prices : array_like, shape (J,), optional
        Starting prices (USD). Default ``marginal_costs + 1/alpha``.
    tolerance : float, default 1e-12
        Converged when ``|p_k - c_k - lambda_k - zeta_k| <= tolerance * max(1, |p_k|)``.
    max_iterations : int, default 5000
        Cap on zeta iterations per inner solve.

    Returns
    -------
    PriceEquilibrium

    Raises
    ------
    ValueError
        Invalid input (the message names the argument).
    EquilibriumNotConverged
        Iteration cap reached, divergence, or capacity complementarity not met.

    Examples
    --------
    Three single-product logit firms, ``u = 1 - p``, ``c = 1``; firms 1 and 2 merge (a
    constructed case; pyblp's ``Simulation.replace_endogenous`` gives the same prices, see
    Conlon & Gortmaker 2020):

    >>> pre = solve_prices([1.0, 1.0, 1.0], 1.0, [1.0, 1.0, 1.0])
    >>> pre.prices.round(8).tolist()
    [2.18923074, 2.18923074, 2.18923074]
    >>> merged = [[1, 1, 0], [1, 1, 0], [0, 0, 1]]
    >>> solve_prices([1.0, 1.0, 1.0], 1.0, [1.0, 1.0, 1.0], kappa=merged).prices.round(8).tolist()
    [2.38486427, 2.38486427, 2.20058335]
    """
    delta = _vector("mean_utilities", mean_utilities, None)
    size = delta.size
    alpha = float(alpha)
    if not np.isfinite(alpha) or alpha <= 0.0:
        raise ValueError(f"alpha (price sensitivity, 1/USD) must be finite and > 0, got {alpha}")
    costs = _vector("marginal_costs", marginal_costs, size)
    kappa_arr = np.eye(size) if kappa is None else _square("kappa", kappa, size)
    if np.any(np.diag(kappa_arr) <= 0.0):
        raise ValueError("kappa must have a strictly positive diagonal")
    upstream = (
        np.zeros((size, size))
        if upstream_margins is None
        else _square("upstream_margins", upstream_margins, size)
    )
    if (nest_ids is None) != (rho is None):
        raise ValueError("nest_ids and rho must be given together (nested logit)")
    nests = None if nest_ids is None else nest_structure(nest_ids, rho, size)
    market_size = float(market_size)
    if not np.isfinite(market_size) or market_size <= 0.0:
        raise ValueError(f"market_size must be finite and > 0, got {market_size}")
    tolerance = float(tolerance)
    if not np.isfinite(tolerance) or tolerance <= 0.0:
        raise ValueError(f"tolerance must be finite and > 0, got {tolerance}")
    if int(max_iterations) != max_iterations or max_iterations < 1:
        raise ValueError(f"max_iterations must be a positive integer, got {max_iterations}")
    start = (
        costs + 1.0 / alpha
        if initial_prices is None
        else _vector("initial_prices", initial_prices, size)
    )
    fast = None
    if nests is None and not np.any(upstream):
        fast = weighted_blocks(kappa_arr)
    problem = PricingProblem(
        delta, alpha, costs, kappa_arr, upstream, nests, tolerance, int(max_iterations), fast
    )

    if capacities is None:
        prices, iterations, residual = zeta_fixed_point(problem, costs, start)
        shadow = np.zeros(size)
    else:
        caps = np.asarray(capacities, dtype=float)
        if caps.shape != (size,) or np.any(np.isnan(caps)) or np.any(caps <= 0.0):
            raise ValueError(f"capacities must have shape ({size},) with values > 0 (inf allowed)")
        prices, shadow, iterations, residual = solve_with_capacities(
            problem, caps, market_size, start
        )

    shares = problem.blocks(prices)[0]
    if nests is None:
        surplus = logit_consumer_surplus(delta, alpha, prices, market_size)
    else:
        surplus = nested_logit_consumer_surplus(delta, alpha, prices, nest_ids, rho, market_size)
    quantities = shares * market_size
    logger.debug("solve_prices: J=%d iterations=%d residual=%.3g", size, iterations, residual)
    return PriceEquilibrium(
        prices=prices,
        shares=shares,
        margins=prices - costs,
        quantities=quantities,
        profits=(prices - costs) * quantities,
        shadow_prices=shadow,
        consumer_surplus=surplus,
        market_size=market_size,
        iterations=iterations,
        residual=residual,
        converged=True,
    )
