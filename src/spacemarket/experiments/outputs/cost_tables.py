"""Tidy tables of the physical-cost core, shared by the ``costs`` CLI and the demo.

Each function returns a pandas DataFrame with one row per object (and launch price), columns
named with their units. Rows are in a fixed order so outputs are byte-reproducible.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from spacemarket.market import physics as ph

__all__ = [
    "breakeven_table",
    "claims_table",
    "cost_curves",
    "launch_table",
    "orbital_table",
    "terrestrial_table",
]


def launch_table(
    vehicles: Iterable[ph.LaunchVehicle],
    propellant_prices_usd_per_t: Mapping[str, float],
    reuses: float | None = None,
) -> pd.DataFrame:
    """One row per vehicle: capacity, list price per kg and, where modelled, cost per kg."""
    rows = []
    for v in vehicles:
        row = {
            "vehicle": v.name,
            "operator": v.operator,
            "status": v.status,
            "first_flight": v.first_flight,
            "payload_leo_kg": float(v.payload_kg(reuses)),
            "list_price_usd": v.list_price_usd,
            "list_price_usd_per_kg": v.list_price_usd_per_kg(),
            "reuses": np.nan,
            "cost_per_flight_usd": np.nan,
            "cost_usd_per_kg": np.nan,
            "cost_based_price_usd_per_kg": np.nan,
            "propellant_floor_usd_per_kg": np.nan,
            "reported_cost_per_flight_usd": v.reported_cost_per_flight_usd,
            "confidence": v.confidence,
            "source": v.source,
        }
        if v.has_cost_model:
            b = v.cost_breakdown_usd(propellant_prices_usd_per_t, reuses)
            row.update(
                reuses=float(v.reuses if reuses is None else reuses),
                cost_per_flight_usd=float(b["total"]),
                cost_usd_per_kg=float(b["cost_per_kg"]),
                cost_based_price_usd_per_kg=float(b["price_per_kg"]),
                propellant_floor_usd_per_kg=float(b["propellant_floor_per_kg"]),
            )
        rows.append(row)
    return pd.DataFrame(rows)


def orbital_table(
    designs: Iterable[ph.OrbitalDesign],
    hardware: Mapping[str, ph.ComputeHardware],
    launch_prices_usd_per_kg: Sequence[float],
    discount_rate: float,
) -> pd.DataFrame:
    """One row per design and launch price: full cost, its breakdown and Google's launch line."""
    rows = []
    for d in designs:
        hw = hardware[d.name]
        prices = np.asarray(launch_prices_usd_per_kg, dtype=float)
        cost = ph.orbital_cost(d, hw, prices, discount_rate)
        kg = float(cost.mass.total_kg)
        google = ph.launched_power_cost_usd_per_kw_year(kg, prices, 1.0, d.lifetime_years)
        for i, p in enumerate(prices):
            row = {
                "design": d.name,
                "launch_price_usd_per_kg": float(p),
                "full_usd_per_kw_year": float(cost.total_usd_per_kw_year[i]),
                "usd_per_gpu_hour": float(cost.usd_per_gpu_hour[i]),
                "google_launch_usd_per_kw_year": float(google[i]),
                "mass_kg_per_kw": kg,
                "availability": float(cost.availability),
                "lifetime_years": float(d.lifetime_years),
            }
            for k, v in cost.breakdown_usd_per_kw_year.items():
                row[f"{k}_usd_per_kw_year"] = float(np.broadcast_to(v, prices.shape)[i])
            for k, v in cost.mass.masses_kg.items():
                row[f"mass_{k}_kg_per_kw"] = float(v)
            row["array_area_m2_per_kw"] = float(cost.mass.array_area_m2)
            row["radiator_area_m2_per_kw"] = float(cost.mass.radiator_area_m2)
            row["eclipse_fraction"] = float(cost.mass.eclipse_fraction)
            rows.append(row)
    return pd.DataFrame(rows)


