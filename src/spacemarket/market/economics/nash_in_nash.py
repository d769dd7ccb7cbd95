"""Nash-in-Nash bargaining over the supply edges of a vertical market (Horn & Wolinsky 1988).

Each active supply edge ``e = (U, D)`` is priced as the generalized Nash bargaining solution of
its two decision makers *given all other contracts* ("passive beliefs"):

    w_e maximises  b_e log gain_U(w_e) + (1 - b_e) log gain_D(w_e),

where ``gain_X = V_X(w; G) - V_X(w_{-e}; G without e)`` is the change in the *controller's*
objective ``V = sum_g kappa g Pi_g`` (:mod:`.vertical_market`) between agreement and
disagreement, each with the spot market re-solved and the other edges' prices fixed. Because
gains are measured on controllers, a vertically integrated supplier's disagreement payoff
includes the downstream profit it recaptures when a rival loses supply: integration raises
the price rivals pay (bargaining leverage; Rogerson 2020, Rev. Ind. Organ.; Crawford, Lee,
Whinston & Yurukoglu 2018, Econometrica) while the integrated edge itself trades at cost
(elimination of double marginalisation under linear contracts).

This is the workhorse of Crawford & Yurukoglu (2012, AER); Collard-Wexler, Gowrisankaran &
Lee (2019, JPE) give it a non-cooperative foundation (alternating offers across many pairs).

Algorithm. Each edge's best response given the others is :mod:`.edge_bargain`'s (a bounded
1-D maximisation for linear contracts, a closed-form transfer for two-part ones). Linear
contracts are iterated by damped Gauss-Seidel (or Jacobi) sweeps over edges; later sweeps
search a bracket around the previous price first. An edge whose bargaining set is empty is
dropped (status ``"foreclosed"``) one at a time, worst first, dropped edges are re-admitted
when they regain positive gains, and the loop repeats until the active set is stable. Because
Gauss-Seidel results can depend on the order of edges, the solver re-runs with the reversed
and a shuffled order (``rng``) and reports whether prices or active sets differ.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import networkx as nx
import numpy as np

from spacemarket.errors import EquilibriumNotConverged
from spacemarket.market.economics.edge_bargain import (
    EdgeBargain,
    SpotEvaluator,
    bargain_linear,
    bargain_two_part,
    gross_gains,
)
from spacemarket.market.economics.vertical_market import (
    VerticalMarket,
    vertical_market_from_graph,
)
from spacemarket.market.economics.vertical_spot import VerticalOutcome, vertical_outcome

__all__ = ["NashInNashResult", "nash_in_nash"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class NashInNashResult:
    """Nash-in-Nash contracts and the spot outcome they induce (``J`` supply edges).

    Attributes
    ----------
    market : VerticalMarket
    edge_prices : numpy.ndarray, (J,)
        Per-kg price on each active edge, USD/kg (``c_u`` on integrated and two-part edges;
        NaN on inactive edges).
    transfers : numpy.ndarray, (J,)
        Lump-sum payment downstream -> upstream on two-part edges, USD (0 elsewhere).
    active : numpy.ndarray of bool, (J,)
    dropped : tuple of str
        Edges dropped by the bargaining (status ``"foreclosed"``); imposed foreclosures
        (``market.active`` False) are not listed.
    gains_upstream, gains_downstream : numpy.ndarray, (J,)
        Controllers' gains from each active edge at the solution, USD (net of transfers);
        NaN for non-bargained or inactive edges.
    outcome : VerticalOutcome
        Spot market at the solution (transfers included in profits).
    iterations : int
        Sweeps over edges, summed over active-set rounds.
    active_set_rounds : int
    residual : float
        Largest price change in the last sweep, USD/kg.
    converged : bool
    status : str
        ``"converged"``, ``"sweeps exhausted"``, ``"active set cycles"`` (dropping and
        re-admitting edges returns to an earlier active set: no stable set from this start)
        or ``"active-set rounds exhausted"``.
    order_dependent : bool or None
        Whether reversed / shuffled edge orders gave different active sets or prices (more
        than ``order_tolerance``); ``None`` if not checked.
    order_difference : float
        Largest price difference across the orders, USD/kg (NaN if not checked).
    """

    market: VerticalMarket
    edge_prices: np.ndarray
    transfers: np.ndarray
    active: np.ndarray
    dropped: tuple[str, ...]
    gains_upstream: np.ndarray
    gains_downstream: np.ndarray
    outcome: VerticalOutcome
    iterations: int
    active_set_rounds: int
    residual: float
    converged: bool
    status: str
    order_dependent: bool | None
    order_difference: float

    def to_graph(self, graph: nx.MultiDiGraph, input: str = "launch") -> nx.MultiDiGraph:
        """Copy of ``graph`` with each edge's ``price`` and ``status`` set from this result."""
        out = graph.copy()
        for j, name in enumerate(self.market.products):
            u, d = name.split("->")
            if out.has_edge(u, d, key=input):
                out.edges[u, d, input]["price"] = float(self.edge_prices[j])
                out.edges[u, d, input]["status"] = "active" if self.active[j] else "foreclosed"
        return out


