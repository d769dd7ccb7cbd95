"""Endogenous mode: players decide at epochs, valued by the model's own equilibria.

Each test runs baseline-2026 (seed 1) with a [game] of one or two players for a few years.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from spacemarket.errors import InputError
from spacemarket.market.model import SpaceMarket, run_scenario
from spacemarket.market.scenario import load_scenario


def scenario(players, overrides=None, **downstream):
    s = load_scenario("baseline-2026", overrides)
    game = dataclasses.replace(s.game, players=players, mode="endogenous")
    return dataclasses.replace(
        s, game=game, downstream=dataclasses.replace(s.downstream, **downstream)
    )


def run(s, steps, seed=1):
    m = SpaceMarket(s, rng=seed)
    controllers = []
    for _ in range(steps):
        m.step()
        controllers.append(m.controllers["Stoke"])
    return m, pd.DataFrame(m.event_rows), controllers


def values(events: pd.DataFrame, quarter: str, player: str) -> dict[str, float]:
    e = events[(events.quarter == quarter) & (events.player == player)]
    return dict(zip(e.option, e.value_usd, strict=True))


OPENAI = {"OpenAI": ("independent", "control-of-stoke")}


def test_every_epoch_each_player_takes_its_best_option_and_rows_explain_it():
    m, events, _ = run(scenario({**OPENAI, "SpaceX": ("integrate-xai", "foreclose-launch")}), 17)
    assert sorted(events.quarter.unique()) == ["2026Q1", "2027Q1", "2028Q1", "2029Q1", "2030Q1"]
    for (_, _), e in events.groupby(["quarter", "player"]):
        assert e.chosen.sum() == 1
        assert e.value_usd[e.chosen].iloc[0] == e.value_usd.max()
    assert set(events.status) == {"equilibrium"}
    # before orbital compute and launch matter, every option is worth the same: nobody moves
    first = events[events.quarter == "2026Q1"]
    assert first.value_usd.groupby(first.player).nunique().eq(1).all()
    assert first[first.chosen].option.tolist() == ["independent", "integrate-xai"]


def test_a_foreclosed_lab_values_control_of_an_alternative_launcher_more_and_takes_it(
    nova_at_scale,
):
    """Refused by SpaceX, Nova is OpenAI's best launcher for every vintage it adds, so control
    of Stoke (Nova at its opportunity cost, more cadence) is worth more to it than when SpaceX
    supplies it; it exceeds the Nash-bargained price and OpenAI takes control at once."""
    _, open_, _ = run(scenario(OPENAI, nova_at_scale), 5)
    _, shut, _ = run(scenario(OPENAI, {**nova_at_scale, "strategy.SpaceX": "foreclose-launch"}), 5)
    gain_open = values(open_, "2027Q1", "OpenAI")
    gain_shut = values(shut, "2027Q1", "OpenAI")
    gain_open = gain_open["control-of-stoke"] - gain_open["independent"]
    gain_shut = gain_shut["control-of-stoke"] - gain_shut["independent"]
    assert gain_shut > 1.5 * gain_open > 0
    row = shut[(shut.quarter == "2027Q1") & (shut.option == "control-of-stoke")].iloc[0]
    assert row.chosen and row.price_usd > 0


def test_no_surplus_for_the_acquirer_no_acquisition():
    # the target's owners take the whole surplus (seller weight 1): control is worth exactly
    # what staying independent is, so OpenAI stays put even where it would buy (foreclosed)
    s = scenario(OPENAI, {"strategy.SpaceX": "foreclose-launch"})
    s = dataclasses.replace(s, game=dataclasses.replace(s.game, seller_weight=1.0))
    m, events, controllers = run(s, 9)
    e = values(events, "2027Q1", "OpenAI")
    assert e["control-of-stoke"] == pytest.approx(e["independent"], rel=1e-12)
    assert not m.decisions.acquisitions and set(controllers) == {"Stoke"}


def test_an_acquisition_is_never_undone():
    m, events, controllers = run(scenario(OPENAI, {"strategy.SpaceX": "foreclose-launch"}), 17)
    ((label, player, target, stake, price),) = m.decisions.acquisitions
    assert (label, player, target, stake) == ("2027Q1", "OpenAI", "Stoke", 0.6)
    assert price > 0
    quarters = [f"{y}Q{k}" for y in range(2026, 2031) for k in range(1, 5)][:17]
    after = [c for q, c in zip(quarters, controllers, strict=True) if q >= "2027Q1"]
    assert set(after) == {"OpenAI"}
    later = events[events.quarter > "2027Q1"]
    assert set(later.option) == {"control-of-stoke"}  # bound: no other option is weighed


SPACEX = {"SpaceX": ("integrate-xai", "foreclose-launch")}


#: Starship abundant and no external launch market: no scarcity rent on Starship capacity
ABUNDANT = {
    "external_demand.market_missions_per_year": 0.0,
    "vehicles.starship.planned_launches_per_year": {"2026": 8, "2027": 1000, "2028": 4000},
    "vehicles.starship.max_launches_per_year": 5000.0,
    "labs.xAI.compute_gw": 2.0,
}


@pytest.mark.parametrize(("launcher_weight", "forecloses"), [(0.0, True), (0.5, False)])
def test_the_incumbent_forecloses_only_where_its_group_gains_through_the_downstream_market(
    launcher_weight, forecloses
):
    """Refusing rivals costs SpaceX its margin on their launches and gains xAI AI-services
    business from their dearer compute. Constructed so the first is nil: Starship abundant, no
    external market, and a launcher weight of 0, so launches to rivals sell at cost; then only
    the downstream gain is left and SpaceX forecloses at every epoch once Starship flies. With
    SpaceX taking half the surplus on each launch (weight 0.5), supplying rivals pays more and
    it does not."""
    over = {**ABUNDANT, "compute.launch_bargaining_weight": launcher_weight}
    _, events, _ = run(scenario(SPACEX, over), 17)
    for quarter in ("2028Q1", "2029Q1", "2030Q1"):
        v = values(events, quarter, "SpaceX")
        gain = v["foreclose-launch"] - v["integrate-xai"]
        chosen = events[(events.quarter == quarter) & events.chosen].option.iloc[0]
        assert (gain > 0) is forecloses
        assert chosen == ("foreclose-launch" if forecloses else "integrate-xai")


def test_committed_mode_is_the_committed_run_and_endogenous_is_reproducible():
    s = scenario(OPENAI)
    committed = run_scenario(s, seed=3, steps=9, mode="committed")
    plain = run_scenario(dataclasses.replace(s, game=dataclasses.replace(s.game, mode="committed")),
                         seed=3, steps=9)  # fmt: skip
    pd.testing.assert_frame_equal(committed.firms, plain.firms)
    pd.testing.assert_frame_equal(committed.contracts, plain.contracts)
    assert committed.events.empty and committed.mode == "committed"
    a = run_scenario(s, seed=3, steps=9)
    b = run_scenario(s, seed=3, steps=9)
    assert a.mode == "endogenous" and len(a.events)
    for frame in ("firms", "market", "contracts", "events"):
        pd.testing.assert_frame_equal(getattr(a, frame), getattr(b, frame))
    c = run_scenario(s, seed=4, steps=9)
    assert not a.market.equals(c.market)


def test_endogenous_mode_needs_a_game():
    s = dataclasses.replace(load_scenario("baseline-2026"), game=None)
    with pytest.raises(InputError, match=r"\[game\]"):
        SpaceMarket(s, rng=1, mode="endogenous")
    with pytest.raises(InputError, match="mode"):
        SpaceMarket(s, rng=1, mode="sometimes")


def test_weighing_options_leaves_the_run_untouched():
    """Valuation runs on copies: players whose only option is the status quo decide at every
    epoch and the run is byte for byte the committed one (no draw, no state leaks)."""
    s = scenario({"OpenAI": ("independent",), "SpaceX": ("integrate-xai",)})
    endogenous = run_scenario(s, seed=2, steps=13)
    committed = run_scenario(s, seed=2, steps=13, mode="committed")
    assert len(endogenous.events) == 2 * 4
    for frame in ("firms", "market", "vehicles", "contracts"):
        pd.testing.assert_frame_equal(getattr(endogenous, frame), getattr(committed, frame))


def test_a_lab_refused_launch_is_valued_worse_off():
    """Valuation books orbit and ground vintages alike (lifetime cost of each quarter's
    addition): refused by SpaceX, OpenAI and Anthropic add dearer capacity every projected
    quarter and are worth less. (Booking launch when paid and ground as a flow, then holding
    the quarter, made a refused lab look better off.)"""
    m = SpaceMarket(scenario(SPACEX), rng=1)
    for _ in range(20):  # to 2031Q1: Starship flies and sells out
        m.step()
    supplied = m.decisions._simulate(m, m.q, {"SpaceX": "integrate-xai"})
    refused = m.decisions._simulate(m, m.q, {"SpaceX": "foreclose-launch"})
    for lab in ("OpenAI", "Anthropic"):
        assert refused[lab] < supplied[lab]
