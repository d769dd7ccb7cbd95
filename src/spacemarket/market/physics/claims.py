"""Published studies re-computed, and their internal inconsistencies detected.

A source's own numbers are never used silently: :func:`check_design_claims` recomputes what a
design's ``claims`` imply and reports every mismatch as a :class:`Finding`, and
:func:`design_launch_price_usd_per_kg` returns the arithmetic-consistent launch price.

* Starcloud white paper (2024, via Angadh N. 2025): "$5 million per launch ... payload capacity
  of 100 tons ... approximately $30 per kilogram" -- the arithmetic gives $50/kg.
* Suncatcher Table 1 (Aguera y Arcas et al. 2025): launched power price of four satellites.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacemarket.market.physics.constants import HOURS_PER_YEAR
from spacemarket.market.physics.orbital_dc import OrbitalDesign, mass_budget
from spacemarket.market.physics.validation import InputError

__all__ = [
    "SUNCATCHER_TABLE1",
    "Finding",
    "check_design_claims",
    "design_launch_price_usd_per_kg",
    "starcloud_cost_table",
]

#: Suncatcher Table 1: (satellite, mass kg, power kW, life years, published $/kW/y at $3,600/kg,
#: at $200/kg). Source: Aguera y Arcas et al. 2025, arXiv:2511.19468, Table 1 (v2, read 2026).
SUNCATCHER_TABLE1 = (
    ("starlink-v2-mini", 575.0, 28.0, 5.0, 14_700.0, 810.0),
    ("starlink-v1", 260.0, 7.0, 5.0, 26_600.0, 1_470.0),
    ("oneweb", 150.0, 0.8, 5.0, 135_800.0, 7_500.0),
    ("iridium-next", 860.0, 2.0, 12.5, 124_600.0, 6_900.0),
)

#: Relative tolerance below which an arithmetic claim counts as consistent with its inputs.
CLAIM_TOLERANCE = 0.01
#: Relative tolerance for claims the source states as approximate ("about half", "one launch").
APPROXIMATE_TOLERANCE = 0.25


@dataclass(frozen=True)
class Finding:
    """One check of a published claim: ``severity`` is ``"inconsistent"`` or ``"consistent"``."""

    design: str
    claim: str
    severity: str
    claimed: float
    computed: float
    message: str


def _rel(a: float, b: float) -> float:
    return abs(a - b) / max(abs(b), 1e-300)


def design_launch_price_usd_per_kg(design: OrbitalDesign) -> float | None:
    """The launch price (USD/kg) a design's source implies: cost per launch / payload.

    Uses the arithmetic, not a printed $/kg that contradicts it (see :func:`check_design_claims`).
    Returns None when the source states no launch assumption.

    Examples
    --------
    >>> from spacemarket.market.physics.catalog import orbital_design
    >>> design_launch_price_usd_per_kg(orbital_design("starcloud"))
    50.0
    """
    c = design.claims
    if "launch_cost_usd" in c and "launch_payload_kg" in c:
        if c["launch_payload_kg"] <= 0:
            raise InputError("claims.launch_payload_kg", "must be positive", design.name)
        return c["launch_cost_usd"] / c["launch_payload_kg"]
    return c.get("launch_usd_per_kg")


def check_design_claims(design: OrbitalDesign) -> list[Finding]:
    """Recompute a design's published claims and report each as consistent or not.

    Examples
    --------
    >>> from spacemarket.market.physics.catalog import orbital_design
    >>> [f.claim for f in check_design_claims(orbital_design("starcloud"))
    ...  if f.severity == "inconsistent"]
    ['launch_usd_per_kg', 'total_mass_kg']
    """
    c = design.claims
    out: list[Finding] = []

    def add(claim: str, claimed: float, computed: float, text: str, tol: float) -> None:
        bad = _rel(claimed, computed) > tol
        out.append(
            Finding(
                design.name, claim, "inconsistent" if bad else "consistent", claimed, computed, text
            )
        )

    if {"launch_cost_usd", "launch_payload_kg", "launch_usd_per_kg"} <= c.keys():
        implied = c["launch_cost_usd"] / c["launch_payload_kg"]
        buys = c["launch_cost_usd"] / c["launch_usd_per_kg"]
        add(
            "launch_usd_per_kg",
            c["launch_usd_per_kg"],
            implied,
            f"${c['launch_cost_usd']:,.0f} per launch / {c['launch_payload_kg']:,.0f} kg = "
            f"${implied:,.2f}/kg, but the source prints ${c['launch_usd_per_kg']:,.2f}/kg "
            f"(at that price ${c['launch_cost_usd']:,.0f} buys {buys:,.0f} kg); "
            f"using ${implied:,.2f}/kg",
            CLAIM_TOLERANCE,
        )
    mass = mass_budget(design)
    if {"total_mass_kg", "it_power_kw"} <= c.keys():
        claimed_kg_per_kw = c["total_mass_kg"] / c["it_power_kw"]
        computed = float(mass.total_kg)
        biggest = sorted(mass.masses_kg.items(), key=lambda kv: -float(kv[1]))[:3]
        parts = ", ".join(f"{k} {float(v):.1f}" for k, v in biggest)
        add(
            "total_mass_kg",
            c["total_mass_kg"],
            computed * c["it_power_kw"],
            f"claimed {c['total_mass_kg'] / 1e3:,.0f} t for {c['it_power_kw'] / 1e3:,.0f} MW "
            f"({claimed_kg_per_kw:.2f} kg/kW) vs bottom-up {computed:.1f} kg/kW "
            f"({computed * c['it_power_kw'] / 1e3:,.0f} t; largest: {parts} kg/kW)",
            APPROXIMATE_TOLERANCE,
        )
    if "radiator_to_array_area" in c:
        ratio = float(mass.radiator_area_m2 / mass.array_area_m2)
        add(
            "radiator_to_array_area",
            c["radiator_to_array_area"],
            ratio,
            f"claimed radiator area {c['radiator_to_array_area']:.2f} x array area vs "
            f"{ratio:.2f} x from Stefan-Boltzmann at {design.radiator_temperature_k:.0f} K",
            APPROXIMATE_TOLERANCE,
        )
    if {"solar_array_cost_usd", "it_power_kw"} <= c.keys():
        per_w = c["solar_array_cost_usd"] / (c["it_power_kw"] * 1e3)
        add(
            "solar_array_usd_per_w",
            per_w,
            design.solar_array_usd_per_w,
            f"${c['solar_array_cost_usd']:,.0f} / {c['it_power_kw'] / 1e3:,.0f} MW = "
            f"${per_w:.3f}/W (design uses ${design.solar_array_usd_per_w:.3f}/W)",
            CLAIM_TOLERANCE,
        )
    return out


def starcloud_cost_table(
    it_power_mw: float = 40.0,
    years: float = 10.0,
    electricity_usd_per_mwh: float = 40.0,
    cooling_fraction: float = 0.05,
    backup_power_usd: float = 20e6,
    water_l_per_kwh: float = 0.5,
    solar_array_usd: float = 2e6,
    launch_usd: float = 5e6,
    shielding_usd: float = 1.2e6,
) -> dict[str, float]:
    """Re-compute Starcloud's 40 MW x 10 year cost table. Money in USD, water in tonnes.

    The table of the Starcloud white paper ("Why we should train AI in space", 2024), as
    transcribed by Angadh N., "40 MW Space Data Centers: A Technoeconomic Analysis" (20 Jun
    2025): $140M energy at $40/MWh, 5 % for cooling and $20M backup power on the ground
    ($167M), against $2M of solar array, one $5M launch and $1.2M of shielding in space.

    Examples
    --------
    >>> t = starcloud_cost_table()
    >>> round(t["terrestrial_total_usd"] / 1e6, 2), round(t["ratio"], 1)
    (167.17, 20.4)
    """
    mwh = it_power_mw * HOURS_PER_YEAR * years
    energy = mwh * electricity_usd_per_mwh
    cooling = cooling_fraction * energy
    ground = energy + cooling + backup_power_usd
    space = solar_array_usd + launch_usd + shielding_usd
    return {
        "energy_mwh": mwh,
        "terrestrial_energy_usd": energy,
        "terrestrial_cooling_usd": cooling,
        "terrestrial_backup_usd": backup_power_usd,
        "terrestrial_total_usd": ground,
        "water_t": water_l_per_kwh * mwh * 1e3 / 1e3,
        "space_total_usd": space,
        "ratio": ground / space,
        "space_usd_per_kwh": space / (mwh * 1e3),
        "terrestrial_usd_per_kwh": ground / (mwh * 1e3),
        "solar_usd_per_w": solar_array_usd / (it_power_mw * 1e6),
    }
