"""Experimental designs: uncertainties x policies x replications, read from a TOML file.

A design names a base scenario, the uncertainties to sample (Latin hypercube or Sobol over
ranges of scenario parameters addressed by dotted key paths), the policies to compare
(explicit named sets of overrides and/or a full factorial over lever values), the number of
replications and one root seed. :func:`parse_design` validates a parsed file strictly, the way
scenarios are validated: an unknown key, a wrong type or an out-of-range value raises
:class:`DesignError` naming the key and the file, before anything runs;
:func:`~spacemarket.experiments.sweeps.design_file.load_design` reads the file and also checks
every key path against the base scenario; :func:`~spacemarket.experiments.sweeps.plan.build_plan`
expands a design into one row per run.

Seeds and the plan: :mod:`spacemarket.experiments.sweeps.plan`.
"""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spacemarket.errors import DesignError
from spacemarket.experiments.sweeps.outcomes import OUTCOMES
from spacemarket.market.scenario import (
    preset_names,
    quarter_index,
    quarter_label,
)
from spacemarket.validation import (
    bounded,
    check_keys,
    check_value,
    finite,
    quote_key,
    type_name,
)

__all__ = [
    "PLAN_COLUMNS",
    "Design",
    "DesignError",
    "Policy",
    "Uncertainty",
    "format_value",
    "parse_design",
]

METHODS = ("lhs", "sobol", "none")
KINDS = ("float", "int", "quarter")
#: Plan columns before the uncertainty columns; ``policy_settings`` comes after them.
PLAN_COLUMNS = ("run_id", "sample", "policy", "replication", "seed_entropy", "spawn_key")
_TOP_KEYS = {
    "scenario": "a preset name or a path to a scenario TOML file",
    "description": "free text",
    "steps": "quarters per run",
    "replications": "runs per (sample, policy) with different seeds",
    "root_seed": "the root of every seed",
    "outcomes": "outcome names",
    "sampling": "[sampling] method and samples",
    "uncertainties": '[uncertainties."key.path"] ranges',
    "policies": "[[policies]] name and set",
    "levers": '[levers] "key.path" = [values]',
}
_MAX_RUNS = 10_000_000


@dataclass(frozen=True)
class Uncertainty:
    """A scenario parameter sampled over ``[low, high]``.

    ``kind`` is ``"float"`` (uniform on the interval), ``"int"`` or ``"quarter"`` (uniform on
    the integers, or the quarters, from ``low`` to ``high`` inclusive; quarters are labels like
    ``"2027Q1"``).
    """

    key: str
    low: float | int | str
    high: float | int | str
    kind: str = "float"

    def value(self, u: float) -> float | int | str:
        """The parameter value at the unit-interval coordinate ``u`` in [0, 1)."""
        if self.kind == "float":
            return float(self.low) + float(u) * (float(self.high) - float(self.low))
        lo, hi = (
            (quarter_index(self.low), quarter_index(self.high))
            if self.kind == "quarter"
            else (int(self.low), int(self.high))
        )
        k = min(hi, lo + math.floor(float(u) * (hi - lo + 1)))
        return quarter_label(k) if self.kind == "quarter" else int(k)


@dataclass(frozen=True)
class Policy:
    """A named set of scenario overrides (``{"dotted.key.path": value}``)."""

    name: str
    settings: dict[str, Any] = field(default_factory=dict)
    #: Where the policy comes from in the design file (for error messages).
    origin: str = ""

    def settings_json(self) -> str:
        """The settings as canonical JSON (sorted keys, compact)."""
        return json.dumps(self.settings, sort_keys=True, separators=(",", ":"))


@dataclass(frozen=True)
class Design:
    """A validated experimental design (see the module docstring)."""

    source: str
    scenario: str
    scenario_ref: str
    steps: int | None
    replications: int
    root_seed: int
    outcomes: tuple[str, ...]
    method: str
    samples: int
    uncertainties: tuple[Uncertainty, ...]
    policies: tuple[Policy, ...]
    description: str = ""

    @property
    def n_runs(self) -> int:
        """Samples x policies x replications."""
        return self.samples * len(self.policies) * self.replications


# --------------------------------------------------------------------------- parsing


