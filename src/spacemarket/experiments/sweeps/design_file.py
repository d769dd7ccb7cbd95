"""Reading a design file: TOML, parsed strictly, then checked against its base scenario.

:func:`load_design` raises :class:`~spacemarket.errors.DesignError` naming the key and the file
for anything wrong, before any run starts: the file's own keys and values
(:func:`~spacemarket.experiments.sweeps.design.parse_design`), and every key path and value
the design sets, applied to the base scenario and validated as the scenario would be
(:func:`validate_against_scenario`).
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

from spacemarket.errors import DesignError
from spacemarket.experiments.sweeps.design import Design, format_value, parse_design
from spacemarket.market.scenario import (
    ScenarioError,
    apply_scenario_overrides,
    parse_scenario,
    scenario_document,
)
from spacemarket.validation import quote_key

__all__ = ["load_design", "validate_against_scenario"]


# --------------------------------------------------------------------------- scenario checks


def validate_against_scenario(design: Design) -> Any:
    """Check the base scenario, ``steps`` and every key path and value; return the scenario.

    Each uncertainty is applied at its low and at its high value, each policy with all its
    settings, each to the base scenario alone, and the result validated as a scenario would
    be. Combinations (a policy with a sampled value) are not checked here: a combination the
    scenario rejects fails at run time and is recorded as an error run.
    """
    src = design.source
    try:
        doc, scen_src = scenario_document(design.scenario_ref)
        base = parse_scenario(doc, scen_src)
    except ScenarioError as exc:
        raise DesignError(
            "scenario", f"{design.scenario!r} is not a valid scenario: {exc}", src
        ) from None
    n = base.n_quarters
    if design.steps is not None and design.steps > n:
        raise DesignError(
            "steps",
            f"must be at most {n} (scenario {base.name} runs {base.start} to {base.end}), "
            f"got {design.steps}",
            src,
        )

    def check(overrides: dict[str, Any], key: str) -> None:
        try:
            parse_scenario(apply_scenario_overrides(doc, overrides, scen_src), scen_src)
        except ScenarioError as exc:
            hint = ""
            if "expected an integer" in exc.reason and key.startswith("uncertainties"):
                hint = ' (use kind = "int")'
            shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in exc.key)
            raise DesignError(
                key,
                f"rejected by scenario {base.name} ({scen_src}): {shown}: {exc.reason}{hint}",
                src,
            ) from None

    for u in design.uncertainties:
        for name in ("low", "high"):
            check({u.key: getattr(u, name)}, f"uncertainties.{quote_key(u.key)}.{name}")
    seen: set[tuple[str, str]] = set()
    for p in design.policies:
        if p.origin == "levers":
            for key, value in p.settings.items():
                if (key, json.dumps(value)) not in seen:
                    seen.add((key, json.dumps(value)))
                    check({key: value}, f"levers.{quote_key(key)} = {format_value(value)}")
        elif p.settings:
            check(p.settings, p.origin)
    return base


def load_design(path: str | Path) -> Design:
    """Read, parse and fully validate a design file (scenario checks included)."""
    p = Path(path)
    src = str(p)
    if not p.is_file():
        raise DesignError("design", f"no such file: {src}")
    try:
        doc = tomllib.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise DesignError("design", f"cannot read the file: {exc}", src) from None
    except tomllib.TOMLDecodeError as exc:
        raise DesignError("toml", f"not valid TOML: {exc}", src) from None
    design = parse_design(doc, src)
    validate_against_scenario(design)
    return design
