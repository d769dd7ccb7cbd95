"""One launch edge's terms given the others, for the contracts solve (:mod:`.launch_contracts`).

Each function works on the ``(I, J)`` arrays of a quarter's buyers and sellers: a buyer's
fallback if one deal failed (:func:`fallback_savings`), the threat of replacement that caps a
price (:func:`rival_floor`), the Nash prices of a set of edges (:func:`edge_prices`), each
buyer's split between its sellers (:func:`assign`) and the kg it buys on each edge
(:func:`edge_kg`). :class:`OneSeller` gathers, once per solve, what does not move while one
seller's shadow price does (the fallbacks and rival floors of its edges read only the other
sellers), so the common one-binding-seller clearing re-prices just that seller's edges.
"""

from __future__ import annotations

import numpy as np

from spacemarket.market.economics.launch_bargain import nash_price, saving

__all__ = [
    "ASSIGNMENT_SCALE",
    "OneSeller",
    "assign",
    "edge_kg",
    "edge_prices",
    "fallback_savings",
    "rival_floor",
]

#: Scale of the buyers' logit split between launchers, as a fraction of the lowest price.
ASSIGNMENT_SCALE = 0.03


def fallback_savings(b, nash_ground, o_eff, live, integrated, cap, ii, jj) -> np.ndarray:
    """Each edge's ``(ii[e], jj[e])`` buyer saving (USD per kW-year of a builder considering
    orbit) if its deal with ``jj[e]`` failed: its demand re-allocated over its other live
    launchers ``k`` in order of price, each at the price it would then agree alone (its Nash
    price against ground; at its opportunity cost inside the buyer's group) and for the share
    of the buyer's demand its capacity can carry (the served fraction of
    :meth:`LaunchBuyers.kg`), the rest on ground: ``sum_k f_k saving(p_k)`` with the fractions
    ``f_k`` filled cheapest first up to 1. 0 (ground) when it has no other launcher."""
    n_i, n_j = live.shape
    if n_j == 1 or ii.size == 0:
        return np.zeros(ii.size)
    alone = np.where(integrated, o_eff[None, :], nash_ground)
    rows = np.repeat(np.arange(n_i), n_j)
    price = np.where(live, alone, np.inf)
    want = b.kg(rows, np.where(np.isfinite(price), price, 0.0).ravel()).reshape(n_i, n_j)
    served = np.minimum(1.0, np.divide(cap[None, :], want, out=np.ones((n_i, n_j)),
                                       where=want > 0))  # fmt: skip
    served = np.where(live, served, 0.0)
    value = np.where(live, saving(b, rows, price.ravel()).reshape(n_i, n_j), 0.0)
    p = price[ii]
    p[np.arange(ii.size), jj] = np.inf  # without the edge that failed
    order = np.argsort(p, axis=1, kind="stable")
    e = np.arange(ii.size)[:, None]
    f = np.where(np.isfinite(p[e, order]), served[ii][e, order], 0.0)
    filled = np.minimum(np.cumsum(f, axis=1), 1.0)
    taken = np.diff(filled, axis=1, prepend=0.0)
    return (taken * value[ii][e, order]).sum(axis=1)


def rival_floor(o_eff: np.ndarray, live: np.ndarray, carries: np.ndarray) -> np.ndarray:
    """(I, J): for each edge, the lowest opportunity cost among the buyer's other live sellers
    that could take its whole business (``carries``: the seller's capacity covers the buyer's
    demand at its base opportunity cost), inf when there is none. Eligibility is fixed for the
    solve (it does not move with the shadow prices), so the capacity clearing stays
    continuous."""
    n_i, n_j = live.shape
    opp = np.where(live & carries, o_eff[None, :], np.inf)
    if n_j == 1:
        return np.full((n_i, 1), np.inf)
    two = np.partition(opp, 1, axis=1)[:, :2]  # the lowest and the second lowest
    first = np.argmin(opp, axis=1)
    lowest_other = np.where(np.arange(n_j)[None, :] == first[:, None], two[:, 1:2], two[:, :1])
    return lowest_other


