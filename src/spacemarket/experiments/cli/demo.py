"""``spacemarket demo``: the headline experiment, the cost tables and one baseline run.

What ``make demo`` runs. Writes ``OUT/headline`` (strategies compared over seeds, the
integration game), ``OUT/costs`` (orbit versus ground per kW-year) and ``OUT/baseline`` (one
seeded run of the baseline scenario with its share plot). A directory holding an earlier demo
is refused unless ``--overwrite`` (replace it, atomically: ``make demo`` does this, so it
reruns cleanly) or ``--resume`` (continue an interrupted demo: finished runs are kept).
"""

from __future__ import annotations

import argparse
import time

from spacemarket.experiments.cli.args import check_run_counts
from spacemarket.experiments.outputs.policy import (
    add_output_arguments,
    check_output_dir,
    output_dir,
)

__all__ = ["BASELINE_SEED", "add_demo_parser", "cmd_demo"]

#: Seed of the single baseline run the demo writes (the README's figures use it).
BASELINE_SEED = 1

DESCRIPTION = """\
Run the headline experiment on the embedded baseline-2026 scenario: four strategy profiles
(OpenAI independent, a long-term Stoke contract, control of Stoke, SpaceX foreclosing launch)
compared over --seeds seeds with paired intervals, the OpenAI x SpaceX integration game over
--game-seeds seeds, the players deciding during the run (endogenous mode) over --seeds seeds,
the orbit-versus-ground cost tables, and one baseline run (seed 1). Writes OUT/headline,
OUT/costs and OUT/baseline; about 16 minutes on 2 cores.

examples:
  spacemarket demo                      # into results/demo (must be new or empty)
  spacemarket demo --overwrite          # replace an earlier demo (what `make demo` does)
  spacemarket demo --resume             # finish an interrupted demo
  spacemarket demo --seeds 4 --game-seeds 2 --steps 8 --out /tmp/demo   # a quick look"""


def add_demo_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``spacemarket demo``."""
    p = sub.add_parser(
        "demo",
        help="run the headline experiment (strategies compared, the integration game), the "
        "cost tables and a baseline run on the embedded defaults",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_output_arguments(p, resumable=True, default="results/demo")
    p.add_argument("--seeds", type=int, default=32, help="seeds per compared strategy (>= 2)")
    p.add_argument("--game-seeds", type=int, default=8, help="seeds per game profile (>= 2)")
    p.add_argument("--workers", type=int, default=None, help="processes (default: CPUs)")
    p.add_argument("--steps", type=int, default=None, help="quarters per run (default: all)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no printed summary")
    p.set_defaults(func=cmd_demo)


def cmd_demo(args: argparse.Namespace) -> int:
    from spacemarket.experiments.cli.run import run_from_argument
    from spacemarket.experiments.integration.cost_demo import run_cost_demo
    from spacemarket.experiments.integration.headline import HEADLINE_SCENARIO, run_headline
    from spacemarket.experiments.integration.run import write_run_outputs
    from spacemarket.market.scenario import load_scenario

    started = time.perf_counter()
    n_quarters = load_scenario(HEADLINE_SCENARIO).n_quarters
    check_run_counts(seeds=args.seeds, game_seeds=args.game_seeds, steps=args.steps,
                     workers=args.workers, min_seeds=2, n_quarters=n_quarters,
                     scenario=HEADLINE_SCENARIO)  # fmt: skip
    check_output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True)
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        headline = run_headline(out / "headline", seeds=args.seeds, game_seeds=args.game_seeds,
                                workers=args.workers, steps=args.steps, quiet=args.quiet,
                                resume=args.resume)  # fmt: skip
        costs = run_cost_demo(out / "costs")
        baseline = run_from_argument(HEADLINE_SCENARIO, seed=BASELINE_SEED, steps=args.steps)
        write_run_outputs(baseline, out / "baseline", started=started)
    if not args.quiet:
        print(headline)
        print(costs)
        print(baseline.summary_text)
        print(f"\nwrote the headline experiment to {args.out}/headline, the cost tables to "
              f"{args.out}/costs and a baseline run (seed {BASELINE_SEED}) to "
              f"{args.out}/baseline")  # fmt: skip
    return 0
