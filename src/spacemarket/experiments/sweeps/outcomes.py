"""The outcomes registry: named scalar summaries of one market run.

A sweep design names the outcomes it records (``outcomes = ["spacex_mass_share_final", ...]``);
each run computes them from its :class:`~spacemarket.market.ScenarioResult` and writes them to
its ``outcomes.json``. An outcome is a function ``result -> float`` registered with
:func:`outcome`, with a docstring and units. "Final" outcomes aggregate the last
:data:`FINAL_QUARTERS` simulated quarters (all of them when a run is shorter); "total"
outcomes sum over every simulated quarter (nominal USD, undiscounted: an outcome's ``basis``
says so, and the printed tables show it beside the units). A value that does not exist for a
run (no mass launched, no Starship entry drawn) is NaN, never an error. Quantities with a
bounded range (:data:`UNIT_BOUNDS`: fractions in [0, 1], HHI in [0, 10,000], capacities,
prices and counts at least 0) have their intervals clipped to it.

Examples
--------
>>> from spacemarket.market.model import run_scenario
>>> r = run_scenario("backtest-2023", seed=1, steps=2)
>>> v = compute_outcomes(r, ["spacex_mass_share_final", "falcon_launches_total"])
>>> round(v["spacex_mass_share_final"], 3), round(v["falcon_launches_total"], 1)
(0.837, 50.0)
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from spacemarket.market.economics import hhi
from spacemarket.market.scenario.spec import quarter_index

__all__ = [
    "FINAL_QUARTERS",
    "OUTCOMES",
    "UNIT_BOUNDS",
    "Outcome",
    "UnknownOutcomeError",
    "compute_outcomes",
    "get_outcome",
    "outcome",
    "outcome_names",
]

#: Number of trailing quarters that "final" outcomes aggregate.
FINAL_QUARTERS = 4

#: The range of a bounded quantity, by its units: interval limits are clipped to it (a
#: share's t-interval at small n can otherwise reach below 0; capacities, prices and counts
#: cannot be negative).
UNIT_BOUNDS: dict[str, tuple[float, float]] = {
    "fraction": (0.0, 1.0),
    "HHI (0-10,000)": (0.0, 10_000.0),
    "MW": (0.0, math.inf),
    "USD/kg": (0.0, math.inf),
    "USD/kW-yr": (0.0, math.inf),
    "launches": (0.0, math.inf),
}

#: Firm names used by the firm-specific outcomes.
SPACEX = "SpaceX"
STOKE = "Stoke"
FALCON_VEHICLES = ("falcon-9", "falcon-heavy")


@dataclass(frozen=True)
class Outcome:
    """A registered outcome: ``func(result) -> float`` in ``units``.

    ``basis``: how an amount is aggregated when the units alone do not say it (e.g.
    ``"nominal, undiscounted sum"``), printed beside the units so that it is not mistaken
    for the present values ``compare`` and ``game`` print.
    """

    name: str
    units: str
    func: Callable[[Any], float]
    basis: str = ""

    @property
    def bounds(self) -> tuple[float, float] | None:
        """The range of the quantity (:data:`UNIT_BOUNDS`), ``None`` if unbounded."""
        return UNIT_BOUNDS.get(self.units)

    @property
    def description(self) -> str:
        """First line of the function's docstring."""
        return (self.func.__doc__ or "").strip().splitlines()[0]

    def __call__(self, result: Any) -> float:
        return float(self.func(result))


#: name -> Outcome, in registration order.
OUTCOMES: dict[str, Outcome] = {}


