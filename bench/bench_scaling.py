"""Benchmark: SpaceMarket step time as the number of firms grows (10, 30, 100, 300).

Scenarios are built from the baseline-2026 document (its ``[game]`` table dropped; the model
does not read it). The real firms are kept (6 launch providers, 5 clouds, 6 labs: 17 firms);
for N = 10 the document is cut to the 6 providers, OpenAI and its 3 clouds (Azure, CoreWeave,
Oracle). The remaining N - 17 (or N - 10) firms are synthetic, half of them (rounded up) fringe
launch providers and the rest AI labs:

* a fringe provider ``Fringe i`` has its own controller and one vehicle ``fringe-i``, a copy of
  Rocket Lab's Electron (i even) or Neutron (i odd, so entering with a random slip) with its
  mean utility shifted by N(0, 0.1) (seeded); every fringe vehicle is one more product in the
  quarterly Bertrand-Nash launch market;
* a synthetic lab ``Lab j`` copies Meta (own data centres, SpaceX as launch supplier) with its
  own controller and 20-100 MW of compute at the start.

For each N: build ``SpaceMarket(scenario, rng=seed)``, run 1 warm-up step, time 8 steps; the
step time is the median over repeats (a fresh model each) of the mean of those 8 steps. The
time inside ``solve_prices`` is measured too (a perf_counter wrapper patched into
``spacemarket.market.model.launch_clearing`` in this process). The fit log(t) = a + b log(N) is by
least squares over the sizes; target b <= 1.3. The peer is the smallest size: each time is also
given as a ratio to the N = 10 step time against the linear ratio N / 10.

    python bench/bench_scaling.py
    python bench/bench_scaling.py --quick      # 10, 30, 100; fewer repeats
    python bench/bench_scaling.py --sizes 10,300,1000,3000
"""

from __future__ import annotations

import argparse
import copy
import statistics
import sys
import time

import numpy as np

SIZES = (10, 30, 100, 300)
QUICK_SIZES = (10, 30, 100)
WARMUP, STEPS, SEED = 1, 8, 1
SLOPE_TARGET = 1.3
PEER = "the same model at the smallest N (linear scaling would be N / N_min)"
REAL_FIRMS = 17


def _firms(doc: dict) -> int:
    return len(doc["providers"]) + len(doc["clouds"]) + len(doc["labs"])


def build_document(n: int, rng: np.random.Generator) -> dict:
    """The baseline-2026 document with exactly ``n`` firms (providers + clouds + labs)."""
    from spacemarket.market.scenario import resolved_document

    base, _ = resolved_document("baseline-2026")
    doc = copy.deepcopy(base)
    doc.pop("game", None)
    if n < REAL_FIRMS:
        doc["labs"] = [lab for lab in doc["labs"] if lab["name"] == "OpenAI"]
        keep = set(doc["labs"][0]["suppliers"])
        doc["clouds"] = [c for c in doc["clouds"] if c["name"] in keep]
    extra = n - _firms(doc)
    if extra < 0:
        raise ValueError(f"N = {n} is below the smallest scenario ({_firms(doc)} firms)")
    vehicles = {v["name"]: v for v in doc["vehicles"]}
    meta = next(lab for lab in doc["labs"] if lab["name"] == "Meta") if n >= REAL_FIRMS else None
    meta = meta or {
        "controller": "",
        "compute_gw": 1.0,
        "growth_per_year": 0.4,
        "growth_half_life_years": 4.0,
        "launch_supplier": "SpaceX",
    }
    n_providers = (extra + 1) // 2
    for i in range(n_providers):
        name = f"Fringe {i}"
        doc["providers"].append({"name": name, "controller": name, "source": "synthetic"})
        vehicle = copy.deepcopy(vehicles["electron" if i % 2 == 0 else "neutron"])
        vehicle.update(
            name=f"fringe-{i}",
            provider=name,
            mean_utility=round(vehicle["mean_utility"] + float(rng.normal(0.0, 0.1)), 4),
            source="synthetic",
        )
        doc["vehicles"].append(vehicle)
    for j in range(extra - n_providers):
        lab = copy.deepcopy(meta)
        lab.update(
            name=f"Lab {j}",
            controller=f"Lab {j}",
            compute_gw=round(float(rng.uniform(0.02, 0.1)), 4),
            suppliers={"own": 1.0},
            source="synthetic",
        )
        doc["labs"].append(lab)
    assert _firms(doc) == n
    return doc


