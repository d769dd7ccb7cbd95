"""Strategies of the integration game: registry, effect on scenarios, model mechanics, [game].

Strategies act on the scenario document (before validation); these tests check the catalogue,
what each strategy sets in the parsed scenario, the model mechanics they rely on (binding
long-term contracts, launches at cost under control, the expected cost of compute) and the
validation of the ``[game]`` table.
"""

from __future__ import annotations

import copy
import dataclasses
import math

import pytest

from spacemarket.market.model import SpaceMarket, run_scenario
from spacemarket.market.scenario import (
    ScenarioError,
    apply_scenario_overrides,
    load_scenario,
    parse_override,
    parse_scenario,
    quarter_index,
    resolved_document,
)
from spacemarket.market.scenario.game_spec import GameSpec, parse_game_spec
from spacemarket.market.scenario.strategies import (
    STRATEGIES,
    Strategy,
    UnknownStrategyError,
    apply_profile,
    get_strategy,
    players,
    status_quo,
    strategies_for,
    strategy_names,
)

REQUIRED = {
    "OpenAI": ["independent", "long-term-contract", "control-of-stoke"],
    "SpaceX": ["open-access", "integrate-xai", "foreclose-launch", "foreclose-backhaul"],
    "Amazon": ["buy-launches", "align-with-blue-origin"],
    "Google": ["buy-compute", "own-orbital-program"],
}
METADATA_KEYS = {"player", "vertical", "needs_partner", "credible_afterwards"}


@pytest.fixture(scope="module")
def baseline_doc() -> dict:
    doc, _ = resolved_document("baseline-2026")
    return doc


@pytest.fixture(scope="module")
def baseline():
    return load_scenario("baseline-2026")


def _lab(s, name):
    return next(lab for lab in s.labs if lab.name == name)


def _provider(s, name):
    return next(p for p in s.providers if p.name == name)


def _vehicle(s, name):
    return next(v for v in s.vehicles if v.name == name)


# --------------------------------------------------------------------------- 1. registry


def test_every_required_strategy_is_registered():
    assert players() == list(REQUIRED)
    for player, names in REQUIRED.items():
        assert strategy_names(player) == names
        assert [s.name for s in strategies_for(player)] == names
        for name in names:
            assert (player, name) in STRATEGIES
            assert isinstance(get_strategy(player, name), Strategy)
    assert len(STRATEGIES) == sum(len(n) for n in REQUIRED.values())
    # the status quo is the strategy the shipped baseline already plays
    assert [status_quo(p) for p in REQUIRED] == [
        "independent",
        "integrate-xai",
        "buy-launches",
        "own-orbital-program",
    ]


@pytest.mark.parametrize("key", sorted(STRATEGIES), ids=lambda k: f"{k[0]}:{k[1]}")
def test_each_strategy_has_docstring_and_metadata(key):
    player, name = key
    cls = STRATEGIES[key]
    doc = cls.__dict__.get("__doc__")  # its own, not the base class's
    assert doc and doc.strip() and doc != Strategy.__doc__
    assert METADATA_KEYS <= set(cls.metadata)
    assert cls.metadata["player"] == player and cls.name == name
    assert isinstance(cls.metadata["vertical"], bool)
    assert cls.metadata["needs_partner"] is None or isinstance(cls.metadata["needs_partner"], str)
    assert cls.metadata["credible_afterwards"] in (True, None)
    assert isinstance(cls.metadata.get("assumptions", ""), str)
    assert player in repr(cls()) and name in repr(cls())


def test_only_foreclosures_have_payoff_dependent_credibility():
    for (player, name), cls in STRATEGIES.items():
        foreclosure = name.startswith("foreclose-")
        assert (cls.metadata["credible_afterwards"] is None) == foreclosure
        if foreclosure:
            # the ex-post alternative exists and belongs to the same player
            assert cls.supply_alternative in strategy_names(player)
            assert get_strategy(player, cls.supply_alternative).supply_alternative is None
        else:
            assert cls.supply_alternative is None


