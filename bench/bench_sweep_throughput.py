"""Benchmark: sweep throughput (runs/s) at 1 and 2 workers, against mesa.batch_run.

Ours: ``spacemarket.experiments.sweeps.runner.run_sweep`` on a design of N replications of
baseline-2026 for 8 quarters (one policy, no sampling; each run writes its frames and
``outcomes.json``, the sweep rebuilds ``outcomes.parquet``), with ``workers=1`` (in-process)
and ``workers=2`` (forkserver process pool). Parallel efficiency = (rate_2 / rate_1) / 2;
target >= 0.85 (on 2 cores).

Peer: ``mesa.batch_run`` (Mesa 3.3) on the same model, the same number of runs and steps,
``number_processes=1`` and ``2`` (a spawn ``multiprocessing.Pool``; Mesa sets the start method
to spawn when imported). The model is :class:`BatchSpaceMarket`, a thin ``SpaceMarket``
subclass taking keyword parameters (the scenario is parsed once per process and cached). Mesa
3.3's ``iterations`` repeats identical keyword arguments (hence identical seeds), so the N runs
are given as ``parameters={"seed": range(N)}`` with ``iterations=1``: the same N runs, each
with its own seed, as the sweep's N replications. Mesa's loop runs while ``model.steps <=
max_steps``, so ``max_steps=7`` gives 8 steps (checked). The peer writes nothing and collects
no reporters. BLAS threads are pinned to 1 in both pools' workers (as the sweep does).

Wall times include planning, pool start-up and, for ours, every file written: the median of
``repeats`` sweeps.

    python bench/bench_sweep_throughput.py              # N = 32, 3 repeats
    python bench/bench_sweep_throughput.py --quick      # one repeat
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from spacemarket.experiments.sweeps.executors import (
    single_threaded_children,  # the same pinning the runner uses
)
from spacemarket.market.model.space_market import SpaceMarket

SCENARIO, STEPS, ROOT_SEED = "baseline-2026", 8, 2026
EFFICIENCY_TARGET = 0.85
PEER = "mesa.batch_run (Mesa 3.3, multiprocessing.Pool with spawn)"
DESIGN = """\
scenario = "{scenario}"
steps = {steps}
replications = {n}
root_seed = {seed}
outcomes = ["spacex_mass_share_final", "launch_price_index_final", "orbital_mw_final"]
"""


@functools.lru_cache(maxsize=4)
def _scenario(name: str):
    from spacemarket.market.scenario import load_scenario

    return load_scenario(name)


class BatchSpaceMarket(SpaceMarket):
    """SpaceMarket for mesa.batch_run: keyword parameters, seeded like the sweep's runs."""

    def __init__(self, scenario: str = SCENARIO, seed: int = 0) -> None:
        rng = np.random.default_rng(np.random.SeedSequence(ROOT_SEED, spawn_key=(1, 0, seed)))
        super().__init__(scenario=_scenario(scenario), rng=rng)


def time_sweep(n: int, workers: int) -> tuple[float, float]:
    """Wall seconds of one sweep of ``n`` runs on ``workers``, and the sum of the runs' own
    wall times (``wall_time_s`` in each ``outcomes.json``: model, outcomes, frame writes)."""
    from spacemarket.experiments.sweeps.runner import run_sweep

    with tempfile.TemporaryDirectory(prefix="bench_tput_") as tmp:
        design = Path(tmp) / "design.toml"
        text = DESIGN.format(scenario=SCENARIO, steps=STEPS, n=n, seed=ROOT_SEED)
        design.write_text(text, encoding="utf-8")
        started = time.perf_counter()
        report = run_sweep(design, Path(tmp) / "out", workers=workers, quiet=True)
        wall = time.perf_counter() - started
        statuses = (Path(tmp) / "out" / "runs").glob("*/outcomes.json")
        in_runs = sum(json.loads(f.read_text(encoding="utf-8"))["wall_time_s"] for f in statuses)
    if report.ok != n:
        raise RuntimeError(f"sweep: {report.failed} of {n} runs failed")
    return wall, in_runs


def time_batch_run(n: int, processes: int) -> float:
    """Wall seconds of mesa.batch_run over the same ``n`` runs on ``processes``."""
    import mesa

    with single_threaded_children():
        started = time.perf_counter()
        rows = mesa.batch_run(
            BatchSpaceMarket,
            parameters={"scenario": SCENARIO, "seed": range(n)},
            number_processes=processes,
            iterations=1,
            max_steps=STEPS - 1,  # Mesa steps while model.steps <= max_steps
            display_progress=False,
        )
        wall = time.perf_counter() - started
    steps = {r["Step"] + 1 for r in rows}
    if len(rows) != n or steps != {STEPS}:
        raise RuntimeError(f"batch_run: {len(rows)} rows, steps {steps}, expected {n} x {STEPS}")
    return wall


