"""The ``spacemarket`` command line. Library code logs; this module prints.

Exit codes: 0 success, 2 bad input (a one-line message naming the argument, no traceback),
1 an output that could not be written.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable

from spacemarket import __version__
from spacemarket.errors import InputError, OutputError, ScenarioError
from spacemarket.experiments.cli.costs import add_costs_parser
from spacemarket.experiments.cli.demo import add_demo_parser
from spacemarket.experiments.cli.game import add_compare_parser, add_game_parser
from spacemarket.experiments.cli.plot import add_plot_parser
from spacemarket.experiments.cli.run import add_run_parser
from spacemarket.experiments.cli.scenarios import add_scenarios_parser
from spacemarket.experiments.cli.sensitivity import add_sensitivity_parser
from spacemarket.experiments.cli.strategies import add_strategies_parser
from spacemarket.experiments.cli.sweep import add_summarize_parser, add_sweep_parser

__all__ = ["build_parser", "guarded", "main"]


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
    add_demo_parser(sub)
    add_strategies_parser(sub)
    return parser


def guarded(func: Callable[[], int], prog: str = "spacemarket") -> int:
    """Call ``func`` with the command line's error handling; return the exit code.

    Bad input (:class:`InputError`, :class:`ScenarioError`): a one-line message, exit 2. An
    output that cannot be written: exit 1. Ctrl-C or SIGTERM: exit 130 (a sweep keeps its
    finished runs for ``--resume``). The experiment scripts use it too.
    """
    from spacemarket.experiments.outputs.signals import install_sigterm_handler

    logging.getLogger("mesa").setLevel(logging.WARNING)  # one line per step is noise
    install_sigterm_handler()  # SIGTERM takes Ctrl-C's path: workers stopped, lock released
    try:
        return func()
    except (InputError, ScenarioError) as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except OutputError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `spacemarket costs launch | head`
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``spacemarket`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    return guarded(lambda: args.func(args))