def test_only_control_of_stoke_acquires_and_its_stakes_follow_the_tranches():
    acquirers = {k for k, cls in STRATEGIES.items() if cls.acquires}
    assert acquirers == {("OpenAI", "control-of-stoke")}
    strat = get_strategy("OpenAI", "control-of-stoke")
    assert strat.acquires == "Stoke"
    assert strat.metadata["vertical"] is True
    assert strat.stake_by_step(12) == [0.0] + [0.2] * 4 + [0.4] * 4 + [0.6] * 3
    assert strat.stake_by_step(1) == [0.0]
    assert get_strategy("OpenAI", "independent").stake_by_step(3) == [0.0, 0.0, 0.0]


def test_unknown_player_or_strategy_names_the_known_ones():
    with pytest.raises(UnknownStrategyError) as info:
        get_strategy("Boeing", "independent")
    assert info.value.key == "strategy.Boeing"
    for p in REQUIRED:
        assert p in info.value.reason
    with pytest.raises(UnknownStrategyError) as info:
        get_strategy("OpenAI", "buy-boeing")
    assert info.value.key == "strategy.OpenAI"
    assert "buy-boeing" in str(info.value)
    for n in REQUIRED["OpenAI"]:
        assert n in info.value.reason
    assert issubclass(UnknownStrategyError, ScenarioError)
    # another player's strategy is unknown for this player
    with pytest.raises(UnknownStrategyError, match="foreclose-launch"):
        get_strategy("OpenAI", "foreclose-launch")
    assert strategy_names("Boeing") == []


def test_apply_profile_is_order_independent_and_does_not_mutate(baseline_doc):
    before = copy.deepcopy(baseline_doc)
    profile = {
        "OpenAI": "control-of-stoke",
        "SpaceX": "open-access",
        "Amazon": "align-with-blue-origin",
        "Google": "buy-compute",
    }
    a = apply_profile(baseline_doc, profile)
    b = apply_profile(baseline_doc, dict(reversed(list(profile.items()))))
    assert a == b
    assert a != baseline_doc
    assert baseline_doc == before  # the input document is untouched
    assert apply_profile(baseline_doc, {}) == baseline_doc
    # a profile with an unknown name fails before anything is applied
    with pytest.raises(UnknownStrategyError):
        apply_profile(baseline_doc, {"OpenAI": "control-of-stoke", "SpaceX": "nope"})
    assert baseline_doc == before


def test_overrides_select_and_validate_strategies(baseline_doc):
    key, value = parse_override("strategy.OpenAI=control-of-stoke")
    assert (key, value) == ("strategy.OpenAI", "control-of-stoke")
    s = load_scenario("baseline-2026", {key: value})
    assert any(c.firm == "Stoke" and c.owner == "OpenAI" for c in s.control)
    # a non-string value (TOML parses "=1" to an integer)
    key, value = parse_override("strategy.OpenAI=1")
    with pytest.raises(ScenarioError) as info:
        load_scenario("baseline-2026", {key: value})
    assert info.value.key == "strategy.OpenAI"
    assert not isinstance(info.value, UnknownStrategyError)
    with pytest.raises(UnknownStrategyError) as info:
        load_scenario("baseline-2026", {"strategy.OpenAI": "merge-with-spacex"})
    assert info.value.key == "strategy.OpenAI"
    with pytest.raises(UnknownStrategyError) as info:
        load_scenario("baseline-2026", {"strategy.Boeing": "independent"})
    assert info.value.key == "strategy.Boeing"
    # apply_scenario_overrides copies: the document is not modified
    before = copy.deepcopy(baseline_doc)
    apply_scenario_overrides(baseline_doc, {"strategy.SpaceX": "foreclose-launch"})
    assert baseline_doc == before


