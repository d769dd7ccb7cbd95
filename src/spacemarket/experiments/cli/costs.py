"""``spacemarket costs launch|orbital|terrestrial|breakeven|plot``: the physical-cost core."""

from __future__ import annotations

import argparse
import json
import math
from typing import Any

import pandas as pd

import spacemarket.experiments.outputs.cost_tables as tables
from spacemarket.experiments.cli.flags import add_field_flags, apply_overrides, parse_key_values
from spacemarket.market import physics as ph

__all__ = ["add_costs_parser"]

DEFAULT_LAUNCH_PRICES = (3600.0, 1000.0, 500.0, 200.0, 100.0)
DEFAULT_PATH = "suncatcher-starship"


def _common(p: argparse.ArgumentParser, hardware: bool = True) -> None:
    p.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    if hardware:
        p.add_argument(
            "--hardware", default=None, help="IT hardware record (default: the design's)"
        )
        p.add_argument(
            "--discount-rate",
            type=float,
            default=ph.DEFAULT_DISCOUNT_RATE,
            help="real discount rate for annuitizing capital, fraction/yr (default %(default)s)",
        )
        add_field_flags(p, ph.ComputeHardware, prefix="hw_")


def add_costs_parser(sub: argparse._SubParsersAction) -> None:
    """Register the ``costs`` command and its subcommands."""
    costs = sub.add_parser(
        "costs", help="physical-cost core: launch, orbital, terrestrial, break-even"
    )
    csub = costs.add_subparsers(dest="costs_command", required=True, metavar="WHAT")

    p = csub.add_parser("launch", help="launch vehicles: payload, price and cost per kg")
    p.add_argument("--vehicle", action="append", help="vehicle name (repeatable; default all)")
    p.add_argument("--propellant-price", action="append", metavar="NAME=USD_PER_T")
    _common(p, hardware=False)
    add_field_flags(p, ph.LaunchVehicle)
    p.set_defaults(func=cmd_launch)

    p = csub.add_parser("orbital", help="orbital data center: mass and cost per kW-year")
    p.add_argument("--design", action="append", help="design name (repeatable; default all)")
    p.add_argument("--launch-price", action="append", type=float, metavar="USD_PER_KG")
    _common(p)
    add_field_flags(p, ph.OrbitalDesign)
    p.set_defaults(func=cmd_orbital)

    p = csub.add_parser("terrestrial", help="terrestrial data center: cost per kW-year")
    p.add_argument("--site", action="append", help="site name (repeatable; default all)")
    p.add_argument("--hardware-life-years", type=float, default=5.0)
    _common(p)
    add_field_flags(p, ph.TerrestrialSite)
    p.set_defaults(func=cmd_terrestrial)

    for name, func, text in (
        (
            "breakeven",
            cmd_breakeven,
            "break-even launch price and the year a learning path gets there",
        ),
        ("plot", cmd_plot, "plot cost per kW-year against launch price"),
    ):
        p = csub.add_parser(name, help=text)
        p.add_argument("--design", action="append", help="design name (repeatable; default all)")
        p.add_argument("--site", action="append", help="site name (repeatable; default all)")
        _common(p)
        add_field_flags(p, ph.OrbitalDesign)
        add_field_flags(p, ph.TerrestrialSite)
        if name == "breakeven":
            p.add_argument("--accounting", choices=["google", "full", "both"], default="both")
            p.add_argument("--path", default=DEFAULT_PATH, help="learning path, or 'none'")
            add_field_flags(p, ph.LearningPath, prefix="path_")
            p.set_defaults(func=func)
        else:
            p.add_argument("--out", required=True, help="output image (.png or .svg)")
            p.add_argument("--min-price", type=float, default=10.0, help="USD/kg")
            p.add_argument("--max-price", type=float, default=10_000.0, help="USD/kg")
            p.set_defaults(func=func)


# ----------------------------------------------------------------------------- selection