def background_load(seconds: float = 1.0) -> float | None:
    """CPUs kept busy by other processes while this one sleeps (from /proc/stat), or None.

    On a shared 2-core machine a busy neighbour halves what a second worker can add.
    """

    def busy_total() -> tuple[int, int]:
        with open("/proc/stat", encoding="ascii") as f:
            v = [int(x) for x in f.readline().split()[1:]]
        idle = v[3] + v[4]  # idle + iowait
        return sum(v[:8]) - idle, sum(v[:8])

    try:
        b0, t0 = busy_total()
        time.sleep(seconds)
        b1, t1 = busy_total()
    except (OSError, ValueError, IndexError):
        return None
    return round((os.cpu_count() or 1) * (b1 - b0) / max(1, t1 - t0), 2)


def run(quick: bool = False, n: int | None = None) -> dict:
    n = n or 32
    repeats = 1 if quick else 3
    load_before = background_load()
    cold = time_sweep(n, 2)[0]  # first pool of the process: starts the forkserver
    walls: dict[str, list[float]] = {}
    in_runs: dict[str, list[float]] = {}
    for _ in range(repeats):  # interleaved, so drift hits every configuration alike
        for workers in (1, 2):
            wall_s, in_run_s = time_sweep(n, workers)
            walls.setdefault(f"sweep_{workers}", []).append(wall_s)
            in_runs.setdefault(f"sweep_{workers}", []).append(in_run_s)
            walls.setdefault(f"mesa_{workers}", []).append(time_batch_run(n, workers))
    load_after = background_load()
    wall = {k: statistics.median(v) for k, v in walls.items()}
    best = {k: min(v) for k, v in walls.items()}
    in_run = {k: statistics.median(v) for k, v in in_runs.items()}
    # what the wall time holds beyond the runs themselves, spread over the workers
    overhead = {k: wall[k] - in_run[k] / int(k[-1]) for k in in_run}
    rate = {k: n / v for k, v in wall.items()}
    eff = (rate["sweep_2"] / rate["sweep_1"]) / 2
    return {
        "benchmark": "sweep throughput, 1 vs 2 workers",
        "peer": PEER,
        "scenario": SCENARIO,
        "steps": STEPS,
        "runs": n,
        "repeats": repeats,
        "cpu_count": os.cpu_count(),
        "background_load_cpus": [load_before, load_after],
        "wall_s": wall,
        "best_wall_s": best,
        "sweep_2_first_in_process_wall_s": cold,
        "sweep_sum_of_run_walls_s": in_run,
        "sweep_overhead_s": overhead,
        "runs_per_s": rate,
        "ratio_ours_over_peer": {w: rate[f"sweep_{w}"] / rate[f"mesa_{w}"] for w in ("1", "2")},
        "parallel_efficiency": eff,
        "parallel_efficiency_best": (best["sweep_1"] / best["sweep_2"]) / 2,
        "parallel_efficiency_first_sweep": (wall["sweep_1"] / cold) / 2,
        "peer_parallel_efficiency": (rate["mesa_2"] / rate["mesa_1"]) / 2,
        "target_efficiency": EFFICIENCY_TARGET,
        "efficiency_met": eff >= EFFICIENCY_TARGET,
    }


def report(r: dict) -> str:
    loads = ", ".join("?" if x is None else f"{x:.2f}" for x in r["background_load_cpus"])
    lines = [
        f"sweep throughput: {r['runs']} runs of {r['scenario']} x {r['steps']} quarters, "
        f"median of {r['repeats']}; peer {r['peer']}",
        f"{'workers':>7} {'ours (runs/s)':>14} {'peer (runs/s)':>14} {'ours/peer':>10}",
    ]
    for w in ("1", "2"):
        lines.append(
            f"{w:>7} {r['runs_per_s'][f'sweep_{w}']:>14.2f} {r['runs_per_s'][f'mesa_{w}']:>14.2f} "
            f"{r['ratio_ours_over_peer'][w]:>9.2f}x"
        )
    lines += [
        "ours, time outside the runs (wall - sum of run walls / workers: planning, pool "
        "start-up, outcomes table): "
        + ", ".join(f"{k[-1]} worker(s) {v:.2f} s" for k, v in r["sweep_overhead_s"].items()),
        f"parallel efficiency (rate_2 / rate_1) / 2: ours {r['parallel_efficiency']:.2f} "
        f"(best of repeats {r['parallel_efficiency_best']:.2f}, first sweep of the process with "
        f"forkserver start {r['parallel_efficiency_first_sweep']:.2f}), peer "
        f"{r['peer_parallel_efficiency']:.2f}; target >= {r['target_efficiency']}: "
        f"{'met' if r['efficiency_met'] else 'MISSED'}",
        f"CPUs busy with other processes before/after (of {r['cpu_count']}): {loads}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="one repeat instead of 3")
    p.add_argument("--runs", type=int, default=None, help="N (default 32)")
    args = p.parse_args(argv)
    res = run(quick=args.quick, n=args.runs)
    print(report(res))
    return res


if __name__ == "__main__":
    main()
    sys.exit(0)
