"""Validation and small array helpers shared by the game-theory modules (private).

Conventions used throughout :mod:`spacemarket.market.games`:

* a game with ``k`` players and ``n_i`` actions for player ``i`` has a payoff array of shape
  ``(n_1, ..., n_k, k)``: ``payoffs[a_1, ..., a_k, i]`` is player ``i``'s payoff at the pure
  profile ``(a_1, ..., a_k)``;
* a pure profile is a tuple of ``k`` action indices;
* a mixed profile is a sequence of ``k`` probability vectors, the ``i``-th of shape ``(n_i,)``.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence

import numpy as np

#: Relative tolerance for payoff comparisons in pure-strategy computations (times max |u|).
PURE_RTOL = 1e-9
#: Relative tolerance for the max-regret acceptance test of mixed equilibria (times max |u|).
MIXED_RTOL = 1e-6
#: Absolute tolerance on probabilities (non-negativity, summing to one).
PROB_ATOL = 1e-9


def as_payoff_array(payoffs: object) -> np.ndarray:
    """Validate a payoff array of shape ``(n_1, ..., n_k, k)`` and return a float copy."""
    arr = np.array(payoffs, dtype=float)
    if arr.ndim < 2:
        raise ValueError(
            f"payoffs must have shape (n_1, ..., n_k, k) with k >= 1 players, got shape {arr.shape}"
        )
    k = arr.ndim - 1
    if arr.shape[-1] != k:
        raise ValueError(
            f"payoff array of shape {arr.shape} has {k} action axes but a last axis of length "
            f"{arr.shape[-1]}; the last axis must hold one payoff per player ({k})"
        )
    if any(n < 1 for n in arr.shape[:-1]):
        raise ValueError(f"every player needs at least one action, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("payoffs must be finite")
    return arr


def default_tol(payoffs: np.ndarray, rtol: float) -> float:
    """``rtol * max|u|`` (``rtol`` if every payoff is zero): a scale-aware tolerance."""
    scale = float(np.max(np.abs(payoffs))) if payoffs.size else 0.0
    return rtol * (scale if scale > 0.0 else 1.0)


def resolve_tol(payoffs: np.ndarray, tol: float | None, rtol: float) -> float:
    """Return ``tol`` if given (checked non-negative and finite), else :func:`default_tol`."""
    if tol is None:
        return default_tol(payoffs, rtol)
    tol = float(tol)
    if not np.isfinite(tol) or tol < 0.0:
        raise ValueError(f"tol must be a finite non-negative number, got {tol!r}")
    return tol


def action_counts(payoffs: np.ndarray) -> tuple[int, ...]:
    """Number of actions per player, ``(n_1, ..., n_k)``."""
    return tuple(int(n) for n in payoffs.shape[:-1])


def pure_profiles(shape: Sequence[int]) -> Iterator[tuple[int, ...]]:
    """All pure profiles of a game with ``shape = (n_1, ..., n_k)``, in lexicographic order."""
    return itertools.product(*(range(n) for n in shape))


def as_pure_profile(profile: Sequence[int], shape: Sequence[int]) -> tuple[int, ...]:
    """Validate a pure profile (one action index per player)."""
    prof = tuple(int(a) for a in profile)
    if len(prof) != len(shape):
        raise ValueError(f"a profile needs {len(shape)} actions, got {len(prof)}: {profile!r}")
    for i, (a, n) in enumerate(zip(prof, shape, strict=True)):
        if not 0 <= a < n:
            raise ValueError(f"action {a} of player {i} out of range 0..{n - 1}")
    return prof


def pure_to_mixed(profile: Sequence[int], shape: Sequence[int]) -> tuple[np.ndarray, ...]:
    """The degenerate mixed profile that plays ``profile`` with probability one."""
    prof = as_pure_profile(profile, shape)
    out = []
    for a, n in zip(prof, shape, strict=True):
        x = np.zeros(n)
        x[a] = 1.0
        out.append(x)
    return tuple(out)


def as_mixed_profile(
    profile: Sequence[object], shape: Sequence[int], *, atol: float = PROB_ATOL
) -> tuple[np.ndarray, ...]:
    """Validate a mixed profile: ``k`` probability vectors of lengths ``n_i``.

    Entries may be off by ``atol`` (tiny negatives are clipped, sums renormalized).
    """
    if len(profile) != len(shape):
        raise ValueError(f"a mixed profile needs {len(shape)} strategies, got {len(profile)}")
    out = []
    for i, (x, n) in enumerate(zip(profile, shape, strict=True)):
        arr = np.array(x, dtype=float).reshape(-1)
        if arr.shape != (n,):
            raise ValueError(f"strategy of player {i} must have shape ({n},), got {arr.shape}")
        if not np.all(np.isfinite(arr)) or np.any(arr < -atol) or abs(arr.sum() - 1.0) > atol * n:
            raise ValueError(f"strategy of player {i} is not a probability vector: {arr.tolist()}")
        arr = np.clip(arr, 0.0, None)
        out.append(arr / arr.sum())
    return tuple(out)


def pure_of_mixed(
    strategies: Sequence[np.ndarray], atol: float = PROB_ATOL
) -> tuple[int, ...] | None:
    """The pure profile a mixed profile puts (within ``atol``) all its mass on, else ``None``."""
    prof = []
    for x in strategies:
        a = int(np.argmax(x))
        if x[a] < 1.0 - atol:
            return None
        prof.append(a)
    return tuple(prof)


def normalized_payoffs(payoffs: np.ndarray) -> np.ndarray:
    """Affine rescaling of each player's payoffs to ``[0, 1]`` (constant payoffs map to 0).

    Best responses, dominance and Nash equilibria are invariant to a positive affine
    transformation of one player's payoffs; learning rules with a payoff-sensitivity
    parameter (logit ``lambda``, replicator step) are not, so they work on this scale.
    """
    k = payoffs.shape[-1]
    flat = payoffs.reshape(-1, k)
    lo = flat.min(axis=0)
    span = flat.max(axis=0) - lo
    span = np.where(span > 0.0, span, 1.0)
    return (payoffs - lo) / span
