"""Stage 5, downstream: the AI-services market labs sell into, and what it pays them.

Each lab sells a differentiated AI service; a unit is a kW-year of served compute (IT load in
service). Demand is logit with an outside good (:mod:`spacemarket.market.economics.demand_logit`),
prices are the multi-product Bertrand-Nash equilibrium with the quarter's control weights
(:func:`~spacemarket.market.economics.solve_prices`), and each lab's marginal cost is the full
cost per kW-year of the capacity it adds this quarter: the logit inclusive value of ground and
orbit at the launch terms the contracts stage gave it (:meth:`AILab.expected_cost_usd_per_kw_year`).
So a lab that pays more for launch, or is refused it, has a higher cost, charges more and loses
share to its rivals: raising a rival's cost can pay its competitors, and whether a foreclosure
pays is a result of the model, not an assumption.

Calibration (:func:`~spacemarket.market.economics.calibrate_logit_bertrand`, Berry 1994): at the
start, with every lab's cost at the ground cost, the equilibrium reproduces ``serving_fraction``
of each lab's compute in service as its served demand (inference; the rest of its compute
trains models, a cost that does not vary with what it serves) with an outside share and a
share-weighted Lerner index (the labs' reported gross margins) from the scenario's
``[downstream]`` table. The market then grows as the labs' reference
paths add up (``compute_gw`` at ``growth_per_year``, a rate that halves every
``growth_half_life_years``), and each lab's mean utility drifts with its own path relative to
the total, so at unchanged costs every lab keeps to its reference path; how the market splits
when costs differ is the equilibrium's.

A lab is paid for what it serves (price x quantity, a quarter's worth), builds next quarter the
capacity to serve this quarter's demand grown along its path, with training in proportion
(served / ``serving_fraction``: build-out follows served demand), and books
its cost of compute as before (:class:`~spacemarket.market.model.compute_costs.ComputeCosts`).
Simplification (A): demand is served in full while ground capacity waits for the grid (bridged
at the same cost). Clouds earn ``cloud_margin`` of the ground cost of the capacity they host.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from spacemarket.agents import AILab, CloudProvider
from spacemarket.market.economics import calibrate_logit_bertrand, solve_prices
from spacemarket.market.model.compute_costs import ComputeCosts
from spacemarket.market.model.contracts import ContractBook
from spacemarket.market.scenario.spec import DownstreamSpec

__all__ = ["AIServicesMarket", "DownstreamOutcome"]


@dataclass(frozen=True)
class DownstreamOutcome:
    """A quarter of the AI-services market (arrays over labs, in the model's lab order).

    ``prices_usd_per_kw_year`` and ``marginal_cost_usd_per_kw_year`` per kW-year of served
    compute (price 0 for a lab outside the market: one without compute at the start);
    ``served_kw`` the quantity; ``revenue_usd`` a quarter's revenue; ``consumer_surplus_usd`` a
    quarter's consumer surplus (logit inclusive value, Small and Rosen 1981); ``iterations``
    and ``residual_usd`` the price solver's report.
    """

    labs: tuple[str, ...]
    prices_usd_per_kw_year: np.ndarray
    marginal_cost_usd_per_kw_year: np.ndarray
    served_kw: np.ndarray
    revenue_usd: np.ndarray
    consumer_surplus_usd: float
    iterations: int
    residual_usd: float

    def revenue_share(self) -> np.ndarray:
        """Each lab's share of the quarter's AI-services revenue (zeros if there is none)."""
        total = float(self.revenue_usd.sum())
        return self.revenue_usd / total if total > 0 else np.zeros_like(self.revenue_usd)


class AIServicesMarket:
    """The downstream stage (see the module doc).

    Parameters
    ----------
    spec : DownstreamSpec
        The scenario's ``[downstream]`` table.
    labs : sequence of AILab
        The model's labs; their specs give the reference paths and the calibration shares.
    clouds : sequence of CloudProvider
    costs : ComputeCosts
    start_q : int
    """

    def __init__(self, spec: DownstreamSpec, labs: Sequence[AILab],
                 clouds: Sequence[CloudProvider], costs: ComputeCosts,
                 start_q: int) -> None:  # fmt: skip
        self.spec = spec
        self._labs = list(labs)
        self._clouds = list(clouds)
        self._costs = costs
        self._start_q = start_q
        f = spec.serving_fraction
        k0 = np.array([lab.spec.compute_gw * 1e6 * f for lab in labs], float)  # served kW
        #: labs in the market: those with compute at the start (a lab without any has no
        #: usage to calibrate to and serves nothing)
        self._in = k0 > 0
        self._k0 = np.where(self._in, k0, 1.0)
        self._ref = self._k0.copy()  # each lab's reference path of served demand, kW
        inside = 1.0 - spec.outside_share
        shares = self._k0[self._in] / self._k0[self._in].sum() * inside if self._in.any() else []
        ground = np.full(int(self._in.sum()), costs.terrestrial_usd_per_kw_year)
        self.calibration = (
            calibrate_logit_bertrand(shares, ground, spec.lerner_index) if self._in.any() else None
        )
        self.market_size0_kw = float(self._k0[self._in].sum()) / inside
        self._last_prices = self.calibration.prices.copy() if self.calibration else None
        self._expected_usd_per_kg: dict[str, float] = {}  # each lab's expected launch price
        for lab, k, active in zip(labs, self._k0, self._in, strict=True):
            lab.target_mw = k / f / 1000.0 * self._growth(lab, 0.0) if active else 0.0

    # ------------------------------------------------------------------ the reference paths
    def _growth(self, lab: AILab, years: float) -> float:
        """One quarter's growth factor of the lab's reference path at ``years`` elapsed."""
        rate = lab.spec.growth_per_year * 0.5 ** (years / lab.spec.growth_half_life_years)
        return (1.0 + rate) ** 0.25

    def market_size_kw(self) -> float:
        """This quarter's potential market, kW of served compute."""
        ref, k0 = self._ref[self._in], self._k0[self._in]
        return self.market_size0_kw * float(ref.sum() / k0.sum())

    def mean_utilities(self) -> np.ndarray:
        """This quarter's ``delta_j`` of the labs in the market: the calibration's, drifting with
        each lab's reference path relative to the market's (utils)."""
        ref, k0 = self._ref[self._in], self._k0[self._in]
        drift = np.log(ref / k0) - math.log(float(ref.sum() / k0.sum()))
        return self.calibration.mean_utilities + drift

    # ------------------------------------------------------------------ the quarter
    def marginal_costs(self, q: int, book: ContractBook, controllers: Mapping[str, str],
                       other_use: Mapping[tuple[str, str], float]) -> np.ndarray:  # fmt: skip
        """Each lab's full cost per kW-year of capacity added now, at the launch price it
        expects (ground cost when it has no offer): the expectation is adaptive (Nerlove 1958),
        ``E <- w p + (1 - w) E`` with ``p`` the cheapest active contract price it was offered
        this quarter and ``w`` the scenario's ``price_expectation_weight``. Inside a group the
        price paid is the launcher's cost, but launching for its own lab costs the group what
        the capacity would earn elsewhere: the lab prices on that opportunity cost (cost plus
        the contracts' shadow price plus ``other_use``, the spot value the contracts used), as
        the contracts stage allocates it. A lab that adds no
        capacity this quarter asks for no launch and keeps its expectation. (With ``w = 1``,
        naive expectations, build-out that follows served demand turns a launch price that
        moves a lab's share into a two-quarter cobweb: Ezekiel 1938.)"""
        c = self._costs
        ground = c.terrestrial_usd_per_kw_year
        best: dict[str, float] = {}
        for t in book.terms:
            if t.status == "active" and math.isfinite(t.price_usd_per_kg):
                price = t.price_usd_per_kg
                if controllers.get(t.seller, t.seller) == controllers.get(t.buyer, t.buyer):
                    price += book.shadow_usd_per_kg.get(t.seller, 0.0)
                    price += other_use.get((t.seller, t.vehicle), 0.0)
                best[t.buyer] = min(best.get(t.buyer, math.inf), price)
        w = self.spec.price_expectation_weight
        out = np.empty(len(self._labs))
        for i, lab in enumerate(self._labs):
            price = best.get(lab.name, math.nan)
            last = self._expected_usd_per_kg.get(lab.name, math.nan)
            idle = lab.planned_addition_mw <= 0 and math.isfinite(last)
            if q < c.orbital_from_q or not (math.isfinite(price) or idle):
                out[i] = ground  # no orbital option: refused, or no offer worth taking
                continue
            if math.isfinite(price):
                last = price if math.isnan(last) else last
                self._expected_usd_per_kg[lab.name] = w * price + (1.0 - w) * last
            # a lab that adds nothing this quarter asks for no launch: it keeps its expectation
            expected = self._expected_usd_per_kg[lab.name]
            orbital = c.lab_orbital_usd_per_kw_year(lab, expected)
            out[i] = lab.expected_cost_usd_per_kw_year(orbital, ground, c.compute.cost_dispersion)
        return out

    def solve(self, q: int, book: ContractBook, controllers: Mapping[str, str],
              other_use: Mapping[tuple[str, str], float] | None = None,
              ) -> DownstreamOutcome:  # fmt: skip
        """Quarter ``q``'s prices, quantities and revenue; pays the labs and the clouds and sets
        each lab's ``target_mw`` for next quarter. ``other_use``: each vehicle's spot value of a
        kg, USD, as the quarter's contracts used it (:meth:`marginal_costs`)."""
        years = (q - self._start_q) / 4.0
        for i, lab in enumerate(self._labs):  # the market grows first: this quarter's size
            self._ref[i] *= self._growth(lab, years)
        cost = self.marginal_costs(q, book, controllers, other_use or {})
        f = self.spec.serving_fraction
        n = len(self._labs)
        prices, served = np.zeros(n), np.zeros(n)
        surplus, iterations, residual = 0.0, 0, 0.0
        if self.calibration is not None:
            inside = np.flatnonzero(self._in)
            owners = [controllers.get(self._labs[i].name, self._labs[i].name) for i in inside]
            kappa = np.array([[float(a == b) for b in owners] for a in owners])
            eq = solve_prices(self.mean_utilities(), self.calibration.alpha, cost[inside],
                              kappa=kappa, market_size=self.market_size_kw(),
                              initial_prices=self._last_prices)  # fmt: skip
            self._last_prices = np.array(eq.prices)
            prices[inside], served[inside] = eq.prices, eq.quantities
            surplus, iterations, residual = eq.consumer_surplus, eq.iterations, eq.residual
        revenue = prices * served / 4.0
        for i, lab in enumerate(self._labs):
            lab.revenue_usd += float(revenue[i])
            lab.served_mw = float(served[i]) / 1000.0
            lab.target_mw = lab.served_mw / f * self._growth(lab, years + 0.25)
        margin = self.spec.cloud_margin * self._costs.terrestrial_usd_per_kw_year / 4.0
        for cloud in self._clouds:
            cloud.revenue_usd += margin * cloud.terrestrial_mw * 1000.0
        return DownstreamOutcome(
            labs=tuple(lab.name for lab in self._labs),
            prices_usd_per_kw_year=prices,
            marginal_cost_usd_per_kw_year=cost,
            served_kw=served,
            revenue_usd=revenue,
            consumer_surplus_usd=float(surplus) / 4.0,
            iterations=int(iterations),
            residual_usd=float(residual),
        )
