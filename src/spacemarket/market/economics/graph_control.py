"""Who controls whom in a dependency graph: the control rule and control chains.

Control edges ``owner -> firm`` (key ``"control"``, see :mod:`.dependency_graph`) carry
``kappa``, the owner's weight on the firm's profit (O'Brien & Salop 2000), and optionally
``voting_control``. Only edges with ``status == "active"`` count.

Control rule (:func:`controller_of`): an owner controls a firm if the active edge has
``voting_control=True``, or else (rule ``"majority"``, the default) ``kappa > 0.5``; rule
``"plurality"`` instead gives control to the largest active stake. The ultimate controller is
found by following controlling owners up the chain; a firm with no controlling owner controls
itself. This mirrors the control-vs-cash-flow split in the partial-ownership literature
(O'Brien & Salop 2000; 2023 Merger Guidelines, Guideline 11).
"""

from __future__ import annotations

import networkx as nx

__all__ = ["CONTROL_RULES", "active_stakes", "controlled_nodes", "controller_of"]

CONTROL_RULES = ("majority", "plurality")


def active_stakes(graph: nx.MultiDiGraph, firm: str) -> list[tuple[str, float, bool]]:
    """Active control stakes in ``firm``: ``[(owner, kappa, voting_control), ...]``.

    Examples
    --------
    >>> from spacemarket.market.economics.baseline_graph import baseline_graph_2025
    >>> active_stakes(baseline_graph_2025(), "Blue Origin")
    [('Bezos', 1.0, False)]
    """
    return [
        (o, float(a["kappa"]), bool(a.get("voting_control")))
        for o, _, k, a in graph.in_edges(firm, keys=True, data=True)
        if k == "control" and a.get("status") == "active"
    ]


def _immediate_controller(graph: nx.MultiDiGraph, firm: str, rule: str) -> str | None:
    stakes = active_stakes(graph, firm)
    voting = [o for o, _, vc in stakes if vc]
    if voting:
        return voting[0]
    if rule == "majority":
        return next((o for o, k, _ in stakes if k > 0.5), None)
    if not stakes:
        return None
    best = max(k for _, k, _ in stakes)
    leaders = sorted(o for o, k, _ in stakes if k == best)
    if len(leaders) > 1:
        raise ValueError(f"{firm!r}: plurality rule tie between {leaders}")
    return leaders[0]


def controller_of(graph: nx.MultiDiGraph, firm: str, *, rule: str | None = None) -> str:
    """Ultimate controller of ``firm`` through chains of controlling owners.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A validated dependency graph.
    firm : str
        Node name.
    rule : {"majority", "plurality"}, optional
        Control rule; defaults to ``graph.graph["control_rule"]`` (see the module docstring).

    Returns
    -------
    str
        The top of the control chain (``firm`` itself if nobody controls it).

    Examples
    --------
    >>> from spacemarket.market.economics.baseline_graph import baseline_graph_2025
    >>> g = baseline_graph_2025()
    >>> controller_of(g, "Starlink"), controller_of(g, "Amazon")
    ('Musk', 'Amazon')
    >>> controller_of(g, "Amazon", rule="plurality")
    'Bezos'
    """
    rule = rule or graph.graph.get("control_rule", "majority")
    if rule not in CONTROL_RULES:
        raise ValueError(f"rule must be one of {CONTROL_RULES}, got {rule!r}")
    if firm not in graph:
        raise KeyError(f"unknown node {firm!r}")
    seen = [firm]
    while (owner := _immediate_controller(graph, seen[-1], rule)) is not None:
        if owner in seen:
            raise ValueError(f"control cycle through {[*seen, owner]}")
        seen.append(owner)
    return seen[-1]


def controlled_nodes(graph: nx.MultiDiGraph, controller: str, *, rule: str | None = None) -> set:
    """Nodes whose control chain passes through ``controller`` (including itself).

    Examples
    --------
    >>> from spacemarket.market.economics.baseline_graph import baseline_graph_2025
    >>> sorted(controlled_nodes(baseline_graph_2025(), "SpaceX"))
    ['SpaceX', 'Starlink']
    """
    rule = rule or graph.graph.get("control_rule", "majority")
    out = {controller}
    for n in graph:
        node = n
        while (owner := _immediate_controller(graph, node, rule)) is not None:
            if owner == controller:
                out.add(n)
                break
            node = owner
    return out
