"""Does SpaceX gain by foreclosing rival orbital data centers, and is the threat credible?

Compares SpaceX's four strategies (open access, integration with xAI, launch foreclosure,
Starlink-backhaul foreclosure) with OpenAI independent, then repeats the backhaul case at
four costs of an alternative downlink. The foreclosure incentive is the SpaceX-xAI group's
discounted profit when foreclosing minus when supplying (integrated with xAI): a negative
incentive means the foreclosure would not be carried out ex post (not credible).

    python experiments/spacex_foreclosure.py --out results/spacex_foreclosure
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from _common import check, output_dir, parser, run_script

from spacemarket.experiments.compare import compare_profiles, format_compare, write_compare
from spacemarket.experiments.output import atomic_write_text, write_frame

SPACEX = ["open-access", "integrate-xai", "foreclose-launch", "foreclose-backhaul"]
BACKHAUL_USD_PER_KW_YEAR = [250.0, 500.0, 1000.0, 2000.0]


def group_value(result, label: str) -> float:
    """Mean discounted profit of SpaceX plus xAI (USD) in one profile."""
    t = result.table.set_index(["profile", "metric"])["mean"]
    return float(t[(label, "profit_usd__SpaceX")] + t[(label, "profit_usd__xAI")])


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0], "results/spacex_foreclosure", 16).parse_args(argv)
    check(args)
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        return run(args, out)


def run(args, out: Path) -> int:
    common = {
        "replications": args.seeds,
        "steps": args.steps,
        "workers": args.workers,
        "quiet": args.quiet,
        "resume": args.resume,
    }
    profiles = [{"OpenAI": "independent", "SpaceX": s} for s in SPACEX]
    result = compare_profiles("baseline-2026", profiles, out / "strategies", **common)
    write_compare(result, out)
    labels = dict(zip(SPACEX, result.labels, strict=True))
    rows = [
        {
            "alternative_backhaul_usd_per_kw_year": 500.0,
            "foreclosure": s,
            "incentive_usd": group_value(result, labels[s])
            - group_value(result, labels["integrate-xai"]),
        }
        for s in ("foreclose-launch", "foreclose-backhaul")
    ]
    for cost in BACKHAUL_USD_PER_KW_YEAR:
        if cost == 500.0:
            continue
        pair = [
            {"OpenAI": "independent", "SpaceX": s} for s in ("integrate-xai", "foreclose-backhaul")
        ]
        r = compare_profiles(
            "baseline-2026",
            pair,
            out / f"backhaul-{cost:.0f}",
            overrides={"compute.alternative_backhaul_usd_per_kw_year": cost},
            **common,
        )
        rows.append(
            {
                "alternative_backhaul_usd_per_kw_year": cost,
                "foreclosure": "foreclose-backhaul",
                "incentive_usd": group_value(r, r.labels[1]) - group_value(r, r.labels[0]),
            }
        )
    table = pd.DataFrame(rows).sort_values(["foreclosure", "alternative_backhaul_usd_per_kw_year"])
    table["credible"] = table.incentive_usd > 0
    write_frame(table, out / "foreclosure_incentive.csv")
    text = format_compare(result) + "\nForeclosure incentive of the SpaceX-xAI group (USD bn):\n"
    for r in table.itertuples():
        text += (
            f"  {r.foreclosure:19s} alt. backhaul "
            f"{r.alternative_backhaul_usd_per_kw_year:6.0f}"
            f" USD/kW-yr: {r.incentive_usd / 1e9:8.2f}  "
            f"{'credible' if r.credible else 'not credible'}\n"
        )
    atomic_write_text(out / "foreclosure.txt", text)
    if not args.quiet:
        print(text)
        print(f"wrote compare.*, foreclosure_incentive.csv, foreclosure.txt to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_script(main))
