"""The :class:`LearningResult` record shared by the learning dynamics (fictitious play,
replicator dynamics, EWA), and the rule deciding which pure profile a run has reached.

Each round of a learning run stands for one *season* of the market: players adapt their play
from season to season instead of computing an equilibrium. A run has *reached* a pure profile
when every player's final mixed strategy puts at least ``1 - reach_tol`` on one action. If
fictitious-play frequencies converge, or an interior replicator trajectory converges, the
limit is a Nash equilibrium (Fudenberg & Levine 1998, *The Theory of Learning in Games*,
ch. 2-3); a profile reached after finitely many rounds is only close to such a limit, so
:func:`~spacemarket.market.games.report.solve_game` also reports whether it is a pure Nash
equilibrium.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

__all__ = ["LearningResult", "reached_profile"]


def reached_profile(strategies: Sequence[np.ndarray], reach_tol: float) -> tuple[int, ...] | None:
    """The pure profile each player plays with probability ``>= 1 - reach_tol``, else ``None``."""
    prof = []
    for x in strategies:
        a = int(np.argmax(x))
        if x[a] < 1.0 - reach_tol:
            return None
        prof.append(a)
    return tuple(prof)


@dataclass(frozen=True)
class LearningResult:
    """Trajectory and outcome of a learning dynamic.

    Attributes
    ----------
    method : str
        ``"fictitious play"``, ``"replicator"`` or ``"ewa"``.
    trajectory : tuple of numpy.ndarray
        Per player, shape ``(rounds + 1, n_i)``: row ``t`` is the mixed strategy after ``t``
        rounds (fictitious play: empirical frequencies of play, row 0 the prior beliefs;
        replicator: population shares; EWA: logit choice probabilities).
    final : tuple of numpy.ndarray
        Last row of each trajectory: the final mixed profile.
    reached : tuple of int or None
        Pure profile reached (see :func:`reached_profile`), else ``None``.
    actions : numpy.ndarray or None
        Shape ``(rounds, k)``: actions actually played each round (``None`` for the
        deterministic replicator dynamics).
    reach_tol : float
        Tolerance used for ``reached``.
    parameters : dict
        The parameters of the run (for the run manifest).
    """

    method: str
    trajectory: tuple[np.ndarray, ...]
    final: tuple[np.ndarray, ...]
    reached: tuple[int, ...] | None
    actions: np.ndarray | None
    reach_tol: float
    parameters: dict[str, Any] = field(default_factory=dict)

    @property
    def rounds(self) -> int:
        """Number of rounds (seasons) played."""
        return self.trajectory[0].shape[0] - 1


def check_rounds(rounds: int) -> int:
    """Validate a positive number of rounds."""
    rounds = int(rounds)
    if rounds < 1:
        raise ValueError(f"rounds must be >= 1, got {rounds}")
    return rounds


def check_reach_tol(reach_tol: float) -> float:
    """Validate ``0 <= reach_tol < 0.5``."""
    reach_tol = float(reach_tol)
    if not 0.0 <= reach_tol < 0.5:
        raise ValueError(f"reach_tol must lie in [0, 0.5), got {reach_tol}")
    return reach_tol
