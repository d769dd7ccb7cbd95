"""Iterated elimination of strictly dominated (pure) strategies in n-player games.

Algorithm: in each round, for every player ``i`` and every pair of its surviving actions
``(a, b)``, action ``a`` is *strictly dominated* by ``b`` if
``u_i(b, s_{-i}) > u_i(a, s_{-i}) + tol`` for every surviving opponent profile ``s_{-i}``.
All actions dominated at the start of a round are removed together, and rounds repeat until
nothing is dominated (Fudenberg & Tirole 1991, *Game Theory*, section 2.1; Osborne &
Rubinstein 1994, *A Course in Game Theory*, section 2.9). For strict dominance the surviving
set does not depend on the order of elimination, and no Nash equilibrium is ever removed; if
one profile survives it is the unique Nash equilibrium.

Only domination by another *pure* strategy is checked (domination by a mixed strategy, which
can remove more, would need a linear program per action); the result is therefore a superset
of the strategies surviving full iterated strict dominance.

Examples
--------
Prisoner's dilemma (action 0 = cooperate, 1 = defect): defection is dominant.

>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
>>> res = iterated_strict_dominance(np.stack([A, A.T], axis=-1))
>>> res.surviving, res.profile
(((1,), (1,)), (1, 1))
>>> [(e.round, e.player, e.action, e.dominated_by) for e in res.eliminations]
[(1, 0, 0, 1), (1, 1, 0, 1)]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ._arrays import PURE_RTOL, action_counts, as_payoff_array, resolve_tol

__all__ = ["DominanceResult", "Elimination", "iterated_strict_dominance"]


@dataclass(frozen=True)
class Elimination:
    """One eliminated action.

    Attributes
    ----------
    round : int
        Elimination round, starting at 1.
    player : int
        Player index.
    action : int
        Index of the eliminated action (in the original game).
    dominated_by : int
        The surviving action of the same player that dominates it by the widest margin.
    margin : float
        ``min_{s_{-i}} [u_i(dominated_by, s_{-i}) - u_i(action, s_{-i})]`` over the opponent
        profiles surviving at that round (payoff units, ``> tol``).
    """

    round: int
    player: int
    action: int
    dominated_by: int
    margin: float


@dataclass(frozen=True)
class DominanceResult:
    """Result of :func:`iterated_strict_dominance`.

    Attributes
    ----------
    surviving : tuple of tuple of int
        Surviving action indices of each player (original indexing, increasing).
    eliminations : tuple of Elimination
        Eliminated actions in elimination order (round, then player, then action).
    """

    surviving: tuple[tuple[int, ...], ...]
    eliminations: tuple[Elimination, ...]

    @property
    def solved(self) -> bool:
        """Whether the game is dominance solvable (one action left per player)."""
        return all(len(s) == 1 for s in self.surviving)

    @property
    def profile(self) -> tuple[int, ...] | None:
        """The surviving pure profile if the game is dominance solvable, else ``None``."""
        return tuple(s[0] for s in self.surviving) if self.solved else None

    @property
    def rounds(self) -> int:
        """Number of rounds in which something was eliminated."""
        return max((e.round for e in self.eliminations), default=0)


def iterated_strict_dominance(payoffs: object, tol: float | None = None) -> DominanceResult:
    """Iteratively remove pure strategies strictly dominated by another pure strategy.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    tol : float, optional
        Domination requires an advantage larger than ``tol`` against every surviving opponent
        profile (payoff units); default ``1e-9 * max|u|``. Near-ties therefore never
        eliminate anything.

    Returns
    -------
    DominanceResult
        Surviving actions and the elimination record.
    """
    arr = as_payoff_array(payoffs)
    tol = resolve_tol(arr, tol, PURE_RTOL)
    surviving = [list(range(n)) for n in action_counts(arr)]
    eliminations: list[Elimination] = []
    rnd = 0
    while True:
        rnd += 1
        sub = arr[np.ix_(*surviving)]
        found: list[Elimination] = []
        for i, acts in enumerate(surviving):
            if len(acts) < 2:
                continue
            u = np.moveaxis(sub[..., i], i, 0).reshape(len(acts), -1)
            # margin[b, a] = min over opponent profiles of u(b) - u(a)
            margin = (u[:, None, :] - u[None, :, :]).min(axis=-1)
            for a in range(len(acts)):
                b = int(np.argmax(margin[:, a]))
                if margin[b, a] > tol:
                    found.append(Elimination(rnd, i, acts[a], acts[b], float(margin[b, a])))
        if not found:
            break
        eliminations.extend(found)
        for e in found:
            surviving[e.player].remove(e.action)
    return DominanceResult(tuple(tuple(s) for s in surviving), tuple(eliminations))
