"""Optional n-player mixed equilibria through pygambit 16.x, every profile checked by regret.

pygambit (McKelvey, McLennan & Turocy, *Gambit: Software Tools for Game Theory*,
https://www.gambit-project.org; GPL-2.0+) is imported lazily, only when a function here is
called; install it with ``pip install "spacemarket[gambit]"`` (pygambit 16.7.0 ships as a
source distribution on Linux and compiles in a few minutes). The 16.x API is used:
``pygambit.Game.from_arrays(*arrays)`` and ``pygambit.nash.<method>_solve``, each returning a
``NashComputationResult`` whose ``equilibria`` are mixed-strategy profiles. pygambit 17 changed
that API and is rejected with a clear error.

Methods (``method=``): ``"enummixed"`` (2 players: all extreme equilibria), ``"lcp"``
(2 players, Lemke-Howson), ``"enumpure"``, ``"enumpoly"`` (support enumeration with polynomial
systems), ``"gnm"`` (Govindan-Wilson global Newton), ``"ipa"`` (iterated polymatrix
approximation), ``"logit"`` (limit of the principal branch of the logit QRE
correspondence, Turocy 2005), ``"simpdiv"`` and ``"liap"`` (started at the centroid). Keyword
arguments are passed to the pygambit solver unchanged.

Every returned profile is re-evaluated here in floating point and kept only if its max regret
is at most ``tol``; the others are returned as *rejected* with their regret. This guards
against solver failures that are not flagged: gambit#492 - pygambit 16.7.0's ``logit_solve``
on McKelvey & McLennan's 2x2x2 game returns a profile with max regret 0.376.
"""

from __future__ import annotations

import importlib
import multiprocessing
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import numpy as np

from spacemarket.market.games._arrays import MIXED_RTOL, as_payoff_array, resolve_tol
from spacemarket.market.games.equilibrium import Equilibrium, dedupe

__all__ = ["GAMBIT_METHODS", "GambitResult", "gambit_available", "gambit_equilibria"]

#: Solver names accepted by :func:`gambit_equilibria`.
GAMBIT_METHODS = (
    "enummixed", "lcp", "enumpure", "enumpoly", "gnm", "ipa", "logit", "simpdiv", "liap",
)  # fmt: skip
_TWO_PLAYER_ONLY = ("enummixed", "lcp")

_INSTALL_HINT = (
    'pip install "spacemarket[gambit]"  (pygambit 16.7.0; builds from source, a few minutes)'
)


@dataclass(frozen=True)
class GambitResult:
    """Result of :func:`gambit_equilibria`.

    Attributes
    ----------
    equilibria : tuple of Equilibrium
        Distinct accepted profiles (max regret ``<= tol``).
    rejected : tuple of Equilibrium
        Profiles pygambit returned whose max regret exceeds ``tol`` (not equilibria).
    method : str
        The pygambit solver used.
    tol : float
        The acceptance tolerance (payoff units).
    """

    equilibria: tuple[Equilibrium, ...]
    rejected: tuple[Equilibrium, ...]
    method: str
    tol: float


def _import_pygambit() -> ModuleType:
    try:
        gbt = importlib.import_module("pygambit")
    except ImportError as exc:
        raise ImportError(
            f"mixed equilibria of games with more than two players need pygambit: {_INSTALL_HINT}"
        ) from exc
    version = str(getattr(gbt, "__version__", ""))
    if not version.startswith("16."):
        raise ImportError(
            f"pygambit {version or '(unknown version)'} is installed but this module uses the "
            f"pygambit 16.x API: {_INSTALL_HINT}"
        )
    return gbt


def gambit_available() -> bool:
    """Whether a supported pygambit (16.x) can be imported."""
    try:
        _import_pygambit()
    except ImportError:
        return False
    return True


def _to_gambit(gbt: ModuleType, arr: np.ndarray) -> Any:
    arrays = [arr[..., i].tolist() for i in range(arr.shape[-1])]
    return gbt.Game.from_arrays(*arrays, title="spacemarket game")


def _perturbations(
    spec: int | Sequence[Sequence[object]], shape: tuple[int, ...], rng: object
) -> list[list[np.ndarray]]:
    if isinstance(spec, int | np.integer):
        if spec < 1:
            raise ValueError(f"perturbations must be >= 1, got {spec}")
        gen = np.random.default_rng(rng)  # type: ignore[arg-type]
        return [[gen.uniform(0.0, 1.0, size=n) for n in shape] for _ in range(int(spec))]
    out = []
    for pert in spec:
        vecs = [np.asarray(v, dtype=float).reshape(-1) for v in pert]
        if [v.size for v in vecs] != list(shape):
            raise ValueError(f"a perturbation needs vectors of lengths {shape}")
        out.append(vecs)
    if not out:
        raise ValueError("perturbations must not be empty")
    return out