def _solve(ev, w0, order, *, tol, max_sweeps, damping, scheme, grid_points, max_rounds):
    m = ev.market
    linear, two_part = m.linear_bargained, (np.array(m.contract) == "two_part") & ~m.integrated
    candidates = m.active.copy()
    active, w = candidates.copy(), w0.copy()
    seen, sweeps, residual, converged = {active.tobytes()}, 0, 0.0, True
    hints: dict[int, tuple[float, float]] = {}
    for rounds in range(1, max_rounds + 1):
        edges = [e for e in order if active[e] and linear[e]]
        info: dict[int, EdgeBargain] = {}
        converged = not edges
        for _ in range(max_sweeps if edges else 0):
            sweeps += 1
            base, steps = w.copy(), {}
            for e in edges:
                ref = base if scheme == "jacobi" else w
                info[e] = bargain_linear(ev, e, ref, active, grid_points, hints.get(e))
                if info[e].feasible:
                    new = ref[e] + damping * (info[e].price - ref[e])
                    steps[e] = abs(new - w[e])
                    w[e] = new
                    floor = 1e-5 / (m.price_sensitivity * m.input_units[e])
                    hints[e] = (new, max(3.0 * steps[e], floor))
            residual = max(steps.values(), default=0.0)
            if all(step <= tol * max(1.0, abs(w[e])) for e, step in steps.items()):
                converged = True
                break
        if not converged:
            return active, w, sweeps, rounds, residual, "sweeps exhausted"
        for e in np.flatnonzero(active & two_part):
            info[e] = bargain_two_part(ev, e, w, active)
        bad = [e for e in info if not info[e].feasible]
        if bad:
            worst = min(bad, key=lambda e: info[e].joint)
            active[worst] = False
            logger.info(
                "Nash-in-Nash: dropping edge %s (joint gain %.6g)",
                m.products[worst],
                info[worst].joint,
            )
        else:
            back = {}
            for e in np.flatnonzero(candidates & ~active):
                trial = active.copy()
                trial[e] = True
                res = bargain_linear(ev, e, w, trial, grid_points, None) if linear[e] else None
                res = res or bargain_two_part(ev, e, w, trial)
                if res.feasible:
                    back[e] = res
            if not back:
                return active, w, sweeps, rounds, residual, "converged"
            best = max(back, key=lambda e: back[e].joint)
            active[best] = True
            if linear[best]:
                w[best] = back[best].price
        if active.tobytes() in seen:
            logger.warning("Nash-in-Nash: the active set cycles; no stable set from this start")
            return active, w, sweeps, rounds, residual, "active set cycles"
        seen.add(active.tobytes())
    return active, w, sweeps, max_rounds, residual, "active-set rounds exhausted"


