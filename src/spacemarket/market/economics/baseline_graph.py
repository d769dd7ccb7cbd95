"""The sourced ownership/supply graph at t0 = Dec 2025, one source per edge.

The sources are listed in docs/references.md, "Ownership and supply graph, December 2025".

The data live in ``spacemarket/market/data/baseline_graph_2025.toml``: firms (``node``),
supply and control edges, each edge with its ``source``, the explored OpenAI -> Stoke deal
(``openai_stoke``) and the facts after t0 (``post_seed``). Loading is strict, through the
package's one validation engine (:mod:`spacemarket.validation`): an unknown or missing key, or a
value of the wrong type, is an :class:`~spacemarket.errors.InputError` (a ``ValueError``)
naming the key path and the file;
:func:`~.dependency_graph.build_dependency_graph` then checks the values.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

import networkx as nx

from spacemarket.errors import InputError
from spacemarket.market.economics.dependency_graph import build_dependency_graph
from spacemarket.validation import build_record

__all__ = ["baseline_graph_2025"]

_FILE = "baseline_graph_2025.toml"
_WHERE = f"spacemarket/market/data/{_FILE}"


# The file's schema, checked by the package's validation engine; the loader keeps the document.
@dataclass(frozen=True, kw_only=True)
class _Node:
    name: str
    kind: str


@dataclass(frozen=True, kw_only=True)
class _Supply:
    upstream: str
    downstream: str
    input: str
    input_units: float
    source: str
    contract: str = ""
    bargaining_weight: float | None = None
    status: str = ""


@dataclass(frozen=True, kw_only=True)
class _Control:
    owner: str
    firm: str
    kappa: float
    source: str
    voting_control: bool | None = None
    status: str = ""


@dataclass(frozen=True, kw_only=True)
class _Deal:
    owner: str
    firm: str
    voting_control: bool
    source: str


@dataclass(frozen=True, kw_only=True)
class _ExtraLaunches:
    buyer: str
    supplier: str
    launches: int
    contracted_before: int
    source: str


@dataclass(frozen=True, kw_only=True)
class _Acquisition:
    owner: str
    firm: str
    kappa: float
    supersedes: list[str]
    source: str


@dataclass(frozen=True, kw_only=True)
class _PostSeed:
    extra_launches: _ExtraLaunches
    acquisition: _Acquisition


@dataclass(frozen=True, kw_only=True)
class _GraphFile:
    node: list[_Node]
    supply: list[_Supply]
    control: list[_Control]
    openai_stoke: _Deal
    post_seed: _PostSeed


def _parse(text: str, where: str) -> dict:
    """Parse and check the baseline TOML; errors name the key path and ``where`` (the file).

    Examples
    --------
    >>> _parse('nodes = []', "graph.toml")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    spacemarket.errors.InputError: nodes: unknown key (allowed: control, node, ...) (in graph.toml)
    """
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError("toml", f"not valid TOML: {exc}", where) from None
    build_record(_GraphFile, doc, "", where)
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
