"""The contracts stage's inner solvers: shadow prices (quasi-Newton, Gauss-Seidel) and the warm
started Nash price."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.special import expit

from spacemarket.market.economics.launch_bargain import LaunchBuyers, nash_price
from spacemarket.market.economics.launch_shadow import gauss_seidel, projected_newton


def _buyers(n: int, fixed: np.ndarray, dispersion: float = 0.05) -> LaunchBuyers:
    return LaunchBuyers(
        added_kw=np.full(n, 1e3), interest=np.ones(n), orbital_fixed_usd_per_kw_year=fixed,
        ground_usd_per_kw_year=100.0, slope_per_usd_per_kg=1.0, dispersion=dispersion,
        kg_per_kw=1.0, pv_factor=1.0,
    )  # fmt: skip


def test_quasi_newton_solves_a_coupled_system_by_hand():
    """Two sellers whose demands fall in their own price and rise in the other's (substitutes):
    ``1 - x1/10 + x2/40 = 0`` and ``1 - x2/20 + x1/40 = 0`` give, by hand,
    ``x1 = 10 + x2 / 4`` and ``x2 (1/20 - 1/160) = 5/4``: ``x1 = 120/7``, ``x2 = 200/7``."""
    calls = []

    def excess(x):
        calls.append(x.copy())
        return np.array([1 - x[0] / 10 + x[1] / 40, 1 - x[1] / 20 + x[0] / 40])

    x, ok = projected_newton(excess, np.array([0.0, 0.0]))
    assert ok
    assert x == pytest.approx([120 / 7, 200 / 7], rel=1e-9)
    # linear: one differenced Jacobian (2 evaluations) and one exact step
    assert len(calls) <= 5


def test_quasi_newton_reports_no_root_as_not_solved():
    """Demand exceeds capacity at every non-negative shadow price: an explicit failure, with
    the projected point, not a silent NaN."""
    x, ok = projected_newton(lambda x: 1.0 + 0.0 * x, np.array([3.0]))
    assert not ok and np.isfinite(x).all() and (x >= 0).all()


def test_quasi_newton_solves_a_logit_clearing_in_closed_form():
    """A nonlinear clearing (logit demand against capacity 0.3): the shadow price where
    ``1 / (1 + exp((x - 50) / 5)) = 0.3`` is ``50 + 5 log(7/3)``, in closed form."""
    x, ok = projected_newton(lambda x: expit(-(x - 50) / 5) - 0.3, np.array([45.0]))
    assert ok and x[0] == pytest.approx(50 + 5 * np.log(7 / 3), rel=1e-9)


def test_gauss_seidel_clears_each_seller_in_turn():
    """The robust path: the same coupled system as above, seller by seller."""
    cap = np.array([0.0, 0.0])

    def assigned(lam, cols):
        x1, x2 = lam
        out = np.array([1 - x1 / 10 + x2 / 40, 1 - x2 / 20 + x1 / 40])
        return out[list(cols)]

    lam = gauss_seidel(np.zeros(2), [0, 1], assigned, cap)
    assert lam == pytest.approx([120 / 7, 200 / 7], rel=1e-6)


@settings(max_examples=40, deadline=None)
@given(
    fixed=st.lists(st.floats(-60.0, 60.0), min_size=1, max_size=6),
    cost=st.floats(0.0, 80.0),
    weight=st.floats(0.05, 0.95),
    alt=st.floats(0.0, 20.0),
    shift=st.floats(-0.5, 0.5),
)
def test_a_warm_start_does_not_change_the_nash_price(fixed, cost, weight, alt, shift):
    """The guess is a starting point, never a constraint: from any guess (near, far, outside
    the bracket, NaN) the price equals the cold solve's to 1e-10."""
    n = len(fixed)
    b = _buyers(n, np.array(fixed))
    i, o = np.arange(n), np.full(n, cost)
    w8, a = np.full(n, weight), np.full(n, alt)
    cold = nash_price(b, i, o, w8, a)
    for guess in (cold * (1 + shift), cold + 1e3, np.full(n, np.nan), o - 1.0):
        warm = nash_price(b, i, o, w8, a, guess=guess)
        assert warm == pytest.approx(cold, rel=1e-10, abs=1e-9)


def test_an_edge_price_does_not_depend_on_the_other_edges_in_the_call():
    """Each edge iterates until its own step settles: solving it alone or among others gives
    the same bits."""
    b = _buyers(4, np.array([-40.0, -10.0, 0.0, 30.0]))
    i, o, w8 = np.arange(4), np.array([10.0, 20.0, 5.0, 1.0]), np.full(4, 0.5)
    together = nash_price(b, i, o, w8)
    alone = np.array([nash_price(b, i[k : k + 1], o[k : k + 1], w8[k : k + 1])[0]
                      for k in range(4)])  # fmt: skip
    assert np.array_equal(together, alone)
