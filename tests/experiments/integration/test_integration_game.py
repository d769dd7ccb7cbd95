"""The integration game end to end: profiles, payoffs, acquisitions, credibility, sequential play.

A tiny game (2 x 2 profiles, 2 seeds, 16 quarters) is run once through the sweep runner in
process; the constructed cases feed the game's tree and accounting with hand-made payoffs.
The entrant/incumbent threat itself (Selten's chain store: a Nash equilibrium of the normal
form rests on a threat that backward induction removes) is covered in
``test_backward_induction.py``; here only the integration game's use of it is checked.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spacemarket.experiments.integration.game import (
    GameSetup,
    IntegrationGameResult,
    _acquisition,
    _credibility,
    _tree,
    evaluate_game,
    game_setup,
    needed_profiles,
)
from spacemarket.experiments.integration.runs import (
    RunSummary,
    discount_factors,
    profile_label,
    read_summaries,
    run_profiles,
    summarize_run,
)
from spacemarket.experiments.sweeps import store
from spacemarket.market.games import Decision, Terminal, backward_induction
from spacemarket.market.model import run_scenario
from spacemarket.market.scenario import load_scenario
from spacemarket.market.scenario.spec import ScenarioError
from spacemarket.market.scenario.strategies import UnknownStrategyError, get_strategy

PLAYERS = {"OpenAI": ["independent", "control-of-stoke"],
           "SpaceX": ["integrate-xai", "foreclose-launch"]}  # fmt: skip
REPS, STEPS = 2, 16


def tiny_setup(**kwargs) -> GameSetup:
    return game_setup("baseline-2026", players=PLAYERS, replications=REPS, steps=STEPS, **kwargs)


@pytest.fixture(scope="module")
def evaluated(tmp_path_factory) -> IntegrationGameResult:
    out = tmp_path_factory.mktemp("game_a")
    return evaluate_game(tiny_setup(), out, workers=1, learning=())


# --------------------------------------------------------------------------- setup


def test_game_setup_reads_the_scenarios_game_table():
    setup = game_setup("baseline-2026")
    assert setup.players["OpenAI"] == ("independent", "long-term-contract", "control-of-stoke")
    assert setup.payoff_firms == {"OpenAI": {"OpenAI": 1.0}, "SpaceX": {"SpaceX": 1.0, "xAI": 1.0}}
    assert (setup.replications, setup.discount_rate_per_year, setup.seller_weight) == (8, 0.08, 0.5)
    tiny = tiny_setup()
    assert tiny.players == {p: tuple(a) for p, a in PLAYERS.items()}
    assert (tiny.replications, tiny.steps, tiny.root_seed) == (REPS, STEPS, 2026)


def test_game_setup_errors_name_the_key():
    with pytest.raises(ScenarioError) as info:
        game_setup("backtest-2023")  # no [game] table
    assert info.value.key == "game"
    with pytest.raises(ScenarioError) as info:  # no firm is named Google: its firms are needed
        game_setup("baseline-2026", players={"Google": ["buy-compute"]})
    assert info.value.key == "game.payoff_firms.Google"
    amazon = game_setup("baseline-2026", players={"Amazon": ["buy-launches"]})
    assert amazon.payoff_firms == {"Amazon": {"Amazon": 1.0}}  # the firm named like the player
    with pytest.raises(ScenarioError) as info:
        game_setup("baseline-2026", players={"Google": ["buy-compute"]},
                   payoff_firms={"Google": {"Alphabet": 1.0}})  # fmt: skip
    assert info.value.key == "game.payoff_firms.Google.Alphabet"
    with pytest.raises(UnknownStrategyError):
        game_setup("baseline-2026", players={"OpenAI": ["independent", "buy-boeing"]})
    with pytest.raises(ScenarioError) as info:
        game_setup("baseline-2026", players={"OpenAI": []})
    assert info.value.key == "game.players.OpenAI"
    ok = game_setup("backtest-2023", players={"OpenAI": ["independent"]},
                    payoff_firms={"OpenAI": {"OpenAI": 1.0}})  # fmt: skip
    assert ok.replications == 8 and ok.payoff_firms == {"OpenAI": {"OpenAI": 1.0}}


def test_needed_profiles_of_a_full_grid_add_nothing():
    # the status quo of the acquirer and the supply alternative are already in the grid
    profiles = needed_profiles(tiny_setup())
    assert [profile_label(p) for p in profiles] == [
        "OpenAI=independent,SpaceX=integrate-xai",
        "OpenAI=independent,SpaceX=foreclose-launch",
        "OpenAI=control-of-stoke,SpaceX=integrate-xai",
        "OpenAI=control-of-stoke,SpaceX=foreclose-launch",
    ]


def test_needed_profiles_add_status_quo_and_supply_counterfactuals():
    setup = game_setup("baseline-2026", players={"OpenAI": ["control-of-stoke"],
                                                 "SpaceX": ["foreclose-launch"]})  # fmt: skip
    labels = [profile_label(p) for p in needed_profiles(setup)]
    assert labels[0] == "OpenAI=control-of-stoke,SpaceX=foreclose-launch"  # the game first
    assert set(labels[1:]) >= {
        "OpenAI=independent,SpaceX=foreclose-launch",  # acquisition: acquirer's status quo
        "OpenAI=control-of-stoke,SpaceX=integrate-xai",  # credibility: supply alternative
    }
    assert len(labels) == len(set(labels))
    # player order is kept in every profile (labels are keys)
    assert all(list(p) == ["OpenAI", "SpaceX"] for p in needed_profiles(setup))


def test_single_profile_acquisition_with_foreclosure_evaluates(tmp_path):
    setup = game_setup("baseline-2026", players={"OpenAI": ["control-of-stoke"],
                                                 "SpaceX": ["foreclose-launch"]},
                       replications=1, steps=4)  # fmt: skip
    result = evaluate_game(setup, tmp_path / "g", workers=1, learning=())
    assert len(result.credibility) == 1


# --------------------------------------------------------------------------- evaluation


def test_payoff_array_and_table(evaluated):
    game = evaluated.game
    assert game.payoffs.shape == (2, 2, 2)
    assert game.player_names == ("OpenAI", "SpaceX")
    assert game.action_names == (tuple(PLAYERS["OpenAI"]), tuple(PLAYERS["SpaceX"]))
    table = evaluated.payoffs
    assert {"profile", "player", "payoff_usd", "ci_low_usd", "ci_high_usd",
            "OpenAI", "SpaceX"} <= set(table.columns)  # fmt: skip
    assert len(table) == 4 * 2
    assert np.isfinite(table[["payoff_usd", "ci_low_usd", "ci_high_usd"]].to_numpy()).all()
    tol = 1e-9 * table.payoff_usd.abs().max()
    assert (table.ci_low_usd <= table.payoff_usd + tol).all()
    assert (table.payoff_usd <= table.ci_high_usd + tol).all()
    for row in table.itertuples():
        i = PLAYERS["OpenAI"].index(row.OpenAI)
        j = PLAYERS["SpaceX"].index(row.SpaceX)
        k = ["OpenAI", "SpaceX"].index(row.player)
        assert game.payoffs[i, j, k] == pytest.approx(row.payoff_usd / 1e9, rel=1e-12)
        assert row.profile == profile_label({"OpenAI": row.OpenAI, "SpaceX": row.SpaceX})
    # a lab's payoff is its profit: AI-services revenue above the cost of what it adds
    assert (table[table.player == "OpenAI"].payoff_usd > 0).all()
    assert evaluated.out is not None and (evaluated.out / "design.toml").is_file()


def test_payoffs_are_the_weighted_discounted_profits_plus_stakes_minus_prices(evaluated):
    setup = evaluated.setup
    table = pd.read_parquet(evaluated.out / "sweep" / store.OUTCOMES)
    assert (table.status == "ok").all() and len(table) == 4 * REPS
    sums = read_summaries(evaluated.out, table, setup.discount_rate_per_year)
    stake = np.array(get_strategy("OpenAI", "control-of-stoke").stake_by_step(STEPS))
    acq = evaluated.acquisitions
    pay = evaluated.payoffs.set_index(["profile", "player"]).payoff_usd
    for spacex in PLAYERS["SpaceX"]:
        for openai in PLAYERS["OpenAI"]:
            label = profile_label({"OpenAI": openai, "SpaceX": spacex})
            runs = [sums[(label, r)].discounted_profit_usd for r in range(REPS)]
            assert all(len(d["OpenAI"]) == STEPS for d in runs)
            spacex_pay = np.mean([d["SpaceX"].sum() + d["xAI"].sum() for d in runs])
            assert pay[(label, "SpaceX")] == pytest.approx(spacex_pay, rel=1e-9)
            openai_pay = np.mean([d["OpenAI"].sum() for d in runs])
            if openai == "control-of-stoke":
                receipts = np.mean([stake @ d["Stoke"] for d in runs])
                paid = acq[acq.profile == label].tranche_price_usd.sum()
                openai_pay += receipts - paid
            assert pay[(label, "OpenAI")] == pytest.approx(openai_pay, rel=1e-9)


def test_acquisition_prices_lie_between_standalone_and_acquirer_value(evaluated):
    acq = evaluated.acquisitions
    control_profiles = {profile_label({"OpenAI": "control-of-stoke", "SpaceX": s})
                        for s in PLAYERS["SpaceX"]}  # fmt: skip
    assert set(acq.profile) == control_profiles
    assert (acq.acquirer == "OpenAI").all() and (acq.target == "Stoke").all()
    for _, rows in acq.groupby("profile"):
        assert rows.tranche_quarter.tolist() == [2, 6, 10]
        assert rows.stake.tolist() == pytest.approx([0.2, 0.4, 0.6])
        assert rows.fraction.tolist() == pytest.approx([0.2, 0.2, 0.2])
    for r in acq.itertuples():
        s, v = r.standalone_value_usd, r.acquirer_value_usd
        tol = 1e-9 * max(abs(s), abs(v), 1.0)
        assert r.fraction * s - tol <= r.tranche_price_usd <= r.fraction * max(s, v) + tol
        assert s - tol <= r.price_100pct_usd <= max(s, v) + tol
        assert r.tranche_price_usd == pytest.approx(r.fraction * r.price_100pct_usd)
        if r.agreement:
            assert v >= s - tol
            # seller weight 0.5: the owners get half the surplus
            assert r.price_100pct_usd == pytest.approx(s + 0.5 * (v - s), rel=1e-9)
        else:
            assert r.price_100pct_usd == s  # no surplus: the owners' reservation price


def test_credibility_compares_foreclosure_with_supply(evaluated):
    cred = evaluated.credibility
    pay = evaluated.payoffs.set_index(["profile", "player"]).payoff_usd
    assert len(cred) == 2  # one per game profile in which SpaceX forecloses
    assert set(cred.action) == {"foreclose-launch"} and set(cred.player) == {"SpaceX"}
    assert set(cred.supply_action) == {"integrate-xai"}
    for r in cred.itertuples():
        assert r.credible == (r.payoff_foreclose >= r.payoff_supply)
        assert r.payoff_foreclose == pytest.approx(pay[(r.profile, "SpaceX")], rel=1e-12)
        supply = r.profile.replace("SpaceX=foreclose-launch", "SpaceX=integrate-xai")
        assert r.payoff_supply == pytest.approx(pay[(supply, "SpaceX")], rel=1e-12)


def test_sequential_play_avoids_non_credible_actions(evaluated):
    seq = evaluated.sequential
    bad = {(node, action) for node, action, _ in seq.non_credible_actions()}
    assert [node for node, _ in seq.path] == ["OpenAI", f"SpaceX after {seq.path[0][1]}"]
    for step in seq.path:
        assert step not in bad
    # backward induction and the credibility table agree on foreclosure
    for r in evaluated.credibility.itertuples():
        openai = r.profile.split(",")[0].split("=")[1]
        node = f"SpaceX after {openai}"
        assert seq.is_credible(node, "foreclose-launch") == bool(r.credible) or (node in seq.ties)
    # by hand: SpaceX best-responds at each node, OpenAI anticipates it
    g = evaluated.game.payoffs
    spacex_reply = [int(np.argmax(g[i, :, 1])) for i in range(2)]
    openai = int(np.argmax([g[i, spacex_reply[i], 0] for i in range(2)]))
    if not seq.ties:
        assert seq.path == (
            ("OpenAI", PLAYERS["OpenAI"][openai]),
            (f"SpaceX after {PLAYERS['OpenAI'][openai]}", PLAYERS["SpaceX"][spacex_reply[openai]]),
        )
    assert "Sequential play" in evaluated.to_text()


def test_same_root_seed_reproduces_the_game(evaluated, tmp_path):
    again = evaluate_game(tiny_setup(), tmp_path / "game_b", workers=1, learning=())
    pd.testing.assert_frame_equal(again.payoffs, evaluated.payoffs)
    pd.testing.assert_frame_equal(again.acquisitions, evaluated.acquisitions)
    pd.testing.assert_frame_equal(again.credibility, evaluated.credibility)
    np.testing.assert_array_equal(again.game.payoffs, evaluated.game.payoffs)
    assert again.sequential.path == evaluated.sequential.path


# --------------------------------------------------------------------------- game_runs


def test_profile_label_and_discount_factors():
    assert profile_label({"OpenAI": "control-of-stoke", "SpaceX": "open-access"}) == (
        "OpenAI=control-of-stoke,SpaceX=open-access"
    )
    assert profile_label({}) == "scenario as given"
    d = discount_factors(np.array([1, 2, 5, 9]), 0.08)
    assert d == pytest.approx([1.0, 1.08**-0.25, 1 / 1.08, 1 / 1.08**2])
    assert discount_factors(np.array([3]), 0.0).tolist() == [1.0]


def test_run_profiles_rejects_empty_or_repeated_profiles(tmp_path):
    with pytest.raises(ValueError, match="no strategy profiles"):
        run_profiles("baseline-2026", [], tmp_path / "a", replications=1)
    p = {"OpenAI": "independent"}
    with pytest.raises(ValueError, match="given twice"):
        run_profiles("baseline-2026", [p, dict(p)], tmp_path / "b", replications=1)


def test_summarize_run_discounts_profits_and_charges_labs_their_compute_cost():
    r = run_scenario("baseline-2026", seed=3, steps=8)
    s = summarize_run(r.firms, r.market, 0.08)
    d = discount_factors(np.arange(1, 9), 0.08)
    openai = r.firms[r.firms.firm == "OpenAI"].sort_values("step")
    profit = openai.revenue_usd.to_numpy() - openai.compute_cost_usd.to_numpy()
    assert s.discounted_profit_usd["OpenAI"] == pytest.approx(profit * d)
    spacex = r.firms[r.firms.firm == "SpaceX"].sort_values("step")
    assert s.discounted_profit_usd["SpaceX"] == pytest.approx(spacex.profit_usd.to_numpy() * d)
    assert "China" not in s.discounted_profit_usd  # captive launchers are not players
    assert s.metrics["profit_usd__OpenAI"] == pytest.approx(s.discounted_profit_usd["OpenAI"].sum())
    assert s.metrics["cost_of_compute_usd_per_kw_year__OpenAI"] > 0
    assert "share_mass__SpaceX" in s.metrics


# --------------------------------------------------------------------------- constructed


def _setup(players) -> GameSetup:
    return GameSetup(scenario="baseline-2026", players={p: tuple(a) for p, a in players.items()},
                     payoff_firms={p: {p: 1.0} for p in players}, replications=1)  # fmt: skip


def _arr(payoffs: dict[tuple[int, int], tuple[float, float]]) -> np.ndarray:
    arr = np.zeros((2, 2, 2))
    for idx, v in payoffs.items():
        arr[idx] = v
    return arr


def test_tree_removes_a_non_credible_foreclosure_threat():
    """OpenAI chooses independence or control of Stoke, then SpaceX supplies or forecloses.

    Foreclosing costs SpaceX ex post after either move (8 < 10, 7 < 9), so it supplies and
    OpenAI takes control (6 > 5). Had SpaceX committed to foreclose after control, OpenAI
    would stay independent (5 > 1): a Nash equilibrium of the normal form resting on the
    threat, which backward induction removes.
    """
    setup = _setup(PLAYERS)
    arr = _arr({(0, 0): (5.0, 10.0), (0, 1): (2.0, 8.0),
                (1, 0): (6.0, 9.0), (1, 1): (1.0, 7.0)})  # fmt: skip
    tree = _tree(setup, arr)
    assert tree.player_names == ("OpenAI", "SpaceX")
    spe = backward_induction(tree)
    assert spe.path == (("OpenAI", "control-of-stoke"),
                        ("SpaceX after control-of-stoke", "integrate-xai"))  # fmt: skip
    assert spe.payoffs.tolist() == [6.0, 9.0]
    assert spe.strategy["SpaceX after independent"] == "integrate-xai"
    losses = {(n, a): loss for n, a, loss in spe.non_credible_actions()}
    assert losses[("SpaceX after independent", "foreclose-launch")] == pytest.approx(2.0)
    assert losses[("SpaceX after control-of-stoke", "foreclose-launch")] == pytest.approx(2.0)
    assert not spe.is_credible("SpaceX after control-of-stoke", "foreclose-launch")
    # terminal payoffs are the array's, named by the path
    leaves = {n.name: n.payoffs for n in tree.nodes() if isinstance(n, Terminal)}
    assert leaves["control-of-stoke,foreclose-launch"] == (1.0, 7.0)
    # the threat supports a Nash equilibrium of the induced normal form
    nf = tree.to_normal_form()
    threat = ("SpaceX after independent=integrate-xai; "
              "SpaceX after control-of-stoke=foreclose-launch")  # fmt: skip
    nash = [nf.label(e.pure_profile) for e in nf.pure_nash_equilibria()]
    assert ("independent", threat) in nash
    assert any(p[0] == "control-of-stoke" for p in nash)


def test_tree_plays_a_credible_foreclosure():
    # foreclosing an independent OpenAI pays SpaceX (12 > 10): credible, and OpenAI buys Stoke
    setup = _setup(PLAYERS)
    arr = _arr({(0, 0): (6.0, 10.0), (0, 1): (1.0, 12.0),
                (1, 0): (5.0, 8.0), (1, 1): (4.0, 5.0)})  # fmt: skip
    spe = backward_induction(_tree(setup, arr))
    assert spe.is_credible("SpaceX after independent", "foreclose-launch")
    assert spe.path == (("OpenAI", "control-of-stoke"),
                        ("SpaceX after control-of-stoke", "integrate-xai"))  # fmt: skip


def test_tree_of_three_players_has_one_node_per_history():
    players = {"OpenAI": ["independent", "control-of-stoke"],
               "SpaceX": ["integrate-xai", "foreclose-launch"],
               "Google": ["buy-compute", "own-orbital-program"]}  # fmt: skip
    rng = np.random.default_rng(0)
    arr = rng.normal(size=(2, 2, 2, 3))
    tree = _tree(_setup(players), arr)
    names = [n.name for n in tree.nodes() if isinstance(n, Decision)]
    assert len(names) == 1 + 2 + 4 and len(set(names)) == len(names)
    assert "Google after control-of-stoke,foreclose-launch" in names
    spe = backward_induction(tree)
    (_, a), (_, b), (_, c) = spe.path
    i = players["OpenAI"].index(a)
    j = players["SpaceX"].index(b)
    k = players["Google"].index(c)
    assert spe.payoffs.tolist() == arr[i, j, k].tolist()
    assert c == players["Google"][int(np.argmax(arr[i, j, :, 2]))]


def test_credibility_table_from_hand_made_payoffs():
    setup = _setup(PLAYERS)
    profiles = needed_profiles(setup)
    values = {"OpenAI=independent,SpaceX=integrate-xai": (5.0, 10.0),
              "OpenAI=independent,SpaceX=foreclose-launch": (1.0, 12.0),
              "OpenAI=control-of-stoke,SpaceX=integrate-xai": (6.0, 9.0),
              "OpenAI=control-of-stoke,SpaceX=foreclose-launch": (2.0, 9.0)}  # fmt: skip
    pay = {k: {"OpenAI": np.array([v[0]]), "SpaceX": np.array([v[1]])} for k, v in values.items()}
    cred = _credibility(setup, profiles, pay).set_index("profile")
    assert cred.loc["OpenAI=independent,SpaceX=foreclose-launch"].credible
    # a tie is credible (the supplier is willing to carry it out)
    assert cred.loc["OpenAI=control-of-stoke,SpaceX=foreclose-launch"].credible
    pay["OpenAI=control-of-stoke,SpaceX=foreclose-launch"]["SpaceX"] = np.array([8.5])
    cred = _credibility(setup, profiles, pay).set_index("profile")
    assert not cred.loc["OpenAI=control-of-stoke,SpaceX=foreclose-launch"].credible
    assert cred.payoff_supply.tolist() == [10.0, 9.0]


def _summary(stoke: np.ndarray, openai_last_quarter: float = 0.0) -> RunSummary:
    """Stoke's discounted profit by quarter, and OpenAI's: 0 except in the last quarter."""
    openai = np.zeros(len(stoke))
    openai[-1] = openai_last_quarter
    return RunSummary({"Stoke": np.asarray(stoke, dtype=float), "OpenAI": openai}, {},
                      pd.DataFrame())  # fmt: skip


def test_acquisition_accounting_by_hand():
    """Stoke earns 1 per quarter (discounted) over 12 quarters with or without control.

    Tranches at quarters 1, 5, 9 (steps 2, 6, 10) see 11, 7 and 3 quarters of profit: the
    standalone values. OpenAI's own gain from control is 2, all in the last quarter (so within
    every tranche's horizon), so its valuations are 13, 9, 5
    and the prices at seller weight 0.5 are 12, 8, 4; it pays 0.2 x 24 = 4.8 and receives
    0.2 x 4 + 0.4 x 4 + 0.6 x 3 = 4.2 of Stoke's profit.
    """
    setup = _setup({"OpenAI": ["independent", "control-of-stoke"]})
    prof = {"OpenAI": "control-of-stoke"}
    label, cf = "OpenAI=control-of-stoke", "OpenAI=independent"
    sums = {(label, 0): _summary(np.ones(12), 2.0), (cf, 0): _summary(np.ones(12))}
    strat = get_strategy("OpenAI", "control-of-stoke")
    rows: list[dict] = []
    base = {(label, 0): {"OpenAI": -10.0}, (cf, 0): {"OpenAI": -12.0}}
    extra = _acquisition(setup, sums, base, prof, "OpenAI", strat, rows)
    assert extra.tolist() == pytest.approx([4.2 - 4.8])
    assert [r["standalone_value_usd"] for r in rows] == [11.0, 7.0, 3.0]
    assert [r["acquirer_value_usd"] for r in rows] == [13.0, 9.0, 5.0]
    assert [r["price_100pct_usd"] for r in rows] == pytest.approx([12.0, 8.0, 4.0])
    assert [r["tranche_price_usd"] for r in rows] == pytest.approx([2.4, 1.6, 0.8])
    assert all(r["agreement"] for r in rows)
    # control destroys value for OpenAI: no surplus, it pays the standalone value
    rows = []
    sums[(label, 0)] = _summary(np.ones(12), -1.0)
    extra = _acquisition(setup, sums, base, prof, "OpenAI", strat, rows)
    assert extra.tolist() == pytest.approx([0.0])  # pays exactly what its stakes earn
    assert not any(r["agreement"] for r in rows)
    assert [r["price_100pct_usd"] for r in rows] == [11.0, 7.0, 3.0]


def test_a_child_scenario_replaces_the_game_players(tmp_path):
    child = tmp_path / "amazon_game.toml"
    child.write_text(
        'extends = "baseline-2026"\nname = "amazon-game"\n[game]\n'
        'players = { Amazon = ["buy-launches", "align-with-blue-origin"], '
        'SpaceX = ["integrate-xai", "foreclose-launch"] }\n'
        "payoff_firms = { Amazon = { Amazon = 1.0 }, SpaceX = { SpaceX = 1.0, xAI = 1.0 } }\n"
    )
    game = load_scenario(str(child)).game
    assert list(game.players) == ["Amazon", "SpaceX"]  # OpenAI is not merged in
    assert game.replications == 8  # other keys still come from the parent


def test_an_extra_launch_option_never_strands_a_lab():
    """A long-term reservation on a dearer launcher does not keep the lab off SpaceX: in every
    quarter both runs can buy from SpaceX, the lab adds about as much orbital compute (the
    reservation serves the builders who would fly even at its price; the rest buy at the
    market's). Its cost may be higher: a price fixed before Starship is a bad hedge."""
    from spacemarket.market.model import run_scenario

    def amazon(strategy):
        r = run_scenario(load_scenario("baseline-2026", {"strategy.Amazon": strategy}), seed=1,
                         steps=16)  # fmt: skip
        c = r.contracts
        spacex = c[(c.buyer == "Amazon") & (c.seller == "SpaceX") & (c.status == "active")]
        firms = r.firms[r.firms.firm == "Amazon"].set_index("quarter")
        return firms.orbital_mw.diff(), set(spacex.quarter)

    (buy, q_buy), (align, q_align) = amazon("buy-launches"), amazon("align-with-blue-origin")
    both = sorted(q_buy & q_align)
    assert len(both) >= 8
    assert align[both].sum() >= 0.98 * buy[both].sum()


# --------------------------------------------------------------------------- uncertainty


def test_every_verdict_carries_its_paired_interval(evaluated):
    """Payoffs keep their per-seed values; the report checks each verdict against them."""
    seeds = evaluated.seed_payoffs
    assert len(seeds) == 4 * 2 * REPS
    means = seeds.groupby(["profile", "player"]).payoff_usd.mean()
    pay = evaluated.payoffs.set_index(["profile", "player"])
    assert means.to_numpy() == pytest.approx(pay.loc[means.index].payoff_usd.to_numpy())
    assert (pay.n_seeds == REPS).all() and (pay.sd_usd >= 0).all()
    sig = evaluated.report.significance
    assert sig is not None and sig.n_seeds == REPS
    assert len(sig.equilibria) == len(evaluated.report.pure_equilibria)
    assert [c.node for c in evaluated.choices] == [
        "OpenAI", "SpaceX after independent", "SpaceX after control-of-stoke"]  # fmt: skip
    cred = evaluated.credibility
    assert set(cred.significance) <= {"significant", "not significant", "tie in every seed"}
    assert (cred.diff_ci_low_usd <= cred.diff_mean_usd + 1e-6).all()
    assert cred.diff_mean_usd.to_numpy() == pytest.approx(
        (cred.payoff_foreclose - cred.payoff_supply).to_numpy(), rel=1e-9
    )
    text = evaluated.to_text()
    assert f"paired over the same {REPS} seeds" in text
    assert "choices (mover's payoff, chosen minus alternative, USD bn):" in text
    assert "foreclose minus supply, paired over seeds" in text
    fragile = evaluated.verdicts_not_significant()
    if fragile:
        assert "Not significant at 95%" in text and all(f in text for f in fragile)
    else:
        assert "Every verdict above holds" in text
    frame = evaluated.report.to_frame()
    assert {"best_deviation_ci_low", "welfare_gap_ci_high", "nash_significant"} <= set(frame)


def test_credibility_that_noise_can_flip_is_not_significant():
    setup = _setup(PLAYERS)
    profiles = needed_profiles(setup)
    spacex = {"OpenAI=independent,SpaceX=integrate-xai": [10.0, 10.0, 10.0, 10.0],
              "OpenAI=independent,SpaceX=foreclose-launch": [14.0, 7.0, 13.0, 8.0],
              "OpenAI=control-of-stoke,SpaceX=integrate-xai": [9.0, 9.0, 9.0, 9.0],
              "OpenAI=control-of-stoke,SpaceX=foreclose-launch": [4.9, 5.0, 5.1, 5.0]}  # fmt: skip
    pay = {k: {"OpenAI": np.zeros(4), "SpaceX": np.array(v)} for k, v in spacex.items()}
    cred = _credibility(setup, profiles, pay).set_index("profile")
    noisy = cred.loc["OpenAI=independent,SpaceX=foreclose-launch"]
    assert noisy.credible and noisy.diff_mean_usd == pytest.approx(0.5)
    assert noisy.diff_ci_low_usd < 0 < noisy.diff_ci_high_usd
    assert noisy.significance == "not significant" and noisy.seeds_needed > 4
    clear = cred.loc["OpenAI=control-of-stoke,SpaceX=foreclose-launch"]
    assert not clear.credible and clear.significance == "significant"
    assert clear.diff_ci_high_usd < 0 and pd.isna(clear.seeds_needed)
    from spacemarket.experiments.integration.structure import credibility_lines

    text = "\n".join(credibility_lines(cred.reset_index()))
    assert "SpaceX foreclose-launch credible (foreclose 0.00 vs supply 0.00; difference" in text
    assert "not significant (~" in text and "seeds would settle it)" in text
