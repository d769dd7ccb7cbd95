"""One supply edge's Nash bargain given all other contracts (the Nash-in-Nash building block).

The edge ``e = (U, D)`` is priced as the generalized Nash bargaining solution of its two
decision makers given all other contracts ("passive beliefs", Horn & Wolinsky 1988):

    w_e maximises  b_e log gain_U(w_e) + (1 - b_e) log gain_D(w_e),

where ``gain_X`` is the change in the controller's objective ``V = sum_g kappa g Pi_g`` between
agreement and disagreement, each with the spot market re-solved (:mod:`.vertical_spot`).

Linear contracts (:func:`bargain_linear`): a 1-D bounded maximisation. A log-spaced grid of
``grid_points`` over ``[c_u, c_u + 200 / (alpha input_units)]`` locates the bracket, Brent's
bounded method refines it and one Newton step on central differences polishes it; given a
hint (the previous sweep's price) a bracket around it is searched first; prices below ``c_u``
are not considered. Two-part contracts (:func:`bargain_two_part`) trade at ``w = c_u`` with
the closed-form transfer ``T* = b g_D - (1 - b) g_U`` (gross gains, generalised to kappa
weights). The bargaining set is empty when no price gives both sides a positive gain (for
two-part contracts: non-positive joint gains).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

from spacemarket.errors import EquilibriumNotConverged
from spacemarket.market.economics._optimize import newton_polish
from spacemarket.market.economics.vertical_market import VerticalMarket
from spacemarket.market.economics.vertical_spot import vertical_outcome

__all__ = ["EdgeBargain", "SpotEvaluator", "bargain_linear", "bargain_two_part", "gross_gains"]


@dataclass
class EdgeBargain:
    """One edge's bargain given the other contracts.

    Attributes
    ----------
    price : float
        Per-kg price, USD/kg (linear); the lump-sum transfer ``T*``, USD (two-part).
    feasible : bool
        The bargaining set is non-empty.
    gain_up, gain_down : float
        The upstream and downstream controllers' gains from the edge, USD.
    joint : float
        Joint gain, USD (two-part: in USD of transfer); ranks edges to drop or re-admit.
    """

    price: float
    feasible: bool
    gain_up: float
    gain_down: float
    joint: float


class SpotEvaluator:
    """Controllers' values at given prices and active set, with per-active-set warm starts.

    Parameters
    ----------
    market : VerticalMarket
    disagreement : {"drop", "fallback"}
        Passed to :func:`~.vertical_spot.vertical_outcome`.

    Attributes
    ----------
    calls : int
        Spot-market solves so far.
    """

    def __init__(self, market: VerticalMarket, disagreement: str) -> None:
        self.market, self.disagreement, self.calls = market, disagreement, 0
        self._warm: dict[bytes, np.ndarray] = {}

    def values(self, w: np.ndarray, active: np.ndarray) -> np.ndarray:
        key = active.tobytes()
        warm = self._warm.get(key)
        try:
            out = self._outcome(w, active, warm)
        except EquilibriumNotConverged:
            if warm is None:
                raise
            out = self._outcome(w, active, None)  # the warm start was poor: start cold
        self._warm[key] = out.prices - out.marginal_cost
        return out.controller_value

    def _outcome(self, w: np.ndarray, active: np.ndarray, warm: np.ndarray | None):
        self.calls += 1
        return vertical_outcome(
            self.market, w, active, disagreement=self.disagreement, initial_markups=warm
        )


def _log_nash(gain_up: float, gain_down: float, b: float, scale: float) -> float:
    """``b log g_U + (1-b) log g_D``; a finite penalty below any feasible value if infeasible."""
    need_up = gain_up > 0.0 if b > 0.0 else gain_up >= 0.0
    need_down = gain_down > 0.0 if b < 1.0 else gain_down >= 0.0
    if not (need_up and need_down):
        violation = max(-gain_up, 0.0) + max(-gain_down, 0.0)
        return -1e3 - violation / scale
    value = b * np.log(gain_up) if b > 0.0 else 0.0
    return float(value + ((1.0 - b) * np.log(gain_down) if b < 1.0 else 0.0))


def bargain_linear(
    ev: SpotEvaluator,
    e: int,
    w: np.ndarray,
    active: np.ndarray,
    grid_points: int,
    hint: tuple[float, float] | None,
) -> EdgeBargain:
    """Best per-kg price of edge ``e`` given the other prices (1-D bounded maximisation).

    Parameters
    ----------
    ev : SpotEvaluator
    e : int
        Edge (product) index.
    w : numpy.ndarray, shape (J,)
        Current per-kg prices, USD/kg (entry ``e`` is the fallback when the set is empty).
    active : numpy.ndarray of bool, shape (J,)
        Edges in force besides ``e`` (``e`` itself is toggled here).
    grid_points : int
        Points of the log-spaced search grid (module docstring).
    hint : tuple of float, optional
        ``(previous price, half-width)``, USD/kg: search a bracket around it first.

    Returns
    -------
    EdgeBargain
        ``feasible=False`` (and ``price = w[e]``) when the bargaining set is empty on the grid.
    """
    m = ev.market
    cu, cd = m.pair(e)
    without, with_ = active.copy(), active.copy()
    without[e], with_[e] = False, True
    v0 = ev.values(w, without)
    b = float(m.bargaining_weight[e])
    cost = float(m.edge_cost[e])
    unit = 1.0 / (m.price_sensitivity * m.input_units[e])  # USD/kg moving utility by 1
    money = max(abs(v0).max(), 1.0)
    memo: dict[float, tuple[float, float]] = {}

    def gains(x: float) -> tuple[float, float]:
        if x not in memo:
            trial = w.copy()
            trial[e] = x
            v = ev.values(trial, with_)
            memo[x] = (float(v[cu] - v0[cu]), float(v[cd] - v0[cd]))
        return memo[x]

    def objective(x: float) -> float:
        return _log_nash(*gains(x), b, money)

    def refine(lo: float, hi: float) -> float:
        res = minimize_scalar(
            lambda x: -objective(x), bounds=(lo, hi), method="bounded",
            options={"xatol": 1e-7 * unit},
        )  # fmt: skip
        return max((float(res.x), lo, hi), key=objective)  # Brent never tries the ends

    x = None
    if hint is not None:  # (previous price, half-width): widen the bracket until interior
        center, half = hint
        for _ in range(3):
            lo, hi = max(cost, center - half), center + half
            cand, edge = refine(lo, hi), 1e-3 * (hi - lo)
            interior = lo + edge < cand < hi - edge or (lo == cost and cand <= lo + edge)
            if interior and objective(cand) > -1e3:
                x = cand
                break
            half *= 10.0
    if x is None:
        grid = cost + unit * np.concatenate(([0.0], np.geomspace(1e-3, 200.0, grid_points - 1)))
        values = np.array([objective(g) for g in grid])
        i = int(np.argmax(values))
        if values[i] <= -1e3:  # empty bargaining set on the grid
            joint = max(sum(gains(g)) for g in grid)
            return EdgeBargain(float(w[e]), False, *gains(float(w[e])), joint)
        x = refine(grid[max(i - 1, 0)], grid[min(i + 1, grid.size - 1)])
        if objective(x) < values[i]:
            x = float(grid[i])
    x = max(newton_polish(objective, x, 3e-4 * unit), cost)
    gu, gd = gains(x)
    return EdgeBargain(x, True, gu, gd, gu + gd)


def gross_gains(
    ev: SpotEvaluator, e: int, w: np.ndarray, active: np.ndarray
) -> tuple[float, float]:
    """Controllers' gains (upstream's, downstream's) from edge ``e`` at prices ``w``, USD."""
    cu, cd = ev.market.pair(e)
    without, with_ = active.copy(), active.copy()
    without[e], with_[e] = False, True
    v0, v1 = ev.values(w, without), ev.values(w, with_)
    return float(v1[cu] - v0[cu]), float(v1[cd] - v0[cd])


