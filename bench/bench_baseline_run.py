"""Benchmark: one full baseline-2026 run (2026Q1-2040Q4, 60 quarters, seed 1).

Measures, for ``spacemarket.run_scenario("baseline-2026", seed=1)``:

* wall time, in a fresh Python process: the first (cold) run, then the median of ``repeats``
  further runs (warm);
* peak memory of that fresh process after the runs, against the named peer, the same process
  after its imports and before any run: ``VmHWM`` from ``/proc/self/status`` (the peak RSS of
  the process's own address space). ``resource.getrusage(RUSAGE_SELF).ru_maxrss`` is recorded
  too, but Linux carries a parent's peak RSS over fork and exec into the child's ``ru_maxrss``
  (a child of a 240 MB parent reports >= 240 MB), so it is not used for the comparison;
* where the time goes: the share spent in the equilibrium solves (cumulative time of
  ``spacemarket.market.economics.bertrand.solve_prices`` and of
  ``spacemarket.market.model.launch_clearing.clear_external_launch_market``) against the rest of the
  run (model overhead), from cProfile (which slows Python-heavy code more than numpy calls),
  and, as a check, from a plain ``perf_counter`` wrapper around ``solve_prices`` (patched into
  ``launch_clearing`` in this process only). The cProfile time of each stage of
  ``SpaceMarket.step`` is listed too.

    python bench/bench_baseline_run.py
    python bench/bench_baseline_run.py --quick
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import statistics
import subprocess
import sys
import time

SCENARIO, SEED = "baseline-2026", 1
PEER = "model overhead: the run's time outside the equilibrium solves"
#: Each stage of the quarter: (label, method name, module file under market/model/).
STAGES = (
    ("state_update", "run", "state_update.py"),
    ("structure", "update", "structure.py"),
    ("contracts", "solve", "contracts.py"),
    ("spot_equilibrium", "clear", "spot.py"),
    ("launch_and_deploy", "run", "deployment.py"),
    ("accounting", "book", "accounting.py"),
    ("collect", "collect", "metrics.py"),
)


def peak_rss_mb() -> float:
    """This process's peak RSS in MB: VmHWM, or ru_maxrss where /proc is unavailable."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(repeats: int) -> dict:
    """In a fresh process: cold and warm wall times and peak RSS (MB)."""
    started = time.perf_counter()
    from spacemarket.market.model.results import run_scenario

    import_s = time.perf_counter() - started
    rss_imports = peak_rss_mb()
    started = time.perf_counter()
    run_scenario(SCENARIO, seed=SEED)
    cold = time.perf_counter() - started
    rss_one = peak_rss_mb()
    warm = []
    for _ in range(repeats):
        started = time.perf_counter()
        run_scenario(SCENARIO, seed=SEED)
        warm.append(time.perf_counter() - started)
    return {
        "import_s": import_s,
        "cold_s": cold,
        "warm_s": statistics.median(warm) if warm else cold,
        "warm_runs": len(warm),
        "peak_rss_after_imports_mb": rss_imports,
        "peak_rss_after_first_run_mb": rss_one,
        "peak_rss_end_mb": peak_rss_mb(),
        "ru_maxrss_end_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _cumulative(stats: pstats.Stats, funcname: str, path_part: str) -> tuple[float, int]:
    """Cumulative seconds and calls of a function (matched by name and file) in a profile."""
    ct, calls = 0.0, 0
    for (path, _, name), (_, nc, _, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        if name == funcname and path_part in path.replace("\\", "/"):
            ct, calls = ct + cum, calls + nc
    return ct, calls


def _stage_timers() -> tuple[dict[str, float], list]:
    """Wrap each stage's method (on the class of its module that defines it) in a
    perf_counter timer, in this process only. Returns the seconds per stage and the
    originals to restore."""
    import importlib
    import inspect

    spent = {label: 0.0 for label, _, _ in STAGES}
    originals = []
    for label, name, module in STAGES:
        mod = importlib.import_module("spacemarket.market.model." + module.removesuffix(".py"))
        for _, cls in inspect.getmembers(mod, inspect.isclass):
            if cls.__module__ != mod.__name__ or name not in cls.__dict__:
                continue
            original = cls.__dict__[name]

            def timed(*args, _original=original, _label=label, **kwargs):
                t0 = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    spent[_label] += time.perf_counter() - t0

            setattr(cls, name, timed)
            originals.append((cls, name, original))
    return spent, originals


def profile_shares() -> dict:
    """cProfile one run; then time the same run with perf_counter wrappers on solve_prices and
    on each stage (wall time, free of cProfile's bias against Python-heavy code)."""
    import spacemarket.market.model.launch_clearing as lc
    from spacemarket.market.model.results import run_scenario

    run_scenario(SCENARIO, seed=SEED)  # warm caches
    prof = cProfile.Profile()
    prof.enable()
    run_scenario(SCENARIO, seed=SEED)
    prof.disable()
    stats = pstats.Stats(prof)
    total, _ = _cumulative(stats, "run_scenario", "spacemarket/market/model/results.py")
    solve, solve_calls = _cumulative(stats, "solve_prices", "economics/bertrand.py")
    clear, _ = _cumulative(stats, "clear_external_launch_market", "market/model/launch_clearing.py")
    stages = {
        label: _cumulative(stats, name, f"spacemarket/market/model/{module}")[0]
        for label, name, module in STAGES
    }

    spent = [0.0]
    original = lc.solve_prices

    def timed_solve(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    lc.solve_prices = timed_solve
    stage_s, originals = _stage_timers()
    try:
        started = time.perf_counter()
        run_scenario(SCENARIO, seed=SEED)
        wall = time.perf_counter() - started
    finally:
        lc.solve_prices = original
        for cls, name, method in originals:
            setattr(cls, name, method)
    return {
        "cprofile_total_s": total,
        "cprofile_solve_prices_s": solve,
        "solve_prices_calls": solve_calls,
        "cprofile_clear_market_s": clear,
        "cprofile_solve_share": solve / total,
        "cprofile_clear_market_share": clear / total,
        "cprofile_stage_s": stages,
        "timer_total_s": wall,
        "timer_solve_prices_s": spent[0],
        "timer_solve_share": spent[0] / wall,
        "timer_stage_s": stage_s,
    }


def run(quick: bool = False) -> dict:
    """Measure in a fresh subprocess (wall, memory) and in this process (profile)."""
    repeats = 2 if quick else 5
    proc = subprocess.run(
        [sys.executable, __file__, "--child", str(repeats)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    fresh = json.loads(proc.stdout.strip().splitlines()[-1])
    shares = profile_shares()
    solve_s = shares["timer_solve_prices_s"]
    overhead_s = shares["timer_total_s"] - solve_s
    return {
        "benchmark": f"one full {SCENARIO} run (seed {SEED})",
        "peer": PEER,
        "memory_peer": "the same fresh process after its imports, before any run",
        "memory_method": "VmHWM (peak RSS) of a fresh subprocess; ru_maxrss inherits the parent's",
        **fresh,
        "run_memory_increment_mb": fresh["peak_rss_end_mb"] - fresh["peak_rss_after_imports_mb"],
        **shares,
        "solve_over_overhead": solve_s / overhead_s if overhead_s > 0 else None,
        # the contracts stage against the spot stage of the same run, in wall time (target:
        # <= 2x); the cProfile ratio is kept beside it
        "contracts_over_spot": (
            shares["timer_stage_s"]["contracts"] / shares["timer_stage_s"]["spot_equilibrium"]
            if shares["timer_stage_s"]["spot_equilibrium"] > 0
            else None
        ),
        "cprofile_contracts_over_spot": (
            shares["cprofile_stage_s"]["contracts"] / shares["cprofile_stage_s"]["spot_equilibrium"]
            if shares["cprofile_stage_s"]["spot_equilibrium"] > 0
            else None
        ),
    }


def report(r: dict) -> str:
    lines = [
        f"{r['benchmark']}: wall {r['cold_s']:.2f} s cold (fresh process, imports "
        f"{r['import_s']:.2f} s excluded), {r['warm_s']:.3f} s warm (median of {r['warm_runs']})",
        f"peak memory (VmHWM, fresh process): {r['peak_rss_end_mb']:.1f} MB after the runs vs "
        f"{r['peak_rss_after_imports_mb']:.1f} MB after imports (peer) -> +"
        f"{r['run_memory_increment_mb']:.1f} MB, ratio "
        f"{r['peak_rss_end_mb'] / r['peak_rss_after_imports_mb']:.2f}x",
        f"{'where the time goes':<34} {'cProfile':>9} {'share':>6} | {'timer':>8} {'share':>6}",
        f"{'  solve_prices (' + str(r['solve_prices_calls']) + ' calls)':<34} "
        f"{r['cprofile_solve_prices_s']:>8.3f}s {r['cprofile_solve_share']:>6.1%} | "
        f"{r['timer_solve_prices_s']:>7.3f}s {r['timer_solve_share']:>6.1%}",
        f"{'  clear_external_launch_market':<34} {r['cprofile_clear_market_s']:>8.3f}s "
        f"{r['cprofile_clear_market_share']:>6.1%} |",
        f"{'  rest of the run (peer: overhead)':<34} "
        f"{r['cprofile_total_s'] - r['cprofile_solve_prices_s']:>8.3f}s "
        f"{1 - r['cprofile_solve_share']:>6.1%} | "
        f"{r['timer_total_s'] - r['timer_solve_prices_s']:>7.3f}s "
        f"{1 - r['timer_solve_share']:>6.1%}",
        f"  ratio solve / overhead (timer): {r['solve_over_overhead']:.2f}",
        "  cProfile time per stage of SpaceMarket.step: "
        + ", ".join(f"{k.lstrip('_')} {v:.3f}s" for k, v in r["cprofile_stage_s"].items()),
        "  wall time per stage (perf_counter): "
        + ", ".join(f"{k.lstrip('_')} {v:.3f}s" for k, v in r["timer_stage_s"].items()),
        f"  contracts stage / spot stage (same run, wall): {r['contracts_over_spot']:.2f}x "
        f"(target <= 2x: {'met' if r['contracts_over_spot'] <= 2 else 'NOT met'}; cProfile "
        f"{r['cprofile_contracts_over_spot']:.2f}x)",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict | None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer warm repeats")
    p.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child is not None:
        print(json.dumps(child(args.child)))
        return None
    res = run(quick=args.quick)
    print(report(res))
    return res


if __name__ == "__main__":
    main()
    sys.exit(0)
