"""Scenario documents: presets, ``extends`` inheritance, catalogue references, ``--set`` key paths.

This module works on documents (dicts read from TOML), not on validated scenarios: the one
load pipeline that ends in a :class:`~spacemarket.market.scenario.spec.Scenario` is
:mod:`spacemarket.market.scenario.load`.

A scenario file may start from another with ``extends = "baseline-2026"`` (a preset name or a
path relative to the file). The child is merged over the parent: tables merge key by key,
arrays of tables (``[[vehicles]]``, ``[[labs]]``, ...) merge element by element on ``name``
(new names are appended), everything else is replaced. A child drops inherited elements with
``remove = ["vehicles.ariane-5"]`` (key paths as ``--set`` spells them). Files whose name starts
with ``_`` are shared bases (``_structure-2023``): ``extends`` reaches them, the preset list
does not show them. A vehicle record with ``catalog = "falcon-9"`` takes the fields it does not
set itself from that vehicle of the physics catalogue (:data:`CATALOG_FIELDS`), so a vehicle's
published data has one home. Overrides use dotted key paths, with
array elements selected by name: ``external_demand.growth_per_year=0.2``,
``vehicles.starship.first_flight="2028Q1"``. The merged document is then validated as a whole.

A child element whose name is not in the parent and that lacks required keys is taken for a
misspelt override, not a new element: ``[[vehicles]] name = "starshipp"`` with only a
``first_flight`` is rejected with "no vehicle 'starshipp' in baseline-2026; did you mean
'starship'?". The resolved document remembers which file gave each value
(:class:`ResolvedDocument`), so a validation error names that file.
"""

from __future__ import annotations

import copy
import dataclasses
import difflib
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

from spacemarket.market.physics.catalog import records as catalogue_records
from spacemarket.market.scenario.spec import ARRAYS, ScenarioError
from spacemarket.validation import element_key

__all__ = [
    "CATALOG_FIELDS",
    "ResolvedDocument",
    "apply_key_paths",
    "parse_override",
    "preset_names",
    "resolved_document",
]

_PRESETS = "spacemarket.market.data.scenarios"
_MAX_DEPTH = 16


_CATALOG_SOURCE = "spacemarket/market/data/launch_vehicles.toml"

#: Scenario vehicle field -> physics-catalogue field filled in by ``catalog = NAME``.
CATALOG_FIELDS = {
    "payload_capacity_kg": "payload_leo_kg",
    "list_price_usd": "list_price_usd",
    "launch_cost_usd": "reported_cost_per_flight_usd",
}


def _shipped() -> list[str]:
    root = resources.files(_PRESETS)
    return sorted(p.name[: -len(".toml")] for p in root.iterdir() if p.name.endswith(".toml"))


def preset_names() -> list[str]:
    """Names of the scenarios shipped in the package (shared bases, ``_name``, left out)."""
    return [n for n in _shipped() if not n.startswith("_")]


def _read(
    name_or_path: str | Path, base: Path | None = None
) -> tuple[dict[str, Any], str, Path | None]:
    """Parse a preset or file; return (document, source label, directory for relative extends)."""
    name = str(name_or_path)
    if name in _shipped():
        src = f"spacemarket/market/data/scenarios/{name}.toml"
        text = resources.files(_PRESETS).joinpath(f"{name}.toml").read_text(encoding="utf-8")
        directory = None
    else:
        path = Path(name)
        if not path.is_absolute() and base is not None:
            path = base / path
        src = str(path)
        try:
            is_file = path.is_file()
        except OSError:  # e.g. a name too long for the file system
            is_file = False
        if not is_file:
            raise ScenarioError(
                "scenario",
                f"no preset or file named {name!r} (presets: {', '.join(preset_names())})",
            )
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ScenarioError("scenario", f"cannot read {path}: {exc}") from None
        directory = path.parent
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError("toml", f"not valid TOML: {exc}", src) from None
    return doc, src, directory


class ResolvedDocument(dict):
    """A scenario document with ``extends`` merged in; ``origins`` maps key paths (as errors
    spell them: ``vehicles.starship.first_flight``, tables and elements included) to the file
    that gave the value. It survives ``copy.deepcopy`` and pickling; a plain ``dict`` made
    from it loses it (errors then name the top file only)."""

    origins: dict[str, str]

    def __init__(self, data: dict[str, Any], origins: dict[str, str]) -> None:
        super().__init__(data)
        self.origins = origins


def _mark(value: Any, key: str, src: str, origins: dict[str, str]) -> None:
    """Record ``src`` as the origin of ``key`` and of everything below it."""
    if key:
        for k in [k for k in origins if k.startswith(key) and k[len(key) : len(key) + 1] in
                  (".", "[")]:  # fmt: skip
            del origins[k]
        origins[key] = src
    _mark_below(value, key, src, origins)