def test_strategy_needing_a_missing_firm_raises_a_scenario_error():
    # backtest-2023 has no Amazon lab
    with pytest.raises(ScenarioError) as info:
        load_scenario("backtest-2023", {"strategy.Amazon": "align-with-blue-origin"})
    assert info.value.key == "strategy.Amazon"
    assert "Amazon" in info.value.reason
    assert "backtest-2023" in info.value.source
    # the status quo is a no-op and needs nothing
    assert load_scenario("backtest-2023", {"strategy.Amazon": "buy-launches"}) == load_scenario(
        "backtest-2023"
    )


# --------------------------------------------------------------------------- 2. effects


@pytest.mark.parametrize(
    ("player", "name"),
    [("OpenAI", "independent"), ("Amazon", "buy-launches"), ("SpaceX", "integrate-xai")],
)
def test_status_quo_strategies_leave_the_baseline_unchanged(baseline, player, name):
    # integrate-xai is the baseline's structure (xAI already under Musk)
    assert load_scenario("baseline-2026", {f"strategy.{player}": name}) == baseline


def test_control_of_stoke_adds_three_dated_control_tranches(baseline):
    s = load_scenario("baseline-2026", {"strategy.OpenAI": "control-of-stoke"})
    assert s.control[: len(baseline.control)] == baseline.control
    added = s.control[len(baseline.control) :]
    assert [(c.owner, c.firm, c.kappa, c.start) for c in added] == [
        ("OpenAI", "Stoke", 0.2, "2026Q2"),
        ("OpenAI", "Stoke", 0.4, "2027Q2"),
        ("OpenAI", "Stoke", 0.6, "2028Q2"),
    ]
    assert all(c.source for c in added)
    # the control dates agree with the acquirer's stake profile used by the game
    stakes = get_strategy("OpenAI", "control-of-stoke").stake_by_step(s.n_quarters)
    start = quarter_index(s.start)
    for c in added:
        assert stakes[quarter_index(c.start) - start] == c.kappa
        assert stakes[quarter_index(c.start) - start - 1] < c.kappa
    assert _vehicle(s, "nova").investment_response == 1.0
    assert _vehicle(baseline, "nova").investment_response < 1.0
    assert _lab(s, "OpenAI") == _lab(baseline, "OpenAI")  # no contract


def test_long_term_contract_binds_openai_to_stoke(baseline):
    s = load_scenario("baseline-2026", {"strategy.OpenAI": "long-term-contract"})
    lab = _lab(s, "OpenAI")
    assert lab.contract_supplier == "Stoke"
    assert lab.contract_until == ""  # the whole horizon
    assert lab.contract_bargaining_weight == 0.3
    assert _vehicle(s, "nova").investment_response == 0.5
    assert s.control == baseline.control


def test_open_access_gives_xai_its_own_controller(baseline):
    assert _lab(baseline, "xAI").controller == "Musk"
    s = load_scenario("baseline-2026", {"strategy.SpaceX": "open-access"})
    assert _lab(s, "xAI").controller == "xAI"
    assert _provider(s, "SpaceX").controller == "Musk"
    assert not _provider(s, "SpaceX").forecloses_launch
    assert not _provider(s, "SpaceX").forecloses_backhaul
    others = [lab for lab in s.labs if lab.name != "xAI"]
    assert others == [lab for lab in baseline.labs if lab.name != "xAI"]


@pytest.mark.parametrize(
    ("name", "launch", "backhaul"),
    [("integrate-xai", False, False), ("foreclose-launch", True, False),
     ("foreclose-backhaul", False, True)],
)  # fmt: skip
def test_spacex_integration_keeps_xai_under_musk(name, launch, backhaul):
    # strategies apply after every other override: xAI is put back under Musk
    s = load_scenario("baseline-2026", {"labs.xAI.controller": "xAI", "strategy.SpaceX": name})
    assert _lab(s, "xAI").controller == "Musk"
    spacex = _provider(s, "SpaceX")
    assert (spacex.forecloses_launch, spacex.forecloses_backhaul) == (launch, backhaul)
    assert not any(p.forecloses_launch or p.forecloses_backhaul
                   for p in s.providers if p.name != "SpaceX")  # fmt: skip


