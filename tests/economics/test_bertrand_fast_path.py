"""The O(J) zeta step (weighted block control, plain logit) agrees with the dense step."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from spacemarket.market.economics.bertrand_fixed_point import (
    PricingProblem,
    weighted_blocks,
    zeta_fixed_point,
)


def _problem(rng, size, owners, weights):
    delta = rng.uniform(-3, 3, size)
    alpha = float(np.exp(rng.uniform(np.log(0.05), np.log(5))))
    costs = rng.uniform(0.0, 10.0, size)
    same = owners[:, None] == owners[None, :]
    kappa = np.where(same, weights[None, :] / weights[:, None], 0.0)
    fast = weighted_blocks(kappa)
    assert fast is not None
    return PricingProblem(delta, alpha, costs, kappa, np.zeros((size, size)), None, 1e-13, 5000,
                          fast)  # fmt: skip


@pytest.mark.parametrize("seed", range(40))
def test_fast_step_matches_dense_step(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 40))
    owners = rng.integers(0, max(1, size // 2), size)
    weights = rng.uniform(0.2, 5.0, size) if seed % 2 else np.ones(size)
    fast = _problem(rng, size, owners, weights)
    dense = dataclasses.replace(fast, fast=None)
    prices = fast.costs + rng.uniform(0.1, 5.0, size)
    np.testing.assert_allclose(fast.zeta_residual(prices, fast.costs),
                               dense.zeta_residual(prices, dense.costs), rtol=1e-10, atol=1e-10)  # fmt: skip
    start = fast.costs + 1.0 / fast.alpha
    p_fast, _, res_fast = zeta_fixed_point(fast, fast.costs, start)
    p_dense, _, _ = zeta_fixed_point(dense, dense.costs, start)
    np.testing.assert_allclose(p_fast, p_dense, rtol=1e-10, atol=1e-10)
    assert res_fast <= 1e-13 * max(1.0, float(np.max(np.abs(p_fast)))) * 10


def test_structures_without_the_fast_step():
    assert weighted_blocks(np.array([[1.0, 0.5], [0.5, 1.0]])) is None  # not w_j / w_k
    assert weighted_blocks(np.array([[0.6, 0.0], [0.0, 1.0]])) is None  # partial own weight
    assert weighted_blocks(np.array([[1.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 1.0]])) is None
