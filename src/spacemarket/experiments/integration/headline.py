"""The headline experiment: does control of Stoke pay OpenAI, and how does SpaceX respond?

Two parts on the embedded ``baseline-2026`` scenario:

1. **Comparison** of four strategy profiles over ``seeds`` seeds (common random numbers):
   OpenAI independent (SpaceX integrated with xAI, the baseline structure), OpenAI with a
   long-term Stoke contract, OpenAI in control of Stoke (reached in three equity tranches),
   and SpaceX foreclosing launch to rival orbital data centers while OpenAI stays
   independent. Table with 95 % intervals and a share-trajectory panel per profile.
2. **The integration game** of the scenario's ``[game]`` table (OpenAI x SpaceX) over
   ``game_seeds`` seeds: the normal form, every equilibrium, dominance, welfare, the Pareto
   set, learning dynamics, foreclosure credibility and the sequential (acquire, then
   foreclose or supply) solution by backward induction.
3. **What would they do?** The same market with the players deciding during the run
   (``baseline-2026-endogenous``: OpenAI, SpaceX and Amazon weigh their options every year) over
   ``seeds`` seeds, beside the committed game's equilibria
   (:mod:`spacemarket.experiments.integration.endogenous`).

Run it with ``make demo``, ``spacemarket demo`` or ``python experiments/altman_stoke.py``.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from spacemarket.experiments.integration.compare import (
    compare_profiles,
    format_compare,
    write_compare,
)
from spacemarket.experiments.integration.endogenous import ENDOGENOUS_SCENARIO, run_endogenous
from spacemarket.experiments.integration.game import evaluate_game, game_setup
from spacemarket.experiments.outputs.files import atomic_write_text, write_frame, write_manifest

__all__ = ["HEADLINE_PROFILES", "HEADLINE_SCENARIO", "run_headline"]

HEADLINE_SCENARIO = "baseline-2026"

HEADLINE_PROFILES: list[dict[str, str]] = [
    {"OpenAI": "independent", "SpaceX": "integrate-xai"},
    {"OpenAI": "long-term-contract", "SpaceX": "integrate-xai"},
    {"OpenAI": "control-of-stoke", "SpaceX": "integrate-xai"},
    {"OpenAI": "independent", "SpaceX": "foreclose-launch"},
]


def write_game(result, out: Path) -> list[Path]:
    """Write the game's text report, payoffs, normal form, credibility and acquisitions."""
    return [
        atomic_write_text(out / "game.txt", result.to_text()),
        write_frame(result.payoffs, out / "game_payoffs.csv"),
        *(
            [write_frame(result.seed_payoffs, out / "game_payoffs_by_seed.csv")]
            if result.seed_payoffs is not None
            else []
        ),
        write_frame(result.report.to_frame(), out / "game_normal_form.csv"),
        write_frame(result.credibility, out / "game_credibility.csv"),
        write_frame(result.acquisitions, out / "game_acquisitions.csv"),
    ]


def run_headline(
    out: str | Path,
    *,
    scenario: str = HEADLINE_SCENARIO,
    seeds: int = 32,
    game_seeds: int = 8,
    workers: int | None = None,
    steps: int | None = None,
    overrides: dict[str, Any] | None = None,
    quiet: bool = True,
    profiles: list[dict[str, str]] | None = None,
    resume: bool = False,
) -> str:
    """Run the comparison and the game into ``out``; return the printed summary.

    ``out`` should be new or empty (see :mod:`.outdir` for the policy the commands apply);
    with ``resume`` the sweeps in it continue, keeping finished runs.
    """
    started = time.perf_counter()
    out = Path(out)
    chosen = profiles or HEADLINE_PROFILES
    comp = compare_profiles(
        scenario,
        chosen,
        out / "compare",
        replications=seeds,
        overrides=overrides,
        steps=steps,
        workers=workers,
        quiet=quiet,
        resume=resume,
    )
    write_compare(comp, out)
    setup = game_setup(scenario, replications=game_seeds, overrides=overrides, steps=steps)
    game = evaluate_game(setup, out / "game", workers=workers, quiet=quiet, resume=resume)
    write_game(game, out)
    equilibria = tuple(
        ", ".join(f"{p}: {a}" for p, a in zip(game.game.player_names,
                                               game.game.label(eq.pure_profile), strict=True))
        for eq in game.report.pure_equilibria
    )  # fmt: skip
    endogenous = None
    if scenario == HEADLINE_SCENARIO:  # the endogenous preset extends the headline scenario
        endogenous = run_endogenous(out, scenario=ENDOGENOUS_SCENARIO, seeds=seeds,
                                    workers=workers, steps=steps, overrides=overrides,
                                    quiet=quiet, resume=resume,
                                    committed_equilibria=equilibria)  # fmt: skip
    wall = time.perf_counter() - started
    write_manifest(
        out / "manifest.json",
        job="headline",
        scenario=scenario,
        seeds=seeds,
        game_seeds=game_seeds,
        steps=steps,
        overrides=overrides or {},
        profiles=chosen,
        wall_time_s=round(wall, 2),
    )
    text = format_compare(comp) + "\n" + game.to_text()
    return text + ("\n" + endogenous.to_text() if endogenous is not None else "")
