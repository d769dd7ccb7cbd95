"""Scenarios: specs, TOML documents with ``extends`` and overrides, strategies, ``[game]`` tables.

The one load pipeline is :func:`load_scenario` (:mod:`spacemarket.market.scenario.load`):
resolve a preset or file, follow ``extends``, apply overrides and strategy transforms,
validate, return a :class:`Scenario`. Modules, each importing only those before it::

    spec           dataclasses, bounds, quarter helpers (no parsing)
    strategy_base  the strategy registry and base class
    strategies     the strategy catalogue (registered on import)
    game_spec      the [game] table
    parse          document -> Scenario (validation)
    documents      presets, extends and remove, catalogue references, key-path overrides
    toml_writer    a document back as TOML
    load           the pipeline: load_scenario, scenario_document, load_scenario_cached
"""

from spacemarket.market.scenario.documents import parse_override, resolved_document
from spacemarket.market.scenario.load import (
    apply_scenario_overrides,
    load_scenario,
    load_scenario_cached,
    preset_names,
    scenario_document,
)
from spacemarket.market.scenario.parse import parse_scenario
from spacemarket.market.scenario.spec import (
    CaptiveSpec,
    CloudSpec,
    ComputeSpec,
    ControlSpec,
    ExternalDemandSpec,
    LabSpec,
    ProviderSpec,
    Scenario,
    ScenarioError,
    StarlinkSpec,
    VehicleSpec,
    quarter_index,
    quarter_label,
)
from spacemarket.market.scenario.toml_writer import to_toml

__all__ = [
    "CaptiveSpec",
    "CloudSpec",
    "ComputeSpec",
    "ControlSpec",
    "ExternalDemandSpec",
    "LabSpec",
    "ProviderSpec",
    "Scenario",
    "ScenarioError",
    "StarlinkSpec",
    "VehicleSpec",
    "apply_scenario_overrides",
    "load_scenario",
    "load_scenario_cached",
    "parse_override",
    "parse_scenario",
    "preset_names",
    "quarter_index",
    "quarter_label",
    "resolved_document",
    "scenario_document",
    "to_toml",
]
