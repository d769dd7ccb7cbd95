"""Game verdicts checked against per-seed payoffs: dominance, equilibria, welfare, choices.

The games are built so that the mean payoffs give a clean verdict and the per-seed payoffs
decide whether it is significant: a margin of 0.85 whose per-seed differences are issue
11's (interval [-2.65, 4.35]) must be reported "not significant", never as a clean
dominance or equilibrium; a margin whose per-seed differences are (0.9, 1.0, 1.1) must be
reported with its interval [0.752, 1.25] as significant.
"""

from __future__ import annotations

import numpy as np
import pytest

from spacemarket.market.games import (
    Decision,
    GameTree,
    NormalFormGame,
    Terminal,
    backward_induction,
    check_choices,
    iterated_weak_dominance,
    solve_game,
)

ISSUE_11 = np.array([-4.62, 4.01, 4.11, 2.34, 5.77, 2.03, -1.45, -5.38])


def supplier_game(spacex_margin: np.ndarray) -> tuple[NormalFormGame, np.ndarray]:
    """OpenAI {independent, control} x SpaceX {integrate, open}, per-seed payoffs.

    OpenAI: -800 + common noise whatever happens (its two actions tie in every seed).
    SpaceX: integrate pays ``spacex_margin`` (per seed) more than open access against
    either OpenAI action; common noise shared by the two.
    """
    n = len(spacex_margin)
    rng = np.random.default_rng(7)
    samples = np.zeros((2, 2, 2, n))
    samples[..., 0, :] = -800.0 + rng.normal(0.0, 1.0, n)
    common = 150.0 + rng.normal(0.0, 3.0, n)
    samples[:, 0, 1, :] = common + spacex_margin
    samples[:, 1, 1, :] = common
    game = NormalFormGame(
        samples.mean(axis=-1),
        player_names=("OpenAI", "SpaceX"),
        action_names=(("independent", "control"), ("integrate", "open")),
    )
    return game, samples


def test_a_margin_whose_interval_covers_zero_is_not_significant():
    game, samples = supplier_game(ISSUE_11)
    rep = solve_game(game, samples=samples, learning=(), tol=1e-6)
    # the verdicts of the means are unchanged ...
    assert rep.dominance.profile is None or rep.dominance.surviving[1] == (0,)
    (elim,) = rep.dominance.eliminations
    assert (elim.player, elim.action, elim.dominated_by) == (1, 1, 0)
    assert elim.margin == pytest.approx(0.85125)
    # ... but none of them is significant
    sig = rep.significance
    assert sig is not None and sig.n_seeds == 8
    (dom,) = sig.dominance
    assert not dom.significant
    assert (round(dom.binding.diff.ci_low, 2), round(dom.binding.diff.ci_high, 2)) == (-2.65, 4.35)
    assert [c.profile for c in sig.equilibria] == [(0, 0), (1, 0)]
    assert not any(c.significant for c in sig.equilibria)
    assert {c.worse for c in sig.not_ruled_out} == {(0, 1), (1, 1)}
    assert not sig.welfare.significant
    text = rep.to_text()
    assert "drops open (dominated by integrate, margin 0.85125) - NOT SIGNIFICANT" in text
    assert "+0.851 [-2.65, 4.35] not significant (opposite sign in 3 of 8 seeds;" in text
    assert "~96 seeds would settle it" in text
    assert "to independent 0 [0, 0] tie in every seed" in text
    assert "NOT SIGNIFICANT: 1 deviation(s) could pay under noise" in text
    assert "Not ruled out as pure equilibria" in text
    closing = text.split("Not significant at 95%")[1]
    assert "strict dominance: SpaceX drops open for integrate (+0.851 [-2.65, 4.35])" in closing
    assert "equilibrium (independent, integrate): SpaceX loses" in closing
    assert "welfare maximum" in closing
    frame = rep.to_frame()
    assert not frame.nash_significant.any() and frame.nash_not_ruled_out.all()
    assert frame.welfare_gap_ci_low.min() < 0 < frame.welfare_gap_ci_high.max()


