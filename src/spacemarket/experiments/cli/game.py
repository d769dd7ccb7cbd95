"""``spacemarket compare`` and ``spacemarket game``: strategies side by side, and their game.

Both run every profile through the sweep runner (local process pool, or Dask with
``--dask-local``/``--scheduler``) on common random numbers; ``--resume`` finishes an
interrupted run, ``--overwrite`` replaces an earlier one (:mod:`.outdir`).
"""

from __future__ import annotations

import argparse

from spacemarket.errors import InputError
from spacemarket.experiments.cli.args import check_run_counts
from spacemarket.experiments.cli.scenarios import add_set_argument, parse_overrides
from spacemarket.experiments.outputs.policy import (
    add_output_arguments,
    check_output_dir,
    output_dir,
)
from spacemarket.market.scenario.strategies import get_strategy

__all__ = ["add_compare_parser", "add_game_parser", "parse_profile"]

COMPARE_DESCRIPTION = """\
Run each strategy profile over the same seeds (common random numbers) and tabulate, per
profile, each metric's mean and 95 % interval and its paired difference from the first
profile (the status quo). Writes compare.csv/.txt/.md, compare_shares.png and the sweep.

examples:
  spacemarket compare baseline-2026 --out results/cmp
  spacemarket compare baseline-2026 --strategy OpenAI=independent \\
      --strategy OpenAI=control-of-stoke,SpaceX=foreclose-launch --seeds 32 --out results/cmp

`spacemarket strategies` lists every player's strategies."""

GAME_DESCRIPTION = """\
Solve a scenario's integration game: every profile of the players' strategies is run over
the same seeds; payoffs are the players' discounted profits. Reports the normal form, pure
and mixed equilibria, dominance, the welfare maximum, the Pareto set, learning dynamics,
foreclosure credibility and the sequential game by backward induction, each verdict with a
paired 95 % interval over seeds (a difference whose interval covers zero is 'not
significant'). Writes game.txt and game_*.csv.

examples:
  spacemarket game baseline-2026 --seeds 8 --out results/game
  spacemarket game baseline-2026 --player OpenAI=independent,control-of-stoke \\
      --player SpaceX=integrate-xai,foreclose-launch --out results/game2

`spacemarket strategies` lists every player's strategies."""


def parse_profile(text: str) -> dict[str, str]:
    """``"OpenAI=control-of-stoke,SpaceX=foreclose-launch"`` -> a checked profile dict."""
    profile: dict[str, str] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        player, sep, name = part.partition("=")
        if not sep or not player or not name:
            raise InputError("--strategy", f"expected PLAYER=STRATEGY[,...], got {text!r}")
        get_strategy(player.strip(), name.strip())
        if player.strip() in profile:
            raise InputError(
                "--strategy",
                f"player {player.strip()} is given twice in {text!r} "
                f"({profile[player.strip()]} and {name.strip()})",
            )
        profile[player.strip()] = name.strip()
    if not profile:
        raise InputError("--strategy", "empty profile")
    return profile


def _parse_player(text: str) -> tuple[str, list[str]]:
    player, sep, names = text.partition("=")
    actions = [n.strip() for n in names.split(",") if n.strip()]
    if not sep or not player.strip() or not actions:
        raise InputError("--player", f"expected PLAYER=STRATEGY,STRATEGY..., got {text!r}")
    for n in actions:
        get_strategy(player.strip(), n)
    return player.strip(), actions


def _parse_payoff(text: str) -> tuple[str, dict[str, float]]:
    player, sep, body = text.partition("=")
    weights: dict[str, float] = {}
    for part in filter(None, (x.strip() for x in body.split(","))):
        firm, colon, weight = part.rpartition(":")
        try:
            weights[firm.strip()] = float(weight)
        except ValueError:
            colon = ""
        if not colon or not firm.strip():
            raise InputError("--payoff", f"expected PLAYER=FIRM:WEIGHT[,...], got {text!r}")
    if not sep or not player.strip() or not weights:
        raise InputError("--payoff", f"expected PLAYER=FIRM:WEIGHT[,...], got {text!r}")
    return player.strip(), weights


def _common(p: argparse.ArgumentParser, seeds: int | None) -> None:
    p.add_argument(
        "scenario",
        nargs="?",
        default="baseline-2026",
        help="preset name or scenario TOML file (default %(default)s)",
    )
    p.add_argument(
        "--seeds",
        type=int,
        default=seeds,
        help="replications per profile"
        + (f" (default {seeds})" if seeds else " (default: the scenario's [game] table, else 8)"),
    )
    p.add_argument("--root-seed", type=int, default=2026, help="root of every run's seed")
    p.add_argument("--steps", type=int, default=None, help="quarters per run (default: all)")
    add_output_arguments(p, resumable=True)
    p.add_argument("--workers", type=int, default=None, help="local processes (default: CPUs)")
    dask = p.add_mutually_exclusive_group()
    dask.add_argument(
        "--dask-local",
        type=int,
        default=None,
        metavar="N",
        help="run on a local Dask cluster of N workers",
    )
    dask.add_argument("--scheduler", default=None, help="address of a Dask scheduler")
    p.add_argument("--quiet", action="store_true", help="no progress bar, no printed summary")
    add_set_argument(p)


