"""The 2023 calibration of the contestable launch market, and the preset values it produced."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from spacemarket.market.economics import solve_prices
from spacemarket.market.economics.launch_calibration import calibrate_launch_market

ROOT = Path(__file__).resolve().parents[2]
MISSIONS = {"a": 30.0, "b": 6.0, "c": 10.0}
PRICE = {"a": 60e6, "b": 90e6, "c": 8e6}
MASS = {"a": 5000.0, "b": 7000.0, "c": 200.0}
OWNER = {"a": "X", "b": "X", "c": "Y"}


def test_the_calibrated_market_reproduces_the_observed_year():
    """Solving Bertrand-Nash at the calibrated parameters returns list prices and shares."""
    cal = calibrate_launch_market(MISSIONS, PRICE, MASS, OWNER, 0.2, "a", 25e6)
    names = list(MISSIONS)
    mass = np.array([MASS[n] for n in names])
    kappa = np.array([[mass[k] / mass[j] if OWNER[names[j]] == OWNER[names[k]] else 0.0
                       for k in range(3)] for j in range(3)])  # fmt: skip
    eq = solve_prices(
        np.array([cal.mean_utility[n] for n in names]),
        cal.alpha_per_usd_per_kg,
        np.array([cal.launch_cost_usd[n] for n in names]) / mass,
        kappa=kappa,
    )
    assert eq.prices == pytest.approx([PRICE[n] / MASS[n] for n in names], rel=1e-8)
    total = sum(MISSIONS.values()) / 0.8
    assert eq.shares == pytest.approx([MISSIONS[n] / total for n in names], rel=1e-8)
    assert cal.launch_cost_usd["a"] == pytest.approx(25e6)  # the anchor is matched exactly


def test_a_dearer_anchor_means_less_price_sensitive_buyers():
    cheap = calibrate_launch_market(MISSIONS, PRICE, MASS, OWNER, 0.2, "a", 20e6)
    dear = calibrate_launch_market(MISSIONS, PRICE, MASS, OWNER, 0.2, "a", 40e6)
    # a higher known cost leaves a smaller margin: the FOC needs more elastic demand
    assert dear.alpha_per_usd_per_kg > cheap.alpha_per_usd_per_kg


def test_the_script_reproduces_every_calibrated_value_of_the_backtest_preset():
    r = subprocess.run([sys.executable, str(ROOT / "experiments" / "calibrate_backtest.py")],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 0, r.stdout + r.stderr
    assert "every (cal) value reproduced" in r.stderr
    assert r.stdout.count(" yes") == 13 and " NO" not in r.stdout
