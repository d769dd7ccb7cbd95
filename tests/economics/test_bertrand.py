"""Bertrand-Nash pricing: closed forms, reference check 10, margin matrix, capacities, errors."""

import numpy as np
import pytest
from scipy import optimize

from spacemarket.errors import EquilibriumNotConverged
from spacemarket.market.economics.bertrand import (
    PriceEquilibrium,
    delivered_marginal_cost,
    solve_prices,
)
from spacemarket.market.economics.demand_logit import logit_shares
from spacemarket.market.economics.demand_nested_logit import nested_logit_shares

ONES3 = np.ones(3)
MERGED_01 = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1]], dtype=float)


def objective(k, prices, delta, alpha, costs, kappa, upstream, share_fn=None):
    """Per-consumer objective of the decision maker pricing product k (gametheory.md 4.2)."""
    share_fn = share_fn or (lambda p: logit_shares(delta, alpha, p))
    s = share_fn(prices)
    return float(np.sum((kappa[k] * (prices - costs) + upstream[k]) * s))


def fd_gradient(prices, *args, h=1e-6, **kwargs):
    grad = np.empty(prices.size)
    for k in range(prices.size):
        e = np.zeros(prices.size)
        e[k] = h
        grad[k] = (
            objective(k, prices + e, *args, **kwargs) - objective(k, prices - e, *args, **kwargs)
        ) / (2 * h)
    return grad


# --- reference check 10 (gametheory.md section 3) -------------------------------------------


def test_reference_check_10_pre_and_post_merger():
    pre = solve_prices([1.0, 1.0, 1.0], 1.0, ONES3)
    np.testing.assert_allclose(pre.prices, 2.18923074, atol=1e-8)
    np.testing.assert_allclose(pre.shares, 0.15912029, atol=1e-8)
    assert pre.consumer_surplus == pytest.approx(0.64886, abs=5e-6)
    post = solve_prices([1.0, 1.0, 1.0], 1.0, ONES3, kappa=MERGED_01)
    np.testing.assert_allclose(post.prices, [2.38486427, 2.38486427, 2.20058335], atol=1e-8)
    np.testing.assert_allclose(post.margins[:2], 1 / (1 - 2 * 0.13895379), atol=1e-7)
    assert post.consumer_surplus == pytest.approx(0.58875, abs=5e-6)
    np.testing.assert_allclose(post.prices / pre.prices - 1, [0.0894, 0.0894, 0.0052], atol=5e-5)
    assert post.converged and post.residual < 1e-11 and 1 <= post.iterations < 100


# --- closed forms from the literature -------------------------------------------------------


def test_single_product_logit_markup():
    rng = np.random.default_rng(1)
    delta, costs, alpha = rng.normal(1, 1, 6), rng.uniform(0, 2, 6), 0.8
    eq = solve_prices(delta, alpha, costs)
    np.testing.assert_allclose(eq.margins, 1 / (alpha * (1 - eq.shares)), rtol=1e-10)


def test_multi_product_common_markup():
    """Firm f's products all carry markup 1/(alpha (1 - sum_{k in f} s_k))."""
    rng = np.random.default_rng(2)
    firms = np.array([0, 0, 0, 1, 1, 2, 3, 3])
    delta, costs, alpha = rng.normal(0.5, 1, 8), rng.uniform(0.5, 3, 8), 1.4
    kappa = (firms[:, None] == firms[None, :]).astype(float)
    eq = solve_prices(delta, alpha, costs, kappa=kappa)
    firm_share = np.bincount(firms, weights=eq.shares)[firms]
    np.testing.assert_allclose(eq.margins, 1 / (alpha * (1 - firm_share)), rtol=1e-10)


@pytest.mark.parametrize("nested", [False, True])
def test_monopoly_over_all_products(nested):
    delta, costs, alpha = np.array([2.0, 1.0, 0.3, 1.5]), np.array([1.0, 0.5, 0.2, 2.0]), 2.0
    extra = {"nest_ids": [0, 0, 1, 1], "rho": 0.35} if nested else {}
    eq = solve_prices(delta, alpha, costs, kappa=np.ones((4, 4)), **extra)
    np.testing.assert_allclose(eq.margins, 1 / (alpha * (1 - eq.shares.sum())), rtol=1e-10)


