"""Mesa agents: state and their own decisions. Import only market.economics/physics/scenario."""

from spacemarket.agents.compute_firms import AILab, CloudProvider, ComputeHolder
from spacemarket.agents.launch_provider import LaunchProvider, VehicleState
from spacemarket.agents.rest_of_market import RestOfMarket

__all__ = [
    "AILab",
    "CloudProvider",
    "ComputeHolder",
    "LaunchProvider",
    "RestOfMarket",
    "VehicleState",
]
