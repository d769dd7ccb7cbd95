"""The market graph (:mod:`spacemarket.market.model.market_graph`): built from the scenario
alone, named as the model's agents, updated quarter by quarter, and read by the economics
analytics unchanged."""

from __future__ import annotations

import dataclasses
import json
import logging
import math
import warnings
from types import SimpleNamespace

import networkx as nx
import pytest

from spacemarket.market.economics.graph_analytics import exposure, foreclosure_reach
from spacemarket.market.economics.graph_control import controller_of
from spacemarket.market.model import SpaceMarket
from spacemarket.market.model.market_graph import ANALYTICS_KEYS, EdgeTerms, MarketGraph
from spacemarket.market.model.structure import ControlStructure
from spacemarket.market.scenario import load_scenario
from spacemarket.market.scenario.spec import ControlSpec, quarter_index

BASE = load_scenario("baseline-2026")
Q0 = quarter_index(BASE.start)


def _graph(scenario=BASE) -> MarketGraph:
    return MarketGraph.from_scenario(scenario, quarter_index(scenario.start))


def _kinds(g: MarketGraph) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for n, kind in g.graph.nodes(data="kind"):
        out.setdefault(kind, set()).add(n)
    return out


def _drop_all_but(g: MarketGraph, lab: str, keep: str, status: str = "dropped") -> list:
    return [
        EdgeTerms(p, lab, "launch", status) for p, b in g.launch_edges() if b == lab and p != keep
    ]


@pytest.mark.parametrize("preset", ["baseline-2026", "backtest-2023"])
def test_nodes_are_named_as_the_model_agents(preset):
    m = SpaceMarket(scenario=preset, rng=1)
    g = MarketGraph.from_scenario(m.scenario, m.start_q)
    kinds = _kinds(g)
    assert kinds["launch"] == {p.name for p in m.providers}
    assert kinds["cloud"] == {c.name for c in m.clouds}
    assert kinds["ai_lab"] == {lab.name for lab in m.labs}
    agents = {a.name for a in [*m.providers, *m.clouds, *m.labs]}
    spec_controllers = {a.controller for a in [*m.providers, *m.clouds, *m.labs]}
    assert kinds["owner"] == spec_controllers - agents
    assert set(g.graph) == agents | kinds["owner"]


def test_every_lab_has_a_launch_edge_from_every_provider_with_vehicles():
    m = SpaceMarket(scenario="baseline-2026", rng=1)
    g = MarketGraph.from_scenario(m.scenario, m.start_q)
    launchers = {p.name for p in m.providers if p.vehicles}
    assert launchers  # the preset has launchers
    for lab in m.labs:
        edges = {
            u: a for u, _, k, a in g.graph.in_edges(lab.name, keys=True, data=True) if k == "launch"
        }
        assert set(edges) == launchers
        for a in edges.values():
            assert (a["status"], a["contract_status"]) == ("active", "active")
            assert math.isnan(a["price"])


def test_a_provider_without_vehicles_has_no_launch_edge():
    s = dataclasses.replace(BASE, vehicles=[v for v in BASE.vehicles if v.provider != "Stoke"])
    g = _graph(s)
    assert ("Stoke", "OpenAI") not in g.launch_edges()
    assert len(g.launch_edges()) == (len(BASE.providers) - 1) * len(BASE.labs)


def test_compute_and_backhaul_edges_follow_the_lab_specs():
    g = _graph()
    for lab in BASE.labs:
        units = {
            u: a["input_units"]
            for u, _, k, a in g.graph.in_edges(lab.name, keys=True, data=True)
            if k == "compute"
        }
        assert units == {c: x for c, x in lab.suppliers.items() if c != "own"}
        backhaul = [u for u, _, k in g.graph.in_edges(lab.name, keys=True) if k == "backhaul"]
        assert backhaul == ([] if lab.backhaul_supplier == "own" else [lab.backhaul_supplier])
    # labs with their own data centers do not count a minority cloud as a critical input
    assert g.graph.nodes["Meta"]["critical_inputs"] == ("backhaul", "launch")
    assert g.graph.nodes["OpenAI"]["critical_inputs"] == ("backhaul", "compute", "launch")


def test_provider_controllers_become_owner_nodes_with_control_edges():
    g = _graph()
    for p in BASE.providers:
        stakes = {
            u: a["kappa"]
            for u, _, k, a in g.graph.in_edges(p.name, keys=True, data=True)
            if k == "control"
        }
        assert stakes == ({} if p.controller == p.name else {p.controller: 1.0})
        assert g.graph.nodes[p.name]["controller"] == p.controller
        if p.controller != p.name:
            assert g.graph.nodes[p.controller]["kind"] in ("owner", "ai_lab", "cloud", "launch")


