"""The sourced ownership/supply graph at t0 = Dec 2025, one source per edge.

The sources are listed in docs/references.md, "Ownership and supply graph, December 2025".

The data live in ``spacemarket/market/data/baseline_graph_2025.toml``: firms (``node``),
supply and control edges, each edge with its ``source``, the explored OpenAI -> Stoke deal
(``openai_stoke``) and the facts after t0 (``post_seed``). Loading is strict: an unknown or
missing key, or a value of the wrong type, is a ``ValueError`` naming the key and the file;
:func:`~.dependency_graph.build_dependency_graph` then checks the values.
"""

from __future__ import annotations

import tomllib
from importlib import resources

import networkx as nx

from spacemarket.market.economics.dependency_graph import build_dependency_graph

__all__ = ["baseline_graph_2025"]

_FILE = "baseline_graph_2025.toml"
_WHERE = f"spacemarket/market/data/{_FILE}"

# value kinds (named as the error message says them) and their checks
_KINDS = {
    "a string": lambda v: isinstance(v, str),
    "a number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
    "an integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "true or false": lambda v: isinstance(v, bool),
    "a table": lambda v: isinstance(v, dict),
    "an array of tables": lambda v: isinstance(v, list) and all(isinstance(x, dict) for x in v),
    "an array of strings": lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v),
}
_S, _N, _I, _B, _T = "a string", "a number", "an integer", "true or false", "a table"
_ARRAY = "an array of tables"
# table -> (required {key: kind}, optional {key: kind})
_TABLES: dict[str, tuple[dict[str, str], dict[str, str]]] = {
    "top level": (
        {"node": _ARRAY, "supply": _ARRAY, "control": _ARRAY, "openai_stoke": _T, "post_seed": _T},
        {},
    ),
    "node": ({"name": _S, "kind": _S}, {}),
    "supply": (
        {"upstream": _S, "downstream": _S, "input": _S, "input_units": _N, "source": _S},
        {"contract": _S, "bargaining_weight": _N, "status": _S},
    ),
    "control": (
        {"owner": _S, "firm": _S, "kappa": _N, "source": _S},
        {"voting_control": _B, "status": _S},
    ),
    "openai_stoke": ({"owner": _S, "firm": _S, "voting_control": _B, "source": _S}, {}),
    "post_seed": ({"extra_launches": _T, "acquisition": _T}, {}),
    "post_seed.extra_launches": (
        {"buyer": _S, "supplier": _S, "launches": _I, "contracted_before": _I, "source": _S},
        {},
    ),
    "post_seed.acquisition": (
        {"owner": _S, "firm": _S, "kappa": _N, "supersedes": "an array of strings", "source": _S},
        {},
    ),
}


def _check_table(raw: dict, table: str, label: str, where: str) -> None:
    """Check the keys and value kinds of one TOML table against ``_TABLES[table]``."""
    required, optional = _TABLES[table]
    allowed = required | optional
    for key, value in raw.items():
        if key not in allowed:
            names = ", ".join(sorted(allowed))
            raise ValueError(f"{where}: {label}: unknown key {key!r} (allowed: {names})")
        if not _KINDS[allowed[key]](value):
            raise ValueError(f"{where}: {label}: {key!r} must be {allowed[key]}, got {value!r}")
    missing = sorted(set(required) - set(raw))
    if missing:
        raise ValueError(f"{where}: {label}: missing key {missing[0]!r}")


def _parse(text: str, where: str) -> dict:
    """Parse and check the baseline TOML; errors name the key and ``where`` (the file).

    Examples
    --------
    >>> _parse('nodes = []', "graph.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: graph.toml: top level: unknown key 'nodes' (allowed: control, node, ...)
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{where}: not valid TOML: {exc}") from None
    _check_table(doc, "top level", "top level", where)
    for table in ("node", "supply", "control"):
        for i, raw in enumerate(doc[table], start=1):
            _check_table(raw, table, f"{table} #{i}", where)
    for table in ("openai_stoke", "post_seed"):
        _check_table(doc[table], table, f"[{table}]", where)
    for key in ("extra_launches", "acquisition"):
        _check_table(doc["post_seed"][key], f"post_seed.{key}", f"[post_seed.{key}]", where)
    return doc


def _load() -> dict:
    text = resources.files("spacemarket.market.data").joinpath(_FILE).read_text(encoding="utf-8")
    return _parse(text, _WHERE)


def baseline_graph_2025(
    *,
    openai_controls_stoke: bool = False,
    openai_stoke_kappa: float = 1.0,
    post_seed: bool = False,
    control_rule: str = "majority",
) -> nx.MultiDiGraph:
    """The Dec 2025 ownership/supply graph, one source per edge (see docs/references.md).

    Parameters
    ----------
    openai_controls_stoke : bool, default False
        Make the OpenAI -> Stoke control edge active (the explored, inactive deal of
        Dec 2025); otherwise it is kept with status ``"potential"``.
    openai_stoke_kappa : float, default 1.0
        Its kappa; the size of the proposed "controlling stake" was not reported, so this
        is a scenario parameter, not data.
    post_seed : bool, default False
        Apply the facts reported after t0 (after the WSJ report of Dec 2025): the SpaceX-xAI
        merger (kappa 1, 2 Feb 2026; Entrepreneur, SlashGear) and the 10 extra Falcon 9
        launches bought by Amazon Leo (FCC filing of 30 Jan 2026, reported by Flying to Mars;
        Amazon Leo launch units then / 90).
    control_rule : {"majority", "plurality"}, default "majority"

    Returns
    -------
    networkx.MultiDiGraph

    Raises
    ------
    ValueError
        If the data file has an unknown or missing key or a value of the wrong type (the
        message names the key and the file), or fails
        :func:`~.dependency_graph.build_dependency_graph`'s checks.

    Examples
    --------
    >>> g = baseline_graph_2025(openai_controls_stoke=True)
    >>> g.nodes["Stoke"]["controller"]
    'OpenAI'
    """
    doc = _load()
    supply = [dict(e) for e in doc["supply"]]
    control = [dict(e) for e in doc["control"]]
    status = "active" if openai_controls_stoke else "potential"
    control.append(doc["openai_stoke"] | {"kappa": openai_stoke_kappa, "status": status})
    if post_seed:
        extra = doc["post_seed"]["extra_launches"]
        before, total = extra["contracted_before"], extra["contracted_before"] + extra["launches"]
        for e in supply:
            if e["downstream"] == extra["buyer"] and e["input"] == "launch":
                e["input_units"] = e["input_units"] * before / total + (
                    extra["launches"] / total if e["upstream"] == extra["supplier"] else 0
                )
                e["source"] += "; " + extra["source"]
        deal = doc["post_seed"]["acquisition"]
        if not any((e["owner"], e["firm"]) == (deal["owner"], deal["firm"]) for e in control):
            raise ValueError(
                f"{_WHERE}: [post_seed.acquisition]: no control edge "
                f"{deal['owner']!r} -> {deal['firm']!r}"
            )
        for e in control:
            if (e["owner"], e["firm"]) == (deal["owner"], deal["firm"]):
                e["kappa"], e["source"] = deal["kappa"], deal["source"]
            elif e["firm"] == deal["firm"] and e["owner"] in deal["supersedes"]:
                e["status"] = "potential"  # superseded by the merger (would exceed 100%)
    return build_dependency_graph(doc["node"], supply, control, control_rule=control_rule)
