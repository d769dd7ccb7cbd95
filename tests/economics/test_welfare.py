"""Welfare accounting: CS + profits, merger and EDM comparisons."""

import numpy as np
import pytest

from spacemarket.market.economics.bertrand import delivered_marginal_cost, solve_prices
from spacemarket.market.economics.welfare import total_welfare, welfare_summary

MERGED_01 = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=float)


def test_total_welfare_adds_cs_and_profits():
    assert total_welfare(800.0, [1600.0]) == 2400.0
    assert total_welfare(1.5, 2.5) == 4.0
    with pytest.raises(ValueError, match="finite"):
        total_welfare(np.nan, [1.0])


def test_reference_check_10_welfare_components():
    pre = welfare_summary(solve_prices([1.0] * 3, 1.0, np.ones(3), market_size=1000.0))
    post = welfare_summary(
        solve_prices([1.0] * 3, 1.0, np.ones(3), kappa=MERGED_01, market_size=1000.0)
    )
    assert pre.consumer_surplus == pytest.approx(648.86, abs=5e-3)
    assert post.consumer_surplus == pytest.approx(588.75, abs=5e-3)
    assert post.downstream_profit > pre.downstream_profit  # merger is profitable
    assert post.total_welfare < pre.total_welfare  # but destroys surplus
    for w in (pre, post):
        assert w.total_welfare == pytest.approx(w.consumer_surplus + w.producer_surplus)
        assert w.upstream_profit == 0.0


def test_symmetric_monopoly_lowers_total_welfare():
    """Symmetric logit: dW/dm = m N ds/dm < 0, so the monopoly's higher markup lowers W."""
    delta, costs = np.full(4, 1.5), np.full(4, 0.7)
    comp = welfare_summary(solve_prices(delta, 2.0, costs))
    mono = welfare_summary(solve_prices(delta, 2.0, costs, kappa=np.ones((4, 4))))
    assert mono.total_welfare < comp.total_welfare
    assert mono.consumer_surplus < comp.consumer_surplus
    assert mono.producer_surplus > comp.producer_surplus


def test_edm_in_logit_raises_welfare_and_upstream_transfers_net_out():
    """Integrated lab uses upstream cost 2/kg not wholesale 3/kg: total welfare rises.

    Upstream profit on the input is (w - c_u) * kg * q; wholesale payments are transfers, so
    welfare at given prices does not depend on w."""
    kg, w, c_up = 0.5, 3.0, 2.0
    own = np.array([1.0, 1.0])
    sep = solve_prices([2.0, 2.0], 1.0, delivered_marginal_cost(own, [w, w], kg), market_size=100.0)
    sep_up = (w - c_up) * kg * sep.quantities
    intg = solve_prices(
        [2.0, 2.0], 1.0, delivered_marginal_cost(own, [c_up, w], kg), market_size=100.0
    )
    intg_up = (w - c_up) * kg * intg.quantities[1]
    w_sep, w_int = welfare_summary(sep, sep_up), welfare_summary(intg, intg_up)
    assert w_int.total_welfare > w_sep.total_welfare
    assert w_sep.upstream_profit == pytest.approx(float(sep_up.sum()))
    # transfers net out: same welfare as accounting every product at resource cost
    resource_cost = delivered_marginal_cost(own, [c_up, c_up], kg)
    at_cost = sep.consumer_surplus + float(np.sum((sep.prices - resource_cost) * sep.quantities))
    assert w_sep.total_welfare == pytest.approx(at_cost, rel=1e-12)


def test_welfare_summary_validation():
    eq = solve_prices([1.0], 1.0, [1.0])
    with pytest.raises(ValueError, match="upstream_profit"):
        welfare_summary(eq, np.inf)