def _solve_raw(
    arr: np.ndarray, method: str, kwargs: dict[str, Any], perturbations: list[list[np.ndarray]]
) -> list[list[np.ndarray]]:
    """Run one pygambit solver (per perturbation for gnm/ipa); return float profiles."""
    gbt = _import_pygambit()
    game = _to_gambit(gbt, arr)
    nash = gbt.nash
    if method in ("gnm", "ipa"):
        results = []
        for pert in perturbations:
            start = game.mixed_strategy_profile(rational=False)
            for player, weights in zip(game.players, pert, strict=True):
                for strategy, w in zip(player.strategies, weights, strict=True):
                    start[strategy] = float(w)
            results.append(getattr(nash, f"{method}_solve")(start, **kwargs))
    elif method == "simpdiv":
        results = [nash.simpdiv_solve(game.mixed_strategy_profile(rational=True), **kwargs)]
    elif method == "liap":
        results = [nash.liap_solve(game.mixed_strategy_profile(rational=False), **kwargs)]
    else:
        results = [getattr(nash, f"{method}_solve")(game, **kwargs)]
    profiles = []
    for result in results:
        for profile in result.equilibria:
            profiles.append(
                [
                    np.array([float(profile[s]) for s in player.strategies])
                    for player in game.players
                ]
            )
    return profiles


def _child_main(conn: Any, arr: np.ndarray, method: str, kwargs: dict, perturbations: list) -> None:
    try:
        conn.send(("ok", _solve_raw(arr, method, kwargs, perturbations)))
    except Exception as exc:  # report any solver failure to the parent
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def _solve_in_subprocess(
    arr: np.ndarray, method: str, kwargs: dict, perturbations: list, timeout: float
) -> list[list[np.ndarray]]:
    ctx = multiprocessing.get_context("spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child_main, args=(child, arr, method, kwargs, perturbations), daemon=True
    )
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            raise TimeoutError(f"pygambit {method} did not finish within {timeout:g} s")
        try:
            status, payload = parent.recv()
        except EOFError:
            raise RuntimeError(f"pygambit {method} crashed (exit code {proc.exitcode})") from None
    finally:
        if proc.is_alive():
            proc.terminate()
        proc.join(5)
        parent.close()
    if status != "ok":
        raise RuntimeError(f"pygambit {method} failed: {payload}")
    return payload


def gambit_equilibria(
    payoffs: object,
    method: str = "gnm",
    tol: float | None = None,
    *,
    perturbations: int | Sequence[Sequence[object]] = 4,
    rng: np.random.Generator | int | None = None,
    timeout: float | None = None,
    **kwargs: Any,
) -> GambitResult:
    """Mixed Nash equilibria from a pygambit solver, each verified by its max regret.

    Parameters
    ----------
    payoffs : array_like, shape (n_1, ..., n_k, k)
        Payoff array of the game (converted to exact decimals by pygambit).
    method : str, default "gnm"
        One of :data:`GAMBIT_METHODS`.
    tol : float, optional
        Max-regret acceptance tolerance (payoff units); default ``1e-6 * max|u|``.
    perturbations : int or sequence of profiles, default 4
        For ``gnm`` and ``ipa``: the number of random perturbation vectors (uniform on
        ``(0, 1)`` per strategy, drawn from ``rng``) to trace from, or explicit vectors (each a
        sequence of ``k`` arrays of shapes ``(n_i,)``, with a unique maximum per player); the
        equilibria found are pooled. Randomness matters: from pygambit's default perturbation
        (1 on each player's first strategy) 16.7.0's ``gnm`` never returns on McKelvey &
        McLennan's 2x2x2 game.
    rng : numpy.random.Generator or int, optional
        Source of the perturbations (``numpy.random.default_rng(rng)``).
    timeout : float, optional
        Seconds. If given, the solver runs in a separate (spawned) process that is terminated
        after ``timeout`` seconds, raising :class:`TimeoutError`; pygambit's C++ solvers
        cannot be interrupted in-process. ``None`` runs in this process.
    **kwargs
        Passed to ``pygambit.nash.<method>_solve`` (e.g. ``rational=False`` for
        ``enummixed``, ``maxregret`` for ``logit``).

    Returns
    -------
    GambitResult
        Accepted and rejected profiles.

    Raises
    ------
    ImportError
        If pygambit 16.x is not installed (the message says how to install it).
    ValueError
        For an unknown method, or a two-player-only method on a larger game.
    TimeoutError
        If ``timeout`` is exceeded.

    Examples
    --------
    >>> import numpy as np
    >>> A = np.array([[1.0, -1.0], [-1.0, 1.0]])
    >>> res = gambit_equilibria(np.stack([A, -A], axis=-1), method="enummixed")  # doctest: +SKIP
    >>> [x.tolist() for x in res.equilibria[0].strategies]  # doctest: +SKIP
    [[0.5, 0.5], [0.5, 0.5]]
    """
    if method not in GAMBIT_METHODS:
        raise ValueError(f"unknown pygambit method {method!r}; choose from {GAMBIT_METHODS}")
    arr = as_payoff_array(payoffs)
    if method in _TWO_PLAYER_ONLY and arr.shape[-1] != 2:
        raise ValueError(f"pygambit method {method!r} needs a two-player game")
    tol = resolve_tol(arr, tol, MIXED_RTOL)
    _import_pygambit()  # fail early, in this process, with the install hint
    perts = _perturbations(perturbations, arr.shape[:-1], rng) if method in ("gnm", "ipa") else []
    if timeout is None:
        raw = _solve_raw(arr, method, kwargs, perts)
    else:
        raw = _solve_in_subprocess(arr, method, kwargs, perts, float(timeout))
    accepted, rejected = [], []
    for strategies in raw:
        clipped = [np.clip(x, 0.0, None) for x in strategies]
        eq = Equilibrium.from_profile(arr, [x / x.sum() for x in clipped], f"gambit:{method}")
        (accepted if eq.max_regret <= tol else rejected).append(eq)
    return GambitResult(tuple(dedupe(accepted)), tuple(dedupe(rejected)), method, tol)
