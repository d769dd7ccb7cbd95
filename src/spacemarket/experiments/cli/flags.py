"""Command-line flags generated from dataclass fields, so every input can be overridden.

``add_field_flags(parser, OrbitalDesign)`` adds ``--altitude-km``, ``--battery/--no-battery``,
... for every numeric or boolean field; :func:`apply_overrides` returns a copy of a record with
the given flags applied (its own validation then names any bad value).
"""

from __future__ import annotations

import argparse
import dataclasses
import types
import typing
from typing import Any

__all__ = ["add_field_flags", "apply_overrides", "parse_key_values"]


def _scalar_type(annotation: Any) -> type | None:
    if annotation in (float, int, bool):
        return annotation
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        if len(args) == 1 and args[0] in (float, int):
            return args[0]
    return None


def add_field_flags(parser: argparse.ArgumentParser, cls: type, prefix: str = "") -> None:
    """Add one flag per numeric/boolean field of dataclass ``cls`` (dest ``<prefix><field>``)."""
    hints = typing.get_type_hints(cls)
    flag_prefix = prefix.replace("_", "-")
    group = parser.add_argument_group(
        f"{cls.__name__} overrides", "override any field of the selected record(s)"
    )
    for f in dataclasses.fields(cls):
        kind = _scalar_type(hints[f.name])
        if kind is None:
            continue
        flag = f"--{flag_prefix}{f.name.replace('_', '-')}"
        dest = f"override_{prefix}{f.name}"
        if kind is bool:
            group.add_argument(flag, dest=dest, action=argparse.BooleanOptionalAction, default=None)
        else:
            group.add_argument(
                flag, dest=dest, type=kind, default=None, metavar=kind.__name__.upper()
            )


def apply_overrides(record: Any, args: argparse.Namespace, prefix: str = "") -> Any:
    """Copy of dataclass ``record`` with every flag given on the command line applied."""
    changes = {}
    for f in dataclasses.fields(record):
        value = getattr(args, f"override_{prefix}{f.name}", None)
        if value is not None:
            changes[f.name] = value
    return dataclasses.replace(record, **changes) if changes else record


def parse_key_values(items: list[str] | None, flag: str) -> dict[str, float]:
    """Parse repeated ``NAME=NUMBER`` flags into a dict (error names the flag)."""
    from spacemarket.errors import InputError

    out: dict[str, float] = {}
    for item in items or []:
        name, sep, value = item.partition("=")
        try:
            if not sep or not name:
                raise ValueError
            out[name.strip()] = float(value)
        except ValueError:
            raise InputError(flag, f"expected NAME=NUMBER, got {item!r}") from None
    return out
