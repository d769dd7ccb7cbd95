"""Bargaining solutions: gametheory.md section 3 checks #4 and #5, plus properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.market.economics.bargaining import (
    nash_bargain,
    nash_bargain_nontransferable,
    rubinstein_limit_weight,
    rubinstein_share,
)

# --- check #4: generalized Nash bargaining -------------------------------------------------


def test_check4_transferable_split_62_38():
    out = nash_bargain(100.0, (20.0, 10.0), 0.6)
    assert float(out.payoff_1) == pytest.approx(62.0, rel=1e-12)
    assert float(out.payoff_2) == pytest.approx(38.0, rel=1e-12)
    assert bool(out.agreement)
    assert float(out.gains) == pytest.approx(70.0, rel=1e-12)


def test_check4_nontransferable_frontier_gives_same_split():
    out = nash_bargain_nontransferable(lambda t: t, lambda t: 100.0 - t, (20.0, 10.0), 0.6,
                                       bounds=(0.0, 100.0))  # fmt: skip
    assert out.allocation == pytest.approx(62.0, rel=1e-8)
    assert out.utility_2 == pytest.approx(38.0, rel=1e-7)


@pytest.mark.parametrize(("scale", "shift"), [(2.0, 0.0), (0.5, 0.0), (2.0, 5.0), (1e6, -3.0)])
def test_check4_invariance_to_rescaling_player_2(scale, shift):
    """Scaling (and shifting) player 2's utility must not move the physical split."""

    def u2(t):
        return scale * (100.0 - t) + shift

    out = nash_bargain_nontransferable(lambda t: t, u2, (20.0, scale * 10.0 + shift), 0.6,
                                       bounds=(0.0, 100.0))  # fmt: skip
    assert out.allocation == pytest.approx(62.0, rel=1e-8)


@pytest.mark.parametrize("scale", [1.0, 3.0, 0.01])
def test_nontransferable_concave_closed_form_and_invariance(scale):
    # u1 = t, u2 = scale * sqrt(100 - t), d = 0: FOC b / t = (1 - b) / (2 (100 - t))
    # => t* = 200 b / (1 + b) = 75 for b = 0.6, whatever the scale of u2.
    out = nash_bargain_nontransferable(
        lambda t: t, lambda t: scale * math.sqrt(100.0 - t), (0.0, 0.0), 0.6, bounds=(0.0, 100.0)
    )
    assert out.allocation == pytest.approx(75.0, rel=1e-7)


def test_nontransferable_empty_set_and_bad_weight():
    with pytest.raises(ValueError, match="empty bargaining set"):
        nash_bargain_nontransferable(lambda t: t, lambda t: 1.0 - t, (2.0, 2.0), 0.5)
    with pytest.raises(ValueError, match="weight"):
        nash_bargain_nontransferable(lambda t: t, lambda t: 1.0 - t, (0.0, 0.0), 1.5)


def test_no_agreement_returns_disagreement_or_raises():
    out = nash_bargain(25.0, (20.0, 10.0), 0.6)
    assert not bool(out.agreement)
    assert (float(out.payoff_1), float(out.payoff_2)) == (20.0, 10.0)
    tie = nash_bargain(30.0, (20.0, 10.0), 0.6)  # zero gains: no agreement
    assert not bool(tie.agreement)
    with pytest.raises(ValueError, match="no agreement"):
        nash_bargain(25.0, (20.0, 10.0), 0.6, on_infeasible="raise")


def test_nash_bargain_vectorised():
    surplus = np.array([100.0, 25.0, 50.0])
    d = np.array([[20.0, 20.0, 0.0], [10.0, 10.0, 0.0]])
    out = nash_bargain(surplus, d, np.array([0.6, 0.6, 0.25]))
    np.testing.assert_allclose(out.payoff_1, [62.0, 20.0, 12.5])
    np.testing.assert_allclose(out.payoff_2, [38.0, 10.0, 37.5])
    np.testing.assert_array_equal(out.agreement, [True, False, True])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"surplus": 1.0, "disagreement": (0.0, 0.0), "weight": 1.1}, "weight"),
        ({"surplus": 1.0, "disagreement": (0.0, 0.0), "weight": -0.1}, "weight"),
        ({"surplus": np.nan, "disagreement": (0.0, 0.0), "weight": 0.5}, "surplus"),
        ({"surplus": 1.0, "disagreement": (0.0, 0.0, 0.0), "weight": 0.5}, "disagreement"),
    ],
)
def test_nash_bargain_validation_names_argument(kwargs, name):
    with pytest.raises(ValueError, match=name):
        nash_bargain(**kwargs)


