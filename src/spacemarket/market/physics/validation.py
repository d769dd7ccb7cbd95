"""Input validation shared by the physical-cost core.

Every check raises :class:`InputError` (a ``ValueError``) whose message names the offending
argument and, when the value came from a data file, the file. The CLI turns these into a
one-line message and exit code 2.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import numpy as np
import numpy.typing as npt

from spacemarket.errors import InputError

__all__ = [
    "InputError",
    "as_array",
    "check_fraction",
    "check_nonnegative",
    "check_positive",
    "record_context",
]


@contextmanager
def record_context(source: str) -> Iterator[None]:
    """Attach ``source`` (a record or file) to any :class:`InputError` raised inside the block.

    An error that already names a source is re-raised unchanged.
    """
    try:
        yield
    except InputError as exc:
        if exc.source:
            raise
        raise InputError(exc.argument, exc.reason, source) from None


def as_array(name: str, value: npt.ArrayLike) -> np.ndarray:
    """Convert ``value`` to a float array, rejecting NaN, infinities and non-numbers."""
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise InputError(name, f"must be a number or array of numbers, got {value!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise InputError(name, f"must be finite, got {value!r}")
    return arr


def _fmt(arr: np.ndarray) -> str:
    bad = arr.ravel()
    return repr(float(bad[0])) if bad.size else "[]"


def check_positive(name: str, value: npt.ArrayLike) -> np.ndarray:
    """Return ``value`` as an array after checking every element is > 0."""
    arr = as_array(name, value)
    if np.any(arr <= 0):
        raise InputError(name, f"must be positive, got {_fmt(arr[arr <= 0])}")
    return arr


def check_nonnegative(name: str, value: npt.ArrayLike) -> np.ndarray:
    """Return ``value`` as an array after checking every element is >= 0."""
    arr = as_array(name, value)
    if np.any(arr < 0):
        raise InputError(name, f"must be non-negative, got {_fmt(arr[arr < 0])}")
    return arr


def check_fraction(
    name: str,
    value: npt.ArrayLike,
    *,
    low_inclusive: bool = True,
    high_inclusive: bool = True,
) -> np.ndarray:
    """Return ``value`` as an array after checking it lies in [0, 1] (ends as requested)."""
    arr = as_array(name, value)
    low_bad = arr < 0 if low_inclusive else arr <= 0
    high_bad = arr > 1 if high_inclusive else arr >= 1
    bad = low_bad | high_bad
    if np.any(bad):
        lo = "[" if low_inclusive else "("
        hi = "]" if high_inclusive else ")"
        raise InputError(name, f"must be in {lo}0, 1{hi}, got {_fmt(arr[bad])}")
    return arr
