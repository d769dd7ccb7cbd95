"""Shipped, sourced data: launch vehicles, orbital designs, terrestrial sites, hardware.

Data live in TOML files inside ``spacemarket.market.data`` (every record carries ``source`` and
``date``). Loading is strict, through the package's one validation engine
(:mod:`spacemarket.validation`): an unknown key, a missing field or a wrong type is an
:class:`~spacemarket.errors.InputError` naming the key, the record and the file.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from spacemarket import validation
from spacemarket.market.physics.hardware import ComputeHardware
from spacemarket.market.physics.launch_cost import LaunchVehicle
from spacemarket.market.physics.learning import LearningPath
from spacemarket.market.physics.orbital_dc import OrbitalDesign
from spacemarket.market.physics.terrestrial_dc import TerrestrialSite
from spacemarket.market.physics.validation import InputError

__all__ = [
    "compute_hardware",
    "launch_vehicle",
    "learning_path",
    "load_file",
    "orbital_design",
    "propellant_prices_usd_per_t",
    "records",
    "terrestrial_site",
]

# kind -> (file name, TOML array name, dataclass)
_KINDS: dict[str, tuple[str, str, type]] = {
    "vehicle": ("launch_vehicles.toml", "vehicle", LaunchVehicle),
    "design": ("orbital_designs.toml", "design", OrbitalDesign),
    "site": ("terrestrial_sites.toml", "site", TerrestrialSite),
    "hardware": ("compute_hardware.toml", "hardware", ComputeHardware),
    "path": ("learning_paths.toml", "path", LearningPath),
}


@dataclass(frozen=True, kw_only=True)
class _Propellant:
    """A record of ``propellants.toml``."""

    name: str
    usd_per_t: float
    source: str
    date: str
    confidence: str = ""


def build_record(cls: type, raw: dict[str, Any], where: str) -> Any:
    """Build dataclass ``cls`` from a TOML table with the package's validation engine
    (:func:`spacemarket.validation.build_record`); errors name the key, the record and
    ``where``. The dataclass's own checks (``__post_init__``) are named alike."""
    src = f"{where}, record {raw.get('name', '?')!r}" if isinstance(raw, dict) else where
    try:
        return validation.build_record(cls, raw, "", src, InputError)
    except InputError as exc:
        if exc.source == src:  # raised by the engine, already naming the record and file
            raise
        raise InputError(exc.argument, exc.reason, src) from None


def load_file(kind: str, path: str | Path) -> dict[str, Any]:
    """Load every record of ``kind`` from a TOML file at ``path`` (user-supplied data)."""
    if kind not in _KINDS:
        raise InputError("kind", f"unknown data kind {kind!r} (known: {', '.join(_KINDS)})")
    _, table, cls = _KINDS[kind]
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError("path", f"cannot read {p}: {exc.strerror}") from None
    return _parse(text, table, cls, str(p))


def _parse(text: str, table: str, cls: type, where: str) -> dict[str, Any]:
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("toml", f"not valid TOML: {exc}", where) from None
    unknown = set(doc) - {table}
    if unknown:
        raise InputError(sorted(unknown)[0], f"unknown top-level key (expected [[{table}]])", where)
    out: dict[str, Any] = {}
    for raw in doc.get(table, []):
        rec = build_record(cls, raw, where)
        if rec.name in out:
            raise InputError("name", f"duplicate record {rec.name!r}", where)
        out[rec.name] = rec
    return out


@functools.cache
def records(kind: str) -> dict[str, Any]:
    """All shipped records of ``kind`` ('vehicle', 'design', 'site', 'hardware', 'path')."""
    if kind not in _KINDS:
        raise InputError("kind", f"unknown data kind {kind!r} (known: {', '.join(_KINDS)})")
    fname, table, cls = _KINDS[kind]
    text = resources.files("spacemarket.market.data").joinpath(fname).read_text(encoding="utf-8")
    return _parse(text, table, cls, f"spacemarket/market/data/{fname}")


def _get(kind: str, name: str) -> Any:
    recs = records(kind)
    if name not in recs:
        raise InputError(kind, f"unknown {kind} {name!r} (known: {', '.join(recs)})")
    return recs[name]


def launch_vehicle(name: str) -> LaunchVehicle:
    """A shipped launch vehicle by name, e.g. ``"falcon-9"``."""
    return _get("vehicle", name)


def orbital_design(name: str) -> OrbitalDesign:
    """A shipped orbital design by name, e.g. ``"compute-optimized"``."""
    return _get("design", name)


def terrestrial_site(name: str) -> TerrestrialSite:
    """A shipped terrestrial site by name, e.g. ``"us-average"``."""
    return _get("site", name)


def compute_hardware(name: str) -> ComputeHardware:
    """Shipped IT hardware by name, e.g. ``"gb200-nvl72"``."""
    return _get("hardware", name)


def learning_path(name: str) -> LearningPath:
    """A shipped launch-price learning path by name, e.g. ``"suncatcher-starship"``."""
    return _get("path", name)


@functools.cache
def propellant_prices_usd_per_t() -> dict[str, float]:
    """Propellant prices, USD per tonne, keyed by propellant name."""
    text = (
        resources.files("spacemarket.market.data")
        .joinpath("propellants.toml")
        .read_text(encoding="utf-8")
    )
    where = "spacemarket/market/data/propellants.toml"
    out = {}
    for raw in tomllib.loads(text)["propellant"]:
        rec = build_record(_Propellant, raw, where)
        out[rec.name] = rec.usd_per_t
    return out
