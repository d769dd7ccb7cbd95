"""Stage 5, launches, deployment and investment: what flies, what is built where, and who pays.

In order: the spot market's missions fly; labs grow their demand; a lab whose cheapest vehicle
is sold out moves to an offer that can still fly
(:meth:`.contracts.LaunchContracts.move_to_spare_capacity`); spare capacity is allocated among
the labs' orbital demand (:class:`.allocation.LaunchAllocation`), vehicles short of that demand
invest in cadence; each lab flies its grants, builds the rest of its addition on the ground
(through its cloud suppliers or its own sites) and books its cost of compute
(:class:`.compute_costs.ComputeCosts`); Starlink fills what is left of its vehicles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacemarket.agents import AILab, CloudProvider, LaunchProvider
from spacemarket.market.model.allocation import Allocation, Grant, LabDemand, LaunchAllocation
from spacemarket.market.model.compute_costs import ComputeCosts
from spacemarket.market.model.contracts import ContractBook, LaunchContracts
from spacemarket.market.model.launch_clearing import ExternalMarketOutcome

__all__ = ["Deployment", "LaunchAndDeploy", "LaunchPayment"]


@dataclass(frozen=True)
class LaunchPayment:
    """A lab's payment to a launch provider for orbital compute flown this quarter, USD."""

    lab: str
    provider: str
    amount_usd: float


@dataclass(frozen=True)
class Deployment:
    """What stage 5 did: the contracts as flown (after moves to spare capacity), the
    allocation of spare capacity and the launch payments for orbital compute."""

    book: ContractBook
    allocation: Allocation
    payments: tuple[LaunchPayment, ...]


class LaunchAndDeploy:
    """The launches, deployment and investment stage (see the module doc).

    Parameters
    ----------
    providers, clouds, labs : sequences of agents
        The model's launch providers, clouds and labs.
    contracts : LaunchContracts
        The contracts stage (for moves to spare capacity).
    allocation : LaunchAllocation
        The allocation of spare capacity.
    costs : ComputeCosts
        Costs per kW-year and the labs' build choice.
    starlink_vehicles : mapping of vehicle name -> kg per Starlink launch
    start_q : int
        The model's first quarter.
    """

    def __init__(self, providers: Sequence[LaunchProvider], clouds: Sequence[CloudProvider],
                 labs: Sequence[AILab], contracts: LaunchContracts, allocation: LaunchAllocation,
                 costs: ComputeCosts, starlink_vehicles: dict[str, float],
                 start_q: int) -> None:  # fmt: skip
        self._providers = list(providers)
        self._by_name = {p.name: p for p in providers}
        self._clouds = {c.name: c for c in clouds}
        self._labs = list(labs)
        self._contracts = contracts
        self._allocation = allocation
        self._costs = costs
        self._starlink = starlink_vehicles
        self._start_q = start_q

    def run(self, q: int, book: ContractBook, spot: ExternalMarketOutcome) -> Deployment:
        """Fly, build and book quarter ``q`` given its contracts and its spot market."""
        for (pname, vname), n in zip(spot.vehicles, spot.missions, strict=True):
            v = self._by_name[pname].vehicles[vname]
            self._by_name[pname].fly(
                vname, "external", float(n), float(n) * v.spec.external_payload_kg
            )
        payments: list[LaunchPayment] = []
        years = (q - self._start_q) / 4.0
        additions = {lab.name: lab.grow_demand(years) for lab in self._labs}
        book = self._contracts.move_to_spare_capacity(book, self._labs)
        wanted = {
            lab.name: self._costs.orbital_kg_wanted(
                lab, book.chosen[lab.name].price_usd_per_kg, additions[lab.name], q
            )
            for lab in self._labs if lab.name in book.chosen
        }  # fmt: skip
        allocation = self._allocate(q, book, wanted, additions)
        for lab in self._labs:
            grants = allocation.grants.get(lab.name, ())
            orbital_mw = sum(self._orbital_build(lab, g, payments) for g in grants)
            served = sum(g.kg for g in grants) / wanted[lab.name] if grants else 0.0
            payment = sum(g.offer.price_usd_per_kg * g.kg for g in grants)
            self._terrestrial_build(q, lab, additions[lab.name] - orbital_mw)
            price = book.chosen[lab.name].price_usd_per_kg if served > 0 else 0.0
            booked = self._costs.booked_cost(
                lab, price, additions[lab.name], orbital_mw, served, payment
            )
            lab.book_capacity(additions[lab.name], booked.usd_per_kw_year,
                              booked.cost_of_compute_usd)  # fmt: skip
        for p in self._providers:
            for vname, kg in self._starlink.items():
                if vname in p.vehicles and p.vehicles[vname].operational(q):
                    v = p.vehicles[vname]
                    spare = max(0.0, v.capacity_launches - sum(v.launches.values()))
                    p.fly(vname, "starlink", spare, spare * kg)
        return Deployment(book, allocation, tuple(payments))

    def _allocate(self, q: int, book: ContractBook, wanted: dict[str, float],
                  additions: dict[str, float]) -> Allocation:  # fmt: skip
        """Allocate spare capacity to the labs' orbital demand; vehicles short of it invest."""
        queues = {lab: book.queue(lab) for lab, kg in wanted.items() if kg > 0}
        spare: dict[tuple[str, str], float] = {}
        for offers in queues.values():
            for o in offers:
                v = self._by_name[o.provider].vehicles[o.vehicle]
                left = max(0.0, v.capacity_launches - sum(v.launches.values()))
                spare[o.key] = left * v.spec.payload_capacity_kg
        by_lab = {lab.name: lab for lab in self._labs}
        demands = [
            LabDemand(lab, wanted[lab], offers, tuple(
                wanted[lab] if i == 0
                else self._costs.orbital_kg_wanted(by_lab[lab], o.price_usd_per_kg,
                                                   additions[lab], q)
                for i, o in enumerate(offers)
            ))
            for lab, offers in queues.items()
        ]  # fmt: skip
        allocation = self._allocation.solve(demands, spare)
        for (pname, vname), short_kg in allocation.shortfall_kg.items():
            v = self._by_name[pname].vehicles[vname]
            self._by_name[pname].invest(vname, short_kg / v.spec.payload_capacity_kg)
        return allocation

    def _orbital_build(self, lab: AILab, grant: Grant, payments: list[LaunchPayment]) -> float:
        """Fly the grant's kg of orbital compute for ``lab``; return the MW deployed."""
        provider = self._by_name[grant.offer.provider]
        v = provider.vehicles[grant.offer.vehicle]
        kg = grant.kg
        provider.fly(v.name, "orbital_compute", kg / v.spec.payload_capacity_kg, kg)
        mw = kg / self._costs.kg_per_kw / 1000.0
        lab.orbital_mw += mw
        payments.append(LaunchPayment(lab.name, provider.name, grant.offer.price_usd_per_kg * kg))
        return mw

    def _terrestrial_build(self, q: int, lab: AILab, mw: float) -> None:
        if mw <= 0:
            return
        for supplier, share in lab.suppliers.items():
            holder = lab if supplier == "own" else self._clouds[supplier]
            holder.add_terrestrial(mw * share, q)