def select(kind: str, names: list[str] | None, args: argparse.Namespace, prefix: str = "") -> list:
    """Records of ``kind`` by name (all if None), with command-line overrides applied."""
    recs = ph.records(kind)
    chosen = names or list(recs)
    out = []
    for n in chosen:
        rec = {
            "vehicle": ph.launch_vehicle,
            "design": ph.orbital_design,
            "site": ph.terrestrial_site,
        }[kind](n)
        out.append(apply_overrides(rec, args, prefix))
    return out


def hardware_for(designs: list[ph.OrbitalDesign], args: argparse.Namespace) -> dict:
    """IT hardware per design name: ``--hardware`` or the design's own, with ``--hw-*`` flags."""
    return {
        d.name: apply_overrides(ph.compute_hardware(args.hardware or d.hardware), args, "hw_")
        for d in designs
    }


# ----------------------------------------------------------------------------- output


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    """Print JSON (``--json``) or the human-readable text."""
    if args.json:
        print(json.dumps(_clean(payload), indent=2, allow_nan=False, default=float))
    else:
        print(text)


def records_of(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """DataFrame rows as JSON-ready dicts (NaN -> None)."""
    return [_clean(r) for r in frame.astype(object).to_dict(orient="records")]


def _fmt_cell(value: Any, fmt: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    return fmt.format(value)


def fmt_table(frame: pd.DataFrame, columns: dict[str, str], formats: dict[str, str]) -> str:
    """Render selected columns with headers and number formats as a plain-text table."""
    view = frame[list(columns)].copy()
    for col, f in formats.items():
        if col in view:
            view[col] = [_fmt_cell(v, f) for v in view[col]]
    view.columns = list(columns.values())
    return view.to_string(index=False)


# ----------------------------------------------------------------------------- commands


def cmd_launch(args: argparse.Namespace) -> int:
    vehicles = select("vehicle", args.vehicle, args)
    prices = dict(ph.propellant_prices_usd_per_t())
    prices.update(parse_key_values(args.propellant_price, "--propellant-price"))
    frame = tables.launch_table(vehicles, prices)
    view = frame.assign(cost_per_flight_musd=frame["cost_per_flight_usd"] / 1e6)
    text = fmt_table(
        view,
        {
            "vehicle": "vehicle",
            "status": "status",
            "payload_leo_kg": "LEO payload (kg)",
            "list_price_usd_per_kg": "list (USD/kg)",
            "cost_per_flight_musd": "cost/flight (USD M)",
            "cost_usd_per_kg": "cost (USD/kg)",
            "propellant_floor_usd_per_kg": "floor (USD/kg)",
            "confidence": "conf",
        },
        {
            "payload_leo_kg": "{:,.0f}",
            "list_price_usd_per_kg": "{:,.0f}",
            "cost_per_flight_musd": "{:,.2f}",
            "cost_usd_per_kg": "{:,.1f}",
            "propellant_floor_usd_per_kg": "{:,.2f}",
        },
    )
    emit(args, {"vehicles": records_of(frame), "propellant_usd_per_t": prices}, text)
    return 0


def _findings_text(designs: list[ph.OrbitalDesign]) -> tuple[list[dict], str]:
    claims = tables.claims_table(designs)
    lines = [
        f"WARNING [{r.design}] {r.claim}: {r.message}"
        for r in claims.itertuples()
        if r.severity == "inconsistent"
    ]
    return records_of(claims), "\n".join(lines)


def cmd_orbital(args: argparse.Namespace) -> int:
    designs = select("design", args.design, args)
    hw = hardware_for(designs, args)
    frames = []
    for d in designs:
        prices = list(args.launch_price or DEFAULT_LAUNCH_PRICES)
        own = ph.design_launch_price_usd_per_kg(d)
        if own is not None and not args.launch_price:
            prices.append(own)
        frames.append(tables.orbital_table([d], hw, prices, args.discount_rate))
    frame = pd.concat(frames, ignore_index=True)
    claims, warn = _findings_text(designs)
    cols = {
        "design": "design",
        "launch_price_usd_per_kg": "launch (USD/kg)",
        "mass_kg_per_kw": "kg/kW",
        "it_hardware_usd_per_kw_year": "IT hw",
        "spacecraft_usd_per_kw_year": "spacecraft",
        "launch_usd_per_kw_year": "launch",
        "operations_usd_per_kw_year": "ops",
        "full_usd_per_kw_year": "total (USD/kW-yr)",
        "usd_per_gpu_hour": "USD/GPU-h",
        "google_launch_usd_per_kw_year": "Suncatcher launch line",
    }
    fmts = {c: "{:,.0f}" for c in cols if c not in ("design",)}
    fmts.update({"mass_kg_per_kw": "{:,.1f}", "usd_per_gpu_hour": "{:,.2f}"})
    text = fmt_table(frame, cols, fmts)
    if warn:
        text += "\n\n" + warn
    emit(args, {"orbital": records_of(frame), "claims": claims}, text)
    return 0


def cmd_terrestrial(args: argparse.Namespace) -> int:
    sites = select("site", args.site, args)
    hw = apply_overrides(ph.compute_hardware(args.hardware or "gb200-nvl72"), args, "hw_")
    frame = tables.terrestrial_table(sites, hw, args.hardware_life_years, args.discount_rate)
    cols = {
        "site": "site",
        "facility_usd_per_kw_year": "facility",
        "grid_delay_usd_per_kw_year": "grid wait",
        "electricity_usd_per_kw_year": "electricity",
        "it_hardware_usd_per_kw_year": "IT hw",
        "hardware_replacement_usd_per_kw_year": "replacement",
        "full_usd_per_kw_year": "total (USD/kW-yr)",
        "usd_per_gpu_hour": "USD/GPU-h",
    }
    fmts = {c: "{:,.0f}" for c in cols if c != "site"}
    fmts["usd_per_gpu_hour"] = "{:,.2f}"
    emit(args, {"terrestrial": records_of(frame)}, fmt_table(frame, cols, fmts))
    return 0


def cmd_breakeven(args: argparse.Namespace) -> int:
    designs = select("design", args.design, args)
    sites = select("site", args.site, args)
    hw = hardware_for(designs, args)
    path = None
    if args.path.lower() != "none":
        path = apply_overrides(ph.learning_path(args.path), args, "path_")
    accountings = list(ph.ACCOUNTINGS) if args.accounting == "both" else [args.accounting]
    frame = tables.breakeven_table(designs, sites, hw, accountings, args.discount_rate, path)
    cols = {
        "design": "design",
        "site": "site",
        "accounting": "accounting",
        "breakeven_usd_per_kg": "break-even (USD/kg)",
        "year": "year",
        "message": "note",
    }
    text = fmt_table(frame, cols, {"breakeven_usd_per_kg": "{:,.0f}", "year": "{:.1f}"})
    emit(args, {"breakeven": records_of(frame)}, text)
    return 0


def cmd_plot(args: argparse.Namespace) -> int:
    import numpy as np

    from spacemarket.experiments.plots.costs import plot_cost_vs_launch_price
    from spacemarket.experiments.plots.figure import save_figure

    if not args.out.endswith((".png", ".svg")):
        raise ph.InputError("--out", f"must end in .png or .svg, got {args.out!r}")
    if not 0 < args.min_price < args.max_price:
        raise ph.InputError("--min-price", "need 0 < --min-price < --max-price")
    designs = select("design", args.design, args)
    sites = select("site", args.site, args)
    hw = hardware_for(designs, args)
    grid = np.geomspace(args.min_price, args.max_price, 121)
    curves = tables.cost_curves(designs, sites, hw, grid, args.discount_rate)
    fig = plot_cost_vs_launch_price(curves)
    save_figure(fig, args.out)
    emit(args, {"plot": args.out}, f"wrote {args.out}")
    return 0
