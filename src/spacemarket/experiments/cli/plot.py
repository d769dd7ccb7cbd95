"""``spacemarket plot``: a sweep's figures (shares, prices, capacity, policy comparison)."""

from __future__ import annotations

import argparse
from pathlib import Path

from spacemarket.experiments.plots.sweeps import PLOT_KINDS

__all__ = ["add_plot_parser", "cmd_plot"]


def add_plot_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``spacemarket plot shares|prices|capacity|compare DIR``."""
    p = sub.add_parser(
        "plot",
        help="plot a sweep: shares, prices, capacity by policy, or a policy comparison",
        description=(
            "Plot the sweep in DIR as PNG and SVG. shares: launch providers' share of mass to "
            "orbit by quarter, one panel per policy; prices: the contestable launch price "
            "index; capacity: orbital IT load in service; compare: each outcome's mean and "
            "95% interval per policy. Paths show the mean and the 5th-95th percentile band "
            "over the policy's successful runs (samples and replications pooled)."
        ),
    )
    p.add_argument("kind", choices=PLOT_KINDS, help="which figure")
    p.add_argument("dir", metavar="DIR", help="a sweep output directory")
    p.add_argument(
        "--out",
        metavar="PATH_PREFIX",
        default=None,
        help="write PATH_PREFIX.png and PATH_PREFIX.svg (an existing directory, or a path "
        "ending in /, gets KIND.png and KIND.svg inside; default: DIR/plots/KIND)",
    )
    p.add_argument(
        "--outcome",
        action="append",
        default=None,
        metavar="NAME",
        help="compare only: an outcome to show (repeatable; default: every outcome)",
    )
    p.set_defaults(func=cmd_plot)


def _prefix(args: argparse.Namespace) -> Path:
    if args.out is None:
        return Path(args.dir) / "plots" / args.kind
    out = Path(args.out)
    if args.out.endswith(("/", "\\")) or out.is_dir():
        return out / args.kind
    return out


def cmd_plot(args: argparse.Namespace) -> int:
    from spacemarket.errors import InputError
    from spacemarket.experiments.outputs.files import ensure_dir
    from spacemarket.experiments.plots.figure import save_figure
    from spacemarket.experiments.plots.sweeps import sweep_figure
    from spacemarket.experiments.sweeps.store import NotASweepError

    if args.outcome and args.kind != "compare":
        raise InputError("--outcome", "applies to 'plot compare' only")
    if not Path(args.dir).is_dir():
        raise InputError("DIR", f"no such directory: {args.dir}")
    try:
        fig = sweep_figure(args.dir, args.kind, args.outcome)
    except NotASweepError as exc:
        raise InputError("DIR", str(exc)) from None
    except ValueError as exc:
        raise InputError("--outcome" if "outcome" in str(exc) else "DIR", str(exc)) from None
    prefix = _prefix(args)
    ensure_dir(prefix.parent)
    written = [save_figure(fig, prefix.with_name(f"{prefix.name}.{fmt}")) for fmt in ("png", "svg")]
    print("wrote " + " and ".join(str(w) for w in written))
    return 0
