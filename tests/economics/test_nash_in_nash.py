"""Nash-in-Nash over supply edges: bargaining limits, lump sums, foreclosure, leverage, order."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.errors import EquilibriumNotConverged
from spacemarket.market.economics.dependency_graph import build_dependency_graph
from spacemarket.market.economics.nash_in_nash import nash_in_nash
from spacemarket.market.economics.vertical_market import make_vertical_market
from spacemarket.market.economics.vertical_spot import vertical_outcome


def _product(u, d, delta=3.0, units=1.0, cost=0.0, **kw):
    return {"upstream": u, "downstream": d, "input_units": units, "mean_utility": delta,
            "downstream_cost": cost} | kw  # fmt: skip


def _single(b, delta=4.0, units=1.0, alpha=1.0, c_u=1.0, **kw):
    return make_vertical_market({"U": c_u}, [_product("U", "D", delta, units, bargaining_weight=b,
                                                      **kw)], price_sensitivity=alpha)  # fmt: skip


def _two_buyers(integrated, contract="linear", b=0.5, delta=(3.0, 3.0)):
    products = [_product("U", "D1", delta[0], contract=contract, bargaining_weight=b),
                _product("U", "D2", delta[1], contract=contract, bargaining_weight=b)]  # fmt: skip
    return make_vertical_market({"U": 1.0}, products, price_sensitivity=1.0,
                                decision_makers={"D1": "U"} if integrated else None)  # fmt: skip


def _nash_log(m, w, e, b, active=None):
    """Independent recomputation of edge e's log Nash product at prices w."""
    active = np.ones(len(w), bool) if active is None else active
    without = active.copy()
    without[e] = False
    v1, v0 = (
        vertical_outcome(m, w, active).controller_value,
        vertical_outcome(m, w, without).controller_value,
    )
    cu, cd = m.pair(e)
    return b * np.log(v1[cu] - v0[cu]) + (1 - b) * np.log(v1[cd] - v0[cd])


# --- check #3 as a bargaining limit --------------------------------------------------------


def test_weight_one_reproduces_upstream_monopoly_price():
    """b = 1: w maximises U's profit given the downstream's best response (successive monopoly).

    For a logit downstream monopolist pass-through is 1 - s, so U's FOC is
    (w - c) theta alpha (1 - s)^2 = 1.
    """
    alpha, theta, c_u = 0.5, 2.0, 1.0
    m = _single(1.0, delta=5.0, units=theta, alpha=alpha, c_u=c_u)
    r = nash_in_nash(m)
    w = r.edge_prices[0]
    s = r.outcome.quantities[0]
    assert (w - c_u) * theta * alpha * (1 - s) ** 2 == pytest.approx(1.0, rel=1e-7)

    def upstream_profit(x):
        return vertical_outcome(m, [x]).firm_profit[0]

    for dx in (1e-3, -1e-3, 0.1, -0.1):
        assert upstream_profit(w) > upstream_profit(w + dx)


def test_weight_zero_gives_upstream_cost():
    r = nash_in_nash(_single(0.0, c_u=2.5))
    assert r.edge_prices[0] == pytest.approx(2.5, rel=1e-12)
    assert r.gains_upstream[0] == pytest.approx(0.0, abs=1e-12)


@settings(max_examples=12, deadline=None)
@given(b=st.floats(0.05, 0.95), delta=st.floats(0.0, 6.0), theta=st.floats(0.5, 3.0))
def test_property_price_between_cost_and_monopoly_and_increasing_in_weight(b, delta, theta):
    kw = {"delta": delta, "units": theta, "alpha": 1.0, "c_u": 1.0}
    w_b = nash_in_nash(_single(b, **kw), check_order=False).edge_prices[0]
    w_hi = nash_in_nash(_single(min(b + 0.05, 1.0), **kw), check_order=False).edge_prices[0]
    w_mon = nash_in_nash(_single(1.0, **kw), check_order=False).edge_prices[0]
    assert 1.0 < w_b < w_hi <= w_mon + 1e-9


