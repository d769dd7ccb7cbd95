"""Ownership and supply dependency graph of the launch / orbital-compute market.

Firms are nodes of a :class:`networkx.MultiDiGraph` (a subclass of ``DiGraph``; the multi-edge
key lets one ordered pair carry both an equity stake and a supply relation, e.g. Google holds
SpaceX shares and sells it cloud compute). Node attributes: ``kind`` (one of
:data:`NODE_KINDS`), ``controller`` (ultimate controller, filled in by the builder with
:func:`~.graph_control.controller_of`) and optional ``critical_inputs`` (tuple of inputs the
firm cannot operate without; default: every input it buys) and ``marginal_cost`` (USD per
unit of what it supplies, e.g. USD/kg).

Edges, keyed by relation:

* supply ``u -> d`` with key = input: ``edge_type="supply"``, ``input`` in :data:`INPUTS`,
  ``input_units`` (units of input per unit of the buyer's output, e.g. kg per kW-year; when a
  buyer has several suppliers of one input, the units give each supplier's part),
  ``contract`` (``"linear"`` or ``"two_part"``), ``bargaining_weight`` (upstream's, in
  [0, 1]), ``status`` (``"active"`` or ``"foreclosed"``), ``price`` (USD per input unit;
  NaN until bargained) and ``source``;
* control ``owner -> firm`` with key ``"control"``: ``edge_type="control"``, ``kappa`` in
  (0, 1] (the owner's weight on the firm's profit, O'Brien & Salop 2000), optional
  ``voting_control`` (``True`` for control without a cash-flow majority, e.g. founder shares),
  ``status`` (``"active"`` or ``"potential"``; potential edges are ignored by the analytics)
  and ``source``.

Related modules: :mod:`.graph_control` (the control rule: who controls whom),
:mod:`.graph_analytics` (exposure, chokepoints, foreclosure reach) and
:mod:`.baseline_graph` (the sourced Dec 2025 graph).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import networkx as nx
import numpy as np

from spacemarket.market.economics.graph_control import (
    CONTROL_RULES,
    active_stakes,
    controller_of,
)

__all__ = [
    "CONTRACTS",
    "INPUTS",
    "NODE_KINDS",
    "build_dependency_graph",
    "validate_dependency_graph",
]

NODE_KINDS = ("launch", "cloud", "ai_lab", "odc", "satellite", "chipmaker", "investor", "owner")
INPUTS = ("launch", "backhaul", "compute")
CONTRACTS = ("linear", "two_part")
_SUPPLY_STATUS = ("active", "foreclosed")
_CONTROL_STATUS = ("active", "potential")


def build_dependency_graph(
    nodes: Iterable[Mapping],
    supply_edges: Iterable[Mapping] = (),
    control_edges: Iterable[Mapping] = (),
    *,
    control_rule: str = "majority",
) -> nx.MultiDiGraph:
    """Build and validate a dependency graph from plain records (e.g. loaded from TOML).

    Parameters
    ----------
    nodes : iterable of mapping
        ``{"name": str, "kind": str, ...}``; extra keys become node attributes.
    supply_edges : iterable of mapping
        ``{"upstream", "downstream", "input", "input_units"=1.0, "contract"="linear",
        "bargaining_weight"=0.5, "status"="active", "price"=nan, "source"=""}``.
    control_edges : iterable of mapping
        ``{"owner", "firm", "kappa", "voting_control"=None, "status"="active", "source"=""}``.
    control_rule : {"majority", "plurality"}, default "majority"
        Stored in ``graph.graph["control_rule"]``; see :mod:`.graph_control`.

    Returns
    -------
    networkx.MultiDiGraph
        Validated graph; every node has its ``controller`` attribute set.

    Raises
    ------
    ValueError
        On an unknown node kind, input, contract or status, a kappa outside (0, 1], a
        weight outside [0, 1], non-positive input units, an edge to an unknown node, a
        duplicate edge, a self-loop, stakes in one firm summing above 1, or a control cycle.

    Examples
    --------
    >>> g = build_dependency_graph(
    ...     [{"name": "SpaceX", "kind": "launch"}, {"name": "xAI", "kind": "ai_lab"}],
    ...     [{"upstream": "SpaceX", "downstream": "xAI", "input": "launch", "input_units": 10}],
    ...     [{"owner": "SpaceX", "firm": "xAI", "kappa": 1.0}],
    ... )
    >>> g.nodes["xAI"]["controller"]
    'SpaceX'
    """
    if control_rule not in CONTROL_RULES:
        raise ValueError(f"control_rule must be one of {CONTROL_RULES}, got {control_rule!r}")
    g = nx.MultiDiGraph(control_rule=control_rule)
    for rec in nodes:
        rec = dict(rec)
        name = rec.pop("name", None)
        if name is None:
            raise ValueError(f"node record {rec!r} has no 'name'")
        if name in g:
            raise ValueError(f"duplicate node {name!r}")
        g.add_node(name, **rec)
    for rec in supply_edges:
        rec = dict(rec)
        u, d, inp = rec.pop("upstream", None), rec.pop("downstream", None), rec.get("input")
        for end in (u, d):
            if end not in g:
                raise ValueError(f"supply edge {u!r} -> {d!r}: unknown node {end!r}")
        if g.has_edge(u, d, key=inp):
            raise ValueError(f"duplicate supply edge {u!r} -> {d!r} for input {inp!r}")
        attrs = {"input_units": 1.0, "contract": "linear", "bargaining_weight": 0.5}
        attrs |= {"status": "active", "price": float("nan"), "source": ""} | rec
        g.add_edge(u, d, key=inp, edge_type="supply", **attrs)
    for rec in control_edges:
        rec = dict(rec)
        o, f = rec.pop("owner", None), rec.pop("firm", None)
        for end in (o, f):
            if end not in g:
                raise ValueError(f"control edge {o!r} -> {f!r}: unknown node {end!r}")
        if g.has_edge(o, f, key="control"):
            raise ValueError(f"duplicate control edge {o!r} -> {f!r}")
        attrs = {"voting_control": None, "status": "active", "source": ""} | rec
        g.add_edge(o, f, key="control", edge_type="control", **attrs)
    validate_dependency_graph(g)
    for n in g:
        g.nodes[n]["controller"] = controller_of(g, n)
    return g


def validate_dependency_graph(graph: nx.MultiDiGraph) -> None:
    """Check node kinds and edge attributes; raise ``ValueError`` naming the bad item.

    Examples
    --------
    >>> build_dependency_graph([{"name": "A", "kind": "rocket"}])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: node 'A': unknown kind 'rocket'; expected one of ('launch', ...)
    """
    for n, kind in graph.nodes(data="kind"):
        if kind not in NODE_KINDS:
            raise ValueError(f"node {n!r}: unknown kind {kind!r}; expected one of {NODE_KINDS}")
    for u, v, key, a in graph.edges(keys=True, data=True):
        where = f"edge {u!r} -> {v!r}"
        if u == v:
            raise ValueError(f"{where}: self-loop")
        if a.get("edge_type") == "supply":
            _check_choice(where, "input", a.get("input"), INPUTS)
            if key != a["input"]:
                raise ValueError(f"{where}: supply edge key {key!r} differs from its input")
            _check_choice(where, "contract", a.get("contract"), CONTRACTS)
            _check_choice(where, "status", a.get("status"), _SUPPLY_STATUS)
            units, b = (
                float(a.get("input_units", np.nan)),
                float(a.get("bargaining_weight", np.nan)),
            )
            if not (np.isfinite(units) and units > 0.0):
                raise ValueError(f"{where}: input_units must be finite and > 0, got {units}")
            if not 0.0 <= b <= 1.0:
                raise ValueError(f"{where}: bargaining_weight must be in [0, 1], got {b}")
        elif a.get("edge_type") == "control" and key == "control":
            kappa = float(a.get("kappa", np.nan))
            if not 0.0 < kappa <= 1.0:
                raise ValueError(f"{where}: kappa must be in (0, 1], got {kappa}")
            _check_choice(where, "status", a.get("status"), _CONTROL_STATUS)
        else:
            raise ValueError(f"{where}: edge_type must be 'supply' or 'control' (key 'control')")
    for n in graph:
        stakes = active_stakes(graph, n)
        if sum(k for _, k, _ in stakes) > 1.0 + 1e-9:
            raise ValueError(f"node {n!r}: active stakes sum to more than 1")
        if sum(1 for *_, vc in stakes if vc) > 1:
            raise ValueError(f"node {n!r}: more than one owner has voting_control")
    control = nx.DiGraph((u, v) for u, v, k in graph.edges(keys=True) if k == "control")
    if not nx.is_directed_acyclic_graph(control):
        raise ValueError(f"control cycle: {nx.find_cycle(control)}")


def _check_choice(where: str, name: str, value: object, allowed: tuple[str, ...]) -> None:
    if value not in allowed:
        raise ValueError(f"{where}: {name} must be one of {allowed}, got {value!r}")
