"""Nash-in-Nash launch contracts: closed forms, outside options, control, capacity."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.market.economics.launch_bargain import LaunchBuyers
from spacemarket.market.economics.launch_contracts import LaunchSellers, solve_launch_contracts


def buyers(n=1, value=100.0, kw=1e3, dispersion=1e-4, interest=1.0):
    """``n`` identical buyers; with a small dispersion each wants ``kw`` kg below ``value``."""
    return LaunchBuyers(
        added_kw=np.full(n, kw), interest=np.full(n, interest),
        orbital_fixed_usd_per_kw_year=np.zeros(n), ground_usd_per_kw_year=value,
        slope_per_usd_per_kg=1.0, dispersion=dispersion, kg_per_kw=1.0, pv_factor=1.0,
    )  # fmt: skip


def sellers(costs, capacity=1e12, other=None):
    costs = np.asarray(costs, float)
    return LaunchSellers(costs, np.full(len(costs), capacity), other)


# ----------------------------------------------------------------- closed forms (by hand)


@settings(max_examples=15, deadline=None)
@given(b=st.floats(0.0, 1.0), cost=st.floats(0.0, 90.0))
def test_inelastic_limit_is_horn_wolinsky_closed_form(b, cost):
    """Horn & Wolinsky (1988): with unit demand worth v, w = c + b (v - c)."""
    out = solve_launch_contracts(buyers(), sellers([cost]), weight=b)
    # the limit is reached up to sigma log(v / sigma) ~ 0.1 with a logit scale sigma = 0.01
    assert out.prices[0, 0] == pytest.approx(cost + b * (100.0 - cost), abs=0.15)
    assert out.converged and out.status[0, 0] == "active"


def test_hand_computed_case_and_gains():
    out = solve_launch_contracts(buyers(), sellers([40.0]), weight=0.5)
    assert out.prices[0, 0] == pytest.approx(70.0, abs=1e-3)
    assert out.kg[0, 0] == pytest.approx(1e3, rel=1e-6)  # q = A k s, s ~ 1 below parity
    assert out.seller_gain_usd[0, 0] == pytest.approx(30.0 * 1e3, rel=1e-4)  # (w - c) q
    assert out.buyer_gain_usd[0, 0] == pytest.approx(30.0 * 1e3, rel=1e-3)  # A T (v - w)


def test_elastic_demand_price_maximises_the_nash_product():
    """With logit demand the price solves the first-order condition: a small move either way
    lowers b log G_U + (1 - b) log G_D."""
    b = buyers(dispersion=0.15)
    out = solve_launch_contracts(b, sellers([40.0]), weight=0.4)
    w = out.prices[0, 0]
    i = np.array([0])

    def log_nash(p):
        p = np.array([p])
        return float((0.4 * np.log((p - 40.0) * b.kg(i, p)) + 0.6 * np.log(b.gain(i, p)))[0])

    assert 40.0 < w < 200.0
    assert log_nash(w) >= max(log_nash(w - 0.5), log_nash(w + 0.5))


# ----------------------------------------------------------------- outside options


def test_a_second_launcher_lowers_the_price_by_the_threat_of_replacement():
    alone = solve_launch_contracts(buyers(), sellers([40.0]), weight=0.5)
    rival = solve_launch_contracts(buyers(), sellers([40.0, 55.0]), weight=0.5)
    assert rival.prices[0, 0] == pytest.approx(55.0, abs=1e-6)
    assert rival.prices[0, 0] < alone.prices[0, 0]
    assert rival.chosen[0] == 0 and rival.kg[0, 1] < 1e-3 * rival.kg[0, 0]  # a near-tie splits


@settings(max_examples=15, deadline=None)
@given(c1=st.floats(40.0, 99.0), c2=st.floats(40.0, 99.0))
def test_a_cheaper_rival_never_raises_the_price(c1, c2):
    lo, hi = sorted([c1, c2])
    p_lo = solve_launch_contracts(buyers(), sellers([40.0, lo]), weight=0.5).prices[0, 0]
    p_hi = solve_launch_contracts(buyers(), sellers([40.0, hi]), weight=0.5).prices[0, 0]
    assert p_lo <= p_hi + 1e-9


def test_a_refused_edge_is_not_an_outside_option():
    open_ = solve_launch_contracts(buyers(), sellers([40.0, 55.0]), weight=0.5)
    refused = solve_launch_contracts(
        buyers(), sellers([40.0, 55.0]), available=np.array([[True, False]]), weight=0.5
    )
    assert refused.status[0, 1] == "refused" and np.isnan(refused.prices[0, 1])
    assert refused.prices[0, 0] == pytest.approx(70.0, abs=1e-3)
    assert refused.prices[0, 0] > open_.prices[0, 0]


def test_no_demand_means_no_joint_gain_and_the_edge_drops():
    out = solve_launch_contracts(buyers(interest=0.0), sellers([40.0]), weight=0.5)
    assert out.status[0, 0] == "dropped" and out.kg.sum() == 0.0 and out.chosen[0] == -1


# ----------------------------------------------------------------- control and capacity


def test_an_integrated_pair_trades_at_cost_and_controlling_a_launcher_is_an_outside_option():
    s = sellers([40.0, 50.0])
    plain = solve_launch_contracts(buyers(), s, weight=0.5)
    owns_second = solve_launch_contracts(
        buyers(), s, integrated=np.array([[False, True]]), weight=0.5
    )
    assert plain.prices[0, 0] == pytest.approx(50.0, abs=1e-6)
    # the buyer now self-supplies from its own launcher at cost when it is the cheaper route
    owns_first = solve_launch_contracts(
        buyers(), s, integrated=np.array([[True, False]]), weight=0.5
    )
    assert owns_first.prices[0, 0] == pytest.approx(40.0) and owns_first.chosen[0] == 0
    assert owns_second.prices[0, 0] <= plain.prices[0, 0] + 1e-9


def test_capacity_binds_through_a_shadow_price_and_is_never_exceeded():
    out = solve_launch_contracts(buyers(n=2, dispersion=0.15), sellers([40.0], capacity=800.0),
                                 weight=0.5)  # fmt: skip
    free = solve_launch_contracts(buyers(n=2, dispersion=0.15), sellers([40.0]), weight=0.5)
    assert free.kg.sum() > 800.0
    assert out.kg.sum() == pytest.approx(800.0, rel=1e-6) and out.shadow_usd_per_kg[0] > 0
    assert out.prices[0, 0] > free.prices[0, 0] and out.converged


def test_integration_raises_the_rivals_price_when_capacity_binds():
    """Raising rivals' costs through capacity: the integrated buyer uses the launcher's
    capacity at its opportunity cost, so the shadow price, and the rival's price, rise."""
    b, s = buyers(n=2, dispersion=0.15), sellers([40.0], capacity=800.0)
    apart = solve_launch_contracts(b, s, weight=0.5)
    together = solve_launch_contracts(b, s, integrated=np.array([[True], [False]]), weight=0.5)
    assert together.prices[1, 0] > apart.prices[1, 0]
    assert together.kg[0, 0] > together.kg[1, 0]  # the integrated buyer gets more capacity
    assert together.prices[0, 0] == pytest.approx(40.0)  # paid at cost inside the group


