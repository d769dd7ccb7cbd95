"""Memory benchmark: a sweep's parent process stays flat in memory as the number of runs grows.

Runs ``spacemarket.experiments.sweeps.runner.run_sweep`` on designs of N tiny runs (the back-test
scenario, one quarter each, N replications of one policy) for each N in ``--sizes`` and
records, over time, the resident memory (RSS) of the sweep's parent process and of its worker
processes. Each N runs in a fresh Python process, so its peak (``VmHWM``) is its own.

Headline: N = 10,000 (``--sizes 100,1000,10000``, the default); ``--quick`` runs 100 and
1,000. Results: a table on stdout and ``bench/results_memory.json`` (with the time series).
Linux only (reads ``/proc``); psutil is not needed.

    python bench/bench_sweep_memory.py --quick
    python bench/bench_sweep_memory.py                    # 100, 1,000, 10,000 runs
    python bench/bench_sweep_memory.py --sizes 100,3000 --workers 2
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_SIZES = (100, 1_000, 10_000)
QUICK_SIZES = (100, 1_000)
MAX_POINTS = 240  # time-series samples kept per run in the JSON

DESIGN = """\
# {n} tiny runs: one quarter of the back-test, one policy, {n} seeds
scenario = "backtest-2023"
steps = {steps}
replications = {n}
root_seed = 2026
outcomes = ["spacex_mass_share_final", "launch_price_index_final", "orbital_mw_final"]
"""

# ----------------------------------------------------------------------------- /proc readers


def _status_kb(pid: int | str, field: str) -> int:
    """A ``kB`` field of ``/proc/PID/status`` (``VmRSS``, ``VmHWM``); 0 if gone."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


def _descendants(root: int) -> list[int]:
    """Pids of every live descendant of ``root`` (workers, the forkserver, their children)."""
    children: dict[int, list[int]] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="ascii", errors="replace") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])  # comm may hold spaces
        children.setdefault(ppid, []).append(int(name))
    out, todo = [], [root]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


class Sampler(threading.Thread):
    """Samples this process's RSS, its descendants' RSS and runs started, every interval."""

    def __init__(self, runs_dir: Path, interval: float) -> None:
        super().__init__(daemon=True)
        self.runs_dir, self.interval = runs_dir, interval
        self.samples: list[tuple[float, int, int, int, int]] = []
        self.stop = threading.Event()
        self.t0 = time.perf_counter()

    def sample(self) -> None:
        pid = os.getpid()
        kids = [_status_kb(p, "VmRSS") for p in _descendants(pid)]
        try:
            started = len(os.listdir(self.runs_dir))
        except OSError:
            started = 0
        self.samples.append(
            (
                round(time.perf_counter() - self.t0, 3),
                started,
                _status_kb(pid, "VmRSS"),
                max(kids, default=0),
                sum(kids),
            )
        )

    def run(self) -> None:
        while not self.stop.wait(self.interval):
            self.sample()


# ----------------------------------------------------------------------------- one size


def _slope(samples: list[tuple], n: int, column: int) -> float | None:
    """Least-squares growth of an RSS column (kB) per 1,000 runs started, over the second
    half of the sweep (after start-up), in MB; None with too few samples."""
    pts = [(s[1], s[column] / 1024) for s in samples if n / 2 <= s[1] < n]
    if len(pts) < 3 or pts[-1][0] == pts[0][0]:
        return None
    mx = sum(x for x, _ in pts) / len(pts)
    my = sum(y for _, y in pts) / len(pts)
    sxx = sum((x - mx) ** 2 for x, _ in pts)
    return 1000 * sum((x - mx) * (y - my) for x, y in pts) / sxx


def _round(v: float | None) -> float | None:
    return None if v is None else round(v, 3)


