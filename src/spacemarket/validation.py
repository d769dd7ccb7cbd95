"""The one validation engine for input files: scenarios, the physics catalogue, games, designs.

A file's schema is a frozen dataclass: each field's annotation says what the value must be and
its metadata (set with :func:`bounded`) the plausible range. :func:`build_record` checks a
table read from TOML against it and builds the dataclass, or raises the caller's error class
(a kind of :class:`~spacemarket.errors.InputError`) with a one-line message naming the key path
(``vehicles.starship.payload_capacity_kg``: an element of an array of tables by its own
``name``) and the file. What the annotation means:

==========================  =============================================================
``float``                   a finite number (an integer is taken as a float)
``int`` / ``bool`` / ``str`` exactly that TOML type
``dict[str, float]``        a table of finite numbers >= 0, each within the field's range
a dataclass                 a table, checked against that dataclass
``list[a dataclass]``       an array of tables (``[[...]]``), each checked
``list[str]``               an array of strings
``X | None``                one of the arms; ``Any``: not checked here
==========================  =============================================================

The primitives (:func:`check_keys`, :func:`check_value`, :func:`type_name`, :func:`shown`)
serve the files whose shape is not one dataclass (a sweep design's levers and uncertainties,
a game's players). This module imports nothing of the package but its errors, so every layer
can use it.

Examples
--------
>>> from dataclasses import dataclass
>>> @dataclass(frozen=True, kw_only=True)
... class Rocket:
...     name: str
...     payload_kg: float = bounded(1.0, 1e6)
>>> build_record(Rocket, {"name": "x", "payload_kg": 500}, "vehicles.x", "f.toml")
Rocket(name='x', payload_kg=500.0)
>>> build_record(Rocket, {"name": "x", "payload_kg": 0}, "vehicles.x", "f.toml")
Traceback (most recent call last):
...
spacemarket.errors.InputError: vehicles.x.payload_kg: must be in [1, 1e+06], got 0 (in f.toml)
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Iterable, Mapping
from typing import Any

from spacemarket.errors import InputError

__all__ = [
    "bounded",
    "build_record",
    "check_keys",
    "check_value",
    "element_key",
    "finite",
    "quote_key",
    "range_text",
    "shown",
    "type_name",
]


def bounded(
    low: float | None = None,
    high: float | None = None,
    default: Any = dataclasses.MISSING,
    *,
    low_open: bool = False,
    high_open: bool = False,
) -> Any:
    """A dataclass field whose numbers must lie in ``[low, high]`` (open at an end with
    ``low_open`` / ``high_open``); a ``dict`` or ``list`` default is copied per instance."""
    meta = {"low": low, "high": high, "low_open": low_open, "high_open": high_open}
    if default is dataclasses.MISSING:
        return dataclasses.field(metadata=meta)
    if isinstance(default, dict | list):
        return dataclasses.field(default_factory=lambda: type(default)(default), metadata=meta)
    return dataclasses.field(default=default, metadata=meta)


def element_key(table: str, index: int, item: Any) -> str:
    """The key path of one element of an array of tables: by its own name, as ``--set`` spells
    it (``vehicles.starship``); by position only if it has no name (``control[0]``)."""
    name = item.get("name") if isinstance(item, dict) else getattr(item, "name", None)
    if isinstance(name, str) and name.strip():
        return f"{table}.{name}"
    return f"{table}[{index}]"


def type_name(value: Any) -> str:
    """The TOML name of a value's type, for messages: ``table``, ``array``, ``string``..."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, dict):
        return "table"
    if isinstance(value, list):
        return "array"
    return {str: "string", int: "integer", float: "float"}.get(type(value), type(value).__name__)


