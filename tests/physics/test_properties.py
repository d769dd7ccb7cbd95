"""Hypothesis properties of the physical-cost core."""

import dataclasses

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from spacemarket.market import physics as ph

HW = ph.compute_hardware("gb200-nvl72")
DESIGNS = list(ph.records("design"))
SITES = list(ph.records("site"))
price = st.floats(min_value=0.0, max_value=1e5, allow_nan=False)
settings.register_profile("spacemarket", max_examples=60, deadline=None)
settings.load_profile("spacemarket")


@given(st.sampled_from(DESIGNS), price, price)
def test_orbital_cost_rises_with_launch_price(name, p1, p2):
    lo, hi = sorted((p1, p2))
    d = ph.orbital_design(name)
    c = ph.orbital_cost(d, HW, np.array([lo, hi])).total_usd_per_kw_year
    assert c[0] <= c[1]
    if hi > lo + 1e-6:
        assert c[0] < c[1]


@given(st.sampled_from(DESIGNS), st.floats(1.0, 30.0), st.floats(1.0, 30.0), price)
def test_launch_line_falls_with_lifetime(name, l1, l2, p):
    short, long_ = sorted((l1, l2))
    d = ph.orbital_design(name)
    kg = float(ph.mass_budget(d).total_kg)
    a = float(ph.launched_power_cost_usd_per_kw_year(kg, p, 1.0, short))
    b = float(ph.launched_power_cost_usd_per_kw_year(kg, p, 1.0, long_))
    assert b <= a


@given(st.sampled_from(DESIGNS), st.floats(1.0, 30.0), st.floats(1.0, 30.0), price,
       st.floats(0.0, 0.15))  # fmt: skip
def test_full_cost_falls_with_lifetime_when_nothing_wears_out(name, l1, l2, p, rate):
    short, long_ = sorted((l1, l2))
    d = dataclasses.replace(
        ph.orbital_design(name), degradation_per_year=0.0, satellite_annual_failure_rate=0.0
    )
    hw = dataclasses.replace(HW, annual_failure_rate=0.0)
    a = ph.orbital_cost(dataclasses.replace(d, lifetime_years=short), hw, p, rate)
    b = ph.orbital_cost(dataclasses.replace(d, lifetime_years=long_), hw, p, rate)
    assert float(b.total_usd_per_kw_year) <= float(a.total_usd_per_kw_year) * (1 + 1e-12)


def test_with_unrepaired_failures_the_cheapest_life_is_finite():
    # Hardware that fails at 9%/yr with no repair: capital charges fall with life, but the
    # surviving capacity shrinks, so cost per delivered kW-year is U-shaped in lifetime.
    d = ph.orbital_design("starlink-v2-mini-class")
    costs = [
        float(
            ph.orbital_cost(dataclasses.replace(d, lifetime_years=L), HW, 500).total_usd_per_kw_year
        )
        for L in (3, 10, 40)
    ]
    assert costs[1] < costs[0] and costs[1] < costs[2]


@given(
    st.floats(1e6, 2e8),
    st.floats(0.0, 1.0),
    st.floats(0.0, 0.05),
    st.floats(0.0, 5e6),
    st.integers(1, 200),
    st.integers(1, 200),
)
def test_cost_per_kg_falls_with_reuse_toward_the_propellant_floor(build, frac, refurb, ops, n1, n2):
    few, many = sorted((n1, n2))
    v = dataclasses.replace(
        ph.launch_vehicle("starship"),
        build_cost_usd=build,
        reusable_fraction=frac,
        refurbishment_fraction=refurb,
        operations_usd=ops,
    )
    b = v.cost_breakdown_usd(ph.propellant_prices_usd_per_t(), np.array([few, many], dtype=float))
    per_kg, floor = b["cost_per_kg"], b["propellant_floor_per_kg"]
    assert np.all(per_kg >= floor)
    if few > 1:  # flown once the vehicle is expended (no refurbishment, expendable payload)
        assert per_kg[1] <= per_kg[0] * (1 + 1e-12)
    # The limit of infinite reuse is the floor plus the per-flight costs that reuse cannot spread.
    if many > 1:
        payload = b["payload_kg"][1]
        limit = (floor[1] * payload + refurb * build + build * (1 - frac) + ops) / payload
        assert per_kg[1] >= limit * (1 - 1e-12)
    pure = dataclasses.replace(
        v, refurbishment_fraction=0.0, operations_usd=0.0, reusable_fraction=1.0
    )
    huge = pure.cost_breakdown_usd(ph.propellant_prices_usd_per_t(), 1e9)
    expected = float(huge["propellant_floor_per_kg"]) + build / 1e9 / float(huge["payload_kg"])
    np.testing.assert_allclose(float(huge["cost_per_kg"]), expected, rtol=1e-12)


