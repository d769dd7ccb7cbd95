"""Vertical launch -> orbital-compute market: costs, integration, kappa, conventions."""

from __future__ import annotations

import numpy as np
import pytest

from spacemarket.market.economics.bertrand import solve_prices
from spacemarket.market.economics.dependency_graph import build_dependency_graph
from spacemarket.market.economics.vertical_market import (
    make_vertical_market,
    vertical_market_from_graph,
)
from spacemarket.market.economics.vertical_spot import effective_input_prices, vertical_outcome


def _product(u, d, delta=3.0, units=1.0, cost=0.0, **kw):
    return {"upstream": u, "downstream": d, "input_units": units, "mean_utility": delta,
            "downstream_cost": cost} | kw  # fmt: skip


def test_successive_monopoly_closed_form():
    """Logit downstream monopoly: p = c_d + theta w + 1 / (alpha (1 - s)); profits by firm."""
    alpha, theta, w, c_u, c_d = 0.5, 2.0, 3.0, 1.0, 4.0
    m = make_vertical_market({"U": c_u}, [_product("U", "D", 6.0, theta, c_d)],
                             price_sensitivity=alpha, market_size=100.0)  # fmt: skip
    out = vertical_outcome(m, [w])
    s = out.quantities[0] / 100.0
    assert out.prices[0] == pytest.approx(c_d + theta * w + 1.0 / (alpha * (1.0 - s)), rel=1e-10)
    assert s == pytest.approx(
        np.exp(6.0 - alpha * out.prices[0]) / (1 + np.exp(6.0 - alpha * out.prices[0]))
    )
    assert out.firm_profit[0] == pytest.approx((w - c_u) * theta * 100.0 * s, rel=1e-10)
    assert out.firm_profit[1] == pytest.approx((out.prices[0] - out.marginal_cost[0]) * 100 * s)
    assert out.consumer_surplus == pytest.approx(
        100.0 / alpha * np.log1p(np.exp(6.0 - alpha * out.prices[0]))
    )


def test_integration_removes_double_marginalisation_only_for_linear_contracts():
    sep = make_vertical_market({"U": 1.0}, [_product("U", "D")], price_sensitivity=1.0)
    integ = make_vertical_market({"U": 1.0}, [_product("U", "D")], price_sensitivity=1.0,
                                 decision_makers={"D": "U"})  # fmt: skip
    assert not sep.integrated[0] and integ.integrated[0]
    a, b = vertical_outcome(sep, [2.5]), vertical_outcome(integ, [2.5])
    assert b.input_price[0] == 1.0 and a.input_price[0] == 2.5
    assert b.prices[0] < a.prices[0]
    assert b.controller_value[0] > a.firm_profit.sum()  # joint profit rises
    assert b.consumer_surplus > a.consumer_surplus
    two_part = make_vertical_market({"U": 1.0}, [_product("U", "D", contract="two_part")],
                                    price_sensitivity=1.0)  # fmt: skip
    c = vertical_outcome(two_part, [2.5], transfers=[0.1])
    assert c.input_price[0] == 1.0  # w = c_u already: integration changes nothing
    assert c.prices[0] == pytest.approx(b.prices[0], rel=1e-12)
    assert c.firm_profit[0] == pytest.approx(0.1) and c.firm_profit.sum() == pytest.approx(
        b.firm_profit.sum()
    )
    np.testing.assert_allclose(effective_input_prices(sep, [2.5]), [2.5])
    np.testing.assert_allclose(effective_input_prices(integ, [2.5]), [1.0])


def test_integrated_supplier_prices_with_its_upstream_margin_on_the_rival():
    """The raising-rivals'-costs channel: U+D1 earns (w - c) on D2's sales and prices D1 up."""
    m = make_vertical_market({"U": 1.0}, [_product("U", "D1"), _product("U", "D2")],
                             price_sensitivity=1.0, decision_makers={"D1": "U"})  # fmt: skip
    w = np.array([1.0, 2.5])
    out = vertical_outcome(m, w)
    costs = np.array([1.0, 2.5])
    plain = solve_prices([3.0, 3.0], 1.0, costs)  # same costs, no upstream margin
    with_margin = solve_prices([3.0, 3.0], 1.0, costs, upstream_margins=[[0.0, 1.5], [0.0, 0.0]])
    np.testing.assert_allclose(out.prices, with_margin.prices, rtol=1e-10)
    assert out.prices[0] > plain.prices[0] + 1e-3
    # U's profit includes the margin on D2's sales
    q = out.quantities
    assert out.firm_profit[0] == pytest.approx(1.5 * q[1], rel=1e-10)
    assert out.controller_value[0] == pytest.approx(out.firm_profit[0] + out.firm_profit[1])