def terrestrial_table(
    sites: Iterable[ph.TerrestrialSite],
    hardware: ph.ComputeHardware,
    hardware_life_years: float,
    discount_rate: float,
) -> pd.DataFrame:
    """One row per site: full cost per kW-year, its breakdown and the power spend alone."""
    rows = []
    for s in sites:
        c = ph.terrestrial_cost(s, hardware, hardware_life_years, discount_rate)
        row = {
            "site": s.name,
            "full_usd_per_kw_year": float(c.total_usd_per_kw_year),
            "power_spend_usd_per_kw_year": float(c.power_spend_usd_per_kw_year),
            "usd_per_gpu_hour": float(c.usd_per_gpu_hour),
            "electricity_usd_per_kwh": s.electricity_usd_per_kwh,
            "pue": s.pue,
            "grid_delay_years": s.grid_delay_years,
        }
        for k, v in c.breakdown_usd_per_kw_year.items():
            row[f"{k}_usd_per_kw_year"] = float(v)
        rows.append(row)
    return pd.DataFrame(rows)


def breakeven_table(
    designs: Iterable[ph.OrbitalDesign],
    sites: Sequence[ph.TerrestrialSite],
    hardware: Mapping[str, ph.ComputeHardware],
    accountings: Sequence[str],
    discount_rate: float,
    path: ph.LearningPath | None = None,
) -> pd.DataFrame:
    """One row per design x site x accounting: break-even price (or why there is none) and year."""
    rows = []
    for d in designs:
        for s in sites:
            for acc in accountings:
                be = ph.breakeven_launch_price(d, s, hardware[d.name], acc, discount_rate, path)
                rows.append(
                    {
                        "design": d.name,
                        "site": s.name,
                        "accounting": acc,
                        "status": be.status,
                        "breakeven_usd_per_kg": be.price_usd_per_kg,
                        "year": be.year,
                        "path": be.path,
                        "terrestrial_usd_per_kw_year": be.terrestrial_usd_per_kw_year,
                        "orbital_at_zero_usd_per_kw_year": be.orbital_at_zero_usd_per_kw_year,
                        "message": be.message,
                    }
                )
    return pd.DataFrame(rows)


def claims_table(designs: Iterable[ph.OrbitalDesign]) -> pd.DataFrame:
    """Every published claim of every design, recomputed (see :mod:`physics.claims`)."""
    rows = [
        {
            "design": f.design,
            "claim": f.claim,
            "severity": f.severity,
            "claimed": f.claimed,
            "computed": f.computed,
            "message": f.message,
        }
        for d in designs
        for f in ph.check_design_claims(d)
    ]
    cols = ["design", "claim", "severity", "claimed", "computed", "message"]
    return pd.DataFrame(rows, columns=cols)


def cost_curves(
    designs: Iterable[ph.OrbitalDesign],
    sites: Sequence[ph.TerrestrialSite],
    hardware: Mapping[str, ph.ComputeHardware],
    launch_prices_usd_per_kg: Sequence[float],
    discount_rate: float,
) -> pd.DataFrame:
    """Long table for the cost-vs-launch-price plot.

    Columns: accounting ('full' | 'google'), kind ('orbital' | 'terrestrial'), name,
    launch_price_usd_per_kg, usd_per_kw_year. Terrestrial rows repeat across prices (flat lines),
    priced with the IT hardware life of the first design.
    """
    designs = list(designs)
    prices = np.asarray(launch_prices_usd_per_kg, dtype=float)
    frames = []
    for d in designs:
        c = ph.orbital_cost(d, hardware[d.name], prices, discount_rate)
        g = ph.launched_power_cost_usd_per_kw_year(
            float(c.mass.total_kg), prices, 1.0, d.lifetime_years
        )
        for acc, vals in (("full", c.total_usd_per_kw_year), ("google", g)):
            frames.append(
                pd.DataFrame(
                    {
                        "accounting": acc,
                        "kind": "orbital",
                        "name": d.name,
                        "launch_price_usd_per_kg": prices,
                        "usd_per_kw_year": np.broadcast_to(vals, prices.shape).astype(float),
                    }
                )
            )
    ref = designs[0]
    for s in sites:
        t = ph.terrestrial_cost(s, hardware[ref.name], ref.lifetime_years, discount_rate)
        for acc, val in (
            ("full", t.total_usd_per_kw_year),
            ("google", t.power_spend_usd_per_kw_year),
        ):
            frames.append(
                pd.DataFrame(
                    {
                        "accounting": acc,
                        "kind": "terrestrial",
                        "name": s.name,
                        "launch_price_usd_per_kg": prices,
                        "usd_per_kw_year": np.full(prices.shape, float(val)),
                    }
                )
            )
    return pd.concat(frames, ignore_index=True)
