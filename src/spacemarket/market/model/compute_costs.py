"""The cost of compute: the scenario's orbital and ground cost per kW-year, a lab's orbital demand
and the cost of compute it books for each quarter's addition.

Built once per model from the scenario's orbital design, hardware and terrestrial site with the
physics core. The full orbital cost is affine in the launch price, ``fixed + slope x p`` (USD per
kW-year at ``p`` USD/kg).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from spacemarket.agents import AILab
from spacemarket.market import physics as ph
from spacemarket.market.scenario.spec import ComputeSpec, quarter_index

__all__ = ["BookedCost", "ComputeCosts"]


@dataclass(frozen=True)
class BookedCost:
    """A quarter's addition as booked: its expected full cost (USD per kW-year), the cost of
    compute (USD: the launch payments made plus the present value of the rest) and the rest as
    a flow (USD per year: the full cost less its launch part)."""

    usd_per_kw_year: float
    cost_of_compute_usd: float
    other_usd_per_year: float = 0.0


class ComputeCosts:
    """Costs per kW-year of the scenario's compute, and the labs' build choice at a launch price.

    Parameters
    ----------
    compute : ComputeSpec
        The scenario's ``[compute]`` table.
    start_q : int
        The model's first quarter (orbital data centers deploy from ``orbital_available_from``,
        or from the start).
    """

    def __init__(self, compute: ComputeSpec, start_q: int) -> None:
        self.compute = compute
        self.design = ph.orbital_design(compute.orbital_design)
        self.hardware = ph.compute_hardware(compute.hardware)
        site = ph.terrestrial_site(compute.terrestrial_site)
        #: ground cost, USD per kW-year
        self.terrestrial_usd_per_kw_year = float(
            ph.terrestrial_cost(
                site, self.hardware, self.design.lifetime_years
            ).total_usd_per_kw_year
        )
        #: launch mass per kW of orbital IT load
        self.kg_per_kw = float(ph.mass_budget(self.design).total_kg)
        # Orbital cost is affine in the launch price: cost(p) = fixed + slope * p (USD/kW-yr).
        at_zero, at_one = ph.orbital_cost(
            self.design, self.hardware, [0.0, 1.0]
        ).total_usd_per_kw_year
        self.orbital_fixed, self.orbital_slope = float(at_zero), float(at_one - at_zero)
        # present value of 1 USD per year over the design lifetime, at the physics core's rate
        self.lifetime_pv_factor = 1.0 / float(
            ph.capital_recovery_factor(ph.DEFAULT_DISCOUNT_RATE, self.design.lifetime_years)
        )
        available = compute.orbital_available_from
        self.orbital_from_q = quarter_index(available) if available else start_q

    def orbital_usd_per_kw_year(self, launch_price_usd_per_kg: float) -> float:
        """Full orbital cost per kW-year of the design at a launch price (USD/kg)."""
        return self.orbital_fixed + self.orbital_slope * launch_price_usd_per_kg

    def lab_orbital_usd_per_kw_year(self, lab: AILab, price_kg: float) -> float:
        """The lab's full orbital cost, USD per kW-year, at a launch price (USD/kg): its own
        links to the ground on top when its backhaul is foreclosed."""
        orbital = self.orbital_usd_per_kw_year(price_kg)
        if lab.backhaul_foreclosed:
            orbital += self.compute.alternative_backhaul_usd_per_kw_year
        return orbital

    def orbital_kg_wanted(self, lab: AILab, price_kg: float, added_mw: float, q: int) -> float:
        """Launch mass (kg) the lab wants in quarter ``q``: the logit share of its addition
        ``added_mw`` it builds in orbit at launch price ``price_kg``."""
        if added_mw <= 0 or q < self.orbital_from_q:
            return 0.0
        orbital = self.lab_orbital_usd_per_kw_year(lab, price_kg)
        share = lab.orbital_share(
            orbital, self.terrestrial_usd_per_kw_year, self.compute.cost_dispersion
        )
        return share * added_mw * 1000.0 * self.kg_per_kw

    def booked_cost(self, lab: AILab, price_kg: float, added_mw: float, orbital_mw: float,
                    served: float, payment: float | None = None) -> BookedCost:  # fmt: skip
        """The quarter's addition at its expected cost (see :meth:`AILab.book_capacity`).

        ``price_kg`` is the lab's contract price (used only when ``served > 0``: the fraction of
        its orbital demand that flew); ``payment`` the launch payments made (default: all of
        ``orbital_mw`` at ``price_kg``). The expected full cost per kW-year ``E`` (logit
        inclusive value) contains the launch price through the orbital share ``s`` as ``s x
        slope x p`` (its derivative in ``p`` is exactly ``s x slope``); the cost of compute
        books the launch payment itself in its place and the rest of ``E`` at its present
        value over the design lifetime.
        """
        price = price_kg if served > 0 else 0.0
        orbital = self.lab_orbital_usd_per_kw_year(lab, price) if served > 0 else math.nan
        per_kw_year = lab.expected_cost_usd_per_kw_year(
            orbital, self.terrestrial_usd_per_kw_year, self.compute.cost_dispersion, served
        )
        launch_part = orbital_mw * 1000.0 * self.orbital_slope * price  # USD per year
        if payment is None:  # all of it at the chosen offer's price
            payment = orbital_mw * 1000.0 * self.kg_per_kw * price
        other = max(added_mw * 1000.0 * per_kw_year - launch_part, 0.0)  # USD per year
        return BookedCost(per_kw_year, other * self.lifetime_pv_factor + payment, other)
