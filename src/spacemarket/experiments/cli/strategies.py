"""``spacemarket strategies``: the strategy catalogue, so a user can find what to compare.

    spacemarket strategies                 # every player's strategies, one line each
    spacemarket strategies --player OpenAI # one player's, with their docstrings
    spacemarket strategies --json          # machine-readable

The catalogue is :mod:`spacemarket.market.scenario.strategies`; a strategy is selected anywhere as
``--strategy PLAYER=NAME`` (``compare``), ``--player PLAYER=A,B`` (``game``) or
``--set strategy.PLAYER=NAME`` (``run``, designs).
"""

from __future__ import annotations

import argparse
import inspect
import json

from spacemarket.errors import InputError

__all__ = ["add_strategies_parser", "catalogue_rows", "cmd_strategies"]


def add_strategies_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``spacemarket strategies``."""
    p = sub.add_parser(
        "strategies",
        help="list the players' strategies (names to use with compare, game and --set)",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--player", default=None, help="only this player's strategies, in full")
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_strategies)


def catalogue_rows(player: str | None = None) -> list[dict]:
    """One dict per registered strategy (player, name, status quo, metadata, summary, doc)."""
    from spacemarket.market.scenario.strategies import players, strategies_for

    known = players()
    if player is not None and player not in known:
        raise InputError("--player", f"no player {player!r} (players: {', '.join(known)})")
    rows = []
    for who in [player] if player else known:
        for s in strategies_for(who):
            doc = inspect.cleandoc(type(s).__doc__ or "")
            rows.append(
                {
                    "player": who,
                    "name": s.name,
                    "status_quo": bool(s.status_quo),
                    "summary": doc.split("\n\n")[0].replace("\n", " "),
                    "doc": doc,
                    **{k: v for k, v in s.metadata.items() if k != "player"},
                }
            )
    return rows


def cmd_strategies(args: argparse.Namespace) -> int:
    rows = catalogue_rows(args.player)
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    width = max(len(r["name"]) for r in rows) + 2
    current = None
    for r in rows:
        if r["player"] != current:
            current = r["player"]
            print(f"\n{current}" if rows[0] is not r else current)
        tag = " (status quo)" if r["status_quo"] else ""
        if args.player:
            print(f"  {r['name']}{tag}")
            for line in r["doc"].splitlines():
                print(f"      {line}".rstrip())
            if r["assumptions"]:
                print(f"      assumptions (A): {r['assumptions']}")
            print()
        else:
            print(f"  {r['name']:<{width}}{r['summary']}{tag}")
    if not args.player:
        print("\nuse as --strategy PLAYER=NAME (compare), --player PLAYER=A,B (game) or "
              "--set strategy.PLAYER=NAME (run); --player PLAYER for details")  # fmt: skip
    return 0