def test_align_with_blue_origin_contracts_new_glenn(baseline):
    s = load_scenario("baseline-2026", {"strategy.Amazon": "align-with-blue-origin"})
    amazon = _lab(s, "Amazon")
    assert amazon.contract_supplier == "Blue Origin"
    assert amazon.contract_until == ""
    assert amazon.contract_bargaining_weight == 0.3
    assert _vehicle(s, "new-glenn").investment_response == 0.5
    assert _lab(s, "OpenAI") == _lab(baseline, "OpenAI")


@pytest.mark.parametrize(("name", "interest"), [("buy-compute", 0.0), ("own-orbital-program", 1.0)])
def test_google_strategies_set_orbital_interest(baseline, name, interest):
    s = load_scenario("baseline-2026", {"strategy.Google": name})
    assert _lab(s, "Google DeepMind").orbital_interest == interest
    assert [lab for lab in s.labs if lab.name != "Google DeepMind"] == [
        lab for lab in baseline.labs if lab.name != "Google DeepMind"
    ]


# --------------------------------------------------------------------------- 3. mechanics


def _by_name(m):
    return {lab.name: lab for lab in m.labs}


def _terms(m, seller, buyer):
    (t,) = [
        t
        for t in m.contract_book.terms
        if (t.seller, t.buyer, t.term) == (seller, buyer, "quarter")
    ]
    return t


def test_binding_contract_keeps_supply_from_a_foreclosing_supplier_until_it_ends():
    s = load_scenario(
        "baseline-2026",
        {"labs.OpenAI.contract_supplier": "SpaceX", "labs.OpenAI.contract_until": "2028Q4",
         "providers.SpaceX.forecloses_launch": True},
    )  # fmt: skip
    end = quarter_index("2028Q4")
    m = SpaceMarket(scenario=s, rng=1)
    paid_in_term = 0.0
    for _ in range(16):
        q = m.q
        m.step()
        assert _terms(m, "SpaceX", "Anthropic").status == "refused"  # foreclosed, no contract
        assert _terms(m, "SpaceX", "xAI").status != "refused"  # its own group
        openai = _terms(m, "SpaceX", "OpenAI")
        if q <= end:
            assert openai.status != "refused" and openai.bargaining_weight == 0.3
            paid_in_term += sum(p.amount_usd for p in m.odc_payments
                                if (p.lab, p.provider) == ("OpenAI", "SpaceX"))  # fmt: skip
        else:
            assert openai.status == "refused" and openai.kg == 0.0
    assert paid_in_term > 0  # OpenAI did fly orbital capacity on SpaceX during the term


def test_contract_weight_lowers_the_contract_price():
    # no foreclosure: OpenAI's contract edge (supplier weight 0.3) against Anthropic's (0.5)
    s = load_scenario("baseline-2026", {"labs.OpenAI.contract_supplier": "SpaceX"})
    m = SpaceMarket(scenario=s, rng=1)
    while m.quarter_label != "2028Q1":
        m.step()
    compared = 0
    for _ in range(6):
        m.step()
        openai, anthropic = _terms(m, "SpaceX", "OpenAI"), _terms(m, "SpaceX", "Anthropic")
        if anthropic.status == "dropped":  # Starship stood down: SpaceX has nothing to sell
            assert openai.status == "dropped"
            continue
        assert openai.status == anthropic.status == "active"
        assert openai.price_usd_per_kg < anthropic.price_usd_per_kg
        assert _terms(m, "SpaceX", "xAI").price_usd_per_kg < openai.price_usd_per_kg  # at cost
        compared += 1
    assert compared >= 4