def nash_in_nash(
    market: VerticalMarket | nx.MultiDiGraph,
    *,
    demand: dict | None = None,
    price_sensitivity: float | None = None,
    input: str = "launch",
    market_size: float = 1.0,
    rho: object | None = None,
    disagreement: str = "drop",
    initial_prices: object | None = None,
    order: object | None = None,
    scheme: str = "gauss-seidel",
    damping: float = 1.0,
    tol: float = 1e-7,
    max_sweeps: int = 200,
    max_active_set_rounds: int | None = None,
    grid_points: int = 24,
    check_order: bool = True,
    rng: np.random.Generator | None = None,
    order_tolerance: float = 1e-5,
    on_nonconvergence: str = "raise",
) -> NashInNashResult:
    """Nash-in-Nash prices of every supply edge (Horn & Wolinsky 1988; module docstring).

    Parameters
    ----------
    market : VerticalMarket or networkx.MultiDiGraph
        A market, or a dependency graph plus ``demand`` and ``price_sensitivity`` (see
        :func:`~spacemarket.market.economics.vertical_market.vertical_market_from_graph`).
    demand, price_sensitivity, input, market_size, rho
        Only with a graph (passed to ``vertical_market_from_graph``).
    disagreement : {"drop", "fallback"}, default "drop"
        What a failed edge means for its product (see :mod:`.vertical_spot`).
    initial_prices : array_like, shape (J,), optional
        Starting per-kg prices, USD/kg (default ``c_u + 1 / (alpha input_units)``).
    order : sequence of int, optional
        Gauss-Seidel order of edges (default: index order).
    scheme : {"gauss-seidel", "jacobi"}, default "gauss-seidel"
    damping : float in (0, 1], default 1.0
        ``w <- w + damping (best response - w)``.
    tol : float, default 1e-7
        Converged when every price moves by at most ``tol * max(1, |w|)`` in a sweep.
    max_sweeps : int, default 200
        Per active set.
    max_active_set_rounds : int, optional
        Default ``2 J + 2``.
    grid_points : int, default 24
    check_order : bool, default True
        Re-solve with the reversed and (if ``rng`` is given) a shuffled order.
    rng : numpy.random.Generator, optional
        Source of the shuffled order.
    order_tolerance : float, default 1e-5
        Relative price difference above which results count as order dependent.
    on_nonconvergence : {"raise", "return"}, default "raise"
        Raise :class:`~spacemarket.errors.EquilibriumNotConverged`, or
        return a result with ``converged=False``.

    Returns
    -------
    NashInNashResult

    Raises
    ------
    EquilibriumNotConverged
        With ``on_nonconvergence="raise"``, when sweeps or active-set rounds run out or the
        active set cycles (the message says which); also from the spot price solver.
    ValueError
        On invalid arguments, or a two-part edge whose parties' cross-holdings leave no
        transferable surplus.

    Examples
    --------
    One edge, upstream weight 1: the upstream monopoly price, where (single-product logit)
    ``(w - c) input_units alpha (1 - s)^2 = 1``:

    >>> from spacemarket.market.economics.vertical_market import make_vertical_market
    >>> m = make_vertical_market(
    ...     {"U": 1.0}, [{"upstream": "U", "downstream": "D", "input_units": 1.0,
    ...                   "mean_utility": 4.0, "downstream_cost": 0.0, "bargaining_weight": 1.0}],
    ...     price_sensitivity=1.0)
    >>> r = nash_in_nash(m)
    >>> s = r.outcome.quantities[0]
    >>> round(float((r.edge_prices[0] - 1.0) * (1 - s) ** 2), 6), r.converged
    (1.0, True)
    """
    if isinstance(market, nx.MultiDiGraph):
        if demand is None or price_sensitivity is None:
            raise ValueError("with a graph, pass demand= and price_sensitivity=")
        market = vertical_market_from_graph(
            market,
            demand,
            price_sensitivity=price_sensitivity,
            input=input,
            market_size=market_size,
            rho=rho,
        )
    if scheme not in ("gauss-seidel", "jacobi"):
        raise ValueError(f"scheme must be 'gauss-seidel' or 'jacobi', got {scheme!r}")
    if not 0.0 < damping <= 1.0:
        raise ValueError(f"damping must lie in (0, 1], got {damping}")
    if on_nonconvergence not in ("raise", "return"):
        raise ValueError(
            f"on_nonconvergence must be 'raise' or 'return', got {on_nonconvergence!r}"
        )
    if grid_points < 3:
        raise ValueError(f"grid_points must be >= 3, got {grid_points}")
    n = market.upstream.size
    linear = market.linear_bargained
    unit = 1.0 / (market.price_sensitivity * market.input_units)
    if initial_prices is None:
        w0 = market.edge_cost + unit
    else:
        w0 = np.asarray(initial_prices, dtype=float)
        if w0.shape != (n,) or not np.all(np.isfinite(w0[linear])):
            raise ValueError(f"initial_prices must be finite with shape ({n},)")
    w0 = np.where(linear, w0, market.edge_cost)
    order = list(range(n)) if order is None else [int(e) for e in order]
    if sorted(order) != list(range(n)):
        raise ValueError(f"order must be a permutation of range({n}), got {order}")
    ev = SpotEvaluator(market, disagreement)
    kw = dict(
        tol=tol, max_sweeps=max_sweeps, damping=damping, scheme=scheme, grid_points=grid_points,
        max_rounds=max_active_set_rounds or 2 * n + 2,
    )  # fmt: skip
    active, w, sweeps, rounds, residual, status = _solve(ev, w0, order, **kw)
    ok = status == "converged"
    if not ok and on_nonconvergence == "raise":
        raise EquilibriumNotConverged(
            f"Nash-in-Nash did not converge: {status}",
            residual=residual,
            iterations=sweeps,
            last_iterate=w,
        )
    order_dependent, difference = None, np.nan
    if check_order:
        orders = [order[::-1]] + ([list(rng.permutation(order))] if rng is not None else [])
        difference, order_dependent = 0.0, False
        for alt in orders:
            a2, w2, *_, status2 = _solve(ev, w0, alt, **kw)
            both = active & a2 & linear
            gap = float(np.max(np.abs(w2 - w)[both], initial=0.0))
            difference = max(difference, gap)
            scale = np.maximum(1.0, np.abs(w[both]))
            order_dependent |= bool(
                status2 != "converged"
                or np.any(a2 != active)
                or np.any(np.abs(w2 - w)[both] > order_tolerance * scale)
            )
    transfers = np.zeros(n)
    gains_up, gains_down = np.full(n, np.nan), np.full(n, np.nan)
    for e in np.flatnonzero(active & ~market.integrated):
        if linear[e]:
            gains_up[e], gains_down[e] = gross_gains(ev, e, w, active)
        else:
            res = bargain_two_part(ev, e, w, active)
            transfers[e], gains_up[e], gains_down[e] = res.price, res.gain_up, res.gain_down
    outcome = vertical_outcome(market, w, active, transfers=transfers, disagreement=disagreement)
    prices = np.where(active, w, np.nan)
    dropped = tuple(market.products[e] for e in np.flatnonzero(market.active & ~active))
    logger.info(
        "Nash-in-Nash: %d sweeps, %d active-set rounds, %d spot solves, residual %.3g USD/kg",
        sweeps, rounds, ev.calls, residual,
    )  # fmt: skip
    return NashInNashResult(
        market=market,
        edge_prices=prices,
        transfers=transfers,
        active=active,
        dropped=dropped,
        gains_upstream=gains_up,
        gains_downstream=gains_down,
        outcome=outcome,
        iterations=sweeps,
        active_set_rounds=rounds,
        residual=float(residual),
        converged=ok,
        status=status,
        order_dependent=order_dependent,
        order_difference=float(difference),
    )
