"""Finite extensive-form games with perfect information: a small tree of nodes.

A tree is built from three node types:

* :class:`Decision` - a named node where ``player`` (an index) picks one of its ``actions``,
  an ordered mapping from action name to child node;
* :class:`Chance` - a named node where nature picks an outcome with given probabilities;
* :class:`Terminal` - a leaf with a payoff vector, one payoff per player (and optionally the
  per-seed payoffs it averages, so that each backward-induction choice can be given a paired
  interval over seeds by :func:`~spacemarket.market.games.significance.check_choices`).

Every player observes all earlier moves (perfect information), so every decision node starts
a subgame and the tree is solved by backward induction
(:func:`~spacemarket.market.games.backward_induction.backward_induction`). Information sets
(simultaneous moves within a stage) are not modelled; a simultaneous stage belongs in a
:class:`~spacemarket.market.games.normal_form.NormalFormGame` whose payoffs come from solving
what follows.

:meth:`GameTree.to_normal_form` gives the induced normal form (a strategy chooses one action at
each of the player's decision nodes), whose Nash equilibria include non-credible threats that
backward induction removes.

Examples
--------
Selten's (1978) chain-store stage game: an entrant stays out or enters; after entry the
incumbent fights or accommodates.

>>> tree = GameTree(
...     Decision("entrant", 0, {
...         "out": Terminal((0.0, 5.0)),
...         "in": Decision("incumbent", 1, {
...             "fight": Terminal((-1.0, -1.0)),
...             "accommodate": Terminal((2.0, 2.0)),
...         }),
...     }),
...     player_names=("Entrant", "Incumbent"),
... )
>>> [node.name for node in tree.decision_nodes()]
['entrant', 'incumbent']
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from spacemarket.market.games.normal_form import NormalFormGame

__all__ = ["Chance", "Decision", "GameTree", "Node", "Terminal"]


@dataclass(frozen=True)
class Terminal:
    """A leaf: the game ends with ``payoffs[i]`` to player ``i`` (payoff units).

    ``samples``, optional: the per-seed payoffs behind ``payoffs``, ``samples[i][r]`` for
    player ``i`` in seed ``r`` (shape ``(k, S)``); stored as a tuple of tuples.
    """

    payoffs: tuple[float, ...]
    name: str = ""
    samples: tuple[tuple[float, ...], ...] | None = field(default=None, compare=False)

    def __post_init__(self) -> None:
        vals = tuple(float(v) for v in np.asarray(self.payoffs, dtype=float).reshape(-1))
        if not vals or not all(np.isfinite(vals)):
            raise ValueError(
                f"terminal payoffs must be a non-empty finite vector: {self.payoffs!r}"
            )
        object.__setattr__(self, "payoffs", vals)
        if self.samples is not None:
            arr = np.asarray(self.samples, dtype=float)
            if arr.ndim != 2 or arr.shape[0] != len(vals) or arr.shape[1] < 1:
                raise ValueError(
                    f"terminal {self.name!r}: samples must have shape ({len(vals)}, seeds), "
                    f"got {arr.shape}"
                )
            if not np.all(np.isfinite(arr)):
                raise ValueError(f"terminal {self.name!r}: samples must be finite")
            object.__setattr__(self, "samples", tuple(tuple(float(x) for x in r) for r in arr))


@dataclass(frozen=True)
class Decision:
    """A node where ``player`` chooses one of ``actions`` (action name -> child, in order)."""

    name: str
    player: int
    actions: Mapping[str, Node]

    def __post_init__(self) -> None:
        if not self.actions:
            raise ValueError(f"decision node {self.name!r} needs at least one action")
        object.__setattr__(self, "actions", dict(self.actions))


@dataclass(frozen=True)
class Chance:
    """A node where nature draws an outcome: outcome name -> ``(probability, child)``."""

    name: str
    outcomes: Mapping[str, tuple[float, Node]]

    def __post_init__(self) -> None:
        outs = {k: (float(p), child) for k, (p, child) in dict(self.outcomes).items()}
        probs = np.array([p for p, _ in outs.values()])
        if not outs or np.any(probs < 0) or abs(probs.sum() - 1.0) > 1e-9:
            raise ValueError(f"chance node {self.name!r} needs probabilities >= 0 summing to 1")
        object.__setattr__(self, "outcomes", outs)


Node = Decision | Chance | Terminal


def _children(node: Node) -> Iterator[Node]:
    if isinstance(node, Decision):
        yield from node.actions.values()
    elif isinstance(node, Chance):
        yield from (child for _, child in node.outcomes.values())


class GameTree:
    """A validated perfect-information game tree.

    Parameters
    ----------
    root : Decision, Chance or Terminal
        The root node.
    player_names : sequence of str, optional
        One name per player; default ``("P1", ..., "Pk")`` with ``k`` the payoff length.

    Raises
    ------
    ValueError
        If payoff vectors differ in length, a decision node's player is out of range, or two
        decision/chance nodes share a name.
    """

    def __init__(self, root: Node, player_names: Sequence[str] | None = None) -> None:
        self.root = root
        lengths = {len(t.payoffs) for t in self._walk() if isinstance(t, Terminal)}
        if len(lengths) != 1:
            raise ValueError(
                f"all terminal payoff vectors must have the same length, got {lengths}"
            )
        (k,) = lengths
        self.player_names = (
            tuple(player_names)
            if player_names is not None
            else tuple(f"P{i + 1}" for i in range(k))
        )
        if len(self.player_names) != k:
            raise ValueError(f"{len(self.player_names)} player names for {k}-player payoffs")
        seen: set[str] = set()
        for node in self._walk():
            if isinstance(node, Terminal):
                continue
            if node.name in seen:
                raise ValueError(f"node name {node.name!r} is used twice")
            seen.add(node.name)
            if isinstance(node, Decision) and not 0 <= node.player < k:
                raise ValueError(f"node {node.name!r}: player {node.player} not in 0..{k - 1}")

    @property
    def n_players(self) -> int:
        """Number of players ``k``."""
        return len(self.player_names)

    def _walk(self) -> Iterator[Node]:
        stack: list[Node] = [self.root]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(reversed(list(_children(node))))

    def nodes(self) -> list[Node]:
        """All nodes in depth-first (pre-)order, actions in their declared order."""
        return list(self._walk())

    def decision_nodes(self, player: int | None = None) -> list[Decision]:
        """Decision nodes in depth-first order (optionally only ``player``'s)."""
        return [
            n for n in self._walk()
            if isinstance(n, Decision) and (player is None or n.player == player)
        ]  # fmt: skip

    def node(self, name: str) -> Decision | Chance:
        """The decision or chance node called ``name``."""
        for n in self._walk():
            if not isinstance(n, Terminal) and n.name == name:
                return n
        raise KeyError(f"no node named {name!r}")

    def outcome(self, plan: Mapping[str, str]) -> np.ndarray:
        """Expected payoff vector when decision nodes follow ``plan`` (node -> action).

        Parameters
        ----------
        plan : mapping of str to str
            The action at every decision node that can be reached.

        Returns
        -------
        numpy.ndarray, shape (k,)
            Payoffs, averaged over chance outcomes.
        """

        def value(node: Node) -> np.ndarray:
            if isinstance(node, Terminal):
                return np.array(node.payoffs)
            if isinstance(node, Chance):
                return sum(
                    (p * value(c) for p, c in node.outcomes.values()), np.zeros(self.n_players)
                )
            return value(node.actions[plan[node.name]])

        return value(self.root)

    def to_normal_form(self) -> NormalFormGame:
        """The induced normal form: a pure strategy picks an action at each of the player's nodes.

        Action names are the chosen action when the player has one decision node, else
        ``"node=action; node=action"``. A player without decision nodes gets one action
        ``"(none)"``. The number of strategies grows as the product of the player's action
        counts, so keep this for small trees.

        Returns
        -------
        NormalFormGame
        """
        from spacemarket.market.games.normal_form import NormalFormGame

        per_player: list[list[dict[str, str]]] = []
        labels: list[list[str]] = []
        for i in range(self.n_players):
            nodes = self.decision_nodes(i)
            plans = [
                dict(zip([n.name for n in nodes], choice, strict=True))
                for choice in itertools.product(*(list(n.actions) for n in nodes))
            ]
            per_player.append(plans)
            if not nodes:
                labels.append(["(none)"])
            elif len(nodes) == 1:
                labels.append([next(iter(p.values())) for p in plans])
            else:
                labels.append(["; ".join(f"{k}={v}" for k, v in p.items()) for p in plans])
        shape = tuple(len(p) for p in per_player)
        payoffs = np.empty((*shape, self.n_players))
        for idx in itertools.product(*(range(n) for n in shape)):
            plan: dict[str, str] = {}
            for i, a in enumerate(idx):
                plan.update(per_player[i][a])
            payoffs[idx] = self.outcome(plan)
        return NormalFormGame(payoffs, player_names=self.player_names, action_names=labels)
