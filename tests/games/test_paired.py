"""Paired differences over seeds: the t-interval, significance, seeds needed, clipping."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from spacemarket.experiments.sweeps import summarize
from spacemarket.market.games.paired import PairedDifference, seeds_needed, t_interval

#: The per-seed differences behind the game report's "SpaceX drops open-access (margin 0.85)"
#: (issue 11, 8 seeds of the baseline game).
ISSUE_11 = [-4.62, 4.01, 4.11, 2.34, 5.77, 2.03, -1.45, -5.38]


def test_t_interval_by_hand():
    # d = (1, 2, 3): mean 2, sd 1, n 3; t(0.975, 2) = 4.302653 (tables: 4.303)
    half = 4.302653 / math.sqrt(3)
    lo, hi = t_interval([1.0, 2.0, 3.0])
    assert (lo, hi) == pytest.approx((2 - half, 2 + half), abs=1e-6)
    assert (round(lo, 3), round(hi, 3)) == (-0.484, 4.484)
    # a paired difference is the interval of x - y
    d = PairedDifference.of([11.0, 22.0, 33.0], [10.0, 20.0, 30.0])
    assert (d.mean, d.sd, d.n) == pytest.approx((2.0, 1.0, 3))
    assert (d.ci_low, d.ci_high) == pytest.approx((2 - half, 2 + half), abs=1e-6)
    assert not d.significant and d.verdict == "not significant"
    assert all(math.isnan(v) for v in t_interval([1.0]))


def test_the_issue_11_margin_is_not_significant():
    d = PairedDifference.of(ISSUE_11)
    assert d.mean == pytest.approx(0.85125)
    assert (round(d.ci_low, 2), round(d.ci_high, 2)) == (-2.65, 4.35)
    assert not d.significant and d.sign_flips == 3
    # seeds needed: the first n at which t(0.975, n-1) sd / sqrt(n) < |mean|
    need = d.seeds_needed
    half = lambda n: stats.t.ppf(0.975, n - 1) * d.sd / math.sqrt(n)  # noqa: E731
    assert half(need) < d.mean <= half(need - 1)
    assert need == 96
    text = d.describe()
    assert text.startswith("+0.851 [-2.65, 4.35] not significant")
    assert "opposite sign in 3 of 8 seeds" in text and "~96 seeds would settle it" in text


def test_significant_difference_and_ties():
    d = PairedDifference.of([0.9, 1.0, 1.1])  # mean 1, sd 0.1
    assert d.significant and d.significantly_positive and d.seeds_needed == 2
    assert d.describe() == "+1 [0.752, 1.25] significant"
    tie = PairedDifference.of([5.0, 6.0, 7.0], [5.0, 6.0, 7.0])
    assert tie.tie and not tie.significant and (tie.ci_low, tie.ci_high) == (0.0, 0.0)
    assert tie.describe() == "0 [0, 0] tie in every seed"
    near = PairedDifference.of([1e-12, -1e-12], atol=1e-9)
    assert near.tie
    assert seeds_needed(0.0, 1.0) is None and seeds_needed(1.0, 0.0) == 2
    assert seeds_needed(1.0, 1.0) == 7  # t(5)/sqrt(6) = 1.049 > 1 > t(6)/sqrt(7) = 0.925
    one = PairedDifference.of([3.0])
    assert one.n == 1 and not one.significant and "fewer than 2 seeds" in one.verdict
    with pytest.raises(ValueError, match="equal lengths"):
        PairedDifference.of([1.0, 2.0], [1.0])


def test_summarize_reuses_the_one_t_interval():
    assert summarize.t_interval is t_interval


finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)


@settings(max_examples=200, deadline=None)
@given(st.lists(finite, min_size=2, max_size=40))
def test_interval_contains_the_mean(values):
    lo, hi = t_interval(values)
    mean = float(np.mean(values))
    tol = 1e-9 * max(1.0, max(abs(v) for v in values))
    assert lo - tol <= mean <= hi + tol


@settings(max_examples=200, deadline=None)
@given(st.lists(finite, min_size=2, max_size=40), st.floats(min_value=1.01, max_value=100.0))
def test_interval_widens_with_the_spread(values, factor):
    x = np.array(values)
    if np.ptp(x) < 1e-6 * max(1.0, float(np.abs(x).max())):
        return  # no spread to widen
    lo, hi = t_interval(x)
    wide = x.mean() + factor * (x - x.mean())  # same mean, sd times factor
    lo2, hi2 = t_interval(wide)
    assert hi2 - lo2 == pytest.approx(factor * (hi - lo), rel=1e-6)
    assert hi2 - lo2 > hi - lo


@settings(max_examples=200, deadline=None)
@given(st.lists(finite, min_size=1, max_size=40))
def test_identical_per_seed_payoffs_give_zero_interval(values):
    d = PairedDifference.of(values, list(values))
    assert d.tie and (d.mean, d.ci_low, d.ci_high) == (0.0, 0.0, 0.0)
    assert not d.significant and d.verdict == "tie in every seed"


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=2, max_size=30),
    st.lists(st.floats(min_value=-1e3, max_value=1e3), min_size=2, max_size=30),
)
def test_common_noise_cancels_in_the_paired_difference(noise, gap):
    n = min(len(noise), len(gap))
    x = np.array(gap[:n]) + np.array(noise[:n])
    y = np.array(noise[:n])
    d = PairedDifference.of(x, y)
    lo, hi = t_interval(np.array(gap[:n]))
    assert (d.ci_low, d.ci_high) == pytest.approx((lo, hi), abs=1e-6) or d.tie


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(min_value=0.0, max_value=1.0), min_size=2, max_size=12))
def test_clipped_share_intervals_stay_in_the_unit_interval(shares):
    lo, hi = t_interval(shares, bounds=(0.0, 1.0))
    assert 0.0 <= lo <= hi <= 1.0
    raw_lo, raw_hi = t_interval(shares)
    assert lo == max(raw_lo, 0.0) and hi == min(raw_hi, 1.0)


def test_small_share_interval_is_clipped_not_negative():
    shares = [0.0, 0.012, 0.001]  # a small provider's share at n = 3
    assert t_interval(shares)[0] < 0.0  # what summarize printed before
    lo, hi = t_interval(shares, bounds=(0.0, 1.0))
    assert lo == 0.0 and 0.0 < hi < 1.0
