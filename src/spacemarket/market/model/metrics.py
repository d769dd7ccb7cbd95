"""Stage 8, data collection: per-quarter rows of the model's tidy output frames (firms,
vehicles, market), collected by :class:`DataCollection`.

A lab's ``compute_cost_usd`` is the quarter's cost of the compute it added in the run (the
launch payments made this quarter, as the launchers book them, plus a quarter of the
annualized rest of every vintage's full cost: :attr:`AILab.compute_cost_flow_usd`) and its
``profit_usd`` its AI-services revenue less that cost, so a payment inside a group cancels
and a strategy that makes a lab grow is not charged the lifetime cost of capacity whose
revenue falls after the horizon.

Shares are computed within a layer: the launch layer (launch providers and captive markets,
by mass and, for providers that sell, by revenue) and the compute layer (clouds and labs, by MW
in service). Each layer's shares sum to one whenever the layer has any activity.
"""

from __future__ import annotations

import math

import mesa
import numpy as np

from spacemarket.market.economics import hhi
from spacemarket.market.model.launch_clearing import ExternalMarketOutcome
from spacemarket.market.scenario.spec import quarter_label

__all__ = [
    "FIRM_COLUMNS",
    "VEHICLE_COLUMNS",
    "DataCollection",
    "firm_rows",
    "market_row",
    "vehicle_rows",
]

FIRM_COLUMNS = [
    "step", "quarter", "firm", "kind", "controller", "price_usd_per_kg", "launches",
    "mass_launched_kg", "share_mass", "share_revenue", "capacity_kg", "unit_cost_usd_per_kg",
    "revenue_usd", "profit_usd", "cash_usd", "orbital_mw", "terrestrial_mw", "share_compute",
    "exposure_spacex", "compute_cost_usd", "share_ai_revenue",
]  # fmt: skip

VEHICLE_COLUMNS = [
    "step", "quarter", "provider", "vehicle", "operational", "capacity_launches",
    "external_launches", "orbital_compute_launches", "starlink_launches", "launches",
    "price_usd", "unit_cost_usd",
]  # fmt: skip


def _nan() -> float:
    return math.nan


def firm_rows(model: mesa.Model, q: int) -> list[dict]:
    """One row per firm (and per captive market) for quarter ``q``."""
    step = q - model.start_q + 1
    label = quarter_label(q)
    rows = []
    captive = model.rest.captive_launches(q)
    total_mass = sum(p.mass_launched_kg for p in model.providers) + sum(
        m for _, m in captive.values()
    )
    total_rev = sum(p.revenue_usd for p in model.providers)
    spacex_owner = model.controllers.get("SpaceX")
    for p in model.providers:
        launches = p.launches_total()
        sold = [
            (v, sum(n for u, n in v.launches.items() if u != "starlink"))
            for v in p.vehicles.values()
        ]
        sold_kg = sum(n * v.spec.payload_capacity_kg for v, n in sold)
        flown = [(v, sum(v.launches.values())) for v in p.vehicles.values()]
        flown_kg = sum(n * v.spec.payload_capacity_kg for v, n in flown)
        cost_all = sum(v.unit_cost_usd() * n for v, n in flown)
        rows.append(
            {
                "step": step, "quarter": label, "firm": p.name, "kind": "launch",
                "controller": p.controller,
                "price_usd_per_kg": p.revenue_usd / sold_kg if sold_kg > 0 else _nan(),
                "launches": launches, "mass_launched_kg": p.mass_launched_kg,
                "share_mass": p.mass_launched_kg / total_mass if total_mass > 0 else 0.0,
                "share_revenue": p.revenue_usd / total_rev if total_rev > 0 else 0.0,
                "capacity_kg": p.capacity_kg(),
                "unit_cost_usd_per_kg": cost_all / flown_kg if flown_kg > 0 else _nan(),
                "revenue_usd": p.revenue_usd, "profit_usd": p.revenue_usd - p.cost_usd,
                "cash_usd": p.cash_usd, "orbital_mw": 0.0, "terrestrial_mw": 0.0,
                "share_compute": _nan(), "exposure_spacex": _nan(),
                "compute_cost_usd": _nan(), "share_ai_revenue": _nan(),
            }
        )  # fmt: skip
    for name, (launches, mass) in captive.items():
        rows.append(
            {
                "step": step, "quarter": label, "firm": name, "kind": "captive",
                "controller": name, "price_usd_per_kg": _nan(), "launches": launches,
                "mass_launched_kg": mass,
                "share_mass": mass / total_mass if total_mass > 0 else 0.0,
                "share_revenue": 0.0, "capacity_kg": _nan(), "unit_cost_usd_per_kg": _nan(),
                "revenue_usd": 0.0, "profit_usd": 0.0, "cash_usd": 0.0, "orbital_mw": 0.0,
                "terrestrial_mw": 0.0, "share_compute": _nan(), "exposure_spacex": _nan(),
                "compute_cost_usd": _nan(), "share_ai_revenue": _nan(),
            }
        )  # fmt: skip
    holders = [*model.clouds, *model.labs]
    total_mw = sum(h.terrestrial_mw + h.orbital_mw for h in holders)
    ai_revenue = sum(lab.revenue_usd for lab in model.labs)
    for h in holders:
        mw = h.terrestrial_mw + h.orbital_mw
        exposure = _nan()
        price = _nan()
        compute_cost = _nan()
        cost = h.cost_usd
        ai_share = _nan()
        if h.kind == "lab":
            compute_cost = cost = h.compute_cost_flow_usd
            ai_share = h.revenue_usd / ai_revenue if ai_revenue > 0 else 0.0
            exposure = _lab_exposure(model, h, spacex_owner)
            h.exposure_spacex = exposure
            price = h.launch_price_usd_per_kg
        rows.append(
            {
                "step": step, "quarter": label, "firm": h.name, "kind": h.kind,
                "controller": h.controller, "price_usd_per_kg": price, "launches": 0.0,
                "mass_launched_kg": 0.0, "share_mass": _nan(), "share_revenue": _nan(),
                "capacity_kg": _nan(), "unit_cost_usd_per_kg": _nan(),
                "revenue_usd": h.revenue_usd, "profit_usd": h.revenue_usd - cost,
                "cash_usd": h.cash_usd, "orbital_mw": h.orbital_mw,
                "terrestrial_mw": h.terrestrial_mw,
                "share_compute": mw / total_mw if total_mw > 0 else 0.0,
                "exposure_spacex": exposure, "compute_cost_usd": compute_cost,
                "share_ai_revenue": ai_share,
            }
        )  # fmt: skip
    return rows


