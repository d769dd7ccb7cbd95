"""Logit and nested-logit demand: shares, Jacobians, Morrow-Skerlos blocks, consumer surplus."""

import numpy as np
import pytest

from spacemarket.market.economics.demand_logit import (
    logit_consumer_surplus,
    logit_jacobian,
    logit_lambda_gamma,
    logit_shares,
)
from spacemarket.market.economics.demand_nested_logit import (
    nested_logit_consumer_surplus,
    nested_logit_jacobian,
    nested_logit_lambda_gamma,
    nested_logit_shares,
)

DELTA = np.array([1.0, 0.4, -0.3, 2.0, 0.7])
PRICES = np.array([1.2, 0.8, 0.5, 2.5, 1.1])
NESTS = np.array(["ground", "orbit", "ground", "orbit", "orbit"])
ALPHA = 1.7


def _fd_jacobian(share_fn, prices, h=1e-6):
    jac = np.empty((prices.size, prices.size))
    for k in range(prices.size):
        up, down = prices.copy(), prices.copy()
        up[k] += h
        down[k] -= h
        jac[:, k] = (share_fn(up) - share_fn(down)) / (2 * h)
    return jac


def test_logit_shares_closed_form():
    s = logit_shares(DELTA, ALPHA, PRICES)
    e = np.exp(DELTA - ALPHA * PRICES)
    np.testing.assert_allclose(s, e / (1 + e.sum()), rtol=1e-13)
    assert np.all(s > 0) and s.sum() < 1


def test_logit_reference_check_10_share():
    s = logit_shares([1.0, 1.0, 1.0], 1.0, [2.18923074] * 3)
    np.testing.assert_allclose(s, 0.15912029, rtol=1e-7)


def test_logit_jacobian_matches_finite_differences():
    jac = logit_jacobian(DELTA, ALPHA, PRICES)
    fd = _fd_jacobian(lambda p: logit_shares(DELTA, ALPHA, p), PRICES)
    np.testing.assert_allclose(jac, fd, atol=1e-9)
    s = logit_shares(DELTA, ALPHA, PRICES)
    np.testing.assert_allclose(np.diag(jac), -ALPHA * s * (1 - s), rtol=1e-13)


def test_logit_lambda_gamma_reassembles_jacobian():
    s, lam, gam = logit_lambda_gamma(DELTA, ALPHA, PRICES)
    np.testing.assert_allclose(np.diag(lam) - gam, logit_jacobian(DELTA, ALPHA, PRICES), atol=1e-15)
    np.testing.assert_allclose(lam, -ALPHA * s, rtol=1e-14)


@pytest.mark.parametrize("rho", [0.2, 0.55, 1.0, [0.3, 0.8]])
def test_nested_jacobian_matches_finite_differences(rho):
    jac = nested_logit_jacobian(DELTA, ALPHA, PRICES, NESTS, rho)
    fd = _fd_jacobian(lambda p: nested_logit_shares(DELTA, ALPHA, p, NESTS, rho), PRICES)
    np.testing.assert_allclose(jac, fd, atol=1e-8)
    s, lam, gam = nested_logit_lambda_gamma(DELTA, ALPHA, PRICES, NESTS, rho)
    np.testing.assert_allclose(np.diag(lam) - gam, jac, atol=1e-15)
    np.testing.assert_allclose(gam, gam.T, atol=1e-15)  # nested-logit Gamma is symmetric


def test_nested_shares_closed_form_two_level():
    rho = np.array([0.3, 0.8])  # sorted labels: "ground", "orbit"
    s = nested_logit_shares(DELTA, ALPHA, PRICES, NESTS, rho)
    v = DELTA - ALPHA * PRICES
    expected = np.empty_like(v)
    inclusive = {}
    for g, r in zip(["ground", "orbit"], rho, strict=True):
        members = NESTS == g
        d = np.exp(v[members] / r).sum()
        inclusive[g] = d**r
        expected[members] = np.exp(v[members] / r) / d
    denom = 1 + sum(inclusive.values())
    for g in inclusive:
        expected[NESTS == g] *= inclusive[g] / denom
    np.testing.assert_allclose(s, expected, rtol=1e-13)
    cs = nested_logit_consumer_surplus(DELTA, ALPHA, PRICES, NESTS, rho, market_size=3.0)
    assert cs == pytest.approx(3.0 * np.log(denom) / ALPHA, rel=1e-13)


def test_nested_with_rho_one_is_logit():
    np.testing.assert_allclose(
        nested_logit_shares(DELTA, ALPHA, PRICES, NESTS, 1.0),
        logit_shares(DELTA, ALPHA, PRICES),
        rtol=1e-13,
    )
    np.testing.assert_allclose(
        nested_logit_jacobian(DELTA, ALPHA, PRICES, NESTS, 1.0),
        logit_jacobian(DELTA, ALPHA, PRICES),
        atol=1e-15,
    )


