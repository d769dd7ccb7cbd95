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

from spacemarket.experiments.integration.compare import (
    compare_profiles,
    format_compare,
    write_compare,
)
from spacemarket.experiments.outputs.files import atomic_write_text, write_frame

SPACEX = ["open-access", "integrate-xai", "foreclose-launch", "foreclose-backhaul"]
BACKHAUL_USD_PER_KW_YEAR = [250.0, 500.0, 1000.0, 2000.0]


GROUP = ["profit_usd__SpaceX", "profit_usd__xAI"]


def incentive(result, foreclose: str, supply: str) -> dict:
    """The SpaceX-xAI group's discounted profit, foreclosing minus supplying, paired over
    seeds (USD bn): mean, 95 % interval and whether it is significant."""
    d = result.paired(foreclose, supply, GROUP, scale=1e9)
    return {"incentive_usd_bn": d.mean, "ci_low_usd_bn": d.ci_low, "ci_high_usd_bn": d.ci_high,
            "n_seeds": d.n, "significance": d.verdict, "text": d.describe()}  # fmt: skip


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
            **incentive(result, labels[s], labels["integrate-xai"]),
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
                **incentive(r, r.labels[1], r.labels[0]),
            }
        )
    table = pd.DataFrame(rows).sort_values(["foreclosure", "alternative_backhaul_usd_per_kw_year"])
    table["credible"] = [
        "credible" if lo > 0 else "not credible" if hi < 0 else "not established"
        for lo, hi in zip(table.ci_low_usd_bn, table.ci_high_usd_bn, strict=True)
    ]
    write_frame(table.drop(columns="text"), out / "foreclosure_incentive.csv")
    text = format_compare(result) + (
        f"\nForeclosure incentive of the SpaceX-xAI group, foreclose minus supply, USD bn PV, "
        f"paired over {args.seeds} seeds, mean [95% t-interval] (credible only if the whole "
        "interval is above 0; 'not established' if it covers 0):\n"
    )
    for r in table.itertuples():
        text += (
            f"  {r.foreclosure:19s} alt. backhaul {r.alternative_backhaul_usd_per_kw_year:6.0f}"
            f" USD/kW-yr: {r.text}  -> {r.credible}\n"
        )
    atomic_write_text(out / "foreclosure.txt", text)
    if not args.quiet:
        print(text)
        print(f"wrote compare.*, foreclosure_incentive.csv, foreclosure.txt to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_script(main))
