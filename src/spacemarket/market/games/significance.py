"""Which verdicts about a game survive the seed noise of simulated payoffs.

When a game's payoffs are means over seeds run on common random numbers (seed ``r`` is the
same in every profile), each verdict of :func:`~spacemarket.market.games.report.solve_game`
is a statement about differences of those means between pure profiles:

* **dominance** - ``b`` beats ``a`` for player ``i`` against every surviving opponent profile
  ``s`` (strict), or ties and beats it once (weak); one comparison per ``s``;
* **equilibrium** - at a pure equilibrium ``a`` no player ``i`` gains by a deviation ``b``:
  ``u_i(a) - u_i(b, a_{-i})`` for every ``i`` and ``b``; a profile that is *not* an
  equilibrium of the means is "not ruled out" when no deviation gain is significant;
* **welfare maximum** - ``W(a*) - W(a)`` for every other profile ``a``;
* **backward-induction choice** - the mover's continuation payoff after the chosen action
  minus after each alternative, every later mover following the equilibrium strategy.

Given the per-seed payoffs (``samples``, shape ``(n_1, ..., n_k, k, S)``; for trees,
:attr:`Terminal.samples`) every such difference is recomputed seed by seed and summarized as a
:class:`~spacemarket.market.games.paired.PairedDifference` (mean, 95 % t-interval, sign
flips, seeds needed). A verdict *holds* when every comparison behind it is significantly
positive or an exact tie in every seed; otherwise it is flagged "not significant". The
verdicts themselves are still those of the mean payoffs: this module only says which of them
noise could reverse. Intervals are per comparison, without a multiplicity correction.

Examples
--------
>>> import numpy as np
>>> from spacemarket.market.games import NormalFormGame, solve_game
>>> rng = np.random.default_rng(0)
>>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
>>> pd_game = np.stack([A, A.T], axis=-1)           # prisoner's dilemma, mean payoffs
>>> noise = rng.normal(0.0, 0.1, (2, 2, 1, 8)) * np.ones((1, 1, 2, 1))
>>> samples = pd_game[..., None] + noise - noise.mean(axis=-1, keepdims=True)
>>> report = solve_game(NormalFormGame(pd_game), samples=samples, learning=())
>>> [c.significant for c in report.significance.dominance]
[True, True]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from spacemarket.market.games._arrays import as_payoff_array
from spacemarket.market.games.backward_induction import SubgamePerfectEquilibrium
from spacemarket.market.games.dominance import DominanceResult, Elimination
from spacemarket.market.games.equilibrium import Equilibrium
from spacemarket.market.games.paired import LEVEL, PairedDifference
from spacemarket.market.games.tree import Chance, GameTree, Node, Terminal
from spacemarket.market.games.welfare import WelfareOptimum

__all__ = [
    "ChoiceCheck",
    "Comparison",
    "DominanceCheck",
    "EquilibriumCheck",
    "SignificanceReport",
    "WelfareCheck",
    "as_samples",
    "check_choices",
    "check_game",
]

Profile = tuple[int, ...]


@dataclass(frozen=True)
class Comparison:
    """``better`` minus ``worse`` for ``player`` (``None``: welfare), seed by seed."""

    player: int | None
    better: Profile
    worse: Profile
    diff: PairedDifference

    @property
    def holds(self) -> bool:
        """Significantly positive, or an exact tie in every seed."""
        return self.diff.significantly_positive or self.diff.tie


def _weakest(comps: Sequence[Comparison]) -> Comparison:
    """The comparison closest to failing: failing ones first, then lowest lower bound."""

    def key(c: Comparison) -> tuple[bool, float]:
        low = c.diff.ci_low if np.isfinite(c.diff.ci_low) else c.diff.mean
        return (c.holds, low if not c.diff.tie else np.inf)

    return min(comps, key=key)


@dataclass(frozen=True)
class DominanceCheck:
    """One elimination with a comparison per opponent profile surviving at its round."""

    elimination: Elimination
    weak: bool
    comparisons: tuple[Comparison, ...]

    @property
    def significant(self) -> bool:
        """Strict: every comparison significantly positive. Weak: every comparison holds and
        at least one is significantly positive."""
        pos = [c.diff.significantly_positive for c in self.comparisons]
        if not self.weak:
            return all(pos)
        return all(c.holds for c in self.comparisons) and any(pos)

    @property
    def binding(self) -> Comparison:
        """The comparison to print: the one closest to overturning the elimination."""
        return _weakest(self.comparisons)


@dataclass(frozen=True)
class EquilibriumCheck:
    """A pure equilibrium of the mean payoffs against every unilateral deviation."""

    profile: Profile
    comparisons: tuple[Comparison, ...]  # better = the equilibrium, worse = the deviation

    @property
    def significant(self) -> bool:
        """Every deviation loses significantly or ties in every seed."""
        return all(c.holds for c in self.comparisons)

    @property
    def failing(self) -> tuple[Comparison, ...]:
        """Deviations whose loss is not significant (noise could make them pay)."""
        return tuple(c for c in self.comparisons if not c.holds)


@dataclass(frozen=True)
class WelfareCheck:
    """The (first) welfare-maximizing profile against every profile that is not itself a
    maximizer (within the report's tolerance), closest rival first."""

    optimum: Profile
    weights: np.ndarray
    comparisons: tuple[Comparison, ...]

    @property
    def significant(self) -> bool:
        """Every other profile has significantly lower welfare (or ties in every seed)."""
        return all(c.holds for c in self.comparisons)

    @property
    def rivals(self) -> tuple[Comparison, ...]:
        """Profiles whose welfare is not significantly below the optimum's."""
        return tuple(c for c in self.comparisons if not c.holds)


@dataclass(frozen=True)
class ChoiceCheck:
    """A backward-induction choice against each alternative (mover's continuation payoff)."""

    node: str
    player: int
    action: str
    comparisons: dict[str, PairedDifference]

    @property
    def significant(self) -> bool:
        """Every alternative is significantly worse for the mover or ties in every seed."""
        return all(d.significantly_positive or d.tie for d in self.comparisons.values())


@dataclass(frozen=True)
class SignificanceReport:
    """The paired comparisons behind a game report's verdicts (see the module docstring).

    ``best_deviation`` has, for every pure profile, the deviation with the largest mean gain
    (``better`` = deviation, ``worse`` = the profile; ``None`` for a player without
    alternatives); ``welfare_gap`` the welfare optimum minus each profile.
    """

    n_seeds: int
    level: float
    dominance: tuple[DominanceCheck, ...]
    weak_dominance: tuple[DominanceCheck, ...]
    equilibria: tuple[EquilibriumCheck, ...]
    not_ruled_out: tuple[Comparison, ...]
    welfare: WelfareCheck
    weighted_welfare: WelfareCheck | None
    best_deviation: dict[Profile, Comparison | None]
    welfare_gap: dict[Profile, PairedDifference]


def as_samples(payoffs: np.ndarray, samples: object) -> np.ndarray:
    """Validate per-seed payoffs: shape ``payoffs.shape + (S,)``, finite, averaging to
    ``payoffs`` (relative 1e-9 of the largest payoff)."""
    arr = np.array(samples, dtype=float)
    if arr.shape[:-1] != payoffs.shape or arr.ndim != payoffs.ndim + 1 or arr.shape[-1] < 1:
        raise ValueError(f"samples must have shape {payoffs.shape} + (seeds,), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("samples must be finite")
    scale = max(1.0, float(np.abs(payoffs).max()))
    if not np.allclose(arr.mean(axis=-1), payoffs, rtol=0.0, atol=1e-9 * scale):
        raise ValueError("samples must average (over the last axis) to the game's payoffs")
    return arr


def _diff(x: np.ndarray, y: np.ndarray, tol: float, level: float) -> PairedDifference:
    return PairedDifference.of(x, y, level=level, atol=tol)


def _dominance(
    samples: np.ndarray, res: DominanceResult, weak: bool, tol: float, level: float
) -> tuple[DominanceCheck, ...]:
    out = []
    for e in res.eliminations:
        alive = res.surviving_before(e.round)
        opp = [alive[j] for j in range(len(alive)) if j != e.player]
        comps = []
        for rest in itertools.product(*opp):
            better = (*rest[: e.player], e.dominated_by, *rest[e.player :])
            worse = (*rest[: e.player], e.action, *rest[e.player :])
            d = _diff(samples[better][e.player], samples[worse][e.player], tol, level)
            comps.append(Comparison(e.player, better, worse, d))
        out.append(DominanceCheck(e, weak, tuple(comps)))
    return tuple(out)


def _deviations(shape: tuple[int, ...], prof: Profile):
    """``(player, deviation profile)`` for every unilateral deviation from ``prof``."""
    for i, n in enumerate(shape):
        for b in range(n):
            if b != prof[i]:
                yield i, (*prof[:i], b, *prof[i + 1 :])


def _welfare(samples: np.ndarray, opt: WelfareOptimum, tol: float, level: float) -> WelfareCheck:
    w = np.tensordot(opt.weights, samples, axes=([0], [-2]))  # (n_1, ..., n_k, S)
    best = opt.profiles[0]
    comps = [
        Comparison(None, best, p, _diff(w[best], w[p], tol, level))
        for p in itertools.product(*(range(n) for n in w.shape[:-1]))
        if p not in opt.profiles  # ties within tol are reported as maximizers themselves
    ]
    comps.sort(key=lambda c: c.diff.mean)
    return WelfareCheck(best, opt.weights, tuple(comps))


def check_game(
    payoffs: object,
    samples: object,
    *,
    pure_equilibria: Sequence[Equilibrium],
    dominance: DominanceResult,
    weak_dominance: DominanceResult,
    welfare_optimum: WelfareOptimum,
    weighted_welfare_optimum: WelfareOptimum | None = None,
    tol: float = 0.0,
    level: float = LEVEL,
) -> SignificanceReport:
    """Paired comparisons behind every verdict of a game report (see the module docstring).

    ``tol``: per-seed differences within it count as ties (the report's payoff tolerance).
    """
    arr = as_payoff_array(payoffs)
    s = as_samples(arr, samples)
    shape = arr.shape[:-1]
    eq_checks = []
    for eq in pure_equilibria:
        prof = eq.pure_profile
        assert prof is not None
        comps = [Comparison(i, prof, dev, _diff(s[prof][i], s[dev][i], tol, level))
                 for i, dev in _deviations(shape, prof)]  # fmt: skip
        eq_checks.append(EquilibriumCheck(prof, tuple(comps)))
    nash = {c.profile for c in eq_checks}
    best_dev: dict[Profile, Comparison | None] = {}
    not_ruled_out = []
    for prof in itertools.product(*(range(n) for n in shape)):
        devs = [Comparison(i, dev, prof, _diff(s[dev][i], s[prof][i], tol, level))
                for i, dev in _deviations(shape, prof)]  # fmt: skip
        best_dev[prof] = max(devs, key=lambda c: c.diff.mean) if devs else None
        if prof not in nash and devs and not any(c.diff.significantly_positive for c in devs):
            not_ruled_out.append(best_dev[prof])
    wel = _welfare(s, welfare_optimum, tol, level)
    gaps = {c.worse: c.diff for c in wel.comparisons}
    w = np.tensordot(welfare_optimum.weights, s, axes=([0], [-2]))
    for p in welfare_optimum.profiles:
        gaps[p] = _diff(w[wel.optimum], w[p], tol, level)
    return SignificanceReport(
        n_seeds=int(s.shape[-1]),
        level=level,
        dominance=_dominance(s, dominance, False, tol, level),
        weak_dominance=_dominance(s, weak_dominance, True, tol, level),
        equilibria=tuple(eq_checks),
        not_ruled_out=tuple(not_ruled_out),
        welfare=wel,
        weighted_welfare=(
            _welfare(s, weighted_welfare_optimum, tol, level)
            if weighted_welfare_optimum is not None
            else None
        ),
        best_deviation=best_dev,
        welfare_gap=gaps,
    )


def _seed_values(node: Node, strategy: dict[str, str]) -> np.ndarray:
    """Per-seed payoffs ``(k, S)`` of the play from ``node`` under ``strategy``."""
    if isinstance(node, Terminal):
        if node.samples is None:
            raise ValueError(f"terminal {node.name!r} has no per-seed samples")
        return np.asarray(node.samples, dtype=float)
    if isinstance(node, Chance):
        return sum(p * _seed_values(c, strategy) for p, c in node.outcomes.values())
    return _seed_values(node.actions[strategy[node.name]], strategy)


def check_choices(
    tree: GameTree, spe: SubgamePerfectEquilibrium, level: float = LEVEL
) -> tuple[ChoiceCheck, ...]:
    """Every decision node's backward-induction choice against each alternative, per seed.

    Needs :attr:`Terminal.samples` on every terminal (same number of seeds). The difference
    is the mover's payoff after the chosen action minus after the alternative, later movers
    following ``spe.strategy``; differences within ``spe.tol`` count as ties.
    """
    out = []
    for node in tree.decision_nodes():
        choice = spe.strategy[node.name]
        vals = {a: _seed_values(child, spe.strategy)[node.player]
                for a, child in node.actions.items()}  # fmt: skip
        comps = {
            a: PairedDifference.of(vals[choice], v, level=level, atol=spe.tol)
            for a, v in vals.items()
            if a != choice
        }
        out.append(ChoiceCheck(node.name, node.player, choice, comps))
    return tuple(out)


def has_samples(tree: GameTree) -> bool:
    """Whether every terminal of ``tree`` carries per-seed samples."""
    return all(n.samples is not None for n in tree.nodes() if isinstance(n, Terminal))
