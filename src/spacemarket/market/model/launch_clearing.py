"""Market-level equilibrium stages of the quarterly loop (pure functions over agent state).

* :func:`clear_external_launch_market`: the contestable launch market as a multi-product
  Bertrand-Nash equilibrium with logit demand over operational vehicles, capacities binding
  through shadow prices, and control (kappa) linking vehicles of commonly controlled providers
  (:func:`spacemarket.market.economics.solve_prices`).
* :func:`cheapest_vehicle_per_kg`: the vehicle a launcher offers for orbital compute (launch
  contracts are negotiated in :mod:`.contracts`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spacemarket.agents.launch_provider import LaunchProvider, VehicleState
from spacemarket.market.economics import solve_prices

__all__ = [
    "ExternalMarketOutcome",
    "cheapest_vehicle_per_kg",
    "clear_external_launch_market",
]


@dataclass(frozen=True)
class ExternalMarketOutcome:
    """Prices (USD per launch), missions sold per vehicle and consumer surplus (USD)."""

    vehicles: list[tuple[str, str]]  # (provider, vehicle)
    prices_usd: np.ndarray
    missions: np.ndarray
    shadow_prices_usd: np.ndarray
    consumer_surplus_usd: float
    iterations: int
    residual: float


def clear_external_launch_market(
    providers: list[LaunchProvider],
    q: int,
    market_missions: float,
    alpha_per_usd_per_kg: float,
    controller_of: dict[str, str],
    reserved_launches: dict[tuple[str, str], float] | None = None,
) -> ExternalMarketOutcome:
    """Solve this quarter's external launch market; empty if no vehicle flies.

    Customers choose a vehicle for a mission by logit on the price per kg of the payload it
    typically delivers (``external_payload_kg``), so a small launcher and a heavy one compete on
    a common scale. A provider's objective in per-launch dollars weighs vehicle k's per-kg
    margin by ``m_k / m_j`` when pricing vehicle j, which enters the margin matrix as kappa.
    ``reserved_launches`` (per (provider, vehicle)) is capacity held back for the provider's own
    group (an integrated lab's orbital compute): the external market gets the rest.
    """
    reserved = reserved_launches or {}

    def free(p: LaunchProvider, v: VehicleState) -> float:
        return v.capacity_launches - reserved.get((p.name, v.name), 0.0)

    products: list[tuple[LaunchProvider, VehicleState]] = [
        (p, v) for p in providers for v in p.vehicles.values()
        if v.operational(q) and free(p, v) > 1e-9
    ]  # fmt: skip
    if not products or market_missions <= 0:
        z = np.zeros(len(products))
        return ExternalMarketOutcome([(p.name, v.name) for p, v in products], z, z, z, 0.0, 0, 0.0)
    delta = np.array([v.spec.mean_utility for _, v in products])
    mass = np.array([v.spec.external_payload_kg for _, v in products])
    cost_per_kg = np.array([v.unit_cost_usd() for _, v in products]) / mass
    owners = np.array([controller_of[p.name] for p, _ in products])
    kappa = np.where(owners[:, None] == owners[None, :], mass[None, :] / mass[:, None], 0.0)
    capacity = np.array([free(p, v) for p, v in products])
    eq = solve_prices(
        delta, alpha_per_usd_per_kg, cost_per_kg, kappa=kappa, capacities=capacity,
        market_size=market_missions,
    )  # fmt: skip
    return ExternalMarketOutcome(
        vehicles=[(p.name, v.name) for p, v in products],
        prices_usd=np.asarray(eq.prices) * mass,
        missions=np.minimum(np.asarray(eq.quantities), capacity),
        shadow_prices_usd=np.asarray(eq.shadow_prices) * mass,
        # eq.consumer_surplus is in (USD/kg) x missions: utility is on the price per delivered
        # kg, so one mission's surplus in USD is that times its payload; use the mission-weighted
        # mean payload of the missions bought.
        consumer_surplus_usd=float(eq.consumer_surplus) * _mean_mission_kg(eq.quantities, mass),
        iterations=int(eq.iterations),
        residual=float(eq.residual),
    )


def _mean_mission_kg(missions: np.ndarray, mass: np.ndarray) -> float:
    total = float(np.sum(missions))
    return float(np.dot(missions, mass) / total) if total > 0 else float(np.mean(mass))


def cheapest_vehicle_per_kg(provider: LaunchProvider, q: int) -> VehicleState | None:
    """The provider's operational vehicle with the lowest marginal cost per kg of capacity."""
    flying = [v for v in provider.vehicles.values() if v.operational(q) and v.capacity_launches > 0]
    if not flying:
        return None
    return min(flying, key=lambda v: v.unit_cost_usd() / v.spec.payload_capacity_kg)