def test_control_of_stoke_prices_novas_launches_to_openai_at_cost():
    # the group's transfer is at marginal cost once OpenAI controls Stoke (third tranche)
    s = load_scenario(
        "baseline-2026",
        {"strategy.OpenAI": "control-of-stoke", "strategy.SpaceX": "foreclose-launch"},
    )
    control_from = quarter_index("2028Q2")  # third tranche: kappa 0.6
    m = SpaceMarket(scenario=s, rng=1)
    nova = next(p for p in m.providers if p.name == "Stoke").vehicles["nova"]
    checked = 0
    for _ in range(16):
        q = m.q
        m.step()
        # the cost the contracts priced: this quarter's flights teach at the next state update
        cost = nova.unit_cost_usd() / nova.spec.payload_capacity_kg
        edge = [t for t in m.contract_book.terms if (t.seller, t.buyer) == ("Stoke", "OpenAI")]
        if not edge or edge[0].status != "active":
            continue
        if q < control_from:
            assert m.controllers["Stoke"] == "Stoke"  # 20 % and 40 % stakes do not control
            assert edge[0].price_usd_per_kg > cost  # bargained
        else:
            assert m.controllers["Stoke"] == "OpenAI"
            assert edge[0].price_usd_per_kg == pytest.approx(cost, rel=1e-12)
            checked += 1
    assert checked >= 3


def _lab_for_costs(interest: float = 1.0):
    m = SpaceMarket(scenario="baseline-2026", rng=0)
    lab = _by_name(m)["OpenAI"]
    lab.spec = dataclasses.replace(lab.spec, orbital_interest=interest)
    return lab


@pytest.mark.parametrize(("c_o", "c_g"), [(9_000.0, 10_000.0), (12_000.0, 10_000.0),
                                          (10_000.0, 10_000.0), (1e7, 10_000.0)])  # fmt: skip
def test_expected_cost_is_the_logit_inclusive_value(c_o, c_g):
    lab = _lab_for_costs()
    sigma = 0.15 * c_g
    # hand formula: -sigma log(exp(-C_o/sigma) + exp(-C_g/sigma)), computed stably
    m = min(c_o, c_g)
    hand = m - sigma * math.log(math.exp(-(c_o - m) / sigma) + math.exp(-(c_g - m) / sigma))
    got = lab.expected_cost_usd_per_kw_year(c_o, c_g, 0.15)
    assert got == pytest.approx(hand, rel=1e-12)
    assert got <= min(c_o, c_g)
    assert got >= min(c_o, c_g) - sigma * math.log(2.0) - 1e-9
    # derivative in the orbital cost is the orbital share (Williams-Daly-Zachary)
    h = 1e-3
    slope = (lab.expected_cost_usd_per_kw_year(c_o + h, c_g, 0.15)
             - lab.expected_cost_usd_per_kw_year(c_o - h, c_g, 0.15)) / (2 * h)  # fmt: skip
    assert slope == pytest.approx(lab.orbital_share(c_o, c_g, 0.15), abs=1e-6)


def test_expected_cost_hand_numbers_and_missing_orbital_option():
    lab = _lab_for_costs()
    # equal costs: C - sigma log 2
    assert lab.expected_cost_usd_per_kw_year(10_000.0, 10_000.0, 0.1) == pytest.approx(
        10_000.0 - 1_000.0 * math.log(2.0)
    )
    # C_o = 9000, C_g = 10000, sigma = 1000: 9000 - 1000 log(1 + e^-1)
    expected = 9_000.0 - 1_000.0 * math.log1p(math.exp(-1.0))
    assert lab.expected_cost_usd_per_kw_year(9_000.0, 10_000.0, 0.1) == pytest.approx(expected)
    assert expected == pytest.approx(8686.7383, abs=1e-3)
    # no orbital offer or nothing could fly: ground cost
    assert lab.expected_cost_usd_per_kw_year(math.nan, 10_000.0, 0.1) == 10_000.0
    assert lab.expected_cost_usd_per_kw_year(9_000.0, 10_000.0, 0.1, served=0.0) == 10_000.0
    # rationed: the served fraction chooses, the rest builds on the ground
    assert lab.expected_cost_usd_per_kw_year(9_000.0, 10_000.0, 0.1, served=0.25) == (
        pytest.approx(0.25 * expected + 0.75 * 10_000.0)
    )
    # builders without orbital interest pay the ground cost
    half = _lab_for_costs(0.5)
    assert half.expected_cost_usd_per_kw_year(9_000.0, 10_000.0, 0.1) == pytest.approx(
        0.5 * expected + 0.5 * 10_000.0
    )
    none = _lab_for_costs(0.0)
    assert none.expected_cost_usd_per_kw_year(9_000.0, 10_000.0, 0.1) == 10_000.0


