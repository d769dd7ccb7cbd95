"""Mesa agents: state and their own decisions. Import only market.economics/physics/scenario."""

from .compute_firms import AILab, CloudProvider, ComputeHolder
from .launch_provider import LaunchProvider, VehicleState
from .rest_of_market import RestOfMarket

__all__ = [
    "AILab",
    "CloudProvider",
    "ComputeHolder",
    "LaunchProvider",
    "RestOfMarket",
    "VehicleState",
]
