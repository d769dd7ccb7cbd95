"""Settings the model tests share."""

from __future__ import annotations

import pytest


@pytest.fixture
def nova_at_scale() -> dict[str, object]:
    """Nova at scale (a hypothetical, for the mechanisms only): 30 t at $500/kg without
    learning, up to 1,500 t a quarter: a real outside option for OpenAI and a launcher worth
    controlling, dearer than Starship and too small to carry all its demand (a rival that
    could would cap SpaceX's price at its own opportunity cost whoever owns it: the threat of
    replacement). The baseline's 3 t Nova moves little either way."""
    return {
        "vehicles.nova.launch_cost_usd": 15e6,
        "vehicles.nova.cost_learning_rate": 0.0,
        "vehicles.nova.payload_capacity_kg": 30000,
        "vehicles.nova.max_launches_per_year": 200,
        "vehicles.nova.cadence_growth_per_year": 2.0,
    }
