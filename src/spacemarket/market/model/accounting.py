"""Stage 6, accounting: every payment booked once on each side.

External customers pay the spot price for the missions they bought; labs pay their launch
providers for orbital compute; a provider's cost is its vehicles' marginal cost of every launch
but Starlink's (internal transfers at cost: no profit, no payment); cash moves by the quarter's
profit (providers), revenue less the cost of compute (labs) and margin (clouds).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from spacemarket.agents import AILab, CloudProvider, LaunchProvider, RestOfMarket
from spacemarket.market.model.deployment import LaunchPayment
from spacemarket.market.model.launch_clearing import ExternalMarketOutcome

__all__ = ["Accounting"]


class Accounting:
    """Books the quarter's spot sales and launch payments on the agents."""

    def __init__(self, providers: Sequence[LaunchProvider], labs: Sequence[AILab],
                 rest: RestOfMarket, clouds: Sequence[CloudProvider] = ()) -> None:  # fmt: skip
        self._providers = list(providers)
        self._clouds = list(clouds)
        self._by_name = {p.name: p for p in providers}
        self._labs = list(labs)
        self._lab_by_name = {lab.name: lab for lab in labs}
        self._rest = rest

    def book(self, spot: ExternalMarketOutcome, payments: Iterable[LaunchPayment]) -> None:
        """Book the spot market's sales and the labs' ``payments``; update cash."""
        for (pname, _vehicle), price, n in zip(
            spot.vehicles, spot.prices_usd, spot.missions, strict=True
        ):
            amount = float(price) * float(n)
            self._by_name[pname].revenue_usd += amount
            self._rest.spend_usd += amount
            self._rest.missions_bought += float(n)
        for pay in payments:
            self._by_name[pay.provider].revenue_usd += pay.amount_usd
            self._lab_by_name[pay.lab].cost_usd += pay.amount_usd
        for p in self._providers:
            p.cost_usd = sum(
                v.unit_cost_usd() * sum(n for use, n in v.launches.items() if use != "starlink")
                for v in p.vehicles.values()
            )  # Starlink launches are internal transfers at cost: no profit, no payment
            p.cash_usd += p.revenue_usd - p.cost_usd
        for lab in self._labs:  # revenue from the downstream market, the cost of compute booked
            lab.cash_usd += lab.revenue_usd - lab.compute_cost_flow_usd
        for cloud in self._clouds:  # the margin on the capacity it hosts
            cloud.cash_usd += cloud.revenue_usd - cloud.cost_usd
