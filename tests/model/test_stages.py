"""The quarter's stages on their own: small hand-built inputs, hand-computed results.

These replace the tests that called the old mixin's private methods: each stage object of
:mod:`spacemarket.market.model` is exercised through its public API.
"""

from __future__ import annotations

import dataclasses
import math
from types import SimpleNamespace

import mesa
import numpy as np
import pytest

from spacemarket.agents import VehicleState
from spacemarket.market.model import SpaceMarket
from spacemarket.market.model.allocation import LabDemand, LaunchAllocation
from spacemarket.market.model.compute_costs import ComputeCosts
from spacemarket.market.model.contracts import ContractBook, LaunchContracts
from spacemarket.market.model.deployment import LaunchPayment
from spacemarket.market.model.launch_clearing import ExternalMarketOutcome
from spacemarket.market.model.offers import LaunchOffer, LaunchOffers
from spacemarket.market.model.structure import ControlStructure
from spacemarket.market.scenario import load_scenario
from spacemarket.market.scenario.spec import ControlSpec, quarter_index

BASE = load_scenario("baseline-2026")
Q = quarter_index("2030Q1")

# --------------------------------------------------------------------------- allocation

V1 = LaunchOffer("P", "small", 90.0, 60.0)
V2 = LaunchOffer("Q", "big", 120.0, 70.0)


def _grants(allocation, lab):
    return [(g.offer.key, g.kg) for g in allocation.grants.get(lab, ())]


def test_allocation_shares_a_short_vehicle_pro_rata_and_sends_the_rest_to_the_next_offer():
    # A wants 60 kg (also 60 at V2's price), B wants 40, both ask V1 first; V1 has 50 kg spare,
    # V2 100. V1's demand is 100: each gets half of what it asked there (scale 0.5); A's unmet
    # 30 kg goes to V2, which has room. B has no other offer.
    out = LaunchAllocation().solve(
        [LabDemand("A", 60.0, (V1, V2), (60.0, 60.0)), LabDemand("B", 40.0, (V1,), (40.0,))],
        {V1.key: 50.0, V2.key: 100.0},
    )
    assert _grants(out, "A") == [(V1.key, 30.0), (V2.key, 30.0)]
    assert _grants(out, "B") == [(V1.key, 20.0)]
    assert out.demand_kg == {V1.key: 100.0, V2.key: 30.0}
    assert out.shortfall_kg == {V1.key: 50.0}  # V2 served all that reached it


def test_allocation_caps_demand_at_the_dearer_offer_and_grants_in_full_when_it_fits():
    # at V2's price A wants only 40 kg in all: it asks V2 for 40 - 30 = 10
    out = LaunchAllocation().solve(
        [LabDemand("A", 60.0, (V1, V2), (60.0, 40.0)), LabDemand("B", 40.0, (V1,), (40.0,))],
        {V1.key: 50.0, V2.key: 100.0},
    )
    assert _grants(out, "A") == [(V1.key, 30.0), (V2.key, 10.0)]
    roomy = LaunchAllocation().solve(
        [LabDemand("A", 60.0, (V1, V2), (60.0, 60.0))], {V1.key: 500.0, V2.key: 0.0}
    )
    assert _grants(roomy, "A") == [(V1.key, 60.0)]  # nothing left over for V2
    assert roomy.shortfall_kg == {}


def test_allocation_fixed_point_keeps_a_labs_claim_on_a_vehicle_it_asks_second():
    # A asks V1 then V2, B asks V2 only; V1 has 20 kg, V2 60 kg. At the fixed point A asks V2
    # for 40 (60 less V1's 20), B 40: V2 scales 60/80 for both, whichever asked it first.
    out = LaunchAllocation().solve(
        [LabDemand("A", 60.0, (V1, V2), (60.0, 60.0)), LabDemand("B", 40.0, (V2,), (40.0,))],
        {V1.key: 20.0, V2.key: 60.0},
    )
    assert _grants(out, "A") == [(V1.key, 20.0), (V2.key, pytest.approx(30.0))]
    assert _grants(out, "B") == [(V2.key, pytest.approx(30.0))]
    assert out.shortfall_kg == {V1.key: 40.0, V2.key: pytest.approx(20.0)}


