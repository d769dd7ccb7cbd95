"""Launch economics: cost per flight, $/kg, price and the propellant floor.

Cost per flight (reuse amortization as in The Space Review, "Increasing the profit ratio",
2016; propellant, refurbishment and margin as in Suncatcher, Aguera y Arcas et al. 2025,
arXiv:2511.19468, sec. 2.4):

    cost = reusable_hardware / reuses + refurbishment + expended_hardware + propellant + operations
    cost_per_kg = cost / payload;   price_per_kg = cost_per_kg * (1 + margin)

Reuse changes payload as well as cost: a recovered stage carries landing propellant and hardware,
so a reusable flight lifts ``payload_reusable_kg`` < ``payload_expendable_kg``. With unlimited
reuse and free refurbishment the cost per kg falls to the propellant floor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.validation import (
    InputError,
    check_fraction,
    check_nonnegative,
    check_positive,
    record_context,
)

__all__ = [
    "LaunchVehicle",
    "cost_per_kg_usd",
    "launch_cost_per_flight_usd",
    "price_from_cost",
    "propellant_cost_usd",
]


def propellant_cost_usd(
    propellant_mass_kg: npt.ArrayLike,
    mass_fractions: Mapping[str, float],
    prices_usd_per_t: Mapping[str, float],
) -> np.ndarray:
    """Propellant cost of one flight, USD.

    Parameters
    ----------
    propellant_mass_kg : float or array
        Total propellant loaded, kg.
    mass_fractions : mapping
        Mass fraction of each propellant (e.g. ``{"lox": 0.78, "ch4": 0.22}``), summing to 1.
    prices_usd_per_t : mapping
        Price of each propellant, USD per tonne.

    Examples
    --------
    >>> float(propellant_cost_usd(4_800_000, {"lox": 0.78, "ch4": 0.22}, {"lox": 200, "ch4": 700}))
    1488000.0
    """
    mass = check_nonnegative("propellant_mass_kg", propellant_mass_kg)
    total = sum(mass_fractions.values())
    if mass_fractions and abs(total - 1.0) > 1e-6:
        raise InputError("mass_fractions", f"must sum to 1, got {total:.6f}")
    per_t = 0.0
    for name, frac in mass_fractions.items():
        check_fraction(f"mass_fractions[{name}]", frac)
        if name not in prices_usd_per_t:
            known = ", ".join(sorted(prices_usd_per_t))
            raise InputError("mass_fractions", f"no price for propellant {name!r} (known: {known})")
        per_t += frac * float(
            check_nonnegative(f"prices_usd_per_t[{name}]", prices_usd_per_t[name])
        )
    return mass / 1000.0 * per_t


def launch_cost_per_flight_usd(
    reusable_hardware_usd: npt.ArrayLike,
    reuses: npt.ArrayLike,
    refurbishment_usd: npt.ArrayLike = 0.0,
    expended_hardware_usd: npt.ArrayLike = 0.0,
    propellant_usd: npt.ArrayLike = 0.0,
    operations_usd: npt.ArrayLike = 0.0,
) -> np.ndarray:
    """Cost of one flight, USD: amortized reusable hardware plus per-flight costs.

    Examples
    --------
    >>> # The Space Review (2016): F9 $62.1M, first stage 75 %, 10 flights, 1 % upkeep
    >>> round(float(launch_cost_per_flight_usd(46.575e6, 10, 0.621e6, 15.525e6)) / 1e6, 2)
    20.8
    """
    hw = check_nonnegative("reusable_hardware_usd", reusable_hardware_usd)
    n = check_positive("reuses", reuses)
    if np.any(n < 1):
        raise InputError("reuses", "must be >= 1 (flights per reusable hardware set)")
    return (
        hw / n
        + check_nonnegative("refurbishment_usd", refurbishment_usd)
        + check_nonnegative("expended_hardware_usd", expended_hardware_usd)
        + check_nonnegative("propellant_usd", propellant_usd)
        + check_nonnegative("operations_usd", operations_usd)
    )


def cost_per_kg_usd(cost_per_flight_usd: npt.ArrayLike, payload_kg: npt.ArrayLike) -> np.ndarray:
    """Cost per kilogram of payload, USD/kg.

    Examples
    --------
    >>> round(float(cost_per_kg_usd(62e6, 22_800)))   # Jones (2018): "$2,720/kg"
    2719
    """
    return check_nonnegative("cost_per_flight_usd", cost_per_flight_usd) / check_positive(
        "payload_kg", payload_kg
    )


def price_from_cost(cost: npt.ArrayLike, margin: npt.ArrayLike) -> np.ndarray:
    """Price = cost x (1 + margin); margin is a fraction of cost (0.75 = 75 % markup).

    Examples
    --------
    >>> float(price_from_cost(100.0, 0.75))
    175.0
    """
    return check_nonnegative("cost", cost) * (1.0 + check_nonnegative("margin", margin))


@dataclass(frozen=True)
class LaunchVehicle:
    """A launch vehicle with its published capacity, list price and (optional) cost model.

    Masses in kg, money in USD (nominal, in ``list_price_year``). ``build_cost_usd`` is the
    manufacturing cost of one complete vehicle, of which ``reusable_fraction`` is recovered and
    flown ``reuses`` times; ``refurbishment_fraction`` is per-flight upkeep as a fraction of
    ``build_cost_usd`` (the convention that reproduces The Space Review's 2016 figures). A vehicle
    without ``build_cost_usd`` has a price but no bottom-up cost.
    """

    name: str
    operator: str
    status: str
    payload_leo_kg: float
    payload_leo_expendable_kg: float
    reusable: bool
    list_price_usd: float | None = None
    list_price_year: int | None = None
    first_flight: str = ""
    build_cost_usd: float | None = None
    reusable_fraction: float = 0.0
    reuses: float = 1.0
    refurbishment_fraction: float = 0.0
    propellant_mass_kg: float = 0.0
    propellant: Mapping[str, float] = field(default_factory=dict)
    operations_usd: float = 0.0
    reported_cost_per_flight_usd: float | None = None
    liftoff_mass_kg: float | None = None
    margin: float = 0.0
    source: str = ""
    date: str = ""
    confidence: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        with record_context(f"vehicle {self.name!r}"):
            for name in ("payload_leo_kg", "payload_leo_expendable_kg"):
                check_positive(name, getattr(self, name))
            if self.payload_leo_kg > self.payload_leo_expendable_kg:
                raise InputError("payload_leo_kg", "cannot exceed payload_leo_expendable_kg")
            for name in ("list_price_usd", "build_cost_usd", "reported_cost_per_flight_usd"):
                if getattr(self, name) is not None:
                    check_positive(name, getattr(self, name))
            for name in ("propellant_mass_kg", "operations_usd", "margin"):
                check_nonnegative(name, getattr(self, name))
            check_fraction("reusable_fraction", self.reusable_fraction)
            check_fraction("refurbishment_fraction", self.refurbishment_fraction)
            if self.reuses < 1:
                raise InputError("reuses", "must be >= 1")

    @property
    def has_cost_model(self) -> bool:
        """Whether a bottom-up cost per flight can be computed."""
        return self.build_cost_usd is not None

    @property
    def recovery_payload_penalty(self) -> float:
        """Fraction of expendable payload given up to recover hardware (0 if expendable)."""
        return 1.0 - self.payload_leo_kg / self.payload_leo_expendable_kg

    def payload_kg(self, reuses: npt.ArrayLike | None = None) -> np.ndarray:
        """Payload to LEO, kg, in the usual mode (``reuses=None``) or for a number of flights.

        Flown once (``reuses <= 1``) the vehicle is expended and lifts its expendable payload;
        reused, it lifts ``payload_leo_kg`` (the recovery penalty).
        """
        if reuses is None:
            return np.asarray(
                self.payload_leo_kg if self.reusable else self.payload_leo_expendable_kg,
                dtype=float,
            )
        n = np.asarray(reuses, dtype=float)
        if not self.reusable:
            return np.full_like(n, self.payload_leo_expendable_kg)
        return np.where(n > 1, self.payload_leo_kg, self.payload_leo_expendable_kg)

    def list_price_usd_per_kg(self) -> float | None:
        """List price over the payload in the vehicle's usual mode, USD/kg (None if unpriced)."""
        if self.list_price_usd is None:
            return None
        return self.list_price_usd / self.payload_leo_kg

    def cost_breakdown_usd(
        self,
        prices_usd_per_t: Mapping[str, float],
        reuses: npt.ArrayLike | None = None,
    ) -> dict[str, np.ndarray]:
        """Per-flight cost components (USD) and totals; broadcasts over ``reuses``.

        Keys: ``reusable_hardware``, ``refurbishment``, ``expended_hardware``, ``propellant``,
        ``operations``, ``total``, ``payload_kg``, ``cost_per_kg``, ``price_per_kg`` (cost x
        (1 + margin)) and ``propellant_floor_per_kg``.
        """
        if self.build_cost_usd is None:
            raise InputError("build_cost_usd", "no cost model for this vehicle", self.name)
        n = check_positive("reuses", self.reuses if reuses is None else reuses)
        if np.any(n < 1):
            raise InputError("reuses", "must be >= 1")
        flown_once = n <= 1
        reusable_hw = self.build_cost_usd * self.reusable_fraction
        parts = {
            "reusable_hardware": reusable_hw / n,
            "refurbishment": np.where(
                flown_once, 0.0, self.refurbishment_fraction * self.build_cost_usd
            ),
            "expended_hardware": np.full_like(
                n, self.build_cost_usd * (1 - self.reusable_fraction)
            ),
            "propellant": np.full_like(
                n, propellant_cost_usd(self.propellant_mass_kg, self.propellant, prices_usd_per_t)
            ),
            "operations": np.full_like(n, self.operations_usd),
        }
        total = sum(parts.values())
        payload = self.payload_kg(n)  # n is explicit here: expended when flown once
        out = dict(parts)
        out["total"] = total
        out["payload_kg"] = payload
        out["cost_per_kg"] = total / payload
        out["price_per_kg"] = price_from_cost(total / payload, self.margin)
        out["propellant_floor_per_kg"] = parts["propellant"] / payload
        return out
