"""``spacemarket run``: one seeded run of the agent-based market, written to a directory.

Writes ``firms``, ``market`` and ``vehicles`` as Parquet (and CSV with ``--csv``), the
market-share plot ``shares.png``/``shares.svg``, ``summary.txt`` and ``manifest.json``.
``--set path.to.key=value`` (repeatable) overrides scenario values; the manifest records them
(``scenario_sha256`` is the hash of the file as written, before overrides). The
scenario and every argument are checked, and the whole run is computed, before anything is
written: bad input exits with code 2 and a one-line message, leaving the output directory
untouched. A directory that holds an earlier run is refused unless ``--overwrite``, which
replaces it atomically (:mod:`spacemarket.experiments.outputs.policy`).
"""

from __future__ import annotations

import argparse
import time
from importlib import resources
from pathlib import Path

from spacemarket.errors import InputError
from spacemarket.experiments.cli.scenarios import add_set_argument, parse_overrides, resolve
from spacemarket.experiments.outputs.policy import (
    add_output_arguments,
    check_output_dir,
    output_dir,
)

__all__ = ["DEFAULT_SCENARIO", "add_run_parser", "cmd_run", "run_from_argument"]


DEFAULT_SCENARIO = "baseline-2026"


def add_run_parser(sub: argparse._SubParsersAction) -> None:
    """Register the ``run`` command."""
    p = sub.add_parser(
        "run",
        help="run a market scenario for one seed and write its frames, plot and manifest",
        description=(
            "Run the agent-based launch and compute market on SCENARIO (a preset name or a TOML "
            "file) for one seed; write firms/market/vehicles tables, the market-share plot, a "
            "summary and manifest.json to --out (a new or empty directory; --overwrite replaces an "
            "earlier run, atomically)."
        ),
    )
    p.add_argument(
        "scenario",
        nargs="?",
        default=DEFAULT_SCENARIO,
        metavar="SCENARIO",
        help="preset name or path to a scenario TOML file (default %(default)s)",
    )
    p.add_argument("--seed", type=int, required=True, help="random seed (integer >= 0)")
    add_output_arguments(p, resumable=False)
    p.add_argument(
        "--steps", type=int, default=None, help="quarters to simulate (default: the whole scenario)"
    )
    add_set_argument(p)
    p.add_argument("--csv", action="store_true", help="also write the tables as CSV")
    p.add_argument("--quiet", action="store_true", help="do not print the summary")
    p.add_argument(
        "--mode",
        choices=("committed", "endogenous"),
        default=None,
        help="committed: the scenario's structure as given; endogenous: the players of its "
        "[game] decide at epochs, written to events.parquet (default: the scenario's game.mode)",
    )
    p.set_defaults(func=cmd_run)


def _scenario_bytes(name: str) -> bytes | None:
    """The bytes of the scenario file ``load_scenario(name)`` reads (None if unreadable)."""
    from spacemarket.market.scenario import preset_names

    try:
        if name in preset_names():
            root = resources.files("spacemarket.market.data.scenarios")
            return root.joinpath(f"{name}.toml").read_bytes()
        return Path(name).read_bytes()
    except OSError:
        return None


def _load(name: str, overrides: dict | None = None):
    """The validated scenario; a :class:`ScenarioError` propagates (``main`` exits 2)."""
    return resolve(name, overrides)[1]


def run_from_argument(
    scenario_arg: str,
    *,
    seed: int,
    steps: int | None = None,
    overrides: dict | None = None,
    started: float | None = None,
    mode: str | None = None,
):
    """Check the seed, load ``scenario_arg`` and compute (not write) the run's outputs.

    Raises :class:`InputError` / :class:`ScenarioError` naming the argument before any run.
    """
    from spacemarket.experiments.integration.run import check_seed, compute_run, scenario_sha256

    started = time.perf_counter() if started is None else started
    check_seed(seed)
    data = _scenario_bytes(scenario_arg)
    scenario = _load(scenario_arg, overrides)
    return compute_run(
        scenario,
        seed=seed,
        steps=steps,
        started=started,
        scenario_argument=scenario_arg,
        file_sha256=scenario_sha256(data) if data is not None else None,
        overrides=overrides,
        mode=mode,
    )


def cmd_run(args: argparse.Namespace) -> int:
    from spacemarket.experiments.integration.run import write_run_outputs

    started = time.perf_counter()
    if args.seed < 0:
        raise InputError("--seed", f"must be >= 0, got {args.seed}")
    out = check_output_dir(args.out, overwrite=args.overwrite)
    overrides = parse_overrides(getattr(args, "overrides", None))
    outputs = run_from_argument(
        args.scenario,
        seed=args.seed,
        steps=args.steps,
        overrides=overrides,
        started=started,
        mode=args.mode,
    )
    with output_dir(out, overwrite=args.overwrite) as target:
        write_run_outputs(outputs, target, csv=args.csv, started=started)
    if not args.quiet:
        print(outputs.summary_text)
        tables = "Parquet and CSV" if args.csv else "Parquet"
        print(f"\nwrote tables ({tables}), shares.png/.svg, summary and manifest.json to {out}")
    return 0