def test_allocation_with_no_spare_capacity_grants_nothing():
    out = LaunchAllocation().solve([LabDemand("A", 10.0, (V1,), (10.0,))], {V1.key: 0.0})
    assert out.grants == {}
    assert out.shortfall_kg == {V1.key: 10.0}


# --------------------------------------------------------------------------- contract book


def test_contract_book_queue_starts_at_the_chosen_offer():
    book = ContractBook(offers={"A": (V1, V2)}, chosen={"A": V1})
    assert book.queue("A") == (V1, V2)
    moved = book.with_choice("A", V2)
    assert moved.queue("A") == (V2,)
    assert book.chosen["A"] == V1  # the book is not changed in place
    other = LaunchOffer("R", "odd", 50.0, 50.0)
    assert ContractBook({"A": (V1,)}, {"A": other}).queue("A") == (other,)
    with pytest.raises(dataclasses.FrozenInstanceError):
        book.chosen = {}  # type: ignore[misc]


# --------------------------------------------------------------------------- offers


def _vehicle(name, capacity=10.0, price_per_kg=None):
    spec = next(v for v in BASE.vehicles if v.name == name)
    v = VehicleState(spec, entry_quarter=0, retire_quarter=None,
                     cumulative_launches=spec.cumulative_launches, capacity_launches=capacity)  # fmt: skip
    if price_per_kg is not None:
        v.price_usd = price_per_kg * spec.payload_capacity_kg
    return v


def _provider(name, controller, vehicles, forecloses=False):
    return SimpleNamespace(name=name, controller=controller, vehicles={v.name: v for v in vehicles},
                           forecloses_launch=forecloses, forecloses_backhaul=forecloses)  # fmt: skip


def _lab(name, supplier, contract="", until="", fallback="", contract_weight=0.3):
    spec = SimpleNamespace(contract_supplier=contract, contract_until=until,
                           contract_bargaining_weight=contract_weight,
                           fallback_launch_supplier=fallback)  # fmt: skip
    return SimpleNamespace(name=name, spec=spec, launch_supplier=supplier,
                           backhaul_supplier=supplier, active_launch_supplier=None,
                           launch_price_usd_per_kg=math.nan, backhaul_foreclosed=False)  # fmt: skip


def _cost_per_kg(v):
    return v.unit_cost_usd() / v.spec.payload_capacity_kg


def test_offers_bargain_the_spot_margin_and_are_at_cost_in_the_group():
    f9 = _vehicle("falcon-9", price_per_kg=5_000.0)
    spacex = _provider("SpaceX", "Musk", [f9])
    controllers = {"SpaceX": "Musk", "OpenAI": "OpenAI", "xAI": "Musk"}
    offers = LaunchOffers([spacex], bargaining_weight=0.5)
    book = offers.price([_lab("OpenAI", "SpaceX"), _lab("xAI", "SpaceX")], controllers, Q)
    c = _cost_per_kg(f9)
    assert c < 5_000.0
    (openai,) = book["OpenAI"]
    assert (openai.provider, openai.vehicle) == ("SpaceX", "falcon-9")
    assert openai.price_usd_per_kg == pytest.approx(c + 0.5 * (5_000.0 - c), rel=1e-12)
    assert openai.cost_usd_per_kg == pytest.approx(c, rel=1e-12)
    (xai,) = book["xAI"]
    assert xai.price_usd_per_kg == xai.cost_usd_per_kg == pytest.approx(c, rel=1e-12)