# --- check #5: Rubinstein and the Binmore-Rubinstein-Wolinsky limit ------------------------


def test_check5_rubinstein_shares():
    assert float(rubinstein_share(0.9, 0.9)) == pytest.approx(0.1 / 0.19, rel=1e-12)
    assert round(float(rubinstein_share(0.9, 0.9)), 6) == 0.526316
    assert round(1.0 - float(rubinstein_share(0.9, 0.9)), 6) == 0.473684
    assert round(float(rubinstein_share(0.9, 0.8)), 6) == 0.714286


@pytest.mark.parametrize(("interval", "expected", "digits"), [(1.0, 0.68319, 5),
                                                              (0.1, 0.66833, 5),
                                                              (0.001, 0.666683, 6)])  # fmt: skip
def test_check5_frequent_offers_limit(interval, expected, digits):
    r1, r2 = 0.05, 0.10
    share = float(rubinstein_share(math.exp(-r1 * interval), math.exp(-r2 * interval)))
    assert round(share, digits) == expected


def test_check5_limit_weight_is_two_thirds_and_approached():
    assert float(rubinstein_limit_weight(0.05, 0.10)) == pytest.approx(2.0 / 3.0, rel=1e-12)
    gaps = [
        abs(float(rubinstein_share(math.exp(-0.05 * d), math.exp(-0.10 * d))) - 2.0 / 3.0)
        for d in (1.0, 0.1, 0.01, 0.001)
    ]
    assert all(a > b for a, b in itertools.pairwise(gaps))
    assert gaps[-1] < 2e-5


def test_rubinstein_vectorised_and_validated():
    np.testing.assert_allclose(rubinstein_share([0.9, 0.9], [0.9, 0.8]), [0.1 / 0.19, 0.2 / 0.28])
    assert float(rubinstein_share(0.0, 0.0)) == 1.0  # impatient responder accepts anything
    with pytest.raises(ValueError, match="delta_proposer"):
        rubinstein_share(1.0, 0.5)
    with pytest.raises(ValueError, match="delta_responder"):
        rubinstein_share(0.5, -0.1)
    with pytest.raises(ValueError, match="r_1"):
        rubinstein_limit_weight(0.0, 0.1)
    with pytest.raises(ValueError, match="r_2"):
        rubinstein_limit_weight(0.1, -1.0)


# --- properties ----------------------------------------------------------------------------

money = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
weights = st.floats(min_value=0.0, max_value=1.0)


@settings(max_examples=200, deadline=None)
@given(surplus=money, d1=money, d2=money, w=weights)
def test_property_payoffs_sum_to_surplus_and_beat_disagreement(surplus, d1, d2, w):
    out = nash_bargain(surplus, (d1, d2), w)
    p1, p2 = float(out.payoff_1), float(out.payoff_2)
    tol = 1e-9 * (1.0 + abs(surplus) + abs(d1) + abs(d2))
    assert p1 >= d1 - tol and p2 >= d2 - tol
    if bool(out.agreement):
        assert p1 + p2 == pytest.approx(surplus, abs=tol)
        # the shares of the gains are the weights
        assert p1 - d1 == pytest.approx(w * (surplus - d1 - d2), abs=tol)
    else:
        assert (p1, p2) == (d1, d2)


@settings(max_examples=100, deadline=None)
@given(surplus=money, d1=money, d2=money, w=weights)
def test_property_swapping_players_mirrors_the_split(surplus, d1, d2, w):
    a = nash_bargain(surplus, (d1, d2), w)
    b = nash_bargain(surplus, (d2, d1), 1.0 - w)
    tol = 1e-9 * (1.0 + abs(surplus) + abs(d1) + abs(d2))
    assert float(a.payoff_1) == pytest.approx(float(b.payoff_2), abs=tol)
    assert float(a.payoff_2) == pytest.approx(float(b.payoff_1), abs=tol)


@settings(max_examples=100, deadline=None)
@given(dp=st.floats(0.0, 0.999), dr=st.floats(0.0, 0.999))
def test_property_rubinstein_share_in_unit_interval_and_first_mover_edge(dp, dr):
    share = float(rubinstein_share(dp, dr))
    assert 0.0 < share <= 1.0
    if dp == dr:  # equal patience: the proposer gets at least half
        assert share >= 0.5 - 1e-12
