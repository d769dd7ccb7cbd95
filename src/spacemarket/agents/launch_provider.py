"""LaunchProvider: a launch company with its vehicles, cadence, learned costs and cash.

Agents hold state and make the decisions that are theirs alone (capacity from plans and
groundings, learning-by-doing, entry when a vehicle's first flight comes); prices are set by
the model's equilibrium stage, not here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import mesa

from spacemarket.market.physics import wright_cost
from spacemarket.market.scenario.spec import ProviderSpec, VehicleSpec, quarter_index

__all__ = ["LaunchProvider", "VehicleState", "binomial_quantile"]


@dataclass
class VehicleState:
    """Mutable state of one vehicle: entry date, cadence capacity, cumulative flights, costs."""

    spec: VehicleSpec
    entry_quarter: int
    retire_quarter: int | None
    cumulative_launches: float
    grounded_fraction: float = 0.0  # share of the next quarter lost to a stand-down
    capacity_launches: float = 0.0  # this quarter
    launches: dict[str, float] = field(default_factory=dict)  # this quarter, by use
    price_usd: float = 0.0  # external price per launch this quarter
    extra_launches_per_year: float = 0.0  # cadence added by investment beyond the plan
    #: (spec, cumulative launches, unit cost) of the last :meth:`unit_cost_usd` call: the cost
    #: moves only when flights accumulate (or the spec is replaced), and every stage asks
    _cost_at: tuple | None = field(default=None, init=False, repr=False, compare=False)

    @property
    def name(self) -> str:
        return self.spec.name

    def operational(self, q: int) -> bool:
        """Whether the vehicle flies in quarter ``q``."""
        retired = self.retire_quarter is not None and q > self.retire_quarter
        return q >= self.entry_quarter and not retired

    def planned_per_year(self, year: int) -> float:
        """Planned cadence (launches/yr) for ``year``: the plan, then growth after its last year."""
        plan = {int(k): v for k, v in self.spec.planned_launches_per_year.items()}
        if year in plan:
            value = plan[year]
        elif year < min(plan):
            value = plan[min(plan)]
        else:
            last = max(plan)
            value = plan[last] * (1.0 + self.spec.cadence_growth_per_year) ** (year - last)
        return min(value, self.spec.max_launches_per_year)

    def unit_cost_usd(self) -> float:
        """Marginal cost per launch, USD: Wright's law on cumulative launches, floored."""
        s = self.spec
        if s.cost_learning_rate == 0.0:
            return s.launch_cost_usd
        at = self._cost_at
        if at is not None and at[0] is s and at[1] == self.cumulative_launches:
            return at[2]
        c = float(
            wright_cost(s.launch_cost_usd, s.cumulative_launches, self.cumulative_launches,
                        s.cost_learning_rate)
        )  # fmt: skip
        self._cost_at = (s, self.cumulative_launches, max(c, s.cost_floor_usd))
        return self._cost_at[2]