def _lab_exposure(model: mesa.Model, lab, spacex_owner: str | None) -> float:
    """Share of the lab's compute whose critical inputs pass through SpaceX-controlled firms.

    Orbital capacity depends on its launch supplier and its backhaul (Starlink links to the
    ground); capacity bought from a cloud depends on that cloud; own ground capacity on
    neither. Weighted by the lab's demand in MW.
    """
    if spacex_owner is None or lab.demand_mw <= 0:
        return 0.0
    exposed = 0.0
    orbital_inputs = {lab.active_launch_supplier}
    if not lab.backhaul_foreclosed:
        orbital_inputs.add(lab.backhaul_supplier)
    if any(model.controllers.get(firm) == spacex_owner for firm in orbital_inputs):
        exposed += lab.orbital_mw
    ground = max(lab.demand_mw - lab.orbital_mw, 0.0)
    for supplier, share in lab.suppliers.items():
        if supplier != "own" and model.controllers.get(supplier) == spacex_owner:
            exposed += ground * share
    if model.controllers.get(lab.name) == spacex_owner:
        exposed = lab.demand_mw
    return min(exposed / lab.demand_mw, 1.0)


def vehicle_rows(model: mesa.Model, q: int) -> list[dict]:
    """One row per vehicle for quarter ``q``: capacity, launches by use, price and cost."""
    step = q - model.start_q + 1
    label = quarter_label(q)
    rows = []
    for p in model.providers:
        for v in p.vehicles.values():
            rows.append(
                {
                    "step": step, "quarter": label, "provider": p.name, "vehicle": v.name,
                    "operational": bool(v.operational(q)),
                    "capacity_launches": v.capacity_launches,
                    "external_launches": v.launches.get("external", 0.0),
                    "orbital_compute_launches": v.launches.get("orbital_compute", 0.0),
                    "starlink_launches": v.launches.get("starlink", 0.0),
                    "launches": sum(v.launches.values()),
                    "price_usd": v.price_usd if v.operational(q) else _nan(),
                    "unit_cost_usd": v.unit_cost_usd(),
                }
            )  # fmt: skip
    return rows


