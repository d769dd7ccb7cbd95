"""The NormalFormGame facade, payoff callables, solve_game and its report."""

from __future__ import annotations

import doctest
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from spacemarket.market import games
from spacemarket.market.games import NormalFormGame, report, solve_game

DOCS = Path(__file__).resolve().parents[2] / "docs" / "games.md"


def _simulated(profile):
    """A stand-in for 'run the market model under this profile': prisoner's dilemma payoffs."""
    table = {("C", "C"): (3, 3), ("C", "D"): (0, 5), ("D", "C"): (5, 0), ("D", "D"): (1, 1)}
    return table[profile]


def test_from_function_evaluates_each_profile_once_with_cache_and_progress():
    calls, seen = [], []

    def payoff(profile):
        calls.append(profile)
        return _simulated(profile)

    cache = {("C", "C"): np.array([3.0, 3.0])}  # one profile already simulated
    game = NormalFormGame.from_function(
        payoff, [("C", "D"), ("C", "D")], player_names=("Lab", "Launcher"), cache=cache,
        progress=lambda done, total, prof: seen.append((done, total, prof)),
    )  # fmt: skip
    assert calls == [("C", "D"), ("D", "C"), ("D", "D")]
    assert seen == [(2, 4, ("C", "D")), (3, 4, ("D", "C")), (4, 4, ("D", "D"))]
    assert set(cache) == {("C", "C"), ("C", "D"), ("D", "C"), ("D", "D")}
    assert game["D", "C"].tolist() == [5.0, 0.0]
    assert game[1, 1].tolist() == [1.0, 1.0]
    assert game.player_names == ("Lab", "Launcher")
    again = NormalFormGame.from_function(payoff, [("C", "D"), ("C", "D")], cache=cache)
    assert len(calls) == 3 and np.array_equal(again.payoffs, game.payoffs)


def test_from_function_with_parallel_mapper_keeps_profile_order():
    with ThreadPoolExecutor(max_workers=2) as pool:
        game = NormalFormGame.from_function(_simulated, [("C", "D"), ("C", "D")], mapper=pool.map)
    assert game.payoffs[..., 0].tolist() == [[3.0, 0.0], [5.0, 1.0]]


@pytest.mark.parametrize(
    ("bad", "match"),
    [((1.0,), "must be 2 finite"), ((1.0, np.inf), "finite"), ("x", "not numeric")],
)
def test_from_function_rejects_bad_payoffs_naming_the_profile(bad, match):
    with pytest.raises(ValueError, match=match) as info:
        NormalFormGame.from_function(lambda p: bad, [("a",), ("b", "c")])
    assert "('a', 'b')" in str(info.value)


def test_game_validation_and_naming():
    with pytest.raises(ValueError, match="unique player names"):
        NormalFormGame(np.zeros((2, 2, 2)), player_names=("A", "A"))
    with pytest.raises(ValueError, match="action names"):
        NormalFormGame(np.zeros((2, 2, 2)), action_names=(("x", "x"), ("y", "z")))
    g = NormalFormGame(np.arange(8.0).reshape(2, 2, 2), action_names=(("x", "y"), ("u", "v")))
    assert g.index(("y", 0)) == (1, 0) and g.label((1, 0)) == ("y", "u")
    with pytest.raises(KeyError, match="no action 'w'"):
        g.index(("w", "u"))
    with pytest.raises(IndexError):
        g.index((2, 0))
    assert g.payoffs.flags.writeable is False
    sub = g.restrict([["y"], ["u", "v"]])
    assert sub.shape == (1, 2) and sub.payoffs.tolist() == [[[4.0, 5.0], [6.0, 7.0]]]
    assert repr(g) == "NormalFormGame(P1 ['x', 'y'], P2 ['u', 'v'])"


