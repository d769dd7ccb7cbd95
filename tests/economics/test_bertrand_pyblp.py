"""Oracle tests: our zeta-markup solver against pyblp's Simulation.replace_endogenous.

pyblp (Conlon & Gortmaker 2020) solves the same Bertrand-Nash FOCs by the Morrow-Skerlos
iteration; with identical inputs prices must agree to 1e-10 (absolute, USD). Note the nesting
parameter convention: pyblp's ``rho`` is our ``1 - rho``.
"""

import numpy as np
import pytest

from spacemarket.market.economics.bertrand import solve_prices

pyblp = pytest.importorskip("pyblp")
pyblp.options.verbose = False

ITERATION = pyblp.Iteration("simple", {"atol": 1e-14})


def _pyblp_prices(delta, alpha, costs, firm_ids, *, ownership=None, nest_ids=None, rho=None):
    """Equilibrium prices from a one-market pyblp logit (or nested logit) simulation."""
    size = len(delta)
    product_data = {
        "market_ids": np.zeros(size),
        "firm_ids": np.asarray(firm_ids),
        "x": np.asarray(delta, dtype=float),  # mean utility enters through x with beta = 1
        "prices": np.ones(size),  # placeholders, replaced by the equilibrium
        "shares": np.full(size, 0.5 / size),
    }
    if ownership is not None:
        product_data["ownership"] = ownership
    if nest_ids is not None:
        product_data["nesting_ids"] = np.asarray(nest_ids)
    simulation = pyblp.Simulation(
        pyblp.Formulation("0 + prices + x"),
        product_data,
        beta=[-alpha, 1.0],
        rho=None if rho is None else 1.0 - rho,
        xi=np.zeros(size),
    )
    results = simulation.replace_endogenous(costs=np.asarray(costs, float), iteration=ITERATION)
    return results.product_data.prices.ravel(), results.product_data.shares.ravel()


def _ownership(firm_ids):
    firm_ids = np.asarray(firm_ids)
    return (firm_ids[:, None] == firm_ids[None, :]).astype(float)


def test_three_firm_merger_matches_pyblp():
    delta, costs = np.ones(3), np.ones(3)
    for firms in ([0, 1, 2], [0, 0, 2]):
        expected, expected_shares = _pyblp_prices(delta, 1.0, costs, firms)
        ours = solve_prices(delta, 1.0, costs, kappa=_ownership(firms), tolerance=1e-14)
        np.testing.assert_allclose(ours.prices, expected, rtol=0, atol=1e-10)
        np.testing.assert_allclose(ours.shares, expected_shares, rtol=0, atol=1e-12)
    np.testing.assert_allclose(expected, [2.38486427, 2.38486427, 2.20058335], atol=1e-8)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_random_multiproduct_market_matches_pyblp(seed):
    rng = np.random.default_rng(seed)
    firms = np.array([0, 0, 0, 1, 1, 2, 2, 2, 3, 4])
    delta, costs, alpha = rng.normal(1.0, 0.8, 10), rng.uniform(0.2, 2.0, 10), rng.uniform(0.5, 2)
    expected, _ = _pyblp_prices(delta, alpha, costs, firms)
    ours = solve_prices(delta, alpha, costs, kappa=_ownership(firms), tolerance=1e-14)
    np.testing.assert_allclose(ours.prices, expected, rtol=0, atol=1e-10)


def test_partial_ownership_kappa_matches_pyblp_build_ownership():
    """Asymmetric O'Brien-Salop weights via pyblp.build_ownership(kappa_specification)."""
    rng = np.random.default_rng(11)
    firms = np.array([0, 0, 1, 1, 2, 3, 3, 4, 4, 4])
    kappa_firms = np.array(
        [
            [1.0, 0.3, 0.0, 0.2, 0.0],
            [0.0, 1.0, 0.0, 0.0, 0.0],
            [0.5, 0.0, 1.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 1.0, 0.1],
            [0.0, 0.4, 0.0, 0.0, 1.0],
        ]
    )
    product_data = {"market_ids": np.zeros(10), "firm_ids": firms}
    ownership = pyblp.build_ownership(product_data, lambda f, g: kappa_firms[f, g])
    np.testing.assert_array_equal(ownership, kappa_firms[np.ix_(firms, firms)])
    delta, costs, alpha = rng.normal(1.0, 0.8, 10), rng.uniform(0.2, 2.0, 10), 1.3
    expected, _ = _pyblp_prices(delta, alpha, costs, firms, ownership=ownership)
    ours = solve_prices(delta, alpha, costs, kappa=ownership, tolerance=1e-14)
    np.testing.assert_allclose(ours.prices, expected, rtol=0, atol=1e-10)
    # the partial stakes matter: prices differ from plain ownership by far more than tolerance
    plain = solve_prices(delta, alpha, costs, kappa=_ownership(firms))
    assert np.max(np.abs(plain.prices - ours.prices)) > 1e-3


@pytest.mark.parametrize("rho", [0.3, 0.75])
def test_nested_logit_matches_pyblp(rho):
    rng = np.random.default_rng(5)
    firms = np.array([0, 0, 0, 1, 1, 2, 2, 3, 4, 4])
    nests = np.array([0, 1, 0, 1, 0, 1, 0, 1, 1, 0])
    delta, costs, alpha = rng.normal(1.0, 0.5, 10), rng.uniform(0.5, 1.5, 10), 1.3
    expected, expected_shares = _pyblp_prices(delta, alpha, costs, firms, nest_ids=nests, rho=rho)
    ours = solve_prices(
        delta, alpha, costs, kappa=_ownership(firms), nest_ids=nests, rho=rho, tolerance=1e-14
    )
    np.testing.assert_allclose(ours.prices, expected, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ours.shares, expected_shares, rtol=0, atol=1e-12)
