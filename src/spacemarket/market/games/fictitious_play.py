"""Fictitious play in n-player normal-form games (Brown 1951; Robinson 1951).

Algorithm (Brown 1951, "Iterative solution of games by fictitious play", in *Activity Analysis
of Production and Allocation*; Fudenberg & Levine 1998, *The Theory of Learning in Games*,
ch. 2): each round every player forms a belief about each opponent - that opponent's
empirical frequency of past play (plus optional prior counts) - and plays a pure best
response to the product of those beliefs; ties between best responses (within ``tol``) are
broken uniformly at random with ``rng``. All players move simultaneously. The reported
mixed profile is the empirical frequency of play.

Convergence of the frequencies to a Nash equilibrium holds in two-player zero-sum games
(Robinson 1951, *Annals of Mathematics* 54(2)), 2x2 games (Miyasawa 1961) and potential games
(Monderer & Shapley 1996) but not in general (Shapley's 1964 3x3 game cycles). In matching
pennies the frequencies approach (1/2, 1/2) slowly (within about 0.01 after 10^4 rounds).

Examples
--------
>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [5.0, 1.0]])          # prisoner's dilemma
>>> res = fictitious_play(np.stack([A, A.T], axis=-1), rounds=200, rng=0)
>>> res.reached
(1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spacemarket.market.games._arrays import PURE_RTOL, action_counts, as_payoff_array, resolve_tol
from spacemarket.market.games.learning import (
    LearningResult,
    check_reach_tol,
    check_rounds,
    reached_profile,
)
from spacemarket.market.games.regret import deviation_payoffs_unchecked

__all__ = ["fictitious_play"]


def fictitious_play(
    payoffs: object,
    rounds: int = 1000,
    rng: np.random.Generator | int | None = None,
    *,
    initial_counts: Sequence[object] | None = None,
    tol: float | None = None,
    reach_tol: float = 0.05,
) -> LearningResult:
    """Run discrete-time fictitious play for ``rounds`` rounds.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    rounds : int, default 1000
        Number of rounds (seasons).
    rng : numpy.random.Generator or int, optional
        Breaks ties between best responses (``numpy.random.default_rng(rng)``).
    initial_counts : sequence of k array_like, optional
        Prior counts of each player's actions, shapes ``(n_i,)``, non-negative; default all
        zeros (a player with no history is believed to mix uniformly).
    tol : float, optional
        Actions within ``tol`` of the best expected payoff are tied best responses; default
        ``1e-9 * max|u|``.
    reach_tol : float, default 0.05
        See :func:`~spacemarket.market.games.learning.reached_profile`.

    Returns
    -------
    LearningResult
        ``trajectory[i][t]`` is player ``i``'s empirical frequency after ``t`` rounds (row 0:
        the normalized prior, uniform if none); ``actions[t]`` the profile played in round
        ``t + 1``.
    """
    arr = as_payoff_array(payoffs)
    shape = action_counts(arr)
    rounds, reach_tol = check_rounds(rounds), check_reach_tol(reach_tol)
    tol = resolve_tol(arr, tol, PURE_RTOL)
    gen = np.random.default_rng(rng)
    if initial_counts is None:
        counts = [np.zeros(n) for n in shape]
    else:
        counts = [np.array(c, dtype=float).reshape(-1) for c in initial_counts]
        if [c.size for c in counts] != list(shape) or any(np.any(c < 0) for c in counts):
            raise ValueError(f"initial_counts must be non-negative vectors of lengths {shape}")

    def freqs() -> list[np.ndarray]:
        return [c / c.sum() if c.sum() > 0 else np.full(c.size, 1.0 / c.size) for c in counts]

    traj = [np.empty((rounds + 1, n)) for n in shape]
    for i, f in enumerate(freqs()):
        traj[i][0] = f
    actions = np.empty((rounds, len(shape)), dtype=int)
    for t in range(rounds):
        beliefs = freqs()
        for i in range(len(shape)):
            dev = deviation_payoffs_unchecked(arr, beliefs, i)
            best = np.flatnonzero(dev >= dev.max() - tol)
            actions[t, i] = best[0] if best.size == 1 else gen.choice(best)
        for i, a in enumerate(actions[t]):
            counts[i][a] += 1.0
        for i, f in enumerate(freqs()):
            traj[i][t + 1] = f
    final = tuple(x[-1].copy() for x in traj)
    return LearningResult(
        method="fictitious play",
        trajectory=tuple(traj),
        final=final,
        reached=reached_profile(final, reach_tol),
        actions=actions,
        reach_tol=reach_tol,
        parameters={"rounds": rounds, "tol": tol, "initial_counts": initial_counts},
    )
