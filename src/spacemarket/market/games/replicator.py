"""Discrete-time multi-population replicator dynamics for n-player normal-form games.

Algorithm (Taylor & Jonker 1978, *Mathematical Biosciences* 40, 145-156; Weibull 1995,
*Evolutionary Game Theory*, for the multi-population version): each player
``i`` is a population whose state ``x_i`` is the share playing each action. Each round the
share of action ``a`` grows in proportion to its fitness against the other populations,

    ``x_i(a) <- x_i(a) f_i(a) / sum_b x_i(b) f_i(b)``,
    ``f_i(a) = 1 + step * (u_i(a, x_{-i}) - min u_i) / (max u_i - min u_i)``,

i.e. a background fitness plus the payoff rescaled to ``[0, 1]`` per player (``min``/``max``
over the whole payoff array). Fitness is positive, so the state stays in the simplex: shares
are non-negative, sum to one, and an action with zero share never reappears. Small ``step``
approximates the continuous-time replicator ``x' = x (u(a) - u(x))`` on the time scale
``step / range``.

Every interior rest point is a Nash equilibrium, every Lyapunov-stable rest point is a Nash
equilibrium, and the limit of a convergent interior trajectory is one (the "folk theorem" of
evolutionary game theory, Weibull 1995); strictly dominated actions die out along interior
trajectories. In matching
pennies the discrete-time dynamics spiral away from the mixed equilibrium toward the boundary.

Examples
--------
>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [5.0, 1.0]])          # prisoner's dilemma
>>> res = replicator_dynamics(np.stack([A, A.T], axis=-1), rounds=300, rng=0)
>>> res.reached
(1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spacemarket.market.games._arrays import (
    action_counts,
    as_mixed_profile,
    as_payoff_array,
    normalized_payoffs,
)
from spacemarket.market.games.learning import (
    LearningResult,
    check_reach_tol,
    check_rounds,
    reached_profile,
)
from spacemarket.market.games.regret import deviation_payoffs_unchecked

__all__ = ["replicator_dynamics"]


def replicator_dynamics(
    payoffs: object,
    rounds: int = 1000,
    rng: np.random.Generator | int | None = None,
    *,
    initial: Sequence[object] | None = None,
    step: float = 1.0,
    reach_tol: float = 0.05,
) -> LearningResult:
    """Iterate the discrete-time multi-population replicator map for ``rounds`` rounds.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    rounds : int, default 1000
        Number of rounds (seasons / generations).
    rng : numpy.random.Generator or int, optional
        Draws the initial state when ``initial`` is not given (uniform on each simplex,
        i.e. Dirichlet(1, ..., 1)); the dynamics themselves are deterministic.
    initial : sequence of k array_like, optional
        Initial population shares, shapes ``(n_i,)``; use interior points (an action with
        zero share stays at zero).
    step : float, default 1.0
        Selection strength: fitness ranges over ``[1, 1 + step]``; must be positive.
    reach_tol : float, default 0.05
        See :func:`~spacemarket.market.games.learning.reached_profile`.

    Returns
    -------
    LearningResult
        ``trajectory[i][t]`` is population ``i``'s shares after ``t`` rounds.
    """
    arr = as_payoff_array(payoffs)
    shape = action_counts(arr)
    rounds, reach_tol = check_rounds(rounds), check_reach_tol(reach_tol)
    step = float(step)
    if not np.isfinite(step) or step <= 0:
        raise ValueError(f"step must be a positive number, got {step}")
    if initial is None:
        gen = np.random.default_rng(rng)
        state = [gen.dirichlet(np.ones(n)) for n in shape]
    else:
        state = list(as_mixed_profile(initial, shape))
    norm = normalized_payoffs(arr)
    traj = [np.empty((rounds + 1, n)) for n in shape]
    for i, x in enumerate(state):
        traj[i][0] = x
    for t in range(rounds):
        fitness = [
            1.0 + step * deviation_payoffs_unchecked(norm, state, i) for i in range(len(shape))
        ]
        new = []
        for x, f in zip(state, fitness, strict=True):
            y = x * f
            new.append(y / y.sum())
        state = new
        for i, x in enumerate(state):
            traj[i][t + 1] = x
    final = tuple(x[-1].copy() for x in traj)
    return LearningResult(
        method="replicator",
        trajectory=tuple(traj),
        final=final,
        reached=reached_profile(final, reach_tol),
        actions=None,
        reach_tol=reach_tol,
        parameters={"rounds": rounds, "step": step, "initial": [x[0].tolist() for x in traj]},
    )
