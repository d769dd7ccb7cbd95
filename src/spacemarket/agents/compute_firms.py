"""CloudProvider and AILab: compute capacity on the ground and in orbit.

Labs build toward the demand the downstream market serves them; each quarter's addition is
split between terrestrial and orbital capacity by the model's choice stage (which prices both
with the physical-cost core). Terrestrial additions wait in a grid-connection queue; orbital
additions need launch.
"""

from __future__ import annotations

import math
from collections import deque

import mesa

from spacemarket.market.scenario.spec import CloudSpec, LabSpec

__all__ = ["AILab", "CloudProvider", "ComputeHolder"]


class ComputeHolder(mesa.Agent):
    """Common state of firms that own compute: MW of IT load on the ground and in orbit.

    Ground additions wait ``grid_delay_quarters`` in a connection queue before they serve.
    """

    kind = "compute"

    def __init__(self, model: mesa.Model, name: str, controller: str, terrestrial_mw: float,
                 grid_delay_quarters: int) -> None:  # fmt: skip
        super().__init__(model)
        self.name = name
        self.controller = controller
        self.terrestrial_mw = terrestrial_mw
        self.orbital_mw = 0.0
        self.cash_usd = 0.0
        self.revenue_usd = 0.0
        self.cost_usd = 0.0
        self.grid_delay_quarters = grid_delay_quarters
        self.pending: deque[tuple[int, float]] = deque()  # (quarter it energizes, MW)

    def add_terrestrial(self, mw: float, quarter: int) -> None:
        """Order ``mw`` of ground capacity in ``quarter``; it serves after the grid delay."""
        self.pending.append((quarter + self.grid_delay_quarters, mw))
        self.energize(quarter)

    def energize(self, quarter: int) -> None:
        """Move every queued addition whose connection date has come into service."""
        while self.pending and self.pending[0][0] <= quarter:
            self.terrestrial_mw += self.pending.popleft()[1]

    def queued_mw(self) -> float:
        """Ground capacity waiting for a grid connection, MW."""
        return float(sum(mw for _, mw in self.pending))


class CloudProvider(ComputeHolder):
    """A cloud provider (AWS, Azure, Google Cloud, Oracle, CoreWeave)."""

    kind = "cloud"

    def __init__(self, model: mesa.Model, spec: CloudSpec, grid_delay_quarters: int) -> None:
        super().__init__(
            model, spec.name, spec.controller, spec.terrestrial_mw, grid_delay_quarters
        )


