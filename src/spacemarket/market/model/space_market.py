"""SpaceMarket: the quarterly agent-based launch and compute market (Mesa).

One step is a quarter. Its stages are collaborator objects the model creates in ``__init__``
and calls in this explicit order in :meth:`SpaceMarket.step` (DESIGN, "The agent-based model"):

1. state update (:class:`.state_update.StateUpdate`): learning and anomalies on last quarter's
   flights, cadence from plans, entries and stand-downs, ground capacity whose grid wait is over
   energizes;
2. structure: in endogenous mode, at decision epochs, the players decide
   (:class:`.decisions.Decisions`: options valued by the model's own equilibria on a copy of
   the model, best-response rounds, irreversible acquisitions); then control edges whose date
   has come take effect (:class:`.structure.ControlStructure`);
3. contracts (:class:`.contracts.LaunchContracts` -> :class:`.contracts.ContractBook`): every
   possible launch edge between launchers and labs bargained by Nash-in-Nash with threat of
   replacement, capacity priced by shadow prices, at cost inside a group (economics core); the
   market graph (:class:`.market_graph.MarketGraph`) takes the quarter's terms and control;
4. spot equilibrium (:class:`.spot.SpotMarket`): the contestable launch market clears on the
   capacity contracts did not reserve, by multi-product Bertrand-Nash with capacities;
5. downstream (:class:`.downstream.AIServicesMarket`): labs sell AI services by logit
   Bertrand-Nash at marginal costs from their launch terms, earn revenue and set the demand
   they build for; clouds earn their margin;
6. launches, deployment and investment (:class:`.deployment.LaunchAndDeploy` ->
   :class:`.deployment.Deployment`): labs fly what their contracts bought and build the rest of
   their addition on the ground (:class:`.compute_costs.ComputeCosts`), launchers whose
   capacity bound invest in cadence, Starlink fills what is left of SpaceX's;
7. accounting (:class:`.accounting.Accounting`): every payment is booked once on each side;
8. data collection (:class:`.metrics.DataCollection`), with the graph's analytics.

Equilibria are model-level stages calling the economics core, not agent ``step()``s. All
randomness comes from ``self.rng`` (entry slips when the providers are created, anomalies in
stage 1).
"""

from __future__ import annotations

import logging

import mesa

from spacemarket.agents import AILab, CloudProvider, LaunchProvider, RestOfMarket
from spacemarket.errors import InputError
from spacemarket.market.model.accounting import Accounting
from spacemarket.market.model.compute_costs import ComputeCosts
from spacemarket.market.model.contracts import ContractBook, LaunchContracts
from spacemarket.market.model.decisions import Decisions, counterfactual_copy
from spacemarket.market.model.deployment import LaunchAndDeploy, LaunchPayment
from spacemarket.market.model.downstream import AIServicesMarket, DownstreamOutcome
from spacemarket.market.model.market_graph import EdgeTerms, MarketGraph
from spacemarket.market.model.metrics import DataCollection
from spacemarket.market.model.spot import SpotMarket
from spacemarket.market.model.state_update import StateUpdate
from spacemarket.market.model.structure import ControlStructure
from spacemarket.market.scenario import Scenario, load_scenario, quarter_index, quarter_label
from spacemarket.market.scenario.game_spec import MODES

__all__ = ["SpaceMarket"]

log = logging.getLogger(__name__)


