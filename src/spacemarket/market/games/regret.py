"""Expected payoffs, deviation payoffs and regret of mixed profiles in n-player games.

For a mixed profile ``sigma = (sigma_1, ..., sigma_k)`` player ``i``'s *regret* is the most
it could gain by a unilateral deviation,

    ``r_i(sigma) = max_{a_i} u_i(a_i, sigma_{-i}) - u_i(sigma)  >= 0``,

and the profile's *max regret* is ``max_i r_i(sigma)``. A profile is a Nash equilibrium iff its
max regret is zero and an ``epsilon``-equilibrium iff it is at most ``epsilon`` (Nisan,
Roughgarden, Tardos & Vazirani 2007, *Algorithmic Game Theory*, ch. 2-3; the same quantity as
Gambit's ``MixedStrategyProfile.max_regret``). Every equilibrium this package reports carries
its max regret, computed here, so a solver's claim is never taken on trust (gambit#492: the
logit tracer of pygambit 16.x can return a non-equilibrium without a failure flag).

Examples
--------
Matching pennies: the uniform profile has no regret, a pure profile has regret 2.

>>> import numpy as np
>>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
>>> payoffs = np.stack([A, -A], axis=-1)
>>> float(max_regret(payoffs, [[0.5, 0.5], [0.5, 0.5]]))
0.0
>>> regrets(payoffs, [[1.0, 0.0], [1.0, 0.0]]).tolist()
[0.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spacemarket.market.games._arrays import action_counts, as_mixed_profile, as_payoff_array

__all__ = ["deviation_payoffs", "expected_payoffs", "max_regret", "regrets"]


def deviation_payoffs_unchecked(
    payoffs: np.ndarray, strategies: Sequence[np.ndarray], i: int
) -> np.ndarray:
    """``u_i(a_i, sigma_{-i})`` for every action ``a_i`` (no validation)."""
    u = np.moveaxis(payoffs[..., i], i, 0)
    for j, x in enumerate(strategies):
        if j != i:
            u = np.tensordot(u, x, axes=([1], [0]))
    return u


def _expected_payoffs(payoffs: np.ndarray, strategies: Sequence[np.ndarray]) -> np.ndarray:
    u = payoffs
    for x in strategies:
        u = np.tensordot(x, u, axes=([0], [0]))
    return u


def deviation_payoffs(payoffs: object, strategies: Sequence[object], player: int) -> np.ndarray:
    """Payoff of each pure action of ``player`` against the others' mixed strategies.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    strategies : sequence of k array_like
        Mixed profile; ``strategies[j]`` has shape ``(n_j,)``. ``strategies[player]`` is
        validated but not used.
    player : int
        Index ``i`` of the deviating player.

    Returns
    -------
    numpy.ndarray, shape (n_i,)
        ``u_i(a_i, sigma_{-i})`` for ``a_i = 0, ..., n_i - 1``.
    """
    arr = as_payoff_array(payoffs)
    shape = action_counts(arr)
    if not 0 <= player < len(shape):
        raise ValueError(f"player must be in 0..{len(shape) - 1}, got {player}")
    return deviation_payoffs_unchecked(arr, as_mixed_profile(strategies, shape), player)


def expected_payoffs(payoffs: object, strategies: Sequence[object]) -> np.ndarray:
    """Expected payoff of every player under a mixed profile.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    strategies : sequence of k array_like
        Mixed profile; ``strategies[i]`` has shape ``(n_i,)``.

    Returns
    -------
    numpy.ndarray, shape (k,)
        ``u_i(sigma)`` for every player ``i``.
    """
    arr = as_payoff_array(payoffs)
    return _expected_payoffs(arr, as_mixed_profile(strategies, action_counts(arr)))


def _regrets(payoffs: np.ndarray, strategies: Sequence[np.ndarray]) -> np.ndarray:
    out = np.empty(len(strategies))
    for i, x in enumerate(strategies):
        dev = deviation_payoffs_unchecked(payoffs, strategies, i)
        out[i] = max(float(dev.max() - x @ dev), 0.0)
    return out


def regrets(payoffs: object, strategies: Sequence[object]) -> np.ndarray:
    """Each player's regret (best unilateral deviation gain) at a mixed profile.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    strategies : sequence of k array_like
        Mixed profile; ``strategies[i]`` has shape ``(n_i,)``. A pure profile is passed as
        one-hot vectors.

    Returns
    -------
    numpy.ndarray, shape (k,)
        ``r_i = max_a u_i(a, sigma_{-i}) - u_i(sigma)``, clipped at zero against rounding;
        same unit as the payoffs.
    """
    arr = as_payoff_array(payoffs)
    return _regrets(arr, as_mixed_profile(strategies, action_counts(arr)))


def max_regret(payoffs: object, strategies: Sequence[object]) -> float:
    """Max regret ``max_i r_i(sigma)`` of a mixed profile (0 exactly at a Nash equilibrium).

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    strategies : sequence of k array_like
        Mixed profile; ``strategies[i]`` has shape ``(n_i,)``.

    Returns
    -------
    float
        The largest gain any single player can obtain by deviating; payoff units.
    """
    return float(regrets(payoffs, strategies).max())
