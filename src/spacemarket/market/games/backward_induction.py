"""Subgame-perfect equilibrium of a perfect-information tree by backward induction.

Algorithm (Kuhn 1953; Selten 1965, 1975; Fudenberg & Tirole 1991, *Game Theory*, section
3.2): starting from the leaves, the value of a terminal node is its payoff vector; the value of
a chance node is the probability-weighted average of its children's values; at a decision node
the mover picks the action whose continuation value is highest *for the mover*, and the node's
value is that child's value. The chosen actions form a strategy at every node, on and off the
equilibrium path, which is a Nash equilibrium in every subgame (Selten's subgame perfection).

Credibility. A threat - an action a player says it would take at a node, such as "foreclose
launch to a rival" after the rival has entered - is *credible* only if it is optimal for that
player at that node. Backward induction evaluates every node as if it were reached, so a
non-credible threat never appears in the subgame-perfect strategy, although it can support a
Nash equilibrium of the induced normal form (:meth:`GameTree.to_normal_form`), as in Selten's
(1978, *Theory and Decision* 9) chain-store stage game: "fight after entry" deters entry in a
Nash equilibrium, but the incumbent accommodates once entry has happened, so the entrant
enters. :meth:`SubgamePerfectEquilibrium.is_credible` and
:meth:`SubgamePerfectEquilibrium.non_credible_actions` report exactly this.

Ties: when the mover is indifferent (within ``tol``) the first optimal action in declared order
is chosen; the node is listed in ``ties`` and ``unique`` is ``False`` (another
subgame-perfect equilibrium then exists).

Examples
--------
>>> from spacemarket.market.games.tree import Decision, GameTree, Terminal
>>> tree = GameTree(Decision("entrant", 0, {
...     "out": Terminal((0.0, 5.0)),
...     "in": Decision("incumbent", 1, {"fight": Terminal((-1.0, -1.0)),
...                                     "accommodate": Terminal((2.0, 2.0))}),
... }))
>>> spe = backward_induction(tree)
>>> spe.path
(('entrant', 'in'), ('incumbent', 'accommodate'))
>>> spe.is_credible("incumbent", "fight")
False
>>> spe.payoffs.tolist()
[2.0, 2.0]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from spacemarket.market.games.tree import Chance, Decision, GameTree, Node, Terminal

__all__ = ["NodeSolution", "PlayPath", "SubgamePerfectEquilibrium", "backward_induction"]


@dataclass(frozen=True)
class NodeSolution:
    """Backward-induction solution at one decision or chance node.

    Attributes
    ----------
    node : str
        Node name.
    player : int or None
        The mover (``None`` at a chance node).
    action : str or None
        The action chosen in the subgame-perfect equilibrium (``None`` at a chance node).
    value : numpy.ndarray, shape (k,)
        Equilibrium continuation payoffs from this node (expected over chance).
    action_values : dict of str to numpy.ndarray
        Continuation payoff vector after each action / chance outcome.
    optimal_actions : tuple of str
        Actions within ``tol`` of the best for the mover (all outcomes at a chance node).
    """

    node: str
    player: int | None
    action: str | None
    value: np.ndarray
    action_values: dict[str, np.ndarray]
    optimal_actions: tuple[str, ...]


@dataclass(frozen=True)
class PlayPath:
    """One way play can unfold in equilibrium (several only if chance nodes are on path).

    Attributes
    ----------
    probability : float
        Probability of this play.
    steps : tuple of (str, str)
        ``(node name, action or chance outcome)`` from the root to a terminal node.
    payoffs : numpy.ndarray, shape (k,)
        Payoffs at the terminal node reached.
    """

    probability: float
    steps: tuple[tuple[str, str], ...]
    payoffs: np.ndarray


@dataclass(frozen=True)
class SubgamePerfectEquilibrium:
    """Result of :func:`backward_induction`.

    Attributes
    ----------
    strategy : dict of str to str
        The action at every decision node (on and off the equilibrium path).
    nodes : dict of str to NodeSolution
        Per-node solution, including the value of every action.
    plays : tuple of PlayPath
        The equilibrium plays with their probabilities (one if no chance node is on path).
    payoffs : numpy.ndarray, shape (k,)
        Expected equilibrium payoffs at the root.
    ties : tuple of str
        Decision nodes where the mover is indifferent between optimal actions.
    tol : float
        Tolerance used for optimality and ties (payoff units).
    """

    strategy: dict[str, str]
    nodes: dict[str, NodeSolution]
    plays: tuple[PlayPath, ...]
    payoffs: np.ndarray
    ties: tuple[str, ...]
    tol: float

    @property
    def unique(self) -> bool:
        """Whether no mover was indifferent anywhere (the subgame-perfect equilibrium is unique)."""
        return not self.ties

    @property
    def path(self) -> tuple[tuple[str, str], ...]:
        """The most probable equilibrium play (the only one without chance on path)."""
        return max(self.plays, key=lambda p: p.probability).steps

    def is_credible(self, node: str, action: str) -> bool:
        """Whether ``action`` is optimal for the mover at decision node ``node``.

        Raises
        ------
        KeyError
            If ``node`` is not a decision node or ``action`` is not one of its actions.
        """
        sol = self.nodes[node]
        if sol.player is None:
            raise KeyError(f"{node!r} is a chance node")
        if action not in sol.action_values:
            raise KeyError(f"node {node!r} has no action {action!r}")
        return action in sol.optimal_actions

    def non_credible_actions(self) -> list[tuple[str, str, float]]:
        """Every ``(node, action, loss)`` whose action the mover would not carry out there.

        ``loss`` is what the mover gives up by taking the action at that node instead of the
        equilibrium action (payoff units, ``> tol``).
        """
        out = []
        for name, sol in self.nodes.items():
            if sol.player is None:
                continue
            best = sol.value[sol.player]
            for action, val in sol.action_values.items():
                if action not in sol.optimal_actions:
                    out.append((name, action, float(best - val[sol.player])))
        return out


def backward_induction(tree: GameTree, tol: float | None = None) -> SubgamePerfectEquilibrium:
    """Solve a perfect-information tree for its subgame-perfect equilibrium.

    Parameters
    ----------
    tree : GameTree
        The game.
    tol : float, optional
        Actions within ``tol`` of the best for the mover are optimal (ties); default
        ``1e-9 * max |terminal payoff|``.

    Returns
    -------
    SubgamePerfectEquilibrium
    """
    leaves = [t.payoffs for t in tree.nodes() if isinstance(t, Terminal)]
    if tol is None:
        scale = float(np.max(np.abs(leaves)))
        tol = 1e-9 * (scale if scale > 0 else 1.0)
    nodes: dict[str, NodeSolution] = {}

    def solve(node: Node) -> np.ndarray:
        if isinstance(node, Terminal):
            return np.array(node.payoffs)
        if isinstance(node, Chance):
            vals = {k: solve(child) for k, (_, child) in node.outcomes.items()}
            value = sum(
                (p * vals[k] for k, (p, _) in node.outcomes.items()), np.zeros(tree.n_players)
            )
            nodes[node.name] = NodeSolution(node.name, None, None, value, vals, tuple(vals))
            return value
        vals = {a: solve(child) for a, child in node.actions.items()}
        own = np.array([v[node.player] for v in vals.values()])
        optimal = tuple(a for a, u in zip(vals, own, strict=True) if u >= own.max() - tol)
        choice = optimal[0]
        nodes[node.name] = NodeSolution(node.name, node.player, choice, vals[choice], vals, optimal)
        return vals[choice]

    root_value = solve(tree.root)
    strategy = {n: s.action for n, s in nodes.items() if s.action is not None}
    plays = tuple(_plays(tree.root, strategy))
    ties = tuple(n for n, s in nodes.items() if s.player is not None and len(s.optimal_actions) > 1)
    return SubgamePerfectEquilibrium(strategy, nodes, plays, root_value, ties, float(tol))


def _plays(node: Node, strategy: Mapping[str, str], prob: float = 1.0, steps: tuple = ()):
    if isinstance(node, Terminal):
        yield PlayPath(prob, steps, np.array(node.payoffs))
    elif isinstance(node, Decision):
        action = strategy[node.name]
        yield from _plays(node.actions[action], strategy, prob, (*steps, (node.name, action)))
    else:
        for outcome, (p, child) in node.outcomes.items():
            if p > 0:
                yield from _plays(child, strategy, prob * p, (*steps, (node.name, outcome)))
