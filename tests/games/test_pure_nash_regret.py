"""Pure Nash enumeration and max regret: reference games and hypothesis properties."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spacemarket.market.games import (
    deviation_payoffs,
    expected_payoffs,
    iterated_strict_dominance,
    max_regret,
    pure_nash_equilibria,
    pure_profile_regrets,
    regrets,
)


def test_bos_pure_equilibria(bos):
    eqs = bos.pure_nash_equilibria()
    assert [bos.label(e.pure_profile) for e in eqs] == [("T", "L"), ("B", "R")]
    assert [e.payoffs.tolist() for e in eqs] == [[3.0, 2.0], [2.0, 3.0]]
    assert all(e.max_regret == 0.0 and e.method == "pure enumeration" for e in eqs)


def test_matching_pennies_has_no_pure_equilibrium(pennies):
    assert pennies.pure_nash_equilibria() == []
    assert pure_profile_regrets(pennies.payoffs).max(axis=-1).tolist() == [[2.0, 2.0], [2.0, 2.0]]


def test_three_player_coordination_equilibria_and_regrets(coordination3):
    g = coordination3
    eqs = g.pure_nash_equilibria()
    assert [g.label(e.pure_profile) for e in eqs] == [("A", "A", "A"), ("B", "B", "B")]
    assert [e.payoffs.tolist() for e in eqs] == [[2.5, 2.5, 2.0], [2.0, 2.0, 2.5]]
    assert [e.max_regret for e in eqs] == [0.0, 0.0]
    # hand-checked regrets (conftest docstring)
    assert g.regrets([[1, 0], [1, 0], [0, 1]]).tolist() == [0.0, 0.0, 1.5]
    assert g.max_regret([[0.5, 0.5]] * 3) == pytest.approx(0.25, abs=1e-15)
    assert g.regrets([[0.5, 0.5]] * 3) == pytest.approx([0.25, 0.25, 0.25], abs=1e-15)
    # regret of every 2-1 split is positive
    reg = pure_profile_regrets(g.payoffs).max(axis=-1)
    for prof in itertools.product(range(2), repeat=3):
        assert (reg[prof] == 0.0) == (len(set(prof)) == 1)


def test_mckelvey_mclennan_pure_equilibria(mckelvey_mclennan):
    eqs = mckelvey_mclennan.pure_nash_equilibria()
    assert [e.pure_profile for e in eqs] == [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]


def test_tolerance_admits_near_ties_and_reports_regret():
    # column player gets 1 at L and 1 + 1e-4 at R against T: (T, L) is a 1e-4-equilibrium
    A = np.array([[2.0, 2.0], [0.0, 0.0]])
    B = np.array([[1.0, 1.0 + 1e-4], [0.0, 0.0]])
    u = np.stack([A, B], axis=-1)
    assert [e.pure_profile for e in pure_nash_equilibria(u)] == [(0, 1)]
    loose = pure_nash_equilibria(u, tol=1e-3)
    assert [e.pure_profile for e in loose] == [(0, 0), (0, 1)]
    assert loose[0].max_regret == pytest.approx(1e-4, rel=1e-9)
    assert loose[1].max_regret == 0.0


def test_expected_and_deviation_payoffs_bos(bos):
    x, y = [0.6, 0.4], [0.4, 0.6]
    assert expected_payoffs(bos.payoffs, [x, y]) == pytest.approx([1.2, 1.2], abs=1e-15)
    assert deviation_payoffs(bos.payoffs, [x, y], 0) == pytest.approx([1.2, 1.2], abs=1e-15)
    assert deviation_payoffs(bos.payoffs, [x, y], 1) == pytest.approx([1.2, 1.2], abs=1e-15)
    # row deviates to pure T against y = (1, 0): 3 - 1.8 = 1.2 regret at x = (0.6, 0.4)
    assert regrets(bos.payoffs, [x, [1.0, 0.0]]).tolist() == pytest.approx([1.2, 0.0])


@pytest.mark.parametrize(
    ("payoffs", "profile", "match"),
    [
        (np.zeros((2, 2, 3)), [[1, 0], [1, 0]], "last axis"),
        (np.zeros((2, 2, 2)), [[1, 0]], "needs 2 strategies"),
        (np.zeros((2, 2, 2)), [[0.7, 0.7], [1, 0]], "not a probability vector"),
        (np.zeros((2, 2, 2)), [[1, 0, 0], [1, 0]], "shape"),
        (np.full((2, 2, 2), np.nan), [[1, 0], [1, 0]], "finite"),
    ],
)
def test_invalid_inputs_raise(payoffs, profile, match):
    with pytest.raises(ValueError, match=match):
        max_regret(payoffs, profile)


# --- hypothesis properties ---------------------------------------------------------------

shapes = st.lists(st.integers(1, 3), min_size=2, max_size=3).map(tuple)


@st.composite
def games(draw):
    shape = draw(shapes)
    return draw(arrays(np.float64, (*shape, len(shape)), elements=st.integers(-5, 5).map(float)))


@settings(max_examples=60, deadline=None)
@given(u=games())
def test_reported_pure_equilibria_are_exactly_the_zero_regret_profiles(u):
    tol = 1e-9 * max(1.0, float(np.abs(u).max()))
    reported = {e.pure_profile: e for e in pure_nash_equilibria(u)}
    for e in reported.values():
        assert e.max_regret <= tol
    # independent check through the mixed-profile regret of one-hot profiles
    shape = u.shape[:-1]
    for prof in itertools.product(*(range(n) for n in shape)):
        onehot = [np.eye(n)[a] for n, a in zip(shape, prof, strict=True)]
        assert (max_regret(u, onehot) <= tol) == (prof in reported)


@settings(max_examples=60, deadline=None)
@given(u=games(), data=st.data())
def test_strictly_dominant_profile_is_the_unique_pure_equilibrium(u, data):
    shape = u.shape[:-1]
    dominant = tuple(data.draw(st.integers(0, n - 1)) for n in shape)
    bonus = float(np.ptp(u)) + 1.0
    u = u.copy()
    for i, d in enumerate(dominant):
        index = [slice(None)] * len(shape)
        index[i] = d
        u[(*index, i)] += bonus
    eqs = pure_nash_equilibria(u)
    assert [e.pure_profile for e in eqs] == [dominant]
    assert eqs[0].max_regret == 0.0
    dom = iterated_strict_dominance(u)
    assert dom.surviving == tuple((d,) for d in dominant)
    if any(n > 1 for n in shape):
        assert dom.rounds == 1
