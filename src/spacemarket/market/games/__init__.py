"""Game-theory machinery for the integration game: equilibria, dominance, welfare, learning.

A pure numerical package (numpy and scipy; pygambit optional) that knows nothing about the
market model: payoffs come in as an array of shape ``(n_1, ..., n_k, k)`` or from a callable
evaluated once per pure profile (:meth:`NormalFormGame.from_function`, with a cache, a
parallel ``mapper`` and a progress callback for expensive simulations). One algorithm per
module, in the style of Nashpy, behind the :class:`NormalFormGame` facade:

* :func:`pure_nash_equilibria` - all pure equilibria by enumeration (n players, tolerance);
* :func:`iterated_strict_dominance`, :func:`iterated_weak_dominance` - elimination order and
  surviving strategies;
* :func:`regrets`, :func:`max_regret` - each player's best deviation gain at a mixed profile;
  every reported equilibrium carries its max regret;
* :func:`welfare_maximizers`, :func:`pareto_set`;
* :func:`support_enumeration` - all equilibria of two-player games (own implementation);
* :func:`gambit_equilibria` - n-player mixed equilibria through pygambit 16.x (optional
  extra ``spacemarket[gambit]``), every profile checked by its max regret;
* :func:`backward_induction` on a :class:`GameTree` - subgame-perfect equilibrium of a
  sequential game, so that non-credible threats (foreclosure that would not be carried out
  after entry) are removed;
* :func:`fictitious_play`, :func:`replicator_dynamics`, :func:`ewa` - learning across
  repeated seasons, each returning a :class:`LearningResult`;
* :func:`solve_game` - all of the above as a :class:`GameReport` (``to_text``,
  ``to_frame``); given per-seed payoffs (``samples``) every verdict is checked by paired
  differences over the seeds (:func:`check_game`, :class:`PairedDifference`: mean, t-interval,
  "not significant" when it covers zero, seeds that would settle it), and
  :func:`check_choices` does the same for backward-induction choices.

Examples
--------
>>> from spacemarket.market import games
>>> bos = games.NormalFormGame.from_bimatrix([[3, 0], [0, 2]], [[2, 0], [0, 3]])
>>> report = games.solve_game(bos, learning=())
>>> len(report.pure_equilibria), len(report.strictly_mixed_equilibria)
(2, 1)
>>> [round(float(p), 6) for p in report.strictly_mixed_equilibria[0].strategies[0]]
[0.6, 0.4]
"""

from spacemarket.market.games.backward_induction import (
    NodeSolution,
    PlayPath,
    SubgamePerfectEquilibrium,
    backward_induction,
)
from spacemarket.market.games.dominance import (
    DominanceResult,
    Elimination,
    iterated_strict_dominance,
    iterated_weak_dominance,
)
from spacemarket.market.games.equilibrium import Equilibrium
from spacemarket.market.games.ewa import ewa
from spacemarket.market.games.fictitious_play import fictitious_play
from spacemarket.market.games.gambit_solvers import (
    GAMBIT_METHODS,
    GambitResult,
    gambit_available,
    gambit_equilibria,
)
from spacemarket.market.games.learning import LearningResult, reached_profile
from spacemarket.market.games.normal_form import NormalFormGame
from spacemarket.market.games.paired import PairedDifference, seeds_needed, t_interval
from spacemarket.market.games.pure_nash import pure_nash_equilibria, pure_profile_regrets
from spacemarket.market.games.regret import deviation_payoffs, expected_payoffs, max_regret, regrets
from spacemarket.market.games.replicator import replicator_dynamics
from spacemarket.market.games.report import LEARNING_METHODS, GameReport, solve_game
from spacemarket.market.games.significance import SignificanceReport, check_choices, check_game
from spacemarket.market.games.support_enumeration import support_enumeration
from spacemarket.market.games.tree import Chance, Decision, GameTree, Node, Terminal
from spacemarket.market.games.welfare import WelfareOptimum, pareto_set, welfare, welfare_maximizers

__all__ = [
    "GAMBIT_METHODS",
    "LEARNING_METHODS",
    "Chance",
    "Decision",
    "DominanceResult",
    "Elimination",
    "Equilibrium",
    "GambitResult",
    "GameReport",
    "GameTree",
    "LearningResult",
    "Node",
    "NodeSolution",
    "NormalFormGame",
    "PairedDifference",
    "PlayPath",
    "SignificanceReport",
    "SubgamePerfectEquilibrium",
    "Terminal",
    "WelfareOptimum",
    "backward_induction",
    "check_choices",
    "check_game",
    "deviation_payoffs",
    "ewa",
    "expected_payoffs",
    "fictitious_play",
    "gambit_available",
    "gambit_equilibria",
    "iterated_strict_dominance",
    "iterated_weak_dominance",
    "max_regret",
    "pareto_set",
    "pure_nash_equilibria",
    "pure_profile_regrets",
    "reached_profile",
    "regrets",
    "replicator_dynamics",
    "seeds_needed",
    "solve_game",
    "support_enumeration",
    "t_interval",
    "welfare",
    "welfare_maximizers",
]
