"""Break-even launch price (orbital = terrestrial $/kW-year) and the year a path reaches it.

Two accountings, reported side by side because published claims mix them:

* ``"google"`` (Suncatcher sec. 2.4): launch cost of the satellite's mass amortized straight-line
  over its life, per kW, against the terrestrial site's **electricity spend** per kW-year. Chips,
  facility and spacecraft hardware are excluded on both sides.
* ``"full"``: everything in :func:`orbital_cost` against everything in
  :func:`terrestrial_cost`, with the same IT hardware and hardware life on both sides.

The break-even is found by Brent's method (Brent 1973, *Algorithms for Minimization without
Derivatives*) on ``orbital(p) - terrestrial``; if orbital compute costs more even at a launch
price of zero, there is no break-even and the result says so with the gap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

from spacemarket.market.physics.finance import DEFAULT_DISCOUNT_RATE
from spacemarket.market.physics.hardware import ComputeHardware
from spacemarket.market.physics.learning import LearningPath
from spacemarket.market.physics.orbital_dc import OrbitalDesign, mass_budget, orbital_cost
from spacemarket.market.physics.terrestrial_dc import TerrestrialSite, terrestrial_cost
from spacemarket.market.physics.validation import InputError, check_nonnegative, check_positive

__all__ = [
    "ACCOUNTINGS",
    "BreakEven",
    "breakeven_launch_price",
    "launched_power_cost_usd_per_kw_year",
]

ACCOUNTINGS = ("google", "full")

#: Upper end of the launch-price bracket searched, USD/kg (Shuttle-era prices were ~$54,500/kg).
MAX_LAUNCH_PRICE_USD_PER_KG = 1.0e6


def launched_power_cost_usd_per_kw_year(
    mass_kg: npt.ArrayLike,
    launch_price_usd_per_kg: npt.ArrayLike,
    power_kw: npt.ArrayLike,
    lifetime_years: npt.ArrayLike,
) -> np.ndarray:
    """Launch cost amortized per kW-year of power, USD: ``m * p / (P * L)`` (Suncatcher Table 1).

    Examples
    --------
    >>> round(float(launched_power_cost_usd_per_kw_year(575, 3600, 28, 5)))   # "$14,700"
    14786
    >>> round(float(launched_power_cost_usd_per_kw_year(575, 200, 28, 5)))    # "$810"
    821
    """
    return (
        check_nonnegative("mass_kg", mass_kg)
        * check_nonnegative("launch_price_usd_per_kg", launch_price_usd_per_kg)
        / (check_positive("power_kw", power_kw) * check_positive("lifetime_years", lifetime_years))
    )


@dataclass(frozen=True)
class BreakEven:
    """Result of a break-even search.

    ``price_usd_per_kg`` is None when there is no break-even; ``status`` is ``"found"``,
    ``"never"`` (orbital costs more even with free launch; ``gap_at_zero_usd_per_kw_year`` > 0)
    or ``"above_bracket"`` (orbital is cheaper even at ``MAX_LAUNCH_PRICE_USD_PER_KG``).
    ``year`` is when the learning path (if given) reaches the price, or None.
    """

    design: str
    site: str
    accounting: str
    status: str
    price_usd_per_kg: float | None
    terrestrial_usd_per_kw_year: float
    orbital_at_zero_usd_per_kw_year: float
    gap_at_zero_usd_per_kw_year: float
    path: str | None = None
    year: float | None = None
    message: str = ""


def _orbital_fn(design, hardware, accounting, discount_rate):
    if accounting == "google":
        kg = float(mass_budget(design).total_kg)
        return lambda p: float(
            launched_power_cost_usd_per_kw_year(kg, p, 1.0, design.lifetime_years)
        )
    return lambda p: float(orbital_cost(design, hardware, p, discount_rate).total_usd_per_kw_year)


def breakeven_launch_price(
    design: OrbitalDesign,
    site: TerrestrialSite,
    hardware: ComputeHardware,
    accounting: str = "full",
    discount_rate: float = DEFAULT_DISCOUNT_RATE,
    path: LearningPath | None = None,
) -> BreakEven:
    """Launch price (USD/kg) at which orbital equals terrestrial cost per kW-year.

    Examples
    --------
    >>> from spacemarket.market.physics.catalog import (
    ...     compute_hardware, orbital_design, terrestrial_site)
    >>> be = breakeven_launch_price(orbital_design("starlink-v2-mini-class"),
    ...     terrestrial_site("us-average"), compute_hardware("gb200-nvl72"), accounting="google")
    >>> be.status, round(be.price_usd_per_kg)
    ('found', 226)
    """
    if accounting not in ACCOUNTINGS:
        raise InputError("accounting", f"must be one of {ACCOUNTINGS}, got {accounting!r}")
    if accounting == "google":
        ground = float(terrestrial_cost(site, hardware, design.lifetime_years, discount_rate)
                       .power_spend_usd_per_kw_year)  # fmt: skip
    else:
        ground = float(
            terrestrial_cost(
                site, hardware, design.lifetime_years, discount_rate
            ).total_usd_per_kw_year
        )
    orbital = _orbital_fn(design, hardware, accounting, discount_rate)
    at_zero = orbital(0.0)
    gap = at_zero - ground
    common = dict(
        design=design.name,
        site=site.name,
        accounting=accounting,
        terrestrial_usd_per_kw_year=ground,
        orbital_at_zero_usd_per_kw_year=at_zero,
        gap_at_zero_usd_per_kw_year=gap,
        path=path.name if path else None,
    )
    if gap >= 0:
        return BreakEven(
            status="never",
            price_usd_per_kg=None,
            message=(
                f"orbital costs ${at_zero:,.0f}/kW-yr even with free launch, "
                f"${gap:,.0f} above the ground's ${ground:,.0f}"
            ),
            **common,
        )
    hi = MAX_LAUNCH_PRICE_USD_PER_KG
    if orbital(hi) - ground < 0:
        return BreakEven(
            status="above_bracket",
            price_usd_per_kg=None,
            message=f"orbital is cheaper even at ${hi:,.0f}/kg",
            **common,
        )
    price, info = brentq(lambda p: orbital(p) - ground, 0.0, hi, xtol=1e-9, full_output=True)
    if not info.converged:  # pragma: no cover - brentq on a continuous monotone bracket
        raise RuntimeError(f"break-even root find did not converge: {info.flag}")
    year = path.year_reaching(price) if path is not None else None
    when = ""
    if path is not None:
        when = (
            f"; reached in {year:.1f} on path {path.name!r}"
            if year is not None
            else f"; never reached on path {path.name!r} (below its floor)"
        )
    return BreakEven(
        status="found",
        price_usd_per_kg=float(price),
        year=year,
        message=f"break-even at ${price:,.0f}/kg{when}",
        **common,
    )
