"""Launch sourcing for orbital compute: offers, self-supply, allocation and booking.

A mixin of :class:`~spacemarket.market.model.space_market.SpaceMarket` holding the stage-3 and
stage-5 logic of the period loop that concerns orbital data centers (the loop itself, and its order,
stay in ``model.py``):

* offers: each lab's launch offers (its contract supplier while the contract binds, its launch
  supplier, providers under its own controller at cost; the fallback when all refuse), cheapest
  first, each a Nash-bargained contract price per kg (:mod:`.launch_clearing`);
* self-supply: capacity an integrated provider holds back for its own group's orbital compute
  before the external spot market;
* allocation: spare capacity shared pro rata among all the orbital demand that reaches a vehicle,
  demand a vehicle cannot carry moving on to the lab's next offers (a fixed point), investment in
  cadence where demand goes unserved;
* booking: a lab's cost of compute (launch payments when paid, the rest at lifetime present
  value) and its expected cost per kW-year.
"""

from __future__ import annotations

import math

from spacemarket.agents import AILab, LaunchProvider
from spacemarket.market.model.launch_clearing import (
    cheapest_vehicle_per_kg,
    launch_contract_price_usd_per_kg,
)
from spacemarket.market.scenario.spec import quarter_index

__all__ = ["OrbitalComputeLaunches"]


