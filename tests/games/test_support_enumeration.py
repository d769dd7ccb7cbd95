"""Two-player support enumeration against hand-computed equilibria and nashpy 0.0.43."""

from __future__ import annotations

import nashpy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.market.games import NormalFormGame, support_enumeration


def _as_sorted(pairs):
    return sorted(tuple(np.round(np.concatenate(p), 8)) for p in pairs)


def _ours(game):
    return [eq.strategies for eq in support_enumeration(game)]


def _nashpy(A, B):
    return list(nashpy.Game(A, B).support_enumeration())


def _nashpy_vertex(A, B):
    return list(nashpy.Game(A, B).vertex_enumeration())


def test_battle_of_the_sexes_check7(bos):
    eqs = bos.support_enumeration()
    assert len(eqs) == 3
    pure = [e for e in eqs if e.is_pure]
    assert [bos.label(e.pure_profile) for e in pure] == [("T", "L"), ("B", "R")]
    (mixed,) = [e for e in eqs if not e.is_pure]
    assert mixed.strategies[0] == pytest.approx([3 / 5, 2 / 5], abs=1e-12)
    assert mixed.strategies[1] == pytest.approx([2 / 5, 3 / 5], abs=1e-12)
    assert mixed.payoffs == pytest.approx([6 / 5, 6 / 5], abs=1e-12)
    assert all(e.max_regret <= 1e-12 for e in eqs)
    A, B = bos.payoffs[..., 0], bos.payoffs[..., 1]
    assert _as_sorted(e.strategies for e in eqs) == _as_sorted(_nashpy(A, B))


def test_matching_pennies_unique_mixed_value_zero_check8(pennies):
    (eq,) = pennies.support_enumeration()
    assert eq.strategies[0] == pytest.approx([0.5, 0.5], abs=1e-12)
    assert eq.strategies[1] == pytest.approx([0.5, 0.5], abs=1e-12)
    assert eq.payoffs == pytest.approx([0.0, 0.0], abs=1e-12)
    A, B = pennies.payoffs[..., 0], pennies.payoffs[..., 1]
    assert _as_sorted([eq.strategies]) == _as_sorted(_nashpy(A, B))


def test_von_stengel_3x2_reference():
    """von Stengel (2007, AGT ch. 3) 3x2 game, also QuantEcon's reference test: 3 equilibria."""
    A = np.array([[3.0, 3.0], [2.0, 5.0], [0.0, 6.0]])
    B = np.array([[3.0, 2.0], [2.0, 6.0], [3.0, 1.0]])
    eqs = support_enumeration(np.stack([A, B], axis=-1))
    expected = [
        ([1.0, 0.0, 0.0], [1.0, 0.0]),
        ([0.8, 0.2, 0.0], [2 / 3, 1 / 3]),
        ([0.0, 1 / 3, 2 / 3], [1 / 3, 2 / 3]),
    ]
    assert _as_sorted(e.strategies for e in eqs) == _as_sorted(expected)
    assert _as_sorted(e.strategies for e in eqs) == _as_sorted(_nashpy(A, B))


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), m=st.integers(2, 4), n=st.integers(2, 4))
def test_random_nondegenerate_games_match_nashpy_vertex_enumeration(seed, m, n):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(m, n)), rng.normal(size=(m, n))  # nondegenerate with probability 1
    ours = support_enumeration(np.stack([A, B], axis=-1))
    assert all(e.max_regret <= 1e-8 for e in ours)
    assert len(ours) % 2 == 1  # nondegenerate games have an odd number of equilibria
    assert _as_sorted(e.strategies for e in ours) == _as_sorted(_nashpy_vertex(A, B))


def test_finds_equilibrium_nashpy_support_enumeration_misses():
    """nashpy 0.0.43 ``support_enumeration`` (tol 1e-16) returns 2 of the 3 equilibria of this
    random 3x4 game, with its "even number" warning; vertex enumeration (and pygambit's
    enummixed) give all 3, as does ours."""
    rng = np.random.default_rng(1)
    A, B = rng.normal(size=(3, 4)), rng.normal(size=(3, 4))
    ours = _as_sorted(e.strategies for e in support_enumeration(np.stack([A, B], axis=-1)))
    assert len(ours) == 3
    assert ours == _as_sorted(_nashpy_vertex(A, B))
    with pytest.warns(RuntimeWarning, match="even number"):
        theirs = _as_sorted(_nashpy(A, B))
    assert len(theirs) == 2 and set(theirs) < set(ours)


def test_degenerate_game_unequal_supports_found_by_lp_pass():
    """Row's T strictly dominates; Col is indifferent after T, so every y is a best reply to T.

    The equilibria are (T, y) for all y; the equal-size pass finds the vertices (T, L) and
    (T, R); the LP pass runs because of the tie and must not add a non-equilibrium.
    """
    A = np.array([[1.0, 1.0], [0.0, 0.0]])
    B = np.array([[1.0, 1.0], [0.0, 2.0]])
    eqs = support_enumeration(np.stack([A, B], axis=-1))
    assert sorted(e.pure_profile for e in eqs) == [(0, 0), (0, 1)]
    assert all(e.max_regret == 0.0 for e in eqs)


def test_singular_support_system_triggers_the_lp_pass():
    """Row coordinates (A = I), Col is indifferent everywhere (B = 0).

    Equilibria: (T, y) with y_L >= 1/2, (B, y) with y_L <= 1/2, and (x, (1/2, 1/2)) for
    every x. The equal-size pass finds (T, L) and (B, R), but the 2x2 system for Col's
    indifference is singular, so it cannot produce any profile with y = (1/2, 1/2); the LP
    pass (triggered by that singularity) must.
    """
    u = np.stack([np.eye(2), np.zeros((2, 2))], axis=-1)
    square_only = support_enumeration(u, degenerate=False)
    assert sorted(e.pure_profile for e in square_only) == [(0, 0), (1, 1)]
    full = support_enumeration(u)
    assert all(e.max_regret == 0.0 for e in full)
    assert len(full) > len(square_only)
    assert any(np.allclose(e.strategies[1], [0.5, 0.5]) for e in full)
    for e in full:  # every point lies in one of the three components
        x, y = e.strategies
        assert (
            np.isclose(y[0], 0.5) or (x[0] == 1.0 and y[0] >= 0.5) or (x[1] == 1.0 and y[0] <= 0.5)
        )


def test_support_enumeration_rejects_three_players(coordination3):
    with pytest.raises(ValueError, match="two-player"):
        coordination3.support_enumeration()


def test_facade_uses_names(bos):
    eq = bos.support_enumeration()[2]
    assert bos.describe(eq) == "Row: T 0.6 + B 0.4; Col: L 0.4 + R 0.6"
    assert isinstance(bos, NormalFormGame)