class UnknownOutcomeError(KeyError):
    """An outcome name that is not in the registry (the message lists the registry)."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(name)

    def __str__(self) -> str:
        return f"unknown outcome {self.name!r} (known: {', '.join(OUTCOMES)})"


def outcome(
    units: str, basis: str = ""
) -> Callable[[Callable[[Any], float]], Callable[[Any], float]]:
    """Decorator registering ``func`` under its own name with ``units`` (and ``basis``)."""

    def register(func: Callable[[Any], float]) -> Callable[[Any], float]:
        if not func.__doc__:
            raise ValueError(f"outcome {func.__name__} needs a docstring")
        OUTCOMES[func.__name__] = Outcome(func.__name__, units, func, basis)
        return func

    return register


def outcome_names() -> list[str]:
    """Names of every registered outcome, in registration order."""
    return list(OUTCOMES)


def get_outcome(name: str) -> Outcome:
    """The registered outcome ``name``; :class:`UnknownOutcomeError` lists the known ones."""
    try:
        return OUTCOMES[name]
    except KeyError:
        raise UnknownOutcomeError(name) from None


def compute_outcomes(result: Any, names: Iterable[str]) -> dict[str, float]:
    """``{name: value}`` for each of ``names`` (floats; NaN where undefined)."""
    return {name: get_outcome(name)(result) for name in names}


# --------------------------------------------------------------------------- helpers


def _last_steps(market: pd.DataFrame, n: int = FINAL_QUARTERS) -> list[int]:
    steps = sorted(int(s) for s in market["step"].unique())
    return steps[-n:]


def _final_market(result: Any) -> pd.DataFrame:
    m = result.market
    return m[m["step"].isin(_last_steps(m))]


def _final_firms(result: Any) -> pd.DataFrame:
    f = result.firms
    return f[f["step"].isin(_last_steps(result.market))]


def _firm_total(result: Any, firm: str, column: str) -> float:
    f = result.firms
    rows = f[(f["firm"] == firm) & (f["kind"] == "launch")]
    return float(rows[column].sum())


# --------------------------------------------------------------------------- the registry

#: The basis of the "total" USD outcomes.
UNDISCOUNTED = "nominal, undiscounted sum"


@outcome(units="fraction")
def spacex_mass_share_final(result: Any) -> float:
    """SpaceX's share of mass to orbit over the last 4 quarters (captive markets included).

    SpaceX's launched kg (Falcon, Starship, Starlink included) over the kg launched by every
    launch provider and captive market in those quarters; NaN if nothing flew.
    """
    f = _final_firms(result)
    layer = f[f["kind"].isin(["launch", "captive"])]
    total = float(layer["mass_launched_kg"].sum())
    spacex = float(layer.loc[layer["firm"] == SPACEX, "mass_launched_kg"].sum())
    return spacex / total if total > 0 else math.nan


@outcome(units="MW")
def orbital_mw_final(result: Any) -> float:
    """Orbital IT load in service at the end of the last simulated quarter, MW."""
    m = result.market
    return float(m.sort_values("step")["orbital_mw"].iloc[-1]) if len(m) else math.nan


@outcome(units="MW")
def terrestrial_mw_final(result: Any) -> float:
    """Terrestrial IT load in service at the end of the last simulated quarter, MW."""
    m = result.market
    return float(m.sort_values("step")["terrestrial_mw"].iloc[-1]) if len(m) else math.nan


@outcome(units="USD/kg")
def launch_price_index_final(result: Any) -> float:
    """Contestable launch price over the last 4 quarters: external spend / kg sold, USD/kg.

    The quarterly index is external spend over the payload capacity of the missions sold;
    over several quarters it is total spend over total kg (the spend-weighted harmonic mean
    of the quarterly index). NaN if no external mission flew.
    """
    m = _final_market(result)
    index = m["launch_price_index_usd_per_kg"]
    spend = m["external_spend_usd"]
    ok = (index > 0) & index.notna() & (spend > 0)
    kg = float((spend[ok] / index[ok]).sum())
    return float(spend[ok].sum()) / kg if kg > 0 else math.nan


@outcome(units="HHI (0-10,000)")
def hhi_launch_mass_final(result: Any) -> float:
    """HHI of mass to orbit over the last 4 quarters, by launch provider and captive market.

    Each firm's kg summed over the quarters, then shares of the total; on the 0-10,000 scale.
    """
    f = _final_firms(result)
    layer = f[f["kind"].isin(["launch", "captive"])]
    kg = layer.groupby("firm", sort=True)["mass_launched_kg"].sum()
    total = float(kg.sum())
    if total <= 0:
        return math.nan
    return hhi((kg / total).to_numpy())


@outcome(units="USD", basis=UNDISCOUNTED)
def consumer_surplus_total_usd(result: Any) -> float:
    """Consumer surplus of the contestable launch market summed over all quarters, USD.

    Nominal and undiscounted (logit inclusive value, per quarter, from the spot market).
    """
    return float(result.market["consumer_surplus_usd"].sum())


@outcome(units="USD", basis=UNDISCOUNTED)
def spacex_profit_total_usd(result: Any) -> float:
    """SpaceX's launch profit summed over all quarters, USD (nominal, undiscounted)."""
    return _firm_total(result, SPACEX, "profit_usd")


@outcome(units="USD", basis=UNDISCOUNTED)
def stoke_profit_total_usd(result: Any) -> float:
    """Stoke Space's launch profit summed over all quarters, USD (nominal, undiscounted)."""
    return _firm_total(result, STOKE, "profit_usd")


@outcome(units="launches")
def falcon_launches_total(result: Any) -> float:
    """Falcon 9 and Falcon Heavy launches summed over all quarters (every use), count."""
    v = result.vehicles
    return float(v.loc[v["vehicle"].isin(FALCON_VEHICLES), "launches"].sum())


@outcome(units="year")
def starship_first_flight_year(result: Any) -> float:
    """Starship's drawn operational entry quarter as a decimal year (2027Q3 -> 2027.5).

    The scheduled first flight plus the run's random slip, whether or not it falls inside
    the simulated horizon; NaN if Starship is already flying at the start or is absent.
    """
    label = result.milestones.get("starship")
    if not label:
        return math.nan
    q = quarter_index(label)
    return q // 4 + (q % 4) / 4.0
