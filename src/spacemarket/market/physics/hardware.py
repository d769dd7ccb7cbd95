"""IT hardware shared by the orbital and terrestrial cost models (like-for-like comparison)."""

from __future__ import annotations

from dataclasses import dataclass

from spacemarket.market.physics.validation import check_fraction, check_positive, record_context

__all__ = ["ComputeHardware"]


@dataclass(frozen=True)
class ComputeHardware:
    """An accelerator system priced and powered per kW of IT load.

    Attributes
    ----------
    usd_per_w : float
        Capital cost of the IT hardware per W of IT load, USD/W.
    mass_kg_per_kw : float
        Mass of the IT hardware per kW of IT load on the ground, kg/kW (flight packaging is a
        design choice: see ``OrbitalDesign.compute_mass_kg_per_kw``).
    it_power_per_accelerator_w : float
        IT power per accelerator including its share of host, network and memory, W.
    annual_failure_rate : float
        Attributed failures per accelerator per year (fraction).
    permanent_failure_fraction : float
        Share of those failures that destroy the unit (replaced on the ground, lost in orbit).
    """

    name: str
    usd_per_w: float
    mass_kg_per_kw: float
    it_power_per_accelerator_w: float
    annual_failure_rate: float
    permanent_failure_fraction: float = 1.0
    source: str = ""
    date: str = ""
    confidence: str = ""
    notes: str = ""

    def __post_init__(self) -> None:
        with record_context(f"hardware {self.name!r}"):
            check_positive("usd_per_w", self.usd_per_w)
            check_positive("mass_kg_per_kw", self.mass_kg_per_kw)
            check_positive("it_power_per_accelerator_w", self.it_power_per_accelerator_w)
            check_fraction("annual_failure_rate", self.annual_failure_rate, high_inclusive=False)
            check_fraction("permanent_failure_fraction", self.permanent_failure_fraction)

    @property
    def loss_rate_per_year(self) -> float:
        """Permanent losses per accelerator per year (fraction)."""
        return self.annual_failure_rate * self.permanent_failure_fraction
