"""The cost half of ``make demo``: the orbital-versus-terrestrial cost comparison.

``make demo`` first runs the baseline market scenario (``spacemarket run baseline-2026``), then
this comparison, the physical-cost result everything else rests on: for every shipped orbital
design and terrestrial site, cost per kW-year against launch price under both accountings,
the break-even launch prices and the year the Suncatcher learning path reaches them, and every
published claim re-checked. Everything is computed before anything is written.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import numpy as np

import spacemarket.experiments.outputs.cost_tables as tables
from spacemarket.experiments.outputs.files import (
    atomic_write_text,
    ensure_dir,
    write_frame,
    write_manifest,
)
from spacemarket.experiments.plots.costs import plot_cost_vs_launch_price
from spacemarket.experiments.plots.figure import save_figure
from spacemarket.market import physics as ph

__all__ = ["run_cost_demo"]

log = logging.getLogger(__name__)

PRICE_GRID_USD_PER_KG = np.geomspace(10.0, 10_000.0, 121)
TABLE_PRICES_USD_PER_KG = (3600.0, 1000.0, 500.0, 200.0, 100.0, 50.0)
PATH = "suncatcher-starship"


def run_cost_demo(out_dir: str | Path, discount_rate: float = ph.DEFAULT_DISCOUNT_RATE) -> str:
    """Compute the comparison, write tables, plot and manifest to ``out_dir``; return a summary."""
    start = time.perf_counter()
    designs = list(ph.records("design").values())
    sites = list(ph.records("site").values())
    hw = {d.name: ph.compute_hardware(d.hardware) for d in designs}
    path = ph.learning_path(PATH)
    log.info("computing cost comparison for %d designs x %d sites", len(designs), len(sites))
    orbital = tables.orbital_table(designs, hw, TABLE_PRICES_USD_PER_KG, discount_rate)
    ground = tables.terrestrial_table(
        sites, hw[designs[0].name], designs[0].lifetime_years, discount_rate
    )
    breakeven = tables.breakeven_table(designs, sites, hw, ph.ACCOUNTINGS, discount_rate, path)
    claims = tables.claims_table(designs)
    curves = tables.cost_curves(designs, sites, hw, PRICE_GRID_USD_PER_KG, discount_rate)
    fig = plot_cost_vs_launch_price(curves)
    summary = format_summary(orbital, ground, breakeven, claims)

    out = ensure_dir(out_dir)
    for name, frame in (
        ("orbital_costs", orbital),
        ("terrestrial_costs", ground),
        ("breakeven", breakeven),
        ("claims", claims),
        ("cost_curves", curves),
    ):
        write_frame(frame, out / f"{name}.parquet")
        write_frame(frame, out / f"{name}.csv")
    for fmt in ("png", "svg"):
        save_figure(fig, out / f"cost_vs_launch_price.{fmt}")
    atomic_write_text(out / "summary.txt", summary + "\n")
    write_manifest(
        out / "manifest.json",
        job="cost comparison (physical-cost core)",
        designs=[d.name for d in designs],
        sites=[s.name for s in sites],
        learning_path=PATH,
        discount_rate=discount_rate,
        wall_time_s=round(time.perf_counter() - start, 3),
    )
    log.info("wrote results to %s", out)
    return summary


def _year_text(year: float | None) -> str:
    if year is None or np.isnan(year):
        return "never"
    return f"{year:.1f}" if year <= 2100 else "after 2100"


def format_summary(orbital, ground, breakeven, claims) -> str:
    """Human-readable summary of the comparison (what the demo prints)."""
    lines = ["Cost of AI compute per kW of IT load per year (USD/kW-yr), full accounting", ""]
    piv = orbital.pivot(
        index="design", columns="launch_price_usd_per_kg", values="full_usd_per_kw_year"
    )
    piv = piv[sorted(piv.columns, reverse=True)]
    piv.columns = [f"@${c:,.0f}/kg" for c in piv.columns]
    lines.append(piv.map(lambda v: f"{v:,.0f}").to_string())
    lines += ["", "Terrestrial (same IT hardware, 5-year life):"]
    for r in ground.itertuples():
        lines.append(
            f"  {r.site:<18} total {r.full_usd_per_kw_year:>8,.0f}   power spend only "
            f"{r.power_spend_usd_per_kw_year:>6,.0f}"
        )
    lines += ["", "Break-even launch price (USD/kg) and year on the Suncatcher learning path:"]
    for r in breakeven.itertuples():
        if r.status == "found":
            year = _year_text(r.year)
            val = f"${r.breakeven_usd_per_kg:>8,.0f}/kg  year {year}"
        else:
            val = r.message
        lines.append(f"  {r.accounting:<6} {r.design:<24} vs {r.site:<18} {val}")
    bad = claims[claims["severity"] == "inconsistent"]
    if len(bad):
        lines += ["", "Published claims that do not add up:"]
        lines += [f"  [{r.design}] {r.message}" for r in bad.itertuples()]
    return "\n".join(lines)