@given(
    st.floats(1.0, 1e7),
    st.floats(150.0, 1200.0),
    st.floats(1.05, 4.0),
    st.floats(0.05, 1.0),
    st.sampled_from([1, 2]),
    st.floats(0.1, 1.0),
)
def test_radiator_area_scales_as_inverse_t4(q, t, k, eps, sides, fin):
    a1 = float(ph.radiator_area_m2(q, t, eps, sides, fin))
    a2 = float(ph.radiator_area_m2(q, k * t, eps, sides, fin))
    np.testing.assert_allclose(a1 / a2, k**4, rtol=1e-10)
    # linear in heat, inverse in emissivity and sides
    np.testing.assert_allclose(
        float(ph.radiator_area_m2(2 * q, t, eps, sides, fin)), 2 * a1, rtol=1e-12
    )


@given(st.floats(160.0, 36_000.0), st.floats(-90.0, 90.0), st.floats(-90.0, 90.0))
def test_eclipse_fraction_bounded_and_falls_with_beta(h, b1, b2):
    lo, hi = sorted((abs(b1), abs(b2)))
    f_lo, f_hi = float(ph.eclipse_fraction(h, lo)), float(ph.eclipse_fraction(h, hi))
    assert 0.0 <= f_hi <= f_lo < 0.5


@given(st.sampled_from(SITES), st.floats(0.0, 0.5), st.floats(0.0, 0.5), st.floats(1.0, 2.0))
def test_terrestrial_cost_monotone_in_electricity_and_pue(name, e1, e2, pue):
    lo, hi = sorted((e1, e2))
    s = ph.terrestrial_site(name)
    a = ph.terrestrial_cost(dataclasses.replace(s, electricity_usd_per_kwh=lo, pue=pue), HW, 5)
    b = ph.terrestrial_cost(dataclasses.replace(s, electricity_usd_per_kwh=hi, pue=pue), HW, 5)
    assert float(a.total_usd_per_kw_year) <= float(b.total_usd_per_kw_year)


@given(st.sampled_from(DESIGNS), st.sampled_from(SITES), st.sampled_from(ph.ACCOUNTINGS),
       st.floats(0.5, 2.0))  # fmt: skip
def test_breakeven_is_a_root_and_rises_with_ground_cost(dname, sname, acc, scale):
    d, s = ph.orbital_design(dname), ph.terrestrial_site(sname)
    be = ph.breakeven_launch_price(d, s, HW, acc)
    dearer = dataclasses.replace(s, electricity_usd_per_kwh=s.electricity_usd_per_kwh * (1 + scale))
    be2 = ph.breakeven_launch_price(d, dearer, HW, acc)
    if be.status == "found":
        assert be2.status == "found"
        assert be2.price_usd_per_kg > be.price_usd_per_kg
    else:
        assert be.status == "never"
        assert be.gap_at_zero_usd_per_kw_year >= 0


@given(st.floats(1.0, 1e4), st.floats(1.0, 1e6), st.floats(0.01, 0.6), st.floats(1e-3, 1.0))
def test_wright_round_trip(c0, x0, lr, frac):
    target = c0 * frac
    x = float(ph.wright_cumulative_for_cost(c0, x0, target, lr))
    np.testing.assert_allclose(float(ph.wright_cost(c0, x0, x, lr)), target, rtol=1e-9)
