"""Ownership and supply dependency graph of the launch / orbital-compute market.

Firms are nodes of a :class:`networkx.MultiDiGraph` (a subclass of ``DiGraph``; the multi-edge
key lets one ordered pair carry both an equity stake and a supply relation, e.g. Google holds
SpaceX shares and sells it cloud compute). Node attributes: ``kind`` (one of
:data:`NODE_KINDS`), ``controller`` (ultimate controller, filled in by the builder) and
optional ``critical_inputs`` (tuple of inputs the firm cannot operate without; default: every
input it buys) and ``marginal_cost`` (USD per unit of what it supplies, e.g. USD/kg).

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

Control rule (:func:`controller_of`): an owner controls a firm if the active edge has
``voting_control=True``, or else (rule ``"majority"``, the default) ``kappa > 0.5``; rule
``"plurality"`` instead gives control to the largest active stake. The ultimate controller is
found by following controlling owners up the chain; a firm with no controlling owner controls
itself. This mirrors the control-vs-cash-flow split in the partial-ownership literature
(O'Brien & Salop 2000; 2023 Merger Guidelines, Guideline 11).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx
import numpy as np

__all__ = [
    "CONTRACTS",
    "INPUTS",
    "NODE_KINDS",
    "ForeclosureReach",
    "baseline_graph_2025",
    "build_dependency_graph",
    "chokepoints",
    "controlled_nodes",
    "controller_of",
    "exposure",
    "foreclosure_reach",
    "validate_dependency_graph",
]

logger = logging.getLogger(__name__)

NODE_KINDS = ("launch", "cloud", "ai_lab", "odc", "satellite", "chipmaker", "investor", "owner")
INPUTS = ("launch", "backhaul", "compute")
CONTRACTS = ("linear", "two_part")
_SUPPLY_STATUS = ("active", "foreclosed")
_CONTROL_STATUS = ("active", "potential")
_RULES = ("majority", "plurality")


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
        Stored in ``graph.graph["control_rule"]``; see the module docstring.

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
    if control_rule not in _RULES:
        raise ValueError(f"control_rule must be one of {_RULES}, got {control_rule!r}")
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
        stakes = _control_in(graph, n)
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


def _control_in(graph: nx.MultiDiGraph, firm: str) -> list[tuple[str, float, bool]]:
    return [
        (o, float(a["kappa"]), bool(a.get("voting_control")))
        for o, _, k, a in graph.in_edges(firm, keys=True, data=True)
        if k == "control" and a.get("status") == "active"
    ]


def _immediate_controller(graph: nx.MultiDiGraph, firm: str, rule: str) -> str | None:
    stakes = _control_in(graph, firm)
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
        Control rule; defaults to ``graph.graph["control_rule"]`` (see module docstring).

    Returns
    -------
    str
        The top of the control chain (``firm`` itself if nobody controls it).

    Examples
    --------
    >>> g = baseline_graph_2025()
    >>> controller_of(g, "Starlink"), controller_of(g, "Amazon")
    ('Musk', 'Amazon')
    >>> controller_of(g, "Amazon", rule="plurality")
    'Bezos'
    """
    rule = rule or graph.graph.get("control_rule", "majority")
    if rule not in _RULES:
        raise ValueError(f"rule must be one of {_RULES}, got {rule!r}")
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


def exposure(graph: nx.MultiDiGraph, firm: str, *, tiers: int = 1) -> dict[str, dict[str, float]]:
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

    Returns
    -------
    dict
        ``{input: {controller: share}}`` (shares dimensionless in [0, 1]).

    Examples
    --------
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
            for c in {controller_of(graph, n) for n in tree}:
                shares[c] = shares.get(c, 0.0) + w / total
        out[inp] = shares
    return out


