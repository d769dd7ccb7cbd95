"""``spacemarket sensitivity``: Sobol indices of an outcome over a design's uncertainties."""

from __future__ import annotations

import argparse

from spacemarket.errors import InputError
from spacemarket.experiments.outputs.policy import add_output_arguments

__all__ = ["add_sensitivity_parser", "cmd_sensitivity"]


def add_sensitivity_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``spacemarket sensitivity DESIGN.toml --outcome NAME --samples N --out DIR``."""
    p = sub.add_parser(
        "sensitivity",
        help="Sobol indices of an outcome over a design's uncertainties (needs SALib)",
        description=(
            "Run a Saltelli sample of the model over the uncertainties of DESIGN (N base "
            "points x (D + 2), each averaged over the replications' seeds) and compute first-"
            "order and total Sobol indices of one outcome with 95% bootstrap intervals "
            "(SALib). Writes sobol_OUTCOME.parquet/.csv, the sample, a bar plot (.png/.svg) "
            "and a manifest to DIR. Needs: pip install spacemarket[sensitivity]."
        ),
    )
    p.add_argument("design", metavar="DESIGN.toml", help="experimental design file")
    p.add_argument("--outcome", required=True, metavar="NAME", help="outcome to analyze")
    p.add_argument(
        "--samples", type=int, required=True, metavar="N", help="base samples (a power of two)"
    )
    add_output_arguments(p, resumable=False)
    p.add_argument("--policy", default=None, help="design policy to apply (default: the first)")
    p.add_argument(
        "--replications",
        type=int,
        default=None,
        metavar="R",
        help="seeds averaged per point (default: the design's replications)",
    )
    p.add_argument("--workers", type=int, default=1, metavar="W", help="local processes")
    p.add_argument("--quiet", action="store_true", help="no progress bar and no table")
    p.set_defaults(func=cmd_sensitivity)


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from spacemarket.experiments.outputs.policy import check_output_dir, output_dir
    from spacemarket.experiments.plots.sensitivity import write_sensitivity
    from spacemarket.experiments.sweeps.design_file import load_design
    from spacemarket.experiments.sweeps.outcomes import OUTCOMES
    from spacemarket.experiments.sweeps.sensitivity import (
        format_indices,
        model_sensitivity,
        require_salib,
    )

    require_salib()
    if args.outcome not in OUTCOMES:
        raise InputError("--outcome", f"unknown outcome {args.outcome!r} (known: "
                         f"{', '.join(OUTCOMES)})")  # fmt: skip
    if args.workers < 1:
        raise InputError("--workers", f"must be >= 1, got {args.workers}")
    out = check_output_dir(args.out, overwrite=args.overwrite)
    design = load_design(args.design)
    result = model_sensitivity(
        design,
        args.outcome,
        args.samples,
        policy=args.policy,
        replications=args.replications,
        workers=args.workers,
        quiet=args.quiet,
    )
    with output_dir(out, overwrite=args.overwrite) as target:
        written = write_sensitivity(result, target)
    if not args.quiet:
        print(format_indices(result))
        print(f"\nwrote {', '.join(p.name for p in written)} to {out}")
    return 0