def child(n: int, workers: int, steps: int, interval: float, workdir: Path) -> dict:
    """Run one sweep of ``n`` runs in this process; return the measurements."""
    from spacemarket.experiments.sweeps.runner import run_sweep  # imported before the baseline

    design = workdir / "design.toml"
    design.write_text(DESIGN.format(n=n, steps=steps), encoding="utf-8")
    out = workdir / "out"
    baseline_kb = _status_kb("self", "VmRSS")
    sampler = Sampler(out / "runs", interval)
    sampler.start()
    started = time.perf_counter()
    report = run_sweep(design, out, workers=workers, quiet=True)
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    sampler.sample()  # after the sweep: outcomes table built, pool shut down
    series = sampler.samples
    # while runs were still being started (the table is built after the last one starts)
    during = [s for s in series if s[1] < n] or series
    parent_slope = _slope(during, n, column=2)
    worker_slope = _slope(during, n, column=3)
    step = max(1, len(series) // MAX_POINTS)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    files = sum(1 for p in out.rglob("*") if p.is_file())
    return {
        "runs": n,
        "ok": report.ok,
        "failed": report.failed,
        "executor": report.executor,
        "wall_time_s": round(wall, 2),
        "runs_per_s": round(n / wall, 2),
        "parent_rss_baseline_mb": round(baseline_kb / 1024, 1),
        "parent_peak_rss_mb": round(_status_kb("self", "VmHWM") / 1024, 1),
        "parent_ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "parent_rss_max_in_sweep_mb": round(max(s[2] for s in during) / 1024, 1),
        "parent_rss_end_mb": round(series[-1][2] / 1024, 1),
        "parent_rss_slope_mb_per_1000_runs": _round(parent_slope),
        "worker_peak_rss_mb": round(max(s[3] for s in series) / 1024, 1),
        "worker_rss_slope_mb_per_1000_runs": _round(worker_slope),
        "workers_total_peak_rss_mb": round(max(s[4] for s in series) / 1024, 1),
        "reaped_children_ru_maxrss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
        "output_mb": round(size / 2**20, 1),
        "output_files": files,
        "samples": len(series),
        "timeseries_columns": [
            "t_s",
            "runs_started",
            "parent_rss_kb",
            "worker_max_rss_kb",
            "workers_total_rss_kb",
        ],
        "timeseries": series[::step] + ([series[-1]] if (len(series) - 1) % step else []),
    }


# ----------------------------------------------------------------------------- driver


def _fmt_slope(v: float | None) -> str:
    return "-" if v is None else f"{v:+.2f}"


def _table(results: list[dict]) -> str:
    head = (
        f"{'runs':>7} {'wall':>7} {'runs/s':>6} | {'parent: base':>12} {'max in sweep':>12} "
        f"{'growth':>8} {'peak':>6} | {'worker: peak':>12} {'growth':>8} | {'output':>6}"
    )
    units = (
        f"{'':>7} {'(s)':>7} {'':>6} | {'(MB)':>12} {'(MB)':>12} {'(a)':>8} {'(MB)':>6} | "
        f"{'(MB)':>12} {'(a)':>8} | {'(MB)':>6}"
    )
    lines = [head, units]
    for r in results:
        lines.append(
            f"{r['runs']:>7,} {r['wall_time_s']:>7.1f} {r['runs_per_s']:>6.1f} | "
            f"{r['parent_rss_baseline_mb']:>12.1f} {r['parent_rss_max_in_sweep_mb']:>12.1f} "
            f"{_fmt_slope(r['parent_rss_slope_mb_per_1000_runs']):>8} "
            f"{r['parent_peak_rss_mb']:>6.1f} | {r['worker_peak_rss_mb']:>12.1f} "
            f"{_fmt_slope(r['worker_rss_slope_mb_per_1000_runs']):>8} | {r['output_mb']:>6.1f}"
        )
    return "\n".join(lines)


NOTES = """\
(a) RSS growth in MB per 1,000 runs over the second half of the sweep (least squares).
parent: the sweep's own process (base: after imports, before the sweep; max in sweep: while
runs are still being started; peak: VmHWM, which includes building outcomes.parquet at the
end); worker: the largest worker process (RSS sampled every --interval s)."""


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True,
                             text=True, timeout=5, check=False)  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                   help="comma-separated numbers of runs (default %(default)s)")  # fmt: skip
    p.add_argument("--quick", action="store_true", help="sizes 100 and 1,000 only")
    p.add_argument("--workers", type=int, default=2, help="sweep worker processes (default 2)")
    p.add_argument("--steps", type=int, default=1, help="quarters per run (default 1)")
    p.add_argument("--interval", type=float, default=0.25, help="sampling period, s")
    p.add_argument("--out", default=str(HERE / "results_memory.json"), help="results JSON")
    p.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    p.add_argument("--workdir", default=None, help=argparse.SUPPRESS)
    args = p.parse_args(argv)

    if args.child is not None:  # one size, in this fresh process
        res = child(args.child, args.workers, args.steps, args.interval, Path(args.workdir))
        print(json.dumps(res))
        return 0

    if not Path("/proc/self/status").exists():
        print("this benchmark reads /proc: Linux only", file=sys.stderr)
        return 2
    sizes = QUICK_SIZES if args.quick else tuple(int(s) for s in args.sizes.split(","))
    results = []
    for n in sizes:
        print(f"sweep of {n:,} runs on {args.workers} workers ...", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix=f"bench_sweep_{n}_") as tmp:
            env = {**os.environ, "MPLBACKEND": "Agg"}
            proc = subprocess.run(
                [sys.executable, __file__, "--child", str(n), "--workdir", tmp,
                 "--workers", str(args.workers), "--steps", str(args.steps),
                 "--interval", str(args.interval)],
                capture_output=True, text=True, env=env, check=False,
            )  # fmt: skip
        if proc.returncode != 0:
            print(proc.stderr, file=sys.stderr)
            return 1
        results.append(json.loads(proc.stdout.strip().splitlines()[-1]))
        print(_table(results[-1:]).splitlines()[-1], file=sys.stderr, flush=True)
    doc = {
        "benchmark": "sweep parent-process memory vs number of runs",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git_commit(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": sys.version.split()[0],
            "platform": platform.platform(),
        },
        "params": {
            "sizes": list(sizes),
            "workers": args.workers,
            "steps": args.steps,
            "interval_s": args.interval,
            "scenario": "backtest-2023",
        },
        "results": results,
    }
    Path(args.out).write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    print(_table(results))
    print(NOTES)
    if len(results) > 1:
        a, b = results[0], results[-1]
        print(
            f"\nparent peak RSS: {a['parent_peak_rss_mb']:.1f} MB at {a['runs']:,} runs, "
            f"{b['parent_peak_rss_mb']:.1f} MB at {b['runs']:,} runs "
            f"({b['runs'] / a['runs']:.0f}x the runs, "
            f"{b['parent_peak_rss_mb'] / a['parent_peak_rss_mb']:.2f}x the memory)"
        )
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
