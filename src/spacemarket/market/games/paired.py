"""Paired differences over seeds: mean, Student-t interval, significance, seeds needed.

Simulated payoffs of two strategy profiles run on common random numbers are *paired*:
replication ``r`` of every profile uses the same seed, so the per-seed difference
``d_r = x_r - y_r`` removes the noise the two runs share, and a comparison of the two
profiles is a statement about the mean of ``d``. This module is the one place where that
statistic is computed (the sweep summaries, ``compare`` and the game report all use it):

* **interval**: the two-sided Student-t interval for the mean,
  ``mean(d) +- t(0.5 + level/2, n - 1) * sd(d) / sqrt(n)`` with ``sd`` the sample standard
  deviation (ddof 1) over the ``n`` finite values; NaN for ``n < 2``. With ``bounds`` the
  interval is *clipped* to the quantity's range (a share in ``[0, 1]`` cannot have a negative
  lower limit; the t-interval itself is symmetric and ignores the bound, so clipping only
  removes impossible values and does not widen or re-centre anything);
* **significant**: the interval excludes zero. A difference whose interval covers zero is
  *not significant*: noise alone can flip the sign of the mean, and a verdict resting on it
  ("a dominates b", "a is a best response", "the welfare maximum") is not established;
* **tie**: every per-seed difference is within ``atol`` of zero - the two payoffs coincide
  seed by seed, which no number of seeds changes;
* **seeds needed**: the smallest ``m >= 2`` with ``t(0.5 + level/2, m - 1) * sd / sqrt(m) <
  |mean|``, i.e. about ``(t * sd / mean)^2``: how many seeds would make the interval exclude
  zero *if the observed mean and sd held*. It is an estimate (both are themselves noisy), not
  a guarantee.

Examples
--------
The per-seed differences behind "SpaceX drops open-access (margin 0.85)" (issue 11):

>>> d = PairedDifference.of([-4.62, 4.01, 4.11, 2.34, 5.77, 2.03, -1.45, -5.38])
>>> round(d.mean, 2), round(d.ci_low, 1), round(d.ci_high, 1), d.significant
(0.85, -2.6, 4.3, False)
>>> d.sign_flips, d.seeds_needed
(3, 96)
>>> d.describe()
'+0.851 [-2.65, 4.35] not significant (opposite sign in 3 of 8 seeds; ~96 seeds would settle it)'
>>> PairedDifference.of([1.0, 2.0, 3.0], [1.0, 2.0, 3.0]).describe()
'0 [0, 0] tie in every seed'
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

__all__ = ["LEVEL", "MAX_SEEDS", "PairedDifference", "seeds_needed", "t_interval"]

#: Default confidence level of every interval.
LEVEL = 0.95
#: Seed counts above this are reported as "more than" it.
MAX_SEEDS = 1_000_000


def _t(level: float, df: int | np.ndarray) -> float | np.ndarray:
    from scipy import stats

    return stats.t.ppf(0.5 + level / 2.0, df)


def t_interval(
    values: Sequence[float] | np.ndarray,
    level: float = LEVEL,
    bounds: tuple[float, float] | None = None,
) -> tuple[float, float]:
    """The two-sided ``level`` Student-t interval for the mean of ``values`` (NaNs dropped).

    ``mean +- t(0.5 + level/2, n - 1) * sd / sqrt(n)`` (sd with ddof 1); ``(nan, nan)`` for
    fewer than two finite values. ``bounds = (lo, hi)``: the interval is clipped to the
    quantity's range (e.g. ``(0, 1)`` for a share), see the module docstring.
    """
    x = np.asarray(values, dtype=float).reshape(-1)
    x = x[np.isfinite(x)]
    n = x.size
    if n < 2:
        return (math.nan, math.nan)
    mean = float(x.mean())
    half = float(_t(level, n - 1)) * float(x.std(ddof=1)) / math.sqrt(n)
    lo, hi = mean - half, mean + half
    if bounds is not None:
        lo, hi = min(max(lo, bounds[0]), bounds[1]), max(min(hi, bounds[1]), bounds[0])
    return (lo, hi)


def seeds_needed(mean: float, sd: float, level: float = LEVEL) -> int | None:
    """Smallest ``m >= 2`` whose ``level`` t-interval half-width ``t * sd / sqrt(m)`` is below
    ``|mean|`` (``None`` if no finite count does: a zero or undefined mean difference).

    Counts above :data:`MAX_SEEDS` return ``MAX_SEEDS + 1``.

    >>> seeds_needed(1.0, 1.0), seeds_needed(1.0, 0.0), seeds_needed(0.0, 1.0)
    (7, 2, None)
    """
    if not (math.isfinite(mean) and math.isfinite(sd)) or mean == 0.0:
        return None
    if sd == 0.0:
        return 2
    ratio = sd / abs(mean)
    lo, hi = 2, 2
    while float(_t(level, hi - 1)) * ratio / math.sqrt(hi) >= 1.0:
        if hi > MAX_SEEDS:
            return MAX_SEEDS + 1
        lo, hi = hi, hi * 2
    while lo < hi:  # the half-width falls monotonically in m: bisect for the first m below
        mid = (lo + hi) // 2
        if float(_t(level, mid - 1)) * ratio / math.sqrt(mid) < 1.0:
            hi = mid
        else:
            lo = mid + 1
    return hi


def _num(x: float) -> str:
    if not math.isfinite(x):
        return "n/a"
    if x == 0.0:
        return "0"
    return f"{x:.3g}" if abs(x) < 1e4 else f"{x:,.0f}"


@dataclass(frozen=True)
class PairedDifference:
    """A paired difference over seeds and its statistics (see the module docstring).

    Attributes
    ----------
    mean : float
        Mean of the per-seed differences (payoff units).
    sd : float
        Their sample standard deviation (ddof 1; NaN for n < 2).
    n : int
        Number of seeds with both values finite.
    ci_low, ci_high : float
        The ``level`` t-interval for the mean (NaN for n < 2).
    level : float
        Confidence level.
    sign_flips : int
        Seeds whose difference has the opposite sign to the mean (beyond ``atol``).
    tie : bool
        Every per-seed difference is within ``atol`` of zero.
    """

    mean: float
    sd: float
    n: int
    ci_low: float
    ci_high: float
    level: float = LEVEL
    sign_flips: int = 0
    tie: bool = False

    @classmethod
    def of(
        cls,
        x: Sequence[float] | np.ndarray,
        y: Sequence[float] | np.ndarray | None = None,
        *,
        level: float = LEVEL,
        atol: float = 0.0,
    ) -> PairedDifference:
        """The difference ``x - y`` seed by seed (``x`` alone if ``y`` is None).

        Seeds where either value is not finite are dropped. ``atol``: per-seed differences
        within it count as zero (a tie), e.g. a game's payoff tolerance.
        """
        d = np.asarray(x, dtype=float).reshape(-1)
        if y is not None:
            other = np.asarray(y, dtype=float).reshape(-1)
            if other.shape != d.shape:
                raise ValueError(f"paired samples need equal lengths, got {d.size}, {other.size}")
            d = d - other
        d = d[np.isfinite(d)]
        n = int(d.size)
        if n == 0:
            return cls(math.nan, math.nan, 0, math.nan, math.nan, level)
        mean = float(d.mean())
        tie = bool(np.all(np.abs(d) <= atol))
        if tie:
            return cls(mean, float(d.std(ddof=1)) if n > 1 else math.nan, n, 0.0, 0.0, level,
                       0, True)  # fmt: skip
        lo, hi = t_interval(d, level)
        sign = np.sign(mean) if abs(mean) > atol else 0.0
        flips = int(np.sum(np.sign(d) * sign < 0) if sign else 0)
        sd = float(d.std(ddof=1)) if n > 1 else math.nan
        return cls(mean, sd, n, lo, hi, level, flips, False)

    @property
    def significant(self) -> bool:
        """The interval excludes zero (never for a tie or fewer than two seeds)."""
        return (not self.tie) and self.n >= 2 and (self.ci_low > 0.0 or self.ci_high < 0.0)

    @property
    def significantly_positive(self) -> bool:
        """The whole interval lies above zero."""
        return self.significant and self.ci_low > 0.0

    @property
    def seeds_needed(self) -> int | None:
        """Estimated seeds for the interval to exclude zero (see :func:`seeds_needed`)."""
        if self.tie or self.n < 2:
            return None
        return seeds_needed(self.mean, self.sd, self.level)

    @property
    def verdict(self) -> str:
        """``"significant"``, ``"not significant"``, ``"tie in every seed"`` or a note that
        there is no interval."""
        if self.tie:
            return "tie in every seed"
        if self.n < 2:
            return "no interval (fewer than 2 seeds)"
        return "significant" if self.significant else "not significant"

    def note(self) -> str:
        """Why a non-significant difference is not settled, and what would settle it."""
        if self.tie or self.n < 2 or self.significant:
            return ""
        parts = []
        if self.sign_flips:
            parts.append(f"opposite sign in {self.sign_flips} of {self.n} seeds")
        need = self.seeds_needed
        if need is None:
            parts.append("no seed count settles a zero mean")
        elif need > MAX_SEEDS:
            parts.append(f"more than {MAX_SEEDS:,} seeds would be needed")
        else:
            parts.append(f"~{need} seeds would settle it")
        return "; ".join(parts)

    def interval_text(self, scale: float = 1.0) -> str:
        """``"+0.85 [-2.6, 4.3]"`` (values divided by ``scale``); no interval for n < 2."""
        mean = self.mean / scale
        head = "0" if mean == 0.0 else f"{'+' if mean > 0 else ''}{_num(mean)}"
        if self.n < 2 and not self.tie:
            return head
        return f"{head} [{_num(self.ci_low / scale)}, {_num(self.ci_high / scale)}]"

    def describe(self, scale: float = 1.0) -> str:
        """Mean, interval and verdict in one phrase, e.g. ``"+63.2 [60.1, 66.3] significant"``."""
        note = self.note()
        return f"{self.interval_text(scale)} {self.verdict}" + (f" ({note})" if note else "")
