"""Spot-market outcome of a vertical market given its contracts.

For a :class:`~.vertical_market.VerticalMarket` and the contracts in force, the per-unit
input price paid on edge ``j`` (``w_eff``) is the negotiated ``w_j`` on a linear contract
between firms with different decision makers, and the upstream marginal cost ``c_u`` on a
two-part contract or an integrated edge (see :mod:`.vertical_market`).

Downstream marginal cost is ``c_j = downstream_cost_j + input_units_j * w_eff_j``. The decision
maker ``D`` of each firm maximises ``V_D = sum_g kappa[D, g] Pi_g`` (O'Brien & Salop 2000), so
in the price game product ``k`` enters ``D``'s pricing of ``j`` with weight
``kappa[D, d_k]`` on its downstream margin plus ``kappa[D, u_k] (w_eff_k - c_u) input_units_k``
per unit sold: the upstream margin an integrated supplier earns on a rival's product (the
raising-rivals'-costs channel, Salop & Scheffman 1983; Moresi & Salop 2013). Prices are solved
by :func:`spacemarket.market.economics.bertrand.solve_prices`.

Disagreement conventions for an inactive edge (``disagreement=``):

* ``"drop"`` (default): the product is not offered (removed from the choice set);
* ``"fallback"``: the buyer switches to its next supplier: the product stays on offer with
  input bought at ``fallback_price_j`` (USD/kg) from ``fallback_supplier_j`` (a firm that
  earns ``(fallback_price - c) input_units`` per unit, or the competitive fringe, -1, which
  earns nothing). Products with an infinite fallback price are dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from spacemarket.market.economics.bertrand import PriceEquilibrium, solve_prices
from spacemarket.market.economics.vertical_market import VerticalMarket

__all__ = ["VerticalOutcome", "effective_input_prices", "vertical_outcome"]

_DISAGREEMENT = ("drop", "fallback")


def _rho_for(rho: object, nests: list) -> object:
    """Nesting parameter(s) for the nests present (sorted as ``numpy.unique`` sorts them)."""
    return [rho[g] for g in np.unique(nests)] if isinstance(rho, Mapping) else rho


def effective_input_prices(market: VerticalMarket, edge_prices: object) -> np.ndarray:
    """Per-kg price actually paid on each edge: ``w`` if linear and not integrated, else ``c_u``.

    Parameters
    ----------
    market : VerticalMarket
    edge_prices : array_like, shape (J,)
        Negotiated prices, USD per kg (entries of non-bargained edges are ignored).

    Returns
    -------
    numpy.ndarray, shape (J,)
        USD per kg.
    """
    w = np.asarray(edge_prices, dtype=float)
    if w.shape != market.upstream.shape:
        raise ValueError(f"edge_prices must have shape {market.upstream.shape}, got {w.shape}")
    bargained = market.linear_bargained
    if not np.all(np.isfinite(w[bargained])):
        raise ValueError("edge_prices must be finite on linear, non-integrated edges")
    return np.where(bargained, w, market.edge_cost)


@dataclass(frozen=True)
class VerticalOutcome:
    """Spot-market outcome of :func:`vertical_outcome` (``J`` products, ``F`` firms).

    Attributes
    ----------
    offered : numpy.ndarray of bool, (J,)
        Products in the choice set.
    supplier : numpy.ndarray of int, (J,)
        Firm index actually supplying the input (-1: fringe or not offered).
    input_price : numpy.ndarray, (J,)
        USD per kg paid (NaN if not offered).
    marginal_cost, prices : numpy.ndarray, (J,)
        Downstream marginal cost and price, USD per unit of output (NaN if not offered).
    quantities : numpy.ndarray, (J,)
        Units sold (0 if not offered).
    firm_profit : numpy.ndarray, (F,)
        Variable profit plus lump-sum transfers, USD.
    controller_value : numpy.ndarray, (C,)
        ``V_c = sum_g kappa[c, g] firm_profit[g]``, USD.
    consumer_surplus : float
        Logit inclusive value times market size, USD (0 if nothing is offered).
    equilibrium : PriceEquilibrium or None
        The spot equilibrium over the offered products.
    """

    offered: np.ndarray
    supplier: np.ndarray
    input_price: np.ndarray
    marginal_cost: np.ndarray
    prices: np.ndarray
    quantities: np.ndarray
    firm_profit: np.ndarray
    controller_value: np.ndarray
    consumer_surplus: float
    equilibrium: PriceEquilibrium | None


def vertical_outcome(
    market: VerticalMarket,
    edge_prices: object,
    active: object | None = None,
    *,
    transfers: object | None = None,
    disagreement: str = "drop",
    initial_markups: object | None = None,
) -> VerticalOutcome:
    """Spot Bertrand-Nash outcome and every firm's and controller's profit.

    Parameters
    ----------
    market : VerticalMarket
    edge_prices : array_like, shape (J,)
        Negotiated per-kg prices (used on linear, non-integrated edges).
    active : array_like of bool, shape (J,), optional
        Edges in force (default ``market.active``).
    transfers : array_like, shape (J,), optional
        Lump-sum USD paid by the seller to the supplier on active two-part edges.
    disagreement : {"drop", "fallback"}, default "drop"
        Fate of products whose edge is inactive (module docstring).
    initial_markups : array_like, shape (J,), optional
        Warm start for the price solver: prices start at marginal cost plus these markups,
        USD per unit (NaN entries and products not offered use ``1 / alpha``).

    Returns
    -------
    VerticalOutcome

    Raises
    ------
    EquilibriumNotConverged
        If the spot price solver fails.

    Examples
    --------
    Successive monopoly with logit demand: the downstream margin is ``1/(alpha (1 - s))``.

    >>> from spacemarket.market.economics.vertical_market import make_vertical_market
    >>> m = make_vertical_market(
    ...     {"U": 1.0}, [{"upstream": "U", "downstream": "D", "input_units": 1.0,
    ...                   "mean_utility": 4.0, "downstream_cost": 0.0}], price_sensitivity=1.0)
    >>> out = vertical_outcome(m, [2.0])
    >>> s = out.quantities[0]    # here p = 4 and s = 1/2 exactly
    >>> bool(abs(out.prices[0] - 2.0 - 1.0 / (1.0 - s)) < 1e-9)
    True
    >>> out.firm_profit.round(9).tolist()   # U: (2 - 1) * 1/2;  D: (4 - 2) * 1/2
    [0.5, 1.0]
    """
    if disagreement not in _DISAGREEMENT:
        raise ValueError(f"disagreement must be one of {_DISAGREEMENT}, got {disagreement!r}")
    n = market.upstream.size
    on = market.active.copy() if active is None else np.asarray(active, dtype=bool)
    if on.shape != (n,):
        raise ValueError(f"active must have shape ({n},), got {on.shape}")
    price_in = effective_input_prices(market, edge_prices)
    supplier = np.where(on, market.upstream, -1)
    offered = on.copy()
    if disagreement == "fallback":
        switch = ~on & np.isfinite(market.fallback_price)
        price_in = np.where(switch, market.fallback_price, price_in)
        supplier = np.where(switch, market.fallback_supplier, supplier)
        offered |= switch
    price_in = np.where(offered, price_in, np.nan)
    mc = market.downstream_cost + market.input_units * price_in
    cost_of_supplier = np.where(supplier >= 0, market.upstream_cost[supplier], np.nan)
    up_margin = np.where(supplier >= 0, (price_in - cost_of_supplier) * market.input_units, 0.0)
    idx = np.flatnonzero(offered)
    prices, quantities = np.full(n, np.nan), np.zeros(n)
    profit = np.zeros(len(market.firms))
    eq, surplus = None, 0.0
    if idx.size:
        dm = market.decision_maker[market.downstream[idx]]
        kap = market.kappa[dm][:, market.downstream[idx]]
        ups = np.zeros((idx.size, idx.size))
        has = supplier[idx] >= 0
        ups[:, has] = market.kappa[dm][:, supplier[idx][has]] * up_margin[idx][has]
        start = None
        if initial_markups is not None:
            guess = np.asarray(initial_markups, dtype=float)[idx]
            start = mc[idx] + np.where(np.isfinite(guess), guess, 1.0 / market.price_sensitivity)
        nest = None if market.nest_ids is None else [market.nest_ids[i] for i in idx]
        eq = solve_prices(
            market.mean_utility[idx],
            market.price_sensitivity,
            mc[idx],
            kappa=kap,
            upstream_margins=ups,
            nest_ids=nest,
            rho=None if nest is None else _rho_for(market.rho, nest),
            market_size=market.market_size,
            initial_prices=start,
        )
        prices[idx], quantities[idx], surplus = eq.prices, eq.quantities, eq.consumer_surplus
        np.add.at(profit, market.downstream[idx], eq.profits)
        np.add.at(profit, supplier[idx][has], (up_margin[idx] * quantities[idx])[has])
    if transfers is not None:
        t = np.asarray(transfers, dtype=float)
        paid = on & (np.array(market.contract) == "two_part") & ~market.integrated
        np.add.at(profit, market.upstream[paid], t[paid])
        np.subtract.at(profit, market.downstream[paid], t[paid])
    return VerticalOutcome(
        offered=offered,
        supplier=supplier,
        input_price=price_in,
        marginal_cost=np.where(offered, mc, np.nan),
        prices=prices,
        quantities=quantities,
        firm_profit=profit,
        controller_value=market.kappa @ profit,
        consumer_surplus=float(surplus),
        equilibrium=eq,
    )
