"""``spacemarket sweep`` and ``spacemarket summarize``.

``sweep DESIGN.toml --out DIR`` runs every (uncertainty sample, policy, replication) of a
design on a local process pool (or in-process with ``--workers 1``, or on Dask with
``--dask-local N`` / ``--scheduler ADDRESS``) and writes the dataset described in
:mod:`spacemarket.experiments.sweeps.store`. ``summarize DIR`` prints per-policy means and 95 %
intervals of each outcome. Exit codes: 0 success; 2 bad input (design, arguments, a non-empty
DIR without ``--resume`` or ``--overwrite``; nothing is written); 1 an output that cannot be
written; 3 the sweep finished but some runs failed (their errors are in
``runs/<run_id>/outcomes.json``; ``--resume`` reruns them); 130 interrupted (``--resume``
continues).
"""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from spacemarket.errors import InputError
from spacemarket.experiments.cli.args import check_run_counts
from spacemarket.experiments.outputs.policy import (
    add_output_arguments,
    check_output_dir,
    output_dir,
)

__all__ = ["add_summarize_parser", "add_sweep_parser", "cmd_summarize", "cmd_sweep"]

log = logging.getLogger(__name__)

EXIT_RUNS_FAILED = 3

SWEEP_EPILOG = """\
design file (TOML), e.g. src/spacemarket/experiments/designs/example.toml:
  scenario = "backtest-2023"     preset name or path (relative to the design file)
  steps = 8                      quarters per run (default: the whole scenario)
  replications = 3               seeds per (sample, policy), common across policies
  root_seed = 2026
  outcomes = ["spacex_mass_share_final", "orbital_mw_final"]
  [sampling]                     method = "lhs" | "sobol" (samples a power of 2) | "none"
  [uncertainties."external_demand.growth_per_year"]   low, high, kind = float|int|quarter
  [[policies]]                   name = "...", set = { "key.path" = value }
  [levers]                       "key.path" = [values]   (full factorial)

exit codes: 0 ok; 2 bad input, nothing written; 1 output not writable; 3 finished with failed
runs (see runs/<run_id>/outcomes.json; --resume reruns them); 130 interrupted (--resume).
See docs/sweeps.md."""


def add_sweep_parser(sub: argparse._SubParsersAction) -> None:
    """Register the ``sweep`` command."""
    p = sub.add_parser(
        "sweep",
        help="run an experimental design (uncertainties x policies x replications)",
        description=(
            "Run every (uncertainty sample, policy, replication) of DESIGN on a local process\n"
            "pool or a Dask cluster; write each run's frames and outcomes to DIR/runs/, the\n"
            "plan, the consolidated outcomes.parquet and manifest.json."
        ),
        epilog=SWEEP_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("design", metavar="DESIGN.toml", help="experimental design file")
    add_output_arguments(p, resumable=True)
    p.add_argument(
        "--workers",
        type=int,
        default=None,
        metavar="N",
        help="local worker processes (default: CPU count; 1 runs in-process)",
    )
    dask = p.add_mutually_exclusive_group()
    dask.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="run on an existing Dask cluster (e.g. tcp://host:8786); needs spacemarket[dask] "
        "and a DIR every worker can write to",
    )
    dask.add_argument(
        "--dask-local",
        type=int,
        metavar="N",
        help="run on a new local Dask cluster of N single-threaded worker processes",
    )
    p.add_argument("--quiet", action="store_true", help="no progress bar and no summary line")
    p.set_defaults(func=cmd_sweep)


def add_summarize_parser(sub: argparse._SubParsersAction) -> None:
    """Register the ``summarize`` command."""
    p = sub.add_parser(
        "summarize",
        help="per-policy means and 95%% intervals of a sweep's outcomes",
        description=(
            "Print, for each policy of the sweep in DIR, each outcome's mean and 95% "
            "interval, and the counts of ok and failed runs; rebuild DIR/outcomes.parquet "
            "from the per-run files. The interval is the Student-t confidence interval for "
            "the mean over the policy's successful runs (all uncertainty samples and "
            "replications pooled): mean +- t(0.975, n-1) sd/sqrt(n); '-' when n < 2."
        ),
    )
    p.add_argument("dir", metavar="DIR", help="a sweep output directory")
    p.add_argument(
        "--baseline",
        metavar="POLICY",
        help="also show each policy minus POLICY, paired on (sample, replication): runs that "
        "share seeds and sampled values (common random numbers), with a 95%% t-interval over "
        "the pairs",
    )
    p.add_argument("--json", action="store_true", help="machine-readable output")
    p.set_defaults(func=cmd_summarize)