def step_times(scenario, repeats: int) -> tuple[float, float]:
    """Median seconds per step (after the warm-up) and the median share in solve_prices."""
    import spacemarket.market.model.launch_clearing as lc
    from spacemarket.market.model.results import release_model
    from spacemarket.market.model.space_market import SpaceMarket

    spent = [0.0]
    original = lc.solve_prices

    def timed_solve(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - t0

    per_step, shares = [], []
    lc.solve_prices = timed_solve
    try:
        for _ in range(repeats):
            model = SpaceMarket(scenario=scenario, rng=np.random.default_rng(SEED))
            for _ in range(WARMUP):
                model.step()
            spent[0] = 0.0
            started = time.perf_counter()
            for _ in range(STEPS):
                model.step()
            wall = time.perf_counter() - started
            per_step.append(wall / STEPS)
            shares.append(spent[0] / wall)
            release_model(model)
    finally:
        lc.solve_prices = original
    return statistics.median(per_step), statistics.median(shares)


def run(quick: bool = False, sizes: tuple[int, ...] | None = None) -> dict:
    from spacemarket.market.scenario import parse_scenario

    sizes = sizes or (QUICK_SIZES if quick else SIZES)
    repeats = 2 if quick else 5
    rows = []
    for n in sizes:
        doc = build_document(n, np.random.default_rng([SEED, n]))
        scenario = parse_scenario(doc, f"<baseline-2026 with {n} firms>")
        t, share = step_times(scenario, repeats)
        rows.append(
            {
                "firms": n,
                "providers": len(scenario.providers),
                "vehicles": len(scenario.vehicles),
                "labs": len(scenario.labs),
                "clouds": len(scenario.clouds),
                "step_s": t,
                "solve_share": share,
                "ratio_to_smallest": None,
            }
        )
    for r in rows:
        r["ratio_to_smallest"] = r["step_s"] / rows[0]["step_s"]
    x = np.log([r["firms"] for r in rows])
    y = np.log([r["step_s"] for r in rows])
    b, a = np.polyfit(x, y, 1)
    local = [float((y[i + 1] - y[i]) / (x[i + 1] - x[i])) for i in range(len(rows) - 1)]
    return {
        "benchmark": "SpaceMarket step time vs number of firms",
        "peer": PEER,
        "base": "baseline-2026 + synthetic fringe providers (1 vehicle each) and labs",
        "warmup_steps": WARMUP,
        "timed_steps": STEPS,
        "repeats": repeats,
        "sizes": rows,
        "slope_b": float(b),
        "intercept_a": float(a),
        "local_slopes": local,
        "target_slope_max": SLOPE_TARGET,
        "slope_met": float(b) <= SLOPE_TARGET,
    }


def report(r: dict) -> str:
    lines = [
        f"step time vs firms ({r['base']}); median of {r['repeats']} x {r['timed_steps']} steps "
        f"after {r['warmup_steps']} warm-up; peer: {r['peer']}",
        f"{'firms':>5} {'prov':>4} {'veh':>4} {'labs':>4} {'step (ms)':>10} {'vs N_min':>9} "
        f"{'N/N_min':>8} {'in solve':>9}",
    ]
    n0 = r["sizes"][0]["firms"]
    for s in r["sizes"]:
        lines.append(
            f"{s['firms']:>5} {s['providers']:>4} {s['vehicles']:>4} {s['labs']:>4} "
            f"{s['step_s'] * 1e3:>10.2f} {s['ratio_to_smallest']:>8.1f}x "
            f"{s['firms'] / n0:>7.1f}x {s['solve_share']:>9.1%}"
        )
    local = ", ".join(f"{v:.2f}" for v in r["local_slopes"])
    lines.append(
        f"fit log t = a + b log N: b = {r['slope_b']:.2f} (between sizes: {local}); target "
        f"b <= {r['target_slope_max']}: {'met' if r['slope_met'] else 'MISSED'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="10, 30, 100 firms; fewer repeats")
    p.add_argument("--sizes", default=None, help="comma-separated N (default 10,30,100,300)")
    args = p.parse_args(argv)
    sizes = tuple(int(x) for x in args.sizes.split(",")) if args.sizes else None
    res = run(quick=args.quick, sizes=sizes)
    print(report(res))
    return res


if __name__ == "__main__":
    main()
    sys.exit(0)