def test_nested_logit_symmetric_single_nest_markup():
    """Berry (1994): markup = rho / (alpha (1 - (1 - rho)/N - rho s))."""
    n, rho, alpha = 4, 0.45, 1.2
    eq = solve_prices(np.full(n, 2.0), alpha, np.full(n, 1.0), nest_ids=np.zeros(n), rho=rho)
    s = eq.shares[0]
    np.testing.assert_allclose(
        eq.margins, rho / (alpha * (1 - (1 - rho) / n - rho * s)), rtol=1e-10
    )


def test_nested_logit_firm_owning_a_whole_nest():
    """A firm that owns a whole nest sets the uniform markup 1/(alpha (1 - s_nest))."""
    nests = np.array([0, 0, 0, 1, 1])
    firms = np.array([0, 0, 0, 1, 2])
    kappa = (firms[:, None] == firms[None, :]).astype(float)
    delta, costs = np.array([1.0, 1.5, 0.2, 1.0, 0.5]), np.array([1.0, 1.2, 0.4, 0.8, 0.3])
    eq = solve_prices(delta, 1.1, costs, kappa=kappa, nest_ids=nests, rho=0.6)
    np.testing.assert_allclose(eq.margins[:3], 1 / (1.1 * (1 - eq.shares[:3].sum())), rtol=1e-10)


def test_nested_logit_foc_by_finite_differences():
    nests, rho = np.array([0, 1, 0, 1, 1]), [0.3, 0.7]
    delta, costs, alpha = (
        np.array([1.0, 1.5, 0.2, 1.0, 0.5]),
        np.array([1.0, 1.2, 0.4, 0.8, 0.3]),
        1.3,
    )
    kappa = np.eye(5)
    kappa[0, 1], kappa[3, 4], kappa[4, 3] = 0.4, 1.0, 1.0
    eq = solve_prices(delta, alpha, costs, kappa=kappa, nest_ids=nests, rho=rho)
    grad = fd_gradient(
        eq.prices,
        delta,
        alpha,
        costs,
        kappa,
        np.zeros((5, 5)),
        share_fn=lambda p: nested_logit_shares(delta, alpha, p, nests, rho),
    )
    np.testing.assert_allclose(grad, 0.0, atol=1e-9)


# --- generalised margin matrix --------------------------------------------------------------


def test_kappa_rows_are_scale_invariant():
    """Only the ratios kappa[k, j] / kappa[k, k] matter for the decision maker pricing k."""
    delta, costs = np.array([1.0, 0.5, 0.0]), np.array([1.0, 0.7, 0.4])
    base = solve_prices(delta, 1.0, costs, kappa=[[1, 0.5, 0], [0, 1, 0.2], [0, 0, 1]])
    scaled = solve_prices(delta, 1.0, costs, kappa=[[0.5, 0.25, 0], [0, 3, 0.6], [0, 0, 0.1]])
    np.testing.assert_allclose(scaled.prices, base.prices, atol=1e-11)


def test_own_upstream_margin_is_a_cost_reduction():
    delta, costs = np.array([1.0, 0.5, 0.0]), np.array([1.0, 0.7, 0.4])
    upstream = np.zeros((3, 3))
    upstream[1, 1] = 0.3
    a = solve_prices(delta, 1.0, costs, upstream_margins=upstream)
    b = solve_prices(delta, 1.0, costs - np.array([0.0, 0.3, 0.0]))
    np.testing.assert_allclose(a.prices, b.prices, atol=1e-11)


