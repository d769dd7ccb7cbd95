"""Allocation of spare launch capacity among orbital-compute builders (stage 5).

After the spot market, what a vehicle has left is shared pro rata among all the orbital demand that
reaches it. Each lab asks its chosen offer first; what that vehicle cannot carry moves on to the
lab's next offers in price order (a small in-house vehicle does not strand demand a supplier
could fly), capped at what the lab wants in orbit at that offer's price. Every vehicle is shared
pro rata among all the demand that reaches it, whichever offer of the lab it is: the shares are
iterated to a fixed point, so no lab loses its claim on a vehicle by asking another one first.
Demand a vehicle cannot serve is its :attr:`Allocation.shortfall_kg` (the model invests in
cadence there).

Two labs want 60 and 40 kg of one vehicle with 50 kg spare: each gets half of its request.

>>> from spacemarket.market.model.offers import LaunchOffer
>>> v = LaunchOffer("P", "rocket", 100.0, 60.0)
>>> out = LaunchAllocation().solve(
...     [LabDemand("A", 60.0, (v,), (60.0,)), LabDemand("B", 40.0, (v,), (40.0,))],
...     {v.key: 50.0})
>>> [g.kg for g in out.grants["A"]], [g.kg for g in out.grants["B"]], out.shortfall_kg
([30.0], [20.0], {('P', 'rocket'): 50.0})
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from spacemarket.market.model.offers import LaunchOffer

__all__ = ["Allocation", "Grant", "LabDemand", "LaunchAllocation"]

Key = tuple[str, str]  # (provider, vehicle)


@dataclass(frozen=True)
class LabDemand:
    """A lab's orbital launch demand this quarter.

    ``wanted_kg`` is what it wants at its chosen offer's price; ``offers`` its queue (chosen
    offer first, then the dearer ones); ``caps_kg[i]`` what it wants at ``offers[i]``'s price
    (``caps_kg[0] == wanted_kg``).
    """

    lab: str
    wanted_kg: float
    offers: tuple[LaunchOffer, ...]
    caps_kg: tuple[float, ...]


@dataclass(frozen=True)
class Grant:
    """Launch mass (kg) granted to a lab on one of its offers."""

    offer: LaunchOffer
    kg: float


@dataclass(frozen=True)
class Allocation:
    """Grants per lab (in queue order, positive only), and per vehicle the demand that reached
    it and its spare capacity (kg)."""

    grants: Mapping[str, tuple[Grant, ...]]
    demand_kg: Mapping[Key, float]
    spare_kg: Mapping[Key, float]

    @property
    def shortfall_kg(self) -> dict[Key, float]:
        """Demand each vehicle could not serve at its price, kg (vehicles short only)."""
        return {k: d - self.spare_kg[k] for k, d in self.demand_kg.items() if d > self.spare_kg[k]}


class LaunchAllocation:
    """Shares spare launch capacity pro rata, iterating the shares to a fixed point.

    ``max_rounds`` bounds the fixed-point iteration (shares within ``1e-12`` end it).
    """

    def __init__(self, max_rounds: int = 20) -> None:
        self.max_rounds = max_rounds

    def solve(self, demands: Sequence[LabDemand], spare_kg: Mapping[Key, float]) -> Allocation:
        """Grants for ``demands`` (labs with ``wanted_kg > 0``) over each vehicle's spare kg."""
        queues = {d.lab: d for d in demands}
        scale = dict.fromkeys(spare_kg, 1.0)

        def requests() -> tuple[dict, dict]:
            """Demand each lab sends to each offer, and the grants, at the current scales."""
            asked: dict[tuple[str, int], float] = {}
            granted: dict[tuple[str, int], float] = {}
            for lab, d in queues.items():
                got = 0.0
                for i, o in enumerate(d.offers):
                    want = max(0.0, min(d.wanted_kg - got, d.caps_kg[i] - got))
                    if want <= 1e-9 * d.wanted_kg:
                        break
                    asked[(lab, i)] = want
                    granted[(lab, i)] = want * scale[o.key]
                    got += granted[(lab, i)]
            return asked, granted

        def demand_at(asked: dict) -> dict[Key, float]:
            demand = dict.fromkeys(spare_kg, 0.0)
            for (lab, i), kg in asked.items():
                demand[queues[lab].offers[i].key] += kg
            return demand

        for _ in range(self.max_rounds):
            asked, _granted = requests()
            demand = demand_at(asked)
            new = {k: min(1.0, spare_kg[k] / d) if d > 0 else 1.0 for k, d in demand.items()}
            done = all(abs(new[k] - scale[k]) <= 1e-12 for k in scale)
            scale = new
            if done:
                break
        asked, granted = requests()
        out: dict[str, list[Grant]] = {}
        for (lab, i), kg in granted.items():
            if kg > 0:
                out.setdefault(lab, []).append(Grant(queues[lab].offers[i], kg))
        return Allocation(
            grants={lab: tuple(g) for lab, g in out.items()},
            demand_kg=demand_at(asked),
            spare_kg=dict(spare_kg),
        )
