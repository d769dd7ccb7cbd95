"""Should Amazon align with Blue Origin for its orbital compute, given SpaceX's options?

The Amazon x SpaceX game on baseline-2026: Amazon buys launches on the market or signs a
long-term New Glenn contract; SpaceX integrates with xAI or also forecloses launch to rival
orbital data centers. Payoffs: Amazon's minus cost of compute, the SpaceX-xAI group's
discounted profit. Also compares Amazon's two strategies side by side.

    python experiments/amazon_blue_origin.py --out results/amazon_blue_origin
"""

from __future__ import annotations

import sys
from pathlib import Path

from _common import check, output_dir, parser, run_script

from spacemarket.experiments.integration.compare import (
    compare_profiles,
    format_compare,
    write_compare,
)
from spacemarket.experiments.integration.game import evaluate_game, game_setup
from spacemarket.experiments.integration.headline import write_game


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0], "results/amazon_blue_origin", 8).parse_args(argv)
    check(args)
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        return run(args, out)


def run(args, out: Path) -> int:
    setup = game_setup(
        "baseline-2026",
        players={
            "Amazon": ["buy-launches", "align-with-blue-origin"],
            "SpaceX": ["integrate-xai", "foreclose-launch"],
        },
        payoff_firms={"Amazon": {"Amazon": 1.0}, "SpaceX": {"SpaceX": 1.0, "xAI": 1.0}},
        replications=args.seeds,
        steps=args.steps,
    )
    game = evaluate_game(
        setup, out / "game", workers=args.workers, quiet=args.quiet, resume=args.resume
    )
    write_game(game, out)
    profiles = [{"Amazon": a} for a in ("buy-launches", "align-with-blue-origin")]
    result = compare_profiles(
        "baseline-2026",
        profiles,
        out / "compare",
        focus_lab="Amazon",
        replications=args.seeds,
        steps=args.steps,
        workers=args.workers,
        quiet=args.quiet,
        resume=args.resume,
    )
    write_compare(result, out)
    if not args.quiet:
        print(game.to_text())
        print(format_compare(result))
        print(f"wrote game.*, compare.* to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_script(main))