def test_disagreement_conventions_drop_and_fallback():
    m = make_vertical_market(
        {"U": 1.0, "F": 1.2},
        [_product("U", "D1"), _product("U", "D2", fallback_price=2.0, fallback_supplier="F")],
        price_sensitivity=1.0,
    )
    w, off = np.array([2.0, 1.5]), np.array([True, False])
    dropped = vertical_outcome(m, w, off)
    assert not dropped.offered[1] and np.isnan(dropped.prices[1]) and dropped.quantities[1] == 0
    assert dropped.consumer_surplus == pytest.approx(np.log1p(np.exp(3.0 - dropped.prices[0])))
    fb = vertical_outcome(m, w, off, disagreement="fallback")
    assert fb.offered[1] and fb.input_price[1] == 2.0 and fb.supplier[1] == m.firms.index("F")
    assert fb.firm_profit[m.firms.index("F")] == pytest.approx(0.8 * fb.quantities[1])
    assert fb.firm_profit[m.firms.index("U")] == pytest.approx(1.0 * fb.quantities[0])
    nothing = vertical_outcome(m, w, [False, False])
    assert nothing.consumer_surplus == 0.0 and nothing.equilibrium is None
    with pytest.raises(ValueError, match="disagreement"):
        vertical_outcome(m, w, disagreement="replace")


def test_partial_ownership_weights_enter_the_objective():
    m = make_vertical_market({"U": 1.0}, [_product("U", "A"), _product("U", "B")],
                             price_sensitivity=1.0, kappa={("A", "B"): 0.3})  # fmt: skip
    out = vertical_outcome(m, [2.0, 2.0])
    a, b = m.controllers.index("A"), m.firms.index("B")
    assert out.controller_value[a] == pytest.approx(out.firm_profit[m.firms.index("A")]
                                                    + 0.3 * out.firm_profit[b])  # fmt: skip
    # A internalises 30% of B's margin, so it prices above the independent level
    plain = solve_prices([3.0, 3.0], 1.0, [2.0, 2.0])
    assert out.prices[0] > plain.prices[0] + 1e-4


def test_market_from_graph_uses_indirect_stakes_and_edge_attributes():
    nodes = [{"name": "Musk", "kind": "owner"},
             {"name": "SpaceX", "kind": "launch", "marginal_cost": 800.0},
             {"name": "Stoke", "kind": "launch", "marginal_cost": 1500.0},
             {"name": "xAI", "kind": "ai_lab"}, {"name": "Google", "kind": "cloud"}]  # fmt: skip
    supply = [
        {"upstream": "SpaceX", "downstream": "xAI", "input": "launch", "input_units": 2.0},
        {"upstream": "Stoke", "downstream": "Google", "input": "launch", "input_units": 2.0,
         "contract": "two_part", "bargaining_weight": 0.3, "status": "foreclosed"},
    ]  # fmt: skip
    control = [{"owner": "Musk", "firm": "SpaceX", "kappa": 0.4, "voting_control": True},
               {"owner": "SpaceX", "firm": "xAI", "kappa": 0.6}]  # fmt: skip
    g = build_dependency_graph(nodes, supply, control)
    demand = {("SpaceX", "xAI"): {"mean_utility": 5.0, "downstream_cost": 1e4},
              ("Stoke", "Google"): {"mean_utility": 5.0, "downstream_cost": 1e4}}  # fmt: skip
    m = vertical_market_from_graph(g, demand, price_sensitivity=1e-4)
    musk = m.controllers.index("Musk")
    assert m.kappa[musk, m.firms.index("SpaceX")] == pytest.approx(0.4)
    assert m.kappa[musk, m.firms.index("xAI")] == pytest.approx(0.24)  # 0.4 * 0.6
    assert m.integrated.tolist() == [True, False]
    assert m.contract == ("linear", "two_part") and m.active.tolist() == [True, False]
    assert m.bargaining_weight[1] == 0.3
    np.testing.assert_allclose(m.edge_cost, [800.0, 1500.0])
    with pytest.raises(ValueError, match="no 'launch' supply edge"):
        vertical_market_from_graph(g, {("Stoke", "xAI"): demand[("SpaceX", "xAI")]},
                                   price_sensitivity=1e-4)  # fmt: skip


