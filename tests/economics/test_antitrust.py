"""HHI, diversion, GUPPI/UPP, vertical GUPPIs and 2023 Merger Guidelines screens."""

import numpy as np
import pytest

from spacemarket.market.economics.antitrust import (
    delta_hhi,
    diversion_ratios,
    guppi,
    hhi,
    logit_diversion_ratios,
    upward_pricing_pressure,
)
from spacemarket.market.economics.bertrand import solve_prices
from spacemarket.market.economics.demand_logit import logit_jacobian, logit_shares
from spacemarket.market.economics.demand_nested_logit import nested_logit_jacobian
from spacemarket.market.economics.merger_screens import (
    foreclosure_share,
    merger_guidelines_screen,
    vertical_guppis,
)

P_PRE, S_PRE = 2.18923074, 0.15912029


def test_hhi_values_and_aggregation():
    assert hhi([1.0]) == 10_000.0
    assert hhi([0.5, 0.5]) == 5000.0
    assert hhi([0.0, 0.0]) == 0.0
    assert hhi([0.2, 0.1, 0.3], owners=["x", "y", "x"]) == pytest.approx(50**2 + 10**2)


@pytest.mark.parametrize("shares", [[0.6, 0.5], [-0.1, 0.5], [1.2], [np.nan], [[0.5]], []])
def test_hhi_validation(shares):
    with pytest.raises(ValueError, match="shares"):
        hhi(shares)


def test_hhi_sum_tolerance():
    assert hhi([0.5, 0.5 + 1e-10]) == pytest.approx(5000.0)


def test_delta_hhi_is_twice_the_product_of_merging_shares():
    shares = [0.25, 0.15, 0.35, 0.1]
    assert delta_hhi(shares, [0, 1, 2, 3], [0, 1, 0, 3]) == pytest.approx(2 * 25 * 35, rel=1e-12)
    assert delta_hhi(shares, [0, 1, 2, 3], [0, 1, 2, 3]) == 0.0


def test_reference_check_10_screens():
    """Inside-share HHI 3333 -> delta 2222; GUPPI 0.1028; diversion 0.18923."""
    inside = np.full(3, 1 / 3)
    assert hhi(inside) == pytest.approx(10_000 / 3, rel=1e-12)
    assert delta_hhi(inside, [0, 1, 2], [0, 0, 2]) == pytest.approx(20_000 / 9, rel=1e-12)
    d = logit_diversion_ratios([S_PRE] * 3)
    assert d[0, 1] == pytest.approx(S_PRE / (1 - S_PRE), rel=1e-12)
    assert d[0, 1] == pytest.approx(0.18923, abs=5e-6)
    g = guppi(d, [P_PRE] * 3, [1.0] * 3, [0, 1, 2], [0, 0, 2])
    np.testing.assert_allclose(g, [0.18923 * 1.18923 / 2.18923] * 2 + [0.0], rtol=1e-4)
    assert round(g[0], 4) == 0.1028
    screen = merger_guidelines_screen(inside, [0, 1, 2], [0, 0, 2])
    assert screen.hhi_presumption and screen.share_presumption and screen.any_presumption


def test_diversion_from_jacobian_matches_logit_closed_form():
    delta, prices = np.array([1.0, 0.3, 2.0, -0.5]), np.array([1.0, 0.5, 2.2, 0.1])
    jac = logit_jacobian(delta, 1.3, prices)
    shares = logit_shares(delta, 1.3, prices)
    np.testing.assert_allclose(diversion_ratios(jac), logit_diversion_ratios(shares), rtol=1e-12)


def test_nested_diversion_favours_nest_mates_and_sums_below_one():
    jac = nested_logit_jacobian([1.0, 1.0, 1.0], 1.0, [1.0, 1.0, 1.0], [0, 0, 1], 0.4)
    d = diversion_ratios(jac)
    assert d[0, 1] > d[0, 2] > 0
    assert np.all(d.sum(axis=1) < 1) and np.all(np.diag(d) == 0)


def test_diversion_validation():
    with pytest.raises(ValueError, match="negative diagonal"):
        diversion_ratios([[0.1, 0.0], [0.0, -1.0]])
    with pytest.raises(ValueError, match="square"):
        diversion_ratios([[1.0, 2.0]])


