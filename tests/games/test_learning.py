"""Learning dynamics: fictitious play, replicator dynamics, EWA."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from spacemarket.market.games import ewa, fictitious_play, replicator_dynamics


def test_fictitious_play_matching_pennies_check8(pennies):
    """Robinson (1951): frequencies converge to (1/2, 1/2) in zero-sum games; after 10^4
    rounds they are within ~0.01 (nashpy: 0.4956 / 0.5028)."""
    for seed in (0, 1, 2):
        res = pennies.fictitious_play(10_000, rng=seed)
        assert res.rounds == 10_000
        for x in res.final:
            assert x == pytest.approx([0.5, 0.5], abs=0.01)
        assert res.reached is None
        # the frequencies are far from 1/2 early on (it is not trivially uniform)
        assert max(abs(x[10, 0] - 0.5) for x in res.trajectory) > 0.05


def test_fictitious_play_trajectory_is_the_empirical_frequency(prisoners):
    res = fictitious_play(prisoners.payoffs, rounds=50, rng=0)
    counts = np.zeros(2)
    for t, a in enumerate(res.actions[:, 0]):
        counts[a] += 1
        assert res.trajectory[0][t + 1] == pytest.approx(counts / (t + 1))
    assert res.trajectory[0][0].tolist() == [0.5, 0.5]  # no prior: uniform belief
    assert res.reached == (1, 1)
    assert np.all(res.actions == 1)  # defection is a best response to any belief


def test_fictitious_play_prior_counts_select_an_equilibrium(bos):
    to_tl = fictitious_play(bos.payoffs, 200, rng=0, initial_counts=[[5, 0], [5, 0]])
    to_br = fictitious_play(bos.payoffs, 200, rng=0, initial_counts=[[0, 5], [0, 5]])
    assert to_tl.reached == (0, 0) and to_br.reached == (1, 1)
    with pytest.raises(ValueError, match="initial_counts"):
        fictitious_play(bos.payoffs, 10, initial_counts=[[1, 1]])


def test_fictitious_play_three_players_reaches_a_pure_equilibrium(coordination3):
    res = coordination3.fictitious_play(500, rng=4)
    assert res.reached in {(0, 0, 0), (1, 1, 1)}


def test_replicator_removes_dominated_strategy_and_reaches_pure_nash(prisoners):
    res = replicator_dynamics(prisoners.payoffs, rounds=400, initial=[[0.9, 0.1], [0.9, 0.1]])
    assert res.reached == (1, 1)
    cooperators = res.trajectory[0][:, 0]
    assert np.all(np.diff(cooperators) < 0)  # C's share falls every round
    assert res.actions is None


def test_replicator_matching_pennies_moves_away_from_the_interior_equilibrium(pennies):
    """Discrete-time replicator dynamics spiral outward in matching pennies."""
    res = pennies.replicator_dynamics(2000, initial=[[0.55, 0.45], [0.5, 0.5]])
    dist = [
        np.hypot(x - 0.5, y - 0.5) for x, y in zip(res.trajectory[0][:, 0], res.trajectory[1][:, 0])
    ]
    assert dist[-1] > dist[0] + 0.2


def test_replicator_is_deterministic_given_initial_and_rng_sets_the_start(bos):
    a = bos.replicator_dynamics(100, rng=7)
    b = bos.replicator_dynamics(100, rng=7)
    c = bos.replicator_dynamics(100, rng=8)
    assert all(np.array_equal(x, y) for x, y in zip(a.trajectory, b.trajectory))
    assert not np.array_equal(a.trajectory[0], c.trajectory[0])
    with pytest.raises(ValueError, match="step"):
        bos.replicator_dynamics(10, step=0.0)


@settings(max_examples=40, deadline=None)
@given(
    u=arrays(np.float64, (2, 3, 2, 3), elements=st.floats(-1e6, 1e6, allow_nan=False)),
    seed=st.integers(0, 2**32 - 1),
    step=st.floats(0.01, 50.0),
)
def test_replicator_preserves_the_simplex(u, seed, step):
    res = replicator_dynamics(u, rounds=60, rng=seed, step=step)
    for x in res.trajectory:
        assert np.all(x >= 0.0)
        assert np.allclose(x.sum(axis=1), 1.0, atol=1e-12, rtol=0.0)
        # an interior start stays interior: fitness is positive, so no share hits zero
        assert np.all(x > 0)


def test_ewa_weighted_fictitious_play_special_case(bos):
    """delta = 1, rho = phi: attractions are payoffs averaged with weights phi^(t-s) over the
    opponent's past actions (Camerer & Ho 1999). Check log-odds = lam * attraction gap."""
    phi, lam, n0 = 0.8, 2.0, 1.0
    res = ewa(bos.payoffs, rounds=40, rng=3, delta=1.0, phi=phi, rho=phi, lam=lam,
              initial_experience=n0, normalize=False)  # fmt: skip
    A = bos.payoffs[..., 0]
    for t in range(1, 41):
        opp = res.actions[:t, 1]
        weights = phi ** np.arange(t - 1, -1, -1.0)
        expected_attr = (A[:, opp] * weights).sum(axis=1) / (phi**t * n0 + weights.sum())
        p = res.trajectory[0][t]
        assert np.log(p[0] / p[1]) == pytest.approx(lam * (expected_attr[0] - expected_attr[1]))


def test_ewa_reinforcement_special_case_ignores_foregone_payoffs(bos):
    """delta = 0, rho = 0: only the chosen action is reinforced (cumulative if phi = 1)."""
    res = ewa(bos.payoffs, rounds=30, rng=5, delta=0.0, phi=1.0, rho=0.0, lam=1.0, normalize=False)
    A = bos.payoffs[..., 0]
    attr = np.zeros(2)
    for t in range(30):
        a, b = res.actions[t]
        attr[a] += A[a, b]
        p = res.trajectory[0][t + 1]
        assert np.log(p[0] / p[1]) == pytest.approx(attr[0] - attr[1])


def test_ewa_reaches_dominant_profile_and_is_reproducible(prisoners):
    a = prisoners.ewa(300, rng=11)
    b = prisoners.ewa(300, rng=11)
    c = prisoners.ewa(300, rng=12)
    assert a.reached == (1, 1)
    assert np.array_equal(a.actions, b.actions)
    assert not np.array_equal(a.actions, c.actions)
    assert a.final[0][1] >= 0.95


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [({"delta": 1.5}, "delta"), ({"phi": -0.1}, "phi"), ({"rounds": 0}, "rounds"),
     ({"reach_tol": 0.6}, "reach_tol"), ({"lam": -1.0}, "non-negative")],
)  # fmt: skip
def test_ewa_parameter_validation(bos, kwargs, match):
    with pytest.raises(ValueError, match=match):
        ewa(bos.payoffs, **{"rounds": 5, **kwargs})
