"""Welfare accounting: consumer surplus plus profits.

Total welfare is consumer surplus plus producer surplus (all firms' variable profits, upstream
included). Wholesale payments between firms are transfers: downstream profits computed with
input *prices* in their marginal cost plus upstream margins on those inputs add up to profits
computed at true resource cost, so the total does not depend on contract prices except through
the allocation (the double-marginalisation distortion).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spacemarket.market.economics.bertrand import PriceEquilibrium

__all__ = ["WelfareSummary", "total_welfare", "welfare_summary"]


def total_welfare(consumer_surplus: float, profits: object) -> float:
    """Total welfare ``CS + sum(profits)``.

    Parameters
    ----------
    consumer_surplus : float
        USD.
    profits : float or array_like
        Profits of every firm (or product) counted once, USD.

    Returns
    -------
    float
        USD.

    Examples
    --------
    Successive monopoly (Spengler 1950) with ``P = 100 - Q`` and upstream cost 20: consumer
    surplus 200, upstream profit 800, downstream profit 400:

    >>> total_welfare(200.0, [800.0, 400.0])
    1400.0
    """
    cs = float(consumer_surplus)
    pi = np.asarray(profits, dtype=float)
    if not np.isfinite(cs) or not np.all(np.isfinite(pi)):
        raise ValueError("consumer_surplus and profits must be finite")
    return cs + float(pi.sum())


@dataclass(frozen=True)
class WelfareSummary:
    """Welfare components, all in USD.

    Attributes
    ----------
    consumer_surplus : float
    downstream_profit : float
        Sum of the equilibrium's per-product profits.
    upstream_profit : float
        Profits earned upstream on inputs (supplied by the caller).
    producer_surplus : float
        ``downstream_profit + upstream_profit``.
    total_welfare : float
        ``consumer_surplus + producer_surplus``.
    """

    consumer_surplus: float
    downstream_profit: float
    upstream_profit: float
    producer_surplus: float
    total_welfare: float


def welfare_summary(equilibrium: PriceEquilibrium, upstream_profit: object = 0.0) -> WelfareSummary:
    """Summarise the welfare of a solved price equilibrium.

    Parameters
    ----------
    equilibrium : PriceEquilibrium
        From :func:`~spacemarket.market.economics.bertrand.solve_prices`.
    upstream_profit : float or array_like, default 0
        Upstream profits on the inputs used by the equilibrium's products, USD (e.g.
        ``(w - c_upstream) * input_units * quantities`` per edge). Not included in
        ``equilibrium.profits``.

    Returns
    -------
    WelfareSummary

    Examples
    --------
    >>> from spacemarket.market.economics.bertrand import solve_prices
    >>> eq = solve_prices([1.0, 1.0, 1.0], 1.0, [1.0, 1.0, 1.0], market_size=100.0)
    >>> w = welfare_summary(eq)
    >>> round(w.consumer_surplus, 3), round(w.total_welfare - w.producer_surplus, 3)
    (64.886, 64.886)
    """
    upstream = float(np.sum(np.asarray(upstream_profit, dtype=float)))
    if not np.isfinite(upstream):
        raise ValueError("upstream_profit must be finite")
    downstream = float(np.sum(equilibrium.profits))
    producer = downstream + upstream
    return WelfareSummary(
        consumer_surplus=float(equilibrium.consumer_surplus),
        downstream_profit=downstream,
        upstream_profit=upstream,
        producer_surplus=producer,
        total_welfare=total_welfare(equilibrium.consumer_surplus, producer),
    )