def test_a_foreclosing_supplier_is_dropped_unless_a_contract_binds_and_the_fallback_flies():
    f9 = _vehicle("falcon-9", price_per_kg=5_000.0)
    neutron = _vehicle("neutron", price_per_kg=9_000.0)
    spacex = _provider("SpaceX", "Musk", [f9], forecloses=True)
    rocket_lab = _provider("Rocket Lab", "Rocket Lab", [neutron])
    controllers = {"SpaceX": "Musk", "Rocket Lab": "Rocket Lab", "A": "A", "B": "B", "C": "C"}
    stage = LaunchOffers([spacex, rocket_lab], bargaining_weight=0.5)
    labs = [
        _lab("A", "SpaceX"),  # foreclosed, no fallback
        _lab("B", "SpaceX", fallback="Rocket Lab"),
        _lab("C", "SpaceX", contract="SpaceX", until="2030Q4", contract_weight=0.3),
    ]
    offers = stage.price(labs, controllers, Q)
    assert offers["A"] == ()
    assert [o.provider for o in offers["B"]] == ["Rocket Lab"]
    (c,) = offers["C"]
    cost = _cost_per_kg(f9)
    assert c.price_usd_per_kg == pytest.approx(cost + 0.3 * (5_000.0 - cost), rel=1e-12)
    after = stage.price(labs, controllers, quarter_index("2031Q1"))  # the contract has ended
    assert after["C"] == ()
    assert stage.refuses("SpaceX", labs[0], controllers, "backhaul")
    assert not stage.refuses("own", labs[0], controllers, "backhaul")


def test_contracts_stage_books_the_cheapest_offer_and_moves_off_a_sold_out_vehicle():
    f9 = _vehicle("falcon-9", capacity=10.0, price_per_kg=5_000.0)
    neutron = _vehicle("neutron", capacity=4.0, price_per_kg=20_000.0)
    spacex = _provider("SpaceX", "Musk", [f9])
    rocket_lab = _provider("Rocket Lab", "Lab", [neutron])  # the lab's own launcher: at cost
    controllers = {"SpaceX": "Musk", "Rocket Lab": "Lab", "Lab": "Lab", "Other": "Other"}
    stage = LaunchContracts([spacex, rocket_lab], LaunchOffers([spacex, rocket_lab], 0.5))
    lab, other = _lab("Lab", "SpaceX"), _lab("Other", "nobody-flies")
    stage.offers._by_name["nobody-flies"] = _provider("nobody-flies", "x", [])
    controllers["nobody-flies"] = "x"
    book = stage.solve([lab, other], controllers, Q)
    first = book.chosen["Lab"]
    prices = [o.price_usd_per_kg for o in book.offers["Lab"]]
    assert {o.provider for o in book.offers["Lab"]} == {"SpaceX", "Rocket Lab"}
    assert prices == sorted(prices) and first == book.offers["Lab"][0]
    assert (lab.active_launch_supplier, lab.launch_price_usd_per_kg) == (
        first.provider, first.price_usd_per_kg)  # fmt: skip
    assert "Other" not in book.chosen and math.isnan(other.launch_price_usd_per_kg)
    sold_out = {"SpaceX": f9, "Rocket Lab": neutron}[first.provider]
    sold_out.launches = {"external": sold_out.capacity_launches}
    moved = stage.move_to_spare_capacity(book, [lab, other])
    assert moved.chosen["Lab"] == book.offers["Lab"][1]
    assert lab.active_launch_supplier == moved.chosen["Lab"].provider
    assert book.chosen["Lab"] == first  # the stage returns a new book


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
    assert set(m.contract_book.chosen) <= {lab.name for lab in m.labs}


def test_accounting_books_each_payment_on_both_sides():
    m = SpaceMarket(scenario="baseline-2026", rng=1)
    m.state_update.run(m.q)
    openai = next(lab for lab in m.labs if lab.name == "OpenAI")
    spacex = next(p for p in m.providers if p.name == "SpaceX")
    empty = ExternalMarketOutcome([], np.zeros(0), np.zeros(0), np.zeros(0), 0.0, 0, 0.0)
    m.accounting.book(empty, [LaunchPayment("OpenAI", "SpaceX", 1e6)])
    assert spacex.revenue_usd == 1e6 and openai.cost_usd == 1e6
    assert openai.cash_usd == -1e6
