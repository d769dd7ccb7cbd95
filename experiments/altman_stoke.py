"""The headline experiment: does it pay OpenAI to take control of Stoke Space?

Compares OpenAI independent, a long-term Stoke contract, control of Stoke in three equity
tranches, and SpaceX foreclosing launch (4 profiles x 32 seeds), then solves the OpenAI x
SpaceX integration game of baseline-2026 (8 seeds per profile): equilibria, welfare,
foreclosure credibility, and the sequential (acquire, then foreclose or supply) solution.

    python experiments/altman_stoke.py --out results/altman_stoke
"""

from __future__ import annotations

import sys

from _common import check, output_dir, parser, run_script

from spacemarket.experiments.integration.headline import run_headline


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0], "results/altman_stoke", 32)
    p.add_argument("--game-seeds", type=int, default=8, help="seeds per game profile")
    args = p.parse_args(argv)
    check(args)
    if args.game_seeds < 2:
        from spacemarket.errors import InputError

        raise InputError("--game-seeds", f"must be >= 2, got {args.game_seeds}")
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        text = run_headline(
            out,
            seeds=args.seeds,
            game_seeds=args.game_seeds,
            workers=args.workers,
            steps=args.steps,
            quiet=args.quiet,
            resume=args.resume,
        )
    if not args.quiet:
        print(text)
        print(f"wrote compare.*, game.* and compare_shares.png to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_script(main))
