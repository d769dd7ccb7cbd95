"""Stage 3, contracts: each lab's launch contract for orbital compute, as a :class:`ContractBook`.

The contracts stage prices every lab's offers (:class:`.offers.LaunchOffers`), records whether
its backhaul supplier forecloses it, and books its cheapest offer as its contract. After the spot
market has sold capacity, :meth:`LaunchContracts.move_to_spare_capacity` moves a lab whose
cheapest vehicle is sold out to its cheapest offer that can still fly.

>>> from spacemarket.market.model.offers import LaunchOffer
>>> a, b = LaunchOffer("P", "small", 90.0, 60.0), LaunchOffer("Q", "big", 120.0, 70.0)
>>> book = ContractBook(offers={"Lab": (a, b)}, chosen={"Lab": a})
>>> book.queue("Lab") == (a, b), book.with_choice("Lab", b).queue("Lab") == (b,)
(True, True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacemarket.agents import AILab, LaunchProvider
from spacemarket.market.model.offers import LaunchOffer, LaunchOffers

__all__ = ["ContractBook", "LaunchContracts"]


@dataclass(frozen=True)
class ContractBook:
    """The quarter's launch contracts for orbital compute.

    ``offers``: every lab's offers, cheapest first (empty when it has none); ``chosen``: the
    offer each lab that has one contracts on (labs without an offer are absent).
    """

    offers: Mapping[str, tuple[LaunchOffer, ...]]
    chosen: Mapping[str, LaunchOffer]

    def queue(self, lab: str) -> tuple[LaunchOffer, ...]:
        """The lab's chosen offer, then its dearer offers in price order: where demand the
        chosen vehicle cannot carry goes next."""
        offers, chosen = self.offers.get(lab, ()), self.chosen[lab]
        return offers[offers.index(chosen) :] if chosen in offers else (chosen,)

    def with_choice(self, lab: str, offer: LaunchOffer) -> ContractBook:
        """The same book with ``lab`` contracting on ``offer``."""
        return ContractBook(self.offers, {**self.chosen, lab: offer})


class LaunchContracts:
    """The contracts stage: offers, backhaul foreclosure and each lab's chosen contract.

    Sets the labs' ``backhaul_foreclosed``, ``active_launch_supplier`` and
    ``launch_price_usd_per_kg`` (NaN without an offer).
    """

    def __init__(self, providers: Sequence[LaunchProvider], offers: LaunchOffers) -> None:
        self._by_name = {p.name: p for p in providers}
        self.offers = offers

    def solve(self, labs: Sequence[AILab], controllers: Mapping[str, str], q: int) -> ContractBook:
        """The quarter's contract book (each lab on its cheapest offer)."""
        for lab in labs:
            lab.backhaul_foreclosed = self.offers.refuses(
                lab.backhaul_supplier, lab, controllers, "backhaul"
            )
        offers = self.offers.price(labs, controllers, q)
        chosen: dict[str, LaunchOffer] = {}
        for lab in labs:
            if not offers[lab.name]:
                lab.active_launch_supplier = None
                lab.launch_price_usd_per_kg = math.nan
                continue
            offer = offers[lab.name][0]
            lab.active_launch_supplier = offer.provider
            lab.launch_price_usd_per_kg = offer.price_usd_per_kg
            chosen[lab.name] = offer
        return ContractBook(offers, chosen)

    def spare_launches(self, offer: LaunchOffer) -> float:
        """Launches the offer's vehicle has left this quarter (after what has flown so far)."""
        v = self._by_name[offer.provider].vehicles[offer.vehicle]
        return v.capacity_launches - sum(v.launches.values())

    def move_to_spare_capacity(self, book: ContractBook, labs: Sequence[AILab]) -> ContractBook:
        """Move each lab to its cheapest offer whose vehicle has capacity left after the spot
        market (a sold-out cheaper vehicle cannot fly it); keep the cheapest if none has."""
        for lab in labs:
            offers = book.offers.get(lab.name, ())
            if len(offers) < 2 or self.spare_launches(offers[0]) > 1e-9:
                continue
            for offer in offers[1:]:
                if self.spare_launches(offer) > 1e-9:
                    book = book.with_choice(lab.name, offer)
                    lab.active_launch_supplier = offer.provider
                    lab.launch_price_usd_per_kg = offer.price_usd_per_kg
                    break
        return book
