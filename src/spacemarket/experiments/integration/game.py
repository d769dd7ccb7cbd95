"""The integration game: payoffs from model runs, equilibria, credibility, sequential play.

Players and action sets come from the scenario's ``[game]`` table
(:mod:`spacemarket.market.scenario.game_spec`) or are given. Every pure profile is run
``replications`` times through the sweep runner (:func:`.game_runs.run_profiles`, common
random numbers across profiles). A player's payoff in a run is the discounted profit of its
firms (``payoff_firms``, weights = cash-flow rights; a lab's profit is minus its cost of
compute), averaged over replications. Then:

* **Acquisition** (a strategy with ``acquires``): the price of 100 % of the target is the
  Nash bargain between the acquirer and the target's owners (:func:`acquisition_price`),
  with the target's standalone value from the model (its discounted profit in the same
  profile with the acquirer at its status quo) as the owners' disagreement payoff and the
  acquirer's valuation = the target's discounted profit under its control + the acquirer's
  own gain. The acquirer pays its final stake of that price (tranche by tranche, in present
  value) and receives the target's profit weighted by its stake quarter by quarter. If the
  valuation does not exceed the standalone value the acquirer pays the standalone value (the
  owners' reservation price). Payments are transfers that do not change the model's
  dynamics, so they are added after the runs.
* **Credibility** (a strategy with a ``supply_alternative``): a foreclosure is flagged
  non-credible in a profile where the same player's supply alternative pays it more given the
  others' actions (Hart and Tirole 1990).
* **Sequential play**: players move in the order of the ``players`` table (acquirers first,
  then the supplier decides to foreclose or supply); the tree is solved by backward
  induction, which removes non-credible foreclosure.
* **Simultaneous play**: :func:`spacemarket.market.games.solve_game` - pure equilibria,
  iterated dominance, mixed equilibria (support enumeration; pygambit for 3+ players if
  installed), welfare maximum, Pareto set, and fictitious-play/replicator learning.

**Uncertainty.** The game is solved on the mean payoffs, but every verdict - each dominance
elimination, each equilibrium's deviations, the welfare maximum, each backward-induction
choice, each credibility verdict - is a difference between profiles, and replication ``r``
has the same seed in every profile, so the difference is computed seed by seed and reported
as its mean with a 95 % Student-t interval
(:class:`~spacemarket.market.games.PairedDifference`). A verdict whose interval covers zero is
printed "not significant", with an estimate of the seeds that would settle it; the report
ends with the list of such verdicts. ``game_payoffs.csv`` carries each payoff's interval,
:attr:`IntegrationGameResult.seed_payoffs` every seed's payoff.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from spacemarket.errors import ScenarioError
from spacemarket.experiments.integration.effects import game_tie_lines
from spacemarket.experiments.integration.runs import profile_label, read_summaries, run_profiles
from spacemarket.experiments.integration.structure import acquisition_lines as _acquisition_lines
from spacemarket.experiments.integration.structure import acquisition_payoffs as _acquisition
from spacemarket.experiments.integration.structure import credibility_lines as _credibility_lines
from spacemarket.experiments.integration.structure import credibility_row_difference, with_action
from spacemarket.experiments.integration.structure import credibility_table as _credibility
from spacemarket.experiments.integration.structure import sequential_tree as _tree
from spacemarket.market.games import (
    NormalFormGame,
    backward_induction,
    check_choices,
    solve_game,
    t_interval,
)
from spacemarket.market.games.report_text import summary_lines
from spacemarket.market.scenario import load_scenario
from spacemarket.market.scenario.strategies import get_strategy, status_quo

__all__ = ["GameSetup", "IntegrationGameResult", "evaluate_game", "game_setup"]


@dataclass(frozen=True)
class GameSetup:
    """What to play: scenario, players and actions, payoff weights, discounting, seeds."""

    scenario: str
    players: dict[str, tuple[str, ...]]
    payoff_firms: dict[str, dict[str, float]]
    discount_rate_per_year: float = 0.08
    seller_weight: float = 0.5
    replications: int = 8
    overrides: dict[str, Any] = field(default_factory=dict)
    steps: int | None = None
    root_seed: int = 2026


def game_setup(
    scenario: str = "baseline-2026",
    *,
    players: dict[str, list[str]] | None = None,
    payoff_firms: dict[str, dict[str, float]] | None = None,
    replications: int | None = None,
    overrides: dict[str, Any] | None = None,
    steps: int | None = None,
    root_seed: int = 2026,
) -> GameSetup:
    """A :class:`GameSetup` from the scenario's ``[game]`` table, with optional replacements.

    ``players`` may restrict or replace the action sets (names are checked against the
    strategy registry). ``payoff_firms`` overrides the table's weights per player; a player
    with neither counts the firm named like it (weight 1) if the scenario has one. Raises
    :class:`ScenarioError` naming the key if the scenario has no game and no players are
    given, or a player's payoff firms cannot be found.
    """
    if replications is not None and not 1 <= replications <= 10_000:
        raise ScenarioError("game.replications", f"must be in [1, 10000], got {replications}")
    s = load_scenario(scenario, overrides or None)
    spec = s.game
    if spec is None and players is None:
        raise ScenarioError(
            "game",
            "the scenario has no [game] table: give the players (--player PLAYER=A,B and, "
            "unless a firm is named like the player, --payoff PLAYER=FIRM:WEIGHT)",
            s.source_file,
        )
    acts = {p: tuple(a) for p, a in (players or spec.players).items()}
    for p, names in acts.items():
        if not names:
            raise ScenarioError(f"game.players.{p}", "needs at least one strategy", s.source_file)
        for n in names:
            get_strategy(p, n, s.source_file)
    firms = {f.name for group in (s.providers, s.clouds, s.labs) for f in group}
    weights = dict(spec.payoff_firms) if spec is not None else {}
    weights.update(payoff_firms or {})
    for p in acts:
        if p not in weights and p in firms:
            weights[p] = {p: 1.0}
        if p not in weights:
            raise ScenarioError(
                f"game.payoff_firms.{p}",
                "missing: name the firms whose profit this player counts (--payoff)",
                s.source_file,
            )
        for firm, w in weights[p].items():
            if firm not in firms or not 0.0 <= w <= 1.0:
                raise ScenarioError(
                    f"game.payoff_firms.{p}.{firm}",
                    "unknown firm" if firm not in firms else "expected a weight in [0, 1]",
                    s.source_file,
                )
    return GameSetup(
        scenario=scenario,
        players=acts,
        payoff_firms={p: weights[p] for p in acts},
        discount_rate_per_year=spec.discount_rate_per_year if spec else 0.08,
        seller_weight=spec.seller_weight if spec else 0.5,
        replications=replications
        if replications is not None
        else (spec.replications if spec else 8),
        overrides=dict(overrides or {}),
        steps=steps,
        root_seed=root_seed,
    )


def needed_profiles(setup: GameSetup) -> list[dict[str, str]]:
    """Every pure profile, then the counterfactuals acquisitions and credibility need.

    Counterfactuals of counterfactuals are added too (a supply alternative whose acquirer
    needs its status quo), until the set is closed.
    """
    names = list(setup.players)
    profiles = [
        dict(zip(names, combo, strict=True)) for combo in itertools.product(*setup.players.values())
    ]
    seen = {profile_label(p) for p in profiles}
    queue = list(profiles)
    while queue:
        prof = queue.pop(0)
        for p, a in prof.items():
            strat = get_strategy(p, a)
            for alt in (status_quo(p) if strat.acquires else None, strat.supply_alternative):
                if alt is None:
                    continue
                other = with_action(prof, p, alt)
                if profile_label(other) not in seen:
                    seen.add(profile_label(other))
                    profiles.append(other)
                    queue.append(other)
    return profiles


@dataclass
class IntegrationGameResult:
    """Payoffs, the normal-form game and its analysis, credibility and sequential play.

    ``payoffs``: one row per profile and player - mean payoff over seeds, its 95 % t-interval,
    sd and seed count (USD, present value); ``seed_payoffs``: one row per profile, player and
    replication (the per-seed values the intervals and paired differences come from);
    ``choices``: the paired check of each backward-induction choice.
    """

    setup: GameSetup
    payoffs: pd.DataFrame
    game: NormalFormGame
    report: Any
    sequential: Any
    credibility: pd.DataFrame
    acquisitions: pd.DataFrame
    out: Path | None = None
    seed_payoffs: pd.DataFrame | None = None
    choices: tuple = ()

    def _choice_lines(self) -> tuple[list[str], list[str]]:
        lines, fragile = [], []
        names = self.game.player_names
        for chk in self.choices:
            parts = [f"over {alt} {d.describe()}" for alt, d in chk.comparisons.items()]
            if parts:
                lines.append(f"    {chk.node}: {chk.action} " + "; ".join(parts))
            for alt, d in chk.comparisons.items():
                if not (d.significantly_positive or d.tie):
                    fragile.append(
                        f"backward induction at {chk.node}: {names[chk.player]} picks "
                        f"{chk.action} over {alt} ({d.interval_text()})"
                    )
        return lines, fragile

    def verdicts_not_significant(self) -> list[str]:
        """Every verdict (game report, backward induction, credibility) whose paired
        interval over seeds covers zero."""
        fragile = list(self.report.fragile_verdicts())
        fragile += self._choice_lines()[1]
        for r in self.credibility.itertuples():
            if r.significance == "not significant":
                fragile.append(
                    f"credibility in {r.profile}: {r.player} {r.action} "
                    f"{'credible' if r.credible else 'not credible'} "
                    f"(foreclose minus supply {credibility_row_difference(r).interval_text(1e9)}"
                    " USD bn)"
                )
        return fragile

    def to_text(self) -> str:
        """A readable account: payoffs, equilibria, welfare, credibility, sequential play;
        every verdict with its paired interval over seeds, and the verdicts that are not
        significant listed at the end."""
        lines = [
            f"Integration game on {self.setup.scenario}: players "
            + ", ".join(f"{p} {list(a)}" for p, a in self.setup.players.items()),
            f"payoffs: discounted profit at {self.setup.discount_rate_per_year:.0%}/yr, "
            f"USD billions, mean of {self.setup.replications} seeds (common random numbers: "
            "seed r is the same in every profile)",
            "",
        ]
        lines.append(self.report.to_text(summary=False))
        lines += ["", "Sequential play (players move in the order listed; backward induction):"]
        lines.append("  path: " + " -> ".join(f"{n}: {a}" for n, a in self.sequential.path))
        choice_lines, _ = self._choice_lines()
        if choice_lines:
            lines.append("  choices (mover's payoff, chosen minus alternative, USD bn):")
            lines += choice_lines
        checks = {c.node: c for c in self.choices}
        for node, action, loss in self.sequential.non_credible_actions():
            player = node.split(" after ")[0]
            if get_strategy(player, action).supply_alternative is not None:
                d = checks[node].comparisons[action] if node in checks else None
                why = f"{loss:.2f}" if d is None else d.describe()
                lines.append(f"  not credible at {node}: {action} (gives up {why})")
        lines += _credibility_lines(self.credibility)
        lines += _acquisition_lines(self.acquisitions)
        lines += game_tie_lines(self.seed_payoffs, self.setup.players)
        if self.report.significance is not None:
            lines += ["", *summary_lines(self.verdicts_not_significant())]
        return "\n".join(lines) + "\n"


def _player_base(summary, weights: dict[str, float]) -> float:
    return float(sum(w * summary.discounted_profit_usd[f].sum() for f, w in weights.items()))


def evaluate_game(
    setup: GameSetup,
    out: str | Path,
    *,
    workers: int | None = None,
    dask_local: int | None = None,
    scheduler: str | None = None,
    resume: bool = False,
    quiet: bool = True,
    learning: tuple[str, ...] = ("fictitious play", "replicator"),
) -> IntegrationGameResult:
    """Run every profile, price acquisitions, build and solve the game (see module doc)."""
    out = Path(out)
    profiles = needed_profiles(setup)
    table = run_profiles(
        setup.scenario,
        profiles,
        out,
        replications=setup.replications,
        root_seed=setup.root_seed,
        overrides=setup.overrides,
        steps=setup.steps,
        workers=workers,
        dask_local=dask_local,
        scheduler=scheduler,
        resume=resume,
        quiet=quiet,
    )
    sums = read_summaries(out, table, setup.discount_rate_per_year)
    reps = range(setup.replications)
    players = list(setup.players)
    base = {
        (profile_label(prof), r): {
            p: _player_base(sums[(profile_label(prof), r)], setup.payoff_firms[p]) for p in players
        }
        for prof in profiles
        for r in reps
    }
    acq_rows: list[dict[str, Any]] = []
    pay: dict[str, dict[str, np.ndarray]] = {}
    for prof in profiles:
        label = profile_label(prof)
        values = {p: np.array([base[(label, r)][p] for r in reps]) for p in players}
        for p, a in prof.items():
            strat = get_strategy(p, a)
            if strat.acquires is None:
                continue
            values[p] = values[p] + _acquisition(setup, sums, base, prof, p, strat, acq_rows)
        pay[label] = values
    names = list(setup.players)
    shape = tuple(len(a) for a in setup.players.values())
    arr = np.zeros((*shape, len(names)))
    samples = np.zeros((*shape, len(names), setup.replications))
    rows, seed_rows = [], []
    for idx in itertools.product(*(range(n) for n in shape)):
        prof = {p: setup.players[p][i] for p, i in zip(names, idx, strict=True)}
        label = profile_label(prof)
        for k, p in enumerate(names):
            v = pay[label][p]
            arr[(*idx, k)] = v.mean() / 1e9
            samples[(*idx, k)] = v / 1e9
            lo, hi = t_interval(v)
            rows.append(
                {
                    "profile": label,
                    **prof,
                    "player": p,
                    "payoff_usd": float(v.mean()),
                    "ci_low_usd": lo,
                    "ci_high_usd": hi,
                    "sd_usd": float(v.std(ddof=1)) if v.size > 1 else math.nan,
                    "n_seeds": int(v.size),
                }
            )
            seed_rows += [{"profile": label, **prof, "player": p, "replication": r,
                           "payoff_usd": float(x)} for r, x in enumerate(v)]  # fmt: skip
    game = NormalFormGame(
        arr,
        player_names=names,
        action_names=[setup.players[p] for p in names],
        title=f"integration game ({setup.scenario}), USD bn",
    )
    tol = 1e-6 * max(1.0, float(np.abs(arr).max()))
    report = solve_game(game, tol=tol, learning=learning, rng=setup.root_seed, samples=samples)
    tree = _tree(setup, arr, samples)
    sequential = backward_induction(tree, tol=report.tol)
    return IntegrationGameResult(
        setup,
        pd.DataFrame(rows),
        game,
        report,
        sequential,
        _credibility(setup, profiles, pay),
        pd.DataFrame(acq_rows),
        out,
        seed_payoffs=pd.DataFrame(seed_rows),
        choices=check_choices(tree, sequential),
    )
