"""Checks of the run-size arguments every command and experiment script shares.

``--seeds``, ``--steps``, ``--workers`` mean the same everywhere, so they are checked in one
place: the CLI's subcommands and the scripts in ``experiments/`` call :func:`check_run_counts`
before anything runs or is written, and a bad value is a one-line :class:`InputError`
(exit code 2), never a traceback.

>>> check_run_counts(seeds=8, steps=4, workers=2, n_quarters=60)
>>> check_run_counts(seeds=0)
Traceback (most recent call last):
...
spacemarket.errors.InputError: --seeds: must be >= 1, got 0
"""

from __future__ import annotations

from spacemarket.errors import InputError

__all__ = ["check_run_counts"]


def _check_int(flag: str, value: object, low: int, high: int | None = None) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise InputError(flag, f"must be an integer, got {value!r}")
    if value < low:
        raise InputError(flag, f"must be >= {low}, got {value}")
    if high is not None and value > high:
        raise InputError(flag, f"must be between {low} and {high}, got {value}")


def check_run_counts(
    *,
    seeds: int | None = None,
    steps: int | None = None,
    workers: int | None = None,
    game_seeds: int | None = None,
    min_seeds: int = 1,
    n_quarters: int | None = None,
    scenario: str = "the scenario",
) -> None:
    """Raise :class:`InputError` naming the flag of the first out-of-range count.

    ``seeds`` and ``game_seeds`` are replications per profile (at least ``min_seeds``; 2 where
    an interval is printed), ``steps`` quarters per run (1 to ``n_quarters`` when known),
    ``workers`` local processes (>= 1). ``None`` means the default and is not checked.
    """
    _check_int("--seeds", seeds, min_seeds)
    _check_int("--game-seeds", game_seeds, min_seeds)
    _check_int("--workers", workers, 1)
    if n_quarters is not None and steps is not None and not 1 <= steps <= n_quarters:
        raise InputError("--steps", f"must be between 1 and {n_quarters} ({scenario} has "
                         f"{n_quarters} quarters), got {steps}")  # fmt: skip
    _check_int("--steps", steps, 1)
