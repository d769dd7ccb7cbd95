"""Market layers: physics, economics, scenarios and the Mesa model.

``SpaceMarket``, ``load_scenario`` and ``run_scenario`` are importable from here (loaded
lazily so the numerical core can be imported without Mesa).
"""

from typing import Any

__all__ = ["ScenarioResult", "SpaceMarket", "load_scenario", "run_scenario"]


def __getattr__(name: str) -> Any:
    if name == "SpaceMarket":
        from .model import SpaceMarket

        return SpaceMarket
    if name == "load_scenario":
        from .scenario import load_scenario

        return load_scenario
    if name in ("run_scenario", "ScenarioResult"):
        from . import results

        return getattr(results, name)
    raise AttributeError(f"module 'spacemarket.market' has no attribute {name!r}")
