"""The quarter's stages on their own: small hand-built inputs, hand-computed results.

These replace the tests that called the old mixin's private methods: each stage object of
:mod:`spacemarket.market.model` is exercised through its public API.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

import mesa
import numpy as np
import pytest

from spacemarket.market.model import SpaceMarket
from spacemarket.market.model.compute_costs import ComputeCosts
from spacemarket.market.model.deployment import LaunchPayment
from spacemarket.market.model.launch_clearing import ExternalMarketOutcome
from spacemarket.market.model.structure import ControlStructure
from spacemarket.market.scenario import load_scenario
from spacemarket.market.scenario.spec import ControlSpec, quarter_index

BASE = load_scenario("baseline-2026")
Q = quarter_index("2030Q1")

# --------------------------------------------------------------------------- contracts


def _model_at(quarter: str, **overrides) -> SpaceMarket:
    m = SpaceMarket(scenario=load_scenario("baseline-2026", overrides or None), rng=1)
    while m.quarter_label != quarter:
        m.step()
    m.state_update.run(m.q)
    m.structure.update([*m.providers, *m.clouds, *m.labs], m.q)
    return m


def _terms(book, seller, buyer):
    (t,) = [t for t in book.terms if (t.seller, t.buyer, t.term) == (seller, buyer, "quarter")]
    return t


def test_contracts_bargain_every_launcher_with_every_lab_and_price_the_group_at_cost():
    m = _model_at("2030Q1")
    book = m.contracts.solve(m.labs, m.controllers, m.q, {})
    flying = {p.name for p in m.providers if any(v.operational(m.q) for v in p.vehicles.values())}
    assert {(t.seller, t.buyer) for t in book.terms} == {
        (p, lab.name) for p in flying for lab in m.labs
    }
    assert {t.status for t in book.terms} <= {"active", "dropped", "refused"}
    xai = _terms(book, "SpaceX", "xAI")  # xAI is Musk's: at cost
    starship = m.providers[0].vehicles[xai.vehicle]
    assert xai.price_usd_per_kg == pytest.approx(
        starship.unit_cost_usd() / starship.spec.payload_capacity_kg, rel=1e-12
    )
    openai = _terms(book, "SpaceX", "OpenAI")
    assert openai.price_usd_per_kg > xai.price_usd_per_kg and openai.kg > 0
    lab = next(lab for lab in m.labs if lab.name == "OpenAI")
    assert lab.active_launch_supplier == "SpaceX"
    bought = book.bought("OpenAI")
    assert lab.launch_price_usd_per_kg == pytest.approx(
        sum(t.price_usd_per_kg * t.kg for t in bought) / sum(t.kg for t in bought)
    )
    assert book.converged and book.residual_kg <= 1e-3


def test_contracted_kg_fit_capacity_and_are_reserved_from_the_spot_market():
    m = _model_at("2034Q1")
    book = m.contracts.solve(m.labs, m.controllers, m.q, {})
    for (provider, vehicle), kg in book.reserved_kg().items():
        v = next(p for p in m.providers if p.name == provider).vehicles[vehicle]
        assert kg <= v.capacity_launches * v.spec.payload_capacity_kg * (1 + 1e-9)
    assert book.shadow_usd_per_kg["SpaceX"] > 0  # Starship is sold out by then
    assert ("SpaceX", "starship") in book.shortfall_kg  # and so it invests


def test_a_foreclosing_launcher_refuses_rivals_but_not_its_group_or_a_binding_contract():
    m = _model_at("2030Q1")
    spacex = m.providers[0]
    spacex.forecloses_launch = True
    book = m.contracts.solve(m.labs, m.controllers, m.q, {})
    assert _terms(book, "SpaceX", "OpenAI").status == "refused"
    assert _terms(book, "SpaceX", "xAI").status == "active"
    openai = next(lab for lab in m.labs if lab.name == "OpenAI")
    openai.spec = dataclasses.replace(
        openai.spec,
        contract_supplier="SpaceX",
        contract_until="2030Q4",
        contract_bargaining_weight=0.3,
    )
    bound = m.contracts.solve(m.labs, m.controllers, m.q, {})
    t = _terms(bound, "SpaceX", "OpenAI")
    assert t.status == "active" and t.bargaining_weight == 0.3


def test_a_launchers_value_in_the_spot_market_raises_its_contract_price():
    m = _model_at("2030Q1")
    base = _terms(m.contracts.solve(m.labs, m.controllers, m.q, {}), "SpaceX", "OpenAI")
    # worth more in the spot market than the capacity shadow price of contracts
    dear = m.contracts.solve(m.labs, m.controllers, m.q, {("SpaceX", base.vehicle): 5_000.0})
    assert _terms(dear, "SpaceX", "OpenAI").price_usd_per_kg > base.price_usd_per_kg


# --------------------------------------------------------------------------- structure


def test_control_passes_through_the_owners_own_controller():
    edges = [ControlSpec(owner="SpaceX", firm="Stoke", kappa=0.6),
             ControlSpec(owner="OpenAI", firm="Anthropic", kappa=0.4)]  # fmt: skip
    firms = [SimpleNamespace(name="SpaceX", controller="Musk"),
             SimpleNamespace(name="Stoke", controller="Stoke"),
             SimpleNamespace(name="Anthropic", controller="Anthropic")]  # fmt: skip
    s = ControlStructure(edges)
    s.update(firms, Q)
    assert s.controllers == {"SpaceX": "Musk", "Stoke": "Musk", "Anthropic": "Anthropic"}
    assert firms[1].controller == "Musk"


# --------------------------------------------------------------------------- compute costs


@pytest.fixture(scope="module")
def costs():
    return ComputeCosts(BASE.compute, quarter_index(BASE.start))


def test_orbital_cost_is_affine_in_the_launch_price(costs):
    a, b = costs.orbital_usd_per_kw_year(0.0), costs.orbital_usd_per_kw_year(1000.0)
    assert costs.orbital_usd_per_kw_year(500.0) == pytest.approx((a + b) / 2, rel=1e-12)
    assert b > a > 0 and costs.terrestrial_usd_per_kw_year > 0 and costs.kg_per_kw > 0


def test_orbital_demand_is_the_logit_share_in_kg_and_zero_before_orbit_opens(costs):
    lab = SimpleNamespace(
        backhaul_foreclosed=False,
        orbital_share=lambda c_o, c_g, d: 0.25,
    )
    q = max(costs.orbital_from_q, Q)
    assert costs.orbital_kg_wanted(lab, 100.0, 2.0, q) == pytest.approx(
        0.25 * 2.0 * 1000.0 * costs.kg_per_kw
    )
    assert costs.orbital_kg_wanted(lab, 100.0, 0.0, q) == 0.0
    assert costs.orbital_kg_wanted(lab, 100.0, 2.0, costs.orbital_from_q - 1) == 0.0
    foreclosed = SimpleNamespace(backhaul_foreclosed=True)
    assert costs.lab_orbital_usd_per_kw_year(foreclosed, 100.0) == pytest.approx(
        costs.orbital_usd_per_kw_year(100.0) + BASE.compute.alternative_backhaul_usd_per_kw_year
    )


def test_booked_cost_without_orbit_is_the_ground_cost_at_lifetime_value(costs):
    m = SpaceMarket(scenario="baseline-2026", rng=0)
    lab = m.labs[0]
    booked = costs.booked_cost(lab, price_kg=700.0, added_mw=10.0, orbital_mw=0.0, served=0.0,
                               payment=0.0)  # fmt: skip
    ground = costs.terrestrial_usd_per_kw_year
    assert booked.usd_per_kw_year == ground
    assert booked.cost_of_compute_usd == pytest.approx(
        10.0 * 1000.0 * ground * costs.lifetime_pv_factor, rel=1e-12
    )


# --------------------------------------------------------------------------- the model


def test_the_model_owns_its_stages_and_each_step_records_payments_once():
    m = SpaceMarket(scenario="baseline-2026", rng=1)
    assert type(m).__bases__ == (mesa.Model,)
    before = set(vars(m))
    for _ in range(6):
        m.step()
    assert set(vars(m)) == before  # no state created outside __init__
    assert all(isinstance(p, LaunchPayment) for p in m.odc_payments)
    paid = sum(p.amount_usd for p in m.odc_payments) + m.rest.spend_usd
    assert paid == pytest.approx(sum(p.revenue_usd for p in m.providers), rel=1e-12)
    assert {t.buyer for t in m.contract_book.terms} == {lab.name for lab in m.labs}


def test_accounting_books_each_payment_on_both_sides():
    m = SpaceMarket(scenario="baseline-2026", rng=1)
    m.state_update.run(m.q)
    openai = next(lab for lab in m.labs if lab.name == "OpenAI")
    spacex = next(p for p in m.providers if p.name == "SpaceX")
    empty = ExternalMarketOutcome([], np.zeros(0), np.zeros(0), np.zeros(0), 0.0, 0, 0.0)
    m.accounting.book(empty, [LaunchPayment("OpenAI", "SpaceX", 1e6)])
    assert spacex.revenue_usd == 1e6 and openai.cost_usd == 1e6
    # a lab's cash moves by its profit: AI-services revenue less the quarter's cost of the
    # compute it added, whose launch part is booked when paid (as the launcher books it)
    assert openai.cash_usd == openai.revenue_usd - openai.compute_cost_flow_usd == -1e6


def test_a_pairs_own_bargaining_weight_is_the_one_bargained():
    tilted = _model_at("2030Q1", **{"labs.OpenAI.launch_bargaining_weights": {"SpaceX": 0.8}})
    after = tilted.contracts.solve(tilted.labs, tilted.controllers, tilted.q, {})
    assert _terms(after, "SpaceX", "OpenAI").bargaining_weight == 0.8
    assert _terms(after, "SpaceX", "Anthropic").bargaining_weight == 0.5
    assert _terms(after, "Blue Origin", "OpenAI").bargaining_weight == 0.5


def test_an_unknown_launcher_in_a_labs_weights_is_named():
    from spacemarket.market.scenario.spec import ScenarioError

    with pytest.raises(ScenarioError, match=r"labs\.OpenAI\.launch_bargaining_weights\.SpaceY"):
        load_scenario("baseline-2026", {"labs.OpenAI.launch_bargaining_weights": {"SpaceY": 0.8}})