@pytest.mark.parametrize(
    ("costs", "products", "kwargs", "message"),
    [
        ({}, [_product("U", "D")], {}, "no upstream cost"),
        ({"U": 1.0}, [], {}, "products must not be empty"),
        ({"U": 1.0}, [_product("U", "D", units=0.0)], {}, "input_units"),
        ({"U": 1.0}, [_product("U", "D", bargaining_weight=2.0)], {}, "bargaining_weight"),
        ({"U": 1.0}, [_product("U", "D", contract="posted")], {}, "contract"),
        ({"U": 1.0}, [_product("U", "D")], {"price_sensitivity": 0.0}, "price_sensitivity"),
        ({"U": 1.0}, [_product("U", "D")], {"kappa": {("U", "D"): 1.5}}, "kappa"),
        ({"U": 1.0}, [_product("U", "D", fallback_supplier="X")], {}, "fallback_supplier"),
        ({"U": 1.0}, [_product("U", "D", nest="a")], {}, "nest"),
    ],
)
def test_make_vertical_market_validation(costs, products, kwargs, message):
    kwargs = {"price_sensitivity": 1.0} | kwargs
    with pytest.raises(ValueError, match=message):
        make_vertical_market(costs, products, **kwargs)


def test_worked_example_contract_table_matches_the_doc():
    """docs/worked_example_openai_stoke.md reports what its script computes."""
    import importlib.util
    from pathlib import Path

    docs = Path(__file__).resolve().parents[2] / "docs"
    spec = importlib.util.spec_from_file_location(
        "worked_example", docs / "worked_example_openai_stoke.py"
    )
    example = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(example)
    pre, post = example.solve(False, check_order=False), example.solve(True, check_order=False)
    page = (docs / "worked_example_openai_stoke.md").read_text()
    rows = [r for r in example.contract_table(pre, post) if r.startswith("| ") and "->" in r]
    assert len(rows) == 5
    for row in rows:
        assert row in page
    # the headline: integration raises the price Google pays Stoke and removes OpenAI's margin
    k = pre.market.products.index("Stoke->Google")
    assert post.edge_prices[k] > pre.edge_prices[k]
    assert post.edge_prices[pre.market.products.index("Stoke->OpenAI")] == 1500.0


def test_nested_logit_with_a_rho_per_nest_survives_dropping_a_whole_nest():
    products = [_product("U", "A", nest="a"), _product("V", "A", nest="a"),
                _product("U", "B", nest="b")]  # fmt: skip
    m = make_vertical_market({"U": 1.0, "V": 1.0}, products, price_sensitivity=1.0,
                             rho={"a": 0.5, "b": 1.0})  # fmt: skip
    w = np.array([2.0, 2.0, 2.0])
    full = vertical_outcome(m, w)
    direct = solve_prices([3.0] * 3, 1.0, [2.0] * 3, kappa=[[1, 1, 0], [1, 1, 0], [0, 0, 1]],
                          nest_ids=["a", "a", "b"], rho=[0.5, 1.0])  # fmt: skip
    np.testing.assert_allclose(full.prices, direct.prices, rtol=1e-10)
    only_b = vertical_outcome(m, w, [False, False, True])
    alone = solve_prices([3.0], 1.0, [2.0])  # a nest with rho = 1 alone is plain logit
    assert only_b.prices[2] == pytest.approx(alone.prices[0], rel=1e-10)
    with pytest.raises(ValueError, match="no value for nests"):
        make_vertical_market({"U": 1.0, "V": 1.0}, products, price_sensitivity=1.0, rho={"a": 0.5})
