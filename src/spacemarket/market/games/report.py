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

from ._arrays import MIXED_RTOL, PURE_RTOL, resolve_tol
from .dominance import DominanceResult
from .equilibrium import Equilibrium
from .gambit_solvers import gambit_available
from .learning import LearningResult
from .pure_nash import pure_profile_regrets
from .welfare import WelfareOptimum, welfare

if TYPE_CHECKING:
    import pandas as pd

    from .normal_form import NormalFormGame

__all__ = ["LEARNING_METHODS", "GameReport", "solve_game"]

#: Learning dynamics :func:`solve_game` can run, by name.
LEARNING_METHODS = ("fictitious play", "replicator", "ewa")
_ALIASES = {
    "fictitious_play": "fictitious play",
    "fp": "fictitious play",
    "replicator_dynamics": "replicator",
}


def _fmt(x: float) -> str:
    return f"{x:.6g}"


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
            rows.append(row)
        return pd.DataFrame(rows)

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
            rows.append(row)
        return pd.DataFrame(rows)

    def to_text(self, max_rows: int = 64) -> str:
        """A readable multi-line summary (payoff table only if it has <= ``max_rows`` rows)."""
        g = self.game
        players = "; ".join(
            f"{n} ({', '.join(a)})" for n, a in zip(g.player_names, g.action_names, strict=True)
        )
        title = f" {g.title}:" if g.title else ""
        lines = [f"Game:{title} {g.n_players} players - {players}"]
        nash, pareto, best = (
            self._pure_set(),
            set(self.pareto_set),
            set(self.welfare_optimum.profiles),
        )
        reg = pure_profile_regrets(g.payoffs).max(axis=-1)
        if len(g.profiles()) <= max_rows:
            lines.append("Payoffs (profile: payoffs | welfare | max regret | flags):")
            for prof in g.profiles():
                flags = [
                    f
                    for f, on in (
                        ("NE", prof in nash),
                        ("Pareto", prof in pareto),
                        ("welfare-max", prof in best),
                    )
                    if on
                ]
                pay = ", ".join(_fmt(u) for u in g.payoffs[prof])
                total = _fmt(float(g.payoffs[prof].sum()))
                lines.append(
                    f"  ({', '.join(g.label(prof))}): ({pay}) | {total}"
                    f" | {_fmt(float(reg[prof]))} | {' '.join(flags)}"
                )
        lines.append(f"Pure Nash equilibria ({len(self.pure_equilibria)}, tol {_fmt(self.tol)}):")
        for eq in self.pure_equilibria:
            lines.append(
                f"  {g.describe(eq)}  payoffs ({', '.join(_fmt(u) for u in eq.payoffs)})"
                f"  max regret {_fmt(eq.max_regret)}"
            )
        if not self.pure_equilibria:
            lines.append("  none")
        dom = self.dominance
        if dom.eliminations:
            lines.append(f"Iterated strict dominance ({dom.rounds} rounds):")
            for e in dom.eliminations:
                acts = g.action_names[e.player]
                lines.append(
                    f"  round {e.round}: {g.player_names[e.player]} drops {acts[e.action]}"
                    f" (dominated by {acts[e.dominated_by]}, margin {_fmt(e.margin)})"
                )
        else:
            lines.append("Iterated strict dominance: no strategy is strictly dominated")
        if dom.solved:
            lines.append(f"  dominance solvable: ({', '.join(g.label(dom.profile))})")  # type: ignore[arg-type]
        for label, opt in (
            ("Welfare-maximizing (sum of payoffs)", self.welfare_optimum),
            ("Welfare-maximizing (weighted)", self.weighted_welfare_optimum),
        ):
            if opt is not None:
                profs = "; ".join(f"({', '.join(g.label(p))})" for p in opt.profiles)
                lines.append(f"{label}: {profs}  welfare {_fmt(opt.welfare)}")
        lines.append(
            "Pareto set: " + "; ".join(f"({', '.join(g.label(p))})" for p in self.pareto_set)
        )
        if self.mixed_equilibria is not None:
            mixed = self.strictly_mixed_equilibria
            lines.append(
                f"Mixed equilibria ({self.mixed_method}, tol {_fmt(self.mixed_tol)}): "
                f"{len(self.mixed_equilibria)} found, {len(mixed)} strictly mixed"
            )
            for eq in mixed:
                lines.append(
                    f"  {g.describe(eq)}  payoffs ({', '.join(_fmt(u) for u in eq.payoffs)})"
                    f"  max regret {_fmt(eq.max_regret)}"
                )
        for eq in self.rejected:
            lines.append(
                f"  rejected ({eq.method}): {g.describe(eq)}  max regret {_fmt(eq.max_regret)}"
            )
        if self.learning:
            lines.append("Learning (repeated seasons):")
        for res in self.learning:
            if res.reached is None:
                outcome = f"no pure profile; final {g.describe(res.final, 3)}"
            else:
                is_ne = "a pure NE" if res.reached in nash else "NOT a pure NE"
                outcome = f"reached ({', '.join(g.label(res.reached))}), {is_ne}"
            lines.append(f"  {res.method}, {res.rounds} rounds: {outcome}")
        lines.extend(f"Note: {n}" for n in self.notes)
        return "\n".join(line.rstrip() for line in lines)


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
    )
