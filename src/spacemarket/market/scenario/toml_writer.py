"""Write a scenario document (a dict read from TOML and resolved) back as TOML.

The inverse of :func:`tomllib.loads` for the documents scenarios use: top-level keys, tables and
arrays of tables of scalars, inline tables and arrays; ``spacemarket scenarios show`` and each
sweep's resolved ``scenario.toml`` are written with it.

Examples
--------
>>> print(to_toml({"name": "x", "compute": {"gw": 1.5}}), end="")
name = "x"
<BLANKLINE>
[compute]
gw = 1.5
"""

from __future__ import annotations

from typing import Any

__all__ = ["to_toml"]


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return '"' + "".join(_ESCAPES.get(c, c) for c in value) + '"'
    if isinstance(value, dict):
        items = ", ".join(f"{_key(k)} = {_toml_value(v)}" for k, v in value.items())
        return "{ " + items + " }"
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


# TOML basic strings: escape the quote, the backslash and every control character but tab
_ESCAPES = {'"': '\\"', "\\": "\\\\"} | {
    chr(c): f"\\u{c:04x}" for c in [*range(0x20), 0x7F] if c != 0x09
}


def _key(k: str) -> str:
    bare = k.replace("_", "").replace("-", "")
    return k if bare.isascii() and bare.isalnum() else _toml_value(k)


def to_toml(doc: dict[str, Any]) -> str:
    """Write a resolved scenario document as TOML (round-trips through ``tomllib``)."""
    lines: list[str] = []
    tables, arrays = [], []
    for k, v in doc.items():
        if isinstance(v, dict):
            tables.append((k, v))
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            arrays.append((k, v))
        else:
            lines.append(f"{_key(k)} = {_toml_value(v)}")
    for k, v in tables:
        lines += ["", f"[{_key(k)}]"] + [f"{_key(a)} = {_toml_value(b)}" for a, b in v.items()]
    for k, items in arrays:
        for item in items:
            lines += ["", f"[[{_key(k)}]]"] + [
                f"{_key(a)} = {_toml_value(b)}" for a, b in item.items()
            ]
    return "\n".join(lines) + "\n"
