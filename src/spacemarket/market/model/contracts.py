"""Stage 3, contracts: every lab's launch contracts for orbital compute, negotiated on the graph.

Each quarter every possible launch edge, from each launcher with an operational vehicle to each
lab, is bargained by Nash-in-Nash with threat of replacement and capacity shadow prices
(:func:`spacemarket.market.economics.launch_contracts.solve_launch_contracts`): the lab's
disagreement is its other launchers at their terms or ground compute, the launcher's the best
other use of the capacity (its spot market's shadow price last quarter); a lab and a launcher
under one controller trade at cost. A launcher that forecloses a lab makes that edge
unavailable ("refused") unless a long-term contract binds it. The result is a
:class:`ContractBook`: the terms of every edge, what each lab buys, the launches reserved ahead
of the spot market, and the solver's status.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from spacemarket.agents import AILab, LaunchProvider
from spacemarket.market.economics.launch_bargain import LaunchBuyers
from spacemarket.market.economics.launch_contracts import LaunchSellers, solve_launch_contracts
from spacemarket.market.model.compute_costs import ComputeCosts
from spacemarket.market.model.launch_clearing import cheapest_vehicle_per_kg
from spacemarket.market.model.long_term import LongTermContracts, in_contract
from spacemarket.market.model.structure import active_control
from spacemarket.market.scenario.spec import ControlSpec

__all__ = ["ContractBook", "ContractTerms", "LaunchContracts"]


@dataclass(frozen=True)
class ContractTerms:
    """One bargained launch edge in a quarter (a row of ``contracts.parquet``)."""

    seller: str
    buyer: str
    vehicle: str
    status: str  # "active", "dropped" or "refused"
    price_usd_per_kg: float  # paid (at cost inside a group); NaN unless active
    kg: float
    reserved_kg: float
    buyer_gain_usd: float
    seller_gain_usd: float
    bargaining_weight: float
    term: str = "quarter"  # or "long-term": reserved at a fixed price (:mod:`.long_term`)
    take_or_pay: bool = False

    def __deepcopy__(self, memo) -> ContractTerms:
        return self  # immutable scalars: a model's counterfactual copy shares it

    @property
    def payment_usd(self) -> float:
        """What the buyer pays this quarter: the kg flown, or the whole reservation under
        take-or-pay."""
        kg = self.reserved_kg if self.take_or_pay else self.kg
        return self.price_usd_per_kg * kg if self.status == "active" and kg > 0 else 0.0


@dataclass(frozen=True)
class ContractBook:
    """The quarter's contracts: every edge's terms, the capacity shadow prices (USD/kg, by
    provider), the shortfall of demand at cost over capacity (kg, by (provider, vehicle)) and
    the solver's iterations, residual (kg) and convergence."""

    terms: tuple[ContractTerms, ...]
    shadow_usd_per_kg: Mapping[str, float]
    shortfall_kg: Mapping[tuple[str, str], float]
    iterations: int = 0
    residual_kg: float = 0.0
    converged: bool = True

    @functools.cached_property
    def _by_buyer(self) -> dict[str, tuple[ContractTerms, ...]]:
        grouped: dict[str, list[ContractTerms]] = {}
        for t in self.terms:
            grouped.setdefault(t.buyer, []).append(t)
        return {buyer: tuple(ts) for buyer, ts in grouped.items()}

    def of(self, lab: str) -> tuple[ContractTerms, ...]:
        """Every edge of the lab's this quarter, whatever its status."""
        return self._by_buyer.get(lab, ())

    def bought(self, lab: str) -> tuple[ContractTerms, ...]:
        """The lab's active contracts with kg to fly this quarter."""
        return tuple(t for t in self.of(lab) if t.kg > 0)

    def reserved_kg(self) -> dict[tuple[str, str], float]:
        """Kg contracted per (provider, vehicle): held back from the spot market (the whole
        reservation of a long-term contract, used or not)."""
        out: dict[tuple[str, str], float] = {}
        for t in self.terms:
            kg = t.reserved_kg if t.term == "long-term" else t.kg
            if kg > 0:
                out[(t.seller, t.vehicle)] = out.get((t.seller, t.vehicle), 0.0) + kg
        return out


