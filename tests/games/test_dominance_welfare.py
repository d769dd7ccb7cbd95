"""Iterated strict dominance, welfare maximization and the Pareto set."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spacemarket.market.games import (
    NormalFormGame,
    iterated_strict_dominance,
    pareto_set,
    pure_nash_equilibria,
    welfare,
    welfare_maximizers,
)


def test_prisoners_dilemma_iterated_dominance_leaves_defect_defect(prisoners):
    res = prisoners.iterated_strict_dominance()
    assert res.solved and prisoners.label(res.profile) == ("D", "D")
    assert [(e.round, e.player, e.action, e.dominated_by, e.margin) for e in res.eliminations] == [
        (1, 0, 0, 1, 1.0),
        (1, 1, 0, 1, 1.0),
    ]
    assert [e.pure_profile for e in prisoners.pure_nash_equilibria()] == [res.profile]


def test_elimination_order_takes_four_rounds():
    """Row: U, M, D; Col: L, C, R; every step checked by hand, each with margin 1.

    Round 1: R is dominated by C (2>1, 2>1, 4>3); no row is dominated while R is there
    (D beats M at R). Round 2: without R, D is dominated by M (3>2, 2>1); L vs C is still
    undecided because of row D. Round 3: without D, C is dominated by L (3>2, 3>2).
    Round 4: against L alone, M (3) is dominated by U (4). Survivor: (U, L).
    """
    A = np.array([[4.0, 1.0, 0.0],  # U
                  [3.0, 2.0, 1.0],  # M
                  [2.0, 1.0, 5.0]])  # D  # fmt: skip
    B = np.array([[3.0, 2.0, 1.0],
                  [3.0, 2.0, 1.0],
                  [0.0, 4.0, 3.0]])  # fmt: skip
    game = NormalFormGame.from_bimatrix(A, B, action_names=(("U", "M", "D"), ("L", "C", "R")))
    res = game.iterated_strict_dominance()
    steps = [
        (e.round, game.player_names[e.player], game.action_names[e.player][e.action],
         game.action_names[e.player][e.dominated_by], e.margin)
        for e in res.eliminations
    ]  # fmt: skip
    assert steps == [
        (1, "P2", "R", "C", 1.0),
        (2, "P1", "D", "M", 1.0),
        (3, "P2", "C", "L", 1.0),
        (4, "P1", "M", "U", 1.0),
    ]
    assert game.label(res.profile) == ("U", "L")
    assert [e.pure_profile for e in game.pure_nash_equilibria()] == [(0, 0)]


def test_ties_are_not_strict_dominance():
    A = np.array([[1.0, 2.0], [1.0, 3.0]])  # row 1 weakly (not strictly) dominates row 0
    Z = np.zeros((2, 2))  # the column player is indifferent: nothing to eliminate there
    res = iterated_strict_dominance(np.stack([A, Z], axis=-1))
    assert res.surviving[0] == (0, 1)
    assert not res.solved and res.profile is None
    # a margin below tol does not count either
    A2 = np.array([[1.0, 2.0], [1.0 + 1e-6, 3.0]])  # strict, by a margin of 1e-6
    assert iterated_strict_dominance(np.stack([A2, Z], axis=-1), tol=1e-5).surviving[0] == (0, 1)
    assert iterated_strict_dominance(np.stack([A2, Z], axis=-1), tol=1e-7).surviving[0] == (1,)


def test_matching_pennies_nothing_dominated(pennies):
    res = pennies.iterated_strict_dominance()
    assert res.eliminations == () and res.surviving == ((0, 1), (0, 1)) and res.rounds == 0


@settings(max_examples=60, deadline=None)
@given(u=arrays(np.float64, (3, 3, 2), elements=st.integers(-4, 4).map(float)))
def test_dominance_never_removes_a_pure_equilibrium(u):
    res = iterated_strict_dominance(u)
    for eq in pure_nash_equilibria(u):
        assert all(a in s for a, s in zip(eq.pure_profile, res.surviving, strict=True))
    assert all(len(s) >= 1 for s in res.surviving)


def test_prisoners_dilemma_welfare_and_pareto(prisoners):
    opt = prisoners.welfare_maximizers()
    assert opt.profiles == ((0, 0),) and opt.welfare == 6.0
    assert prisoners.pareto_set() == ((0, 0), (0, 1), (1, 0))
    assert (1, 1) not in prisoners.pareto_set()  # the equilibrium is Pareto-dominated


def test_weighted_welfare_and_ties(bos):
    assert bos.welfare_maximizers().profiles == ((0, 0), (1, 1))
    assert bos.welfare_maximizers(weights=[2.0, 1.0]).profiles == ((0, 0),)
    assert bos.welfare_maximizers(weights=[0.0, 1.0]).welfare == 3.0
    assert welfare(bos.payoffs, [1.0, 1.0]).tolist() == [[5.0, 0.0], [0.0, 5.0]]
    with pytest.raises(ValueError, match="weights"):
        bos.welfare_maximizers(weights=[-1.0, 1.0])
    with pytest.raises(ValueError, match="weights"):
        bos.welfare_maximizers(weights=[0.0, 0.0])


def test_pareto_near_ties_within_tol():
    u = np.zeros((2, 1, 2))
    u[0, 0] = (1.0, 1.0)
    u[1, 0] = (1.0 + 1e-12, 1.0)  # improves player 0 by less than tol
    assert pareto_set(u) == ((0, 0), (1, 0))
    assert pareto_set(u, tol=0.0) == ((1, 0),)


@settings(max_examples=60, deadline=None)
@given(u=arrays(np.float64, (2, 3, 2, 3), elements=st.integers(0, 3).map(float)))
def test_pareto_set_is_nonempty_undominated_and_contains_welfare_max(u):
    front = pareto_set(u)
    assert front
    flat = {p: u[p] for p in np.ndindex(u.shape[:-1])}
    for p in front:
        assert not any(np.all(v >= flat[p]) and np.any(v > flat[p]) for v in flat.values())
    for p in set(flat) - set(front):
        assert any(np.all(v >= flat[p]) and np.any(v > flat[p]) for v in flat.values())
    assert set(welfare_maximizers(u, tol=0.0).profiles) <= set(front)
