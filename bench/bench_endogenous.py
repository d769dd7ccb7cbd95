"""Benchmark: what endogenous mode costs (issue 14's targets).

Two figures, each against a named peer measured in the same process:

* one full run of ``baseline-2026-endogenous`` (seed 1) in endogenous mode against the same
  scenario in committed mode (the peer): target ratio <= 5;
* 32 endogenous seeds through the sweep runner on 2 workers: target < 60 s; the peer is 32
  committed seeds on the same pool.

    python bench/bench_endogenous.py
    python bench/bench_endogenous.py --quick    # 4 seeds, one repeat
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

SCENARIO, SEED = "baseline-2026-endogenous", 1
PEER = "the same scenario and seed in committed mode"
TARGET_RATIO, TARGET_SEEDS_S, SEEDS, WORKERS = 5.0, 60.0, 32, 2


def _timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _sweep_seconds(mode: str, seeds: int) -> float:
    from spacemarket.experiments.integration.runs import run_profiles

    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        table = run_profiles(SCENARIO, [{}], Path(tmp), replications=seeds,
                             overrides={"game.mode": mode}, workers=WORKERS)  # fmt: skip
        wall = time.perf_counter() - started
    if (table["status"] != "ok").any():
        raise RuntimeError(f"{mode} sweep: some runs failed")
    return wall


def run(quick: bool = False) -> dict:
    from spacemarket.market.model.results import run_scenario

    repeats = 1 if quick else 3
    run_scenario(SCENARIO, seed=SEED, mode="committed")  # warm imports and caches
    committed = _timed(lambda: run_scenario(SCENARIO, seed=SEED, mode="committed"), repeats)
    endogenous = _timed(lambda: run_scenario(SCENARIO, seed=SEED, mode="endogenous"), repeats)
    seeds = 4 if quick else SEEDS
    sweep_endogenous = _sweep_seconds("endogenous", seeds)
    sweep_committed = _sweep_seconds("committed", seeds)
    ratio = endogenous / committed
    return {
        "benchmark": f"{SCENARIO} (seed {SEED}): endogenous against committed mode",
        "peer": PEER,
        "committed_s": committed,
        "endogenous_s": endogenous,
        "ratio": ratio,
        "target_ratio_max": TARGET_RATIO,
        "ratio_met": ratio <= TARGET_RATIO,
        "seeds": seeds,
        "workers": WORKERS,
        "sweep_endogenous_s": sweep_endogenous,
        "sweep_committed_s": sweep_committed,
        "target_sweep_s": TARGET_SEEDS_S,
        "sweep_met": None if quick else sweep_endogenous < TARGET_SEEDS_S,
    }


def report(r: dict) -> str:
    return "\n".join([
        f"{r['benchmark']}: endogenous {r['endogenous_s']:.2f} s, committed (peer) "
        f"{r['committed_s']:.2f} s -> {r['ratio']:.2f}x (target <= {r['target_ratio_max']:.0f}x: "
        f"{'met' if r['ratio_met'] else 'MISSED'})",
        f"{r['seeds']} endogenous seeds on {r['workers']} workers: {r['sweep_endogenous_s']:.1f} s "
        f"(committed: {r['sweep_committed_s']:.1f} s; target < {r['target_sweep_s']:.0f} s for "
        f"32 seeds: {({True: 'met', False: 'MISSED', None: 'n/a (quick)'})[r['sweep_met']]})",
    ])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true")
    args = p.parse_args(argv)
    r = run(quick=args.quick)
    print(report(r))
    print(json.dumps(r, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
