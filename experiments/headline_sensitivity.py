"""Which parameters move the headline answer? One-at-a-time changes to baseline-2026.

For each case (the baseline and one changed parameter) runs four profiles over the same seeds:
OpenAI independent or in control of Stoke, SpaceX integrated with xAI or foreclosing launch.
Reports, in USD bn of present value: SpaceX-xAI's foreclosure incentive (foreclose minus
supply: negative = not credible), OpenAI's loss from foreclosure, and OpenAI's saving in cost
of compute from controlling Stoke when SpaceX forecloses and when it supplies (before the
acquisition price and its share of Stoke's profits, which `spacemarket game` adds). The
README's "what moves the answer" paragraph comes from this script.

    python experiments/headline_sensitivity.py --out results/headline_sensitivity --seeds 4
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
from _common import check, output_dir, parser, run_script

from spacemarket.experiments.integration.compare import compare_profiles
from spacemarket.experiments.outputs.files import atomic_write_text, write_frame

PROFILES = [
    {"OpenAI": "independent", "SpaceX": "integrate-xai"},
    {"OpenAI": "independent", "SpaceX": "foreclose-launch"},
    {"OpenAI": "control-of-stoke", "SpaceX": "foreclose-launch"},
    {"OpenAI": "control-of-stoke", "SpaceX": "integrate-xai"},
]
CASES = {
    "baseline": {},
    "Nova cost $3M per flight": {"vehicles.nova.launch_cost_usd": 3e6},
    "Nova learning 20%/doubling": {"vehicles.nova.cost_learning_rate": 0.2},
    "Starship operational 2029Q4": {"vehicles.starship.first_flight": "2029Q4"},
    "Starship cost $60M per flight": {"vehicles.starship.launch_cost_usd": 60e6},
    "cost dispersion 0.30": {"compute.cost_dispersion": 0.30},
    "launcher bargaining weight 0.8": {"compute.launch_bargaining_weight": 0.8},
    "alternative backhaul $2000/kW-yr": {"compute.alternative_backhaul_usd_per_kw_year": 2000.0},
    "ground site us-average": {"compute.terrestrial_site": "us-average"},
}


def main(argv: list[str] | None = None) -> int:
    args = parser(__doc__.splitlines()[0], "results/headline_sensitivity", 4).parse_args(argv)
    check(args)
    with output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True) as out:
        return run(args, out)


GROUP = ["profit_usd__SpaceX", "profit_usd__xAI"]
OPENAI = "profit_usd__OpenAI"


def _cell(d) -> str:
    if d.tie:
        return "0 (every seed)"
    mark = "" if d.significant else " n.s."
    return f"{d.mean:+.2f} [{d.ci_low:+.2f}, {d.ci_high:+.2f}]{mark}"


def run(args, out: Path) -> int:
    rows, cells = [], []
    for i, (case, overrides) in enumerate(CASES.items()):
        r = compare_profiles("baseline-2026", PROFILES, out / f"case-{i:02d}",
                             replications=args.seeds, overrides=overrides, steps=args.steps,
                             workers=args.workers, quiet=args.quiet,
                             resume=args.resume)  # fmt: skip
        supply, foreclose, ctl_foreclose, ctl_supply = r.labels
        diffs = {
            "spacex_foreclosure_incentive": r.paired(foreclose, supply, GROUP, scale=1e9),
            "openai_loss_from_foreclosure": r.paired(foreclose, supply, OPENAI, scale=1e9),
            "control_saving_if_foreclosed": r.paired(ctl_foreclose, foreclose, OPENAI, scale=1e9),
            "control_saving_if_supplied": r.paired(ctl_supply, supply, OPENAI, scale=1e9),
        }
        row = {"case": case}
        for name, d in diffs.items():
            row[f"{name}_usd_bn"] = d.mean
            row[f"{name}_ci_low_usd_bn"] = d.ci_low
            row[f"{name}_ci_high_usd_bn"] = d.ci_high
            row[f"{name}_significance"] = d.verdict
        t = r.table.set_index(["profile", "metric"])["mean"]
        row["orbital_mw_final"] = t[(supply, "orbital_mw")]
        rows.append(row)
        cells.append([_cell(d) for d in diffs.values()])
    table = pd.DataFrame(rows)
    write_frame(table, out / "sensitivity.csv")
    heads = ["incentive", "OpenAI loss", "ctl|forecl", "ctl|supply"]
    width = max(len(c) for row in cells for c in row) + 1
    lines = [
        f"One-at-a-time sensitivity: paired differences over {args.seeds} seeds per profile, "
        "USD bn PV, mean [95% t-interval]; n.s. = not significant (the interval covers 0)",
        f"{'case':34s}" + "".join(f"{h:>{width}s}" for h in heads) + f"{'orbital MW':>11s}",
    ]
    for row, c in zip(rows, cells, strict=True):
        lines.append(f"{row['case']:34s}" + "".join(f"{x:>{width}s}" for x in c)
                     + f"{row['orbital_mw_final']:11.0f}")  # fmt: skip
    text = "\n".join(lines) + "\n"
    atomic_write_text(out / "sensitivity.txt", text)
    if not args.quiet:
        print(text)
        print(f"wrote sensitivity.csv and sensitivity.txt to {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run_script(main))
