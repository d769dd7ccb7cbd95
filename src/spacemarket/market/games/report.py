"""One-call analysis of a normal-form game: :func:`solve_game` and its :class:`GameReport`.

The report gathers, for a finite n-player game:

* every pure Nash equilibrium, each with its max regret (exhaustive enumeration);
* the result of iterated elimination of strictly dominated pure strategies;
* the welfare-maximizing profile(s) (sum of payoffs, and optionally with weights) and the
  Pareto set of pure profiles;
* optionally mixed equilibria: two players by this package's support enumeration, more
  players through pygambit if installed - every profile accepted only if its max regret is
  within tolerance, rejected solver output listed;
* which profile adaptive players reach over repeated seasons (fictitious play, replicator
  dynamics, EWA), and whether that profile is a pure Nash equilibrium.

:meth:`GameReport.to_text` renders it for a terminal, :meth:`GameReport.to_frame` gives the
normal form as a pandas table with one row per pure profile and flags for each property, and
:meth:`GameReport.equilibria_frame` lists the equilibria.

Examples
--------
>>> from spacemarket.market.games import NormalFormGame
>>> pd_game = NormalFormGame.from_bimatrix(
...     [[3, 0], [5, 1]], [[3, 5], [0, 1]],
...     player_names=("Row", "Col"), action_names=(("C", "D"), ("C", "D")))
>>> report = solve_game(pd_game, rounds=300, rng=1)
>>> [pd_game.label(eq.pure_profile) for eq in report.pure_equilibria]
[('D', 'D')]
>>> pd_game.label(report.dominance.profile)
('D', 'D')
>>> [(r.method, pd_game.label(r.reached)) for r in report.learning]
[('fictitious play', ('D', 'D')), ('replicator', ('D', 'D')), ('ewa', ('D', 'D'))]
>>> print(report.to_text().splitlines()[0])
Game: 2 players - Row (C, D); Col (C, D)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from spacemarket.market.games._arrays import MIXED_RTOL, PURE_RTOL, resolve_tol
from spacemarket.market.games.dominance import DominanceResult, iterated_weak_dominance
from spacemarket.market.games.equilibrium import Equilibrium
from spacemarket.market.games.gambit_solvers import gambit_available
from spacemarket.market.games.learning import LearningResult
from spacemarket.market.games.pure_nash import pure_profile_regrets
from spacemarket.market.games.report_text import fragile_verdicts, render_report
from spacemarket.market.games.significance import SignificanceReport, check_game
from spacemarket.market.games.welfare import WelfareOptimum, welfare

if TYPE_CHECKING:
    import pandas as pd

    from spacemarket.market.games.normal_form import NormalFormGame

__all__ = ["LEARNING_METHODS", "GameReport", "solve_game"]

#: Learning dynamics :func:`solve_game` can run, by name.
LEARNING_METHODS = ("fictitious play", "replicator", "ewa")
_ALIASES = {
    "fictitious_play": "fictitious play",
    "fp": "fictitious play",
    "replicator_dynamics": "replicator",
}


@dataclass(frozen=True)
class GameReport:
    """Everything :func:`solve_game` found about a game.

    Attributes
    ----------
    game : NormalFormGame
    tol : float
        Tolerance for pure-strategy computations (payoff units).
    pure_equilibria : tuple of Equilibrium
        All pure Nash equilibria (max regret ``<= tol``), lexicographic.
    dominance : DominanceResult
        Iterated elimination of strictly dominated pure strategies.
    welfare_optimum : WelfareOptimum
        Profiles maximizing the sum of payoffs.
    weighted_welfare_optimum : WelfareOptimum or None
        Profiles maximizing the weighted sum, if weights were given.
    pareto_set : tuple of tuple of int
        Pareto-undominated pure profiles.
    mixed_equilibria : tuple of Equilibrium or None
        Equilibria from the mixed solver (pure ones included), ``None`` if not computed.
    mixed_method : str or None
        ``"support enumeration"`` or ``"gambit:<method>"``.
    mixed_tol : float
        Max-regret acceptance tolerance for solver output (payoff units).
    rejected : tuple of Equilibrium
        Solver output rejected for a max regret above ``mixed_tol``.
    learning : tuple of LearningResult
        One per learning dynamic run.
    notes : tuple of str
        Remarks (skipped steps, solver timeouts, ...).
    weak_dominance : DominanceResult or None
        Iterated elimination of weakly dominated pure strategies (reported beside strict
        dominance when it removes more).
    significance : SignificanceReport or None
        With per-seed samples: the paired comparison over seeds behind every verdict
        (:mod:`~spacemarket.market.games.significance`); ``None`` without samples.
    """

    game: NormalFormGame
    tol: float
    pure_equilibria: tuple[Equilibrium, ...]
    dominance: DominanceResult
    welfare_optimum: WelfareOptimum
    weighted_welfare_optimum: WelfareOptimum | None
    pareto_set: tuple[tuple[int, ...], ...]
    mixed_equilibria: tuple[Equilibrium, ...] | None
    mixed_method: str | None
    mixed_tol: float
    rejected: tuple[Equilibrium, ...]
    learning: tuple[LearningResult, ...]
    notes: tuple[str, ...]
    weak_dominance: DominanceResult | None = None
    significance: SignificanceReport | None = None

    @property
    def strictly_mixed_equilibria(self) -> tuple[Equilibrium, ...]:
        """Solver equilibria in which some player mixes."""
        return tuple(e for e in self.mixed_equilibria or () if not e.is_pure)

    def _pure_set(self) -> set[tuple[int, ...]]:
        return {e.pure_profile for e in self.pure_equilibria}  # type: ignore[misc]

    def to_frame(self) -> pd.DataFrame:
        """The normal form with flags, one row per pure profile (requires pandas).

        Columns: one per player (its action), ``payoff <player>`` per player, ``welfare``
        (sum of payoffs), ``max_regret``, ``nash``, ``pareto``, ``welfare_max``,
        ``survives_dominance`` and ``reached_by`` (learning dynamics that reached it).
        With per-seed samples also, as paired differences over seeds with their t-interval:
        ``best_deviation_gain`` (the unilateral deviation with the largest mean gain),
        ``best_deviation_ci_low``, ``best_deviation_ci_high``, ``welfare_gap`` (the welfare
        maximum minus this profile), ``welfare_gap_ci_low``, ``welfare_gap_ci_high``,
        ``nash_significant`` (an equilibrium whose every deviation loses significantly or
        ties in every seed) and ``nash_not_ruled_out`` (no deviation gain is significant).
        """
        import pandas as pd

        g = self.game
        reg = pure_profile_regrets(g.payoffs).max(axis=-1)
        wel = welfare(g.payoffs)
        nash, pareto = self._pure_set(), set(self.pareto_set)
        best = set(self.welfare_optimum.profiles)
        rows = []
        for prof in g.profiles():
            row: dict[str, Any] = dict(zip(g.player_names, g.label(prof), strict=True))
            for name, u in zip(g.player_names, g.payoffs[prof], strict=True):
                row[f"payoff {name}"] = float(u)
            row["welfare"] = float(wel[prof])
            row["max_regret"] = float(reg[prof])
            row["nash"] = prof in nash
            row["pareto"] = prof in pareto
            row["welfare_max"] = prof in best
            row["survives_dominance"] = all(
                a in s for a, s in zip(prof, self.dominance.surviving, strict=True)
            )
            row["reached_by"] = ", ".join(r.method for r in self.learning if r.reached == prof)
            if self.significance is not None:
                row.update(self._significance_columns(prof))
            rows.append(row)
        return pd.DataFrame(rows)

    def _significance_columns(self, prof: tuple[int, ...]) -> dict[str, Any]:
        sig = self.significance
        assert sig is not None
        dev = sig.best_deviation[prof]
        gap = sig.welfare_gap[prof]
        checks = {c.profile: c for c in sig.equilibria}
        nan = float("nan")
        return {
            "best_deviation_gain": dev.diff.mean if dev else nan,
            "best_deviation_ci_low": dev.diff.ci_low if dev else nan,
            "best_deviation_ci_high": dev.diff.ci_high if dev else nan,
            "welfare_gap": gap.mean,
            "welfare_gap_ci_low": gap.ci_low,
            "welfare_gap_ci_high": gap.ci_high,
            "nash_significant": prof in checks and checks[prof].significant,
            "nash_not_ruled_out": prof in checks or any(c.worse == prof for c in sig.not_ruled_out),
        }

    def equilibria_frame(self) -> pd.DataFrame:
        """Every equilibrium found (pure enumeration, then strictly mixed), one per row."""
        import pandas as pd

        g = self.game
        rows = []
        for eq in (*self.pure_equilibria, *self.strictly_mixed_equilibria):
            row: dict[str, Any] = {"kind": "pure" if eq.is_pure else "mixed", "method": eq.method}
            for name, part in zip(g.player_names, g.describe(eq).split("; "), strict=True):
                row[name] = part.split(": ", 1)[1]
            for name, u in zip(g.player_names, eq.payoffs, strict=True):
                row[f"payoff {name}"] = float(u)
            row["max_regret"] = eq.max_regret
            if self.significance is not None:
                checks = {c.profile: c for c in self.significance.equilibria}
                row["significant"] = (
                    checks[eq.pure_profile].significant if eq.is_pure else None  # type: ignore[index]
                )
            rows.append(row)
        return pd.DataFrame(rows)

    def to_text(self, max_rows: int = 64, summary: bool = True) -> str:
        """A readable multi-line summary (payoff table only if it has <= ``max_rows`` rows).

        With per-seed samples every verdict carries its paired interval and, if ``summary``,
        the text ends with the verdicts that are not significant
        (:mod:`~spacemarket.market.games.report_text`).
        """
        return render_report(self, max_rows, summary)

    def fragile_verdicts(self) -> list[str]:
        """Verdicts resting on a paired difference whose interval covers zero (needs samples)."""
        return fragile_verdicts(self)


def solve_game(
    game: NormalFormGame,
    *,
    tol: float | None = None,
    mixed: str | None = "auto",
    mixed_tol: float | None = None,
    gambit_method: str = "gnm",
    gambit_timeout: float | None = 60.0,
    weights: object | None = None,
    learning: Sequence[str] = LEARNING_METHODS,
    rounds: int = 2000,
    rng: np.random.Generator | int | None = None,
    reach_tol: float = 0.05,
    learning_options: Mapping[str, Mapping[str, Any]] | None = None,
    samples: object | None = None,
) -> GameReport:
    """Analyse a normal-form game: equilibria, dominance, welfare, Pareto set, learning.

    Parameters
    ----------
    game : NormalFormGame
        The game.
    tol : float, optional
        Tolerance for pure equilibria, dominance, welfare ties and Pareto comparisons
        (payoff units); default ``1e-9 * max|u|``. With simulated payoffs pass a noise-aware
        value (e.g. a standard error of the payoff estimates).
    mixed : {"auto", "support", "gambit", None}, default "auto"
        Mixed equilibria: ``"support"`` - own support enumeration (two players only);
        ``"gambit"`` - pygambit ``gambit_method`` (raises ImportError if missing);
        ``"auto"`` - support enumeration for two players, pygambit for more if installed
        (otherwise a note); ``None`` - skip.
    mixed_tol : float, optional
        Max-regret acceptance tolerance for mixed solvers; default ``1e-6 * max|u|``.
    gambit_method : str, default "gnm"
        See :data:`~spacemarket.market.games.gambit_solvers.GAMBIT_METHODS`.
    gambit_timeout : float or None, default 60.0
        Seconds before the pygambit solver (run in a subprocess) is abandoned; with
        ``mixed="auto"`` a timeout becomes a note, with ``mixed="gambit"`` it raises.
    weights : array_like, shape (k,), optional
        Player weights for an additional weighted-welfare optimum.
    learning : sequence of str, default all of LEARNING_METHODS
        Learning dynamics to run (``"fictitious play"``, ``"replicator"``, ``"ewa"``).
    rounds : int, default 2000
        Rounds (seasons) per learning run.
    rng : numpy.random.Generator or int, optional
        Seeds the learning runs and gambit's perturbations (independent child streams).
    reach_tol : float, default 0.05
        Probability tolerance for "a pure profile was reached".
    learning_options : mapping, optional
        Extra keyword arguments per learning method, e.g. ``{"ewa": {"lam": 10}}``.
    samples : array_like, shape (n_1, ..., n_k, k, S), optional
        Per-seed payoffs whose mean over the last axis is ``game.payoffs`` (seed ``r`` the
        same in every profile: common random numbers). Every verdict is then checked by
        paired differences over the seeds (``report.significance``) and the text flags those
        that are not significant. The verdicts themselves stay those of the mean payoffs.

    Returns
    -------
    GameReport
    """
    arr = game.payoffs
    tol = resolve_tol(arr, tol, PURE_RTOL)
    mixed_tol = resolve_tol(arr, mixed_tol, MIXED_RTOL)
    methods = [_ALIASES.get(m, m) for m in learning]
    unknown = [m for m in methods if m not in LEARNING_METHODS]
    if unknown:
        raise ValueError(f"unknown learning methods {unknown}; choose from {LEARNING_METHODS}")
    if mixed not in ("auto", "support", "gambit", None):
        raise ValueError(f"mixed must be 'auto', 'support', 'gambit' or None, got {mixed!r}")
    gen = np.random.default_rng(rng)
    gambit_rng, *learn_rngs = gen.spawn(1 + len(methods))
    notes: list[str] = []

    pure = tuple(game.pure_nash_equilibria(tol))
    dom = game.iterated_strict_dominance(tol)
    best = game.welfare_maximizers(None, tol)
    weighted = game.welfare_maximizers(weights, tol) if weights is not None else None
    pareto = game.pareto_set(tol)
    weak = iterated_weak_dominance(arr, tol)
    significance = None
    if samples is not None:
        significance = check_game(
            arr,
            samples,
            pure_equilibria=pure,
            dominance=dom,
            weak_dominance=weak,
            welfare_optimum=best,
            weighted_welfare_optimum=weighted,
            tol=tol,
        )

    mixed_eqs: tuple[Equilibrium, ...] | None = None
    mixed_method: str | None = None
    rejected: tuple[Equilibrium, ...] = ()
    use = mixed
    if mixed == "auto":
        if game.n_players == 2:
            use = "support"
        elif gambit_available():
            use = "gambit"
        else:
            use = None
            notes.append(
                "mixed equilibria skipped: pygambit 16.x is not installed "
                '(pip install "spacemarket[gambit]")'
            )
    if use == "support":
        if game.n_players != 2:
            raise ValueError("support enumeration needs a two-player game; use mixed='gambit'")
        mixed_eqs, mixed_method = tuple(game.support_enumeration(mixed_tol)), "support enumeration"
    elif use == "gambit":
        try:
            res = game.gambit_equilibria(
                gambit_method, mixed_tol, rng=gambit_rng, timeout=gambit_timeout
            )
            mixed_eqs, rejected, mixed_method = (
                res.equilibria,
                res.rejected,
                f"gambit:{gambit_method}",
            )
        except (TimeoutError, RuntimeError) as exc:
            if mixed == "gambit":
                raise
            notes.append(f"mixed equilibria skipped: {exc}")
    if mixed_eqs is not None:
        solver_pure = {e.pure_profile for e in mixed_eqs if e.is_pure}
        missed = {e.pure_profile for e in pure} - solver_pure
        if missed and use == "gambit":
            notes.append(
                f"{mixed_method} did not return {len(missed)} of the pure equilibria "
                "(path-following solvers need not find every equilibrium)"
            )

    runs = []
    options = {_ALIASES.get(k, k): dict(v) for k, v in (learning_options or {}).items()}
    for method, child in zip(methods, learn_rngs, strict=True):
        kwargs = {"reach_tol": reach_tol, **options.get(method, {})}
        if method == "fictitious play":
            runs.append(game.fictitious_play(rounds, child, **kwargs))
        elif method == "replicator":
            runs.append(game.replicator_dynamics(rounds, child, **kwargs))
        else:
            runs.append(game.ewa(rounds, child, **kwargs))
    return GameReport(
        game=game,
        tol=tol,
        pure_equilibria=pure,
        dominance=dom,
        welfare_optimum=best,
        weighted_welfare_optimum=weighted,
        pareto_set=pareto,
        mixed_equilibria=mixed_eqs,
        mixed_method=mixed_method,
        mixed_tol=mixed_tol,
        rejected=rejected,
        learning=tuple(runs),
        notes=tuple(notes),
        weak_dominance=weak,
        significance=significance,
    )