class AILab(ComputeHolder):
    """An AI lab (OpenAI, Anthropic, Google DeepMind, xAI, Meta).

    ``demand_mw`` is the IT load it wants in service; ``suppliers`` splits it between clouds and
    its own data centers (``"own"``); the contracts stage sets the launcher it buys most from
    (``active_launch_supplier``) and the price it pays.
    """

    kind = "lab"

    def __init__(self, model: mesa.Model, spec: LabSpec, grid_delay_quarters: int) -> None:
        own_share = spec.suppliers.get("own", 0.0) if spec.suppliers else 1.0
        super().__init__(model, spec.name, spec.controller, spec.compute_gw * 1000 * own_share,
                         grid_delay_quarters)  # fmt: skip
        self.spec = spec
        self.demand_mw = spec.compute_gw * 1000.0  # capacity built or ordered, MW
        #: next quarter's demand as the downstream market expects it, MW (set by that stage)
        self.target_mw = self.demand_mw
        #: this quarter's served demand, MW (the downstream market's quantity)
        self.served_mw = self.demand_mw
        #: this quarter's addition, fixed in stage 1 (:meth:`plan_quarter`), MW
        self.planned_addition_mw = 0.0
        self.suppliers = dict(spec.suppliers) if spec.suppliers else {"own": 1.0}
        self.active_launch_supplier: str | None = None  # set by the contracts stage
        self.backhaul_supplier = spec.backhaul_supplier
        self.backhaul_foreclosed = False
        self.launch_price_usd_per_kg = float("nan")
        self.exposure_spacex = 0.0
        self.added_mw = 0.0  # capacity added since the start, MW
        self.added_cost_usd_per_year = 0.0  # its annualized full cost, USD per year
        self.compute_cost_usd = 0.0  # this quarter's cost of compute (see book_capacity)
        #: the non-launch cost of the capacity added in the run, USD per year
        self.other_cost_usd_per_year = 0.0

    def book_capacity(self, mw: float, usd_per_kw_year: float, lifetime_cost_usd: float,
                      other_usd_per_year: float = 0.0) -> None:  # fmt: skip
        """Record this quarter's addition: ``mw`` at ``usd_per_kw_year`` (its vintage's expected
        full cost) and its cost of compute ``lifetime_cost_usd``, booked when it is added.

        ``lifetime_cost_usd`` is what the model's ``ComputeCosts.booked_cost`` computes:
        the launch payments actually made this quarter plus the present value over the design
        lifetime of every other cost, so that a payment between two firms of the same group
        cancels in the group's payoff.
        """
        self.compute_cost_usd = lifetime_cost_usd
        self.other_cost_usd_per_year += other_usd_per_year
        if mw > 0:
            self.added_mw += mw
            self.added_cost_usd_per_year += mw * 1000.0 * usd_per_kw_year

    @property
    def compute_cost_flow_usd(self) -> float:
        """This quarter's cost of the compute the lab added in the run, USD (its payoff's cost
        side): the launch payments made this quarter (``cost_usd``, booked by accounting) plus a
        quarter of the annualized rest of every vintage's full cost. Launch is a payment to a
        modelled firm, so it is booked when paid, as the launcher books it (a payment inside a
        group cancels); the rest (hardware, power, sites) is a flow over the same quarters as
        the revenue it earns, so capacity whose revenue falls after the horizon is not charged
        its whole lifetime cost. ``compute_cost_usd`` is the lifetime cost booked at each
        addition."""
        return self.cost_usd + self.other_cost_usd_per_year / 4.0

    @property
    def cost_of_compute_usd_per_kw_year(self) -> float:
        """Mean full cost of the capacity added since the start, USD per kW-year (NaN if none)."""
        if self.added_mw <= 0:
            return float("nan")
        return self.added_cost_usd_per_year / (self.added_mw * 1000.0)

    def orbital_share(
        self, orbital_usd_per_kw_year: float, ground_usd_per_kw_year: float, dispersion: float
    ) -> float:
        """Share of new capacity the lab wants in orbit (its build decision).

        A binary logit on delivered cost per kW-year, ``interest / (1 + exp((C_orbit - C_ground)
        / (dispersion x C_ground)))``: builders whose idiosyncratic costs are spread by
        ``dispersion`` (a fraction of ground cost) split between the two.
        """
        z = (orbital_usd_per_kw_year - ground_usd_per_kw_year) / (
            dispersion * ground_usd_per_kw_year
        )
        return self.spec.orbital_interest / (1.0 + math.exp(min(z, 700.0)))

    def expected_cost_usd_per_kw_year(
        self, orbital_usd_per_kw_year: float, ground_usd_per_kw_year: float, dispersion: float,
        served: float = 1.0,
    ) -> float:  # fmt: skip
        """Expected full cost per kW-year of this quarter's addition, as its builders bear it.

        The builders who consider orbit (``orbital_interest``) pick the cheaper option after
        their idiosyncratic cost shocks; under the logit of :meth:`orbital_share` the expected
        cost of the choice is the inclusive value ``-sigma log(exp(-C_o/sigma) +
        exp(-C_g/sigma))`` with ``sigma = dispersion x C_g`` (McFadden 1978; Small and Rosen
        1981), up to a constant common to every choice set. It is below both costs, and
        removing the orbital option (no launch offer: ``orbital_usd_per_kw_year`` NaN, or a
        rationed ``served`` fraction) raises it to ``C_g``. Builders without orbital interest
        pay ``C_g``.
        """
        c_g = ground_usd_per_kw_year
        if math.isnan(orbital_usd_per_kw_year) or served <= 0:
            return c_g
        sigma = dispersion * c_g
        c_o = orbital_usd_per_kw_year
        inclusive = min(c_o, c_g) - sigma * math.log1p(math.exp(-abs(c_o - c_g) / sigma))
        with_choice = served * inclusive + (1.0 - served) * c_g
        interest = self.spec.orbital_interest
        return interest * with_choice + (1.0 - interest) * c_g

    def plan_quarter(self) -> float:
        """Fix this quarter's addition at the start of the quarter (stage 1): what it takes to
        reach ``target_mw``, the demand the downstream market expects the lab to serve
        (:mod:`spacemarket.market.model.downstream`), never negative (capacity is not sold).
        The contracts stage buys launch for it and stage 5 builds it. Returns it, MW."""
        self.planned_addition_mw = max(self.target_mw - self.demand_mw, 0.0)
        return self.planned_addition_mw

    def grow_demand(self) -> float:
        """Add this quarter's planned addition to the capacity the lab has; return it, MW."""
        add = self.planned_addition_mw
        self.demand_mw += add
        return add