class SpaceMarket(mesa.Model):
    """The launch and compute market, quarter by quarter.

    Parameters
    ----------
    scenario : Scenario or str
        A validated scenario or the name/path of one (see :func:`load_scenario`).
    rng : int, numpy Generator or SeedSequence, optional
        Seed or generator for every random draw (entry slips, anomalies).
    mode : {"committed", "endogenous"}, optional
        ``committed`` runs the scenario's structure as given; ``endogenous`` lets the players
        of its ``[game]`` decide at epochs. Default: the scenario's ``game.mode``, else
        committed.

    Examples
    --------
    >>> m = SpaceMarket(scenario="backtest-2023", rng=1)
    >>> m.step(); m.quarter_label
    '2023Q2'
    """

    def __init__(self, scenario: Scenario | str = "baseline-2026", rng=None,
                 mode: str | None = None) -> None:  # fmt: skip
        super().__init__(rng=rng)
        self.scenario = load_scenario(scenario) if isinstance(scenario, str) else scenario
        s = self.scenario
        self.mode = mode or (s.game.mode if s.game is not None else "committed")
        if self.mode not in MODES:
            raise InputError("mode", f"expected one of {', '.join(MODES)}, got {self.mode!r}")
        if self.mode == "endogenous" and s.game is None:
            raise InputError("mode", f"endogenous mode needs a [game] table; {s.name} has none")
        self.start_q = quarter_index(s.start)
        self.end_q = quarter_index(s.end)
        self.q = self.start_q
        # agents (providers first: their entry slips are the first draws from the rng)
        by_provider = {p.name: [v for v in s.vehicles if v.provider == p.name] for p in s.providers}
        self.providers = [
            LaunchProvider(self, p, by_provider[p.name], self.start_q) for p in s.providers
        ]
        delay = s.compute.grid_delay_quarters
        self.clouds = [CloudProvider(self, c, delay) for c in s.clouds]
        self.labs = [AILab(self, lab, delay) for lab in s.labs]
        self.rest = RestOfMarket(self, s.external_demand, s.captive, self.start_q)
        self.costs = ComputeCosts(s.compute, self.start_q)
        self.milestones = {
            v.name: quarter_label(v.entry_quarter)
            for p in self.providers for v in p.vehicles.values()
            if v.spec.first_flight and quarter_index(v.spec.first_flight) >= self.start_q
        }  # fmt: skip
        # the quarter's stages, in the order step() calls them
        holders = [*self.clouds, *self.labs]
        self.state_update = StateUpdate(self.providers, holders, self.rest)
        self.structure = ControlStructure(s.control)
        self.decisions = Decisions(s.game, self.start_q) if self.mode == "endogenous" else None
        #: False in a valuation copy (:meth:`counterfactual`): no output rows
        self.collecting = True
        self.contracts = LaunchContracts(
            self.providers,
            self.costs,
            s.compute.launch_bargaining_weight,
            s.control,
        )
        self.graph = MarketGraph.from_scenario(s, self.start_q)
        #: node-link snapshots of the market graph: at the start and after the last step
        self.graph_snapshots = {"start": self.graph.node_link()}
        self.spot = SpotMarket(
            self.providers, self.rest, s.external_demand.price_sensitivity_per_usd_per_kg
        )
        self.downstream = AIServicesMarket(s.downstream, self.labs, self.clouds, self.costs,
                                           self.start_q)  # fmt: skip
        #: the last quarter's AI-services market
        self.downstream_outcome: DownstreamOutcome | None = None
        self.deployment = LaunchAndDeploy(
            self.providers, self.clouds, self.labs, self.costs, s.starlink.vehicles
        )
        self.accounting = Accounting(self.providers, self.labs, self.rest, self.clouds)
        self.collection = DataCollection()
        self.datacollector = self.collection.datacollector
        self.market_rows = self.collection.market_rows
        #: the last quarter's contracts (as flown) and launch payments for orbital compute
        self.contract_book = ContractBook((), {}, {})
        self.odc_payments: tuple[LaunchPayment, ...] = ()
        #: every quarter's contract terms, one row per bargained edge (``contracts.parquet``)
        self.contract_rows: list[dict] = []

    @property
    def quarter_label(self) -> str:
        """The quarter the next step will simulate, e.g. ``"2026Q1"``."""
        return quarter_label(self.q)

    @property
    def controllers(self) -> dict[str, str]:
        """Firm name -> its controller this quarter (the structure stage's state)."""
        return self.structure.controllers

    @property
    def terrestrial_cost(self) -> float:
        """Ground cost of compute, USD per kW-year."""
        return self.costs.terrestrial_usd_per_kw_year

    @property
    def odc_kg_per_kw(self) -> float:
        """Launch mass per kW of orbital IT load, kg."""
        return self.costs.kg_per_kw

    def orbital_cost_usd_per_kw_year(self, launch_price_usd_per_kg: float) -> float:
        """Full orbital cost per kW-year of the scenario's design at a launch price (USD/kg)."""
        return self.costs.orbital_usd_per_kw_year(launch_price_usd_per_kg)

    # ------------------------------------------------------------------ the period loop
    def step(self) -> None:
        """Simulate one quarter: the stages in the order of the module docstring."""
        if self.q > self.end_q:
            self.running = False
            return
        q = self.q
        self.state_update.run(q)  # 1
        if self.decisions is not None:  # 2, endogenous mode: the players decide at epochs
            self.decisions.run(self, q)
        self.structure.update([*self.providers, *self.clouds, *self.labs], q)  # 2
        self.market_stages(q)
        self.q += 1
        self.running = self.q <= self.end_q
        if not self.running and self.collecting:
            self.graph_snapshots["end"] = self.graph.node_link()

    def market_stages(self, q: int) -> None:
        """Stages 3-8 of quarter ``q`` (the part of a quarter an option's valuation re-runs)."""
        labs, controllers = self.labs, self.controllers
        other_use = self.spot.shadow_usd_per_kg  # last quarter's spot value of a kg
        book = self.contracts.solve(labs, controllers, q, other_use)  # 3
        if self.collecting:  # the graph records the terms (read only by the outputs)
            self._update_graph(q, controllers, book)
        spot = self.spot.clear(q, controllers, book.reserved_kg())  # 4 (a new shadow map)
        self.downstream_outcome = self.downstream.solve(q, book, controllers, other_use)  # 5
        deployed = self.deployment.run(q, book, spot)  # 6
        self.accounting.book(spot, deployed.payments)  # 7
        self.contract_book, self.odc_payments = deployed.book, deployed.payments
        if self.collecting:
            self.collection.collect(self, q, spot)  # 8

    def counterfactual(self) -> SpaceMarket:
        """A copy for valuing an option: the same state and random stream, no output rows and
        no decisions of its own."""
        return counterfactual_copy(self)

    @property
    def event_rows(self) -> list[dict]:
        """The decisions' event rows (``events.parquet``; empty in committed mode)."""
        return self.decisions.rows if self.decisions is not None else []

    def _update_graph(self, q: int, controllers, book: ContractBook) -> None:
        """The quarter's contract terms and control into the market graph (and the rows of
        ``contracts.parquet``); a launcher without an operational vehicle has no edge to trade."""
        label, edges = quarter_label(q), {}
        for t in book.terms:  # a long-term and a quarter's contract share one graph edge
            if self.collecting:
                self.contract_rows.append({"quarter": label, **t.__dict__})
            edges.setdefault((t.seller, t.buyer), []).append(t)
        terms = []
        for (seller, buyer), ts in edges.items():
            kg = sum(t.kg for t in ts)
            active = [t for t in ts if t.status == "active"]
            status = "active" if active else ts[0].status
            price = (sum(t.price_usd_per_kg * t.kg for t in active) / kg if kg > 0
                     else active[0].price_usd_per_kg if active else float("nan"))  # fmt: skip
            terms.append(EdgeTerms(seller, buyer, "launch", status, price, kg))
        terms += [EdgeTerms(p, lab, "launch", "dropped")
                  for p, lab in self.graph.launch_edges() if (p, lab) not in edges]  # fmt: skip
        self.graph.update(q, controllers, terms)