def test_upstream_margin_on_rival_raises_own_price_and_satisfies_foc():
    """vGUPPI_d channel: D (product 0) earns U's margin on rival R's (product 1) sales."""
    delta, costs, alpha = np.array([1.0, 1.2, 0.8]), np.array([1.0, 1.3, 0.9]), 1.5
    kappa = np.eye(3)
    upstream = np.zeros((3, 3))
    upstream[0, 1] = 0.6  # USD per unit of product 1 earned by the decision maker pricing 0
    base = solve_prices(delta, alpha, costs, kappa=kappa)
    eq = solve_prices(delta, alpha, costs, kappa=kappa, upstream_margins=upstream)
    assert eq.prices[0] > base.prices[0] + 1e-3
    # direct numerical FOC: finite differences of each decision maker's objective
    grad = fd_gradient(eq.prices, delta, alpha, costs, kappa, upstream)
    np.testing.assert_allclose(grad, 0.0, atol=1e-9)
    # and an independent solve of the FD-gradient system agrees with the zeta fixed point
    root = optimize.root(
        lambda p: fd_gradient(p, delta, alpha, costs, kappa, upstream, h=1e-5),
        base.prices,
        method="hybr",
        options={"xtol": 1e-13},
    )
    assert root.success
    np.testing.assert_allclose(root.x, eq.prices, atol=1e-8)


def test_general_margin_matrix_foc_by_finite_differences():
    rng = np.random.default_rng(7)
    n = 6
    delta, costs, alpha = rng.normal(1, 0.7, n), rng.uniform(0.5, 1.5, n), 1.1
    kappa = np.eye(n) + np.triu(rng.uniform(0, 0.5, (n, n)), 1) * (rng.uniform(size=(n, n)) < 0.5)
    upstream = rng.uniform(0, 0.3, (n, n)) * (rng.uniform(size=(n, n)) < 0.3)
    eq = solve_prices(delta, alpha, costs, kappa=kappa, upstream_margins=upstream)
    grad = fd_gradient(eq.prices, delta, alpha, costs, kappa, upstream)
    np.testing.assert_allclose(grad, 0.0, atol=1e-9)


def test_integration_under_linear_contracts_eliminates_double_marginalisation():
    """Integrated lab pays upstream marginal cost (2/kg) instead of the wholesale price (3/kg)."""
    input_kg, own_cost = 0.5, np.array([1.0, 1.0])
    separate = delivered_marginal_cost(own_cost, [3.0, 3.0], input_kg)
    integrated = delivered_marginal_cost(own_cost, [2.0, 3.0], input_kg)
    np.testing.assert_allclose(integrated, [2.0, 2.5])
    pre = solve_prices([2.0, 2.0], 1.0, separate)
    post = solve_prices([2.0, 2.0], 1.0, integrated)
    assert post.prices[0] < pre.prices[0]
    assert post.prices[1] < pre.prices[1]  # rival responds to a tougher competitor
    assert post.consumer_surplus > pre.consumer_surplus


# --- capacities -----------------------------------------------------------------------------


def test_capacity_symmetric_closed_form():
    """All three capacities bind at q = 0.1: p = 1 + log 7; lambda = p - c - 1/(1 - s)."""
    eq = solve_prices([1.0, 1.0, 1.0], 1.0, ONES3, capacities=[0.1, 0.1, 0.1])
    np.testing.assert_allclose(eq.prices, 1 + np.log(7), atol=1e-9)
    np.testing.assert_allclose(eq.quantities, 0.1, rtol=1e-9)
    np.testing.assert_allclose(eq.shadow_prices, np.log(7) - 1 / 0.9, atol=1e-9)


def test_capacity_scales_with_market_size_and_slack_capacity_changes_nothing():
    free = solve_prices([1.0, 1.0, 1.0], 1.0, ONES3, market_size=1000.0)
    slack = solve_prices([1.0, 1.0, 1.0], 1.0, ONES3, market_size=1000.0, capacities=[500.0] * 3)
    np.testing.assert_allclose(slack.prices, free.prices, atol=1e-12)
    np.testing.assert_array_equal(slack.shadow_prices, 0.0)
    scaled = solve_prices([1.0] * 3, 1.0, ONES3, market_size=1000.0, capacities=[100.0] * 3)
    np.testing.assert_allclose(scaled.prices, 1 + np.log(7), atol=1e-9)


