"""A small vertical market: launch providers supply orbital-compute sellers.

Each downstream product ``j`` (e.g. "orbital compute sold by OpenAI, launched by Stoke") is
tied to one supply edge: upstream firm ``u_j`` (marginal cost ``c_u`` in USD per kg),
downstream firm ``d_j``, ``input_units_j`` kg of launch per unit of output (e.g. per kW-year
of orbital compute). Final demand is logit (or nested logit) in the products, utility
``delta_j - alpha p_j`` with an outside good (terrestrial compute, not buying).

Contracts: a *linear* contract between firms with different decision makers trades at a
negotiated per-unit price ``w_j``; a *two-part* contract trades at ``c_u`` (a lump-sum
transfer ``T_j`` splits the surplus), and so does an *integrated* edge, one whose upstream and
downstream firms have the same decision maker (controller). Integration therefore removes
double marginalisation only where the contract would otherwise be linear (Spengler 1950;
Kwoka & Slade 2020).

The decision maker ``D`` of each firm maximises ``V_D = sum_g kappa[D, g] Pi_g`` (O'Brien &
Salop 2000). This module defines the market (:class:`VerticalMarket`, built from names with
:func:`make_vertical_market` or from a dependency graph with
:func:`vertical_market_from_graph`); :mod:`.vertical_spot` computes its spot outcome given
the contracts, and :mod:`.nash_in_nash` the contracts.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np

from spacemarket.market.economics.graph_control import controller_of

__all__ = ["VerticalMarket", "make_vertical_market", "vertical_market_from_graph"]


@dataclass(frozen=True)
class VerticalMarket:
    """Vertical launch -> orbital-compute market (build with :func:`make_vertical_market`).

    Shapes: ``J`` products (= supply edges), ``F`` firms, ``C`` controllers.

    Attributes
    ----------
    firms : tuple of str, (F,)
    products : tuple of str, (J,)
        Edge labels ``"upstream->downstream"``.
    upstream, downstream : numpy.ndarray of int, (J,)
        Firm indices of each product's supplier and seller.
    input_units : numpy.ndarray, (J,)
        kg of input per unit of output.
    upstream_cost : numpy.ndarray, (F,)
        Marginal cost of supplying the input, USD per kg (NaN for non-suppliers).
    mean_utility : numpy.ndarray, (J,)
        ``delta_j``, utils.
    downstream_cost : numpy.ndarray, (J,)
        Seller's own marginal cost excluding the input, USD per unit of output.
    price_sensitivity : float
        ``alpha``, utils per USD.
    contract : tuple of str, (J,)
        ``"linear"`` or ``"two_part"``.
    bargaining_weight : numpy.ndarray, (J,)
        Upstream's Nash bargaining weight per edge, in [0, 1].
    active : numpy.ndarray of bool, (J,)
        Edges open for contracting (``False``: imposed foreclosure).
    controllers : tuple of str, (C,)
    kappa : numpy.ndarray, (C, F)
        ``kappa[c, g]``: weight of firm ``g``'s profit in controller ``c``'s objective.
    decision_maker : numpy.ndarray of int, (F,)
        Controller index that takes each firm's decisions.
    market_size : float
        Number of buyers (e.g. kW-years demanded at full coverage).
    nest_ids, rho : optional
        Nested-logit structure passed to ``solve_prices``.
    fallback_price : numpy.ndarray, (J,)
        USD per kg under the ``"fallback"`` disagreement convention of :mod:`.vertical_spot`
        (``inf``: no alternative).
    fallback_supplier : numpy.ndarray of int, (J,)
        Firm index of the fallback supplier, -1 for the competitive fringe.
    """

    firms: tuple[str, ...]
    products: tuple[str, ...]
    upstream: np.ndarray
    downstream: np.ndarray
    input_units: np.ndarray
    upstream_cost: np.ndarray
    mean_utility: np.ndarray
    downstream_cost: np.ndarray
    price_sensitivity: float
    contract: tuple[str, ...]
    bargaining_weight: np.ndarray
    active: np.ndarray
    controllers: tuple[str, ...]
    kappa: np.ndarray
    decision_maker: np.ndarray
    market_size: float = 1.0
    nest_ids: tuple | None = None
    rho: object | None = None
    fallback_price: np.ndarray | None = None
    fallback_supplier: np.ndarray | None = None

    @property
    def integrated(self) -> np.ndarray:
        """(J,) bool: supplier and seller share a decision maker (transfer at cost)."""
        return self.decision_maker[self.upstream] == self.decision_maker[self.downstream]

    @property
    def edge_cost(self) -> np.ndarray:
        """(J,) upstream marginal cost of each edge, USD per kg."""
        return self.upstream_cost[self.upstream]

    @property
    def linear_bargained(self) -> np.ndarray:
        """(J,) bool: edges whose per-unit price is negotiated (linear, not integrated)."""
        return (np.array(self.contract) == "linear") & ~self.integrated

    def pair(self, j: int) -> tuple[int, int]:
        """Controller indices ``(upstream's, downstream's)`` of edge ``j``."""
        return (
            int(self.decision_maker[self.upstream[j]]),
            int(self.decision_maker[self.downstream[j]]),
        )


def make_vertical_market(
    upstream_costs: Mapping[str, float],
    products: Sequence[Mapping],
    *,
    price_sensitivity: float,
    decision_makers: Mapping[str, str] | None = None,
    kappa: Mapping[tuple[str, str], float] | None = None,
    market_size: float = 1.0,
    rho: object | None = None,
) -> VerticalMarket:
    """Build and validate a :class:`VerticalMarket` from names.

    Parameters
    ----------
    upstream_costs : mapping
        ``{supplier: marginal cost, USD per kg}``.
    products : sequence of mapping
        One per supply edge: ``upstream``, ``downstream``, ``input_units`` (kg per unit),
        ``mean_utility`` (utils), ``downstream_cost`` (USD per unit), optional ``contract``
        (``"linear"``), ``bargaining_weight`` (0.5), ``active`` (True), ``nest`` (for nested
        logit, with ``rho``), ``fallback_price`` (inf, USD/kg), ``fallback_supplier``
        (None = fringe).
    price_sensitivity : float
        ``alpha``, utils per USD (> 0).
    decision_makers : mapping, optional
        ``{firm: controller}``; firms not listed decide for themselves.
    kappa : mapping, optional
        ``{(controller, firm): weight}``; ``kappa[D(g), g]`` defaults to 1 for each firm.
    market_size : float, default 1.0
    rho : float or mapping, optional
        Nesting parameter in (0, 1] when products carry a ``nest``: one value, or
        ``{nest: value}``.

    Returns
    -------
    VerticalMarket

    Examples
    --------
    >>> m = make_vertical_market(
    ...     {"SpaceX": 1000.0},
    ...     [{"upstream": "SpaceX", "downstream": "xAI", "input_units": 2.0,
    ...       "mean_utility": 3.0, "downstream_cost": 5000.0}],
    ...     price_sensitivity=1e-3, decision_makers={"xAI": "SpaceX"},
    ... )
    >>> bool(m.integrated[0]), m.controllers
    (True, ('SpaceX',))
    """
    firms: list[str] = list(upstream_costs)
    for p in products:
        for key in ("upstream", "downstream"):
            if p.get(key) is None:
                raise ValueError(f"product {p!r} lacks {key!r}")
            if p[key] not in firms:
                firms.append(p[key])
        if p["upstream"] not in upstream_costs:
            raise ValueError(f"no upstream cost for supplier {p['upstream']!r}")
    if not products:
        raise ValueError("products must not be empty")
    index = {f: i for i, f in enumerate(firms)}
    dm_names = {f: (decision_makers or {}).get(f, f) for f in firms}
    owners = [c for c, _ in (kappa or {})]
    controllers = tuple(dict.fromkeys([*dm_names.values(), *owners]))
    cidx = {c: i for i, c in enumerate(controllers)}
    kap = np.zeros((len(controllers), len(firms)))
    for f in firms:
        kap[cidx[dm_names[f]], index[f]] = 1.0
    for (c, f), value in (kappa or {}).items():
        if f not in index:
            raise ValueError(f"kappa: unknown firm {f!r}")
        if not (np.isfinite(value) and 0.0 <= value <= 1.0):
            raise ValueError(f"kappa[{c!r}, {f!r}] must lie in [0, 1], got {value}")
        kap[cidx[c], index[f]] = value
    for f in firms:
        if kap[cidx[dm_names[f]], index[f]] <= 0.0:
            raise ValueError(f"kappa of {f!r}'s decision maker {dm_names[f]!r} must be > 0")

    def col(key: str, default: object = None) -> list:
        values = [p.get(key, default) for p in products]
        if any(v is None for v in values):
            raise ValueError(f"every product needs {key!r}")
        return values

    units = np.asarray(col("input_units"), dtype=float)
    for key in ("mean_utility", "downstream_cost"):
        if not np.all(np.isfinite(np.asarray(col(key), dtype=float))):
            raise ValueError(f"{key} must be finite for every product")
    weights = np.asarray(col("bargaining_weight", 0.5), dtype=float)
    contract = tuple(col("contract", "linear"))
    fallback = np.asarray(col("fallback_price", np.inf), dtype=float)
    ucost = np.array([upstream_costs.get(f, np.nan) for f in firms], dtype=float)
    if not np.all(np.isfinite(units) & (units > 0)):
        raise ValueError(f"input_units must be finite and > 0, got {units.tolist()}")
    if not np.all((weights >= 0) & (weights <= 1)):
        raise ValueError(f"bargaining_weight must lie in [0, 1], got {weights.tolist()}")
    if any(c not in ("linear", "two_part") for c in contract):
        raise ValueError(f"contract must be 'linear' or 'two_part', got {contract}")
    if np.any(np.isnan(fallback)) or np.any(fallback < 0):
        raise ValueError("fallback_price must be >= 0 (inf = no alternative supplier)")
    if not np.all(np.isfinite(ucost[[index[p["upstream"]] for p in products]])):
        raise ValueError("upstream_costs must be finite")
    if not (np.isfinite(price_sensitivity) and price_sensitivity > 0):
        raise ValueError(f"price_sensitivity must be finite and > 0, got {price_sensitivity}")
    fb_names = col("fallback_supplier", -1)
    if any(s != -1 and s not in upstream_costs for s in fb_names):
        raise ValueError(f"fallback_supplier must be a supplier in upstream_costs, got {fb_names}")
    nests = [p.get("nest") for p in products]
    if (rho is None) != all(n is None for n in nests) or (rho is not None and None in nests):
        raise ValueError("give every product a 'nest' together with rho, or neither")
    if isinstance(rho, Mapping) and set(nests) - set(rho):
        raise ValueError(f"rho has no value for nests {sorted(set(nests) - set(rho))}")
    return VerticalMarket(
        firms=tuple(firms),
        products=tuple(f"{p['upstream']}->{p['downstream']}" for p in products),
        upstream=np.array([index[p["upstream"]] for p in products]),
        downstream=np.array([index[p["downstream"]] for p in products]),
        input_units=units,
        upstream_cost=ucost,
        mean_utility=np.asarray(col("mean_utility"), dtype=float),
        downstream_cost=np.asarray(col("downstream_cost"), dtype=float),
        price_sensitivity=float(price_sensitivity),
        contract=contract,
        bargaining_weight=weights,
        active=np.asarray(col("active", True), dtype=bool),
        controllers=controllers,
        kappa=kap,
        decision_maker=np.array([cidx[dm_names[f]] for f in firms]),
        market_size=float(market_size),
        nest_ids=None if rho is None else tuple(nests),
        rho=rho,
        fallback_price=fallback,
        fallback_supplier=np.array([-1 if s == -1 else index[s] for s in fb_names]),
    )


def vertical_market_from_graph(
    graph: nx.MultiDiGraph,
    demand: Mapping[tuple[str, str], Mapping],
    *,
    price_sensitivity: float,
    input: str = "launch",
    market_size: float = 1.0,
    rho: object | None = None,
) -> VerticalMarket:
    """Vertical market for the ``input`` supply edges of a dependency graph listed in ``demand``.

    Suppliers need a ``marginal_cost`` node attribute (USD per input unit). Edge attributes
    give ``input_units``, ``contract``, ``bargaining_weight`` and ``status`` (foreclosed ->
    inactive). Decision makers are :func:`controller_of` each firm; ``kappa[c, g]`` is the
    controller's total (direct plus indirect) stake, ``sum_n K^n`` over active control edges.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
    demand : mapping
        ``{(upstream, downstream): {"mean_utility": ..., "downstream_cost": ...}}`` plus any
        other per-product key of :func:`make_vertical_market` (e.g. ``"nest"``).
    price_sensitivity : float
    input : str, default "launch"
    market_size : float, default 1.0
    rho : float or mapping, optional
        Nesting parameter(s), with a ``"nest"`` per product (as in :func:`make_vertical_market`).

    Returns
    -------
    VerticalMarket
    """
    products, costs = [], {}
    for (u, d), spec in demand.items():
        if not graph.has_edge(u, d, key=input):
            raise ValueError(f"no {input!r} supply edge {u!r} -> {d!r} in the graph")
        a = graph.edges[u, d, input]
        if "marginal_cost" not in graph.nodes[u]:
            raise ValueError(f"node {u!r} needs a 'marginal_cost' attribute (USD per unit)")
        costs[u] = float(graph.nodes[u]["marginal_cost"])
        products.append(
            {"upstream": u, "downstream": d, "input_units": a["input_units"]}
            | {"contract": a["contract"], "bargaining_weight": a["bargaining_weight"]}
            | {"active": a["status"] == "active"}
            | dict(spec)
        )
    nodes = list(graph)
    pos = {n: i for i, n in enumerate(nodes)}
    k = np.zeros((len(nodes), len(nodes)))
    for o, f, key, a in graph.edges(keys=True, data=True):
        if key == "control" and a.get("status") == "active":
            k[pos[o], pos[f]] = a["kappa"]
    total = np.linalg.solve(np.eye(len(nodes)) - k, np.eye(len(nodes)))  # sum_n K^n
    firms = {p[e] for p in products for e in ("upstream", "downstream")}
    dms = {f: controller_of(graph, f) for f in firms}
    kappa = {
        (c, f): float(min(total[pos[c], pos[f]], 1.0)) for c in set(dms.values()) for f in firms
    }
    kappa = {key: v for key, v in kappa.items() if v > 0.0}
    return make_vertical_market(
        costs,
        products,
        price_sensitivity=price_sensitivity,
        decision_makers=dms,
        kappa=kappa,
        market_size=market_size,
        rho=rho,
    )