def cmd_sweep(args: argparse.Namespace) -> int:
    from spacemarket.experiments.sweeps.runner import run_sweep

    if args.workers is not None and (args.scheduler or args.dask_local is not None):
        raise InputError(
            "--workers",
            "applies to the local process pool; with Dask use --dask-local N or size the cluster",
        )
    check_run_counts(workers=args.workers)
    check_output_dir(args.out, overwrite=args.overwrite, resume=args.resume, resumable=True)
    try:
        with output_dir(
            args.out, overwrite=args.overwrite, resume=args.resume, resumable=True
        ) as out:
            report = run_sweep(
                args.design,
                out,
                workers=args.workers,
                scheduler=args.scheduler,
                dask_local=args.dask_local,
                resume=args.resume,
                quiet=args.quiet,
            )
    except KeyboardInterrupt:
        if args.overwrite:
            print(f"spacemarket: interrupted; {args.out} is unchanged", file=sys.stderr)
        else:
            print(
                f"spacemarket: interrupted; finished runs are kept in {args.out}: continue "
                f"with spacemarket sweep {args.design} --out {args.out} --resume",
                file=sys.stderr,
            )
        return 130
    if not args.quiet:
        print(
            f"{report.planned} runs planned: {report.ok} ok, {report.failed} failed "
            f"({report.skipped} already done, {report.executed} run now on "
            f"{report.executor}) in {report.wall_time_s:.1f} s; wrote {args.out}"
        )
    if report.failed:
        print(
            f"spacemarket: {report.failed} of {report.planned} runs failed; see "
            f"spacemarket summarize {args.out} or runs/<run_id>/outcomes.json; "
            "--resume reruns them",
            file=sys.stderr,
        )
        return EXIT_RUNS_FAILED
    return 0


def cmd_summarize(args: argparse.Namespace) -> int:
    import spacemarket.experiments.sweeps.store as store
    from spacemarket.errors import OutputError
    from spacemarket.experiments.sweeps.summarize import (
        format_summary,
        paired_differences,
        summarize_outcomes,
        summary_json,
    )

    out = Path(args.dir)
    if not (out / store.PLAN).is_file() or not (out / store.DESIGN).is_file():
        raise InputError("DIR", f"{out} is not a sweep directory (no {store.PLAN})")
    try:
        table = store.write_outcomes_table(out)
    except OutputError as exc:
        log.warning("could not rewrite outcomes.parquet: %s", exc)
        table = store.build_outcomes_table(out)
    names = store.design_outcome_names(out)
    summary = summarize_outcomes(table, names)
    differences = None
    if args.baseline is not None:
        policies = list(dict.fromkeys(table["policy"]))
        if args.baseline not in policies:
            raise InputError(
                "--baseline", f"no policy {args.baseline!r} (policies: {', '.join(policies)})"
            )
        differences = paired_differences(table, names, args.baseline)
    errors = []
    for rid in table.loc[table["status"] == "error", "run_id"]:
        doc = store.read_run_status(out, rid) or {}
        errors.append({"run_id": rid, "error": str(doc.get("error"))})
    if args.json:
        print(summary_json(summary, errors, differences, args.baseline))
        return 0
    manifest = store.read_manifest(out)
    n = len(table)
    header = (
        f"sweep {out}: scenario {manifest.get('scenario', '?')}, {n} runs "
        f"({manifest.get('sampling', {}).get('samples', '?')} samples x "
        f"{len(summary)} policies x {manifest.get('replications', '?')} replications), "
        f"root seed {manifest.get('root_seed', '?')}"
    )
    print(format_summary(summary, errors, header, differences, args.baseline))
    return 0
