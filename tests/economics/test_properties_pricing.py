"""Property-based tests of the Bertrand-Nash price solver (hypothesis)."""

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.errors import EquilibriumNotConverged
from spacemarket.market.economics.bertrand import delivered_marginal_cost, solve_prices

SETTINGS = settings(max_examples=50, deadline=None)
PRICE_ATOL = 1e-9


@dataclass
class Market:
    delta: np.ndarray
    alpha: float
    costs: np.ndarray
    firms: np.ndarray
    nests: np.ndarray | None
    rho: float | None

    @property
    def size(self) -> int:
        return self.delta.size

    def ownership(self, firms=None) -> np.ndarray:
        f = self.firms if firms is None else firms
        return (f[:, None] == f[None, :]).astype(float)

    def solve(self, **kwargs):
        nest = {} if self.nests is None else {"nest_ids": self.nests, "rho": self.rho}
        kwargs.setdefault("kappa", self.ownership())
        costs = kwargs.pop("costs", self.costs)
        return solve_prices(self.delta, self.alpha, costs, **nest, **kwargs)


def _vector(size, low, high):
    return st.lists(
        st.floats(low, high, allow_nan=False, allow_infinity=False), min_size=size, max_size=size
    ).map(np.array)


@st.composite
def markets(draw, nested=None, max_products=6):
    size = draw(st.integers(2, max_products))
    use_nests = draw(st.booleans()) if nested is None else nested
    return Market(
        delta=draw(_vector(size, -2.0, 3.0)),
        alpha=draw(st.floats(0.3, 3.0)),
        costs=draw(_vector(size, 0.0, 3.0)),
        firms=np.array(draw(st.lists(st.integers(0, size - 1), min_size=size, max_size=size))),
        nests=np.array(draw(st.lists(st.integers(0, 1), min_size=size, max_size=size)))
        if use_nests
        else None,
        rho=draw(st.floats(0.2, 1.0)) if use_nests else None,
    )


@SETTINGS
@given(markets(), st.data())
def test_prices_exceed_cost_and_shares_are_valid(market, data):
    partial = data.draw(_vector(market.size**2, 0.0, 1.0)).reshape(market.size, market.size)
    kappa = np.maximum(market.ownership(), partial * (partial > 0.5))  # some partial stakes
    eq = market.solve(kappa=kappa)
    assert np.all(eq.prices > market.costs)
    assert np.all(eq.shares > 0) and eq.shares.sum() < 1
    assert np.all(np.isfinite(eq.prices)) and eq.residual < 1e-9
    assert eq.consumer_surplus > 0


@SETTINGS
@given(markets(nested=False), st.data())
def test_merger_weakly_raises_every_price(market, data):
    firm_labels = np.unique(market.firms)
    if firm_labels.size < 2:
        return
    a, b = data.draw(
        st.lists(st.sampled_from(list(firm_labels)), min_size=2, max_size=2, unique=True)
    )
    merged = np.where(market.firms == b, a, market.firms)
    pre = market.solve()
    post = market.solve(kappa=market.ownership(merged))
    assert np.all(post.prices >= pre.prices - PRICE_ATOL)
    involved = np.isin(market.firms, [a, b])
    assert np.all(post.prices[involved] > pre.prices[involved])


@SETTINGS
@given(markets(), st.data())
def test_integration_lowers_the_integrated_products_price(market, data):
    """Linear contracts: the integrated product's input is costed at upstream mc < wholesale."""
    k = data.draw(st.integers(0, market.size - 1))
    input_units = data.draw(st.floats(0.1, 2.0))
    upstream_cost, wholesale = 0.5, data.draw(st.floats(0.6, 3.0))
    separate = delivered_marginal_cost(market.costs, wholesale, input_units)
    prices_in = np.full(market.size, wholesale)
    prices_in[k] = upstream_cost
    integrated = delivered_marginal_cost(market.costs, prices_in, input_units)
    pre, post = market.solve(costs=separate), market.solve(costs=integrated)
    assert post.prices[k] < pre.prices[k]


@SETTINGS
@given(markets(), st.data())
def test_prices_increase_in_own_marginal_cost(market, data):
    k = data.draw(st.integers(0, market.size - 1))
    bump = np.zeros(market.size)
    bump[k] = data.draw(st.floats(0.01, 2.0))
    low = market.solve()
    high = market.solve(costs=market.costs + bump)
    assert high.prices[k] > low.prices[k]


@SETTINGS
@given(markets())
def test_non_convergence_is_reported(market):
    with pytest.raises(EquilibriumNotConverged) as info:
        market.solve(max_iterations=1)
    err = info.value
    assert err.iterations == 1
    assert np.isfinite(err.residual) and err.residual > 0
    assert err.last_prices.shape == (market.size,)


@SETTINGS
@given(markets(), st.data())
def test_capacity_complementarity(market, data):
    free = market.solve(market_size=100.0)
    fractions = data.draw(_vector(market.size, 0.3, 1.6))
    slack = data.draw(st.lists(st.booleans(), min_size=market.size, max_size=market.size))
    caps = np.where(slack, np.inf, fractions * free.quantities)
    eq = market.solve(market_size=100.0, capacities=caps)
    assert np.all(eq.quantities <= caps * (1 + 1e-9))
    assert np.all(eq.shadow_prices >= 0)
    finite = np.isfinite(caps)
    gap = np.where(finite, (caps - eq.quantities) / np.where(finite, caps, 1.0), 0.0)
    assert np.all(eq.shadow_prices * gap <= 1e-8 * (1 + eq.shadow_prices))
    # same prices as the unconstrained solve at costs c + lambda (lambda is a marginal cost)
    shifted = market.solve(market_size=100.0, costs=market.costs + eq.shadow_prices)
    np.testing.assert_allclose(shifted.prices, eq.prices, atol=1e-8)


@SETTINGS
@given(markets(), st.data())
def test_capacity_raises_all_prices_with_single_product_firms(market, data):
    """Single-product firms: a binding capacity raises its own price and, prices being
    strategic complements, weakly raises every rival's price. (Not true for multi-product
    firms, which shift demand to their unconstrained products by cutting those prices.)"""
    single = np.eye(market.size)
    free = market.solve(market_size=10.0, kappa=single)
    fractions = data.draw(_vector(market.size, 0.3, 1.6))
    eq = market.solve(market_size=10.0, kappa=single, capacities=fractions * free.quantities)
    assert np.all(eq.prices >= free.prices - PRICE_ATOL)
    binding = eq.shadow_prices > 0
    assert np.all(eq.prices[binding] > free.prices[binding])
    np.testing.assert_allclose(
        eq.quantities[binding], (fractions * free.quantities)[binding], rtol=1e-9
    )