class LaunchContracts:
    """The contracts stage. Sets each lab's ``backhaul_foreclosed``, ``active_launch_supplier``
    (the launcher it buys most from, or None) and ``launch_price_usd_per_kg`` (the kg-weighted
    price it pays, NaN when it buys nothing).

    Parameters
    ----------
    providers : sequence of LaunchProvider
    costs : ComputeCosts
        The labs' orbit-versus-ground choice and the cost of orbital compute.
    bargaining_weight : float
        The launcher's Nash weight outside long-term contracts (scenario
        ``compute.launch_bargaining_weight``).
    control : sequence of ControlSpec
        The scenario's control records: stakes below control enter the bargaining objectives.
    """

    def __init__(self, providers: Sequence[LaunchProvider], costs: ComputeCosts,
                 bargaining_weight: float,
                 control: Sequence[ControlSpec] = ()) -> None:  # fmt: skip
        self._providers = list(providers)
        self._control = tuple(control)
        self._costs = costs
        self._weight = bargaining_weight
        self._last_shadow: dict[str, float] = {}  # warm start: last quarter's shadow prices
        self.long_term = LongTermContracts()

    def add_control(self, record: ControlSpec) -> None:
        """A control record decided during the run (its stake enters the bargaining objectives)."""
        self._control = (*self._control, record)

    @staticmethod
    def refuses(provider: LaunchProvider, lab: AILab, controllers: Mapping[str, str],
                service: str) -> bool:  # fmt: skip
        """Whether ``provider`` forecloses ``service`` ("launch" or "backhaul") to the lab; a
        firm never forecloses its own group."""
        if controllers[provider.name] == controllers[lab.name]:
            return False
        return provider.forecloses_launch if service == "launch" else provider.forecloses_backhaul

    def solve(self, labs: Sequence[AILab], controllers: Mapping[str, str], q: int,
              other_use_usd_per_kg: Mapping[tuple[str, str], float]) -> ContractBook:  # fmt: skip
        """Quarter ``q``'s contract book; ``other_use_usd_per_kg`` is each vehicle's value of a
        kg of capacity in the spot market (last quarter's shadow price)."""
        by_name = {p.name: p for p in self._providers}
        for lab in labs:
            supplier = by_name.get(lab.backhaul_supplier)
            lab.backhaul_foreclosed = supplier is not None and self.refuses(
                supplier, lab, controllers, "backhaul"
            )
        offered = [(p, cheapest_vehicle_per_kg(p, q)) for p in self._providers]
        offered = [(p, v) for p, v in offered if v is not None]
        costs = self._costs
        added = [lab.planned_addition_mw if q >= costs.orbital_from_q else 0.0 for lab in labs]
        buyers = LaunchBuyers(
            added_kw=np.maximum(np.array(added, float), 0.0) * 1000.0,
            interest=np.array([lab.spec.orbital_interest for lab in labs], float),
            orbital_fixed_usd_per_kw_year=np.array(
                [costs.lab_orbital_usd_per_kw_year(lab, 0.0) for lab in labs], float
            ),
            ground_usd_per_kw_year=costs.terrestrial_usd_per_kw_year,
            slope_per_usd_per_kg=costs.orbital_slope, dispersion=costs.compute.cost_dispersion,
            kg_per_kw=costs.kg_per_kw, pv_factor=costs.lifetime_pv_factor,
        )  # fmt: skip
        capacity = {
            (p.name, v.name): v.capacity_launches * v.spec.payload_capacity_kg
            for p in self._providers
            for v in p.vehicles.values()
            if v.operational(q)
        }
        payload = np.array([v.spec.payload_capacity_kg for _, v in offered], float)
        cost = np.array([v.unit_cost_usd() for _, v in offered], float) / payload
        other = np.array([other_use_usd_per_kg.get((p.name, v.name), 0.0) for p, v in offered],
                         float)  # fmt: skip
        n_i, n_j = len(labs), len(offered)
        available = np.ones((n_i, n_j), bool)
        integrated = np.zeros((n_i, n_j), bool)
        weight = np.full((n_i, n_j), self._weight)
        for i, lab in enumerate(labs):
            binding = lab.spec.contract_supplier if in_contract(lab, q) else None
            for j, (p, _) in enumerate(offered):
                integrated[i, j] = controllers[p.name] == controllers[lab.name]
                weight[i, j] = lab.spec.launch_bargaining_weights.get(p.name, self._weight)
                if p.name == binding:
                    weight[i, j] = lab.spec.contract_bargaining_weight
                else:
                    available[i, j] = not self.refuses(p, lab, controllers, "launch")
        guess = np.array([self._last_shadow.get(p.name, 0.0) for p, _ in offered], float)
        stakes = self._stakes(labs, offered, controllers, integrated, q)

        def bargain(market_price=None, guess=guess):
            """The quarter's bargain with the long-term reservations held (they take capacity
            and the builders they serve off the market)."""
            free = dict(capacity)
            held = self.long_term.hold(labs, q, buyers, free, market_price)
            residual = dataclasses.replace(buyers, added_kw=buyers.added_kw * held.residual_share)
            cap = np.array([max(free.get((p.name, v.name), 0.0), 0.0) for p, v in offered])
            sellers = LaunchSellers(cost_usd_per_kg=cost, capacity_kg=cap,
                                    other_use_usd_per_kg=other)  # fmt: skip
            out = solve_launch_contracts(residual, sellers, available, integrated, weight,
                                         shadow_guess=guess, stakes=stakes)  # fmt: skip
            return held, residual, sellers, out

        held, residual_buyers, sellers, out = bargain()
        if held.used_kg:  # measure the residual demand at the market's price, then re-solve
            live = np.where(np.isfinite(out.prices), out.prices, np.inf)
            best = {lab.name: float(live[i].min()) for i, lab in enumerate(labs)}
            commitments = self.long_term.commitments
            if any(best[name] < commitments[name].price_usd_per_kg for name in held.used_kg):
                # (a market at or above the contract's price leaves the residual as it was)
                held, residual_buyers, sellers, out = bargain(best, out.shadow_usd_per_kg)
        terms = [
            ContractTerms(
                seller=p.name, buyer=lab.name, vehicle=v.name, status=str(out.status[i, j]),
                price_usd_per_kg=float(out.prices[i, j]), kg=float(out.kg[i, j]),
                reserved_kg=float(out.kg[i, j]), buyer_gain_usd=float(out.buyer_gain_usd[i, j]),
                seller_gain_usd=float(out.seller_gain_usd[i, j]),
                bargaining_weight=float(weight[i, j]),
            )
            for i, lab in enumerate(labs) for j, (p, v) in enumerate(offered)
        ]  # fmt: skip
        terms += self._long_term_terms(labs, q, held, offered, out, weight)
        shortfall = {}
        base = sellers.base_opportunity()
        for j, (p, v) in enumerate(offered):
            if out.shadow_usd_per_kg[j] > 0:
                mine = np.nonzero(out.kg[:, j] > 0)[0]
                at_cost = residual_buyers.kg(mine, np.full(mine.size, base[j]))
                shortfall[(p.name, v.name)] = max(float(at_cost.sum()) - sellers.capacity_kg[j], 0)
        self._last_shadow = {p.name: float(out.shadow_usd_per_kg[j])
                             for j, (p, _) in enumerate(offered)}  # fmt: skip
        book = ContractBook(
            terms=tuple(terms),
            shadow_usd_per_kg=dict(self._last_shadow),
            shortfall_kg=shortfall,
            iterations=out.iterations,
            residual_kg=out.residual_kg,
            converged=out.converged,
        )
        for lab in labs:
            bought = book.bought(lab.name)
            if not bought:
                lab.active_launch_supplier, lab.launch_price_usd_per_kg = None, math.nan
                continue
            lab.active_launch_supplier = max(bought, key=lambda t: t.kg).seller
            kg = sum(t.kg for t in bought)
            lab.launch_price_usd_per_kg = sum(t.price_usd_per_kg * t.kg for t in bought) / kg
        return book

    def _stakes(self, labs, offered, controllers, integrated, q) -> tuple[np.ndarray, np.ndarray]:
        """Stakes below control, from the control records whose start has come (a later record
        for the same owner and firm replaces an earlier one): the lab's controller's share of
        the launcher's profit, and the launcher's controller's share of the lab's."""
        kd = np.zeros(integrated.shape)
        ku = np.zeros(integrated.shape)
        for (owner, firm), record in active_control(self._control, q).items():
            kappa = record.kappa
            holder = controllers.get(owner, owner)
            for i, lab in enumerate(labs):
                for j, (p, _) in enumerate(offered):
                    if integrated[i, j]:
                        continue
                    if firm == p.name and holder == controllers[lab.name]:
                        kd[i, j] += kappa
                    if firm == lab.name and holder == controllers[p.name]:
                        ku[i, j] += kappa
        return np.minimum(kd, 0.95), np.minimum(ku, 0.95)

    def _long_term_terms(self, labs, q, held, offered, out, weight) -> list[ContractTerms]:
        """The quarter's long-term terms (held reservations) and the contracts signed now."""
        index = {p.name: j for j, (p, _) in enumerate(offered)}
        for i, lab in enumerate(labs):
            j = index.get(lab.spec.contract_supplier)
            if j is not None and lab.name not in self.long_term.commitments:
                self.long_term.sign(lab, q, offered[j][0].name, offered[j][1].name,
                                    float(out.prices[i, j]), float(out.kg[i, j]))  # fmt: skip
        terms = []
        for lab in labs:
            if lab.name not in held.reserved_kg:
                continue
            c = self.long_term.commitments[lab.name]
            terms.append(ContractTerms(
                seller=c.seller, buyer=lab.name, vehicle=c.vehicle, status="active",
                price_usd_per_kg=c.price_usd_per_kg, kg=held.used_kg[lab.name],
                reserved_kg=held.reserved_kg[lab.name], buyer_gain_usd=math.nan,
                seller_gain_usd=math.nan, bargaining_weight=lab.spec.contract_bargaining_weight,
                term="long-term", take_or_pay=c.take_or_pay,
            ))  # fmt: skip
        return terms
