"""SpaceMarket: the quarterly agent-based launch and compute market (Mesa).

One step is a quarter. Stages run in this explicit order (DESIGN, "The agent-based model"):

1. state update: plans and stand-downs set cadence, vehicles enter at their (random) first
   flight, demand grows, ground capacity whose grid wait is over energizes;
2. structure: control edges whose date has come take effect (decision logic arrives with the
   integration game);
3. contracts: launch contracts for orbital compute are bargained (Nash split; at cost when
   integrated);
4. spot equilibrium: the contestable launch market clears by multi-product Bertrand-Nash with
   capacities (economics core), on the capacity integrated providers do not hold back for
   their own group's orbital compute;
5. launches, deployment and investment: labs split new compute between orbit and ground by
   delivered cost (physics core), orbital capacity flies on spare capacity, Starlink fills what
   is left of SpaceX's, anomalies ground fleets, learning-by-doing lowers costs;
6. accounting: every payment is booked once on each side;
7. data collection.

Equilibria are model-level stages calling the economics core, not agent ``step()``s. All
randomness comes from ``self.rng``. The orbital-compute parts of stages 3 and 5 (launch offers,
self-supply, allocation of spare capacity, the labs' cost of compute) are in
:mod:`.odc_launch`.
"""

from __future__ import annotations

import logging
import math

import mesa
import numpy as np

from spacemarket.agents import AILab, CloudProvider, LaunchProvider, RestOfMarket
from spacemarket.market import physics as ph
from spacemarket.market.economics import hhi
from spacemarket.market.model.launch_clearing import (
    clear_external_launch_market,
)
from spacemarket.market.model.metrics import FIRM_COLUMNS, VEHICLE_COLUMNS, firm_rows, vehicle_rows
from spacemarket.market.model.odc_launch import OrbitalComputeLaunches
from spacemarket.market.scenario.spec import Scenario, load_scenario, quarter_index, quarter_label

__all__ = ["SpaceMarket"]

log = logging.getLogger(__name__)


