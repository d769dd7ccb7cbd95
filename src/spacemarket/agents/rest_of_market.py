"""RestOfMarket: exogenous launch demand and the captive (closed) launch markets."""

from __future__ import annotations

import mesa

from spacemarket.market.scenario.spec import CaptiveSpec, ExternalDemandSpec

__all__ = ["RestOfMarket"]


class RestOfMarket(mesa.Agent):
    """Contestable external launch demand (missions) and captive launches (China, Russia, ...).

    ``missions_potential(q)`` is the logit market size for the quarter; ``captive_launches``
    are flown by closed markets and count towards global launches and mass only.
    """

    kind = "rest_of_market"

    def __init__(self, model: mesa.Model, demand: ExternalDemandSpec, captive: list[CaptiveSpec],
                 start_q: int) -> None:  # fmt: skip
        super().__init__(model)
        self.name = "rest-of-market"
        self.demand = demand
        self.captive = captive
        self.start_q = start_q
        self.spend_usd = 0.0
        self.missions_bought = 0.0

    def missions_potential(self, q: int) -> float:
        """Potential contestable missions in quarter ``q`` (per quarter)."""
        years = (q - self.start_q) / 4.0
        return (
            self.demand.market_missions_per_year / 4.0 * (1 + self.demand.growth_per_year) ** years
        )

    def captive_launches(self, q: int) -> dict[str, tuple[float, float]]:
        """Captive launches this quarter: name -> (launches, mass kg)."""
        year = q // 4
        out = {}
        for c in self.captive:
            plan = {int(k): v for k, v in c.launches_per_year.items()}
            if year in plan:
                per_year = plan[year]
            elif year < min(plan):
                per_year = plan[min(plan)]
            else:
                last = max(plan)
                per_year = plan[last] * (1 + c.growth_per_year) ** (year - last)
            n = per_year / 4.0
            out[c.name] = (n, n * c.mass_per_launch_kg)
        return out