def _integer(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


def _int(raw: dict, name: str, src: str, low: int, default: int | None = None) -> int | None:
    if name not in raw:
        return default
    return check_value(name, raw[name], int, bounded(low), src, DesignError)


def _nested_hint(value: Any) -> str:
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        return ' (quote the whole key path, e.g. [uncertainties."compute.grid_delay_quarters"])'
    return ""


def _parse_uncertainty(key: str, raw: Any, src: str) -> Uncertainty:
    path = f"uncertainties.{quote_key(key)}"
    if not isinstance(raw, dict):
        raise DesignError(path, f"expected a table with low and high, got {type_name(raw)}", src)
    if "low" not in raw and "high" not in raw and _nested_hint(raw):
        raise DesignError(path, "expected a table with low and high" + _nested_hint(raw), src)
    check_keys(raw, ("low", "high", "kind"), path, src, DesignError, quote=True)
    kind = raw.get("kind", "float")
    if kind not in KINDS:
        raise DesignError(f"{path}.kind", f"must be one of {', '.join(KINDS)}, got {kind!r}", src)
    bounds = []
    for name in ("low", "high"):
        if name not in raw:
            raise DesignError(f"{path}.{name}", "missing required key", src)
        v = raw[name]
        if kind == "float":
            if not _number(v):
                raise DesignError(f"{path}.{name}", f"expected a number, got {type_name(v)}", src)
            v = finite(f"{path}.{name}", v, src, DesignError)
        elif kind == "int":
            if not _integer(v):
                raise DesignError(
                    f"{path}.{name}", f'expected an integer (kind = "int"), got {v!r}', src
                )
        else:
            try:
                quarter_index(v)
            except ValueError:
                raise DesignError(
                    f"{path}.{name}", f'expected a quarter like "2027Q1", got {v!r}', src
                ) from None
        bounds.append(v)
    lo, hi = bounds
    order = (lambda x: quarter_index(x)) if kind == "quarter" else (lambda x: x)
    if order(lo) > order(hi) or (kind == "float" and lo == hi):
        raise DesignError(f"{path}.high", f"must be above low ({lo!r}), got {hi!r}", src)
    return Uncertainty(key, lo, hi, kind)


def _scalar(value: Any, path: str, src: str) -> Any:
    if isinstance(value, bool | str) or _number(value):
        if isinstance(value, float):
            finite(path, value, src, DesignError)
        return value
    hint = ""
    if isinstance(value, dict):
        hint = ' (quote the whole key path, e.g. "compute.launch_bargaining_weight" = 0.5)'
    raise DesignError(
        path, f"expected a number, string or boolean, got {type_name(value)}{hint}", src
    )


def _parse_policies(doc: dict, src: str) -> list[Policy]:
    raw = doc.get("policies", [])
    if not isinstance(raw, list) or not all(isinstance(p, dict) for p in raw):
        raise DesignError("policies", "expected an array of tables ([[policies]])", src)
    out: list[Policy] = []
    for i, p in enumerate(raw):
        path = f"policies[{i}]"
        check_keys(p, ("name", "set", "description"), path, src, DesignError, quote=True)
        name = p.get("name")
        if not isinstance(name, str) or not name.strip():
            raise DesignError(f"{path}.name", "expected a non-empty string", src)
        settings = p.get("set", {})
        if not isinstance(settings, dict):
            raise DesignError(f"{path}.set", f"expected a table, got {type_name(settings)}", src)
        clean = {k: _scalar(v, f"{path}.set.{quote_key(k)}", src) for k, v in settings.items()}
        out.append(Policy(name, clean, origin=f"{path}.set"))
    levers = doc.get("levers", {})
    if not isinstance(levers, dict):
        raise DesignError("levers", f"expected a table, got {type_name(levers)}", src)
    axes = []
    for key, values in levers.items():
        path = f"levers.{quote_key(key)}"
        if not isinstance(values, list) or not values:
            hint = ""
            if isinstance(values, dict):
                hint = ' (quote the whole key path: "compute.launch_bargaining_weight" = [...])'
            raise DesignError(path, "expected a non-empty array of values" + hint, src)
        vals = [_scalar(v, f"{path}[{j}]", src) for j, v in enumerate(values)]
        if len({json.dumps(v) for v in vals}) != len(vals):
            raise DesignError(path, "repeated value", src)
        axes.append([(key, v) for v in vals])
    for combo in itertools.product(*axes) if axes else []:
        name = ",".join(f"{k}={format_value(v)}" for k, v in combo)
        out.append(Policy(name, dict(combo), origin="levers"))
    if not out:
        out.append(Policy("base", {}))
    names = [p.name for p in out]
    for n in names:
        if names.count(n) > 1:
            raise DesignError("policies", f"duplicate policy name {n!r}", src)
    return out


def format_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return repr(v) if isinstance(v, float) else str(v)


def _resolve_scenario(value: str, src: str) -> str:
    if value in preset_names():
        return value
    try:
        path = Path(value)
        if not path.is_absolute():
            path = Path(src).resolve().parent / path
        return str(path.resolve())
    except (OSError, ValueError) as exc:
        raise DesignError("scenario", f"not a usable path: {exc}", src) from None


def parse_design(doc: dict[str, Any], source: str | Path) -> Design:
    """Validate a parsed design document (structure only; see :func:`load_design`)."""
    src = str(source)
    if not isinstance(doc, dict):
        raise DesignError("design", "expected a TOML table", src)
    check_keys(doc, _TOP_KEYS, "", src, DesignError, quote=True)
    scenario = doc.get("scenario")
    if scenario is None:
        raise DesignError("scenario", "missing required key", src)
    if not isinstance(scenario, str) or not scenario:
        raise DesignError("scenario", f"expected a preset name or a path, got {scenario!r}", src)
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise DesignError("description", f"expected a string, got {type_name(description)}", src)
    steps = _int(doc, "steps", src, 1)
    replications = _int(doc, "replications", src, 1, default=1)
    if "root_seed" not in doc:
        raise DesignError("root_seed", "missing required key (an integer >= 0)", src)
    root_seed = _int(doc, "root_seed", src, 0)
    outcomes = doc.get("outcomes")
    if outcomes is None:
        raise DesignError("outcomes", f"missing required key (known: {', '.join(OUTCOMES)})", src)
    if not isinstance(outcomes, list) or not outcomes:
        raise DesignError("outcomes", "expected a non-empty array of outcome names", src)
    for i, name in enumerate(outcomes):
        if not isinstance(name, str) or name not in OUTCOMES:
            raise DesignError(
                f"outcomes[{i}]", f"unknown outcome {name!r} (known: {', '.join(OUTCOMES)})", src
            )
        if outcomes.index(name) != i:
            raise DesignError(f"outcomes[{i}]", f"repeated outcome {name!r}", src)

    raw_unc = doc.get("uncertainties", {})
    if not isinstance(raw_unc, dict):
        raise DesignError("uncertainties", f"expected a table, got {type_name(raw_unc)}", src)
    uncertainties = tuple(_parse_uncertainty(k, v, src) for k, v in raw_unc.items())

    sampling = doc.get("sampling", {})
    if not isinstance(sampling, dict):
        raise DesignError("sampling", f"expected a table, got {type_name(sampling)}", src)
    check_keys(sampling, ("method", "samples"), "sampling", src, DesignError, quote=True)
    method = sampling.get("method", "lhs" if uncertainties else "none")
    if method not in METHODS:
        raise DesignError(
            "sampling.method", f"must be one of {', '.join(METHODS)}, got {method!r}", src
        )
    if method == "none":
        if uncertainties:
            raise DesignError(
                "sampling.method", '"none" samples nothing, but uncertainties are given', src
            )
        samples = _int(sampling, "samples", src, 1, default=1)
        if samples != 1:
            raise DesignError("sampling.samples", 'must be 1 (or absent) with method "none"', src)
    else:
        if not uncertainties:
            raise DesignError("sampling.method", f"{method!r} needs at least one uncertainty", src)
        if "samples" not in sampling:
            raise DesignError("sampling.samples", "missing required key", src)
        v = sampling["samples"]
        if not _integer(v) or v < 1:
            raise DesignError("sampling.samples", f"expected an integer >= 1, got {v!r}", src)
        if method == "sobol" and v & (v - 1):
            raise DesignError(
                "sampling.samples", f"Sobol samples must be a power of two, got {v}", src
            )
        samples = v

    policies = tuple(_parse_policies(doc, src))
    unc_keys = {u.key for u in uncertainties}
    for p in policies:
        for key in p.settings:
            if key in unc_keys:
                where = (
                    f"{p.origin}.{quote_key(key)}"
                    if p.origin != "levers"
                    else f"levers.{quote_key(key)}"
                )
                raise DesignError(where, "is also an uncertainty; sample it or set it", src)
    reserved = {*PLAN_COLUMNS, "policy_settings", "status", *OUTCOMES}
    for u in uncertainties:
        if u.key in reserved:
            raise DesignError(f"uncertainties.{quote_key(u.key)}", "is a reserved column name", src)
    design = Design(
        source=src,
        scenario=scenario,
        scenario_ref=_resolve_scenario(scenario, src),
        steps=steps,
        replications=replications,
        root_seed=root_seed,
        outcomes=tuple(outcomes),
        method=method,
        samples=samples,
        uncertainties=uncertainties,
        policies=policies,
        description=description,
    )
    if design.n_runs > _MAX_RUNS:
        raise DesignError("design", f"{design.n_runs:,} runs is more than {_MAX_RUNS:,}", src)
    return design
