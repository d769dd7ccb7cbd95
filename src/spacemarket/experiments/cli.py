"""The ``spacemarket`` command line. Library code logs; this module prints.

Exit codes: 0 success, 2 bad input (a one-line message naming the argument, no traceback),
1 an output that could not be written.
"""

from __future__ import annotations

import argparse
import logging
import sys

from spacemarket import __version__
from spacemarket.market.physics import InputError
from spacemarket.market.scenario import ScenarioError

from .costs_cli import add_costs_parser
from .game_cli import add_compare_parser, add_game_parser
from .output import OutputError
from .run_cli import add_run_parser
from .scenarios_cli import add_scenarios_parser
from .sensitivity import add_sensitivity_parser
from .sweep_cli import add_summarize_parser, add_sweep_parser
from .sweep_plots import add_plot_parser

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="spacemarket",
        description="Strategic-market model of AI data centers in orbit.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    add_costs_parser(sub)
    add_run_parser(sub)
    add_scenarios_parser(sub)
    add_sweep_parser(sub)
    add_summarize_parser(sub)
    add_plot_parser(sub)
    add_sensitivity_parser(sub)
    add_compare_parser(sub)
    add_game_parser(sub)
    demo = sub.add_parser(
        "demo",
        help="run the headline experiment (strategies compared, the integration game) and the "
        "cost tables on the embedded defaults",
    )
    demo.add_argument("--out", default="results/demo", help="output directory")
    demo.add_argument("--seeds", type=int, default=32, help="seeds per compared strategy")
    demo.add_argument("--game-seeds", type=int, default=8, help="seeds per game profile")
    demo.add_argument("--workers", type=int, default=None, help="processes (default: CPUs)")
    demo.add_argument("--steps", type=int, default=None, help="quarters per run (default: all)")
    demo.add_argument("--quiet", action="store_true", help="do not print the summary")
    demo.set_defaults(func=cmd_demo)
    return parser


def cmd_demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .demo import run_cost_demo
    from .headline import run_headline

    for name in ("seeds", "game_seeds"):
        if getattr(args, name) < 2:
            raise InputError(f"--{name.replace('_', '-')}", "must be >= 2 (for intervals)")
    out = Path(args.out)
    if args.steps is not None and args.steps < 1:
        raise InputError("--steps", f"must be >= 1, got {args.steps}")
    headline = run_headline(out / "headline", seeds=args.seeds, game_seeds=args.game_seeds,
                            workers=args.workers, steps=args.steps, quiet=args.quiet)  # fmt: skip
    costs = run_cost_demo(out / "costs")
    if not args.quiet:
        print(headline)
        print(costs)
        print(f"\nwrote the headline experiment to {out / 'headline'} and the cost tables to "
              f"{out / 'costs'}")  # fmt: skip
    return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``spacemarket`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("mesa").setLevel(logging.WARNING)  # one line per step is noise
    try:
        return args.func(args)
    except (InputError, ScenarioError) as exc:
        print(f"spacemarket: error: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"spacemarket: error: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # e.g. `spacemarket costs launch | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
