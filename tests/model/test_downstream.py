"""The AI-services market in runs: calibration reproduces usage, revenue has the record's
level, and a lab whose launch terms worsen loses share to its rivals (the channel that makes
raising rivals' costs pay)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from spacemarket.market.model import SpaceMarket, run_scenario
from spacemarket.market.scenario import load_scenario

STEPS = 24  # 2026Q1-2031Q4


def firms_of(result, firm: str) -> pd.DataFrame:
    f = result.firms
    return f[f.firm == firm].set_index("quarter")


@pytest.fixture(scope="module")
def integrated():
    return run_scenario(load_scenario("baseline-2026"), rng=1, steps=STEPS)


@pytest.fixture(scope="module")
def foreclosed():
    scenario = load_scenario("baseline-2026", {"strategy.SpaceX": "foreclose-launch"})
    return run_scenario(scenario, rng=1, steps=STEPS)


def test_the_calibration_serves_each_labs_inference_share_of_its_compute():
    m = SpaceMarket("baseline-2026", rng=1)
    spec = m.scenario.downstream
    m.step()
    out = m.downstream_outcome
    compute = np.array([lab.spec.compute_gw * 1e6 for lab in m.labs])
    growth = np.array([(1 + lab.spec.growth_per_year) ** 0.25 for lab in m.labs])
    # the first quarter's market is the start's grown one quarter along the reference paths;
    # every lab's cost is the ground cost (no orbital compute yet), so shares are the calibration's
    expected = spec.serving_fraction * compute * growth
    np.testing.assert_allclose(out.served_kw, expected, rtol=5e-3)
    lerner = (out.prices_usd_per_kw_year - out.marginal_cost_usd_per_kw_year) / (
        out.prices_usd_per_kw_year
    )
    assert np.average(lerner, weights=out.served_kw) == pytest.approx(spec.lerner_index, abs=5e-3)


def test_openais_first_quarter_revenue_has_the_level_of_the_record(integrated):
    # OpenAI's Q1 2026 revenue: $5.7B (The Information via CNA, Jun 2026; _structure.toml)
    revenue = firms_of(integrated, "OpenAI").loc["2026Q1", "revenue_usd"]
    assert 5.7e9 / 1.5 < revenue < 5.7e9 * 1.5


def test_a_labs_profit_is_its_revenue_less_its_cost_of_compute(integrated):
    labs = integrated.firms[integrated.firms.kind == "lab"]
    np.testing.assert_allclose(labs.profit_usd, labs.revenue_usd - labs.compute_cost_usd)
    assert (labs.revenue_usd > 0).all()
    shares = labs.groupby("quarter").share_ai_revenue.sum()
    np.testing.assert_allclose(shares, 1.0)
    clouds = integrated.firms[integrated.firms.kind == "cloud"]
    assert (clouds.profit_usd > 0).all()  # the margin on the capacity they host


def test_foreclosure_raises_rivals_costs_and_moves_ai_revenue_to_xai(integrated, foreclosed):
    """Refused SpaceX launch, rival labs' marginal cost rises once orbit pays (Starship), they
    charge more and xAI sells more: the downstream channel of raising rivals' costs."""
    window = slice("2029Q1", "2031Q4")
    xai_gain = (firms_of(foreclosed, "xAI").share_ai_revenue
                - firms_of(integrated, "xAI").share_ai_revenue).loc[window]  # fmt: skip
    assert (xai_gain > 0).mean() >= 0.8 and xai_gain.mean() > 1e-4
    xai = firms_of(foreclosed, "xAI").revenue_usd - firms_of(integrated, "xAI").revenue_usd
    assert (xai.loc[window] > 0).all()
    price = "ai_services_price_usd_per_kw_year"
    rise = (
        foreclosed.market.set_index("quarter")[price]
        - integrated.market.set_index("quarter")[price]
    )
    assert (rise.loc[window] > 0).all()  # dearer compute for the rivals: dearer AI services
    before = slice("2026Q1", "2026Q4")  # no orbital compute yet: nothing to foreclose
    np.testing.assert_allclose(xai.loc[before], 0.0, atol=1e-3)


def test_ai_services_columns_in_the_market_frame(integrated):
    m = integrated.market
    for column in ("ai_services_revenue_usd", "ai_services_price_usd_per_kw_year",
                   "ai_services_consumer_surplus_usd", "ai_services_served_mw"):  # fmt: skip
        assert column in m and m[column].notna().all() and (m[column] > 0).all()
    assert (m.ai_services_residual_usd < 1e-6).all()