def bargain_two_part(ev: SpotEvaluator, e: int, w: np.ndarray, active: np.ndarray) -> EdgeBargain:
    """Closed-form lump-sum transfer of two-part edge ``e``; ``price`` holds ``T*`` (USD).

    With ``a = kappa[U, u] - kappa[U, d]`` and ``c = kappa[D, d] - kappa[D, u]`` (what a dollar
    of transfer is worth to each controller) ``T* = b g_D / c - (1 - b) g_U / a``; feasible
    when the joint gain ``g_U / a + g_D / c`` is positive. Raises ``ValueError`` if ``a`` or
    ``c`` is not positive (cross-holdings leave no transferable surplus).
    """
    m = ev.market
    cu, cd = m.pair(e)
    u, d = m.upstream[e], m.downstream[e]
    gu, gd = gross_gains(ev, e, w, active)
    a = m.kappa[cu, u] - m.kappa[cu, d]  # dV_U / dT
    c = m.kappa[cd, d] - m.kappa[cd, u]  # -dV_D / dT
    if a <= 0.0 or c <= 0.0:
        raise ValueError(f"edge {m.products[e]}: cross-holdings make the transfer non-transferable")
    b = float(m.bargaining_weight[e])
    joint = gu / a + gd / c  # joint gain in USD of transfer
    transfer = b * gd / c - (1.0 - b) * gu / a
    return EdgeBargain(transfer, joint > 0.0, gu + a * transfer, gd - c * transfer, joint)
