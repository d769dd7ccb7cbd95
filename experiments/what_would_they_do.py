"""What would they do? OpenAI, SpaceX and Amazon deciding during the run, over many seeds.

Runs baseline-2026-endogenous (the baseline with the players of its [game] weighing their
options every year, each valued by the model's own equilibria) over --seeds seeds, each with its
own Starship and entrant first-flight slips and anomalies, and reports the probability and
timing of OpenAI taking control of Stoke (or signing a long-term contract), of SpaceX
foreclosing launch or backhaul, and of Amazon aligning with Blue Origin, with 95 % Wilson
intervals, and the distribution of acquisition prices. --starship-delay moves Starship's
scheduled first flight later by that many quarters (a sensitivity to its timing).

    python experiments/what_would_they_do.py --out results/what_would_they_do
    python experiments/what_would_they_do.py --starship-delay 8 --out results/wwtd_late
"""

from __future__ import annotations

import sys

from _common import check, output_dir, parser, run_script

from spacemarket.experiments.integration.endogenous import ENDOGENOUS_SCENARIO, run_endogenous


def main(argv: list[str] | None = None) -> int:
    p = parser(__doc__.splitlines()[0], "results/what_would_they_do", 32)
    p.add_argument("--starship-delay", type=int, default=0,
                   help="quarters added to Starship's first flight (default 0)")  # fmt: skip
    args = p.parse_args(argv)
    check(args)
    overrides = {}
    if args.starship_delay:
        from spacemarket.errors import InputError
        from spacemarket.market.scenario import load_scenario, quarter_index, quarter_label

        if not 0 < args.starship_delay <= 40:
            raise InputError("--starship-delay", f"must be in [1, 40], got {args.starship_delay}")
        starship = next(v for v in load_scenario(ENDOGENOUS_SCENARIO).vehicles
                        if v.name == "starship")  # fmt: skip
        delayed = quarter_index(starship.first_flight) + args.starship_delay
        overrides["vehicles.starship.first_flight"] = quarter_label(delayed)
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        result = run_endogenous(out, seeds=args.seeds, workers=args.workers, steps=args.steps,
                                overrides=overrides, quiet=args.quiet,
                                resume=args.resume)  # fmt: skip
    if not args.quiet:
        print(result.to_text())
        print(f"wrote endogenous.txt/.csv, endogenous_events.parquet and endogenous_paths.png "
              f"to {args.out}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(run_script(main))