def test_booked_cost_of_compute_is_the_average_over_vintages():
    lab = _lab_for_costs()
    assert math.isnan(lab.cost_of_compute_usd_per_kw_year)
    lab.book_capacity(10.0, 8_000.0, 5e6)
    lab.book_capacity(30.0, 12_000.0, 7e6)
    assert lab.compute_cost_usd == 7e6  # this quarter's booked cost of compute
    lab.book_capacity(0.0, 1e9, 0.0)  # nothing added: ignored in the average
    assert lab.cost_of_compute_usd_per_kw_year == pytest.approx(11_000.0)
    assert lab.compute_cost_usd == 0.0


def test_a_launch_payment_inside_a_group_cancels_in_the_cost_of_compute():
    """With quantities fixed, raising the launch price by dp raises the lab's booked cost of
    compute by the extra payment (the provider's extra revenue), to first order."""
    m = SpaceMarket(scenario="baseline-2026", rng=1)
    lab = next(x for x in m.labs if x.name == "OpenAI")
    p, dp = 700.0, 1e-3
    added_mw, served = 100.0, 0.8
    share = lab.orbital_share(
        m.costs.lab_orbital_usd_per_kw_year(lab, p),
        m.terrestrial_cost,
        m.scenario.compute.cost_dispersion,
    )
    orbital_mw = served * share * added_mw  # what the model builds at price p

    def booked(price):
        return m.costs.booked_cost(lab, price, added_mw, orbital_mw, served).cost_of_compute_usd

    extra_payment = orbital_mw * 1000.0 * m.odc_kg_per_kw * dp
    assert booked(p + dp) - booked(p) == pytest.approx(extra_payment, rel=1e-4)


def test_launch_foreclosure_raises_openais_cost_of_compute():
    runs = {
        name: run_scenario(load_scenario("baseline-2026", {"strategy.SpaceX": name}), seed=1,
                           steps=16)
        for name in ("integrate-xai", "foreclose-launch")
    }  # fmt: skip

    def openai(r):
        return r.firms[r.firms.firm == "OpenAI"].sort_values("step")

    open_, closed = openai(runs["integrate-xai"]), openai(runs["foreclose-launch"])
    # per kW-year of the capacity it adds (its additions differ: the AI-services market moves
    # demand from the foreclosed labs to xAI)
    column = "cost_of_compute_usd_per_kw_year__OpenAI"
    per_kw = {k: r.market.set_index("quarter")[column] for k, r in runs.items()}
    assert (per_kw["foreclose-launch"] >= per_kw["integrate-xai"] - 1e-6).all()
    assert per_kw["foreclose-launch"].iloc[-1] > per_kw["integrate-xai"].iloc[-1]
    # foreclosure is not exclusion: OpenAI turns to other launchers, at a higher price
    assert 0.0 < closed.orbital_mw.iloc[-1] < open_.orbital_mw.iloc[-1]
    # xAI, in SpaceX's group, is not foreclosed
    last = runs["foreclose-launch"].market.iloc[-1]
    assert last["cost_of_compute_usd_per_kw_year__xAI"] < last.terrestrial_cost_usd_per_kw_year


