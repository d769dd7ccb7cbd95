"""Invariants every step (property tests over random scenarios) and reproducibility."""

import dataclasses
import os
import subprocess
import sys

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spacemarket.market.model import SpaceMarket, run_scenario
from spacemarket.market.scenario import load_scenario

BASE = load_scenario("backtest-2023")


@st.composite
def scenarios(draw):
    """Random perturbations of the back-test: demand, price sensitivity, plans, reliability."""
    ext = dataclasses.replace(
        BASE.external_demand,
        market_missions_per_year=draw(st.floats(0.0, 400.0)),
        growth_per_year=draw(st.floats(-0.3, 1.0)),
        price_sensitivity_per_usd_per_kg=draw(st.floats(5e-5, 2e-3)),
    )
    scale = draw(st.floats(0.0, 3.0))
    vehicles = [
        dataclasses.replace(
            v,
            planned_launches_per_year={
                k: x * scale for k, x in v.planned_launches_per_year.items()
            },
            reliability=draw(st.floats(0.6, 1.0)),
        )
        for v in BASE.vehicles
    ]
    labs = [
        dataclasses.replace(lab, growth_per_year=draw(st.floats(0.0, 3.0))) for lab in BASE.labs
    ]
    return dataclasses.replace(BASE, external_demand=ext, vehicles=vehicles, labs=labs)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios(), st.integers(0, 2**32 - 1))
def test_invariants_every_step(scenario, seed):
    model = SpaceMarket(scenario=scenario, rng=seed)
    for _ in range(6):
        model.step()
        # launches never exceed capacity, capacities are never negative
        for p in model.providers:
            for v in p.vehicles.values():
                assert v.capacity_launches >= 0
                assert sum(v.launches.values()) <= v.capacity_launches * (1 + 1e-9) + 1e-9
                assert all(n >= -1e-12 for n in v.launches.values())
        # money paid equals money received
        paid = model.rest.spend_usd + sum(lab.cost_usd for lab in model.labs)
        received = sum(p.revenue_usd for p in model.providers)
        assert np.isclose(paid, received, rtol=1e-12, atol=1e-6)
    firms = model.datacollector.get_table_dataframe("firms")
    numeric = firms.select_dtypes("number").drop(columns=["price_usd_per_kg", "unit_cost_usd_per_kg",
                                                          "capacity_kg", "share_mass", "share_revenue",
                                                          "share_compute", "exposure_spacex",
                                                          "compute_cost_usd",
                                                          "share_ai_revenue"])  # fmt: skip
    assert np.isfinite(numeric.to_numpy()).all()
    labs_cost = firms[firms.kind == "lab"].compute_cost_usd
    assert np.isfinite(labs_cost).all() and (labs_cost >= 0).all()
    for _, g in firms.groupby("step"):
        launch = g[g.kind.isin(["launch", "captive"])]
        if launch.mass_launched_kg.sum() > 0:
            assert np.isclose(launch.share_mass.sum(), 1.0)
        sellers = g[g.kind == "launch"]
        if sellers.revenue_usd.sum() > 0:
            assert np.isclose(sellers.share_revenue.sum(), 1.0)
        compute = g[g.kind.isin(["cloud", "lab"])]
        assert np.isclose(compute.share_compute.sum(), 1.0)
        assert (compute.orbital_mw >= 0).all() and (compute.terrestrial_mw >= 0).all()
    market = pd.DataFrame(model.market_rows)
    assert (market.solver_residual.fillna(0) < 1e-6).all()


def test_same_seed_identical_different_seed_differs():
    a = run_scenario("backtest-2023", seed=11)
    b = run_scenario("backtest-2023", seed=11)
    c = run_scenario("backtest-2023", seed=12)
    pd.testing.assert_frame_equal(a.firms, b.firms)
    pd.testing.assert_frame_equal(a.market, b.market)
    pd.testing.assert_frame_equal(a.vehicles, b.vehicles)
    assert not a.vehicles.equals(c.vehicles)


def test_result_does_not_depend_on_hash_seed(tmp_path):
    code = (
        "import sys; from spacemarket.market.model import run_scenario;"
        "r = run_scenario('backtest-2023', seed=3, steps=6);"
        "r.firms.to_parquet(sys.argv[1], index=False)"
    )
    outs = []
    for hash_seed in ("0", "12345"):
        path = tmp_path / f"firms_{hash_seed}.parquet"
        env = dict(os.environ, PYTHONHASHSEED=hash_seed)
        subprocess.run([sys.executable, "-c", code, str(path)], check=True, env=env)
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]


def test_stage_order_and_public_api():
    m = SpaceMarket(scenario="backtest-2023", rng=0)
    assert m.quarter_label == "2023Q1"
    m.step()
    assert m.quarter_label == "2023Q2"
    r = run_scenario(load_scenario("backtest-2023"), seed=0, steps=3)
    assert list(r.market.quarter) == ["2023Q1", "2023Q2", "2023Q3"]
    assert {"firms", "market", "vehicles"} <= set(dir(r))
    spacex = r.firms[(r.firms.firm == "SpaceX")]
    assert (spacex.launches > 0).all()


def test_integrated_lab_pays_launch_cost_and_others_pay_more():
    r = run_scenario("baseline-2026", seed=2, steps=12)
    labs = r.firms[(r.firms.kind == "lab") & (r.firms.step == 12)].set_index("firm")
    assert labs.loc["xAI", "price_usd_per_kg"] < labs.loc["OpenAI", "price_usd_per_kg"]
    assert (labs.exposure_spacex.between(0, 1)).all()
    assert labs.loc["xAI", "exposure_spacex"] == 1.0


def test_orbital_compute_grows_when_launch_gets_cheap():
    r = run_scenario("baseline-2026", seed=1)
    m = r.market
    assert m.orbital_mw.iloc[0] < 1.0
    assert m.orbital_mw.iloc[-1] > 100.0
    # orbital compute's launch price (the cheapest negotiated contract) falls as Starship learns,
    # so the orbital cost per kW-year falls below the ground cost it competes with (the first
    # orbital quarter, on pre-Starship launchers, can be dearer than ground: builders differ)
    # (a Starship stand-down after an anomaly can leave a quarter or two to dearer launchers)
    orbital = m.orbital_cost_usd_per_kw_year.dropna()
    ground = m.terrestrial_cost_usd_per_kw_year
    late = orbital.iloc[-8:].median()
    assert late < orbital.iloc[0] and late < ground.iloc[-1]
    assert (orbital.iloc[4:] < ground.loc[orbital.index[4:]]).mean() >= 0.9