def edge_prices(b, nash_ground, o_eff, live, integrated, weight, cap, kd, ku, carries,
                 need, memo=None) -> np.ndarray:  # fmt: skip
    """(I, J) prices of the live edges in ``need`` (NaN elsewhere): each edge's Nash price
    given the buyer's fallback (:func:`fallback_savings`; at its opportunity cost inside a
    group), capped by the threat of replacement: never above the lowest opportunity cost
    among the buyer's other sellers that could take its whole business (the price at which a
    rival takes it, Ho and Lee 2019), never below the seller's own. A rival too small to carry
    the buyer's demand replaces only part of it: that part is in the disagreement point, not
    in this cap. ``nash_ground`` (I, J) holds the Nash prices against ground that the
    fallbacks use; only the columns other than an edge's own are read. ``memo`` (I, J), if
    given, holds each edge's last Nash price (a warm start) and is updated in place."""
    out = np.full(live.shape, np.nan)
    ii, jj = np.nonzero(need & live)
    if ii.size == 0:
        return out
    alt = fallback_savings(b, nash_ground, o_eff, live, integrated, cap, ii, jj)
    price = o_eff[jj].copy()  # inside a group: at the opportunity cost
    free = ~integrated[ii, jj]
    if free.any():
        fi, fj = ii[free], jj[free]
        price[free] = nash_price(b, fi, o_eff[fj], weight[fi, fj], alt[free], kd[fi, fj],
                                 ku[fi, fj], None if memo is None else memo[fi, fj])  # fmt: skip
        if memo is not None:
            memo[fi, fj] = price[free]
    rival = rival_floor(o_eff, live, carries)[ii, jj]
    out[ii, jj] = np.minimum(price, np.maximum(rival, o_eff[jj]))
    return out


def assign(prices: np.ndarray, live: np.ndarray) -> np.ndarray:
    """Each buyer's split between its live sellers by their opportunity costs (``prices``): a
    logit with scale ``ASSIGNMENT_SCALE`` of the lowest, so near-ties split and the clearing is
    continuous (one seller when they differ by more than a few percent). Under replacement the
    seller with the lowest opportunity cost also quotes the lowest price."""
    p = np.where(live, prices, np.inf)
    best = p.min(axis=1, keepdims=True)
    ok = np.isfinite(best)
    scale = ASSIGNMENT_SCALE * np.where(ok, np.maximum(np.abs(best), 1e-9), 1.0)
    z = np.where(live & ok, np.exp(-(np.where(live, p, 0.0) - np.where(ok, best, 0.0)) / scale),
                 0.0)  # fmt: skip
    total = z.sum(axis=1, keepdims=True)
    share = np.divide(z, total, out=np.zeros_like(z), where=total > 0)
    share[share < 1e-9] = 0.0  # no dust of kg on a launcher a buyer does not use
    total = share.sum(axis=1, keepdims=True)
    return np.divide(share, total, out=np.zeros_like(share), where=total > 0)


def edge_kg(b, prices, share, integrated, o_eff) -> np.ndarray:
    """Kg each buyer buys on each edge: its share of the demand at the price it acts on (the
    opportunity cost inside a group)."""
    n_i, n_j = prices.shape
    acted = np.where(integrated, o_eff[None, :], np.nan_to_num(prices, nan=0.0))
    ii = np.repeat(np.arange(n_i), n_j)
    return share * b.kg(ii, acted.ravel()).reshape(n_i, n_j)


class OneSeller:
    """Kg assigned to seller ``j`` as its shadow price alone moves (every other seller's
    opportunity cost and Nash price against ground fixed): the fallbacks and rival floors of
    its edges are computed once; each call prices only its edges that carry demand, exactly as
    :func:`edge_prices` and :func:`edge_kg` would."""

    def __init__(self, b, j, nash_ground, o_eff, live, integrated, weight, cap, kd, ku,
                 carries, memo) -> None:  # fmt: skip
        self.b, self.j, self.o_eff, self.live, self.memo = b, j, o_eff.copy(), live, memo
        rows = np.nonzero(live[:, j])[0]
        self.rows, self.inside = rows, integrated[rows, j]
        cols = np.full(rows.size, j)
        self.alt = fallback_savings(b, nash_ground, o_eff, live, integrated, cap, rows, cols)
        self.rival = rival_floor(o_eff, live, carries)[rows, j]
        self.weight, self.kd, self.ku = weight[rows, j], kd[rows, j], ku[rows, j]

    def kg(self, o_j: float) -> float:
        """Kg seller ``j`` sells at opportunity cost ``o_j`` (its base plus shadow price)."""
        o = self.o_eff
        o[self.j] = o_j
        share = assign(np.broadcast_to(o, self.live.shape), self.live)[self.rows, self.j]
        on = share > 0
        rows, inside = self.rows[on], self.inside[on]
        acted = np.full(rows.size, o_j)  # inside a group: at the opportunity cost
        free = ~inside
        if free.any():
            fi = rows[free]
            price = nash_price(self.b, fi, np.full(fi.size, o_j), self.weight[on][free],
                               self.alt[on][free], self.kd[on][free], self.ku[on][free],
                               self.memo[fi, self.j])  # fmt: skip
            self.memo[fi, self.j] = price
            acted[free] = np.minimum(price, np.maximum(self.rival[on][free], o_j))
        return float((share[on] * self.b.kg(rows, acted)).sum())