def _lost_inputs(
    graph: nx.MultiDiGraph,
    *,
    removed_nodes: frozenset = frozenset(),
    removed_edges: frozenset = frozenset(),
    cascade: bool = True,
) -> dict[str, set[str]]:
    """Firms -> critical inputs left without any active, operating supplier.

    Only inputs the firm has at least one supplier for in the intact graph count. With
    ``cascade`` a firm that loses a critical input stops supplying others (repeated to a
    fixed point).
    """
    needs = [(f, i) for f in graph for i in _critical_inputs(graph, f) if _suppliers(graph, f, i)]
    failed, lost = set(removed_nodes), {}
    changed = True
    while changed:
        changed = False
        for f, i in needs:
            if f in removed_nodes or i in lost.get(f, ()):
                continue
            live = [u for u, _ in _suppliers(graph, f, i, removed_edges) if u not in failed]
            if not live:
                lost.setdefault(f, set()).add(i)
                changed = True
                if cascade:
                    failed.add(f)
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
    >>> cp = chokepoints(baseline_graph_2025())
    >>> cp["SpaceX"]["Starcloud"], "Amazon Leo" in cp["SpaceX"]
    (('launch',), False)
    """
    suppliers = sorted({u for u, _, k in graph.edges(keys=True) if k in INPUTS})
    out = {}
    for v in suppliers:
        lost = _lost_inputs(graph, removed_nodes=frozenset({v}), cascade=cascade)
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
        Inputs withheld (default: all of :data:`INPUTS`).
    cascade : bool, default True
        Propagate failures downstream (see :func:`chokepoints`).

    Returns
    -------
    ForeclosureReach

    Examples
    --------
    >>> r = foreclosure_reach(baseline_graph_2025(), "Musk", ["launch"])
    >>> sorted(r.lost), r.kept["Amazon Leo"]["launch"]
    (['Axiom', 'Lonestar', 'Starcloud'], ('Arianespace', 'Blue Origin', 'ULA'))
    """
    if foreclosing_controller not in graph:
        raise KeyError(f"unknown node {foreclosing_controller!r}")
    inputs = tuple(INPUTS if inputs is None else inputs)
    for i in inputs:
        _check_choice("foreclosure_reach", "input", i, INPUTS)
    own = controlled_nodes(graph, foreclosing_controller)
    cut = tuple(
        sorted(
            (u, d, k)
            for u, d, k, a in graph.edges(keys=True, data=True)
            if k in inputs and a.get("status") == "active" and u in own and d not in own
        )
    )
    lost = _lost_inputs(graph, removed_edges=frozenset(cut), cascade=cascade)
    failed = set(lost) if cascade else set()
    kept: dict[str, dict[str, tuple[str, ...]]] = {}
    for _, d, i in cut:
        if i in lost.get(d, ()):
            continue
        alive = [u for u, _ in _suppliers(graph, d, i, frozenset(cut)) if u not in failed]
        kept.setdefault(d, {})[i] = tuple(sorted(alive))
    logger.debug("foreclosure by %s cuts %d edges", foreclosing_controller, len(cut))
    return ForeclosureReach(
        controller=foreclosing_controller,
        foreclosed_edges=cut,
        lost={f: tuple(sorted(i)) for f, i in sorted(lost.items())},
        kept=kept,
    )


# --- 2025 baseline (market_data.md section 6; t0 = Dec 2025) -------------------------------
_MD = "shared/research/market_data.md"
_BASE_NODES = (
    ("Musk", "owner"), ("Bezos", "owner"), ("SpaceX", "launch"), ("Blue Origin", "launch"),
    ("ULA", "launch"), ("Arianespace", "launch"), ("Stoke", "launch"), ("Starlink", "satellite"),
    ("Amazon Leo", "satellite"), ("Starcloud", "odc"), ("Axiom", "odc"), ("Lonestar", "odc"),
    ("OpenAI", "ai_lab"), ("Anthropic", "ai_lab"), ("xAI", "ai_lab"), ("Microsoft", "cloud"),
    ("Google", "cloud"), ("Amazon", "cloud"), ("Oracle", "cloud"), ("CoreWeave", "cloud"),
    ("Nvidia", "chipmaker"),
)  # fmt: skip
# (upstream, downstream, input, input_units, source). Amazon Leo launch units: contracted
# launches / 80 (47 ULA incl. 9 Atlas V, 18 Ariane 6, 12 New Glenn, 3 Falcon 9; derived);
# OpenAI compute units: contract values / $610.4B (derived); other units 1.0 (split unknown).
_BASE_SUPPLY = (
    ("SpaceX", "Starlink", "launch", 1.0, f"{_MD} §1e: 123 of 165 Falcon launches in 2025 (H)"),
    ("ULA", "Amazon Leo", "launch", 47 / 80, f"{_MD} §3/§6: 38 Vulcan + 9 Atlas V (techspot, H)"),
    ("Arianespace", "Amazon Leo", "launch", 18 / 80, f"{_MD} §6: 18 Ariane 6 (techspot, H)"),
    ("Blue Origin", "Amazon Leo", "launch", 12 / 80, f"{_MD} §6: 12 New Glenn (techspot, H)"),
    ("SpaceX", "Amazon Leo", "launch", 3 / 80, f"{_MD} §3: 3 Falcon 9, Dec 2023 (H)"),
    ("SpaceX", "Starcloud", "launch", 1.0, f"{_MD} §4/§6: Bandwagon-4, Nov 2025 (H)"),
    ("SpaceX", "Lonestar", "launch", 1.0, f"{_MD} §4/§6: Athena on Falcon 9, Feb 2025 (H)"),
    ("SpaceX", "Axiom", "launch", 1.0, f"{_MD} §4/§6: ODC nodes on Falcon 9 (H)"),
    ("Microsoft", "OpenAI", "compute", 250 / 610.4, f"{_MD} §6: $250B Azure (qlikey, H)"),
    ("Oracle", "OpenAI", "compute", 300 / 610.4, f"{_MD} §6: $300B (livemint, H)"),
    ("CoreWeave", "OpenAI", "compute", 22.4 / 610.4, f"{_MD} §6: $22.4B (Reuters, H)"),
    ("Amazon", "OpenAI", "compute", 38 / 610.4, f"{_MD} §6: $38B / 7 yrs (qlikey, H)"),
    ("Amazon", "Anthropic", "compute", 1.0, f"{_MD} §6: primary cloud (gogoai, H)"),
    ("Google", "Anthropic", "compute", 1.0, f"{_MD} §6: up to 1M TPUs (NYT, H)"),
    ("Microsoft", "Anthropic", "compute", 1.0, f"{_MD} §6: $30B Azure (maxthon, H)"),
    ("Google", "Starlink", "compute", 1.0, f"{_MD} §6: SpaceX uses Google Cloud for Starlink"),
)
# (owner, firm, kappa, voting_control, source)
_BASE_CONTROL = (
    ("Musk", "SpaceX", 0.43, True, f"{_MD} §6: control; 43% of merged SpaceX (2026, L)"),
    ("Musk", "xAI", 0.5, True, f"{_MD} §6: control (L); stake undisclosed, kappa 0.5 is A"),
    ("SpaceX", "Starlink", 1.0, None, f"{_MD} §1e: Starlink is SpaceX's constellation"),
    ("SpaceX", "xAI", 2 / 113, None, f"{_MD} §5a/§6: $2B at a $113B valuation (derived)"),
    ("Google", "SpaceX", 0.07, None, f"{_MD} §6: 'around 7%' (reportify, M)"),
    ("Microsoft", "OpenAI", 0.27, None, f"{_MD} §6: ~27% (qlikey, H)"),
    ("Google", "Anthropic", 0.14, None, f"{_MD} §6: ~14% (NYT, H)"),
    ("Nvidia", "CoreWeave", 0.06, None, f"{_MD} §6: ~6% (crypto-observer, M)"),
    ("Bezos", "Blue Origin", 1.0, None, f"{_MD} §6: 100% owner (H)"),
    ("Amazon", "Amazon Leo", 1.0, None, f"{_MD} §3: Amazon's constellation (H)"),
    ("Bezos", "Amazon", 0.09, None, "~9% Jan 2026, jasoncote.co; 10.8% May 2024, nasdaq.com (M)"),
)


