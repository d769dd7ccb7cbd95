"""Stage 4, spot: the external launch market clearing on the capacity the contracts stage has
not reserved (:func:`.launch_clearing.clear_external_launch_market`); its shadow prices of
capacity are the launchers' value of a kg in its best other use in next quarter's contracts.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence

import numpy as np

from spacemarket.agents import LaunchProvider, RestOfMarket
from spacemarket.market.model.launch_clearing import (
    ExternalMarketOutcome,
    clear_external_launch_market,
)

__all__ = ["SpotMarket"]


class SpotMarket:
    """The external launch market: contestable missions at logit demand, Bertrand-Nash prices
    with capacities; sets each vehicle's ``price_usd`` to the quarter's spot price."""

    def __init__(self, providers: Sequence[LaunchProvider], rest: RestOfMarket,
                 price_sensitivity_per_usd_per_kg: float) -> None:  # fmt: skip
        self._providers = list(providers)
        self._by_name = {p.name: p for p in providers}
        self._rest = rest
        self._alpha = price_sensitivity_per_usd_per_kg
        #: (provider, vehicle) -> last clearing's shadow price of capacity, USD per kg
        self.shadow_usd_per_kg: dict[tuple[str, str], float] = {}

    def clear(self, q: int, controllers: Mapping[str, str],
              reserved_kg: Mapping[tuple[str, str], float]) -> ExternalMarketOutcome:  # fmt: skip
        """Clear quarter ``q``'s external market on the capacity not reserved (kg per
        (provider, vehicle), held for launch contracts)."""
        launches = {
            (pname, vname): kg / self._by_name[pname].vehicles[vname].spec.payload_capacity_kg
            for (pname, vname), kg in reserved_kg.items()
        }
        outcome = clear_external_launch_market(
            self._providers, q, self._rest.missions_potential(q), self._alpha,
            dict(controllers), launches,
        )  # fmt: skip
        self.shadow_usd_per_kg = {}
        rents = np.zeros(len(outcome.vehicles))
        for k, ((pname, vname), price, shadow) in enumerate(
            zip(outcome.vehicles, outcome.prices_usd, outcome.shadow_prices_usd, strict=True)
        ):
            v = self._by_name[pname].vehicles[vname]
            v.price_usd = float(price)
            # with less than a launch left to the spot market the logit's shadow price is that
            # of a sliver of capacity (it grows without bound as the sliver shrinks), not the
            # value of a launch moved from contracts or added by investment: taken as 0 (the
            # contracts valued that capacity more), for the contracts and the investment alike
            free = v.capacity_launches - launches.get((pname, vname), 0.0)
            rents[k] = float(shadow) if free >= 1.0 else 0.0
            self.shadow_usd_per_kg[(pname, vname)] = rents[k] / v.spec.payload_capacity_kg
        return dataclasses.replace(outcome, shadow_prices_usd=rents)
