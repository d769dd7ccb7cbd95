"""Launch offers for orbital compute: which launchers will fly a lab's capacity, at what price.

Each quarter every lab gets its launch offers, cheapest first (ties keep the candidate order):
its long-term contract supplier while the contract binds (it cannot foreclose during the term;
priced at the contract's bargaining weight), its launch supplier, and every launch provider under
the lab's own controller (at cost). A supplier that forecloses the lab is dropped; if no candidate
can fly, the lab's fallback supplier (if it does not refuse too). Each offer is the provider's
cheapest vehicle per kg at the Nash-bargained contract price
(:func:`.launch_clearing.launch_contract_price_usd_per_kg`).

>>> LaunchOffer("SpaceX", "starship", 120.0, 80.0).key
('SpaceX', 'starship')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from spacemarket.agents import AILab, LaunchProvider
from spacemarket.market.model.launch_clearing import (
    cheapest_vehicle_per_kg,
    launch_contract_price_usd_per_kg,
)
from spacemarket.market.scenario.spec import quarter_index

__all__ = ["LaunchOffer", "LaunchOffers", "in_contract"]


@dataclass(frozen=True)
class LaunchOffer:
    """A provider's launch offer to a lab: its vehicle, the contract price and the marginal cost
    (USD per kg of payload capacity)."""

    provider: str
    vehicle: str
    price_usd_per_kg: float
    cost_usd_per_kg: float

    @property
    def key(self) -> tuple[str, str]:
        """``(provider, vehicle)``: the vehicle whose capacity the offer uses."""
        return (self.provider, self.vehicle)


def in_contract(lab: AILab, q: int) -> bool:
    """Whether the lab's long-term launch contract binds in quarter ``q``."""
    spec = lab.spec
    return bool(spec.contract_supplier) and (
        not spec.contract_until or q <= quarter_index(spec.contract_until)
    )


class LaunchOffers:
    """Prices every lab's launch offers for a quarter (stage 3, with :mod:`.contracts`).

    Parameters
    ----------
    providers : sequence of LaunchProvider
        The launch providers, in the scenario's order (the order of candidates on ties).
    bargaining_weight : float
        The supplier's Nash bargaining weight outside long-term contracts.
    """

    def __init__(self, providers: Sequence[LaunchProvider], bargaining_weight: float) -> None:
        self._providers = list(providers)
        self._by_name = {p.name: p for p in providers}
        self._weight = bargaining_weight

    def refuses(
        self, supplier: str, lab: AILab, controllers: Mapping[str, str], service: str
    ) -> bool:
        """Whether ``supplier`` (a launch provider) forecloses ``service`` (``"launch"`` or
        ``"backhaul"``) to this lab; a firm never forecloses its own group."""
        provider = self._by_name.get(supplier)
        if provider is None or controllers[provider.name] == controllers[lab.name]:
            return False
        return provider.forecloses_launch if service == "launch" else provider.forecloses_backhaul

    def price(
        self, labs: Iterable[AILab], controllers: Mapping[str, str], q: int
    ) -> dict[str, tuple[LaunchOffer, ...]]:
        """Every lab's offers this quarter, cheapest first (an empty tuple if it has none).

        An offer depends only on (provider, weight, integrated), so it is priced once per
        quarter and shared by the labs it is made to.
        """
        providers_of: dict[str, list[LaunchProvider]] = {}
        for p in self._providers:
            providers_of.setdefault(controllers[p.name], []).append(p)
        cache: dict[tuple[str, float, bool], LaunchOffer | None] = {}
        return {
            lab.name: self._lab_offers(lab, controllers, q, providers_of, cache) for lab in labs
        }

    def _lab_offers(self, lab, controllers, q, providers_of, cache) -> tuple[LaunchOffer, ...]:
        weight = self._weight
        candidates: dict[str, tuple[float, bool]] = {}
        if in_contract(lab, q):
            candidates[lab.spec.contract_supplier] = (lab.spec.contract_bargaining_weight, True)
        candidates.setdefault(lab.launch_supplier, (weight, False))
        for p in providers_of.get(controllers[lab.name], []):
            candidates.setdefault(p.name, (weight, False))
        offers = [
            self._offer(lab, name, w, q, controllers, cache)
            for name, (w, binding) in candidates.items()
            if binding or not self.refuses(name, lab, controllers, "launch")
        ]
        offers = [o for o in offers if o is not None]
        if not offers:
            fallback = lab.spec.fallback_launch_supplier
            if fallback and not self.refuses(fallback, lab, controllers, "launch"):
                offer = self._offer(lab, fallback, weight, q, controllers, cache)
                offers = [o for o in [offer] if o is not None]
        # stable sort: ties keep the candidate order
        return tuple(sorted(offers, key=lambda o: o.price_usd_per_kg))

    def _offer(self, lab, provider_name, weight, q, controllers, cache) -> LaunchOffer | None:
        integrated = controllers[provider_name] == controllers[lab.name]
        key = (provider_name, weight, integrated)
        if key not in cache:
            vehicle = cheapest_vehicle_per_kg(self._by_name[provider_name], q)
            offer = None
            if vehicle is not None:
                price, cost = launch_contract_price_usd_per_kg(vehicle, integrated, weight)
                offer = LaunchOffer(provider_name, vehicle.name, price, cost)
            cache[key] = offer
        return cache[key]
