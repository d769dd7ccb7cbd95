"""Cournot with capacities and linear differentiated Bertrand: closed forms (gametheory.md 3)."""

import numpy as np
import pytest

from spacemarket.market.economics.cournot import solve_cournot, solve_linear_bertrand
from spacemarket.market.economics.welfare import total_welfare

REL = 1e-9


def test_reference_check_1_duopoly_monopoly_and_n4():
    duo = solve_cournot(100.0, 1.0, [10.0, 10.0])
    np.testing.assert_allclose(duo.quantities, 30.0, rtol=REL)
    assert duo.price == pytest.approx(40.0, rel=REL)
    np.testing.assert_allclose(duo.profits, 900.0, rtol=REL)
    assert duo.consumer_surplus == pytest.approx(60.0**2 / 2, rel=REL)
    mono = solve_cournot(100.0, 1.0, [10.0])
    assert (mono.quantities[0], mono.price, mono.profits[0]) == pytest.approx(
        (45, 55, 2025), rel=REL
    )
    four = solve_cournot(100.0, 1.0, [10.0] * 4)
    np.testing.assert_allclose(four.quantities, 18.0, rtol=REL)
    assert four.price == pytest.approx(28.0, rel=REL)


def test_general_closed_form_with_slope_and_asymmetric_costs():
    a, b, c = 120.0, 2.5, np.array([10.0, 20.0, 15.0, 30.0])
    n = c.size
    eq = solve_cournot(a, b, c)
    expected_q = (a - (n + 1) * c + c.sum()) / (b * (n + 1))
    np.testing.assert_allclose(eq.quantities, expected_q, rtol=REL)
    assert eq.price == pytest.approx((a + c.sum()) / (n + 1), rel=REL)
    assert eq.total_quantity == pytest.approx(expected_q.sum(), rel=REL)


def test_high_cost_firm_is_priced_out():
    """c3 = 60 exceeds the duopoly price 40, so it produces nothing and the duopoly stands."""
    eq = solve_cournot(100.0, 1.0, [10.0, 10.0, 60.0])
    np.testing.assert_allclose(eq.quantities, [30.0, 30.0, 0.0], rtol=REL, atol=1e-12)
    assert eq.price == pytest.approx(40.0, rel=REL)
    assert eq.profits[2] == 0.0
    # a firm with cost exactly at the price also stays out; above the choke price all stay out
    assert solve_cournot(100.0, 1.0, [10.0, 10.0, 40.0]).quantities[2] == pytest.approx(0.0)
    none = solve_cournot(100.0, 1.0, [150.0, 200.0])
    assert none.total_quantity == 0.0 and none.price == 100.0


def test_capacity_binds_and_rival_best_responds():
    """Firm 1 capped at 20: firm 2 plays (a - c - b*20)/(2b) = 35; P = 45."""
    eq = solve_cournot(100.0, 1.0, [10.0, 10.0], capacities=[20.0, np.inf])
    np.testing.assert_allclose(eq.quantities, [20.0, 35.0], rtol=REL)
    assert eq.price == pytest.approx(45.0, rel=REL)
    np.testing.assert_array_equal(eq.at_capacity, [True, False])
    slack = solve_cournot(100.0, 1.0, [10.0, 10.0], capacities=[31.0, 31.0])
    np.testing.assert_allclose(slack.quantities, 30.0, rtol=REL)
    assert not slack.at_capacity.any()


def test_all_capacities_bind_kreps_scheinkman_reduced_form():
    eq = solve_cournot(100.0, 1.0, [10.0, 10.0, 10.0], capacities=[5.0, 10.0, 15.0])
    np.testing.assert_allclose(eq.quantities, [5.0, 10.0, 15.0], rtol=REL)
    assert eq.price == pytest.approx(70.0, rel=REL)
    assert eq.at_capacity.all()


def test_equilibrium_is_a_mutual_best_response():
    rng = np.random.default_rng(3)
    for _ in range(20):
        c = rng.uniform(0, 80, 5)
        k = np.where(rng.uniform(size=5) < 0.5, rng.uniform(0, 30, 5), np.inf)
        eq = solve_cournot(100.0, 1.3, c, capacities=k)
        for i in range(5):
            others = eq.total_quantity - eq.quantities[i]
            grid = np.linspace(0, min(k[i], 100 / 1.3), 20001)
            profit = (100 - 1.3 * (others + grid) - c[i]) * grid
            assert eq.profits[i] >= profit.max() - 1e-6