class OrbitalComputeLaunches:
    """Orbital-compute launch sourcing for :class:`SpaceMarket` (a mixin; see the module doc)."""

    def _in_contract(self, lab: AILab, q: int) -> bool:
        spec = lab.spec
        return bool(spec.contract_supplier) and (
            not spec.contract_until or q <= quarter_index(spec.contract_until)
        )

    def _launch_offers(self, lab: AILab, q: int) -> list[tuple[str, str, float, float]]:
        """The launch offers open to the lab this quarter, cheapest first (ties: candidate order).

        Candidates, in order of preference on ties: its long-term contract supplier (binding:
        it cannot foreclose during the term; priced at the contract's weight), its launch
        supplier, and every launch provider under the lab's own controller (at cost). A
        supplier that forecloses the lab is dropped; if no candidate can fly, the fallback
        supplier (if it does not refuse too).
        """
        weight = self.scenario.compute.launch_bargaining_weight
        candidates: dict[str, tuple[float, bool]] = {}
        if self._in_contract(lab, q):
            candidates[lab.spec.contract_supplier] = (lab.spec.contract_bargaining_weight, True)
        candidates.setdefault(lab.launch_supplier, (weight, False))
        for p in self._providers_of.get(self.controllers[lab.name], []):
            candidates.setdefault(p.name, (weight, False))
        offers = [
            self._offer(lab, name, w, q)
            for name, (w, binding) in candidates.items()
            if binding or not self._refuses(name, lab, "launch")
        ]
        offers = [o for o in offers if o is not None]
        if not offers:
            fallback = lab.spec.fallback_launch_supplier
            if fallback and not self._refuses(fallback, lab, "launch"):
                offers = [o for o in [self._offer(lab, fallback, weight, q)] if o is not None]
        return sorted(offers, key=lambda o: o[2])  # stable: ties keep the candidate order

    def _offer(
        self, lab: AILab, provider_name: str, weight: float, q: int
    ) -> tuple[str, str, float, float] | None:
        """The provider's contract offer to the lab; the same for every lab with the same
        (provider, weight, integrated), so it is priced once per quarter (``_offer_cache``,
        reset by the contracts stage)."""
        integrated = self.controllers[provider_name] == self.controllers[lab.name]
        key = (provider_name, weight, integrated)
        if key not in self._offer_cache:
            vehicle = cheapest_vehicle_per_kg(self._provider(provider_name), q)
            offer = None
            if vehicle is not None:
                price, cost = launch_contract_price_usd_per_kg(vehicle, integrated, weight)
                offer = (provider_name, vehicle.name, price, cost)
            self._offer_cache[key] = offer
        return self._offer_cache[key]

    def _refuses(self, supplier: str, lab: AILab, service: str) -> bool:
        """Whether ``supplier`` (a launch provider) forecloses ``service`` to this lab."""
        provider = self._firms.get(supplier)
        if (
            not isinstance(provider, LaunchProvider)
            or self.controllers[provider.name] == self.controllers[lab.name]
        ):
            return False
        return provider.forecloses_launch if service == "launch" else provider.forecloses_backhaul

    def _self_supply(self, q: int, contracts) -> dict[tuple[str, str], float]:
        """Launches an integrated provider holds back for its own group's orbital compute.

        A provider under the same controller as a lab serves that lab before selling to the
        external market (self-supply: the integrated firm does not sell to outsiders capacity
        its own downstream arm values more, Riordan 2008); a lab's reservation is what it wants
        this quarter at its at-cost price, capped by the vehicle's capacity.
        """
        years = (q - self.start_q) / 4.0
        reserved: dict[tuple[str, str], float] = {}
        for lab in self.labs:
            if lab.name not in contracts:
                continue
            pname, vname, price, _ = contracts[lab.name]
            if self.controllers[pname] != self.controllers[lab.name]:
                continue
            v = self._provider(pname).vehicles[vname]
            kg = self._orbital_kg_wanted(lab, price, lab.next_addition_mw(years))
            key = (pname, vname)
            launches = reserved.get(key, 0.0) + kg / v.spec.payload_capacity_kg
            reserved[key] = min(launches, v.capacity_launches)
        return reserved

    def _use_offers_with_spare_capacity(self, contracts) -> None:
        """Move each lab to its cheapest offer whose vehicle has capacity left after the spot
        market (a sold-out cheaper vehicle cannot fly it); keep the cheapest if none has."""
        for lab in self.labs:
            offers = self._offers.get(lab.name, [])
            if len(offers) < 2 or self._spare_launches(offers[0]) > 1e-9:
                continue
            for offer in offers[1:]:
                if self._spare_launches(offer) > 1e-9:
                    contracts[lab.name] = offer
                    lab.active_launch_supplier, lab.launch_price_usd_per_kg = offer[0], offer[2]
                    break

    def _spare_launches(self, offer: tuple[str, str, float, float]) -> float:
        v = self._provider(offer[0]).vehicles[offer[1]]
        return v.capacity_launches - sum(v.launches.values())

    def _orbital_kg_wanted(self, lab: AILab, price_kg: float, added_mw: float) -> float:
        """Launch mass (kg) the lab wants this quarter: logit share of its addition in orbit."""
        if added_mw <= 0 or self.q < self._orbital_from_q:
            return 0.0
        orbital = self._lab_orbital_cost(lab, price_kg)
        share = lab.orbital_share(
            orbital, self.terrestrial_cost, self.scenario.compute.cost_dispersion
        )
        return share * added_mw * 1000.0 * self.odc_kg_per_kw

    def _book_additions(self, lab: AILab, contracts, added_mw: float, orbital_mw: float,
                        served: float, payment: float | None = None) -> None:  # fmt: skip
        """Book the quarter's addition at its expected cost (see :meth:`AILab.book_capacity`).

        The expected full cost per kW-year ``E`` (logit inclusive value) contains the launch
        price through the orbital share ``s`` as ``s x slope x p`` (its derivative in ``p``
        is exactly ``s x slope``); the cost of compute books the launch payment itself in
        its place and the rest of ``E`` at its present value over the design lifetime.
        """
        price = contracts[lab.name][2] if served > 0 else 0.0
        orbital = self._lab_orbital_cost(lab, price) if served > 0 else math.nan
        per_kw_year = lab.expected_cost_usd_per_kw_year(
            orbital, self.terrestrial_cost, self.scenario.compute.cost_dispersion, served
        )
        launch_part = orbital_mw * 1000.0 * self._orbital_slope * price  # USD per year
        if payment is None:  # all of it at the chosen offer's price
            payment = orbital_mw * 1000.0 * self.odc_kg_per_kw * price
        lifetime = (added_mw * 1000.0 * per_kw_year - launch_part) * self._lifetime_pv_factor
        lab.book_capacity(added_mw, per_kw_year, max(lifetime, 0.0) + payment)

    def _lab_orbital_cost(self, lab: AILab, price_kg: float) -> float:
        """The lab's full orbital cost, USD per kW-year, at a launch price (USD/kg)."""
        orbital = self.orbital_cost_usd_per_kw_year(price_kg)
        if lab.backhaul_foreclosed:
            orbital += self.scenario.compute.alternative_backhaul_usd_per_kw_year
        return orbital

    def _allocate_spare_capacity(self, contracts, wanted: dict[str, float], additions) -> dict:
        """Spare launch capacity after external sales, shared pro rata among orbital builders.

        Each lab asks its chosen offer first; what that vehicle cannot carry moves on to the
        lab's next offers in price order (a small in-house vehicle does not strand demand a
        supplier could fly), capped at what the lab wants in orbit at that offer's price. Every
        vehicle is shared pro rata among all the demand that reaches it, whichever offer of the
        lab it is (the shares are iterated to a fixed point, so no lab loses its claim on a
        vehicle by asking another one first). A vehicle short of that demand invests in cadence.
        Returns, per lab, ``[(offer, kg granted), ...]``.
        """
        queues = {}
        for lab, kg in wanted.items():
            if kg <= 0:
                continue
            offers = self._offers.get(lab, [])
            chosen = contracts[lab]
            queues[lab] = offers[offers.index(chosen) :] if chosen in offers else [chosen]
        spare: dict[tuple[str, str], float] = {}
        for offers in queues.values():
            for o in offers:
                v = self._provider(o[0]).vehicles[o[1]]
                left = max(0.0, v.capacity_launches - sum(v.launches.values()))
                spare[o[:2]] = left * v.spec.payload_capacity_kg
        cap = {
            (lab, i): wanted[lab] if i == 0
            else self._orbital_kg_wanted(self._lab(lab), o[2], additions[lab])
            for lab, offers in queues.items() for i, o in enumerate(offers)
        }  # fmt: skip
        scale = dict.fromkeys(spare, 1.0)

        def requests() -> tuple[dict, dict]:
            """Demand each lab sends to each offer, and the grants, at the current scales."""
            asked: dict[tuple[str, int], float] = {}
            granted: dict[tuple[str, int], float] = {}
            for lab, offers in queues.items():
                got = 0.0
                for i, o in enumerate(offers):
                    want = max(0.0, min(wanted[lab] - got, cap[(lab, i)] - got))
                    if want <= 1e-9 * wanted[lab]:
                        break
                    asked[(lab, i)] = want
                    granted[(lab, i)] = want * scale[o[:2]]
                    got += granted[(lab, i)]
            return asked, granted

        for _ in range(20):
            asked, _granted = requests()
            demand = dict.fromkeys(spare, 0.0)
            for (lab, i), kg in asked.items():
                demand[queues[lab][i][:2]] += kg
            new = {k: min(1.0, spare[k] / d) if d > 0 else 1.0 for k, d in demand.items()}
            done = all(abs(new[k] - scale[k]) <= 1e-12 for k in scale)
            scale = new
            if done:
                break
        asked, granted = requests()
        demand = dict.fromkeys(spare, 0.0)
        for (lab, i), kg in asked.items():
            demand[queues[lab][i][:2]] += kg
        for (pname, vname), d in demand.items():
            if d > spare[(pname, vname)]:  # demand at its price the vehicle could not serve
                v = self._provider(pname).vehicles[vname]
                self._provider(pname).invest(
                    vname, (d - spare[(pname, vname)]) / v.spec.payload_capacity_kg
                )
        out: dict[str, list] = {}
        for (lab, i), kg in granted.items():
            if kg > 0:
                out.setdefault(lab, []).append((queues[lab][i], kg))
        return out

    def _orbital_build(
        self, lab: AILab, pname: str, vname: str, price_kg: float, kg: float
    ) -> float:
        """Fly ``kg`` of orbital compute for ``lab``; return the MW deployed."""
        provider = self._provider(pname)
        v = provider.vehicles[vname]
        provider.fly(vname, "orbital_compute", kg / v.spec.payload_capacity_kg, kg)
        mw = kg / self.odc_kg_per_kw / 1000.0
        lab.orbital_mw += mw
        self.odc_payments.append((lab.name, pname, price_kg * kg))
        return mw