@pytest.mark.parametrize(
    "guess",
    [
        [0.0, 0.0],
        [5.0, 3.0],
        [60.0, 1.0],
        [1e3, 8e2],
        [1e5, 1e5],
        [1e5, 0.0],
        [1e3, 300.0],
        [1e3, 330.0],
        [2e3, 400.0],
    ],
)
def test_a_warm_start_anywhere_reaches_the_same_clearing(guess, monkeypatch):
    """Last quarter's shadow prices start the solve; one far above this quarter's (every
    buyer priced out, the excess flat) must not end it unconverged or move the answer, and
    the quasi-Newton path must get there without the slow seller-by-seller fallback."""
    import spacemarket.market.economics.launch_contracts as lc

    def no_fallback(*args, **kwargs):
        raise AssertionError("the Gauss-Seidel fallback ran")

    monkeypatch.setattr(lc, "gauss_seidel", no_fallback)
    b, s = buyers(n=3, dispersion=0.15), sellers([40.0, 44.0], capacity=700.0)
    cold = solve_launch_contracts(b, s, weight=0.5)
    warm = solve_launch_contracts(b, s, weight=0.5, shadow_guess=np.array(guess))
    assert cold.converged and warm.converged
    assert (cold.shadow_usd_per_kg > 0).all()  # both sellers bind
    assert warm.shadow_usd_per_kg == pytest.approx(cold.shadow_usd_per_kg, rel=1e-6, abs=1e-6)
    assert warm.kg.sum(axis=0) == pytest.approx(s.capacity_kg, rel=1e-6)


def test_same_input_same_output():
    args = (buyers(n=3, dispersion=0.15), sellers([40.0, 45.0], capacity=900.0))
    a, b = solve_launch_contracts(*args, weight=0.5), solve_launch_contracts(*args, weight=0.5)
    assert np.array_equal(a.prices, b.prices, equal_nan=True) and np.array_equal(a.kg, b.kg)


def test_controlling_a_rival_launcher_improves_the_fallback_and_lowers_the_price():
    """The outside option is the deal the buyer would fall back on: a rival launcher alone
    (its Nash price against ground), or at cost when the buyer controls it."""
    b, s = buyers(dispersion=0.15), sellers([20.0, 90.0])
    alone = solve_launch_contracts(b, sellers([20.0]), weight=0.5)
    rival = solve_launch_contracts(b, s, weight=0.5)
    owned = solve_launch_contracts(b, s, integrated=np.array([[False, True]]), weight=0.5)
    assert rival.chosen[0] == owned.chosen[0] == 0  # the cheap launcher still flies it
    assert owned.prices[0, 0] < rival.prices[0, 0] < alone.prices[0, 0]
    assert rival.prices[0, 0] < 90.0  # not the replacement cap: the fallback's value