class LaunchProvider(mesa.Agent):
    """A launch company (SpaceX, Stoke, Blue Origin, Rocket Lab, ULA, Arianespace, ...).

    Attributes: ``vehicles`` (name -> :class:`VehicleState`), ``controller`` (ultimate owner,
    may change through control edges), ``cash_usd``, and this quarter's ``revenue_usd``,
    ``cost_usd``, ``mass_launched_kg``.
    """

    def __init__(
        self, model: mesa.Model, spec: ProviderSpec, vehicles: list[VehicleSpec], start_q: int
    ) -> None:
        super().__init__(model)
        self.name = spec.name
        self.kind = "launch"
        self.controller = spec.controller
        self.cash_usd = spec.cash_usd
        self.forecloses_launch = spec.forecloses_launch
        self.forecloses_backhaul = spec.forecloses_backhaul
        self.cumulative_mass_kg = 0.0
        self.vehicles: dict[str, VehicleState] = {}
        for v in vehicles:
            entry = start_q
            if v.first_flight:
                entry = max(start_q, quarter_index(v.first_flight))
                if (
                    quarter_index(v.first_flight) >= start_q
                    and v.first_flight_slip_mean_quarters > 0
                ):
                    p = 1.0 / (1.0 + v.first_flight_slip_mean_quarters)
                    entry += int(model.rng.geometric(p)) - 1
            retire = quarter_index(v.retire) if v.retire else None
            self.vehicles[v.name] = VehicleState(v, entry, retire, v.cumulative_launches)
        self.reset_quarter()

    def reset_quarter(self) -> None:
        """Zero this quarter's flows."""
        self.revenue_usd = 0.0
        self.cost_usd = 0.0
        self.mass_launched_kg = 0.0
        for v in self.vehicles.values():
            v.launches = {}

    def update_capacity(self, q: int) -> None:
        """Cadence capacity this quarter: plan x ramp after entry, less any stand-down."""
        year = q // 4
        for v in self.vehicles.values():
            if not v.operational(q):
                v.capacity_launches = 0.0
                continue
            ramp = 1.0
            if v.spec.ramp_quarters > 0:
                ramp = min(1.0, (q - v.entry_quarter + 1) / v.spec.ramp_quarters)
            planned = v.planned_per_year(year) + v.extra_launches_per_year
            base = min(planned, v.spec.max_launches_per_year) / 4.0 * ramp
            v.capacity_launches = base * (1.0 - v.grounded_fraction)
            v.grounded_fraction = 0.0

    def fly(self, vehicle: str, use: str, launches: float, mass_kg: float) -> None:
        """Record ``launches`` of ``vehicle`` for ``use`` carrying ``mass_kg`` (no money here)."""
        v = self.vehicles[vehicle]
        v.launches[use] = v.launches.get(use, 0.0) + launches
        self.mass_launched_kg += mass_kg
        self.cumulative_mass_kg += mass_kg

    def invest(self, vehicle: str, launches_short: float) -> None:
        """Capacity investment: raise the vehicle's cadence after demand it could not serve.

        Adds ``investment_response`` launches per year for each launch short this quarter
        (annualized), up to the vehicle's ``max_launches_per_year``.
        """
        v = self.vehicles[vehicle]
        if launches_short <= 0 or v.spec.investment_response <= 0:
            return
        room = max(0.0, v.spec.max_launches_per_year - v.planned_per_year(self.model.q // 4))
        add = v.spec.investment_response * launches_short * 4.0
        v.extra_launches_per_year = min(v.extra_launches_per_year + add, room)

    def invest_on_scarcity(self, vehicle: str, rent_usd_per_launch: float) -> None:
        """Capacity investment on a scarcity rent: a vehicle sold out at a positive shadow price
        of capacity (``rent_usd_per_launch``, from the spot market's clearing) adds cadence as if
        ``min(1, rent / unit cost)`` of this quarter's capacity had gone unserved (A: an
        investment rule in the spirit of Tobin's q, the rent a marginal flight earns against
        what it costs), through :meth:`invest` and within ``max_launches_per_year``. The rent
        falls as capacity grows, so expansion stops when the vehicle is no longer scarce."""
        v = self.vehicles[vehicle]
        if rent_usd_per_launch <= 0 or v.capacity_launches <= 0:
            return
        ratio = min(1.0, rent_usd_per_launch / max(v.unit_cost_usd(), 1.0))
        self.invest(vehicle, v.capacity_launches * ratio)

    def learn_and_draw_anomalies(self) -> None:
        """Learning-by-doing on last quarter's flights; anomalies ground the coming quarter.

        Each flight has an anomaly with probability ``(1 - reliability)`` falling with
        experience as ``(n / n0) ** -reliability_growth`` (Duane reliability growth); each
        anomaly stands the vehicle down for its ``stand_down_quarters``. The count is the
        binomial quantile of one uniform draw per vehicle per quarter from the model's rng
        (inverse transform), drawn whether or not the vehicle flew: runs of two strategies on
        one seed share every draw, so a flight more or less moves the count by at most one
        instead of shifting every later draw (common random numbers; Glasserman 2004, sec.
        4.2).
        """
        for v in self.vehicles.values():
            u = float(self.model.rng.random())
            flown = sum(v.launches.values())
            if flown <= 0:
                continue
            v.cumulative_launches += flown
            n = round(flown)
            p = (1.0 - v.spec.reliability) * (
                v.cumulative_launches / v.spec.cumulative_launches
            ) ** (-v.spec.reliability_growth)
            anomalies = binomial_quantile(u, n, min(p, 1.0))
            v.grounded_fraction = min(0.5, anomalies * v.spec.stand_down_quarters)

    def launches_total(self) -> float:
        """Launches this quarter over all vehicles and uses."""
        return sum(sum(v.launches.values()) for v in self.vehicles.values())

    def capacity_kg(self) -> float:
        """Payload capacity this quarter, kg (launch slots x payload per launch)."""
        return sum(v.capacity_launches * v.spec.payload_capacity_kg for v in self.vehicles.values())


def binomial_quantile(u: float, n: int, p: float) -> int:
    """The smallest ``k`` with ``P(Binomial(n, p) <= k) >= u``: the inverse-transform draw of
    a binomial count from a uniform ``u`` in [0, 1).

    >>> [binomial_quantile(u, 10, 0.5) for u in (0.0, 0.5, 0.9999)]
    [0, 5, 10]
    """
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    pmf = math.exp(n * math.log1p(-p))
    if pmf == 0.0:  # n far beyond any quarter's flights: scipy's quantile
        from scipy.stats import binom

        return max(int(binom.ppf(u, n, p)), 0)  # scipy's ppf(0) is -1: k >= 0 here
    k, cdf, ratio = 0, pmf, p / (1.0 - p)
    while cdf < u and k < n:
        pmf *= (n - k) / (k + 1) * ratio
        k += 1
        cdf += pmf
    return k