def test_reference_check_3_successive_monopoly_vs_integration():
    """P = 100 - Q, upstream c = 20. Downstream monopoly facing w has derived demand
    w = 100 - 2Q, so the upstream monopolist solves a monopoly problem with slope 2."""
    upstream = solve_cournot(100.0, 2.0, [20.0])
    w = upstream.price
    downstream = solve_cournot(100.0, 1.0, [w])
    assert w == pytest.approx(60.0, rel=REL)
    assert downstream.price == pytest.approx(80.0, rel=REL)
    assert downstream.total_quantity == pytest.approx(20.0, rel=REL)
    profit_u = (w - 20.0) * downstream.total_quantity
    assert profit_u == pytest.approx(800.0, rel=REL)
    assert downstream.profits[0] == pytest.approx(400.0, rel=REL)
    assert downstream.consumer_surplus == pytest.approx(200.0, rel=REL)
    integrated = solve_cournot(100.0, 1.0, [20.0])
    assert integrated.price == pytest.approx(60.0, rel=REL)
    assert integrated.total_quantity == pytest.approx(40.0, rel=REL)
    assert integrated.profits[0] == pytest.approx(1600.0, rel=REL)
    assert integrated.consumer_surplus == pytest.approx(800.0, rel=REL)
    # EDM: price falls by 20, joint profit rises by 400, welfare 1400 -> 2400
    assert integrated.profits[0] - (profit_u + downstream.profits[0]) == pytest.approx(400.0)
    assert total_welfare(downstream.consumer_surplus, [profit_u, downstream.profits[0]]) == 1400.0
    assert total_welfare(integrated.consumer_surplus, integrated.profits) == 2400.0


def test_reference_check_2_linear_bertrand():
    eq = solve_linear_bertrand([10.0, 10.0], [[-2.0, 1.0], [1.0, -2.0]], [1.0, 1.0])
    np.testing.assert_allclose(eq.prices, 4.0, rtol=REL)
    np.testing.assert_allclose(eq.quantities, 6.0, rtol=REL)
    np.testing.assert_allclose(eq.profits, 18.0, rtol=REL)


def test_linear_bertrand_merger_to_monopoly_closed_form():
    """Joint pricing of q_i = 10 - 2p_i + p_j: maximise sum (p - 1)(10 - p) -> p = 5.5."""
    eq = solve_linear_bertrand(
        [10.0, 10.0], [[-2.0, 1.0], [1.0, -2.0]], [1.0, 1.0], kappa=np.ones((2, 2))
    )
    np.testing.assert_allclose(eq.prices, 5.5, rtol=REL)
    np.testing.assert_allclose(eq.quantities, 4.5, rtol=REL)


def test_linear_bertrand_asymmetric_best_response_check():
    a, slope, c = (
        np.array([12.0, 9.0, 7.0]),
        np.array([[-3.0, 1.0, 0.5], [0.8, -2.0, 0.4], [0.2, 0.3, -1.5]]),
        np.array([1.0, 2.0, 0.5]),
    )
    eq = solve_linear_bertrand(a, slope, c)
    for i in range(3):  # own FOC: q_i + B_ii (p_i - c_i) = 0
        assert eq.quantities[i] + slope[i, i] * (eq.prices[i] - c[i]) == pytest.approx(0, abs=1e-10)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        ((0.0, 1.0, [1.0]), "intercept"),
        ((100.0, 0.0, [1.0]), "slope"),
        ((100.0, 1.0, []), "marginal_costs"),
        ((100.0, 1.0, [np.nan]), "marginal_costs"),
        ((100.0, 1.0, [1.0], [-1.0]), "capacities"),
        ((100.0, 1.0, [1.0, 2.0], [1.0]), "capacities"),
    ],
)
def test_cournot_validation(args, name):
    with pytest.raises(ValueError, match=name):
        solve_cournot(*args)


def test_linear_bertrand_validation():
    with pytest.raises(ValueError, match="slopes"):
        solve_linear_bertrand([1.0, 1.0], [[-1.0]], [0.0, 0.0])
    with pytest.raises(ValueError, match="kappa"):
        solve_linear_bertrand([1.0], [[-1.0]], [0.0], kappa=[[0.0]])
    with pytest.raises(ValueError, match="negative quantities"):
        solve_linear_bertrand([1.0], [[-1.0]], [5.0])
