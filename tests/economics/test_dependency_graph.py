"""Dependency graph: validation, control chains, exposure, chokepoints, foreclosure reach."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.market.economics.baseline_graph import baseline_graph_2025
from spacemarket.market.economics.dependency_graph import (
    build_dependency_graph,
    validate_dependency_graph,
)
from spacemarket.market.economics.graph_analytics import chokepoints, exposure, foreclosure_reach
from spacemarket.market.economics.graph_control import controlled_nodes, controller_of


def _nodes(**kinds):
    return [{"name": n, "kind": k} for n, k in kinds.items()]


def _supply(u, d, inp="launch", units=1.0, **kw):
    return {"upstream": u, "downstream": d, "input": inp, "input_units": units} | kw


@pytest.fixture
def toy():
    """Two controllers; a compute chokepoint two tiers up; one buyer with a backup launcher.

    Musk -> SpaceX (voting control), SpaceX -> xAI (0.6). Cloud supplies compute to SpaceX
    only, so removing Cloud cuts SpaceX and (cascade) SpaceX's sole-sourced customers.
    """
    nodes = _nodes(Musk="owner", SpaceX="launch", Stoke="launch", Cloud="cloud",
                   xAI="ai_lab", ODC1="odc", ODC2="odc", Lab="ai_lab")  # fmt: skip
    supply = [
        _supply("Cloud", "SpaceX", "compute"),
        _supply("SpaceX", "xAI", units=10.0),
        _supply("SpaceX", "ODC1", units=4.0),
        _supply("SpaceX", "ODC2", units=3.0),
        _supply("Stoke", "ODC2", units=1.0),
        _supply("ODC1", "Lab", "compute", units=1.0),
        _supply("ODC2", "Lab", "compute", units=3.0),
    ]
    control = [
        {"owner": "Musk", "firm": "SpaceX", "kappa": 0.4, "voting_control": True},
        {"owner": "SpaceX", "firm": "xAI", "kappa": 0.6},
    ]
    return build_dependency_graph(nodes, supply, control)


# --- builder and validation ----------------------------------------------------------------


def test_builder_sets_attributes_and_controllers(toy):
    assert isinstance(toy, nx.DiGraph)  # MultiDiGraph is a DiGraph
    a = toy.edges["SpaceX", "ODC2", "launch"]
    assert (a["edge_type"], a["input"], a["contract"], a["status"]) == (
        "supply", "launch", "linear", "active"
    )  # fmt: skip
    assert a["bargaining_weight"] == 0.5 and a["input_units"] == 3.0
    assert toy.edges["SpaceX", "xAI", "control"]["kappa"] == 0.6
    assert toy.nodes["xAI"]["controller"] == "Musk"
    assert toy.nodes["Stoke"]["controller"] == "Stoke"


@pytest.mark.parametrize(
    ("nodes", "supply", "control", "message"),
    [
        (_nodes(A="rocket"), [], [], "unknown kind 'rocket'"),
        (_nodes(A="launch", B="odc"), [], [{"owner": "A", "firm": "B", "kappa": 0.0}], "kappa"),
        (_nodes(A="launch", B="odc"), [], [{"owner": "A", "firm": "B", "kappa": 1.5}], "kappa"),
        (_nodes(A="launch", B="odc"), [_supply("A", "B", "fuel")], [], "input must be one of"),
        (_nodes(A="launch", B="odc"), [_supply("A", "B", contract="spot")], [], "contract"),
        (_nodes(A="launch", B="odc"), [_supply("A", "B", units=0.0)], [], "input_units"),
        (_nodes(A="launch", B="odc"), [_supply("A", "B", bargaining_weight=1.2)], [], "weight"),
        (_nodes(A="launch", B="odc"), [_supply("A", "B", status="maybe")], [], "status"),
        (_nodes(A="launch"), [_supply("A", "Z")], [], "unknown node 'Z'"),
        (_nodes(A="launch"), [_supply("A", "A")], [], "self-loop"),
        (_nodes(A="launch", B="odc"), [_supply("A", "B"), _supply("A", "B")], [], "duplicate"),
        (_nodes(A="owner", B="owner", C="odc"),
         [], [{"owner": "A", "firm": "C", "kappa": 0.7}, {"owner": "B", "firm": "C", "kappa": 0.4}],
         "sum to more than 1"),
        (_nodes(A="owner", B="owner"),
         [], [{"owner": "A", "firm": "B", "kappa": 0.6}, {"owner": "B", "firm": "A", "kappa": 0.6}],
         "control cycle"),
        (_nodes(A="owner", B="owner", C="odc"),
         [], [{"owner": "A", "firm": "C", "kappa": 0.2, "voting_control": True},
              {"owner": "B", "firm": "C", "kappa": 0.2, "voting_control": True}],
         "more than one owner"),
    ],
)  # fmt: skip
def test_bad_graphs_raise_clear_errors(nodes, supply, control, message):
    with pytest.raises(ValueError, match=message):
        build_dependency_graph(nodes, supply, control)


def test_validate_catches_edits_after_building(toy):
    toy.edges["SpaceX", "xAI", "control"]["kappa"] = -0.1
    with pytest.raises(ValueError, match="kappa must be in"):
        validate_dependency_graph(toy)


# --- control -------------------------------------------------------------------------------


def test_control_chains_majority_voting_and_plurality():
    nodes = _nodes(A="owner", B="investor", C="launch", D="odc", E="odc")
    control = [
        {"owner": "A", "firm": "B", "kappa": 0.6},
        {"owner": "B", "firm": "C", "kappa": 0.7},
        {"owner": "A", "firm": "D", "kappa": 0.4},  # minority: D controls itself
        {"owner": "C", "firm": "D", "kappa": 0.3},
        {"owner": "B", "firm": "E", "kappa": 0.1, "voting_control": True},
    ]
    g = build_dependency_graph(nodes, [], control)
    assert controller_of(g, "C") == "A"
    assert controller_of(g, "D") == "D"
    assert controller_of(g, "E") == "A"
    assert controller_of(g, "D", rule="plurality") == "A"
    assert controlled_nodes(g, "B") == {"B", "C", "E"}
    assert controlled_nodes(g, "A") == {"A", "B", "C", "E"}
    with pytest.raises(KeyError):
        controller_of(g, "nobody")
    with pytest.raises(ValueError, match="rule"):
        controller_of(g, "C", rule="dictator")


def test_plurality_tie_raises():
    nodes = _nodes(A="owner", B="owner", C="odc")
    control = [{"owner": "A", "firm": "C", "kappa": 0.3}, {"owner": "B", "firm": "C", "kappa": 0.3}]
    g = build_dependency_graph(nodes, [], control)
    assert controller_of(g, "C") == "C"
    with pytest.raises(ValueError, match="tie"):
        controller_of(g, "C", rule="plurality")


# --- exposure ------------------------------------------------------------------------------


def test_exposure_shares_sum_to_one_and_weight_by_input_units(toy):
    launch = exposure(toy, "ODC2")["launch"]
    assert launch == pytest.approx({"Musk": 0.75, "Stoke": 0.25})
    assert sum(launch.values()) == pytest.approx(1.0)
    lab = exposure(toy, "Lab")["compute"]
    assert lab == pytest.approx({"ODC1": 0.25, "ODC2": 0.75})
    for firm in toy:
        for shares in exposure(toy, firm).values():
            assert sum(shares.values()) == pytest.approx(1.0)


def test_exposure_deeper_tiers_pass_through_suppliers(toy):
    deep = exposure(toy, "Lab", tiers=2)["compute"]
    # ODC1 (weight 1/4) relies on SpaceX; ODC2 (3/4) on SpaceX and Stoke
    assert deep["Musk"] == pytest.approx(1.0)
    assert deep["Stoke"] == pytest.approx(0.75)
    assert exposure(toy, "Lab", tiers=3)["compute"]["Cloud"] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="tiers"):
        exposure(toy, "Lab", tiers=0)


def test_foreclosed_edges_do_not_count(toy):
    toy.edges["SpaceX", "ODC2", "launch"]["status"] = "foreclosed"
    assert exposure(toy, "ODC2")["launch"] == {"Stoke": 1.0}


# --- chokepoints ---------------------------------------------------------------------------


def test_chokepoints_direct_and_cascading(toy):
    cp = chokepoints(toy)
    # Cloud is SpaceX's only compute supplier; SpaceX then fails, and its sole-sourced
    # customers (xAI, ODC1) lose launch; ODC2 keeps Stoke; Lab keeps ODC2.
    assert cp["Cloud"] == {"SpaceX": ("compute",), "ODC1": ("launch",), "xAI": ("launch",)}
    assert cp["SpaceX"] == {"ODC1": ("launch",), "xAI": ("launch",)}
    assert "Stoke" not in cp and "ODC1" not in cp and "ODC2" not in cp
    direct = chokepoints(toy, cascade=False)
    assert direct["Cloud"] == {"SpaceX": ("compute",)}


def test_chokepoint_through_a_single_upstream_of_two_suppliers():
    nodes = _nodes(Cloud="cloud", L1="launch", L2="launch", ODC="odc")
    supply = [
        _supply("Cloud", "L1", "compute"),
        _supply("Cloud", "L2", "compute"),
        _supply("L1", "ODC"),
        _supply("L2", "ODC"),
    ]
    cp = chokepoints(build_dependency_graph(nodes, supply))
    assert cp == {"Cloud": {"L1": ("compute",), "L2": ("compute",), "ODC": ("launch",)}}


# --- foreclosure reach ---------------------------------------------------------------------


def test_foreclosure_reach_lost_and_kept(toy):
    r = foreclosure_reach(toy, "Musk", ["launch"])
    assert r.foreclosed_edges == (("SpaceX", "ODC1", "launch"), ("SpaceX", "ODC2", "launch"))
    assert r.lost == {"ODC1": ("launch",)}  # xAI is Musk's: still supplied
    assert r.kept == {"ODC2": {"launch": ("Stoke",)}}
    assert foreclosure_reach(toy, "Musk", ["compute"]).foreclosed_edges == ()


def test_foreclosure_reach_cascades_to_the_next_tier():
    nodes = _nodes(Musk="owner", SpaceX="launch", ODC="odc", Lab="ai_lab", Cloud="cloud")
    supply = [_supply("SpaceX", "ODC"), _supply("ODC", "Lab", "compute"),
              _supply("Cloud", "Lab", "compute")]  # fmt: skip
    control = [{"owner": "Musk", "firm": "SpaceX", "kappa": 1.0}]
    g = build_dependency_graph(nodes, supply, control)
    r = foreclosure_reach(g, "Musk")
    assert r.lost == {"ODC": ("launch",)}
    assert r.kept == {}
    solo = build_dependency_graph(nodes, supply[:2], control)
    assert foreclosure_reach(solo, "Musk").lost == {"ODC": ("launch",), "Lab": ("compute",)}
    assert foreclosure_reach(solo, "Musk", cascade=False).lost == {"ODC": ("launch",)}
    with pytest.raises(ValueError, match="input"):
        foreclosure_reach(g, "Musk", ["fuel"])


# --- 2025 baseline (market_data.md section 6) ----------------------------------------------


def test_baseline_graph_is_sourced_and_consistent():
    g = baseline_graph_2025()
    assert all(a["source"] for *_, a in g.edges(data=True))
    assert controller_of(g, "Starlink") == "Musk"
    assert controller_of(g, "xAI") == "Musk"
    assert controller_of(g, "Blue Origin") == "Bezos"
    assert controller_of(g, "Amazon") == "Amazon"  # 9% is no majority
    assert controller_of(g, "Amazon", rule="plurality") == "Bezos"
    assert controller_of(g, "Stoke") == "Stoke"  # the OpenAI link is only potential
    assert g.edges["OpenAI", "Stoke", "control"]["status"] == "potential"
    leo = exposure(g, "Amazon Leo")["launch"]
    assert leo["Musk"] == pytest.approx(3 / 80)
    assert sum(leo.values()) == pytest.approx(1.0)
    openai = exposure(g, "OpenAI")["compute"]
    assert openai["Oracle"] == pytest.approx(300 / 610.4)
    # Musk cannot cut Amazon Leo off launch, but does cut the ODC start-ups
    r = foreclosure_reach(g, "Musk", ["launch"])
    assert set(r.lost) == {"Starcloud", "Lonestar", "Axiom"}
    assert "Amazon Leo" in r.kept


def test_baseline_scenarios_openai_stoke_and_post_seed():
    g = baseline_graph_2025(openai_controls_stoke=True, openai_stoke_kappa=0.6)
    assert controller_of(g, "Stoke") == "OpenAI"
    assert g.edges["OpenAI", "Stoke", "control"]["kappa"] == 0.6
    post = baseline_graph_2025(post_seed=True)
    assert post.edges["SpaceX", "xAI", "control"]["kappa"] == 1.0
    assert "xAI" in controlled_nodes(post, "SpaceX")
    assert exposure(post, "Amazon Leo")["launch"]["Musk"] == pytest.approx(13 / 90)


def test_the_baseline_graph_names_firms_as_the_agents_with_their_controllers():
    """One source of names: every firm of the scenarios' shared structure that the sourced
    graph also holds has the same kind there and the same ultimate controller (the graph's
    control rule over its sourced stakes). The model's own market graph is built from the
    scenario, so the two cannot name a firm differently."""
    import tomllib
    from importlib import resources

    base = resources.files("spacemarket.market.data") / "scenarios" / "_structure.toml"
    doc = tomllib.loads(base.read_text(encoding="utf-8"))
    kinds = {"providers": "launch", "clouds": "cloud", "labs": "ai_lab"}
    g = baseline_graph_2025()
    checked = 0
    for table, kind in kinds.items():
        for firm in doc[table]:
            name = firm["name"]
            if name not in g:
                continue
            assert g.nodes[name]["kind"] == kind, name
            assert controller_of(g, name) == firm["controller"], name
            checked += 1
    # SpaceX, ULA, Arianespace, Blue Origin, Stoke; Azure, Google Cloud, AWS, Oracle; OpenAI,
    # Anthropic, xAI
    assert checked >= 12


# --- the indexed cascade equals the naive fixed point ---------------------------------------


def _naive_lost(graph, removed_nodes=frozenset(), removed_edges=frozenset(), cascade=True):
    """The definition, by repeated passes: a firm loses a critical input when none of its
    active suppliers of it is left operating; with cascade it then stops supplying."""
    from spacemarket.market.economics.graph_analytics import _critical_inputs

    def live_suppliers(f, i):
        return [u for u, _, k, a in graph.in_edges(f, keys=True, data=True)
                if k == i and a.get("status") == "active" and (u, f, i) not in removed_edges]  # fmt: skip

    def any_supplier(f, i):
        return [u for u, _, k, a in graph.in_edges(f, keys=True, data=True)
                if k == i and a.get("status") == "active"]  # fmt: skip

    needs = [(f, i) for f in graph for i in _critical_inputs(graph, f) if any_supplier(f, i)]
    failed, lost, changed = set(removed_nodes), {}, True
    while changed:
        changed = False
        for f, i in needs:
            if f in removed_nodes or i in lost.get(f, ()):
                continue
            if not [u for u in live_suppliers(f, i) if u not in failed]:
                lost.setdefault(f, set()).add(i)
                changed = True
                if cascade:
                    failed.add(f)
    return lost


@settings(max_examples=60, deadline=None)
@given(
    edges=st.lists(
        st.tuples(st.integers(0, 7), st.integers(0, 7), st.sampled_from(["launch", "compute"])),
        min_size=1,
        max_size=30,
        unique=True,
    ),
    cascade=st.booleans(),
)
def test_chokepoints_and_reach_equal_the_naive_fixed_point(edges, cascade):
    from spacemarket.market.economics.graph_analytics import _lost_inputs

    kinds = ["launch", "launch", "cloud", "odc", "odc", "ai_lab", "ai_lab", "cloud"]
    names = [f"n{k}" for k in range(8)]
    nodes = [{"name": n, "kind": k} for n, k in zip(names, kinds, strict=True)]
    supply = [_supply(names[u], names[d], inp) for u, d, inp in edges if u != d]
    try:
        graph = build_dependency_graph(nodes, supply)
    except ValueError:
        return  # an edge the validator refuses (e.g. a kind that cannot supply that input)
    for v in names:
        removed = frozenset({v})
        assert _lost_inputs(graph, removed_nodes=removed, cascade=cascade) == _naive_lost(
            graph, removed_nodes=removed, cascade=cascade
        )
    cut = frozenset((names[u], names[d], inp) for u, d, inp in edges[: len(edges) // 2] if u != d)
    assert _lost_inputs(graph, removed_edges=cut, cascade=cascade) == _naive_lost(
        graph, removed_edges=cut, cascade=cascade
    )
