"""``spacemarket scenarios list|show``: the shipped presets and fully resolved scenarios.

``show`` prints what a run would use: the file with every ``extends`` merged in and every
``--set path.to.key=value`` applied, validated, as TOML (which ``spacemarket run`` accepts
back) or as JSON. ``--defaults`` also writes the fields the file leaves at their defaults.
A bad scenario or override exits with code 2 and one line naming the key path and the file.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import re
from typing import Any

from spacemarket.market.scenario import (
    Scenario,
    ScenarioError,
    load_scenario,
    parse_override,
    parse_scenario,
    preset_names,
    scenario_document,
    to_toml,
)

__all__ = [
    "add_scenarios_parser",
    "add_set_argument",
    "cmd_scenarios_list",
    "cmd_scenarios_show",
    "document_with_defaults",
    "parse_overrides",
    "resolve",
]

_INDEXED = re.compile(r"^(.+)\[(\d+)\]$")


def add_set_argument(parser: argparse.ArgumentParser) -> None:
    """Add the repeatable ``--set path.to.key=value`` option (dest ``overrides``)."""
    parser.add_argument(
        "--set",
        dest="overrides",
        action="append",
        default=[],
        metavar="PATH=VALUE",
        help=(
            "override one scenario value (repeatable); VALUE is read as TOML, else as a string; "
            "array elements by name: --set vehicles.starship.first_flight=2028Q1, "
            "--set external_demand.growth_per_year=0.2"
        ),
    )


def parse_overrides(items: list[str] | None) -> dict[str, Any]:
    """``["a.b=1", ...]`` -> ``{"a.b": 1, ...}`` (a later ``--set`` of the same path wins)."""
    out: dict[str, Any] = {}
    for item in items or []:
        key, value = parse_override(item)
        out[key] = value
    return out


def _named_path(doc: dict[str, Any], key: str) -> str:
    """``vehicles[11].reliability`` -> ``vehicles.starship.reliability`` (the --set spelling)."""
    parts, node = [], doc
    for part in key.split("."):
        m = _INDEXED.match(part)
        if m is None:
            parts.append(part)
            node = node.get(part) if isinstance(node, dict) else None
            continue
        name, i = m.group(1), int(m.group(2))
        items = node.get(name) if isinstance(node, dict) else None
        item = items[i] if isinstance(items, list) and i < len(items) else None
        label = item.get("name") if isinstance(item, dict) else None
        parts += [name, str(label) if isinstance(label, str) else f"[{i}]"]
        node = item
    return ".".join(parts)


def resolve(name_or_path: str, overrides: dict[str, Any] | None = None) -> tuple[dict, Scenario]:
    """The resolved document (extends merged, overrides applied) and its validated Scenario.

    A validation error on a value that came from ``overrides`` says so.
    """
    doc, src = scenario_document(name_or_path, overrides)
    if not overrides:
        return doc, parse_scenario(doc, src)
    try:
        return doc, parse_scenario(doc, src)
    except ScenarioError as exc:
        named = _named_path(doc, exc.key)
        hit = [k for k in overrides if named == k or named.startswith(k + ".")]
        if not hit:
            raise
        given = f"--set {hit[0]}={json.dumps(overrides[hit[0]])}"
        raise ScenarioError(exc.key, f"{exc.reason} (value from {given})", exc.source) from None


def document_with_defaults(scenario: Scenario) -> dict[str, Any]:
    """Every field of a validated scenario, defaults included, as a TOML-ready document."""
    doc = dataclasses.asdict(scenario)
    doc.pop("source_file", None)
    doc.pop("game", None)
    if scenario.game is not None:
        doc["game"] = scenario.game.to_document()
    return doc


def add_scenarios_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``scenarios list`` and ``scenarios show``."""
    p = sub.add_parser(
        "scenarios",
        help="list the preset scenarios or print one fully resolved",
        description="List the scenarios shipped with spacemarket, or print one fully resolved.",
    )
    inner = p.add_subparsers(dest="scenarios_command", required=True, metavar="ACTION")
    lst = inner.add_parser("list", help="presets with their period and description")
    lst.set_defaults(func=cmd_scenarios_list)
    show = inner.add_parser(
        "show",
        help="print a scenario with extends merged and overrides applied (TOML or JSON)",
        description=(
            "Print SCENARIO (a preset name or a TOML file) as a run would use it: every "
            "'extends' merged in, every --set applied, validated. The TOML output can be saved "
            "and passed to 'spacemarket run'."
        ),
    )
    show.add_argument("scenario", metavar="NAME_OR_PATH", help="preset name or TOML file")
    add_set_argument(show)
    show.add_argument("--json", action="store_true", help="print JSON instead of TOML")
    show.add_argument(
        "--defaults",
        action="store_true",
        help="also print the fields the file leaves at their default values",
    )
    show.set_defaults(func=cmd_scenarios_show)


def cmd_scenarios_list(args: argparse.Namespace) -> int:
    rows = []
    for name in preset_names():
        s = load_scenario(name)
        rows.append((name, f"{s.start}-{s.end}", f"{s.n_quarters} quarters", s.description))
    if not rows:
        print("no preset scenarios found")
        return 0
    w0 = max(len(r[0]) for r in rows)
    w1 = max(len(r[1]) for r in rows)
    w2 = max(len(r[2]) for r in rows)
    print(f"{'name':<{w0}}  {'period':<{w1}}  {'steps':<{w2}}  description")
    for name, period, steps, desc in rows:
        print(f"{name:<{w0}}  {period:<{w1}}  {steps:<{w2}}  {desc}")
    print("\nshow one with: spacemarket scenarios show NAME [--set path.to.key=value ...]")
    return 0


def cmd_scenarios_show(args: argparse.Namespace) -> int:
    overrides = parse_overrides(args.overrides)
    doc, scenario = resolve(args.scenario, overrides)
    if args.defaults:
        doc = document_with_defaults(scenario)
    if args.json:
        print(json.dumps(doc, indent=2, ensure_ascii=False, allow_nan=False))
    else:
        text = to_toml(doc)
        header = f"# resolved from {scenario.source_file}"
        if overrides:
            header += "\n# with " + " ".join(
                f"--set {k}={json.dumps(v)}" for k, v in overrides.items()
            )
        print(header + "\n" + text, end="")
    return 0
