"""Pure-strategy Nash equilibria of n-player normal-form games by exhaustive enumeration.

Algorithm: for every player ``i`` compute, at every pure profile at once, the regret
``max_{a_i'} u_i(a_i', a_{-i}) - u_i(a)`` (a maximum along axis ``i`` of the payoff array);
a profile is a pure Nash equilibrium iff every player's regret is at most ``tol``. This is the
brute-force method of QuantEcon's ``pure_nash_brute`` and Gambit's ``enumpure`` (McKelvey,
McLennan & Turocy, *Gambit: Software Tools for Game Theory*), vectorised over the
``prod(n_i)`` profiles: it finds *all* pure equilibria, which is cheap for the small structure
games of this project (<= 4 players x 4 actions = 256 profiles).

Ties: with ``tol > 0`` a profile where some player is indifferent up to ``tol`` between its
action and a deviation counts as an equilibrium (an ``epsilon``-equilibrium with
``epsilon = tol``); its reported ``max_regret`` shows how far from exact it is. The default
``tol`` is ``1e-9 * max|u|``, which only absorbs floating-point noise; simulated payoffs with
Monte-Carlo noise call for a larger, explicit ``tol`` (e.g. a standard error).

Examples
--------
Battle of the sexes has two pure equilibria, (T, L) and (B, R):

>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [0.0, 2.0]]); B = np.array([[2.0, 0.0], [0.0, 3.0]])
>>> [eq.pure_profile for eq in pure_nash_equilibria(np.stack([A, B], axis=-1))]
[(0, 0), (1, 1)]
"""

from __future__ import annotations

import numpy as np

from spacemarket.market.games._arrays import PURE_RTOL, as_payoff_array, pure_to_mixed, resolve_tol
from spacemarket.market.games.equilibrium import Equilibrium

__all__ = ["pure_nash_equilibria", "pure_profile_regrets"]


def pure_profile_regrets(payoffs: object) -> np.ndarray:
    """Every player's regret at every pure profile.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.

    Returns
    -------
    numpy.ndarray, shape (n_1, ..., n_k, k)
        ``out[a, i] = max_{b_i} u_i(b_i, a_{-i}) - u_i(a)`` (>= 0, payoff units).
    """
    arr = as_payoff_array(payoffs)
    k = arr.shape[-1]
    out = np.empty_like(arr)
    for i in range(k):
        u = arr[..., i]
        out[..., i] = u.max(axis=i, keepdims=True) - u
    return out


def pure_nash_equilibria(payoffs: object, tol: float | None = None) -> list[Equilibrium]:
    """All pure-strategy Nash equilibria (within ``tol``), in lexicographic profile order.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    tol : float, optional
        A profile is accepted when no player gains more than ``tol`` by deviating (payoff
        units). Default ``1e-9 * max|u|``.

    Returns
    -------
    list of Equilibrium
        One per equilibrium, each with one-hot strategies, payoffs and max regret
        (``<= tol``); empty if the game has no pure equilibrium.
    """
    arr = as_payoff_array(payoffs)
    tol = resolve_tol(arr, tol, PURE_RTOL)
    reg = pure_profile_regrets(arr)
    mask = np.all(reg <= tol, axis=-1)
    shape = arr.shape[:-1]
    return [
        Equilibrium.from_profile(
            arr, pure_to_mixed(tuple(int(a) for a in idx), shape), "pure enumeration"
        )
        for idx in np.argwhere(mask)
    ]
