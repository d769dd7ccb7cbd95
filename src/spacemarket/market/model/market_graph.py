"""The market graph: the model's state of who can supply and who controls whom, by quarter.

:class:`MarketGraph` holds one :class:`networkx.MultiDiGraph` in the form
:func:`~spacemarket.market.economics.dependency_graph.build_dependency_graph` builds, so the
analytics of :mod:`~spacemarket.market.economics.graph_analytics` run on it unchanged. Nodes
are named as the model's agents: every launch provider (kind ``"launch"``), cloud (``"cloud"``)
and lab (``"ai_lab"``), and every controller or owner that is not a firm (``"owner"``).

* Supply ``provider -> lab`` key ``"launch"`` from every provider with a vehicle: the possible
  contracts the contracts stage bargains over. Each counts one unit, so a lab's launch exposure
  is the share of its open launch edges under each controller. ``provider -> lab`` key
  ``"backhaul"`` from the lab's backhaul supplier, ``cloud -> lab`` key ``"compute"`` with
  ``input_units`` = the lab's supplier share (its ``"own"`` share is no edge).
* Control ``owner -> firm`` (kappa): the scenario's control records whose start has come (a
  later record for the same pair replaces its kappa), and a firm's scenario ``controller``
  holding the rest, ``1 -`` the recorded stakes (kappa 1 when no record names the firm).

A lab's critical inputs are those it buys, except compute when it also has its own data centers
(a minority cloud supplier is then no cut-off). The graph is built from the scenario alone
(:meth:`MarketGraph.from_scenario`) and updated once a quarter after the contracts stage
(:meth:`MarketGraph.update`): control records whose start has come take effect, node
controllers follow the structure stage, and edges take the quarter's :class:`EdgeTerms`. A
``"dropped"`` or ``"refused"`` edge gets the graph status ``"foreclosed"``, which the analytics
ignore, and keeps the fine status in ``contract_status``; an edge not mentioned keeps its terms.

>>> from spacemarket.market.scenario import load_scenario, quarter_index
>>> s = load_scenario("baseline-2026")
>>> q = quarter_index(s.start)
>>> g = MarketGraph.from_scenario(s, q)
>>> a = g.analytics("Musk")
>>> round(a["graph_max_launch_exposure"], 4), a["graph_foreclosure_reach_labs"]
(0.1667, 0.0)
>>> g.update(q, {}, [EdgeTerms(p, "OpenAI", "launch", "refused")
...                  for p, lab in g.launch_edges() if lab == "OpenAI" and p != "SpaceX"])
>>> a = g.analytics("Musk")
>>> a["graph_max_launch_exposure"], a["graph_foreclosure_reach_labs"]
(1.0, 1.0)
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import networkx as nx

from spacemarket.market.economics.dependency_graph import (
    INPUTS,
    build_dependency_graph,
    validate_dependency_graph,
)
from spacemarket.market.economics.graph_analytics import chokepoints, exposure, foreclosure_reach
from spacemarket.market.economics.graph_control import controller_of
from spacemarket.market.model.structure import active_control
from spacemarket.market.scenario.spec import ControlSpec, Scenario

__all__ = ["ANALYTICS_KEYS", "CONTRACT_STATUS", "EdgeTerms", "MarketGraph"]

log = logging.getLogger(__name__)

#: The fine status of a supply edge (in this order in the analytics); "dropped" and "refused"
#: are "foreclosed" in the graph.
CONTRACT_STATUS = ("active", "dropped", "refused")
#: The keys of :meth:`MarketGraph.analytics`, in order.
ANALYTICS_KEYS = (
    "graph_active_launch_edges",
    "graph_dropped_launch_edges",
    "graph_refused_launch_edges",
    "graph_chokepoints",
    "graph_launch_chokepoints",
    "graph_max_launch_exposure",
    "graph_foreclosure_cut_launch_edges",
    "graph_foreclosure_reach_labs",
)
_IMPLIED = "scenario controller"  # source of the control edge implied by a firm's controller


@dataclass(frozen=True)
class EdgeTerms:
    """A quarter's terms of the supply edge ``seller -> buyer`` for ``input``.

    ``status`` is one of :data:`CONTRACT_STATUS`; ``price_usd_per_kg`` (NaN when not priced) and
    ``kg`` (flown this quarter) are written to the edge's ``price`` and ``kg``.
    """

    seller: str
    buyer: str
    input: str
    status: str
    price_usd_per_kg: float = math.nan
    kg: float = 0.0

    def __post_init__(self) -> None:
        if self.input in INPUTS and self.status in CONTRACT_STATUS:
            return  # (checked first: a quarter builds one per launch edge)
        for name, allowed in (("input", INPUTS), ("status", CONTRACT_STATUS)):
            if getattr(self, name) not in allowed:
                raise ValueError(f"EdgeTerms {name} must be one of {allowed}, got {self!r}")


def _supply(upstream: str, lab: str, inp: str, units: float = 1.0) -> dict:
    rec = {"upstream": upstream, "downstream": lab, "input": inp, "input_units": units}
    return rec | {"contract_status": "active", "kg": 0.0}


def _control_edges(
    control: Iterable[ControlSpec], firm_controllers: Mapping[str, str], q: int
) -> list[dict]:
    """Control records active in quarter ``q`` (the latest per pair), then the implied edges
    of the firms' scenario controllers (the rest of each firm)."""
    active = active_control(control, q)
    held: dict[str, float] = {}
    for (_, firm), c in active.items():
        held[firm] = held.get(firm, 0.0) + c.kappa
    edges = [
        {"owner": o, "firm": f, "kappa": c.kappa, "source": c.source}
        for (o, f), c in active.items()
    ]
    for firm, owner in firm_controllers.items():
        rest = 1.0 - held.get(firm, 0.0)
        if (owner, firm) not in active and rest > 1e-9:
            edges.append({"owner": owner, "firm": firm, "kappa": rest, "source": _IMPLIED})
    return edges


