"""Vulnerability analytics of a dependency graph: exposure, chokepoints, foreclosure reach.

All three read the active supply edges of a validated graph (:mod:`.dependency_graph`) and
attribute suppliers to their ultimate controllers (:mod:`.graph_control`). A firm needs each
of its *critical inputs* (node attribute ``critical_inputs``; default: every input it buys)
and is cut off from an input when none of its active suppliers of it is left operating.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from spacemarket.market.economics.dependency_graph import INPUTS
from spacemarket.market.economics.graph_control import controlled_nodes, controller_of

__all__ = ["ForeclosureReach", "chokepoints", "exposure", "foreclosure_reach"]

logger = logging.getLogger(__name__)


def _suppliers(graph: nx.MultiDiGraph, firm: str, inp: str, removed_edges=frozenset()) -> list:
    return [
        (u, float(a["input_units"]))
        for u, _, k, a in graph.in_edges(firm, keys=True, data=True)
        if k == inp and a.get("status") == "active" and (u, firm, inp) not in removed_edges
    ]


def _all_suppliers(graph: nx.MultiDiGraph, firm: str) -> set:
    return {
        u
        for u, _, k, a in graph.in_edges(firm, keys=True, data=True)
        if k in INPUTS and a.get("status") == "active"
    }


def _critical_inputs(graph: nx.MultiDiGraph, firm: str) -> tuple[str, ...]:
    declared = graph.nodes[firm].get("critical_inputs")
    if declared is not None:
        return tuple(declared)
    return tuple(sorted({k for *_, k in graph.in_edges(firm, keys=True) if k in INPUTS}))


def exposure(
    graph: nx.MultiDiGraph,
    firm: str,
    *,
    tiers: int = 1,
    controllers: Mapping[str, str] | None = None,
) -> dict[str, dict[str, float]]:
    """Share of each critical input of ``firm`` that depends on each ultimate controller.

    For input ``i`` the weight of an active supply edge is its ``input_units``. With
    ``tiers=1`` the share of controller ``C`` is the weight from suppliers whose ultimate
    controller is ``C`` over the total weight, so the shares of an input sum to one. With
    ``tiers > 1`` an edge counts for every controller of a node in its supplier's own supply
    tree up to ``tiers - 1`` further levels (any input), so shares can sum to more than one.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
    firm : str
    tiers : int, default 1
    controllers : mapping, optional
        Each node's ultimate controller, when the caller has them for many firms (default:
        walked from the graph's control edges, :func:`~.graph_control.controller_of`).

    Returns
    -------
    dict
        ``{input: {controller: share}}`` (shares dimensionless in [0, 1]).

    Examples
    --------
    >>> from spacemarket.market.economics.baseline_graph import baseline_graph_2025
    >>> leo = exposure(baseline_graph_2025(), "Amazon Leo")["launch"]
    >>> round(leo["Musk"], 4), round(leo["Bezos"], 4)   # 3 and 12 of 80 contracted launches
    (0.0375, 0.15)
    """
    if tiers < 1:
        raise ValueError(f"tiers must be >= 1, got {tiers}")
    out: dict[str, dict[str, float]] = {}
    for inp in _critical_inputs(graph, firm):
        edges = _suppliers(graph, firm, inp)
        total = sum(w for _, w in edges)
        shares: dict[str, float] = {}
        for u, w in edges:
            tree = frontier = {u}
            for _ in range(tiers - 1):
                frontier = {p for n in frontier for p in _all_suppliers(graph, n)} - tree
                tree = tree | frontier
            owners = {controllers[n] if controllers else controller_of(graph, n) for n in tree}
            for c in owners:
                shares[c] = shares.get(c, 0.0) + w / total
        out[inp] = shares
    return out


@dataclass(frozen=True)
class _SupplyIndex:
    """The active supply edges of a graph, indexed once for many removals: ``suppliers``
    maps (firm, input) to its active suppliers, ``supplies`` a supplier to the (firm, input)
    pairs it serves, ``needs`` the critical (firm, input) pairs with a supplier at all."""

    suppliers: dict[tuple[str, str], tuple[str, ...]]
    supplies: dict[str, tuple[tuple[str, str], ...]]
    needs: tuple[tuple[str, str], ...]
    counts: dict[tuple[str, str], int]  # active suppliers of each need in the intact graph

    @classmethod
    def of(cls, graph: nx.MultiDiGraph) -> _SupplyIndex:
        suppliers: dict[tuple[str, str], list[str]] = {}
        for u, f, k, a in graph.edges(keys=True, data=True):
            if a.get("status") == "active":
                suppliers.setdefault((f, k), []).append(u)
        needs = tuple((f, i) for f in graph for i in _critical_inputs(graph, f)
                      if suppliers.get((f, i)))  # fmt: skip
        supplies: dict[str, list[tuple[str, str]]] = {}
        for need in needs:
            for u in suppliers[need]:
                supplies.setdefault(u, []).append(need)
        return cls({k: tuple(v) for k, v in suppliers.items()},
                   {k: tuple(v) for k, v in supplies.items()}, needs,
                   {need: len(suppliers[need]) for need in needs})  # fmt: skip


def _lost_inputs(
    graph: nx.MultiDiGraph,
    *,
    removed_nodes: frozenset = frozenset(),
    removed_edges: frozenset = frozenset(),
    cascade: bool = True,
    index: _SupplyIndex | None = None,
) -> dict[str, set[str]]:
    """Firms -> critical inputs left without any active, operating supplier.

    Only inputs the firm has at least one supplier for in the intact graph count. With
    ``cascade`` a firm that loses a critical input stops supplying others (to a fixed point).
    Each critical (firm, input) keeps a count of its live suppliers; a failure decrements the
    counts of what the failed firm supplies, so a removal costs the edges it reaches, not a
    pass over the graph (``index``: built once when many removals share a graph).
    """
    index = _SupplyIndex.of(graph) if index is None else index
    lost: dict[str, set[str]] = {}
    failed: set[str] = set(removed_nodes)
    queue: list[str] = []

    def lose(f: str, i: str) -> None:
        lost.setdefault(f, set()).add(i)
        if cascade and f not in failed:
            failed.add(f)
            queue.append(f)

    live = dict(index.counts)  # then take out what the removals take out
    for u in removed_nodes:
        for need in index.supplies.get(u, ()):
            live[need] -= 1
    for u, f, i in removed_edges:
        if u not in removed_nodes and (f, i) in live and u in index.suppliers[(f, i)]:
            live[(f, i)] -= 1
    for f, i in index.needs:
        if f not in removed_nodes and live[(f, i)] == 0:
            lose(f, i)
    while queue:
        u = queue.pop()
        for f, i in index.supplies.get(u, ()):
            if (u, f, i) in removed_edges:
                continue  # that edge was not counted live
            live[(f, i)] -= 1
            if live[(f, i)] == 0 and f not in removed_nodes and i not in lost.get(f, ()):
                lose(f, i)
    return lost


def chokepoints(graph: nx.MultiDiGraph, *, cascade: bool = True) -> dict[str, dict]:
    """Suppliers whose removal cuts some other firm off from every supplier of a critical input.

    Each node with an active outgoing supply edge is removed in turn; a firm is cut off from
    input ``i`` when none of its active suppliers of ``i`` is left operating. With
    ``cascade=True`` (default) a firm that is cut off stops supplying in turn, so a node
    upstream of every path that delivers an input to a firm (a vertex separator of the input
    paths) is found even when it is not a direct supplier.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
    cascade : bool, default True

    Returns
    -------
    dict
        ``{node: {firm: (inputs lost, ...)}}`` for nodes that cut off at least one firm.

    Examples
    --------
    >>> from spacemarket.market.economics.baseline_graph import baseline_graph_2025
    >>> cp = chokepoints(baseline_graph_2025())
    >>> cp["SpaceX"]["Starcloud"], "Amazon Leo" in cp["SpaceX"]
    (('launch',), False)
    """
    suppliers = sorted({u for u, _, k in graph.edges(keys=True) if k in INPUTS})
    index = _SupplyIndex.of(graph)
    out = {}
    for v in suppliers:
        lost = _lost_inputs(graph, removed_nodes=frozenset({v}), cascade=cascade, index=index)
        if lost:
            out[v] = {f: tuple(sorted(i)) for f, i in sorted(lost.items())}
    return out


@dataclass(frozen=True)
class ForeclosureReach:
    """Who loses which inputs when a controller's firms stop supplying rivals.

    Attributes
    ----------
    controller : str
        The foreclosing controller.
    foreclosed_edges : tuple of (upstream, downstream, input)
        Active supply edges from controlled nodes to rivals that are cut.
    lost : dict
        ``{firm: (inputs, ...)}``: inputs for which the firm has no operating supplier left
        (including, with cascade, firms downstream of a cut-off supplier).
    kept : dict
        ``{firm: {input: (suppliers, ...)}}``: firms with a foreclosed edge on ``input``
        that keep at least one alternative operating supplier, and who those are.
    """

    controller: str
    foreclosed_edges: tuple[tuple[str, str, str], ...]
    lost: dict[str, tuple[str, ...]]
    kept: dict[str, dict[str, tuple[str, ...]]]


def foreclosure_reach(
    graph: nx.MultiDiGraph,
    foreclosing_controller: str,
    inputs: Iterable[str] | None = None,
    *,
    cascade: bool = True,
) -> ForeclosureReach:
    """Reach of a foreclosure: every firm it controls stops supplying ``inputs`` to rivals.

    Rivals are the nodes outside :func:`controlled_nodes` of the controller. This is the
    *ability* half of the 2023 Merger Guidelines' Guideline 5 test; incentive needs profits
    (see :mod:`spacemarket.market.economics.nash_in_nash`).

    Parameters
    ----------
    graph : networkx.MultiDiGraph
    foreclosing_controller : str
    inputs : iterable of str, optional
        Inputs withheld (default: all of :data:`~.dependency_graph.INPUTS`).
    cascade : bool, default True
        Propagate failures downstream (see :func:`chokepoints`).

    Returns
    -------
    ForeclosureReach

    Examples
    --------
    >>> from spacemarket.market.economics.baseline_graph import baseline_graph_2025
    >>> r = foreclosure_reach(baseline_graph_2025(), "Musk", ["launch"])
    >>> sorted(r.lost), r.kept["Amazon Leo"]["launch"]
    (['Axiom', 'Lonestar', 'Starcloud'], ('Arianespace', 'Blue Origin', 'ULA'))
    """
    if foreclosing_controller not in graph:
        raise KeyError(f"unknown node {foreclosing_controller!r}")
    inputs = tuple(INPUTS if inputs is None else inputs)
    for i in inputs:
        if i not in INPUTS:
            raise ValueError(f"foreclosure_reach: input must be one of {INPUTS}, got {i!r}")
    own = controlled_nodes(graph, foreclosing_controller)
    cut = tuple(
        sorted(
            (u, d, k)
            for u, d, k, a in graph.edges(keys=True, data=True)
            if k in inputs and a.get("status") == "active" and u in own and d not in own
        )
    )
    index = _SupplyIndex.of(graph)
    removed = frozenset(cut)
    lost = _lost_inputs(graph, removed_edges=removed, cascade=cascade, index=index)
    failed = set(lost) if cascade else set()
    kept: dict[str, dict[str, tuple[str, ...]]] = {}
    for _, d, i in cut:
        if i in lost.get(d, ()):
            continue
        alive = [u for u in index.suppliers.get((d, i), ())
                 if (u, d, i) not in removed and u not in failed]  # fmt: skip
        kept.setdefault(d, {})[i] = tuple(sorted(alive))
    logger.debug("foreclosure by %s cuts %d edges", foreclosing_controller, len(cut))
    return ForeclosureReach(
        controller=foreclosing_controller,
        foreclosed_edges=cut,
        lost={f: tuple(sorted(i)) for f, i in sorted(lost.items())},
        kept=kept,
    )
