"""All Nash equilibria of a two-player (bimatrix) game by support enumeration.

Algorithm 3.4 of Nisan, Roughgarden, Tardos & Vazirani (2007), *Algorithmic Game Theory*
(chapter 3 by B. von Stengel), the method of Nashpy's ``Game.support_enumeration``: for every
pair of supports ``I`` (rows) and ``J`` (columns) of equal size ``s``

1. solve ``sum_{j in J} A[i, j] y_j = v`` for ``i in I`` and ``sum_j y_j = 1`` (the column
   mix ``y`` that makes the row player indifferent over ``I``), and symmetrically
   ``sum_{i in I} B[i, j] x_i = u`` for ``j in J``, ``sum_i x_i = 1``;
2. keep the pair if ``x >= 0``, ``y >= 0`` and no action outside the supports does better:
   here this test is the max regret of ``(x, y)``, computed by
   :func:`~spacemarket.market.games.regret.max_regret` and required to be ``<= tol``.

For a *nondegenerate* game (no mixed strategy with support size ``s`` has more than ``s``
pure best responses) every equilibrium has equal-size supports and this finds them all.
Degenerate games - common when two actions give identical simulated payoffs - can have
equilibria with unequal supports or continua of equilibria. When degeneracy is detected (a
tied pure best response, a singular support system, or an equilibrium with more best
responses than support size) or ``degenerate=True``, a second pass checks *every* support
pair, unequal sizes included, by two feasibility linear programs (``scipy.optimize.linprog``,
HiGHS): ``y >= 0`` on ``J``, ``(A y)_i = v`` on ``I`` and ``(A y)_i <= v`` off ``I`` (and
likewise for ``x``). That pass returns at least one point (a vertex) of every equilibrium
component reachable that way, not the whole continuum.

Cost: ``C(m + n, m)`` linear solves for the first pass and ``2 (2^m - 1)(2^n - 1)`` small LPs
for the second; fine for the structure games here (a few actions per player), slow beyond
about 10 x 10.

Examples
--------
Battle of the sexes: two pure equilibria and the mixed one ``x = (3/5, 2/5)``,
``y = (2/5, 3/5)`` with payoffs ``(6/5, 6/5)``.

>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [0.0, 2.0]]); B = np.array([[2.0, 0.0], [0.0, 3.0]])
>>> eqs = support_enumeration(np.stack([A, B], axis=-1))
>>> [np.round(np.concatenate(eq.strategies), 6).tolist() for eq in eqs]
[[1.0, 0.0, 1.0, 0.0], [0.0, 1.0, 0.0, 1.0], [0.6, 0.4, 0.4, 0.6]]
>>> np.round(eqs[2].payoffs, 12).tolist()
[1.2, 1.2]
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from scipy.optimize import linprog

from spacemarket.market.games._arrays import MIXED_RTOL, PROB_ATOL, as_payoff_array, resolve_tol
from spacemarket.market.games.equilibrium import Equilibrium, dedupe

__all__ = ["support_enumeration"]

_COND_LIMIT = 1e12


def _indifference(M: np.ndarray) -> tuple[np.ndarray | None, bool]:
    """Solve ``M z = v 1, sum z = 1`` for square ``M``; return ``(z, singular)``."""
    s = M.shape[0]
    lhs = np.zeros((s + 1, s + 1))
    lhs[:s, :s] = M
    lhs[:s, s] = -1.0
    lhs[s, :s] = 1.0
    rhs = np.zeros(s + 1)
    rhs[s] = 1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        cond = np.linalg.cond(lhs)
    if not cond <= _COND_LIMIT:
        return None, True
    return np.linalg.solve(lhs, rhs)[:s], False


def _lp_mix(M: np.ndarray, rows: Sequence[int], cols: Sequence[int]) -> np.ndarray | None:
    """Feasible ``z >= 0`` on ``cols`` with ``(M z)_r = v`` on ``rows``, ``<= v`` elsewhere."""
    n_rows = M.shape[0]
    rows, cols = list(rows), list(cols)
    sub = M[:, cols]
    c = np.zeros(len(cols) + 1)
    a_eq = np.vstack([np.hstack([sub[rows], -np.ones((len(rows), 1))]),
                      np.hstack([np.ones((1, len(cols))), np.zeros((1, 1))])])  # fmt: skip
    b_eq = np.zeros(len(rows) + 1)
    b_eq[-1] = 1.0
    others = [r for r in range(n_rows) if r not in rows]
    a_ub = np.hstack([sub[others], -np.ones((len(others), 1))]) if others else None
    b_ub = np.zeros(len(others)) if others else None
    bounds = [(0.0, None)] * len(cols) + [(None, None)]
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
    return res.x[: len(cols)] if res.status == 0 else None


def _embed(z: np.ndarray, idx: Sequence[int], n: int) -> np.ndarray:
    full = np.zeros(n)
    full[list(idx)] = np.clip(z, 0.0, None)
    return full / full.sum()


def _pure_ties(A: np.ndarray, B: np.ndarray, tol: float) -> bool:
    col_best = (A.max(axis=0, keepdims=True) - tol <= A).sum(axis=0)
    row_best = (B.max(axis=1, keepdims=True) - tol <= B).sum(axis=1)
    return bool(np.any(col_best > 1) or np.any(row_best > 1))


def _extra_best_responses(eq: Equilibrium, A: np.ndarray, B: np.ndarray, tol: float) -> bool:
    x, y = eq.strategies
    row_values, col_values = A @ y, x @ B
    n_br_row = int(np.sum(row_values >= row_values.max() - tol))
    n_br_col = int(np.sum(col_values >= col_values.max() - tol))
    return n_br_row > int(np.sum(y > PROB_ATOL)) or n_br_col > int(np.sum(x > PROB_ATOL))


def support_enumeration(
    payoffs: object, tol: float | None = None, degenerate: bool | None = None
) -> list[Equilibrium]:
    """All Nash equilibria of a bimatrix game (extreme points in degenerate games).

    Parameters
    ----------
    payoffs : array_like, shape (m, n, 2)
        Payoff array: ``payoffs[..., 0]`` is the row player's matrix ``A``,
        ``payoffs[..., 1]`` the column player's ``B``.
    tol : float, optional
        Max-regret acceptance tolerance (payoff units); default ``1e-6 * max|u|``.
    degenerate : bool, optional
        ``None`` (default): run the LP pass over all support pairs only if degeneracy is
        detected; ``True``: always; ``False``: never (equal-size supports only).

    Returns
    -------
    list of Equilibrium
        Distinct equilibria, each with max regret ``<= tol``, ordered by total support size
        (pure first).

    Raises
    ------
    ValueError
        If the game does not have exactly two players.
    """
    arr = as_payoff_array(payoffs)
    if arr.shape[-1] != 2:
        raise ValueError(
            f"support enumeration needs a two-player game, got {arr.shape[-1]} players"
        )
    tol = resolve_tol(arr, tol, MIXED_RTOL)
    A, B = arr[..., 0], arr[..., 1]
    m, n = A.shape
    found: list[Equilibrium] = []
    is_degenerate = _pure_ties(A, B, tol)
    for s in range(1, min(m, n) + 1):
        for rs in itertools.combinations(range(m), s):
            for cs in itertools.combinations(range(n), s):
                y, sing_y = _indifference(A[np.ix_(rs, cs)])
                x, sing_x = _indifference(B[np.ix_(rs, cs)].T)
                is_degenerate |= sing_x or sing_y
                if x is None or y is None or x.min() < -PROB_ATOL or y.min() < -PROB_ATOL:
                    continue
                eq = Equilibrium.from_profile(
                    arr, (_embed(x, rs, m), _embed(y, cs, n)), "support enumeration"
                )
                if eq.max_regret <= tol:
                    found.append(eq)
                    is_degenerate |= _extra_best_responses(eq, A, B, tol)
    if degenerate or (degenerate is None and is_degenerate):
        for rs, cs in itertools.product(_subsets(m), _subsets(n)):
            y = _lp_mix(A, rs, cs)
            x = _lp_mix(B.T, cs, rs) if y is not None else None
            if x is None or y is None:
                continue
            eq = Equilibrium.from_profile(
                arr, (_embed(x, rs, m), _embed(y, cs, n)), "support enumeration (LP)"
            )
            if eq.max_regret <= tol:
                found.append(eq)
    unique = dedupe(found)
    unique.sort(key=lambda e: (sum(map(len, e.supports)), tuple(-np.concatenate(e.strategies))))
    return unique


def _subsets(n: int) -> list[tuple[int, ...]]:
    return [c for s in range(1, n + 1) for c in itertools.combinations(range(n), s)]