class MarketGraph:
    """The market graph of a scenario (see the module docstring); build with :meth:`from_scenario`.

    ``graph`` is the live :class:`networkx.MultiDiGraph`; ``dominant_provider`` the provider
    with most vehicles (ties: most payload per launch summed over them), whose controller is
    the default foreclosing controller of :meth:`analytics`.
    """

    def __init__(self, graph: nx.MultiDiGraph, control, firm_controllers, dominant) -> None:
        self.graph = graph
        self._control: tuple[ControlSpec, ...] = tuple(control)
        self._firm_controllers: dict[str, str] = dict(firm_controllers)  # only c != firm
        self.dominant_provider: str | None = dominant
        self._analytics_key: tuple | None = None  # the structure the cached numbers are for
        self._analytics: dict[str, float] = {}
        #: the control edges and model controllers the graph was last brought to: while they
        #: hold, a quarter only updates supply terms (no re-validation, no control walk)
        self._structure_key: tuple | None = None
        #: bumped by :meth:`update` whenever an edge's status or the control structure
        #: changes: what the analytics depend on (the graph changes only through update)
        self._version = 0

    @classmethod
    def from_scenario(cls, scenario: Scenario, start_q: int) -> MarketGraph:
        """The graph of ``scenario`` at quarter ``start_q`` (control records active by then)."""
        s = scenario
        firms = [(p.name, "launch", p.controller) for p in s.providers]
        firms += [(c.name, "cloud", c.controller) for c in s.clouds]
        names = {n for n, _, _ in firms} | {lab.name for lab in s.labs}
        nodes = [{"name": n, "kind": k} for n, k, _ in firms]
        firms += [(lab.name, "ai_lab", lab.controller) for lab in s.labs]
        owners = dict.fromkeys(c for _, _, c in firms if c not in names)
        owners |= dict.fromkeys(c.owner for c in s.control if c.owner not in names)
        for c in s.control:
            if c.firm not in names and c.firm not in owners:
                raise ValueError(f"control record {c.owner!r} -> {c.firm!r}: unknown firm")
        fleets = {p.name: [v for v in s.vehicles if v.provider == p.name] for p in s.providers}
        launchers = [p.name for p in s.providers if fleets[p.name]]
        supply = []
        for lab in s.labs:
            supply += [_supply(p, lab.name, "launch") for p in launchers]
            critical = {"launch"} if launchers else set()
            if lab.backhaul_supplier not in ("", "own"):
                if lab.backhaul_supplier not in fleets:
                    raise ValueError(f"lab {lab.name!r}: backhaul supplier is no launch provider")
                supply.append(_supply(lab.backhaul_supplier, lab.name, "backhaul"))
                critical.add("backhaul")
            shares = lab.suppliers or {}
            clouds = {c: x for c, x in shares.items() if c != "own" and x > 0}
            supply += [_supply(c, lab.name, "compute", x) for c, x in clouds.items()]
            if clouds and not shares.get("own", 0.0):
                critical.add("compute")
            critical = tuple(sorted(critical))
            nodes.append({"name": lab.name, "kind": "ai_lab", "critical_inputs": critical})
        nodes += [{"name": o, "kind": "owner"} for o in owners]
        size = {p: (len(f), sum(v.payload_capacity_kg for v in f)) for p, f in fleets.items()}
        dominant = max(launchers, key=lambda p: size[p], default=None)
        controllers = {n: c for n, _, c in firms if c != n}
        graph = build_dependency_graph(
            nodes, supply, _control_edges(s.control, controllers, start_q)
        )
        log.debug("market graph of %s: %d nodes, %d edges", s.name, len(graph), graph.size())
        return cls(graph, s.control, controllers, dominant)

    def launch_edges(self) -> list[tuple[str, str]]:
        """Every possible launch edge ``(provider, lab)``, whatever its status."""
        return [(u, v) for u, v, k in self.graph.edges(keys=True) if k == "launch"]

    def update(self, q: int, controllers: Mapping[str, str] | None = None,
               terms: Iterable[EdgeTerms] = ()) -> None:  # fmt: skip
        """Bring the graph to quarter ``q``: control edges active by then, each node's
        ``controller`` from ``controllers`` (firm -> ultimate controller; the graph's own where
        absent, with a warning where they differ) and the quarter's supply terms (edges not in
        ``terms`` keep theirs). Raises ``KeyError`` on terms of an edge the graph lacks."""
        g = self.graph
        want = {(e.pop("owner"), e.pop("firm")): e for e in
                _control_edges(self._control, self._firm_controllers, q)}  # fmt: skip
        controllers = controllers or {}
        key = (tuple(sorted((o, f, tuple(sorted(e.items()))) for (o, f), e in want.items())),
               tuple(sorted(controllers.items())))  # fmt: skip
        if key != self._structure_key:
            for u, v in [(u, v) for u, v, k in g.edges(keys=True) if k == "control"]:
                if (u, v) not in want:
                    g.remove_edge(u, v, key="control")
            for (o, f), e in want.items():
                g.add_edge(o, f, key="control", edge_type="control", voting_control=None,
                           status="active", **e)  # fmt: skip
            validate_dependency_graph(g)
            for n in g:
                own = controller_of(g, n)
                given = controllers.get(n, own)
                if given != own:
                    log.warning("%s: controller %r in the model, %r in the graph", n, given, own)
                g.nodes[n]["controller"] = given
            self._structure_key = key
            self._version += 1
        adj = g.adj
        for t in terms:
            try:
                edge = adj[t.seller][t.buyer][t.input]
            except KeyError:
                raise KeyError(
                    f"no {t.input} edge {t.seller!r} -> {t.buyer!r} in the graph"
                ) from None
            status = "active" if t.status == "active" else "foreclosed"
            if edge.get("status") != status or edge.get("contract_status") != t.status:
                self._version += 1
            edge.update(status=status, contract_status=t.status, price=float(t.price_usd_per_kg),
                        kg=float(t.kg))  # fmt: skip

    def default_foreclosing_controller(self) -> str | None:
        """The ultimate controller of :attr:`dominant_provider` (None without launchers)."""
        p = self.dominant_provider
        return None if p is None else controller_of(self.graph, p)

    def analytics(self, foreclosing_controller: str | None = None) -> dict[str, float]:
        """The quarter's graph numbers, keyed as :data:`ANALYTICS_KEYS`.

        Launch edges active, dropped and refused; nodes whose removal cuts some firm off from a
        critical input (any, and launch); the largest share of any lab's active launch edges
        under one ultimate controller (0 when no lab has one); and, if the foreclosing
        controller (default :meth:`default_foreclosing_controller`) withheld launch from rivals,
        the launch edges cut and the labs left without launch (NaN without a controller).
        Raises ``KeyError`` for a controller that is no node.
        """
        g = self.graph
        controller = foreclosing_controller or self.default_foreclosing_controller()
        # the numbers depend only on the graph's structure (edge statuses, control): reuse
        # them while update has not changed it
        key = (controller, self._version)
        if key == self._analytics_key:
            return dict(self._analytics)
        fine = [
            a.get("contract_status", "active")
            for *_, k, a in g.edges(keys=True, data=True)
            if k == "launch"
        ]
        cp = chokepoints(g)
        cp_launch = sum(any("launch" in i for i in cut_off.values()) for cut_off in cp.values())
        labs = [n for n, kind in g.nodes(data="kind") if kind == "ai_lab"]
        owners = {n: controller_of(g, n) for n in g}  # once, not per supplier of every lab
        max_exposure = max(
            (
                s
                for lab in labs
                for s in exposure(g, lab, controllers=owners).get("launch", {}).values()
            ),
            default=0.0,
        )
        reach = cut = math.nan
        if controller is not None:
            r = foreclosure_reach(g, controller, ["launch"])
            reach = sum(1 for f, lost in r.lost.items() if f in labs and "launch" in lost)
            cut = len(r.foreclosed_edges)
        counts = [fine.count(status) for status in CONTRACT_STATUS]
        values = [*counts, len(cp), cp_launch, max_exposure, cut, reach]
        out = {k: float(v) for k, v in zip(ANALYTICS_KEYS, values, strict=True)}
        self._analytics_key, self._analytics = key, out
        return dict(out)

    def node_link(self) -> dict:
        """A JSON-serialisable node-link snapshot (NaN as None, tuples as lists)."""
        try:
            data = nx.node_link_data(self.graph, edges="edges")
        except TypeError:  # networkx < 3.4
            data = nx.node_link_data(self.graph, link="edges")
        return _plain(data)


def _plain(x):
    if isinstance(x, dict):
        return {str(k): _plain(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_plain(v) for v in x]
    if isinstance(x, float) and not math.isfinite(x):
        return None
    return x
