"""The one scenario load pipeline.

resolve a preset or file -> merge ``extends`` -> apply overrides (dotted key paths) -> apply the
strategy profile the overrides select (``strategy.PLAYER = NAME``) -> validate -> :class:`Scenario`.

- :func:`load_scenario` runs it all;
- :func:`scenario_document` stops before validation, for callers that need the document
  (``spacemarket scenarios show``, design validation, sweep workers); :func:`parse_scenario`
  (from :mod:`spacemarket.market.scenario.parse`) finishes it;
- :func:`load_scenario_cached` is :func:`load_scenario` cached per process on (file, its
  modification time and size, overrides): the runs of one sweep policy differ only in the seed,
  and the model never mutates its scenario.

Module order of the package (imports go down only)::

    spec -> strategy_base -> strategies -> game_spec -> parse -> documents -> load

Examples
--------
>>> s = load_scenario("backtest-2023")
>>> s.start, s.n_quarters
('2023Q1', 12)
>>> s = load_scenario("backtest-2023", {"external_demand.growth_per_year": 0.2})
>>> s.external_demand.growth_per_year
0.2
>>> doc, src = scenario_document("backtest-2023", {"strategy.OpenAI": "independent"})
>>> parse_scenario(doc, src) == load_scenario("backtest-2023")
True
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

from spacemarket.market.scenario.documents import (
    ResolvedDocument,
    apply_key_paths,
    preset_names,
    resolved_document,
)
from spacemarket.market.scenario.parse import parse_scenario
from spacemarket.market.scenario.spec import Scenario
from spacemarket.market.scenario.strategies import apply_profile  # the catalogue, registered

__all__ = [
    "apply_scenario_overrides",
    "load_scenario",
    "load_scenario_cached",
    "parse_scenario",
    "preset_names",
    "scenario_document",
]


def apply_scenario_overrides(
    doc: dict[str, Any], overrides: dict[str, Any], src: str = ""
) -> dict[str, Any]:
    """A copy of ``doc`` with ``overrides`` applied: dotted key paths first (arrays addressed by
    name), then the strategies selected by ``strategy.PLAYER`` keys
    (:mod:`spacemarket.market.scenario.strategies`)."""
    out, profile = apply_key_paths(doc, overrides, src)
    return apply_profile(out, profile, src) if profile else out


def scenario_document(
    name_or_path: str | Path, overrides: dict[str, Any] | None = None
) -> tuple[ResolvedDocument | dict[str, Any], str]:
    """The scenario document (``extends`` merged, ``overrides`` and strategies applied, not yet
    validated) and its source label; :func:`parse_scenario` validates it."""
    doc, src = resolved_document(name_or_path)
    if overrides:
        return apply_scenario_overrides(doc, overrides, src), src
    return doc, src


def load_scenario(name_or_path: str | Path, overrides: dict[str, Any] | None = None) -> Scenario:
    """Load a preset by name or a TOML file by path: resolve, merge ``extends``, apply
    ``overrides`` and strategies, validate."""
    return parse_scenario(*scenario_document(name_or_path, overrides))


def _stamp(ref: str) -> tuple[int, int] | None:
    try:
        st = Path(ref).stat()
    except (OSError, ValueError):
        return None
    return (st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=8)
def _base_document(ref: str, stamp: tuple[int, int] | None) -> tuple[dict, str]:
    del stamp  # part of the cache key only: a changed file is read again
    return resolved_document(ref)


@functools.lru_cache(maxsize=64)
def _parsed(ref: str, stamp: tuple[int, int] | None, overrides_json: str) -> Scenario:
    doc, src = _base_document(ref, stamp)
    overrides = json.loads(overrides_json)  # applied even when empty: a copy, not the cache
    return parse_scenario(apply_scenario_overrides(doc, overrides, src), src)


def load_scenario_cached(
    name_or_path: str | Path, overrides: dict[str, Any] | None = None
) -> Scenario:
    """:func:`load_scenario`, cached per process on (file, mtime and size, overrides).

    Overrides must be JSON-serialisable (as a sweep's are). The returned scenario is shared
    between callers: it is frozen, and the model does not mutate it.
    """
    ref = str(name_or_path)
    return _parsed(ref, _stamp(ref), json.dumps(overrides or {}, sort_keys=True))
