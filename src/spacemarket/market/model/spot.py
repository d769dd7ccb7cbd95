"""Stage 4, spot: the launch capacity integrated providers hold back for their own group, then
the external launch market clearing on the rest
(:func:`.launch_clearing.clear_external_launch_market`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from spacemarket.agents import AILab, LaunchProvider, RestOfMarket
from spacemarket.market.model.compute_costs import ComputeCosts
from spacemarket.market.model.contracts import ContractBook
from spacemarket.market.model.launch_clearing import (
    ExternalMarketOutcome,
    clear_external_launch_market,
)

__all__ = ["SelfSupply", "SpotMarket"]


class SelfSupply:
    """Launches an integrated provider holds back for its own group's orbital compute.

    A provider under the same controller as a lab serves that lab before selling to the
    external market (self-supply: the integrated firm does not sell to outsiders capacity its
    own downstream arm values more, Riordan 2008); a lab's reservation is what it wants this
    quarter at its at-cost price, capped by the vehicle's capacity.
    """

    def __init__(self, providers: Sequence[LaunchProvider], costs: ComputeCosts,
                 start_q: int) -> None:  # fmt: skip
        self._by_name = {p.name: p for p in providers}
        self._costs = costs
        self._start_q = start_q

    def reserve(self, labs: Sequence[AILab], book: ContractBook, controllers: Mapping[str, str],
                q: int) -> dict[tuple[str, str], float]:  # fmt: skip
        """Launches held back per (provider, vehicle) in quarter ``q``."""
        years = (q - self._start_q) / 4.0
        reserved: dict[tuple[str, str], float] = {}
        for lab in labs:
            if lab.name not in book.chosen:
                continue
            offer = book.chosen[lab.name]
            if controllers[offer.provider] != controllers[lab.name]:
                continue
            v = self._by_name[offer.provider].vehicles[offer.vehicle]
            kg = self._costs.orbital_kg_wanted(
                lab, offer.price_usd_per_kg, lab.next_addition_mw(years), q
            )
            key = offer.key
            launches = reserved.get(key, 0.0) + kg / v.spec.payload_capacity_kg
            reserved[key] = min(launches, v.capacity_launches)
        return reserved


class SpotMarket:
    """The external launch market: contestable missions at logit demand, Bertrand-Nash prices
    with capacities; sets each vehicle's ``price_usd`` to the quarter's spot price."""

    def __init__(self, providers: Sequence[LaunchProvider], rest: RestOfMarket,
                 price_sensitivity_per_usd_per_kg: float) -> None:  # fmt: skip
        self._providers = list(providers)
        self._by_name = {p.name: p for p in providers}
        self._rest = rest
        self._alpha = price_sensitivity_per_usd_per_kg

    def clear(self, q: int, controllers: Mapping[str, str],
              reserved: Mapping[tuple[str, str], float]) -> ExternalMarketOutcome:  # fmt: skip
        """Clear quarter ``q``'s external market on the capacity not ``reserved``."""
        outcome = clear_external_launch_market(
            self._providers, q, self._rest.missions_potential(q), self._alpha,
            dict(controllers), dict(reserved),
        )  # fmt: skip
        for (pname, vname), price in zip(outcome.vehicles, outcome.prices_usd, strict=True):
            self._by_name[pname].vehicles[vname].price_usd = float(price)
        return outcome