@pytest.mark.parametrize(("kd", "ku"), [(0.0, 0.0), (0.2, 0.0), (0.0, 0.2), (0.1, 0.3), (0.0, 0.6)])
def test_stakes_below_control_enter_both_objectives_closed_form(kd, ku):
    """O'Brien-Salop stakes in the Nash bargain: the buyer's controller maximises
    G_D + kd G_U, the seller's G_U + ku G_D; with unit demand worth v the price is
    o + (b - ku) (v - o) / (1 - kd - ku), and o when the seller's stake outweighs its weight."""
    b, o, v, w8 = buyers(dispersion=1e-5), 40.0, 100.0, 0.5
    stakes = (np.array([[kd]]), np.array([[ku]]))
    out = solve_launch_contracts(b, sellers([o]), weight=w8, stakes=stakes)
    expected = o + max(w8 - ku, 0.0) * (v - o) / (1.0 - kd - ku)
    assert out.prices[0, 0] == pytest.approx(expected, abs=0.05)


def test_per_pair_weights_price_each_pair_and_not_the_other():
    """Two buyers of one launcher with room for both: each pays o + b_i (v - o)."""
    out = solve_launch_contracts(buyers(n=2), sellers([40.0]), weight=np.array([[0.8], [0.3]]))
    assert out.prices[:, 0] == pytest.approx([40.0 + 0.8 * 60.0, 40.0 + 0.3 * 60.0], abs=0.05)


def test_the_fallback_fills_demand_from_every_other_launcher_cheapest_first():
    """Two small rivals, each able to carry a third of the buyer's demand: the fallback is
    both of them and ground for the rest, so together they lower the incumbent's price more
    than either alone."""
    b = buyers(dispersion=0.15)
    s = LaunchSellers(np.array([20.0, 60.0, 70.0]), np.array([1e12, 300.0, 300.0]))
    one = solve_launch_contracts(b, s, available=np.array([[True, True, False]]), weight=0.5)
    other = solve_launch_contracts(b, s, available=np.array([[True, False, True]]), weight=0.5)
    both = solve_launch_contracts(b, s, weight=0.5)
    alone = solve_launch_contracts(b, s, available=np.array([[True, False, False]]), weight=0.5)
    assert both.prices[0, 0] < min(one.prices[0, 0], other.prices[0, 0])
    assert max(one.prices[0, 0], other.prices[0, 0]) < alone.prices[0, 0]


def test_a_rival_caps_the_price_only_if_it_can_carry_the_whole_demand():
    """Threat of replacement (Ho and Lee 2019) needs a rival that can take the business."""
    b = buyers()  # wants 1,000 kg below 100 USD/kg
    big = solve_launch_contracts(b, LaunchSellers(np.array([40.0, 55.0]),
                                                  np.array([1e12, 1000.0])), weight=0.5)  # fmt: skip
    small = solve_launch_contracts(b, LaunchSellers(np.array([40.0, 55.0]),
                                                    np.array([1e12, 999.0])), weight=0.5)  # fmt: skip
    assert big.prices[0, 0] == pytest.approx(55.0, abs=1e-6)
    # 999 of 1,000 kg in the fallback, at the rival's own Nash price against ground
    # (55 + 45 / 2 = 77.5): the incumbent's Nash price against that, 40 + (77.5 - 40) / 2
    assert small.prices[0, 0] == pytest.approx(40.0 + 0.5 * (77.5 * 0.999 + 0.001 * 100 - 40),
                                               abs=0.05)  # fmt: skip


def test_nash_in_nash_each_price_maximises_its_own_nash_product_given_the_others():
    """Horn and Wolinsky's equilibrium (and the limit of Collard-Wexler, Gowrisankaran and
    Lee's 2019 alternating offers): with capacity binding, each buyer's price maximises its own
    generalized Nash product, the other contract held fixed through the seller's opportunity
    cost ``c + lambda``. Checked by brute force on a grid, not through the solver's FOC."""
    b, w8 = buyers(n=2, dispersion=0.15, kw=600.0), np.array([[0.7], [0.4]])
    out = solve_launch_contracts(b, sellers([40.0], capacity=700.0), weight=w8)
    assert out.shadow_usd_per_kg[0] > 1.0 and out.converged
    o = 40.0 + out.shadow_usd_per_kg[0]
    for i in range(2):
        grid = out.prices[i, 0] + np.linspace(-2.0, 2.0, 401)
        idx = np.full(grid.size, i)
        g_u = (grid - o) * b.kg(idx, grid)
        g_d = b.gain(idx, grid)
        log_nash = w8[i, 0] * np.log(np.maximum(g_u, 1e-300)) + (1 - w8[i, 0]) * np.log(g_d)
        assert abs(grid[np.argmax(log_nash)] - out.prices[i, 0]) <= 0.011  # the grid's step
