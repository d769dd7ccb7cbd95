"""Benchmark: the headline comparison (4 strategy profiles x 32 seeds) on 2 workers.

Measures, in one run, the wall time of
``spacemarket.experiments.integration.compare.compare_profiles`` on the headline profiles of
``spacemarket.experiments.integration.headline`` (128 full 2026-2040 runs through the sweep
runner on a process pool, per-run files written, summaries read back) and of the named peer: the
same 128 runs as a plain in-process Python loop over ``spacemarket.run_scenario`` with the same
scenarios and seeds (no files, no pool). Prints the ratio and checks the target of issue 6:
under 60 s on 2 cores. Results: ``bench/results_headline.json``.

    python bench/bench_headline.py                 # 32 seeds, 2 workers
    python bench/bench_headline.py --seeds 8       # quicker
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET_S = 60.0


def serial_peer(seeds: int) -> float:
    """The same runs as a plain loop over run_scenario (seeds as the sweep derives them)."""
    import numpy as np

    from spacemarket.experiments.integration.headline import HEADLINE_PROFILES
    from spacemarket.market.model.results import run_scenario
    from spacemarket.market.scenario import load_scenario

    started = time.perf_counter()
    for profile in HEADLINE_PROFILES:
        scenario = load_scenario("baseline-2026", {f"strategy.{p}": s for p, s in profile.items()})
        for r in range(seeds):
            run_scenario(scenario, rng=np.random.SeedSequence(2026, spawn_key=(1, 0, r)))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, default=32)
    p.add_argument("--workers", type=int, default=2)
    p.add_argument("--no-peer", action="store_true", help="skip the serial peer")
    p.add_argument("--out", default=str(HERE / "results_headline.json"))
    args = p.parse_args(argv)

    from spacemarket.experiments.integration.compare import compare_profiles
    from spacemarket.experiments.integration.headline import HEADLINE_PROFILES

    runs = len(HEADLINE_PROFILES) * args.seeds
    with tempfile.TemporaryDirectory() as tmp:
        started = time.perf_counter()
        compare_profiles(
            "baseline-2026",
            HEADLINE_PROFILES,
            Path(tmp) / "cmp",
            replications=args.seeds,
            workers=args.workers,
        )
        ours = time.perf_counter() - started
    peer = None if args.no_peer else serial_peer(args.seeds)
    result = {
        "benchmark": "headline comparison",
        "profiles": len(HEADLINE_PROFILES),
        "seeds": args.seeds,
        "runs": runs,
        "workers": args.workers,
        "cpu_count": os.cpu_count(),
        "compare_wall_s": round(ours, 2),
        "runs_per_s": round(runs / ours, 2),
        "peer": "serial loop over spacemarket.run_scenario (1 process, no files)",
        "peer_wall_s": None if peer is None else round(peer, 2),
        "speedup_vs_peer": None if peer is None else round(peer / ours, 2),
        "target_s": TARGET_S,
        "meets_target": ours < TARGET_S,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(
        f"headline comparison: {runs} runs ({len(HEADLINE_PROFILES)} profiles x {args.seeds} "
        f"seeds) in {ours:.1f} s on {args.workers} workers ({runs / ours:.2f} runs/s); "
        f"target < {TARGET_S:.0f} s: {'met' if ours < TARGET_S else 'MISSED'}"
    )
    if peer is not None:
        print(
            f"peer (serial loop over run_scenario): {peer:.1f} s; ratio peer/ours "
            f"{peer / ours:.2f}x"
        )
    print(f"wrote {args.out}")
    return 0 if ours < TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
