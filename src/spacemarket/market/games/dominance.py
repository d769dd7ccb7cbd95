"""Iterated elimination of strictly dominated (pure) strategies in n-player games.

Algorithm: in each round, for every player ``i`` and every pair of its surviving actions
``(a, b)``, action ``a`` is *strictly dominated* by ``b`` if
``u_i(b, s_{-i}) > u_i(a, s_{-i}) + tol`` for every surviving opponent profile ``s_{-i}``.
All actions dominated at the start of a round are removed together, and rounds repeat until
nothing is dominated (Fudenberg & Tirole 1991, *Game Theory*, section 2.1; Osborne &
Rubinstein 1994, *A Course in Game Theory*, section 2.9). For strict dominance the surviving
set does not depend on the order of elimination, and no Nash equilibrium is ever removed; if
one profile survives it is the unique Nash equilibrium.

:func:`iterated_weak_dominance` removes *weakly* dominated actions instead: ``a`` is weakly
dominated by ``b`` if ``u_i(b, s_{-i}) >= u_i(a, s_{-i}) - tol`` for every surviving opponent
profile and ``> u_i(a, s_{-i}) + tol`` for at least one. All weakly dominated actions of a
round go together; unlike strict dominance the result can depend on the order of elimination
and can remove Nash equilibria (though never all of them), so it is reported beside, not
instead of, strict dominance (Fudenberg & Tirole 1991, section 2.1; Samuelson 1992,
*Games and Economic Behavior* 4).

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

from spacemarket.market.games._arrays import PURE_RTOL, action_counts, as_payoff_array, resolve_tol

__all__ = ["DominanceResult", "Elimination", "iterated_strict_dominance", "iterated_weak_dominance"]


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
        profiles surviving at that round (payoff units; ``> tol`` for strict dominance,
        ``>= -tol`` for weak dominance).
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

    def surviving_before(self, round_: int) -> tuple[tuple[int, ...], ...]:
        """Actions of each player still in play at the start of round ``round_``."""
        gone = {(e.player, e.action) for e in self.eliminations if e.round < round_}
        every = [sorted({*s, *(e.action for e in self.eliminations if e.player == i)})
                 for i, s in enumerate(self.surviving)]  # fmt: skip
        return tuple(tuple(a for a in acts if (i, a) not in gone) for i, acts in enumerate(every))

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
    return _iterate(payoffs, tol, weak=False)


def iterated_weak_dominance(payoffs: object, tol: float | None = None) -> DominanceResult:
    """Iteratively remove pure strategies weakly dominated by another pure strategy.

    ``a`` goes if some surviving ``b`` is at least as good (within ``tol``) against every
    surviving opponent profile and better by more than ``tol`` against one; ``dominated_by``
    is the dominating action with the widest worst-case margin. See the module docstring for
    what weak dominance does and does not guarantee.

    Examples
    --------
    >>> import numpy as np
    >>> u = np.array([[1.0, 1.0], [1.0, 0.0]])  # row 1 ties row 0 except against column 1
    >>> res = iterated_weak_dominance(np.stack([u, np.zeros((2, 2))], axis=-1))
    >>> res.surviving[0], [(e.action, e.dominated_by, e.margin) for e in res.eliminations]
    ((0,), [(1, 0, 0.0)])
    """
    return _iterate(payoffs, tol, weak=True)


def _iterate(payoffs: object, tol: float | None, *, weak: bool) -> DominanceResult:
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
            diff = u[:, None, :] - u[None, :, :]  # diff[b, a, s] = u(b, s) - u(a, s)
            margin = diff.min(axis=-1)  # worst case over opponent profiles
            if weak:
                ok = (margin >= -tol) & (diff.max(axis=-1) > tol)
                ok = _keep_dominators(ok)
            else:
                ok = margin > tol
            for a in range(len(acts)):
                if not ok[:, a].any():
                    continue
                b = int(np.argmax(np.where(ok[:, a], margin[:, a], -np.inf)))
                found.append(Elimination(rnd, i, acts[a], acts[b], float(margin[b, a])))
        if not found:
            break
        eliminations.extend(found)
        for e in found:
            surviving[e.player].remove(e.action)
    return DominanceResult(tuple(tuple(s) for s in surviving), tuple(eliminations))


def _keep_dominators(ok: np.ndarray) -> np.ndarray:
    """Only undominated dominators count (``ok[b, a]``: ``b`` weakly dominates ``a``).

    Without a tolerance weak domination is a strict partial order, so every dominated action
    has an undominated dominator and this changes nothing; with a tolerance it need not be
    transitive, and a cycle could otherwise remove every action of a player.
    """
    return ok & ~ok.any(axis=0)[:, None]