def _check(args: argparse.Namespace) -> None:
    check_run_counts(seeds=args.seeds, steps=args.steps, workers=args.workers)
    if args.dask_local is not None and args.dask_local < 1:
        raise InputError("--dask-local", f"must be >= 1, got {args.dask_local}")
    check_output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True)


def add_compare_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``spacemarket compare``."""
    p = sub.add_parser(
        "compare",
        help="compare strategy profiles side by side over seeds",
        description=COMPARE_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p, 32)
    p.add_argument(
        "--strategy",
        action="append",
        default=[],
        metavar="PLAYER=NAME[,...]",
        help="a profile to compare (repeatable); default: each strategy of the "
        "scenario's game alone",
    )
    p.add_argument(
        "--discount-rate",
        type=float,
        default=None,
        help="per year, for discounted profits (default: the scenario's [game] table, else 0.08)",
    )
    p.add_argument("--lab", default="OpenAI", help="lab whose cost of compute is reported")
    p.set_defaults(func=cmd_compare)


def cmd_compare(args: argparse.Namespace) -> int:
    from spacemarket.experiments.cli.scenarios import resolve
    from spacemarket.experiments.integration.compare import (
        compare_profiles,
        format_compare,
        write_compare,
    )

    _check(args)
    overrides = parse_overrides(args.overrides)
    _, scenario = resolve(args.scenario, overrides or None)
    check_run_counts(steps=args.steps, n_quarters=scenario.n_quarters, scenario=scenario.name)
    if args.lab not in {lab.name for lab in scenario.labs}:
        known = ", ".join(lab.name for lab in scenario.labs)
        raise InputError("--lab", f"no lab {args.lab!r} in {args.scenario} (labs: {known})")
    rate = args.discount_rate
    if rate is None:
        rate = scenario.game.discount_rate_per_year if scenario.game is not None else 0.08
    if not 0.0 <= rate < 1.0:
        raise InputError("--discount-rate", f"must be in [0, 1), got {rate}")
    profiles = [parse_profile(t) for t in args.strategy]
    if not profiles:
        if scenario.game is None:
            raise InputError("--strategy", "the scenario has no [game] table: give profiles")
        profiles = [{p: a} for p, acts in scenario.game.players.items() for a in acts]
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        result = compare_profiles(
            args.scenario,
            profiles,
            out,
            replications=args.seeds,
            root_seed=args.root_seed,
            overrides=overrides,
            steps=args.steps,
            discount_rate_per_year=rate,
            focus_lab=args.lab,
            workers=args.workers,
            dask_local=args.dask_local,
            scheduler=args.scheduler,
            resume=args.resume,
            quiet=args.quiet,
        )
        write_compare(result, out)
    if not args.quiet:
        print(format_compare(result))
        print(f"wrote compare.csv, compare.txt, compare.md, compare_shares.png to {args.out}")
    return 0


def add_game_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``spacemarket game``."""
    p = sub.add_parser(
        "game",
        help="solve the integration game of a scenario",
        description=GAME_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(p, None)
    p.add_argument(
        "--payoff",
        action="append",
        default=[],
        metavar="PLAYER=FIRM:WEIGHT[,...]",
        help="firms whose discounted profit a player counts (repeatable); default: the "
        "scenario's [game] table, else the firm named like the player, weight 1",
    )
    p.add_argument(
        "--player",
        action="append",
        default=[],
        metavar="PLAYER=A,B,...",
        help="a player and its strategies (repeatable); default: the scenario's [game] table",
    )
    p.set_defaults(func=cmd_game)


def cmd_game(args: argparse.Namespace) -> int:
    from spacemarket.experiments.cli.scenarios import resolve
    from spacemarket.experiments.integration.game import evaluate_game, game_setup
    from spacemarket.experiments.integration.headline import write_game

    _check(args)
    overrides = parse_overrides(args.overrides)
    _, scenario = resolve(args.scenario, overrides or None)
    check_run_counts(steps=args.steps, n_quarters=scenario.n_quarters, scenario=scenario.name)
    players = dict(_parse_player(t) for t in args.player) or None
    payoffs = dict(_parse_payoff(t) for t in args.payoff) or None
    setup = game_setup(
        args.scenario,
        players=players,
        payoff_firms=payoffs,
        replications=args.seeds,
        overrides=overrides,
        steps=args.steps,
        root_seed=args.root_seed,
    )
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        result = evaluate_game(
            setup,
            out,
            workers=args.workers,
            dask_local=args.dask_local,
            scheduler=args.scheduler,
            resume=args.resume,
            quiet=args.quiet,
        )
        write_game(result, out)
    if not args.quiet:
        print(result.to_text())
        print(f"wrote game.txt and game_*.csv to {args.out}")
    return 0