def test_singleton_nests_are_logit_for_any_rho():
    nests = np.arange(DELTA.size)
    np.testing.assert_allclose(
        nested_logit_shares(DELTA, ALPHA, PRICES, nests, 0.25),
        logit_shares(DELTA, ALPHA, PRICES),
        rtol=1e-13,
    )


def test_small_rho_makes_nest_mates_close_substitutes():
    """As rho -> 0, diversion within the nest dominates diversion across nests."""
    jac = nested_logit_jacobian([1.0, 1.0, 1.0], 1.0, [1.0, 1.0, 1.0], [0, 0, 1], 0.05)
    # raising p_0 moves far more demand to nest-mate 1 than to product 2
    assert jac[1, 0] > 20 * jac[2, 0] > 0


@pytest.mark.parametrize(
    ("cs_fn", "share_fn"),
    [
        (
            lambda p: logit_consumer_surplus(DELTA, ALPHA, p),
            lambda p: logit_shares(DELTA, ALPHA, p),
        ),
        (
            lambda p: nested_logit_consumer_surplus(DELTA, ALPHA, p, NESTS, 0.4),
            lambda p: nested_logit_shares(DELTA, ALPHA, p, NESTS, 0.4),
        ),
    ],
)
def test_roys_identity(cs_fn, share_fn):
    """dCS/dp_j = -s_j (per consumer): the inclusive value is the right welfare measure."""
    h = 1e-6
    grad = np.array(
        [(cs_fn(PRICES + h * e) - cs_fn(PRICES - h * e)) / (2 * h) for e in np.eye(PRICES.size)]
    )
    np.testing.assert_allclose(grad, -share_fn(PRICES), atol=1e-9)


def test_consumer_surplus_reference_values():
    cs_pre = logit_consumer_surplus([1.0] * 3, 1.0, [2.18923074] * 3)
    cs_post = logit_consumer_surplus([1.0] * 3, 1.0, [2.38486427, 2.38486427, 2.20058335])
    assert cs_pre == pytest.approx(0.64886, abs=5e-6)
    assert cs_post == pytest.approx(0.58875, abs=5e-6)
    assert logit_consumer_surplus([1.0] * 3, 1.0, [2.18923074] * 3, market_size=1e6) == (
        pytest.approx(1e6 * cs_pre, rel=1e-13)
    )


def test_numerically_stable_for_extreme_utilities():
    delta = np.array([800.0, 799.0, -800.0])
    prices = np.zeros(3)
    s = logit_shares(delta, 1.0, prices)
    assert np.all(np.isfinite(s))
    np.testing.assert_allclose(s[:2], np.exp([0.0, -1.0]) / (1 + np.exp(-1.0)), rtol=1e-12)
    assert logit_consumer_surplus(delta, 1.0, prices) == pytest.approx(800 + np.log1p(np.e**-1))
    s_n = nested_logit_shares(delta, 1.0, prices, [0, 0, 1], 0.01)
    assert np.all(np.isfinite(s_n)) and s_n.sum() <= 1.0
    assert np.isfinite(nested_logit_consumer_surplus(delta, 1.0, prices, [0, 0, 1], 0.01))
    assert np.all(np.isfinite(nested_logit_jacobian(delta, 1.0, prices, [0, 0, 1], 0.01)))


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": -1.0}, "alpha"),
        ({"prices": [1.0, np.nan]}, "prices"),
        ({"prices": [1.0]}, "prices"),
        ({"mean_utilities": [[1.0, 2.0]]}, "mean_utilities"),
        ({"mean_utilities": [np.inf, 1.0]}, "mean_utilities"),
    ],
)
def test_logit_validation_names_argument(kwargs, name):
    args = {"mean_utilities": [1.0, 2.0], "alpha": 1.0, "prices": [1.0, 1.0]} | kwargs
    with pytest.raises(ValueError, match=name):
        logit_shares(**args)


@pytest.mark.parametrize(
    ("nest_ids", "rho", "name"),
    [
        ([0, 0, 1], 0.0, "rho"),
        ([0, 0, 1], 1.5, "rho"),
        ([0, 0, 1], [0.5, 0.5, 0.5], "rho"),
        ([0, 1], 0.5, "nest_ids"),
    ],
)
def test_nested_validation_names_argument(nest_ids, rho, name):
    with pytest.raises(ValueError, match=name):
        nested_logit_shares([1.0, 1.0, 1.0], 1.0, [1.0, 1.0, 1.0], nest_ids, rho)


def test_consumer_surplus_validates_market_size():
    with pytest.raises(ValueError, match="market_size"):
        logit_consumer_surplus([1.0], 1.0, [1.0], market_size=-1.0)
    with pytest.raises(ValueError, match="market_size"):
        nested_logit_consumer_surplus([1.0], 1.0, [1.0], [0], 0.5, market_size=np.nan)