def test_a_later_control_record_takes_effect_only_from_its_quarter():
    record = ControlSpec(owner="OpenAI", firm="Stoke", kappa=0.7, start="2027Q1")
    s = dataclasses.replace(BASE, control=[*BASE.control, record])
    g = _graph(s)
    assert not g.graph.has_edge("OpenAI", "Stoke", key="control")
    reach_before = foreclosure_reach(g.graph, "OpenAI", ["launch"]).foreclosed_edges
    g.update(quarter_index("2026Q4"), None, [])
    assert not g.graph.has_edge("OpenAI", "Stoke", key="control")
    g.update(quarter_index("2027Q1"), None, [])
    assert g.graph.edges["OpenAI", "Stoke", "control"]["kappa"] == 0.7
    assert controller_of(g.graph, "Stoke") == g.graph.nodes["Stoke"]["controller"] == "OpenAI"
    # OpenAI's group now sells launch to the other labs: foreclosing it would cut those edges
    reach_after = foreclosure_reach(g.graph, "OpenAI", ["launch"]).foreclosed_edges
    assert reach_before == () and {u for u, _, _ in reach_after} == {"Stoke"}


def test_a_stake_in_a_controlled_firm_leaves_the_rest_to_its_controller():
    record = ControlSpec(owner="OpenAI", firm="Blue Origin", kappa=0.3, start="2027Q1")
    s = dataclasses.replace(BASE, control=[*BASE.control, record])
    g = _graph(s)
    g.update(quarter_index("2027Q1"), None, [])
    stakes = {
        u: a["kappa"]
        for u, _, k, a in g.graph.in_edges("Blue Origin", keys=True, data=True)
        if k == "control"
    }
    assert stakes == pytest.approx({"OpenAI": 0.3, "Bezos": 0.7})
    assert controller_of(g.graph, "Blue Origin") == "Bezos"


@pytest.mark.parametrize(
    "extra",
    [
        [ControlSpec(owner="OpenAI", firm="Blue Origin", kappa=0.6, start="2026Q3")],
        [
            ControlSpec(owner="Musk", firm="Stoke", kappa=0.4, start="2026Q2"),
            ControlSpec(owner="Musk", firm="Stoke", kappa=0.8, start="2027Q1"),
        ],
    ],
)
def test_graph_controllers_agree_with_the_structure_stage(extra, caplog):
    s = dataclasses.replace(BASE, control=[*BASE.control, *extra])
    g = _graph(s)
    firms = [
        SimpleNamespace(name=f.name, controller=f.controller)
        for f in [*s.providers, *s.clouds, *s.labs]
    ]
    structure = ControlStructure(s.control)
    with caplog.at_level(logging.WARNING):
        for q in range(Q0, Q0 + 8):
            structure.update(firms, q)
            g.update(q, structure.controllers, [])
            assert {f: controller_of(g.graph, f) for f in structure.controllers} == (
                structure.controllers
            )
    assert not caplog.records


def test_the_model_controllers_match_the_graph_under_control_of_stoke(caplog):
    m = SpaceMarket(load_scenario("baseline-2026", {"strategy.OpenAI": "control-of-stoke"}), 1)
    g = MarketGraph.from_scenario(m.scenario, m.start_q)
    with caplog.at_level(logging.WARNING):
        for _ in range(10):
            m.step()
            g.update(m.q - 1, m.controllers, [])
    assert not caplog.records
    assert g.graph.nodes["Stoke"]["controller"] == m.controllers["Stoke"] == "OpenAI"


def test_a_controller_the_graph_does_not_imply_is_logged(caplog):
    g = _graph()
    with caplog.at_level(logging.WARNING):
        g.update(Q0, {"Stoke": "Musk"}, [])
    assert g.graph.nodes["Stoke"]["controller"] == "Musk"
    assert "Stoke" in caplog.text


