"""Run every benchmark, print one summary and write ``bench/results.json``.

Runs, in this process: ``bench_solver_pyblp`` (solver vs pyblp), ``bench_baseline_run`` (one
full baseline-2026 run: wall, memory, solver share), ``bench_sweep_throughput`` (sweep runs/s
at 1 and 2 workers vs ``mesa.batch_run``), ``bench_scaling`` (step time vs number of firms),
``bench_endogenous`` (endogenous against committed mode), and the measurement of
``bench_headline`` (its ``main`` with ``--out`` pointed at a temporary
file, then its JSON read back; ``bench/results_headline.json`` is left alone). Each benchmark
prints its own table; a summary of every target follows. ``bench/results.json`` (written to a
temporary file, then ``os.replace``) holds every figure, the peers, the targets and whether they
were met, the machine, the git commit and a timestamp. A missed target is reported, not an
error; the exit code is 1 only if a benchmark itself failed.

    python bench/run_all.py --quick     # a smoke run, well under 2 minutes
    python bench/run_all.py             # the full set (a few minutes on 2 cores)
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import bench_baseline_run  # noqa: E402
import bench_endogenous  # noqa: E402
import bench_headline  # noqa: E402
import bench_scaling  # noqa: E402
import bench_solver_pyblp  # noqa: E402
import bench_sweep_throughput  # noqa: E402


def headline(quick: bool) -> dict:
    """bench_headline's measurement (quick: 2 seeds per profile instead of 32)."""
    seeds = 2 if quick else 32
    fd, path = tempfile.mkstemp(prefix="results_headline_", suffix=".json")
    os.close(fd)
    try:
        bench_headline.main(["--seeds", str(seeds), "--out", path])
        res = json.loads(Path(path).read_text(encoding="utf-8"))
    finally:
        os.unlink(path)
    if seeds != 32:  # the target is for the 32-seed comparison
        res["meets_target"] = None
    return res


def _git() -> dict:
    def git(*args: str) -> str:
        try:
            out = subprocess.run(
                ["git", *args], cwd=HERE, capture_output=True, text=True, timeout=10, check=False
            )
        except (OSError, subprocess.SubprocessError):
            return ""
        return out.stdout.strip()

    changed = [line[3:] for line in git("status", "--porcelain").splitlines()]
    return {"commit": git("rev-parse", "HEAD") or None, "uncommitted_files": changed}