def test_each_edge_price_maximises_its_nash_product_given_the_others():
    products = [_product("A", "D1", 3.0, bargaining_weight=0.4),
                _product("A", "D2", 2.5, bargaining_weight=0.6),
                _product("B", "D2", 2.0, units=2.0, bargaining_weight=0.5),
                _product("B", "D3", 3.5, bargaining_weight=0.7)]  # fmt: skip
    m = make_vertical_market({"A": 1.0, "B": 0.5}, products, price_sensitivity=1.0)
    r = nash_in_nash(m, rng=np.random.default_rng(7))
    assert r.converged and r.active.all() and r.order_dependent is False
    assert r.order_difference < 1e-6
    for e in range(4):
        b = m.bargaining_weight[e]
        best = _nash_log(m, r.edge_prices, e, b)
        for dx in (1e-3, -1e-3):
            w = r.edge_prices.copy()
            w[e] += dx
            assert _nash_log(m, w, e, b) < best
    jacobi = nash_in_nash(m, scheme="jacobi", damping=0.8, check_order=False)
    np.testing.assert_allclose(jacobi.edge_prices, r.edge_prices, rtol=1e-6)


# --- lump-sum contracts ---------------------------------------------------------------------


def test_two_part_closed_form_transfer():
    m = _two_buyers(False, "two_part", b=0.3, delta=(3.0, 2.0))
    r = nash_in_nash(m, check_order=False)
    np.testing.assert_allclose(r.edge_prices, [1.0, 1.0])  # w = c_u
    w = np.array([1.0, 1.0])
    for e in range(2):
        without = np.array([True, True])
        without[e] = False
        v1 = vertical_outcome(m, w).controller_value
        v0 = vertical_outcome(m, w, without).controller_value
        cu, cd = m.pair(e)
        g_u, g_d = v1[cu] - v0[cu], v1[cd] - v0[cd]
        assert r.transfers[e] == pytest.approx(0.3 * g_d - 0.7 * g_u, rel=1e-9)
        assert r.gains_upstream[e] == pytest.approx(0.3 * (g_u + g_d), rel=1e-9)
        assert r.gains_downstream[e] == pytest.approx(0.7 * (g_u + g_d), rel=1e-9)
    # transfers are paid in the reported profits
    assert r.outcome.firm_profit[0] == pytest.approx(r.transfers.sum(), rel=1e-9)


# --- foreclosure ---------------------------------------------------------------------------


def test_edge_with_non_positive_joint_gains_is_dropped():
    """Integrated U+D1 loses more downstream profit to D2 than a lump sum could recover."""
    m = _two_buyers(True, "two_part", delta=(6.0, 6.0))
    w = np.array([1.0, 1.0])
    v_with = vertical_outcome(m, w).controller_value
    v_without = vertical_outcome(m, w, [True, False]).controller_value
    joint = (v_with - v_without).sum()  # controllers: U (incl. D1) and D2
    assert joint < 0.0
    r = nash_in_nash(m, check_order=False)
    assert r.dropped == ("U->D2",) and r.active.tolist() == [True, False]
    assert np.isnan(r.edge_prices[1]) and r.outcome.quantities[1] == 0.0
    assert r.converged
    graph_status = _as_graph_result(r)
    assert graph_status == {"U->D1": "active", "U->D2": "foreclosed"}
    # with weak rival demand the same structure supplies the rival
    kept = nash_in_nash(_two_buyers(True, "two_part", delta=(3.0, 3.0)), check_order=False)
    assert kept.active.all() and kept.dropped == ()


def _as_graph_result(r):
    nodes = [{"name": n, "kind": "launch" if n == "U" else "odc"} for n in ("U", "D1", "D2")]
    supply = [{"upstream": "U", "downstream": d, "input": "launch"} for d in ("D1", "D2")]
    g = r.to_graph(build_dependency_graph(nodes, supply))
    return {f"U->{d}": g.edges["U", d, "launch"]["status"] for d in ("D1", "D2")}