def test_dropping_rival_launch_edges_changes_exposure_and_foreclosure_reach():
    g = _graph()
    before = g.analytics("Musk")
    assert before["graph_max_launch_exposure"] == pytest.approx(1 / 6)
    assert before["graph_foreclosure_reach_labs"] == 0.0
    g.update(
        Q0,
        None,
        [
            *_drop_all_but(g, "OpenAI", "SpaceX"),
            EdgeTerms("SpaceX", "OpenAI", "launch", "active", 95.0, 1e4),
        ],
    )
    edge = g.graph.edges["ULA", "OpenAI", "launch"]
    assert (edge["status"], edge["contract_status"]) == ("foreclosed", "dropped")
    assert (g.graph.edges["SpaceX", "OpenAI", "launch"]["price"]) == 95.0
    assert exposure(g.graph, "OpenAI")["launch"] == {"Musk": 1.0}
    assert foreclosure_reach(g.graph, "Musk", ["launch"]).lost == {"OpenAI": ("launch",)}
    after = g.analytics("Musk")
    assert after["graph_max_launch_exposure"] == 1.0
    assert after["graph_foreclosure_reach_labs"] == 1.0
    assert after["graph_dropped_launch_edges"] == 5.0
    assert after["graph_active_launch_edges"] == before["graph_active_launch_edges"] - 5
    assert after["graph_launch_chokepoints"] == before["graph_launch_chokepoints"] + 1
    # edges not mentioned keep their terms; reactivating restores the analytics
    g.update(Q0 + 1, None, [EdgeTerms("Stoke", "Meta", "launch", "refused")])
    assert g.graph.edges["ULA", "OpenAI", "launch"]["contract_status"] == "dropped"
    assert g.analytics("Musk")["graph_refused_launch_edges"] == 1.0
    g.update(Q0 + 2, None, [EdgeTerms(p, lab, "launch", "active") for p, lab in g.launch_edges()])
    assert g.analytics("Musk") == before


def test_a_lab_without_any_active_launch_edge_is_handled():
    g = _graph()
    g.update(Q0, None, _drop_all_but(g, "Meta", keep="", status="refused"))
    assert exposure(g.graph, "Meta")["launch"] == {}
    a = g.analytics()
    assert a["graph_refused_launch_edges"] == len(BASE.providers)
    assert a["graph_max_launch_exposure"] == pytest.approx(1 / 6)  # the other labs'
    assert a["graph_foreclosure_reach_labs"] == 0.0  # Meta has no launch left to lose
    assert all(math.isfinite(v) for v in a.values())


def test_a_market_without_vehicles_has_no_launch_edges():
    g = _graph(dataclasses.replace(BASE, vehicles=[]))
    assert g.launch_edges() == [] and g.dominant_provider is None
    a = g.analytics()
    assert a["graph_active_launch_edges"] == a["graph_max_launch_exposure"] == 0.0
    assert math.isnan(a["graph_foreclosure_reach_labs"])


@pytest.mark.parametrize("preset", ["baseline-2026", "backtest-2023"])
def test_the_default_foreclosing_controller_is_the_biggest_launchers(preset):
    g = _graph(load_scenario(preset))
    assert g.dominant_provider == "SpaceX"  # backtest: ties Arianespace on three vehicles
    assert g.default_foreclosing_controller() == "Musk"
    assert g.analytics() == g.analytics("Musk")
    with pytest.raises(KeyError):
        g.analytics("Nobody")


def test_node_link_round_trips_through_json_without_nan():
    g = _graph()
    g.update(Q0, None, _drop_all_but(g, "OpenAI", "SpaceX"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        data = g.node_link()
        text = json.dumps(data, allow_nan=False)
        back = nx.node_link_graph(json.loads(text), edges="edges")
    assert json.loads(text) == data
    assert set(back.edges(keys=True)) == set(g.graph.edges(keys=True))
    assert dict(back.nodes(data="kind")) == dict(g.graph.nodes(data="kind"))
    assert back.edges["Stoke", "OpenAI", "launch"]["price"] is None
    assert back.nodes["OpenAI"]["critical_inputs"] == ["backhaul", "compute", "launch"]


def test_analytics_are_deterministic_float_columns():
    def run() -> list[dict[str, float]]:
        g = _graph()
        out = [g.analytics()]
        g.update(Q0, None, _drop_all_but(g, "Anthropic", "Blue Origin"))
        out += [g.analytics(), g.analytics("Bezos"), g.analytics()]
        return out

    first, second = run(), run()
    assert first == second
    for a in first:
        assert list(a) == list(ANALYTICS_KEYS)
        assert all(type(v) is float for v in a.values())
    assert first[1] == first[3]
    assert first[2]["graph_foreclosure_reach_labs"] == 1.0  # Anthropic only has Blue Origin


def test_bad_terms_are_rejected():
    g = _graph()
    with pytest.raises(ValueError, match="status"):
        EdgeTerms("SpaceX", "OpenAI", "launch", "foreclosed")
    with pytest.raises(ValueError, match="input"):
        EdgeTerms("SpaceX", "OpenAI", "fuel", "active")
    with pytest.raises(KeyError):
        g.update(Q0, None, [EdgeTerms("AWS", "OpenAI", "launch", "active")])
