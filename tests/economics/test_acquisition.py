"""Acquisition price by Nash bargaining (issue 6 must-show: between standalone value and gain)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spacemarket.market.economics.acquisition import acquisition_price, staged_acquisition


def test_hand_computed_split():
    o = acquisition_price(2e9, 5e9, 0.6)
    assert o.price_usd == pytest.approx(2e9 + 0.6 * 3e9)
    assert o.seller_gain_usd == pytest.approx(1.8e9) and o.acquirer_gain_usd == pytest.approx(1.2e9)


def test_weights_at_the_extremes():
    assert acquisition_price(2e9, 5e9, 0.0).price_usd == pytest.approx(2e9)  # buyer takes all
    assert acquisition_price(2e9, 5e9, 1.0).price_usd == pytest.approx(5e9)  # seller takes all


def test_no_deal_without_surplus():
    o = acquisition_price(3e9, 3e9)
    assert not o.agreement and o.price_usd is None


@given(st.floats(0, 1e11), st.floats(0, 1e11), st.floats(0, 1))
def test_price_between_standalone_value_and_acquirer_value(standalone, value, weight):
    o = acquisition_price(standalone, value, weight)
    if value > standalone:
        assert o.agreement
        assert standalone - 1e-6 <= o.price_usd <= value + 1e-6
        assert o.seller_gain_usd + o.acquirer_gain_usd == pytest.approx(
            value - standalone, abs=1e-3
        )
    else:
        assert not o.agreement


def test_staged_control():
    s = staged_acquisition([0.1, 0.2, 0.25, 0.2], 2e9, 4e9)
    assert s.control_tranche == 2  # 0.1 + 0.2 + 0.25 = 0.55 > 0.5
    assert s.total_cost_usd == pytest.approx(0.75 * 3e9)
    with pytest.raises(ValueError, match="tranches"):
        staged_acquisition([0.6, 0.6], 2e9, 4e9)
    with pytest.raises(ValueError, match="no agreement"):
        staged_acquisition([0.6], 4e9, 2e9)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_bad_input(bad):
    with pytest.raises(ValueError, match="finite"):
        acquisition_price(bad, 1e9)
    with pytest.raises(ValueError, match="seller_weight"):
        acquisition_price(1e9, 2e9, 1.5)