def test_fallback_supplier_caps_the_price_and_can_bypass_the_edge():
    # b = 1 and a fringe alternative at 1.8 < monopoly price: U extracts exactly up to it
    r = nash_in_nash(_single(1.0, fallback_price=1.8), disagreement="fallback", check_order=False)
    assert r.edge_prices[0] == pytest.approx(1.8, rel=1e-7)
    # an alternative below U's cost: no price gives both sides a gain -> the edge drops
    r = nash_in_nash(_single(0.5, fallback_price=0.9), disagreement="fallback", check_order=False)
    assert r.dropped == ("U->D",)
    assert r.outcome.offered[0] and r.outcome.input_price[0] == 0.9  # bought from the fringe


# --- integration: bargaining leverage and EDM ----------------------------------------------


def test_integration_raises_the_access_price_rivals_pay():
    before = nash_in_nash(_two_buyers(False), check_order=False)
    after = nash_in_nash(_two_buyers(True), check_order=False)
    assert after.edge_prices[0] == 1.0  # integrated edge at upstream cost (EDM)
    assert after.edge_prices[1] > before.edge_prices[1] + 0.1  # rival pays more per unit
    assert after.outcome.prices[1] > before.outcome.prices[1]
    # the source of leverage is the disagreement payoff: U+D1 gains less from supplying D2
    # at any given price than a stand-alone U would
    w = np.array([1.0, before.edge_prices[1]])
    cu = after.market.pair(1)[0]
    gain_integrated = (vertical_outcome(after.market, w).controller_value
                       - vertical_outcome(after.market, w, [True, False]).controller_value)[cu]  # fmt: skip
    assert gain_integrated < before.gains_upstream[1]


def test_graph_input_matches_market_input():
    nodes = [{"name": "U", "kind": "launch", "marginal_cost": 1.0},
             {"name": "D1", "kind": "ai_lab"}, {"name": "D2", "kind": "ai_lab"}]  # fmt: skip
    supply = [{"upstream": "U", "downstream": d, "input": "launch"} for d in ("D1", "D2")]
    control = [{"owner": "U", "firm": "D1", "kappa": 1.0}]
    g = build_dependency_graph(nodes, supply, control)
    demand = {("U", d): {"mean_utility": 3.0, "downstream_cost": 0.0} for d in ("D1", "D2")}
    from_graph = nash_in_nash(g, demand=demand, price_sensitivity=1.0, check_order=False)
    direct = nash_in_nash(_two_buyers(True), check_order=False)
    np.testing.assert_allclose(from_graph.edge_prices, direct.edge_prices, rtol=1e-9)
    priced = from_graph.to_graph(g)
    assert priced.edges["U", "D2", "launch"]["price"] == pytest.approx(direct.edge_prices[1])
    with pytest.raises(ValueError, match="demand"):
        nash_in_nash(g)


# --- diagnostics ---------------------------------------------------------------------------


def test_order_check_reports_and_non_convergence_is_explicit():
    m = _two_buyers(False, delta=(3.0, 2.0))
    r = nash_in_nash(m, rng=np.random.default_rng(3))
    assert r.order_dependent is False and 0.0 <= r.order_difference < 1e-6
    assert nash_in_nash(m, check_order=False).order_dependent is None
    with pytest.raises(EquilibriumNotConverged, match="sweeps exhausted") as info:
        nash_in_nash(m, max_sweeps=1, tol=1e-15, check_order=False)
    assert info.value.iterations == 1 and info.value.residual > 0
    loose = nash_in_nash(m, max_sweeps=1, tol=1e-15, check_order=False, on_nonconvergence="return")
    assert not loose.converged and loose.residual > 0 and loose.status == "sweeps exhausted"
    assert nash_in_nash(m, check_order=False).status == "converged"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"scheme": "newton"}, "scheme"), ({"damping": 0.0}, "damping"),
     ({"order": [0, 0]}, "permutation"), ({"on_nonconvergence": "ignore"}, "on_nonconvergence"),
     ({"grid_points": 2}, "grid_points"), ({"initial_prices": [1.0]}, "initial_prices")],
)  # fmt: skip
def test_argument_validation(kwargs, message):
    with pytest.raises(ValueError, match=message):
        nash_in_nash(_two_buyers(False), **kwargs)
