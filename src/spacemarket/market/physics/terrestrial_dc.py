"""Terrestrial data center: cost per kW of IT load per year, with the same IT hardware.

Per kW of critical IT load and year (Suncatcher's electricity spend, Aguera y Arcas et al. 2025,
sec. 2.4, plus the facility and the IT hardware):

* facility: capex per MW of critical load (Cushman & Wakefield 2025 definition: excludes IT
  equipment, land and soft costs) annuitized over the facility life; capital committed while
  waiting ``grid_delay_years`` for a grid connection accrues its carrying cost
  ``(1 + r) ** delay - 1`` (the site earns nothing until energized);
* electricity: price x 8,760 h x PUE x load factor;
* IT hardware: the same ``ComputeHardware`` as in orbit, annuitized over the same life, plus
  replacement of permanently failed units (repair exists on the ground).

``power_spend_usd_per_kw_year`` is the electricity line alone: the terrestrial side of
Suncatcher's comparison (launch cost per kW-year against data-center power spend).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from spacemarket.market.physics.constants import HOURS_PER_YEAR
from spacemarket.market.physics.finance import DEFAULT_DISCOUNT_RATE, capital_recovery_factor
from spacemarket.market.physics.hardware import ComputeHardware
from spacemarket.market.physics.validation import (
    InputError,
    check_fraction,
    check_nonnegative,
    check_positive,
    record_context,
)

__all__ = ["TerrestrialCost", "TerrestrialSite", "power_spend_usd_per_kw_year", "terrestrial_cost"]


@dataclass(frozen=True)
class TerrestrialSite:
    """A terrestrial data-center site (money in USD, energy in kWh, times in years)."""

    name: str
    description: str
    facility_capex_usd_per_mw: float
    facility_life_years: float
    pue: float
    electricity_usd_per_kwh: float
    grid_delay_years: float
    load_factor: float = 1.0
    source: str = ""
    date: str = ""
    confidence: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        with record_context(f"terrestrial site {self.name!r}"):
            check_nonnegative("facility_capex_usd_per_mw", self.facility_capex_usd_per_mw)
            check_positive("facility_life_years", self.facility_life_years)
            pue = check_positive("pue", self.pue)
            if np.any(pue < 1):
                raise InputError("pue", "must be >= 1 (total facility power over IT power)")
            check_nonnegative("electricity_usd_per_kwh", self.electricity_usd_per_kwh)
            check_nonnegative("grid_delay_years", self.grid_delay_years)
            check_fraction("load_factor", self.load_factor, low_inclusive=False)


def power_spend_usd_per_kw_year(
    electricity_usd_per_kwh: npt.ArrayLike, pue: npt.ArrayLike, load_factor: npt.ArrayLike = 1.0
) -> np.ndarray:
    """Annual electricity spend per kW of IT load, USD/kW-year.

    Examples
    --------
    >>> round(float(power_spend_usd_per_kw_year(0.06, 1.09)))    # Suncatcher low end, ~$570
    573
    >>> round(float(power_spend_usd_per_kw_year(0.25, 1.4)))     # high end, ~$3,000
    3066
    """
    return (
        check_nonnegative("electricity_usd_per_kwh", electricity_usd_per_kwh)
        * HOURS_PER_YEAR
        * check_positive("pue", pue)
        * check_fraction("load_factor", load_factor)
    )


@dataclass(frozen=True)
class TerrestrialCost:
    """Terrestrial cost per kW-year of IT load, with its breakdown (USD/kW-year)."""

    site: str
    breakdown_usd_per_kw_year: dict[str, np.ndarray]
    usd_per_gpu_hour: np.ndarray

    @property
    def total_usd_per_kw_year(self) -> np.ndarray:
        """Total cost per kW-year of IT load, USD."""
        return sum(self.breakdown_usd_per_kw_year.values())

    @property
    def power_spend_usd_per_kw_year(self) -> np.ndarray:
        """The electricity line alone (Suncatcher's comparison basis)."""
        return self.breakdown_usd_per_kw_year["electricity"]

    def as_dict(self) -> dict[str, Any]:
        """Plain-Python summary for JSON and tables."""

        def f(x: npt.ArrayLike) -> float:
            return float(np.asarray(x, dtype=float).ravel()[0])

        return {
            "site": self.site,
            "total_usd_per_kw_year": f(self.total_usd_per_kw_year),
            "usd_per_gpu_hour": f(self.usd_per_gpu_hour),
            "breakdown_usd_per_kw_year": {
                k: f(v) for k, v in self.breakdown_usd_per_kw_year.items()
            },
        }


def terrestrial_cost(
    site: TerrestrialSite,
    hardware: ComputeHardware,
    hardware_life_years: npt.ArrayLike,
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
) -> TerrestrialCost:
    """Full cost of terrestrial compute per kW-year of IT load (USD).

    ``hardware_life_years`` should equal the orbital design's lifetime for a like-for-like
    comparison (the comparison helpers do this).

    Examples
    --------
    >>> from spacemarket.market.physics.catalog import compute_hardware, terrestrial_site
    >>> c = terrestrial_cost(terrestrial_site("us-average"), compute_hardware("gb200-nvl72"), 5)
    >>> round(float(c.breakdown_usd_per_kw_year["electricity"]))
    918
    """
    r = discount_rate
    capex_kw = site.facility_capex_usd_per_mw / 1000.0
    carrying = (1.0 + r) ** site.grid_delay_years - 1.0
    facility_crf = capital_recovery_factor(r, site.facility_life_years)
    hw_usd_per_kw = hardware.usd_per_w * 1000.0
    breakdown = {
        "facility": facility_crf * capex_kw,
        "grid_delay": facility_crf * capex_kw * carrying,
        "electricity": power_spend_usd_per_kw_year(
            site.electricity_usd_per_kwh, site.pue, site.load_factor
        ),
        "it_hardware": capital_recovery_factor(r, hardware_life_years) * hw_usd_per_kw,
        "hardware_replacement": np.asarray(hardware.loss_rate_per_year * hw_usd_per_kw),
    }
    breakdown = {k: np.asarray(v, dtype=float) for k, v in breakdown.items()}
    total = sum(breakdown.values())
    per_gpu_hour = total * hardware.it_power_per_accelerator_w / 1000.0 / HOURS_PER_YEAR
    return TerrestrialCost(site.name, breakdown, per_gpu_hour)