# --------------------------------------------------------------------------- 4. [game]


def _firms(doc) -> set[str]:
    return {x["name"] for group in ("providers", "clouds", "labs") for x in doc[group]}


def test_baseline_game_table_parses_and_round_trips(baseline, baseline_doc):
    spec = baseline.game
    assert isinstance(spec, GameSpec)
    assert spec.players == {
        "OpenAI": ("independent", "long-term-contract", "control-of-stoke"),
        "SpaceX": ("open-access", "integrate-xai", "foreclose-launch", "foreclose-backhaul"),
    }
    assert spec.payoff_firms == {"OpenAI": {"OpenAI": 1.0},
                                 "SpaceX": {"SpaceX": 1.0, "xAI": 1.0}}  # fmt: skip
    assert (spec.discount_rate_per_year, spec.seller_weight, spec.replications) == (0.08, 0.5, 8)
    assert parse_game_spec(spec.to_document(), _firms(baseline_doc)) == spec
    assert "Amazon" in {lab.name for lab in baseline.labs}
    assert load_scenario("backtest-2023").game is None


_GOOD = {
    "players": {"OpenAI": ["independent", "control-of-stoke"], "SpaceX": ["foreclose-launch"]},
    "payoff_firms": {"OpenAI": {"OpenAI": 1.0}, "SpaceX": {"SpaceX": 1.0, "xAI": 1.0}},
}


def _game(**changes):
    raw = copy.deepcopy(_GOOD)
    raw.update(changes)
    return raw


@pytest.mark.parametrize(
    ("raw", "key", "words"),
    [
        ({**_GOOD, "players_": {}}, "game.players_", ["unknown key", "payoff_firms"]),
        (_game(players={"OpenAI": ["independent", "buy-boeing"], "SpaceX": ["open-access"]}),
         "game.players.OpenAI", ["buy-boeing", "control-of-stoke"]),
        (_game(players={"Boeing": ["independent"]}, payoff_firms={"Boeing": {"OpenAI": 1.0}}),
         "game.players.Boeing", ["unknown player"]),
        (_game(players={"OpenAI": ["independent", "independent"]},
               payoff_firms={"OpenAI": {"OpenAI": 1.0}}), "game.players.OpenAI", ["repeated"]),
        (_game(players={"OpenAI": []}, payoff_firms={"OpenAI": {"OpenAI": 1.0}}),
         "game.players.OpenAI", ["non-empty"]),
        (_game(players={}), "game.players", ["non-empty"]),
        (_game(payoff_firms={"OpenAI": {"OpenAI": 1.0}, "SpaceX": {"Tesla": 1.0}}),
         "game.payoff_firms.SpaceX.Tesla", ["unknown firm", "Tesla"]),
        (_game(payoff_firms={"OpenAI": {"OpenAI": 1.5}, "SpaceX": {"SpaceX": 1.0}}),
         "game.payoff_firms.OpenAI.OpenAI", ["must be in [0, 1]", "got 1.5"]),
        (_game(payoff_firms={"OpenAI": {"OpenAI": 1.0}}), "game.payoff_firms.SpaceX", ["every player"]),
        (_game(payoff_firms={**_GOOD["payoff_firms"], "Google": {"Google DeepMind": 1.0}}),
         "game.payoff_firms.Google", ["not a player"]),
        (_game(replications=0), "game.replications", ["[1, 10000]"]),
        (_game(replications=10_001), "game.replications", ["[1, 10000]", "got 10001"]),
        (_game(replications=2.0), "game.replications", ["integer"]),
        (_game(replications=True), "game.replications", ["integer"]),
        (_game(discount_rate_per_year=1.0), "game.discount_rate_per_year", ["[0, 1)"]),
        (_game(discount_rate_per_year=float("nan")), "game.discount_rate_per_year", ["finite"]),
        (_game(seller_weight=-0.1), "game.seller_weight", ["[0, 1]"]),
        (_game(source=3), "game.source", ["string"]),
        ([1, 2], "game", ["table"]),
    ],
)  # fmt: skip
def test_game_table_errors_name_the_key(baseline_doc, raw, key, words):
    doc = {**baseline_doc, "game": raw}
    with pytest.raises(ScenarioError) as info:
        parse_scenario(doc, "test.toml")
    assert info.value.key == key
    assert info.value.source == "test.toml"
    for w in words:
        assert w in str(info.value)


