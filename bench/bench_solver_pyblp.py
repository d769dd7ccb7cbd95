"""Benchmark: spacemarket's Bertrand-Nash solver against pyblp on the same logit markets.

For each size J (3, 10, 30, 100 products) it draws one random logit market from a seeded numpy
generator (mean utilities, a price sensitivity, marginal costs, and an ownership structure that
mixes single-product and multi-product firms) and computes its equilibrium prices twice:

* ours: ``spacemarket.market.economics.bertrand.solve_prices(delta, alpha, costs, kappa=O,
  tolerance=1e-14)``;
* the peer: pyblp's ``Simulation.replace_endogenous(costs=..., iteration=Iteration("simple",
  {"atol": 1e-14}))``, the recipe of ``tests/economics/test_bertrand_pyblp.py`` (the same
  Morrow-Skerlos zeta iteration). The ``pyblp.Simulation`` is built once per market, outside
  the timed part (its construction time is reported separately); only the equilibrium
  computation is timed.

Each timing is the median over ``repeats`` of the mean time per call in a loop of calls lasting
at least ``min_time`` seconds. Targets (issue 7): ours >= 5x faster than pyblp at every size,
and prices equal to pyblp's within 1e-10 (absolute, in the market's price units; each market's
equilibrium prices lie between about 1 and 4, see ``price_range``). A missed target is
reported, never an error.

    python bench/bench_solver_pyblp.py            # 3, 10, 30, 100 products
    python bench/bench_solver_pyblp.py --quick    # fewer repeats
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable

import numpy as np

SIZES = (3, 10, 30, 100)
SEED = 2026
SPEED_TARGET = 5.0  # pyblp time / our time
PRICE_TOL = 1e-10  # absolute
TOL = 1e-14  # convergence tolerance given to both solvers
PEER = "pyblp 1.3 Simulation.replace_endogenous, simple iteration atol 1e-14"


def random_market(size: int, rng: np.random.Generator) -> dict[str, np.ndarray | float]:
    """A logit market of ``size`` products: about half single-product firms, the rest in
    firms of 2-4 products (at least one multi-product firm)."""
    ids: list[int] = []
    firm = 0
    while len(ids) < size:
        k = 1 if rng.random() < 0.5 else int(rng.integers(2, 5))
        ids += [firm] * k
        firm += 1
    firm_ids = np.array(ids[:size])
    if np.bincount(firm_ids).max() == 1 and size > 1:
        firm_ids[1] = firm_ids[0]
    return {
        "delta": rng.normal(1.0, 0.8, size),
        "alpha": float(rng.uniform(0.5, 2.0)),
        "costs": rng.uniform(0.2, 2.0, size),
        "firm_ids": firm_ids,
        "ownership": (firm_ids[:, None] == firm_ids[None, :]).astype(float),
    }


def pyblp_simulation(market: dict):
    """The one-market pyblp Simulation of ``market`` (mean utility through x, beta_x = 1)."""
    import pyblp

    pyblp.options.verbose = False
    size = len(market["delta"])
    product_data = {
        "market_ids": np.zeros(size),
        "firm_ids": market["firm_ids"],
        "x": market["delta"],
        "prices": np.ones(size),  # placeholders, replaced by the equilibrium
        "shares": np.full(size, 0.5 / size),
    }
    return pyblp.Simulation(
        pyblp.Formulation("0 + prices + x"),
        product_data,
        beta=[-market["alpha"], 1.0],
        xi=np.zeros(size),
    )


def timed(fn: Callable[[], object], repeats: int, min_time: float) -> float:
    """Median over ``repeats`` of the mean seconds per call of ``fn`` (loops >= min_time)."""
    fn()  # warm-up (imports, caches)
    started = time.perf_counter()
    fn()
    once = max(time.perf_counter() - started, 1e-7)
    n = max(1, int(min_time / once))
    per_call = []
    for _ in range(repeats):
        started = time.perf_counter()
        for _ in range(n):
            fn()
        per_call.append((time.perf_counter() - started) / n)
    return statistics.median(per_call)


def run(quick: bool = False, sizes: tuple[int, ...] = SIZES) -> dict:
    """Measure every size; return the results (a JSON-ready dict)."""
    import pyblp

    from spacemarket.market.economics.bertrand import solve_prices

    repeats, min_time = (3, 0.05) if quick else (9, 0.3)
    iteration = pyblp.Iteration("simple", {"atol": TOL})
    rows = []
    for size in sizes:
        market = random_market(size, np.random.default_rng([SEED, size]))
        build_s = timed(lambda m=market: pyblp_simulation(m), max(3, repeats // 3), min_time / 4)
        sim = pyblp_simulation(market)
        costs = market["costs"]

        def peer(sim=sim, costs=costs):
            return sim.replace_endogenous(costs=costs, iteration=iteration)

        def ours(m=market):
            return solve_prices(
                m["delta"], m["alpha"], m["costs"], kappa=m["ownership"], tolerance=TOL
            )

        theirs = peer().product_data.prices.ravel()
        eq = ours()
        diff = float(np.max(np.abs(eq.prices - theirs)))
        ours_s = timed(ours, repeats, min_time)
        peer_s = timed(peer, repeats, min_time)
        rows.append(
            {
                "products": size,
                "firms": len(set(market["firm_ids"].tolist())),
                "ours_s": ours_s,
                "pyblp_s": peer_s,
                "pyblp_build_s": build_s,
                "speedup": peer_s / ours_s,
                "speedup_incl_build": (peer_s + build_s) / ours_s,
                "iterations": int(eq.iterations),
                "max_abs_price_diff": diff,
                "price_range": [round(float(theirs.min()), 3), round(float(theirs.max()), 3)],
                "max_rel_price_diff": float(np.max(np.abs(eq.prices - theirs) / np.abs(theirs))),
                "speed_met": peer_s / ours_s >= SPEED_TARGET,
                "prices_met": diff <= PRICE_TOL,
            }
        )
    return {
        "benchmark": "Bertrand-Nash solver vs pyblp",
        "peer": PEER,
        "timed_part": "equilibrium only: pyblp.Simulation built once per market, outside the "
        "timing (its build time reported as pyblp_build_s); ours: the whole solve_prices call",
        "timing": f"median of {repeats} repeats of a loop lasting >= {min_time} s",
        "tolerance_given_to_both": TOL,
        "targets": {
            "speedup_min": SPEED_TARGET,
            "max_abs_price_diff": PRICE_TOL,
            "price_diff_kind": "absolute (market price units)",
        },
        "sizes": rows,
        "speed_met": all(r["speed_met"] for r in rows),
        "prices_met": all(r["prices_met"] for r in rows),
    }


def report(res: dict) -> str:
    lines = [
        f"Bertrand solver vs peer ({res['peer']}); timed: equilibrium only, pyblp Simulation "
        "built outside the timing",
        f"{'J':>4} {'firms':>5} {'ours':>9} {'pyblp':>9} {'ratio':>7} {'(+build)':>8} "
        f"{'iters':>5} {'max |dp|':>9}  speed  prices",
        f"{'':>4} {'':>5} {'(us)':>9} {'(us)':>9} {'p/o':>7} {'p/o':>8} {'':>5} {'(abs)':>9}",
    ]
    for r in res["sizes"]:
        lines.append(
            f"{r['products']:>4} {r['firms']:>5} {r['ours_s'] * 1e6:>9.1f} "
            f"{r['pyblp_s'] * 1e6:>9.1f} {r['speedup']:>6.1f}x {r['speedup_incl_build']:>7.1f}x "
            f"{r['iterations']:>5} {r['max_abs_price_diff']:>9.1e}  "
            f"{'met' if r['speed_met'] else 'MISSED':<6} {'met' if r['prices_met'] else 'MISSED'}"
        )
    t = res["targets"]
    lines.append(
        f"targets (issue 7): pyblp/ours >= {t['speedup_min']:.0f}x at every size: "
        f"{'met' if res['speed_met'] else 'MISSED'}; prices within {t['max_abs_price_diff']:.0e} "
        f"({t['price_diff_kind']}): {'met' if res['prices_met'] else 'MISSED'}"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true", help="fewer repeats")
    args = p.parse_args(argv)
    res = run(quick=args.quick)
    print(report(res))
    return res


if __name__ == "__main__":
    main()
    sys.exit(0)
