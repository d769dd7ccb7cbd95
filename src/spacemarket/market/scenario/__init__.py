"""Scenarios: specs, TOML files with ``extends`` and overrides, strategies, ``[game]`` tables.

The one load pipeline is :func:`load_scenario`: resolve a preset or file, follow ``extends``,
apply overrides and strategy transforms, validate, return a :class:`Scenario`.
"""

from spacemarket.market.scenario.spec import (
    CaptiveSpec,
    ComputeSpec,
    ControlSpec,
    ExternalDemandSpec,
    LabSpec,
    ProviderSpec,
    Scenario,
    ScenarioError,
    StarlinkSpec,
    VehicleSpec,
    load_scenario,
    parse_scenario,
    preset_names,
    quarter_index,
    quarter_label,
)

__all__ = [
    "CaptiveSpec",
    "ComputeSpec",
    "ControlSpec",
    "ExternalDemandSpec",
    "LabSpec",
    "ProviderSpec",
    "Scenario",
    "ScenarioError",
    "StarlinkSpec",
    "VehicleSpec",
    "load_scenario",
    "parse_scenario",
    "preset_names",
    "quarter_index",
    "quarter_label",
]
