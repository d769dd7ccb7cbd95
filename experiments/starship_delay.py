"""How does a Starship delay change the value of controlling Stoke?

Runs the headline comparison (OpenAI independent vs control of Stoke, with SpaceX
integrated with xAI or foreclosing launch) with Starship's operational date as scheduled
(2026Q4) and delayed to 2029Q4, and reports OpenAI's saving in cost of compute from control (its
discounted payoff difference before the acquisition price and its share of Stoke's profits,
which the integration game adds) under each.

    python experiments/starship_delay.py --out results/starship_delay
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from _common import check, output_dir, parser, run_script

from spacemarket.experiments.integration.compare import (
    compare_profiles,
    format_compare,
    write_compare,
)
from spacemarket.experiments.outputs.files import atomic_write_text, write_frame

DATES = {"as scheduled": "2026Q4", "delayed": "2029Q4"}
PROFILES = [
    {"OpenAI": o, "SpaceX": s}
    for s in ("integrate-xai", "foreclose-launch")
    for o in ("independent", "control-of-stoke")
]


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0], "results/starship_delay", 16).parse_args(argv)
    check(args)
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        return run(args, out)


def run(args, out: Path) -> int:
    rows, text = [], ""
    for case, date in DATES.items():
        r = compare_profiles(
            "baseline-2026",
            PROFILES,
            out / case.replace(" ", "-"),
            overrides={"vehicles.starship.first_flight": date},
            replications=args.seeds,
            steps=args.steps,
            workers=args.workers,
            quiet=args.quiet,
            resume=args.resume,
        )
        write_compare(r, out, stem=f"compare_{case.replace(' ', '_')}")
        for s in ("integrate-xai", "foreclose-launch"):
            d = r.paired(f"OpenAI=control-of-stoke,SpaceX={s}", f"OpenAI=independent,SpaceX={s}",
                         "profit_usd__OpenAI", scale=1e9)  # fmt: skip
            rows.append(
                {
                    "starship": case,
                    "first_flight": date,
                    "spacex": s,
                    "openai_compute_saving_from_control_usd_bn": d.mean,
                    "ci_low_usd_bn": d.ci_low,
                    "ci_high_usd_bn": d.ci_high,
                    "n_seeds": d.n,
                    "significance": d.verdict,
                    "text": d.describe(),
                }
            )
        text += f"Starship {case} ({date}):\n" + format_compare(r) + "\n"
    table = pd.DataFrame(rows)
    write_frame(table.drop(columns="text"), out / "control_gain.csv")
    text += (
        "OpenAI's saving in cost of compute from controlling Stoke, control minus independent, "
        f"USD bn PV, paired over {args.seeds} seeds, mean [95% t-interval] (before the "
        "acquisition price and its share of Stoke's profits, see `spacemarket game` for both):\n"
    )
    for r in table.itertuples():
        text += f"  Starship {r.starship:12s} SpaceX {r.spacex:17s} {r.text}\n"
    atomic_write_text(out / "starship_delay.txt", text)
    if not args.quiet:
        print(text)
        print(f"wrote compare_*, control_gain.csv, starship_delay.txt to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_script(main))