def baseline_graph_2025(
    *,
    openai_controls_stoke: bool = False,
    openai_stoke_kappa: float = 1.0,
    post_seed: bool = False,
    control_rule: str = "majority",
) -> nx.MultiDiGraph:
    """The Dec 2025 ownership/supply graph of market_data.md section 6, one source per edge.

    Parameters
    ----------
    openai_controls_stoke : bool, default False
        Make the OpenAI -> Stoke control edge active (the explored, inactive deal of
        Dec 2025); otherwise it is kept with status ``"potential"``.
    openai_stoke_kappa : float, default 1.0
        Its kappa; the size of the proposed "controlling stake" was not reported, so this
        is a scenario parameter, not data.
    post_seed : bool, default False
        Apply POST-SEED facts: the SpaceX-xAI merger (kappa 1, Feb 2026) and the 10 extra
        Falcon 9 launches bought by Amazon Leo (Amazon Leo launch units then / 90).
    control_rule : {"majority", "plurality"}, default "majority"

    Returns
    -------
    networkx.MultiDiGraph

    Examples
    --------
    >>> g = baseline_graph_2025(openai_controls_stoke=True)
    >>> g.nodes["Stoke"]["controller"]
    'OpenAI'
    """
    nodes = [{"name": n, "kind": k} for n, k in _BASE_NODES]
    supply = [
        {"upstream": u, "downstream": d, "input": i, "input_units": w, "source": s}
        for u, d, i, w, s in _BASE_SUPPLY
    ]
    control = [
        {"owner": o, "firm": f, "kappa": k, "voting_control": v, "source": s}
        for o, f, k, v, s in _BASE_CONTROL
    ]
    control.append(
        {
            "owner": "OpenAI",
            "firm": "Stoke",
            "kappa": openai_stoke_kappa,
            "voting_control": True,
            "status": "active" if openai_controls_stoke else "potential",
            "source": f"{_MD} §0/§6: explored control, inactive (WSJ, Dec 2025, H)",
        }
    )
    if post_seed:
        for e in supply:
            if e["downstream"] == "Amazon Leo":
                e["input_units"] = e["input_units"] * 80 / 90 + (
                    10 / 90 if e["upstream"] == "SpaceX" else 0
                )
                e["source"] += "; +10 Falcon 9 late 2025 (flyingtomars, POST-SEED)"
        for e in control:
            if (e["owner"], e["firm"]) == ("SpaceX", "xAI"):
                e["kappa"] = 1.0
                e["source"] = f"{_MD} §4/§6: SpaceX acquired xAI, 2 Feb 2026 (POST-SEED, H)"
            if (e["owner"], e["firm"]) == ("Musk", "xAI"):
                e["status"] = "potential"  # superseded by the merger (would exceed 100%)
    return build_dependency_graph(nodes, supply, control, control_rule=control_rule)