class SpaceMarket(OrbitalComputeLaunches, mesa.Model):
    """The launch and compute market, quarter by quarter.

    Parameters
    ----------
    scenario : Scenario or str
        A validated scenario or the name/path of one (see :func:`load_scenario`).
    rng : int, numpy Generator or SeedSequence, optional
        Seed or generator for every random draw (entry slips, anomalies).

    Examples
    --------
    >>> m = SpaceMarket(scenario="backtest-2023", rng=1)
    >>> m.step(); m.quarter_label
    '2023Q2'
    """

    def __init__(self, scenario: Scenario | str = "baseline-2026", rng=None) -> None:
        super().__init__(rng=rng)
        self.scenario = load_scenario(scenario) if isinstance(scenario, str) else scenario
        s = self.scenario
        self.start_q = quarter_index(s.start)
        self.end_q = quarter_index(s.end)
        self.q = self.start_q
        by_provider = {p.name: [v for v in s.vehicles if v.provider == p.name] for p in s.providers}
        self.providers = [
            LaunchProvider(self, p, by_provider[p.name], self.start_q) for p in s.providers
        ]
        delay = s.compute.grid_delay_quarters
        self.clouds = [CloudProvider(self, c, delay) for c in s.clouds]
        self.labs = [AILab(self, lab, delay) for lab in s.labs]
        self.rest = RestOfMarket(self, s.external_demand, s.captive, self.start_q)
        self._firms = {f.name: f for f in [*self.providers, *self.clouds, *self.labs]}
        self.design = ph.orbital_design(s.compute.orbital_design)
        self.hardware = ph.compute_hardware(s.compute.hardware)
        site = ph.terrestrial_site(s.compute.terrestrial_site)
        self.terrestrial_cost = float(
            ph.terrestrial_cost(
                site, self.hardware, self.design.lifetime_years
            ).total_usd_per_kw_year
        )
        self.odc_kg_per_kw = float(ph.mass_budget(self.design).total_kg)
        # Orbital cost is affine in the launch price: cost(p) = fixed + slope * p (USD/kW-yr).
        at_zero, at_one = ph.orbital_cost(
            self.design, self.hardware, [0.0, 1.0]
        ).total_usd_per_kw_year
        self._orbital_fixed, self._orbital_slope = float(at_zero), float(at_one - at_zero)
        # present value of 1 USD per year over the design lifetime, at the physics core's rate
        self._lifetime_pv_factor = 1.0 / float(
            ph.capital_recovery_factor(ph.DEFAULT_DISCOUNT_RATE, self.design.lifetime_years)
        )
        available = s.compute.orbital_available_from
        self._orbital_from_q = quarter_index(available) if available else self.start_q
        self.controllers: dict[str, str] = {}
        self.milestones = {
            v.name: quarter_label(v.entry_quarter)
            for p in self.providers for v in p.vehicles.values()
            if v.spec.first_flight and quarter_index(v.spec.first_flight) >= self.start_q
        }  # fmt: skip
        self.market_state: dict[str, float] = {}
        self.datacollector = mesa.DataCollector(
            tables={"firms": FIRM_COLUMNS, "vehicles": VEHICLE_COLUMNS}
        )
        self.market_rows: list[dict[str, float]] = []

    @property
    def quarter_label(self) -> str:
        """The quarter the next step will simulate, e.g. ``"2026Q1"``."""
        return quarter_label(self.q)

    # ------------------------------------------------------------------ the period loop
    def step(self) -> None:
        """Simulate one quarter (stages in the order of the module docstring)."""
        if self.q > self.end_q:
            self.running = False
            return
        q = self.q
        self._state_update(q)
        self._structure(q)
        contracts = self._contracts(q)
        spot = self._spot_equilibrium(q, contracts)
        self._launch_and_deploy(q, contracts, spot)
        self._accounting(spot)
        self._collect(q, spot, contracts)
        self.q += 1
        self.running = self.q <= self.end_q

    def _state_update(self, q: int) -> None:
        for p in self.providers:
            p.learn_and_draw_anomalies()  # last quarter's flights
            p.reset_quarter()
            p.update_capacity(q)
        for holder in [*self.clouds, *self.labs]:
            holder.revenue_usd = holder.cost_usd = 0.0
            holder.energize(q)
        self.rest.spend_usd = self.rest.missions_bought = 0.0

    def _structure(self, q: int) -> None:
        firms = [*self.providers, *self.clouds, *self.labs]
        for f in firms:
            self.controllers[f.name] = f.controller
        active = [c for c in self.scenario.control if not c.start or quarter_index(c.start) <= q]
        for c in active:
            if c.kappa > 0.5:
                owner = self.controllers.get(c.owner, c.owner)
                self.controllers[c.firm] = owner
        for f in firms:
            f.controller = self.controllers[f.name]

    def _contracts(self, q: int) -> dict[str, tuple[str, str, float, float]]:
        """Per lab: (provider, vehicle, contract USD/kg, marginal cost USD/kg)."""
        out = {}
        self._offers: dict[str, list[tuple[str, str, float, float]]] = {}
        self._offer_cache: dict[tuple[str, float, bool], tuple | None] = {}
        self._providers_of: dict[str, list[LaunchProvider]] = {}
        for p in self.providers:
            self._providers_of.setdefault(self.controllers[p.name], []).append(p)
        for lab in self.labs:
            lab.backhaul_foreclosed = self._refuses(lab.backhaul_supplier, lab, "backhaul")
            offers = self._launch_offers(lab, q)
            self._offers[lab.name] = offers
            offer = offers[0] if offers else None
            if offer is None:
                lab.active_launch_supplier = None
                lab.launch_price_usd_per_kg = math.nan
                continue
            lab.active_launch_supplier = offer[0]
            lab.launch_price_usd_per_kg = offer[2]
            out[lab.name] = offer
        return out

    def _spot_equilibrium(self, q: int, contracts):
        outcome = clear_external_launch_market(
            self.providers, q, self.rest.missions_potential(q),
            self.scenario.external_demand.price_sensitivity_per_usd_per_kg, self.controllers,
            self._self_supply(q, contracts),
        )  # fmt: skip
        for (pname, vname), price in zip(outcome.vehicles, outcome.prices_usd, strict=True):
            self._provider(pname).vehicles[vname].price_usd = float(price)
        return outcome

    def _launch_and_deploy(self, q: int, contracts, spot) -> None:
        for (pname, vname), n in zip(spot.vehicles, spot.missions, strict=True):
            v = self._provider(pname).vehicles[vname]
            self._provider(pname).fly(
                vname, "external", float(n), float(n) * v.spec.external_payload_kg
            )
        self.odc_payments: list[tuple[str, str, float]] = []
        years = (q - self.start_q) / 4.0
        additions = {lab.name: lab.grow_demand(years) for lab in self.labs}
        self._use_offers_with_spare_capacity(contracts)
        wanted = {
            lab.name: self._orbital_kg_wanted(lab, contracts[lab.name][2], additions[lab.name])
            for lab in self.labs if lab.name in contracts
        }  # fmt: skip
        granted = self._allocate_spare_capacity(contracts, wanted, additions)
        for lab in self.labs:
            grants = granted.get(lab.name, [])
            orbital_mw = sum(self._orbital_build(lab, o[0], o[1], o[2], kg) for o, kg in grants)
            served = sum(kg for _, kg in grants) / wanted[lab.name] if grants else 0.0
            payment = sum(o[2] * kg for o, kg in grants)
            self._terrestrial_build(q, lab, additions[lab.name] - orbital_mw)
            self._book_additions(lab, contracts, additions[lab.name], orbital_mw, served, payment)
        spacex_vehicles = self.scenario.starlink.vehicles
        for p in self.providers:
            for vname, kg in spacex_vehicles.items():
                if vname in p.vehicles and p.vehicles[vname].operational(q):
                    v = p.vehicles[vname]
                    spare = max(0.0, v.capacity_launches - sum(v.launches.values()))
                    p.fly(vname, "starlink", spare, spare * kg)

    def _terrestrial_build(self, q: int, lab: AILab, mw: float) -> None:
        if mw <= 0:
            return
        for supplier, share in lab.suppliers.items():
            holder = lab if supplier == "own" else self._cloud(supplier)
            holder.add_terrestrial(mw * share, q)

    def _accounting(self, spot) -> None:
        for (pname, _vehicle), price, n in zip(
            spot.vehicles, spot.prices_usd, spot.missions, strict=True
        ):
            amount = float(price) * float(n)
            self._provider(pname).revenue_usd += amount
            self.rest.spend_usd += amount
            self.rest.missions_bought += float(n)
        for lab_name, pname, amount in self.odc_payments:
            self._provider(pname).revenue_usd += amount
            self._lab(lab_name).cost_usd += amount
        for p in self.providers:
            p.cost_usd = sum(
                v.unit_cost_usd() * sum(n for use, n in v.launches.items() if use != "starlink")
                for v in p.vehicles.values()
            )  # Starlink launches are internal transfers at cost: no profit, no payment
            p.cash_usd += p.revenue_usd - p.cost_usd
        for lab in self.labs:
            lab.cash_usd -= lab.cost_usd

    def _collect(self, q: int, spot, contracts) -> None:
        rows = firm_rows(self, q)
        for row in rows:
            self.datacollector.add_table_row("firms", row)
        for row in vehicle_rows(self, q):
            self.datacollector.add_table_row("vehicles", row)
        self.market_rows.append(self._market_row(q, rows, spot))

    def _market_row(self, q: int, rows, spot) -> dict[str, float]:
        layer = [r for r in rows if r["kind"] in ("launch", "captive")]
        mass_shares = [r["share_mass"] for r in layer]
        ext_kg = sum(n * self._provider(p).vehicles[v].spec.payload_capacity_kg
                     for (p, v), n in zip(spot.vehicles, spot.missions, strict=True))  # fmt: skip
        spend = float(np.dot(spot.prices_usd, spot.missions)) if len(spot.missions) else 0.0
        prices = [lab.launch_price_usd_per_kg for lab in self.labs
                  if not math.isnan(lab.launch_price_usd_per_kg)]  # fmt: skip
        best = min(prices) if prices else math.nan
        orbital = self.orbital_cost_usd_per_kw_year(best) if prices else math.nan
        row = {
            "step": q - self.start_q + 1,
            "quarter": quarter_label(q),
            "year": q // 4 + (q % 4) / 4.0,
            "hhi_launch_mass": float(hhi(mass_shares)) if sum(mass_shares) > 0 else math.nan,
            "consumer_surplus_usd": spot.consumer_surplus_usd,
            # external spend per kg of launch capacity sold (vehicle payload capacity, the basis
            # a mass-limited orbital data center pays on), USD/kg
            "launch_price_index_usd_per_kg": spend / ext_kg if ext_kg > 0 else math.nan,
            "orbital_cost_usd_per_kw_year": orbital,
            "terrestrial_cost_usd_per_kw_year": self.terrestrial_cost,
            "orbital_mw": sum(h.orbital_mw for h in [*self.clouds, *self.labs]),
            "terrestrial_mw": sum(h.terrestrial_mw for h in [*self.clouds, *self.labs]),
            "global_launches": sum(r["launches"] for r in layer),
            "global_mass_kg": sum(r["mass_launched_kg"] for r in layer),
            "external_spend_usd": self.rest.spend_usd,
            "solver_iterations": spot.iterations,
            "solver_residual": spot.residual,
        }
        for lab in self.labs:
            row[f"exposure_spacex__{lab.name}"] = lab.exposure_spacex
            row[f"cost_of_compute_usd_per_kw_year__{lab.name}"] = (
                lab.cost_of_compute_usd_per_kw_year
            )
        return row

    def orbital_cost_usd_per_kw_year(self, launch_price_usd_per_kg: float) -> float:
        """Full orbital cost per kW-year of the scenario's design at a launch price (USD/kg)."""
        return self._orbital_fixed + self._orbital_slope * launch_price_usd_per_kg

    # ------------------------------------------------------------------ lookups
    def _provider(self, name: str) -> LaunchProvider:
        return self._firms[name]

    def _cloud(self, name: str) -> CloudProvider:
        return self._firms[name]

    def _lab(self, name: str) -> AILab:
        return self._firms[name]