def _versions() -> dict:
    out = {}
    for pkg in ("spacemarket", "numpy", "scipy", "pandas", "mesa", "pyblp"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def _row(benchmark: str, what: str, value, at: str, target: str, met, peer: str) -> dict:
    keys = ("benchmark", "what", "value", "at", "target", "met", "peer")
    return dict(zip(keys, (benchmark, what, value, at, target, met, peer), strict=True))


def targets(res: dict) -> list[dict]:
    """One row per target: what, the figure, the peer, the target and whether it was met."""
    rows = []
    if s := res.get("solver_pyblp"):
        worst = min(s["sizes"], key=lambda r: r["speedup"])
        t = s["targets"]
        rows.append(_row("solver_pyblp", "pyblp time / ours, every size",
                         round(worst["speedup"], 2), f"J={worst['products']} (worst)",
                         f">= {t['speedup_min']}", s["speed_met"], s["peer"]))  # fmt: skip
        diff = max(r["max_abs_price_diff"] for r in s["sizes"])
        rows.append(_row("solver_pyblp", "max |price diff| vs pyblp (absolute)", diff,
                         "all sizes", f"<= {t['max_abs_price_diff']}", s["prices_met"],
                         s["peer"]))  # fmt: skip
    if t := res.get("sweep_throughput"):
        peer = f"{t['peer']}: {t['peer_parallel_efficiency']:.2f}"
        rows.append(_row("sweep_throughput", "parallel efficiency (rate_2/rate_1)/2",
                         round(t["parallel_efficiency"], 3), f"N={t['runs']}",
                         f">= {t['target_efficiency']}", t["efficiency_met"], peer))  # fmt: skip
    if c := res.get("scaling"):
        at = "N=" + ",".join(str(r["firms"]) for r in c["sizes"])
        rows.append(_row("scaling", "b in log t = a + b log N", round(c["slope_b"], 3), at,
                         f"<= {c['target_slope_max']}", c["slope_met"], c["peer"]))  # fmt: skip
    if e := res.get("endogenous"):
        rows.append(_row("endogenous", "endogenous / committed run time", round(e["ratio"], 2),
                         "baseline-2026-endogenous", f"<= {e['target_ratio_max']}",
                         e["ratio_met"], e["peer"]))  # fmt: skip
        rows.append(_row("endogenous", f"{e['seeds']} endogenous seeds, {e['workers']} workers, s",
                         round(e["sweep_endogenous_s"], 1), f"{e['seeds']} seeds",
                         f"< {e['target_sweep_s']} s (32 seeds)", e["sweep_met"],
                         "committed sweep of the same seeds"))  # fmt: skip
    if h := res.get("headline"):
        rows.append(_row("headline", f"compare wall, {h['runs']} runs, {h['workers']} workers",
                         h["compare_wall_s"], f"{h['seeds']} seeds",
                         f"< {h['target_s']} s (32 seeds)", h["meets_target"],
                         h["peer"]))  # fmt: skip
    return rows


def summary(res: dict, rows: list[dict]) -> str:
    lines = ["", "=" * 100, "SUMMARY"]
    if "solver_pyblp" in res:
        sizes = res["solver_pyblp"]["sizes"]
        lines.append(
            "solver vs pyblp, pyblp/ours: "
            + ", ".join(f"J={r['products']} {r['speedup']:.1f}x" for r in sizes)
        )
    if "baseline_run" in res:
        b = res["baseline_run"]
        lines.append(
            f"baseline-2026 run: {b['warm_s']:.3f} s warm, {b['cold_s']:.3f} s cold, peak "
            f"{b['peak_rss_end_mb']:.0f} MB (imports {b['peak_rss_after_imports_mb']:.0f} MB); "
            f"solve_prices {b['timer_solve_share']:.0%} of the run (cProfile "
            f"{b['cprofile_solve_share']:.0%}), overhead {1 - b['timer_solve_share']:.0%}"
        )
    if "sweep_throughput" in res:
        t = res["sweep_throughput"]
        r = t["runs_per_s"]
        lines.append(
            f"sweep: {r['sweep_1']:.1f} / {r['sweep_2']:.1f} runs/s at 1 / 2 workers; "
            f"mesa.batch_run {r['mesa_1']:.1f} / {r['mesa_2']:.1f}; efficiency "
            f"{t['parallel_efficiency']:.2f} (best of repeats {t['parallel_efficiency_best']:.2f})"
        )
    if "scaling" in res:
        lines.append(
            "scaling, ms/step: "
            + ", ".join(f"N={r['firms']} {r['step_s'] * 1e3:.1f}" for r in res["scaling"]["sizes"])
        )
    if "headline" in res:
        h = res["headline"]
        lines.append(
            f"headline: {h['compare_wall_s']} s for {h['runs']} runs (peer {h['peer_wall_s']} s, "
            f"{h['speedup_vs_peer']}x)"
        )
    lines.append(f"{'benchmark':<17} {'what':<40} {'value':>10} {'target':>20}  result")
    for r in rows:
        value = f"{r['value']:.2e}" if abs(r["value"]) < 1e-3 else f"{r['value']}"
        verdict = {True: "met", False: "MISSED", None: "n/a (quick)"}[r["met"]]
        lines.append(
            f"{r['benchmark']:<17} {r['what'][:40]:<40} {value:>10} {r['target']:>20}  {verdict}"
        )
    for name, err in res.get("errors", {}).items():
        lines.append(f"{name}: FAILED ({err.splitlines()[-1]})")
    return "\n".join(lines)


def write_atomic(path: Path, doc: dict) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".results_", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(
                doc, f, indent=1, default=lambda o: o.item() if hasattr(o, "item") else str(o)
            )
            f.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer repeats and sizes (< 2 min)")
    p.add_argument("--out", default=str(HERE / "results.json"))
    args = p.parse_args(argv)
    started = time.perf_counter()
    load_before = bench_sweep_throughput.background_load()
    benches = {
        "solver_pyblp": bench_solver_pyblp,
        "baseline_run": bench_baseline_run,
        "sweep_throughput": bench_sweep_throughput,
        "scaling": bench_scaling,
        "endogenous": bench_endogenous,
    }
    res: dict = {"errors": {}}
    for name, mod in benches.items():
        print(f"\n--- {name} ---", flush=True)
        try:
            res[name] = mod.run(quick=args.quick)
            print(mod.report(res[name]), flush=True)
        except Exception:
            res["errors"][name] = traceback.format_exc()
            print(res["errors"][name], file=sys.stderr)
    print("\n--- headline ---", flush=True)
    try:
        res["headline"] = headline(args.quick)
    except Exception:
        res["errors"]["headline"] = traceback.format_exc()
        print(res["errors"]["headline"], file=sys.stderr)
    rows = targets(res)
    doc = {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "quick": args.quick,
        "wall_s": round(time.perf_counter() - started, 1),
        "machine": {
            "python": platform.python_version(),
            "implementation": platform.python_implementation(),
            "platform": platform.platform(),
            "machine": platform.machine(),
            "processor": platform.processor(),
            "cpu_count": os.cpu_count(),
            "background_load_cpus": [load_before, bench_sweep_throughput.background_load()],
        },
        "packages": _versions(),
        "git": _git(),
        "targets": rows,
        "benchmarks": {k: v for k, v in res.items() if k != "errors"},
        "errors": res["errors"],
    }
    write_atomic(Path(args.out), doc)
    print(summary(res, rows))
    print(
        f"total {doc['wall_s']} s; other processes kept "
        f"{doc['machine']['background_load_cpus']} CPUs busy (before, after); wrote {args.out}"
    )
    return 1 if res["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
