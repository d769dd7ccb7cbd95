"""Long-term launch contracts: capacity reserved at a fixed price for a contract's term.

A lab with ``contract_supplier`` (a scenario field, or the ``long-term-contract`` strategy)
signs in the first quarter its contract binds, the supplier has an operational vehicle and the
lab wants orbital compute: the price is that quarter's negotiated price on the edge (bargained
at ``contract_bargaining_weight``), the reservation ``contract_reserved_kg_per_quarter`` or, if
0, what the lab buys at that price then. Every later quarter of the term the reserved kg are
held back from other contracts and from the spot market (so the contract changes what the
launcher can sell elsewhere; reserved kg the lab does not use fly Starlink or nothing), the lab
flies what it wants at the fixed price up to the reservation, and bargains for the rest of its
demand as usual. With ``contract_take_or_pay`` it pays for the whole reservation. Capacity is
held on the vehicle the contract was signed on, up to what that vehicle can fly in the quarter.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from spacemarket.agents import AILab
from spacemarket.market.economics.launch_bargain import LaunchBuyers
from spacemarket.market.scenario.spec import quarter_index

__all__ = ["Commitment", "LongTermContracts", "in_contract"]


def in_contract(lab: AILab, q: int) -> bool:
    """Whether the lab's long-term launch contract binds in quarter ``q``."""
    spec = lab.spec
    return bool(spec.contract_supplier) and (
        not spec.contract_until or q <= quarter_index(spec.contract_until)
    )


@dataclass(frozen=True)
class Commitment:
    """A signed long-term contract: seller, vehicle, fixed price (USD/kg), reserved kg per
    quarter, the quarter it was signed and whether the lab pays for unused reservations."""

    seller: str
    vehicle: str
    price_usd_per_kg: float
    reserved_kg: float
    signed_q: int
    take_or_pay: bool


@dataclass(frozen=True)
class Held:
    """What the quarter's commitments hold: kg reserved and used per lab, and the share of each
    lab's demand they leave to the quarter's bargaining."""

    used_kg: dict[str, float]
    reserved_kg: dict[str, float]
    residual_share: np.ndarray  # (labs,)


class LongTermContracts:
    """The labs' long-term commitments, signed and held quarter by quarter (see the module)."""

    def __init__(self) -> None:
        self.commitments: dict[str, Commitment] = {}

    def hold(self, labs: Sequence[AILab], q: int, buyers: LaunchBuyers,
             capacity_kg: dict[tuple[str, str], float],
             market_price: Mapping[str, float] | None = None) -> Held:  # fmt: skip
        """Hold this quarter's reservations: each binding commitment's kg (capped by what its
        vehicle can fly, and taken off ``capacity_kg``) and what the lab uses of them at the
        fixed price. ``market_price`` (USD/kg by lab, e.g. from a first solve of the quarter)
        is where the lab's residual demand is measured; default the contract's price."""
        market_price = market_price or {}
        used, reserved = {}, {}
        residual = np.ones(len(labs))
        for i, lab in enumerate(labs):
            c = self.commitments.get(lab.name)
            if c is None or not in_contract(lab, q):
                continue
            key = (c.seller, c.vehicle)
            held = min(c.reserved_kg, capacity_kg.get(key, 0.0))
            want = float(buyers.kg(np.array([i]), np.array([c.price_usd_per_kg]))[0])
            capacity_kg[key] = capacity_kg.get(key, 0.0) - held
            reserved[lab.name], used[lab.name] = held, min(want, held)
            # the builders the reservation serves are those who would fly even at its price;
            # the rest of the lab's demand is what it buys at the market's price (when below
            # the contract's), so the residual share is taken of its demand at that price
            market = min(c.price_usd_per_kg, market_price.get(lab.name, math.inf))
            at_market = float(buyers.kg(np.array([i]), np.array([market]))[0])
            residual[i] = 1.0 - used[lab.name] / at_market if at_market > 0 else 0.0
        return Held(used, reserved, residual)

    def sign(self, lab: AILab, q: int, seller: str, vehicle: str, price: float,
             bought_kg: float) -> Commitment | None:  # fmt: skip
        """Sign the lab's contract at this quarter's negotiated price, if not signed yet and it
        has something to reserve."""
        if lab.name in self.commitments or not in_contract(lab, q):
            return None
        reserve = lab.spec.contract_reserved_kg_per_quarter or bought_kg
        if not reserve > 0 or not np.isfinite(price):
            return None
        c = Commitment(seller, vehicle, price, reserve, q, lab.spec.contract_take_or_pay)
        self.commitments[lab.name] = c
        return c
