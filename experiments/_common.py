"""Shared command line of the experiment scripts (not part of the installed package).

The scripts take the same run-size and output arguments as ``spacemarket compare`` and check
them the same way (:mod:`spacemarket.experiments.cli.args`,
:mod:`spacemarket.experiments.outputs.policy`): a bad value is a one-line message and exit code
2, nothing written; a directory holding earlier results needs ``--overwrite`` or ``--resume``.

Run from a checkout with ``make demo`` done once, as ``.venv/bin/python experiments/NAME.py``.
Started by another Python (``python experiments/NAME.py``), a script re-runs itself with the
checkout's ``.venv`` if there is one, and otherwise says how to install the package.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _ensure_package() -> None:
    try:
        import spacemarket  # noqa: F401
    except ImportError:
        venv = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "python"
        if venv.is_file() and not os.environ.get("SPACEMARKET_REEXEC"):
            os.environ["SPACEMARKET_REEXEC"] = "1"  # once: a broken .venv must not loop
            os.execv(str(venv), [str(venv), *sys.argv])
        sys.exit(
            f"{Path(sys.argv[0]).name}: error: the spacemarket package is not installed; run "
            "`make demo` (or `pip install -e .`) in the checkout first"
        )


_ensure_package()

from spacemarket.experiments.cli.app import guarded  # noqa: E402
from spacemarket.experiments.cli.args import check_run_counts  # noqa: E402
from spacemarket.experiments.outputs.policy import (  # noqa: E402
    add_output_arguments,
    check_output_dir,
    output_dir,
)

__all__ = ["check", "output_dir", "parser", "run_script"]


def parser(description: str, out: str, seeds: int) -> argparse.ArgumentParser:
    """The shared flags: ``--out``, ``--overwrite``/``--resume``, ``--seeds``, ``--workers``,
    ``--steps`` and ``--quiet``."""
    p = argparse.ArgumentParser(description=description)
    add_output_arguments(p, resumable=True, default=out)
    p.add_argument(
        "--seeds", type=int, default=seeds, help="seeds per profile (default %(default)s, >= 2)"
    )
    p.add_argument("--workers", type=int, default=None, help="processes (default: CPUs)")
    p.add_argument("--steps", type=int, default=None, help="quarters per run (default: all)")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no summary")
    return p


def check(args: argparse.Namespace, n_quarters: int | None = None) -> None:
    """Check the shared arguments (raises ``InputError``: exit code 2 through run_script)."""
    if n_quarters is None:
        from spacemarket.market.scenario import load_scenario

        n_quarters = load_scenario("baseline-2026").n_quarters
    check_run_counts(seeds=args.seeds, steps=args.steps, workers=args.workers, min_seeds=2,
                     n_quarters=n_quarters, scenario="baseline-2026")  # fmt: skip
    check_output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True)


def run_script(main, argv: list[str] | None = None) -> int:
    """Run ``main(argv)`` with the CLI's error handling: one-line messages and exit codes."""
    import logging

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return guarded(lambda: main(argv), prog=Path(sys.argv[0]).name)
