"""Calibrating logit demand to shares and a Lerner index: hand cases, the Bertrand round trip,
properties and bad input."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.market.economics import calibrate_logit_bertrand, solve_prices


def test_two_symmetric_firms_by_hand():
    # markup 1/(alpha (1 - 0.25)) = cost 10 at Lerner 0.5: alpha = 1/7.5, price 20,
    # delta = log(0.25 / 0.5) + 20 / 7.5
    cal = calibrate_logit_bertrand([0.25, 0.25], [10.0, 10.0], lerner_index=0.5)
    assert cal.alpha == pytest.approx(1 / 7.5, rel=1e-12)
    np.testing.assert_allclose(cal.prices, [20.0, 20.0], rtol=1e-12)
    np.testing.assert_allclose(cal.mean_utilities, np.log(0.5) + 20 / 7.5, rtol=1e-12)
    assert cal.lerner_index == pytest.approx(0.5, abs=1e-12)


def test_a_joint_owner_has_one_markup_over_its_combined_share():
    # owner A holds 0.2 + 0.2: markup 1/(alpha 0.6) on both; B alone 0.1: 1/(alpha 0.9)
    cal = calibrate_logit_bertrand([0.2, 0.2, 0.1], [5.0, 5.0, 5.0], 0.4, owners=["A", "A", "B"])
    markups = cal.prices - 5.0
    assert markups[0] == pytest.approx(markups[1], rel=1e-12)
    assert markups[0] * 0.6 == pytest.approx(markups[2] * 0.9, rel=1e-12)


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    st.lists(st.floats(0.02, 0.3), min_size=1, max_size=5),
    st.lists(st.floats(1.0, 1e5), min_size=5, max_size=5),
    st.floats(0.05, 0.9),
)
def test_the_bertrand_equilibrium_at_the_calibration_reproduces_the_shares(shares, costs, lerner):
    s = np.array(shares)
    if s.sum() >= 0.95:
        s = s / s.sum() * 0.9
    c = np.array(costs[: s.size])
    cal = calibrate_logit_bertrand(s, c, lerner)
    eq = solve_prices(cal.mean_utilities, cal.alpha, c)
    np.testing.assert_allclose(eq.shares, s, rtol=1e-8)
    np.testing.assert_allclose(eq.prices, cal.prices, rtol=1e-8)
    assert cal.lerner_index == pytest.approx(lerner, abs=1e-9)


def test_joint_ownership_round_trip():
    s, c, owners = np.array([0.2, 0.15, 0.1]), np.array([3.0, 4.0, 5.0]), ["A", "A", "B"]
    cal = calibrate_logit_bertrand(s, c, 0.3, owners=owners)
    kappa = np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    eq = solve_prices(cal.mean_utilities, cal.alpha, c, kappa=kappa)
    np.testing.assert_allclose(eq.shares, s, rtol=1e-9)


@pytest.mark.parametrize(
    ("shares", "costs", "lerner", "match"),
    [
        ([0.6, 0.5], [1.0, 1.0], 0.4, "sum below 1"),
        ([0.0, 0.5], [1.0, 1.0], 0.4, "lie in"),
        ([0.2, 0.2], [1.0, -1.0], 0.4, "marginal_costs"),
        ([0.2, 0.2], [1.0, 1.0], 1.0, "lerner_index"),
        ([0.2, 0.2], [1.0], 0.4, "shapes"),
    ],
)
def test_bad_input_is_refused(shares, costs, lerner, match):
    with pytest.raises(ValueError, match=match):
        calibrate_logit_bertrand(shares, costs, lerner)