def market_row(model: mesa.Model, q: int, rows: list[dict], spot: ExternalMarketOutcome) -> dict:
    """The market frame's row for quarter ``q`` (``rows``: the quarter's firm rows)."""
    providers = {p.name: p for p in model.providers}
    layer = [r for r in rows if r["kind"] in ("launch", "captive")]
    mass_shares = [r["share_mass"] for r in layer]
    ext_kg = sum(n * providers[p].vehicles[v].spec.payload_capacity_kg
                 for (p, v), n in zip(spot.vehicles, spot.missions, strict=True))  # fmt: skip
    spend = float(np.dot(spot.prices_usd, spot.missions)) if len(spot.missions) else 0.0
    prices = [lab.launch_price_usd_per_kg for lab in model.labs
              if not math.isnan(lab.launch_price_usd_per_kg)]  # fmt: skip
    best = min(prices) if prices else math.nan
    book = model.contract_book
    orbital = model.orbital_cost_usd_per_kw_year(best) if prices else math.nan
    row = {
        "step": q - model.start_q + 1,
        "quarter": quarter_label(q),
        "year": q // 4 + (q % 4) / 4.0,
        "hhi_launch_mass": float(hhi(mass_shares)) if sum(mass_shares) > 0 else math.nan,
        "consumer_surplus_usd": spot.consumer_surplus_usd,
        # external spend per kg of launch capacity sold (vehicle payload capacity, the basis
        # a mass-limited orbital data center pays on), USD/kg
        "launch_price_index_usd_per_kg": spend / ext_kg if ext_kg > 0 else math.nan,
        "orbital_cost_usd_per_kw_year": orbital,
        "terrestrial_cost_usd_per_kw_year": model.terrestrial_cost,
        "orbital_mw": sum(h.orbital_mw for h in [*model.clouds, *model.labs]),
        "terrestrial_mw": sum(h.terrestrial_mw for h in [*model.clouds, *model.labs]),
        "global_launches": sum(r["launches"] for r in layer),
        "global_mass_kg": sum(r["mass_launched_kg"] for r in layer),
        "external_spend_usd": model.rest.spend_usd,
        "solver_iterations": spot.iterations,
        "solver_residual": spot.residual,
        "contracts_iterations": float(book.iterations),
        "contracts_residual_kg": book.residual_kg,
        "contracts_converged": float(book.converged),
        **_downstream_columns(model.downstream_outcome),
        **model.graph.analytics(model.graph.default_foreclosing_controller()),
    }
    for provider, shadow in book.shadow_usd_per_kg.items():
        row[f"launch_shadow_usd_per_kg__{provider}"] = shadow
    for lab in model.labs:
        row[f"exposure_spacex__{lab.name}"] = lab.exposure_spacex
        row[f"cost_of_compute_usd_per_kw_year__{lab.name}"] = lab.cost_of_compute_usd_per_kw_year
    return row


def _downstream_columns(out) -> dict[str, float]:
    """The AI-services market's columns of the market row (NaN before its first quarter)."""
    if out is None:
        return dict.fromkeys(("ai_services_revenue_usd", "ai_services_price_usd_per_kw_year",
                              "ai_services_consumer_surplus_usd", "ai_services_served_mw",
                              "ai_services_residual_usd"), math.nan)  # fmt: skip
    served = float(out.served_kw.sum())
    return {
        "ai_services_revenue_usd": float(out.revenue_usd.sum()),
        # served-weighted price per kW-year of served compute
        "ai_services_price_usd_per_kw_year": (
            float(out.prices_usd_per_kw_year @ out.served_kw) / served if served > 0 else math.nan
        ),
        "ai_services_consumer_surplus_usd": out.consumer_surplus_usd,
        "ai_services_served_mw": served / 1000.0,
        "ai_services_residual_usd": out.residual_usd,
    }


class DataCollection:
    """Stage 7: the ``firms`` and ``vehicles`` tables (a Mesa DataCollector) and the market rows.

    The frames are read by :func:`.results.run_scenario`; ``firm_rows`` also records each lab's
    ``exposure_spacex`` on the lab.
    """

    def __init__(self) -> None:
        self.datacollector = mesa.DataCollector(
            tables={"firms": FIRM_COLUMNS, "vehicles": VEHICLE_COLUMNS}
        )
        self.market_rows: list[dict[str, float]] = []

    def collect(self, model: mesa.Model, q: int, spot: ExternalMarketOutcome) -> None:
        """Append quarter ``q``'s rows."""
        rows = firm_rows(model, q)
        for row in rows:
            self.datacollector.add_table_row("firms", row)
        for row in vehicle_rows(model, q):
            self.datacollector.add_table_row("vehicles", row)
        self.market_rows.append(market_row(model, q, rows, spot))
