"""The :class:`NormalFormGame` facade: named players and actions over a payoff array.

A thin class in the style of Nashpy's ``Game``: it validates and names the payoff array and
delegates every computation to the pure functions of the algorithm modules
(:mod:`~spacemarket.market.games.pure_nash`, :mod:`~spacemarket.market.games.dominance`,
:mod:`~spacemarket.market.games.welfare`, :mod:`~spacemarket.market.games.support_enumeration`,
:mod:`~spacemarket.market.games.gambit_solvers`, and the learning dynamics). The one-call
analysis of a game, :func:`~spacemarket.market.games.report.solve_game`, sits above this class:
the report imports the game, never the reverse, so the games package has no import cycle.

The game knows nothing about where payoffs come from. :meth:`NormalFormGame.from_function`
evaluates a callable once per pure profile - e.g. "run the market model under this profile
and average discounted profits over seeds" - with an optional cache (any mutable mapping keyed
by the profile's action names, so repeated or interrupted runs are not recomputed), an
optional ``mapper`` (e.g. ``concurrent.futures.Executor.map``) to evaluate profiles in
parallel, and a progress callback.

Examples
--------
>>> import numpy as np
>>> game = NormalFormGame.from_bimatrix(
...     [[3, 0], [0, 2]], [[2, 0], [0, 3]],
...     player_names=("Row", "Col"), action_names=(("T", "B"), ("L", "R")))
>>> game.shape, game["T", "L"].tolist()
((2, 2), [3.0, 2.0])
>>> [game.label(eq.pure_profile) for eq in game.pure_nash_equilibria()]
[('T', 'L'), ('B', 'R')]

Building a game from a (possibly expensive) payoff function, with a cache:

>>> calls = []
>>> def payoff(profile):
...     calls.append(profile)
...     return [1.0 if profile[0] == profile[1] else 0.0] * 2
>>> cache = {}
>>> g = NormalFormGame.from_function(payoff, [("a", "b"), ("a", "b")], cache=cache)
>>> g2 = NormalFormGame.from_function(payoff, [("a", "b"), ("a", "b")], cache=cache)
>>> len(calls), bool(np.array_equal(g.payoffs, g2.payoffs))
(4, True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, MutableMapping, Sequence
from typing import Any

import numpy as np

import spacemarket.market.games.dominance as dominance
import spacemarket.market.games.pure_nash as pure_nash
import spacemarket.market.games.regret as regret
import spacemarket.market.games.welfare as welfare
from spacemarket.market.games._arrays import action_counts, as_payoff_array, pure_profiles
from spacemarket.market.games.equilibrium import Equilibrium
from spacemarket.market.games.ewa import ewa
from spacemarket.market.games.fictitious_play import fictitious_play
from spacemarket.market.games.gambit_solvers import GambitResult, gambit_equilibria
from spacemarket.market.games.learning import LearningResult
from spacemarket.market.games.replicator import replicator_dynamics
from spacemarket.market.games.support_enumeration import support_enumeration

__all__ = ["NormalFormGame"]

Profile = tuple[str, ...]


class NormalFormGame:
    """A finite n-player game in normal (strategic) form.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        ``payoffs[a_1, ..., a_k, i]`` is player ``i``'s payoff at the pure profile
        ``(a_1, ..., a_k)`` (any unit, e.g. discounted profit in USD).
    player_names : sequence of str, optional
        One unique name per player; default ``("P1", ..., "Pk")``.
    action_names : sequence of sequence of str, optional
        Unique action names per player; default ``("0", "1", ...)``.
    title : str, optional
        A label for reports.

    Attributes
    ----------
    payoffs : numpy.ndarray, shape (n_1, ..., n_k, k)
        Read-only payoff array.
    player_names : tuple of str
    action_names : tuple of tuple of str
    title : str
    """

    def __init__(
        self,
        payoffs: object,
        *,
        player_names: Sequence[str] | None = None,
        action_names: Sequence[Sequence[str]] | None = None,
        title: str = "",
    ) -> None:
        arr = as_payoff_array(payoffs)
        arr.setflags(write=False)
        self.payoffs = arr
        shape = action_counts(arr)
        k = len(shape)
        names = (
            tuple(player_names)
            if player_names is not None
            else tuple(f"P{i + 1}" for i in range(k))
        )
        if len(names) != k or len(set(names)) != k:
            raise ValueError(f"need {k} unique player names, got {names!r}")
        if action_names is None:
            acts = tuple(tuple(str(a) for a in range(n)) for n in shape)
        else:
            acts = tuple(tuple(str(a) for a in actions) for actions in action_names)
        if tuple(len(a) for a in acts) != shape or any(len(set(a)) != len(a) for a in acts):
            raise ValueError(f"action names must be unique per player, with counts {shape}")
        self.player_names: tuple[str, ...] = tuple(str(n) for n in names)
        self.action_names: tuple[tuple[str, ...], ...] = acts
        self.title = str(title)

    # ----------------------------------------------------------------- construction
    @classmethod
    def from_bimatrix(cls, A: object, B: object, **kwargs: Any) -> NormalFormGame:
        """Two-player game from the row player's matrix ``A`` and the column player's ``B``.

        Parameters
        ----------
        A, B : array_like, shape (m, n)
            Payoffs of the row and the column player.
        **kwargs
            ``player_names``, ``action_names``, ``title`` as in the constructor.
        """
        a, b = np.asarray(A, dtype=float), np.asarray(B, dtype=float)
        if a.ndim != 2 or a.shape != b.shape:
            raise ValueError(
                f"A and B must be matrices of the same shape, got {a.shape}, {b.shape}"
            )
        return cls(np.stack([a, b], axis=-1), **kwargs)

    @classmethod
    def from_function(
        cls,
        payoff_fn: Callable[[Profile], Sequence[float]],
        action_names: Sequence[Sequence[str]],
        *,
        player_names: Sequence[str] | None = None,
        title: str = "",
        cache: MutableMapping[Profile, Any] | None = None,
        progress: Callable[[int, int, Profile], None] | None = None,
        mapper: Callable[[Callable[[Profile], Any], Iterable[Profile]], Iterable[Any]]
        | None = None,
    ) -> NormalFormGame:
        """Build a game by evaluating ``payoff_fn`` once per pure profile.

        Parameters
        ----------
        payoff_fn : callable
            Called with a profile - a tuple of action names, one per player in player order -
            and returning the payoff vector, length ``k``.
        action_names : sequence of sequence of str
            Action names of each player; the game has ``prod(n_i)`` profiles.
        player_names : sequence of str, optional
            As in the constructor.
        title : str, optional
            As in the constructor.
        cache : mutable mapping, optional
            Looked up before calling ``payoff_fn`` (key: the profile tuple) and filled after;
            pass the same mapping (or a persistent one) to avoid re-running profiles.
        progress : callable, optional
            ``progress(done, total, profile)`` after each profile is evaluated (profiles found
            in the cache count as done before the first call).
        mapper : callable, optional
            ``map``-like callable used to evaluate the uncached profiles, e.g.
            ``executor.map`` of a process pool; results must come back in input order.
            Default: the built-in ``map`` (sequential).

        Returns
        -------
        NormalFormGame

        Raises
        ------
        ValueError
            If ``payoff_fn`` returns something other than ``k`` finite numbers; the message
            names the profile.
        """
        acts = [tuple(str(a) for a in actions) for actions in action_names]
        shape = tuple(len(a) for a in acts)
        k = len(shape)
        profiles = [tuple(acts[i][a] for i, a in enumerate(idx)) for idx in pure_profiles(shape)]
        values: dict[Profile, np.ndarray] = {}
        todo = []
        for prof in profiles:
            if cache is not None and prof in cache:
                values[prof] = _payoff_vector(cache[prof], k, prof)
            else:
                todo.append(prof)
        done = len(values)
        for prof, result in zip(todo, (mapper or map)(payoff_fn, todo), strict=True):
            vec = _payoff_vector(result, k, prof)
            values[prof] = vec
            if cache is not None:
                cache[prof] = vec
            done += 1
            if progress is not None:
                progress(done, len(profiles), prof)
        payoffs = np.array([values[p] for p in profiles]).reshape(*shape, k)
        return cls(payoffs, player_names=player_names, action_names=acts, title=title)

    # ----------------------------------------------------------------- naming helpers
    @property
    def n_players(self) -> int:
        """Number of players ``k``."""
        return len(self.player_names)

    @property
    def shape(self) -> tuple[int, ...]:
        """Number of actions per player ``(n_1, ..., n_k)``."""
        return action_counts(self.payoffs)

    def profiles(self) -> list[tuple[int, ...]]:
        """All pure profiles (action indices) in lexicographic order."""
        return list(pure_profiles(self.shape))

    def action_index(self, player: int, action: int | str) -> int:
        """Index of one action of ``player`` given by name or index."""
        if isinstance(action, str):
            if action not in self.action_names[player]:
                raise KeyError(f"{self.player_names[player]} has no action {action!r}")
            return self.action_names[player].index(action)
        if not 0 <= int(action) < self.shape[player]:
            raise IndexError(f"action {action} of {self.player_names[player]} out of range")
        return int(action)

    def index(self, profile: Sequence[int | str]) -> tuple[int, ...]:
        """Action indices of a profile given by names and/or indices."""
        if len(profile) != self.n_players:
            raise ValueError(f"a profile needs {self.n_players} actions, got {profile!r}")
        return tuple(self.action_index(i, a) for i, a in enumerate(profile))

    def label(self, profile: Sequence[int | str]) -> tuple[str, ...]:
        """Action names of a pure profile."""
        return tuple(self.action_names[i][a] for i, a in enumerate(self.index(profile)))

    def describe(self, strategies: Sequence[np.ndarray] | Equilibrium, digits: int = 4) -> str:
        """Readable form of a mixed profile, e.g. ``"Row: T 0.6 + B 0.4; Col: R"``."""
        strats = strategies.strategies if isinstance(strategies, Equilibrium) else strategies
        parts = []
        for name, acts, x in zip(self.player_names, self.action_names, strats, strict=True):
            used = [(a, float(p)) for a, p in zip(acts, x, strict=True) if p > 1e-9]
            if len(used) == 1:
                parts.append(f"{name}: {used[0][0]}")
            else:
                parts.append(f"{name}: " + " + ".join(f"{a} {p:.{digits}g}" for a, p in used))
        return "; ".join(parts)

    def __getitem__(self, profile: Sequence[int | str]) -> np.ndarray:
        """Payoff vector (shape ``(k,)``) at a pure profile given by names or indices."""
        return self.payoffs[self.index(profile)]

    def __repr__(self) -> str:
        players = ", ".join(
            f"{n} {list(a)}" for n, a in zip(self.player_names, self.action_names, strict=True)
        )
        title = f"{self.title!r}, " if self.title else ""
        return f"NormalFormGame({title}{players})"

    # ----------------------------------------------------------------- delegation
    def expected_payoffs(self, strategies: Sequence[object]) -> np.ndarray:
        """See :func:`~spacemarket.market.games.regret.expected_payoffs`."""
        return regret.expected_payoffs(self.payoffs, strategies)

    def regrets(self, strategies: Sequence[object]) -> np.ndarray:
        """See :func:`~spacemarket.market.games.regret.regrets`."""
        return regret.regrets(self.payoffs, strategies)

    def max_regret(self, strategies: Sequence[object]) -> float:
        """See :func:`~spacemarket.market.games.regret.max_regret`."""
        return regret.max_regret(self.payoffs, strategies)

    def pure_nash_equilibria(self, tol: float | None = None) -> list[Equilibrium]:
        """See :func:`~spacemarket.market.games.pure_nash.pure_nash_equilibria`."""
        return pure_nash.pure_nash_equilibria(self.payoffs, tol)

    def iterated_strict_dominance(self, tol: float | None = None) -> dominance.DominanceResult:
        """See :func:`~spacemarket.market.games.dominance.iterated_strict_dominance`."""
        return dominance.iterated_strict_dominance(self.payoffs, tol)

    def iterated_weak_dominance(self, tol: float | None = None) -> dominance.DominanceResult:
        """See :func:`~spacemarket.market.games.dominance.iterated_weak_dominance`."""
        return dominance.iterated_weak_dominance(self.payoffs, tol)

    def welfare_maximizers(
        self, weights: object | None = None, tol: float | None = None
    ) -> welfare.WelfareOptimum:
        """See :func:`~spacemarket.market.games.welfare.welfare_maximizers`."""
        return welfare.welfare_maximizers(self.payoffs, weights, tol)

    def pareto_set(self, tol: float | None = None) -> tuple[tuple[int, ...], ...]:
        """See :func:`~spacemarket.market.games.welfare.pareto_set`."""
        return welfare.pareto_set(self.payoffs, tol)

    def support_enumeration(
        self, tol: float | None = None, degenerate: bool | None = None
    ) -> list[Equilibrium]:
        """See :func:`~spacemarket.market.games.support_enumeration.support_enumeration`."""
        return support_enumeration(self.payoffs, tol, degenerate)

    def gambit_equilibria(
        self, method: str = "gnm", tol: float | None = None, **kwargs: Any
    ) -> GambitResult:
        """See :func:`~spacemarket.market.games.gambit_solvers.gambit_equilibria`."""
        return gambit_equilibria(self.payoffs, method, tol, **kwargs)

    def fictitious_play(
        self, rounds: int = 1000, rng: object = None, **kwargs: Any
    ) -> LearningResult:
        """See :func:`~spacemarket.market.games.fictitious_play.fictitious_play`."""
        return fictitious_play(self.payoffs, rounds, rng, **kwargs)  # type: ignore[arg-type]

    def replicator_dynamics(
        self, rounds: int = 1000, rng: object = None, **kwargs: Any
    ) -> LearningResult:
        """See :func:`~spacemarket.market.games.replicator.replicator_dynamics`."""
        return replicator_dynamics(self.payoffs, rounds, rng, **kwargs)  # type: ignore[arg-type]

    def ewa(self, rounds: int = 1000, rng: object = None, **kwargs: Any) -> LearningResult:
        """See :func:`~spacemarket.market.games.ewa.ewa`."""
        return ewa(self.payoffs, rounds, rng, **kwargs)  # type: ignore[arg-type]

    def restrict(self, actions: Sequence[Sequence[int | str]]) -> NormalFormGame:
        """The sub-game keeping only the given actions of each player (names or indices)."""
        if len(actions) != self.n_players:
            raise ValueError(f"need an action list for each of the {self.n_players} players")
        keep = [[self.action_index(i, a) for a in acts] for i, acts in enumerate(actions)]
        sub = self.payoffs[np.ix_(*keep)]
        names = [[self.action_names[i][a] for a in k] for i, k in enumerate(keep)]
        return NormalFormGame(
            sub, player_names=self.player_names, action_names=names, title=self.title
        )


def _payoff_vector(value: object, k: int, profile: Profile) -> np.ndarray:
    try:
        vec = np.array(value, dtype=float).reshape(-1)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"payoff for profile {profile!r} is not numeric: {value!r}") from exc
    if vec.shape != (k,) or not np.all(np.isfinite(vec)):
        raise ValueError(
            f"payoff for profile {profile!r} must be {k} finite numbers, got {value!r}"
        )
    return vec
