"""Reference games with hand-checked equilibria (gametheory.md section 3, checks 7 and 8)."""

from __future__ import annotations

import numpy as np
import pytest

from spacemarket.market.games import NormalFormGame


def stack(*matrices) -> np.ndarray:
    return np.stack([np.asarray(m, dtype=float) for m in matrices], axis=-1)


@pytest.fixture
def bos() -> NormalFormGame:
    """Battle of the sexes, check 7: A = [[3,0],[0,2]], B = [[2,0],[0,3]]."""
    return NormalFormGame.from_bimatrix(
        [[3, 0], [0, 2]],
        [[2, 0], [0, 3]],
        player_names=("Row", "Col"),
        action_names=(("T", "B"), ("L", "R")),
    )


@pytest.fixture
def pennies() -> NormalFormGame:
    """Matching pennies, check 8: A = [[1,-1],[-1,1]] = -B."""
    A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    return NormalFormGame.from_bimatrix(A, -A, action_names=(("H", "T"), ("H", "T")))


@pytest.fixture
def prisoners() -> NormalFormGame:
    """Prisoner's dilemma: T=5 > R=3 > P=1 > S=0."""
    A = np.array([[3.0, 0.0], [5.0, 1.0]])
    return NormalFormGame.from_bimatrix(A, A.T, action_names=(("C", "D"), ("C", "D")))


@pytest.fixture
def coordination3() -> NormalFormGame:
    """Three firms pick a standard A or B.

    u_i = number of *other* firms on the same standard, plus 0.5 if firm i is on its
    favourite standard (A for firms 0 and 1, B for firm 2).

    Hand check: at AAA and BBB every firm matches two others (2 or 2.5) and a deviation gives
    at most 0 + 0.5, so both are equilibria. In any 2-1 split the lone firm gets at most 0.5
    and gains 2 (or 1.5) by joining the others, so no other profile is an equilibrium.
    Regrets: at (A, A, B) firm 2 gets 0.5, joining gives 2, regret 1.5; firms 0 and 1 get 1.5
    and would get 1 by switching, regret 0. At the uniform mixed profile each firm expects
    one match whatever it plays, so its regret is the bonus it misses half the time: 0.25.
    """
    favourite = (0, 0, 1)
    u = np.zeros((2, 2, 2, 3))
    for prof in np.ndindex(2, 2, 2):
        for i in range(3):
            matches = sum(prof[j] == prof[i] for j in range(3) if j != i)
            u[(*prof, i)] = matches + (0.5 if prof[i] == favourite[i] else 0.0)
    return NormalFormGame(
        u, player_names=("F0", "F1", "F2"), action_names=(("A", "B"),) * 3, title="standards"
    )


@pytest.fixture
def mckelvey_mclennan() -> NormalFormGame:
    """McKelvey & McLennan's 2x2x2 game with 9 equilibria (Gambit's contrib 2x2x2.nfg).

    Hand check of the pure equilibria: (1,1,1) [all first actions] pays (9,8,12) and every
    deviation pays 0; (2,2,1) pays (9,8,2), deviations 0; (2,1,2) and (1,2,2) pay (3,4,6),
    deviations 0. Every other profile pays 0 to someone who can get 3 or more by deviating.
    """
    u = np.zeros((2, 2, 2, 3))
    u[0, 0, 0] = (9, 8, 12)
    u[1, 1, 0] = (9, 8, 2)
    u[1, 0, 1] = (3, 4, 6)
    u[0, 1, 1] = (3, 4, 6)
    return NormalFormGame(u, title="McKelvey-McLennan 2x2x2")
