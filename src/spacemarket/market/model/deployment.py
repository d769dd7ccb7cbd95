"""Stage 5, launches, deployment and investment: what flies, what is built where, and who pays.

In order: the spot market's missions fly; labs add the capacity the downstream market's
demand asks for (:mod:`.downstream`); each lab flies the kg its
contracts bought (:class:`.contracts.ContractBook`; demand is priced in the contracts stage, so
nothing is rationed here), builds the rest of its addition on the ground (through its cloud
suppliers or its own sites) and books its cost of compute (:class:`.compute_costs.ComputeCosts`);
launchers whose capacity bound invest in cadence for the demand at cost they could not carry;
Starlink fills what is left of its vehicles.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from spacemarket.agents import AILab, CloudProvider, LaunchProvider
from spacemarket.market.model.compute_costs import ComputeCosts
from spacemarket.market.model.contracts import ContractBook, ContractTerms
from spacemarket.market.model.launch_clearing import ExternalMarketOutcome

__all__ = ["Deployment", "LaunchAndDeploy", "LaunchPayment"]


@dataclass(frozen=True)
class LaunchPayment:
    """A lab's payment to a launch provider for orbital compute flown this quarter, USD."""

    lab: str
    provider: str
    amount_usd: float

    def __deepcopy__(self, memo) -> LaunchPayment:
        return self  # immutable scalars: a model's counterfactual copy shares it


@dataclass(frozen=True)
class Deployment:
    """What stage 5 did: the contracts as flown and the launch payments for orbital compute."""

    book: ContractBook
    payments: tuple[LaunchPayment, ...]


class LaunchAndDeploy:
    """The launches, deployment and investment stage (see the module doc).

    Parameters
    ----------
    providers, clouds, labs : sequences of agents
        The model's launch providers, clouds and labs.
    costs : ComputeCosts
        Costs per kW-year and the labs' cost booking.
    starlink_vehicles : mapping of vehicle name -> kg per Starlink launch
    """

    def __init__(self, providers: Sequence[LaunchProvider], clouds: Sequence[CloudProvider],
                 labs: Sequence[AILab], costs: ComputeCosts,
                 starlink_vehicles: dict[str, float]) -> None:  # fmt: skip
        self._providers = list(providers)
        self._by_name = {p.name: p for p in providers}
        self._clouds = {c.name: c for c in clouds}
        self._labs = list(labs)
        self._costs = costs
        self._starlink = starlink_vehicles

    def run(self, q: int, book: ContractBook, spot: ExternalMarketOutcome) -> Deployment:
        """Fly, build and book quarter ``q`` given its contracts and its spot market."""
        for (pname, vname), n in zip(spot.vehicles, spot.missions, strict=True):
            v = self._by_name[pname].vehicles[vname]
            self._by_name[pname].fly(
                vname, "external", float(n), float(n) * v.spec.external_payload_kg
            )
        payments: list[LaunchPayment] = []
        for lab in self._labs:
            added = lab.grow_demand()
            bought = book.bought(lab.name)
            orbital_mw = sum(self._orbital_build(lab, t, payments) for t in bought)
            edges = book.of(lab.name)
            payments += [LaunchPayment(lab.name, t.seller, t.payment_usd) for t in edges
                         if t.kg <= 0 and t.payment_usd > 0]  # fmt: skip
            paid = sum(t.payment_usd for t in edges)
            self._terrestrial_build(q, lab, added - orbital_mw)
            served = 1.0 if orbital_mw > 0 else 0.0
            price = lab.launch_price_usd_per_kg if served > 0 else 0.0
            booked = self._costs.booked_cost(lab, price, added, orbital_mw, served, paid)
            lab.book_capacity(added, booked.usd_per_kw_year, booked.cost_of_compute_usd,
                              booked.other_usd_per_year)  # fmt: skip
        for (pname, vname), short_kg in book.shortfall_kg.items():
            v = self._by_name[pname].vehicles[vname]
            self._by_name[pname].invest(vname, short_kg / v.spec.payload_capacity_kg)
        for (pname, vname), rent in zip(spot.vehicles, spot.shadow_prices_usd, strict=True):
            self._by_name[pname].invest_on_scarcity(vname, float(rent))
        for p in self._providers:
            for vname, kg in self._starlink.items():
                if vname in p.vehicles and p.vehicles[vname].operational(q):
                    v = p.vehicles[vname]
                    spare = max(0.0, v.capacity_launches - sum(v.launches.values()))
                    p.fly(vname, "starlink", spare, spare * kg)
        return Deployment(book, tuple(payments))

    def _orbital_build(self, lab: AILab, t: ContractTerms, payments: list[LaunchPayment]) -> float:
        """Fly the contract's kg of orbital compute for ``lab``; return the MW deployed."""
        provider = self._by_name[t.seller]
        v = provider.vehicles[t.vehicle]
        provider.fly(v.name, "orbital_compute", t.kg / v.spec.payload_capacity_kg, t.kg)
        mw = t.kg / self._costs.kg_per_kw / 1000.0
        lab.orbital_mw += mw
        payments.append(LaunchPayment(lab.name, provider.name, t.payment_usd))
        return mw

    def _terrestrial_build(self, q: int, lab: AILab, mw: float) -> None:
        if mw <= 0:
            return
        for supplier, share in lab.suppliers.items():
            holder = lab if supplier == "own" else self._clouds[supplier]
            holder.add_terrestrial(mw * share, q)
