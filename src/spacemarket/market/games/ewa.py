"""Experience-weighted attraction (EWA) learning in n-player normal-form games.

Algorithm (Camerer & Ho 1999, "Experience-weighted attraction learning in normal form games",
*Econometrica* 67(4), 827-874). Player ``i`` holds an attraction ``A_i(a)`` for every action and
an experience weight ``N``; after round ``t``, in which ``s(t)`` was played,

    ``N(t) = rho N(t-1) + 1``,
    ``A_i(a, t) = [phi N(t-1) A_i(a, t-1) + w_i(a, t) u_i(a, s_{-i}(t))] / N(t)``,
    ``w_i(a, t) = delta + (1 - delta) 1{a = s_i(t)}``,

and next round's choice probabilities are logit, ``P_i(a, t+1) ~ exp(lambda A_i(a, t))``;
actions are drawn from them with ``rng``. ``delta`` weights foregone payoffs of unchosen
actions, ``phi`` decays past attractions and ``rho`` past experience. Special cases: ``delta = 0,
rho = 0`` is cumulative choice reinforcement; ``delta = 1, rho = phi`` is weighted fictitious play
(attractions equal expected payoffs under fictitious-play beliefs).

Defaults: Camerer & Ho report ``delta`` around 0.5, ``phi`` around 0.8-1 and ``rho`` between 0
and ``phi``; the defaults ``delta = 0.5, phi = 0.9, rho = 0.5, N(0) = 1, A(0) = 0`` sit in that
range. Payoffs are first rescaled to ``[0, 1]`` per player (``normalize=True``) so that
``lam`` does not depend on the payoff unit: ``lam = 5`` means one full payoff range of
attraction multiplies the odds of an action by ``e**5``.

Examples
--------
>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [5.0, 1.0]])          # prisoner's dilemma
>>> res = ewa(np.stack([A, A.T], axis=-1), rounds=300, rng=0)
>>> res.reached
(1, 1)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from spacemarket.market.games._arrays import action_counts, as_payoff_array, normalized_payoffs
from spacemarket.market.games.learning import (
    LearningResult,
    check_reach_tol,
    check_rounds,
    reached_profile,
)

__all__ = ["ewa"]


def _logit(attractions: np.ndarray, lam: float) -> np.ndarray:
    z = lam * attractions
    z = np.exp(z - z.max())
    return z / z.sum()


def ewa(
    payoffs: object,
    rounds: int = 1000,
    rng: np.random.Generator | int | None = None,
    *,
    delta: float = 0.5,
    phi: float = 0.9,
    rho: float = 0.5,
    lam: float = 5.0,
    initial_experience: float = 1.0,
    initial_attractions: Sequence[object] | None = None,
    normalize: bool = True,
    reach_tol: float = 0.05,
) -> LearningResult:
    """Simulate EWA learning for ``rounds`` rounds.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    rounds : int, default 1000
        Number of rounds (seasons).
    rng : numpy.random.Generator or int, optional
        Draws each round's actions from the logit probabilities.
    delta : float, default 0.5
        Weight of foregone payoffs, in ``[0, 1]``.
    phi : float, default 0.9
        Decay of past attractions, in ``[0, 1]``.
    rho : float, default 0.5
        Decay of the experience weight, in ``[0, 1]``.
    lam : float, default 5.0
        Logit sensitivity (per unit of normalized payoff if ``normalize``), ``>= 0``.
    initial_experience : float, default 1.0
        ``N(0) >= 0``.
    initial_attractions : sequence of k array_like, optional
        ``A_i(0)``, shapes ``(n_i,)``; default zeros (uniform first-round play).
    normalize : bool, default True
        Rescale each player's payoffs to ``[0, 1]`` before learning.
    reach_tol : float, default 0.05
        See :func:`~spacemarket.market.games.learning.reached_profile`.

    Returns
    -------
    LearningResult
        ``trajectory[i][t]`` is player ``i``'s choice probabilities for round ``t + 1``
        (row 0 from the initial attractions); ``actions[t]`` the profile drawn in round
        ``t + 1``.
    """
    arr = as_payoff_array(payoffs)
    shape = action_counts(arr)
    k = len(shape)
    rounds, reach_tol = check_rounds(rounds), check_reach_tol(reach_tol)
    for name, val in (("delta", delta), ("phi", phi), ("rho", rho)):
        if not 0.0 <= float(val) <= 1.0:
            raise ValueError(f"{name} must lie in [0, 1], got {val}")
    if not float(lam) >= 0.0 or not float(initial_experience) >= 0.0:
        raise ValueError("lam and initial_experience must be non-negative")
    u = normalized_payoffs(arr) if normalize else arr
    gen = np.random.default_rng(rng)
    if initial_attractions is None:
        attr = [np.zeros(n) for n in shape]
    else:
        attr = [np.array(a, dtype=float).reshape(-1) for a in initial_attractions]
        if [a.size for a in attr] != list(shape):
            raise ValueError(f"initial_attractions must have lengths {shape}")
    experience = float(initial_experience)
    traj = [np.empty((rounds + 1, n)) for n in shape]
    probs = [_logit(a, lam) for a in attr]
    for i, p in enumerate(probs):
        traj[i][0] = p
    actions = np.empty((rounds, k), dtype=int)
    for t in range(rounds):
        for i, p in enumerate(probs):
            actions[t, i] = gen.choice(shape[i], p=p)
        new_experience = rho * experience + 1.0
        for i in range(k):
            index = list(actions[t])
            index[i] = slice(None)
            foregone = u[(*index, i)]  # u_i(a, s_{-i}(t)) for every a, shape (n_i,)
            weight = np.full(shape[i], delta)
            weight[actions[t, i]] = 1.0
            attr[i] = (phi * experience * attr[i] + weight * foregone) / new_experience
        experience = new_experience
        probs = [_logit(a, lam) for a in attr]
        for i, p in enumerate(probs):
            traj[i][t + 1] = p
    final = tuple(x[-1].copy() for x in traj)
    return LearningResult(
        method="ewa",
        trajectory=tuple(traj),
        final=final,
        reached=reached_profile(final, reach_tol),
        actions=actions,
        reach_tol=reach_tol,
        parameters={"rounds": rounds, "delta": delta, "phi": phi, "rho": rho, "lam": lam,
                    "initial_experience": initial_experience, "normalize": normalize},
    )  # fmt: skip