def test_capacity_single_binding_product_is_a_constrained_best_response():
    """Only product 1 is constrained; check the KKT system directly."""
    delta, costs, alpha = np.array([1.0, 2.0, 0.5]), np.array([1.0, 1.0, 1.0]), 1.0
    free = solve_prices(delta, alpha, costs)
    cap = 0.5 * free.quantities[1]
    eq = solve_prices(delta, alpha, costs, capacities=[np.inf, cap, np.inf])
    assert eq.quantities[1] == pytest.approx(cap, rel=1e-9)
    assert eq.shadow_prices[1] > 0 and eq.shadow_prices[0] == eq.shadow_prices[2] == 0
    assert np.all(eq.prices >= free.prices - 1e-12)  # rivals gain demand and raise prices
    # product 1's FOC holds with shadow cost; rivals' unconstrained FOCs hold
    grad = fd_gradient(
        eq.prices, delta, alpha, costs + eq.shadow_prices, np.eye(3), np.zeros((3, 3))
    )
    np.testing.assert_allclose(grad, 0.0, atol=1e-9)


# --- result object, helpers, errors ---------------------------------------------------------


def test_result_fields_are_consistent_and_read_only():
    eq = solve_prices([1.0, 0.5], 2.0, [0.5, 0.4], market_size=250.0)
    assert isinstance(eq, PriceEquilibrium)
    np.testing.assert_allclose(eq.margins, eq.prices - [0.5, 0.4])
    np.testing.assert_allclose(eq.quantities, 250.0 * eq.shares)
    np.testing.assert_allclose(eq.profits, eq.margins * eq.quantities)
    with pytest.raises(ValueError):
        eq.prices[0] = 0.0
    with pytest.raises(AttributeError):
        eq.residual = 0.0  # frozen


def test_warm_start_gives_same_answer():
    cold = solve_prices([1.0, 0.5, 2.0], 1.0, [1.0, 1.0, 2.0])
    warm = solve_prices([1.0, 0.5, 2.0], 1.0, [1.0, 1.0, 2.0], initial_prices=cold.prices)
    np.testing.assert_allclose(warm.prices, cold.prices, atol=1e-11)
    assert warm.iterations <= 2


def test_non_convergence_raises_with_diagnostics():
    with pytest.raises(EquilibriumNotConverged) as info:
        solve_prices([3.0, 3.0, 3.0], 0.5, ONES3, kappa=np.ones((3, 3)), max_iterations=3)
    err = info.value
    assert err.iterations == 3 and np.isfinite(err.residual) and err.residual > 0
    assert err.last_prices.shape == (3,) and np.all(np.isfinite(err.last_prices))


def test_delivered_marginal_cost_validation():
    with pytest.raises(ValueError, match="input_units"):
        delivered_marginal_cost(1.0, 2.0, -1.0)
    with pytest.raises(ValueError, match="downstream_cost"):
        delivered_marginal_cost(np.nan, 2.0, 1.0)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"alpha": 0.0}, "alpha"),
        ({"alpha": np.inf}, "alpha"),
        ({"mean_utilities": [1.0, np.nan]}, "mean_utilities"),
        ({"marginal_costs": [1.0]}, "marginal_costs"),
        ({"marginal_costs": [1.0, np.inf]}, "marginal_costs"),
        ({"kappa": np.eye(3)}, "kappa"),
        ({"kappa": [[0.0, 0.0], [0.0, 1.0]]}, "kappa"),
        ({"kappa": [[1.0, np.nan], [0.0, 1.0]]}, "kappa"),
        ({"upstream_margins": np.zeros(2)}, "upstream_margins"),
        ({"nest_ids": [0, 1]}, "rho"),
        ({"rho": 0.5}, "nest_ids"),
        ({"nest_ids": [0, 1], "rho": 0.0}, "rho"),
        ({"nest_ids": [0, 1], "rho": 1.01}, "rho"),
        ({"capacities": [1.0, 0.0]}, "capacities"),
        ({"capacities": [1.0]}, "capacities"),
        ({"market_size": 0.0}, "market_size"),
        ({"tolerance": -1.0}, "tolerance"),
        ({"max_iterations": 0}, "max_iterations"),
        ({"max_iterations": 2.5}, "max_iterations"),
        ({"initial_prices": [1.0]}, "initial_prices"),
    ],
)
def test_validation_names_the_argument(kwargs, name):
    args = {"mean_utilities": [1.0, 1.0], "alpha": 1.0, "marginal_costs": [1.0, 1.0]} | kwargs
    with pytest.raises(ValueError, match=name):
        solve_prices(**args)