def test_solve_game_battle_of_the_sexes(bos):
    rep = solve_game(bos, rng=0)
    assert [bos.label(e.pure_profile) for e in rep.pure_equilibria] == [("T", "L"), ("B", "R")]
    assert rep.mixed_method == "support enumeration"
    (mixed,) = rep.strictly_mixed_equilibria
    assert mixed.strategies[0] == pytest.approx([0.6, 0.4])
    assert rep.welfare_optimum.profiles == ((0, 0), (1, 1))
    assert rep.pareto_set == ((0, 0), (1, 1))
    assert {r.method for r in rep.learning} == {"fictitious play", "replicator", "ewa"}
    for r in rep.learning:
        assert r.reached in {(0, 0), (1, 1)}
    frame = rep.to_frame()
    assert list(frame.columns) == [
        "Row", "Col", "payoff Row", "payoff Col", "welfare", "max_regret", "nash", "pareto",
        "welfare_max", "survives_dominance", "reached_by",
    ]  # fmt: skip
    assert frame["nash"].tolist() == [True, False, False, True]
    assert frame["max_regret"].tolist() == [0.0, 2.0, 3.0, 0.0]
    eqf = rep.equilibria_frame()
    assert eqf["kind"].tolist() == ["pure", "pure", "mixed"]
    assert eqf.loc[2, "Row"] == "T 0.6 + B 0.4"
    text = rep.to_text()
    for fragment in (
        "Pure Nash equilibria (2",
        "(T, L): (3, 2) | 5 | 0 | NE Pareto welfare-max",
        "Row: T 0.6 + B 0.4; Col: L 0.4 + R 0.6",
        "Learning (repeated seasons):",
    ):
        assert fragment in text  # fmt: skip


def test_solve_game_prisoners_dilemma_weights_and_dominance(prisoners):
    rep = solve_game(prisoners, weights=[1.0, 0.0], learning=["fp"], rounds=100, rng=1)
    assert rep.dominance.profile == (1, 1)
    assert rep.weighted_welfare_optimum.profiles == ((1, 0),)
    assert rep.learning[0].method == "fictitious play" and rep.learning[0].reached == (1, 1)
    assert "round 1: P1 drops C (dominated by D, margin 1)" in rep.to_text()
    frame = rep.to_frame()
    assert frame["survives_dominance"].tolist() == [False, False, False, True]
    assert frame["reached_by"].tolist() == ["", "", "", "fictitious play"]


def test_solve_game_three_players_without_pygambit_notes_the_skip(coordination3, monkeypatch):
    monkeypatch.setattr(report, "gambit_available", lambda: False)
    rep = solve_game(coordination3, rounds=300, rng=2)
    assert rep.mixed_equilibria is None
    assert any("pygambit" in n for n in rep.notes)
    assert [e.pure_profile for e in rep.pure_equilibria] == [(0, 0, 0), (1, 1, 1)]
    assert all(r.reached in {(0, 0, 0), (1, 1, 1)} for r in rep.learning)
    with pytest.raises(ValueError, match="two-player"):
        solve_game(coordination3, mixed="support", learning=())


def test_solve_game_three_players_with_pygambit(mckelvey_mclennan):
    pytest.importorskip("pygambit")
    rep = solve_game(mckelvey_mclennan, learning=(), rng=0)
    assert rep.mixed_method == "gambit:gnm"
    assert len(rep.mixed_equilibria) == 9 and len(rep.strictly_mixed_equilibria) == 5
    assert all(e.max_regret <= rep.mixed_tol for e in rep.mixed_equilibria)


def test_solve_game_argument_errors(bos):
    with pytest.raises(ValueError, match="learning methods"):
        solve_game(bos, learning=["q-learning"])
    with pytest.raises(ValueError, match="mixed must be"):
        solve_game(bos, mixed="all")


def test_learning_options_are_passed_through(bos):
    rep = solve_game(bos, mixed=None, learning=["ewa"], rounds=50, rng=0,
                     learning_options={"ewa": {"lam": 0.0}})  # fmt: skip
    assert rep.learning[0].parameters["lam"] == 0.0
    assert rep.learning[0].final[0].tolist() == [0.5, 0.5]  # lam = 0: uniform play


def test_public_api_is_complete():
    for name in games.__all__:
        assert hasattr(games, name), name


def test_docs_examples_run():
    failures, tried = doctest.testfile(
        str(DOCS), module_relative=False, optionflags=doctest.ELLIPSIS
    )
    assert tried > 10 and failures == 0


def test_game_report_has_every_field_the_renderer_reads(bos):
    """report_text reads a report through ReportFields (so it need not import report)."""
    from spacemarket.market.games.report_text import ReportFields

    members = {n for n in vars(ReportFields) if not n.startswith("_")}
    assert members, "ReportFields lists no fields"
    rep = solve_game(bos, learning=())
    assert {n for n in members if not hasattr(rep, n)} == set()