def test_game_table_accepts_bounds(baseline_doc):
    raw = _game(replications=10_000, discount_rate_per_year=0.0, seller_weight=1.0,
                payoff_firms={"OpenAI": {"OpenAI": 0.0}, "SpaceX": {"SpaceX": 1}})  # fmt: skip
    spec = parse_scenario({**baseline_doc, "game": raw}, "t").game
    assert spec.replications == 10_000 and spec.seller_weight == 1.0
    assert spec.payoff_firms["SpaceX"] == {"SpaceX": 1.0}
    assert isinstance(spec.payoff_firms["SpaceX"]["SpaceX"], float)
    assert spec.players["SpaceX"] == ("foreclose-launch",)


@pytest.mark.parametrize(
    ("overrides", "key"),
    [({"game.replications": 0}, "game.replications"),
     ({"game.rounds": 3}, "game.rounds"),
     ({"game.players.OpenAI": ["integrate-xai"]}, "game.players.OpenAI"),
     ({"game.payoff_firms.OpenAI.Tesla": 1.0}, "game.payoff_firms.OpenAI.Tesla")],
)  # fmt: skip
def test_game_table_errors_through_load_scenario(overrides, key):
    with pytest.raises(ScenarioError) as info:
        load_scenario("baseline-2026", overrides)
    assert info.value.key == key
    assert "baseline-2026" in info.value.source


def test_parse_game_spec_checks_firms_against_the_given_set():
    spec = parse_game_spec(copy.deepcopy(_GOOD), {"OpenAI", "SpaceX", "xAI"})
    assert spec.players["OpenAI"] == ("independent", "control-of-stoke")
    with pytest.raises(ScenarioError) as info:
        parse_game_spec(copy.deepcopy(_GOOD), {"OpenAI", "SpaceX"})
    assert info.value.key == "game.payoff_firms.SpaceX.xAI"


def test_open_access_also_removes_control_edges_into_the_group():
    s = load_scenario(
        "baseline-2026",
        {"strategy.SpaceX": "open-access"},
    )
    assert not [c for c in s.control if c.firm == "xAI"]
    from spacemarket.market.scenario import apply_scenario_overrides, resolved_document

    doc, src = resolved_document("baseline-2026")
    doc["control"].append({"owner": "Musk", "firm": "xAI", "kappa": 1.0})
    from spacemarket.market.scenario import parse_scenario

    opened = parse_scenario(
        apply_scenario_overrides(doc, {"strategy.SpaceX": "open-access"}, src), src
    )
    m = SpaceMarket(scenario=opened, rng=1)
    m.step()
    assert m.controllers["xAI"] == "xAI"


def test_contracted_capacity_is_held_back_from_the_spot_market():
    """Contracts are signed before the spot market clears: a vehicle's external launches never
    take the capacity its orbital-compute contracts reserved."""
    m = SpaceMarket(scenario="baseline-2026", rng=1)
    for _ in range(20):
        m.step()
        reserved = m.contract_book.reserved_kg()
        for p in m.providers:
            for v in p.vehicles.values():
                held = reserved.get((p.name, v.name), 0.0) / v.spec.payload_capacity_kg
                assert v.launches.get("external", 0.0) <= v.capacity_launches - held + 1e-9
                assert v.launches.get("orbital_compute", 0.0) == pytest.approx(held, abs=1e-9)