def test_guppi_predicts_direction_and_rough_size_of_simulated_merger():
    """GUPPI is a first-order screen: positive exactly for the merging products."""
    delta, costs = np.array([1.0, 1.2, 0.7, 0.9]), np.array([1.0, 1.1, 0.8, 1.0])
    pre = solve_prices(delta, 1.0, costs)
    d = diversion_ratios(logit_jacobian(delta, 1.0, pre.prices))
    g = guppi(d, pre.prices, costs, [0, 1, 2, 3], [0, 0, 2, 3])
    assert g[0] > 0 and g[1] > 0 and g[2] == 0 and g[3] == 0
    post = solve_prices(
        delta, 1.0, costs, kappa=[[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    )
    rise = post.prices / pre.prices - 1
    assert np.argmax(rise) == np.argmax(g)


def test_upp_with_and_without_efficiencies():
    d = np.array([[0.0, 0.2], [0.3, 0.0]])
    upp = upward_pricing_pressure(d, [10.0, 8.0], [6.0, 4.0], [0, 1], [0, 0])
    np.testing.assert_allclose(upp, [0.2 * 4.0, 0.3 * 4.0])
    net = upward_pricing_pressure(d, [10.0, 8.0], [6.0, 4.0], [0, 1], [0, 0], [0.1, 0.5])
    np.testing.assert_allclose(net, [0.8 - 0.6, 1.2 - 2.0])


def test_guppi_validation():
    with pytest.raises(ValueError, match="prices"):
        guppi(np.zeros((2, 2)), [0.0, 1.0], [0.0, 0.0], [0, 1], [0, 0])
    with pytest.raises(ValueError, match="owners"):
        guppi(np.zeros((2, 2)), [1.0, 1.0], [0.0, 0.0], [0, 1, 2], [0, 0])


def test_reference_check_16_vertical_guppis():
    v = vertical_guppis(
        diversion_r_to_d=0.4,
        margin_d=0.5,
        price_d=20.0,
        input_price_r=10.0,
        passthrough_r=0.5,
        price_r=20.0,
        diversion_d_to_r=0.25,
        upstream_margin=0.5,
    )
    assert v.vguppi_u == pytest.approx(0.40, rel=1e-12)
    assert v.vguppi_r == pytest.approx(0.10, rel=1e-12)
    assert v.vguppi_d == pytest.approx(0.0625, rel=1e-12)
    assert v.edm_offset is None
    with_edm = vertical_guppis(
        0.4, 0.5, 20.0, 10.0, 0.5, 20.0, 0.25, 0.5, input_price_d=10.0, upstream_marginal_cost=5.0
    )
    assert with_edm.edm_offset == pytest.approx(0.25)


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"price_d": 0.0}, "price_d"),
        ({"input_price_r": -1.0}, "input_price_r"),
        ({"diversion_r_to_d": 1.5}, "diversion_r_to_d"),
        ({"margin_d": np.nan}, "margin_d"),
        ({"input_price_d": 3.0}, "input_price_d"),
    ],
)
def test_vertical_guppis_validation(kwargs, name):
    base = {
        "diversion_r_to_d": 0.4,
        "margin_d": 0.5,
        "price_d": 20.0,
        "input_price_r": 10.0,
        "passthrough_r": 0.5,
        "price_r": 20.0,
        "diversion_d_to_r": 0.25,
        "upstream_margin": 0.5,
    }
    with pytest.raises(ValueError, match=name):
        vertical_guppis(**(base | kwargs))


def test_foreclosure_share_and_guideline_5_flag():
    assert foreclosure_share([40.0, 35.0, 25.0], [0.0, 1.0, 0.6]) == pytest.approx(0.5)
    assert foreclosure_share([1.0, 3.0], [0.0, 1.0]) == pytest.approx(0.75)
    at_half = merger_guidelines_screen([0.1, 0.1, 0.8], [0, 1, 2], [0, 1, 2], foreclosure=0.5)
    assert not at_half.foreclosure_presumption  # "above 50 percent"
    above = merger_guidelines_screen([0.1, 0.1, 0.8], [0, 1, 2], [0, 1, 2], foreclosure=0.51)
    assert above.foreclosure_presumption and above.any_presumption
    with pytest.raises(ValueError, match="dependence"):
        foreclosure_share([1.0], [1.5])
    with pytest.raises(ValueError, match="sales"):
        foreclosure_share([0.0, 0.0], [0.5, 0.5])
    with pytest.raises(ValueError, match="foreclosure"):
        merger_guidelines_screen([0.5], [0], [0], foreclosure=2.0)


def test_guideline_1_thresholds():
    # post HHI 2000 > 1800 but delta = 2 * 0.05 * 0.01 * 1e4 = 10 < 100: no presumption
    small = merger_guidelines_screen([np.sqrt(0.2 - 0.06**2), 0.05, 0.01], [0, 1, 2], [0, 1, 1])
    assert small.hhi_post == pytest.approx(2000.0, rel=1e-9)
    assert small.delta_hhi == pytest.approx(10.0, rel=1e-9)
    assert not small.hhi_presumption and not small.share_presumption
    # low-concentration market, merged share 0.32 and delta 2*0.16*0.16*1e4 = 512: share flag only
    frag = merger_guidelines_screen([0.16, 0.16] + [0.04] * 17, range(19), [0, 0, *range(2, 19)])
    assert frag.hhi_post < 1800 and frag.delta_hhi > 100
    assert frag.share_presumption and not frag.hhi_presumption
    assert frag.merged_share == pytest.approx(0.32)
    # no merger: nothing flagged
    none = merger_guidelines_screen([0.5, 0.5], [0, 1], [0, 1])
    assert none.merged_share == 0.0 and not none.any_presumption