def test_a_clearly_significant_margin_is_reported_with_its_interval():
    game, samples = supplier_game(np.array([0.9, 1.0, 1.1]))
    rep = solve_game(game, samples=samples, learning=(), tol=1e-6)
    sig = rep.significance
    assert all(c.significant for c in sig.dominance)
    assert all(c.significant for c in sig.equilibria)  # OpenAI ties exactly in every seed
    assert sig.not_ruled_out == ()
    text = rep.to_text()
    assert "drops open (dominated by integrate, margin 1) - significant" in text
    assert "+1 [0.752, 1.25] significant" in text
    body = text.split("\n", 2)[2]  # after the title and the legend
    assert "not significant" not in body.lower()
    assert "Every verdict above holds in its paired 95% intervals." in text
    assert rep.to_frame().nash_significant.tolist() == [True, False, True, False]


def test_reports_without_samples_are_unchanged(prisoners):
    rep = solve_game(prisoners, learning=())
    assert rep.significance is None
    text = rep.to_text()
    assert "t-interval" not in text and "significant" not in text
    assert "best_deviation_gain" not in rep.to_frame().columns


def test_samples_must_match_the_game():
    game, samples = supplier_game(np.array([0.9, 1.0, 1.1]))
    with pytest.raises(ValueError, match="shape"):
        solve_game(game, samples=samples[..., 0], learning=())
    with pytest.raises(ValueError, match="average"):
        solve_game(game, samples=samples + 1.0, learning=())


def test_weak_dominance_and_its_significance():
    # Row's B ties T against L in every seed and beats it against R by (0.9, 1.0, 1.1)
    row = np.zeros((2, 2, 3))
    row[1, 1] = [0.9, 1.0, 1.1]
    col = np.zeros((2, 2, 3))
    col[:, 0] = 1.0  # Column prefers L whatever Row does
    samples = np.stack([row, col], axis=2)
    game = NormalFormGame(samples.mean(axis=-1), action_names=(("T", "B"), ("L", "R")))
    weak = iterated_weak_dominance(game.payoffs)
    assert weak.surviving == ((1,), (0,))
    assert game.iterated_strict_dominance().surviving == ((0, 1), (0,))
    rep = solve_game(game, samples=samples, learning=())
    checks = {
        (c.elimination.player, c.elimination.action): c for c in rep.significance.weak_dominance
    }
    assert checks[(0, 0)].significant  # a tie in every seed plus a significant gain
    text = rep.to_text()
    assert "P1 drops T (weakly dominated by B, margin 0) - significant" in text
    # with noise on the tie, the weak verdict is no longer established
    row[0, 0] = [0.5, -0.5, 0.0]
    samples = np.stack([row, col], axis=2)
    game = NormalFormGame(samples.mean(axis=-1), action_names=(("T", "B"), ("L", "R")))
    rep = solve_game(game, samples=samples, learning=())
    weak_checks = {(c.elimination.player, c.elimination.action): c
                   for c in rep.significance.weak_dominance}  # fmt: skip
    assert not weak_checks[(0, 0)].significant
    assert "weak dominance: P1 drops T for B" in rep.to_text()


def test_backward_induction_choices_carry_paired_intervals():
    """Chain store: accommodating beats fighting by (2.9, 3.0, 3.1) after entry; entering
    beats staying out by noise around 0.5 (ISSUE_11-like spread)."""
    spread = np.array([2.0, -1.0, 0.5, 0.5])
    enter = 0.5 + spread - spread.mean()
    tree = GameTree(
        Decision("entrant", 0, {
            "out": Terminal((0.0, 5.0), samples=[[0.0] * 4, [5.0] * 4]),
            "in": Decision("incumbent", 1, {
                "fight": Terminal((-1.0, -1.0), samples=[[-1.0] * 4, [-1.0] * 4]),
                "accommodate": Terminal((0.5, 2.0),
                                        samples=[enter, [1.9, 2.0, 2.1, 2.0]]),
            }),
        }),
    )  # fmt: skip
    spe = backward_induction(tree)
    assert spe.path == (("entrant", "in"), ("incumbent", "accommodate"))
    checks = {c.node: c for c in check_choices(tree, spe)}
    inc = checks["incumbent"].comparisons["fight"]
    assert inc.significant and inc.mean == pytest.approx(3.0)
    ent = checks["entrant"].comparisons["out"]
    assert ent.mean == pytest.approx(0.5) and not ent.significant
    assert checks["incumbent"].significant and not checks["entrant"].significant
    with pytest.raises(ValueError, match="no per-seed samples"):
        plain = GameTree(Decision("d", 0, {"a": Terminal((1.0,)), "b": Terminal((0.0,))}))
        check_choices(plain, backward_induction(plain))
    with pytest.raises(ValueError, match="shape"):
        Terminal((1.0, 2.0), samples=[[1.0, 1.0]])