def shown(value: float) -> str:
    """A value as the user wrote it, compactly: 18400, 0.978, 1e+30."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return str(int(value))
    return repr(value)


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def range_text(f: dataclasses.Field) -> str:
    """The allowed range of a field as text: ``[1, 1e+06]``, ``(0, 1e+11]``, ``>= 0``."""
    low, high = f.metadata.get("low"), f.metadata.get("high")
    open_, high_open = f.metadata.get("low_open", False), f.metadata.get("high_open", False)
    if low is not None and high is not None:
        return f"{'(' if open_ else '['}{low:g}, {high:g}{')' if high_open else ']'}"
    if low is not None:
        return f"{'>' if open_ else '>='} {low:g}"
    return f"{'<' if high_open else '<='} {high:g}"


def _in_range(key: str, value: float, f: dataclasses.Field, src: str, error: type) -> None:
    low, high = f.metadata.get("low"), f.metadata.get("high")
    if low is None and high is None:
        return
    below = low is not None and (value <= low if f.metadata.get("low_open") else value < low)
    above = high is not None and (value >= high if f.metadata.get("high_open") else value > high)
    if below or above:
        text = range_text(f)
        raise error(
            key, f"must be {'in ' if text[0] in '[(' else ''}{text}, got {shown(value)}", src
        )


def finite(key: str, value: int | float, src: str, error: type = InputError) -> float:
    """``value`` as a finite float (TOML integers may exceed the float range)."""
    try:
        out = float(value)
    except OverflowError:
        raise error(key, "must be finite (too large for a float)", src) from None
    if out != out or out in (float("inf"), float("-inf")):
        raise error(key, "must be finite", src)
    return out


def quote_key(key: str) -> str:
    """A key as written in TOML: quoted when it is not bare (``"compute.grid_delay"``)."""
    return f'"{key}"' if "." in key or not key.replace("_", "").replace("-", "").isalnum() else key


def check_keys(
    raw: Mapping[str, Any],
    allowed: Iterable[str],
    key: str,
    src: str,
    error: type = InputError,
    word: str = "allowed",
    quote: bool = False,
) -> None:
    """Reject the first key of ``raw`` not in ``allowed``, listing those allowed; with
    ``quote``, the key in the path is written as TOML would (:func:`quote_key`)."""
    allowed = list(allowed)
    for k in raw:
        if k not in allowed:
            k = quote_key(k) if quote else str(k)
            path = f"{key}.{k}" if key else k
            raise error(path, f"unknown key ({word}: {', '.join(allowed)})", src)


def _matches(value: Any, annotation: Any) -> bool:
    """Whether ``value`` has the TOML type ``annotation`` asks for (no range check)."""
    origin = typing.get_origin(annotation)
    if annotation is float:
        return _number(value)
    if annotation is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if annotation in (str, bool):
        return isinstance(value, annotation)
    if annotation is type(None):
        return value is None
    if origin in (typing.Union, types.UnionType):
        return any(_matches(value, a) for a in typing.get_args(annotation))
    if origin in (dict, Mapping) or annotation is dict:
        return isinstance(value, dict)
    if origin is list:
        (item,) = typing.get_args(annotation)
        return isinstance(value, list) and all(_matches(v, item) for v in value)
    return True


_EXPECTED = {float: "a number", int: "an integer", bool: "true or false", str: "a string"}


def _described(annotation: Any) -> str:
    """``float | None`` -> "a number or nothing"; ``list[str]`` -> "an array of a string"."""
    if annotation in _EXPECTED:
        return _EXPECTED[annotation]
    if annotation is type(None):
        return "nothing"
    if typing.get_origin(annotation) is list:
        return "an array of " + _described(typing.get_args(annotation)[0])
    return " or ".join(_described(a) for a in typing.get_args(annotation)) or str(annotation)


def check_value(
    key: str,
    value: Any,
    annotation: Any,
    f: dataclasses.Field | None = None,
    src: str = "",
    error: type = InputError,
) -> Any:
    """Check one value against its annotation and ``f``'s range; return it normalised (a
    ``float`` field's integer as a float, a table's keys as strings)."""
    origin = typing.get_origin(annotation)
    f = f if f is not None else dataclasses.field()
    if annotation in _EXPECTED:
        if not _matches(value, annotation):
            raise error(key, f"expected {_EXPECTED[annotation]}, got {type_name(value)}", src)
        if annotation is float:
            value = finite(key, value, src, error)
    elif origin in (dict, Mapping) or annotation is dict:
        if not isinstance(value, dict):
            raise error(key, f"expected a table, got {type_name(value)}", src)
        for k, v in value.items():
            if not _number(v):
                raise error(f"{key}.{k}", "expected a number", src)
            number = finite(f"{key}.{k}", v, src, error)
            if number < 0:
                raise error(f"{key}.{k}", f"must be >= 0, got {shown(number)}", src)
            _in_range(f"{key}.{k}", number, f, src, error)
        return {str(k): float(v) for k, v in value.items()}
    elif origin in (typing.Union, types.UnionType, list) and not _matches(value, annotation):
        raise error(key, f"expected {_described(annotation)}, got {type_name(value)}", src)
    if _number(value):
        _in_range(key, value, f, src, error)
    return value


def _is_record(annotation: Any) -> bool:
    return isinstance(annotation, type) and dataclasses.is_dataclass(annotation)


def build_record(
    cls: type,
    raw: Any,
    key: str,
    src: str,
    error: type = InputError,
    internal: tuple[str, ...] = (),
) -> Any:
    """Check table ``raw`` (at key path ``key`` of file ``src``) against dataclass ``cls`` and
    build it. ``internal`` names fields the file must not set (filled in by the loader)."""
    if not isinstance(raw, dict):
        raise error(key, f"expected a table, got {type_name(raw)}", src)
    hints = typing.get_type_hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    check_keys(raw, sorted(n for n in fields if n not in internal), key, src, error)
    kwargs = {}
    for name, f in fields.items():
        path = f"{key}.{name}" if key else name
        if name not in raw:
            required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
            if required and name not in internal:
                raise error(path, "missing required key", src)
            continue
        ann, value = hints[name], raw[name]
        item_type = typing.get_args(ann)[0] if typing.get_origin(ann) is list else None
        if _is_record(ann):
            kwargs[name] = build_record(ann, value, path, src, error)
        elif _is_record(item_type):
            if not isinstance(value, list):
                raise error(path, "expected an array of tables ([[...]])", src)
            kwargs[name] = [
                build_record(item_type, r, element_key(path, i, r), src, error)
                for i, r in enumerate(value)
            ]
        elif ann is Any:
            kwargs[name] = value
        else:
            kwargs[name] = check_value(path, value, ann, f, src, error)
    return cls(**kwargs)
