"""Linear-demand oligopoly in closed form: Cournot with capacities, differentiated Bertrand.

* :func:`solve_cournot` - homogeneous good, inverse demand ``P = a - b Q``, constant marginal
  costs per firm, optional capacities. Used as the reduced form for homogeneous launch slots:
  with capacities chosen first and efficient rationing, capacity-then-price competition yields
  the Cournot outcome (Kreps & Scheinkman 1983, Bell J. Econ. 14(2)); with exogenous capacities
  this is Cournot with output limits.
* :func:`solve_linear_bertrand` - differentiated products with linear demand
  ``q = a + B p`` and an ownership (kappa) matrix; the FOCs are linear and solved exactly.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = [
    "CournotEquilibrium",
    "LinearBertrandEquilibrium",
    "solve_cournot",
    "solve_linear_bertrand",
]


@dataclass(frozen=True)
class CournotEquilibrium:
    """Result of :func:`solve_cournot`.

    Attributes
    ----------
    quantities : numpy.ndarray, shape (N,)
        Output per firm, units.
    price : float
        Market price ``a - b Q``, USD per unit.
    profits : numpy.ndarray, shape (N,)
        ``(price - c_i) q_i``, USD.
    consumer_surplus : float
        ``b Q^2 / 2``, USD.
    total_quantity : float
        ``Q``, units.
    at_capacity : numpy.ndarray of bool, shape (N,)
        Firms producing at their capacity.
    """

    quantities: np.ndarray
    price: float
    profits: np.ndarray
    consumer_surplus: float
    total_quantity: float
    at_capacity: np.ndarray


def solve_cournot(
    intercept: float, slope: float, marginal_costs: object, capacities: object | None = None
) -> CournotEquilibrium:
    """Exact Cournot-Nash equilibrium with linear inverse demand and capacities.

    Each firm's best response to the market price is ``q_i = clip((P - c_i)/b, 0, K_i)``
    (interior FOC ``P - c_i - b q_i = 0``; zero output when ``P <= c_i``; capacity when the
    marginal profit at ``K_i`` is still positive). The equilibrium price solves
    ``P = a - b sum_i clip((P - c_i)/b, 0, K_i)``, a strictly monotone piecewise-linear
    equation, so the active set (firms priced out, interior, at capacity) is found exactly by
    locating the linear segment that contains the root. The equilibrium is unique (the game
    has a strictly concave potential). Without capacities and with all firms active this is
    ``q_i = (a - N c_i + sum_{k != i} c_k) / (b (N + 1))``.

    Parameters
    ----------
    intercept : float
        ``a`` (choke price), USD per unit, ``> 0``.
    slope : float
        ``b``, USD per unit per unit of output, ``> 0``.
    marginal_costs : array_like, shape (N,)
        Constant marginal cost per firm, USD per unit.
    capacities : array_like, shape (N,), optional
        Output limits, units (``>= 0``, ``inf`` for none).

    Returns
    -------
    CournotEquilibrium

    Examples
    --------
    >>> eq = solve_cournot(100.0, 1.0, [10.0, 10.0])
    >>> eq.quantities.tolist(), eq.price, eq.profits.tolist()
    ([30.0, 30.0], 40.0, [900.0, 900.0])
    >>> solve_cournot(100.0, 1.0, [10.0, 10.0], capacities=[20.0, float("inf")]).quantities.tolist()
    [20.0, 35.0]
    """
    a, b = float(intercept), float(slope)
    if not np.isfinite(a) or a <= 0.0:
        raise ValueError(f"intercept must be finite and > 0, got {a}")
    if not np.isfinite(b) or b <= 0.0:
        raise ValueError(f"slope must be finite and > 0, got {b}")
    c = np.asarray(marginal_costs, dtype=float)
    if c.ndim != 1 or c.size == 0 or not np.all(np.isfinite(c)):
        raise ValueError("marginal_costs must be a non-empty 1-D array of finite values")
    if capacities is None:
        k = np.full(c.size, np.inf)
    else:
        k = np.asarray(capacities, dtype=float)
        if k.shape != c.shape or np.any(np.isnan(k)) or np.any(k < 0.0):
            raise ValueError(f"capacities must have shape {c.shape} with values >= 0")

    def excess(price: float) -> float:  # strictly increasing in price
        return price - a + float(np.sum(np.clip(price - c, 0.0, b * k)))

    # Breakpoints of the piecewise-linear map; the root lies in [min(c, a) - 1, a].
    points = np.concatenate((c, c + b * k))
    points = np.unique(points[np.isfinite(points) & (points < a)])
    low = min(float(c.min()), a) - 1.0
    grid = np.concatenate(([low], points, [a]))
    values = np.array([excess(x) for x in grid])
    i = int(np.searchsorted(values, 0.0))  # first grid point with excess >= 0
    if values[i] == 0.0:
        price = float(grid[i])
    else:  # the map is linear on (grid[i-1], grid[i]): solve with that segment's active set
        mid = 0.5 * (grid[i - 1] + grid[i])
        interior = (mid > c) & (mid < c + b * k)
        capped = mid >= c + b * k
        n = int(interior.sum())
        price = (a + float(c[interior].sum()) - b * float(k[capped].sum())) / (n + 1)
    q = np.clip((price - c) / b, 0.0, k)
    total = float(q.sum())
    return CournotEquilibrium(
        quantities=q,
        price=price,
        profits=(price - c) * q,
        consumer_surplus=0.5 * b * total**2,
        total_quantity=total,
        at_capacity=np.isfinite(k) & (q >= k) & (q > 0.0),
    )


@dataclass(frozen=True)
class LinearBertrandEquilibrium:
    """Result of :func:`solve_linear_bertrand`.

    Attributes
    ----------
    prices, quantities, profits : numpy.ndarray, shape (J,)
        USD per unit, units, USD (``(p - c) q``).
    """

    prices: np.ndarray
    quantities: np.ndarray
    profits: np.ndarray


def solve_linear_bertrand(
    intercepts: object, slopes: object, marginal_costs: object, kappa: object | None = None
) -> LinearBertrandEquilibrium:
    """Bertrand-Nash prices for differentiated products with linear demand.

    Demand ``q = a + B p`` with ``B[j, k] = dq_j/dp_k`` (negative diagonal). The decision
    maker pricing ``k`` maximises ``sum_j kappa[k, j] (p_j - c_j) q_j``; its FOC
    ``kappa[k, k] q_k + sum_j kappa[k, j] B[j, k] (p_j - c_j) = 0`` is linear in ``p`` and
    solved directly (Singh & Vives 1984 style linear demand). No non-negativity constraints
    are imposed; a negative quantity raises ``ValueError``.

    Parameters
    ----------
    intercepts : array_like, shape (J,)
        ``a``, units.
    slopes : array_like, shape (J, J)
        ``B``, units per USD.
    marginal_costs : array_like, shape (J,)
        USD per unit.
    kappa : array_like, shape (J, J), optional
        Control weights as in :func:`~spacemarket.market.economics.bertrand.solve_prices`.

    Returns
    -------
    LinearBertrandEquilibrium

    Examples
    --------
    ``q_i = 10 - 2 p_i + p_j``, ``c = 1``; by hand, the FOC ``10 - 4 p_i + p_j + 2 = 0`` gives
    the symmetric ``p = 4``, ``q = 6``, profit ``(4 - 1) * 6 = 18``:

    >>> eq = solve_linear_bertrand([10.0, 10.0], [[-2.0, 1.0], [1.0, -2.0]], [1.0, 1.0])
    >>> eq.prices.tolist(), eq.quantities.tolist(), eq.profits.tolist()
    ([4.0, 4.0], [6.0, 6.0], [18.0, 18.0])
    """
    a = np.asarray(intercepts, dtype=float)
    size = a.size
    if a.ndim != 1 or size == 0 or not np.all(np.isfinite(a)):
        raise ValueError("intercepts must be a non-empty 1-D array of finite values")
    slope = np.asarray(slopes, dtype=float)
    if slope.shape != (size, size) or not np.all(np.isfinite(slope)):
        raise ValueError(f"slopes must be a finite ({size}, {size}) array")
    c = np.asarray(marginal_costs, dtype=float)
    if c.shape != (size,) or not np.all(np.isfinite(c)):
        raise ValueError(f"marginal_costs must be a finite ({size},) array")
    kap = np.eye(size) if kappa is None else np.asarray(kappa, dtype=float)
    if kap.shape != (size, size) or not np.all(np.isfinite(kap)) or np.any(np.diag(kap) <= 0):
        raise ValueError(f"kappa must be a finite ({size}, {size}) array with positive diagonal")
    # FOC_k: kappa_kk (a_k + B_k. p) + sum_j kappa_kj B_jk (p_j - c_j) = 0
    weighted = kap * slope.T  # [k, j] = kappa_kj * B_jk
    system = np.diag(np.diag(kap)) @ slope + weighted
    rhs = -np.diag(kap) * a + weighted @ c
    prices = np.linalg.solve(system, rhs)
    quantities = a + slope @ prices
    if np.any(quantities < 0.0):
        raise ValueError("linear Bertrand equilibrium has negative quantities; demand misspecified")
    return LinearBertrandEquilibrium(prices, quantities, (prices - c) * quantities)
