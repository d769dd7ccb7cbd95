"""Welfare-maximizing and Pareto-efficient pure profiles of a normal-form game.

* Welfare of a pure profile ``a`` with weights ``w >= 0``: ``W(a) = sum_i w_i u_i(a)``
  (utilitarian when ``w = 1``). :func:`welfare_maximizers` returns every profile within
  ``tol`` of the maximum, so ties are visible.
* Pareto set: profile ``b`` Pareto-dominates ``a`` if ``u_i(b) >= u_i(a)`` for every player
  and ``u_i(b) > u_i(a) + tol`` for at least one (Mas-Colell, Whinston & Green 1995,
  *Microeconomic Theory*, def. 10.B.2, with a tolerance on the strict part). This relation is
  a strict partial order, so the Pareto set - the undominated profiles - is never empty and
  always contains every profile of exactly maximal utilitarian welfare.

Payoffs here are the players' own objectives (e.g. discounted profits); consumer surplus
enters only if the caller adds it as a player or in the weights.

Examples
--------
>>> import numpy as np
>>> A = np.array([[3.0, 0.0], [5.0, 1.0]])
>>> pd = np.stack([A, A.T], axis=-1)
>>> welfare_maximizers(pd).profiles
((0, 0),)
>>> pareto_set(pd)
((0, 0), (0, 1), (1, 0))
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from spacemarket.market.games._arrays import PURE_RTOL, as_payoff_array, resolve_tol

__all__ = ["WelfareOptimum", "pareto_set", "welfare", "welfare_maximizers"]


@dataclass(frozen=True)
class WelfareOptimum:
    """Result of :func:`welfare_maximizers`.

    Attributes
    ----------
    profiles : tuple of tuple of int
        Every pure profile whose welfare is within ``tol`` of the maximum (lexicographic).
    welfare : float
        The maximal weighted welfare (payoff units).
    weights : numpy.ndarray, shape (k,)
        The weights used.
    """

    profiles: tuple[tuple[int, ...], ...]
    welfare: float
    weights: np.ndarray


def _weights(arr: np.ndarray, weights: object | None) -> np.ndarray:
    k = arr.shape[-1]
    if weights is None:
        return np.ones(k)
    w = np.array(weights, dtype=float).reshape(-1)
    if w.shape != (k,) or not np.all(np.isfinite(w)) or np.any(w < 0) or not np.any(w > 0):
        raise ValueError(f"weights must be {k} finite non-negative numbers, not all zero")
    return w


def welfare(payoffs: object, weights: object | None = None) -> np.ndarray:
    """Weighted welfare ``sum_i w_i u_i(a)`` of every pure profile.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    weights : array_like, shape (k,), optional
        Non-negative player weights; default all ones.

    Returns
    -------
    numpy.ndarray, shape (n_1, ..., n_k)
        Welfare per pure profile (payoff units).
    """
    arr = as_payoff_array(payoffs)
    return arr @ _weights(arr, weights)


def welfare_maximizers(
    payoffs: object, weights: object | None = None, tol: float | None = None
) -> WelfareOptimum:
    """Pure profiles maximizing weighted welfare, ties within ``tol`` included.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    weights : array_like, shape (k,), optional
        Non-negative player weights; default all ones (sum of payoffs).
    tol : float, optional
        Profiles within ``tol`` of the maximum count as maximizers; default
        ``1e-9 * max|W|``.

    Returns
    -------
    WelfareOptimum
    """
    arr = as_payoff_array(payoffs)
    w = _weights(arr, weights)
    wel = arr @ w
    tol = resolve_tol(wel, tol, PURE_RTOL)
    best = float(wel.max())
    profiles = tuple(tuple(int(a) for a in idx) for idx in np.argwhere(wel >= best - tol))
    return WelfareOptimum(profiles=profiles, welfare=best, weights=w)


def pareto_set(payoffs: object, tol: float | None = None) -> tuple[tuple[int, ...], ...]:
    """Pure profiles not Pareto-dominated by another pure profile.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game.
    tol : float, optional
        A strict improvement must exceed ``tol`` for at least one player; default
        ``1e-9 * max|u|``.

    Returns
    -------
    tuple of tuple of int
        Undominated pure profiles in lexicographic order (never empty).
    """
    arr = as_payoff_array(payoffs)
    tol = resolve_tol(arr, tol, PURE_RTOL)
    shape = arr.shape[:-1]
    flat = arr.reshape(-1, arr.shape[-1])
    keep = []
    for p in range(flat.shape[0]):
        weakly = np.all(flat >= flat[p], axis=1)
        strictly = np.any(flat > flat[p] + tol, axis=1)
        if not np.any(weakly & strictly):
            keep.append(tuple(int(a) for a in np.unravel_index(p, shape)))
    return tuple(keep)