def _mark_below(value: Any, key: str, src: str, origins: dict[str, str]) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            sub = f"{key}.{k}" if key else str(k)
            origins[sub] = src
            _mark_below(v, sub, src, origins)
    elif isinstance(value, list) and value and all(isinstance(x, dict) for x in value):
        for i, item in enumerate(value):
            sub = element_key(key, i, item)
            origins[sub] = src
            _mark_below(item, sub, src, origins)


#: What one element of each top-level array is called in messages.
_SINGULAR = {
    "providers": "provider",
    "vehicles": "vehicle",
    "captive": "captive market",
    "clouds": "cloud",
    "labs": "lab",
    "control": "control edge",
}


def _required(table: str) -> list[str]:
    return [
        f.name
        for f in dataclasses.fields(ARRAYS[table])
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]


def _did_you_mean(name: Any, known: list[Any]) -> str:
    close = difflib.get_close_matches(str(name), [str(n) for n in known if n is not None], n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _check_new_element(key: str, item: dict, known: list[Any], parent: str, src: str) -> None:
    """A child element not in the parent must be complete: an incomplete one is a misspelt
    override of a parent element (``starshipp`` for ``starship``), not a new element."""
    name = item.get("name")
    if key not in ARRAYS or not isinstance(name, str) or not known:
        return
    missing = [k for k in _required(key) if k not in item]
    if not missing:
        return
    what = _SINGULAR[key]
    raise ScenarioError(
        element_key(key, 0, item),
        f"no {what} {name!r} in {parent}{_did_you_mean(name, known)} (a new {what} also "
        f"needs {', '.join(missing)})",
        src,
    )


#: Tables a child scenario replaces whole instead of merging key by key: a game's players and
#: their payoff weights are one choice (a child naming two players plays a two-player game).
_REPLACED_TABLES = ("game.players", "game.payoff_firms")


def _merge(
    parent: Any, child: Any, key: str, src: str, origins: dict[str, str], parent_name: str
) -> Any:
    if key in _REPLACED_TABLES:
        _mark(child, key, src, origins)
        return child
    if isinstance(parent, dict) and isinstance(child, dict):
        out = dict(parent)
        for k, v in child.items():
            sub = f"{key}.{k}" if key else k
            if k in parent:
                out[k] = _merge(parent[k], v, sub, src, origins, parent_name)
            else:
                out[k] = v
                _mark(v, sub, src, origins)
        return out
    if (
        isinstance(parent, list)
        and isinstance(child, list)
        and all(isinstance(x, dict) for x in parent + child)
    ):
        out = [dict(x) for x in parent]
        names = [x.get("name") for x in out]
        for item in child:
            name = item.get("name")
            if name is not None and name in names:
                i = names.index(name)
                out[i] = _merge(
                    out[i], item, element_key(key, i, out[i]), src, origins, parent_name
                )
            else:
                _check_new_element(key, item, names, parent_name, src)
                out.append(item)
                _mark(item, element_key(key, len(out) - 1, item), src, origins)
        return out
    _mark(child, key, src, origins)
    return child


def _fill_from_catalogue(doc: dict[str, Any], src: str) -> list[str]:
    """Fill each ``catalog = NAME`` vehicle's unset :data:`CATALOG_FIELDS` from the physics
    catalogue, in place; return the key paths filled."""
    vehicles = doc.get("vehicles")
    if not isinstance(vehicles, list):
        return []
    filled = []
    for i, item in enumerate(vehicles):
        if not isinstance(item, dict) or item.get("catalog", "") == "":  # "": no reference
            continue
        key = f"{element_key('vehicles', i, item)}.catalog"
        name, known = item["catalog"], catalogue_records("vehicle")
        if not isinstance(name, str) or name not in known:
            raise ScenarioError(
                key,
                f"no vehicle {name!r} in {_CATALOG_SOURCE}{_did_you_mean(name, list(known))}",
                src,
            )
        for field, catalogue_field in CATALOG_FIELDS.items():
            value = getattr(known[name], catalogue_field)
            if field not in item and value is not None:
                item[field] = value
                filled.append(f"{element_key('vehicles', i, item)}.{field}")
    return filled


def _without_removed(
    parent: ResolvedDocument, paths: Any, parent_name: str, src: str
) -> ResolvedDocument:
    """The parent without the elements a child's ``remove = ["table.name", ...]`` names."""
    if not isinstance(paths, list) or not all(isinstance(p, str) for p in paths):
        raise ScenarioError(
            "remove", 'expected a list of key paths, e.g. ["vehicles.ariane-5"]', src
        )
    data, origins = dict(parent), dict(parent.origins)
    for path in paths:
        table, _, name = path.partition(".")
        if table not in ARRAYS or not name:
            raise ScenarioError("remove", f"{path!r} is not TABLE.NAME ({', '.join(ARRAYS)})", src)
        names = [x.get("name") for x in data.get(table, [])]
        if name not in names:
            what = _SINGULAR[table]
            raise ScenarioError(
                "remove", f"no {what} {name!r} in {parent_name}{_did_you_mean(name, names)}", src
            )
        data[table] = [x for x in data[table] if x.get("name") != name]
        for k in [k for k in origins if k == path or k.startswith(f"{path}.")]:
            del origins[k]
    return ResolvedDocument(data, origins)


def resolved_document(
    name_or_path: str | Path, _depth: int = 0, _base: Path | None = None, _chain: tuple = ()
) -> tuple[ResolvedDocument, str]:
    """The scenario document with every ``extends`` merged in (not yet validated)."""
    doc, src, directory = _read(name_or_path, _base)
    if src in _chain or _depth > _MAX_DEPTH:  # named in the file whose extends closes it
        what = "a cycle" if src in _chain else f"more than {_MAX_DEPTH} levels"
        raise ScenarioError("extends", f"{what}: {' -> '.join([*_chain, src])}", _chain[-1])
    parent_name = doc.pop("extends", None)
    removed = doc.pop("remove", None)
    filled = _fill_from_catalogue(doc, src)
    if parent_name is None:
        if removed is not None:
            raise ScenarioError("remove", "removes from the scenario it extends; no extends", src)
        origins: dict[str, str] = {}
        _mark(doc, "", src, origins)
        origins.update(dict.fromkeys(filled, _CATALOG_SOURCE))
        return ResolvedDocument(doc, origins), src
    if not isinstance(parent_name, str):
        raise ScenarioError("extends", "expected a preset name or a path", src)
    try:
        parent, _ = resolved_document(parent_name, _depth + 1, directory, (*_chain, src))
    except ScenarioError as exc:
        if exc.source:  # an error inside the parent names the parent's file
            raise
        raise ScenarioError("extends", exc.reason, src) from None  # the parent is not found
    if removed is not None:
        parent = _without_removed(parent, removed, parent_name, src)
    origins = dict(parent.origins)
    merged = _merge(parent, doc, "", src, origins, parent_name)
    origins.update(dict.fromkeys(filled, _CATALOG_SOURCE))
    return ResolvedDocument(merged, origins), src


def parse_override(text: str) -> tuple[str, Any]:
    """Parse ``path.to.key=value``; the value is read as TOML, else kept as a string.

    Examples
    --------
    >>> parse_override("external_demand.growth_per_year=0.2")
    ('external_demand.growth_per_year', 0.2)
    >>> parse_override("vehicles.starship.first_flight=2028Q1")
    ('vehicles.starship.first_flight', '2028Q1')
    """
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ScenarioError("--set", f"expected path.to.key=value, got {text!r}")
    try:
        value = tomllib.loads(f"v = {raw.strip()}")["v"]
    except tomllib.TOMLDecodeError:
        value = raw.strip()
    return key, value


def apply_key_paths(
    doc: dict[str, Any], overrides: dict[str, Any], src: str = ""
) -> tuple[dict[str, Any], dict[str, str]]:
    """A copy of ``doc`` with dotted-path ``overrides`` set (arrays addressed by name), and the
    strategy profile the overrides select (keys ``strategy.PLAYER``, values strategy names;
    applied by :func:`spacemarket.market.scenario.load.apply_scenario_overrides`).

    Examples
    --------
    >>> doc, profile = apply_key_paths({"a": {"b": 1}}, {"a.b": 2, "strategy.OpenAI": "x"})
    >>> doc, profile
    ({'a': {'b': 2}}, {'OpenAI': 'x'})
    """
    out = copy.deepcopy(doc)
    origins = getattr(out, "origins", None)
    profile: dict[str, str] = {}
    for path, value in overrides.items():
        if path.startswith("strategy."):
            player = path[len("strategy.") :]
            if not isinstance(value, str):
                raise ScenarioError(path, f"expected a strategy name, got {value!r}", src)
            profile[player] = value
            continue
        parts = path.split(".")
        node: Any = out
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            here = ".".join(parts[: i + 1])
            if isinstance(node, list):
                match = [x for x in node if isinstance(x, dict) and x.get("name") == part]
                if not match:
                    known = [x.get("name") for x in node if isinstance(x, dict)]
                    names = ", ".join(str(n) for n in known)
                    raise ScenarioError(
                        here,
                        f"no element named {part!r}{_did_you_mean(part, known)} (known: {names})",
                        src,
                    )
                if last:
                    raise ScenarioError(here, "cannot replace a whole array element", src)
                node = match[0]
            elif isinstance(node, dict):
                if last:
                    node[part] = value
                    if isinstance(origins, dict):  # the value now comes from the caller
                        _mark(value, path, src, origins)
                elif part in node:
                    node = node[part]
                else:
                    raise ScenarioError(here, "unknown key", src)
            else:
                raise ScenarioError(here, "is not a table", src)
    return out, profile
