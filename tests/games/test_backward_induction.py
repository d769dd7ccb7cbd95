"""Backward induction on perfect-information trees: non-credible threats are removed."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.market.games import Chance, Decision, GameTree, Terminal, backward_induction

ENTRANT, INCUMBENT = 0, 1


def chain_store_stage() -> GameTree:
    """Selten (1978) chain-store stage game: staying out leaves the incumbent its monopoly
    profit 5; after entry, fighting (a price war) gives both -1 and accommodating 2 each."""
    return GameTree(
        Decision("entrant", ENTRANT, {
            "out": Terminal((0.0, 5.0)),
            "in": Decision("incumbent", INCUMBENT, {
                "fight": Terminal((-1.0, -1.0)),
                "accommodate": Terminal((2.0, 2.0)),
            }),
        }),
        player_names=("Entrant", "Incumbent"),
    )  # fmt: skip


def test_chain_store_entrant_enters_incumbent_accommodates():
    spe = backward_induction(chain_store_stage())
    assert spe.path == (("entrant", "in"), ("incumbent", "accommodate"))
    assert spe.strategy == {"entrant": "in", "incumbent": "accommodate"}
    assert spe.payoffs.tolist() == [2.0, 2.0]
    assert spe.unique and spe.ties == ()
    assert not spe.is_credible("incumbent", "fight")
    assert spe.is_credible("incumbent", "accommodate")
    assert spe.non_credible_actions() == [("incumbent", "fight", 3.0), ("entrant", "out", 2.0)]
    assert spe.nodes["incumbent"].action_values["fight"].tolist() == [-1.0, -1.0]


def test_threat_supports_a_nash_equilibrium_that_is_not_subgame_perfect():
    game = chain_store_stage().to_normal_form()
    assert game.action_names == (("out", "in"), ("fight", "accommodate"))
    nash = [game.label(e.pure_profile) for e in game.pure_nash_equilibria()]
    # (out, fight): the threat deters entry in a Nash equilibrium of the normal form ...
    assert nash == [("out", "fight"), ("in", "accommodate")]
    # ... but only (in, accommodate) survives backward induction
    spe = backward_induction(chain_store_stage())
    assert game.label((spe.strategy["entrant"], spe.strategy["incumbent"])) in nash
    assert spe.path[-1] == ("incumbent", "accommodate")


def foreclosure_tree(foreclose_after_acquire: float = 5.0) -> GameTree:
    """OpenAI stays independent or acquires a launcher; then SpaceX supplies or forecloses.

    Payoffs (OpenAI, SpaceX). Independent: SpaceX foreclosing gains (12 > 10: its own AI arm
    takes the market), so the threat is credible. After the acquisition OpenAI has its own
    rockets; foreclosing then only loses SpaceX launch revenue (5 < 8), so it is not credible.
    OpenAI: 6 if supplied independent, 1 if foreclosed; 5 / 4 after paying for the launcher.
    """
    return GameTree(
        Decision("openai", 0, {
            "independent": Decision("spacex|independent", 1, {
                "supply": Terminal((6.0, 10.0)),
                "foreclose": Terminal((1.0, 12.0)),
            }),
            "acquire": Decision("spacex|acquire", 1, {
                "supply": Terminal((5.0, 8.0)),
                "foreclose": Terminal((4.0, foreclose_after_acquire)),
            }),
        }),
        player_names=("OpenAI", "SpaceX"),
    )  # fmt: skip


def test_foreclosure_is_played_only_where_credible():
    spe = backward_induction(foreclosure_tree())
    assert spe.strategy == {
        "spacex|independent": "foreclose",
        "spacex|acquire": "supply",
        "openai": "acquire",
    }
    assert spe.path == (("openai", "acquire"), ("spacex|acquire", "supply"))
    assert spe.payoffs.tolist() == [5.0, 8.0]
    assert spe.is_credible("spacex|independent", "foreclose")
    assert not spe.is_credible("spacex|acquire", "foreclose")
    losses = {(n, a): loss for n, a, loss in spe.non_credible_actions()}
    assert losses[("spacex|acquire", "foreclose")] == 3.0
    # if foreclosing after the acquisition paid SpaceX more (9 > 8) the threat would be
    # credible: OpenAI still acquires (4 > 1) but is then foreclosed
    spe2 = backward_induction(foreclosure_tree(foreclose_after_acquire=9.0))
    assert spe2.is_credible("spacex|acquire", "foreclose")
    assert spe2.path == (("openai", "acquire"), ("spacex|acquire", "foreclose"))
    assert spe2.payoffs.tolist() == [4.0, 9.0]


def test_chance_node_expected_values_and_plays():
    """Starship is delayed with probability 0.3 before SpaceX decides whether to foreclose."""
    tree = GameTree(
        Chance("starship", {
            "delayed": (0.3, Decision("spacex|delayed", 0, {
                "supply": Terminal((4.0, 2.0)), "foreclose": Terminal((5.0, 0.0))})),
            "on time": (0.7, Decision("spacex|on time", 0, {
                "supply": Terminal((10.0, 3.0)), "foreclose": Terminal((9.0, 0.0))})),
        }),
        player_names=("SpaceX", "Rival"),
    )  # fmt: skip
    spe = backward_induction(tree)
    assert spe.strategy == {"spacex|delayed": "foreclose", "spacex|on time": "supply"}
    assert spe.payoffs == pytest.approx([0.3 * 5 + 0.7 * 10, 0.7 * 3], abs=1e-12)
    assert [(p.probability, p.steps) for p in spe.plays] == [
        (0.3, (("starship", "delayed"), ("spacex|delayed", "foreclose"))),
        (0.7, (("starship", "on time"), ("spacex|on time", "supply"))),
    ]
    assert spe.path == spe.plays[1].steps
    assert spe.nodes["starship"].player is None
    with pytest.raises(KeyError, match="chance node"):
        spe.is_credible("starship", "delayed")


def test_indifference_is_reported_as_a_tie():
    tree = GameTree(Decision("root", 0, {
        "a": Terminal((1.0, 0.0)), "b": Terminal((1.0, 5.0)), "c": Terminal((0.0, 9.0))}))  # fmt: skip
    spe = backward_induction(tree)
    assert spe.strategy == {"root": "a"}  # first optimal action in declared order
    assert spe.ties == ("root",) and not spe.unique
    assert spe.nodes["root"].optimal_actions == ("a", "b")
    assert spe.is_credible("root", "b") and not spe.is_credible("root", "c")
    # a gap below tol is a tie, above tol it is not
    tree2 = GameTree(
        Decision("root", 0, {"a": Terminal((1.0, 0.0)), "b": Terminal((1.0 + 1e-6, 0.0))})
    )
    assert backward_induction(tree2, tol=1e-5).ties == ("root",)
    assert backward_induction(tree2, tol=1e-7).strategy == {"root": "b"}


@pytest.mark.parametrize(
    ("build", "match"),
    [
        (lambda: GameTree(Decision("x", 0, {"a": Terminal((1.0,)), "b": Terminal((1.0, 2.0))})),
         "same length"),
        (lambda: GameTree(Decision("x", 2, {"a": Terminal((1.0, 2.0))})), "player 2"),
        (lambda: GameTree(Decision("x", 0, {"a": Decision("x", 1, {"b": Terminal((0.0, 0.0))})})),
         "used twice"),
        (lambda: Chance("c", {"a": (0.5, Terminal((0.0,)))}), "summing to 1"),
        (lambda: Decision("x", 0, {}), "at least one action"),
        (lambda: Terminal((float("nan"), 0.0)), "finite"),
        (lambda: GameTree(Decision("x", 0, {"a": Terminal((1.0, 2.0))}), player_names=("A",)),
         "player names"),
    ],
)  # fmt: skip
def test_invalid_trees_raise(build, match):
    with pytest.raises(ValueError, match=match):
        build()


# --- property: the subgame-perfect profile is a Nash equilibrium of the normal form --------


@st.composite
def trees(draw, depth=0, counter=None):
    counter = counter if counter is not None else [0]
    if depth >= 3 or (depth > 0 and draw(st.booleans())):
        return Terminal(tuple(draw(st.integers(-3, 3)) * 1.0 for _ in range(2)))
    counter[0] += 1
    name = f"n{counter[0]}"
    n_actions = draw(st.integers(1, 2))
    children = {f"a{j}": draw(trees(depth + 1, counter)) for j in range(n_actions)}
    return Decision(name, draw(st.integers(0, 1)), children)


@settings(max_examples=60, deadline=None)
@given(root=trees())
def test_subgame_perfect_profile_is_nash_in_induced_normal_form(root):
    tree = GameTree(root if isinstance(root, Decision) else Decision("r", 0, {"a": root}))
    spe = backward_induction(tree)
    game = tree.to_normal_form()
    labels = []
    for i in range(2):
        nodes = tree.decision_nodes(i)
        if not nodes:
            labels.append("(none)")
        elif len(nodes) == 1:
            labels.append(spe.strategy[nodes[0].name])
        else:
            labels.append("; ".join(f"{n.name}={spe.strategy[n.name]}" for n in nodes))
    profile = game.index(labels)
    assert game[profile] == pytest.approx(spe.payoffs)
    assert np.allclose(tree.outcome(spe.strategy), spe.payoffs)
    assert profile in {e.pure_profile for e in game.pure_nash_equilibria()}
