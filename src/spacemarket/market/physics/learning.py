"""Wright's law (experience curve) and learning paths in calendar time.

Wright (1936), "Factors affecting the cost of airplanes": unit cost falls by a fixed fraction
(the learning rate) for every doubling of cumulative production. With learning rate ``LR``
(0.2 = 20 % cheaper per doubling) the exponent is ``b = -log2(1 - LR)`` and

    cost(x) = cost(x0) * (x / x0) ** (-b).

Suncatcher (Aguera y Arcas et al. 2025, sec. 2.4) fits ~20 % per doubling of cumulative mass
launched by SpaceX; cumulative output may be mass (kg) or units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.validation import (
    InputError,
    check_fraction,
    check_nonnegative,
    check_positive,
)

__all__ = [
    "LearningPath",
    "learning_exponent",
    "wright_cost",
    "wright_cumulative_for_cost",
]


def learning_exponent(learning_rate: npt.ArrayLike) -> np.ndarray:
    """Wright exponent ``b = -log2(1 - learning_rate)``.

    Examples
    --------
    >>> round(float(learning_exponent(0.2)), 5)
    0.32193
    """
    lr = check_fraction("learning_rate", learning_rate, high_inclusive=False)
    return -np.log2(1.0 - lr)


def wright_cost(
    initial_cost: npt.ArrayLike,
    initial_cumulative: npt.ArrayLike,
    cumulative: npt.ArrayLike,
    learning_rate: npt.ArrayLike,
) -> np.ndarray:
    """Unit cost after ``cumulative`` output, by Wright's law.

    Parameters
    ----------
    initial_cost : float or array
        Unit cost (any currency per unit, e.g. USD/kg) at ``initial_cumulative``.
    initial_cumulative, cumulative : float or array
        Cumulative output (kg or units; same unit for both, > 0).
    learning_rate : float or array
        Fractional cost fall per doubling, in [0, 1) (0.2 = 20 % cheaper per doubling).

    Examples
    --------
    >>> round(float(wright_cost(100, 1, 8, 0.2)), 6)
    51.2
    >>> round(float(wright_cost(1800, 400, 370_000, 0.2)))   # Suncatcher: <$200/kg at 370 kt
    200
    """
    c0 = check_positive("initial_cost", initial_cost)
    x0 = check_positive("initial_cumulative", initial_cumulative)
    x = check_positive("cumulative", cumulative)
    b = learning_exponent(learning_rate)
    return c0 * (x / x0) ** (-b)


def wright_cumulative_for_cost(
    initial_cost: npt.ArrayLike,
    initial_cumulative: npt.ArrayLike,
    target_cost: npt.ArrayLike,
    learning_rate: npt.ArrayLike,
) -> np.ndarray:
    """Cumulative output at which Wright's law reaches ``target_cost`` (inverse of wright_cost).

    Returns ``inf`` where ``learning_rate`` is 0 and the target is below the initial cost.

    Examples
    --------
    >>> round(float(wright_cumulative_for_cost(100, 1, 51.2, 0.2)), 6)
    8.0
    """
    c0 = check_positive("initial_cost", initial_cost)
    x0 = check_positive("initial_cumulative", initial_cumulative)
    target = check_positive("target_cost", target_cost)
    b = learning_exponent(learning_rate)
    with np.errstate(divide="ignore", over="ignore"):
        x = x0 * (c0 / target) ** np.where(b > 0, 1.0 / np.where(b > 0, b, 1.0), np.inf)
    return np.where(b > 0, x, np.where(target >= c0, x0, np.inf))


@dataclass(frozen=True)
class LearningPath:
    """A launch-price learning path in calendar time.

    Price follows Wright's law on cumulative mass launched, anchored at
    (``anchor_price_usd_per_kg``, ``anchor_cumulative_kg``), and never falls below
    ``floor_usd_per_kg``. From ``start_year`` (with ``start_cumulative_kg`` already launched)
    mass is launched at ``annual_mass_kg`` per year, growing at ``annual_growth`` per year
    (continuous compounding of the rate ``ln(1 + annual_growth)``).

    Attributes are in USD/kg, kg, years and fractions per year.
    """

    name: str
    anchor_price_usd_per_kg: float
    anchor_cumulative_kg: float
    learning_rate: float
    start_year: float
    start_cumulative_kg: float
    annual_mass_kg: float
    annual_growth: float = 0.0
    floor_usd_per_kg: float = 0.0
    source: str = ""
    date: str = ""
    confidence: str = ""

    def __post_init__(self) -> None:
        check_positive("anchor_price_usd_per_kg", self.anchor_price_usd_per_kg)
        check_positive("anchor_cumulative_kg", self.anchor_cumulative_kg)
        check_fraction("learning_rate", self.learning_rate, high_inclusive=False)
        check_positive("start_cumulative_kg", self.start_cumulative_kg)
        check_positive("annual_mass_kg", self.annual_mass_kg)
        check_nonnegative("floor_usd_per_kg", self.floor_usd_per_kg)
        if self.annual_growth <= -1:
            raise InputError("annual_growth", "must be > -1")

    def cumulative_kg(self, year: npt.ArrayLike) -> np.ndarray:
        """Cumulative mass launched by ``year`` (kg); years before ``start_year`` are clamped."""
        t = np.maximum(np.asarray(year, dtype=float) - self.start_year, 0.0)
        g = np.log1p(self.annual_growth)
        added = self.annual_mass_kg * (np.expm1(g * t) / g if g != 0 else t)
        return self.start_cumulative_kg + added

    def price_usd_per_kg(self, year: npt.ArrayLike) -> np.ndarray:
        """Launch price in ``year`` (USD/kg), Wright's law floored at ``floor_usd_per_kg``."""
        raw = wright_cost(
            self.anchor_price_usd_per_kg,
            self.anchor_cumulative_kg,
            self.cumulative_kg(year),
            self.learning_rate,
        )
        return np.maximum(raw, self.floor_usd_per_kg)

    def year_reaching(self, price_usd_per_kg: float) -> float | None:
        """First (fractional) year at which the path's price is at or below ``price_usd_per_kg``.

        Returns ``None`` when the target lies below the floor or learning is zero (never reached).
        """
        target = float(check_positive("price_usd_per_kg", price_usd_per_kg))
        if target < self.floor_usd_per_kg:
            return None
        needed = float(
            wright_cumulative_for_cost(
                self.anchor_price_usd_per_kg,
                self.anchor_cumulative_kg,
                target,
                self.learning_rate,
            )
        )
        if not np.isfinite(needed):
            return None
        extra = needed - self.start_cumulative_kg
        if extra <= 0:
            return float(self.start_year)
        g = np.log1p(self.annual_growth)
        t = np.log1p(g * extra / self.annual_mass_kg) / g if g != 0 else extra / self.annual_mass_kg
        return float(self.start_year + t)
