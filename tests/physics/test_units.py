"""Hand-computed unit cases for each physics module, and the errors bad input gets."""

import dataclasses
import math

import numpy as np
import pytest

from spacemarket.market import physics as ph
from spacemarket.market.physics import InputError


def test_staged_delta_v_by_hand():
    # One stage: 1,000 kg dry, 9,000 kg propellant, 100 kg payload, Isp 300 s.
    dv = float(ph.staged_delta_v_m_s(100, [1000], [9000], [300]))
    assert dv == pytest.approx(300 * 9.80665 * math.log(10100 / 1100), rel=1e-12)
    # Two stages: the first stage carries the second.
    dv2 = float(ph.staged_delta_v_m_s(0, [100, 10], [900, 90], [300, 300]))
    expected = 300 * 9.80665 * (math.log(1100 / 200) + math.log(100 / 10))
    assert dv2 == pytest.approx(expected, rel=1e-12)
    assert ph.payload_for_delta_v_kg(dv, [1000], [9000], [300]) == pytest.approx(100, rel=1e-8)
    with pytest.raises(InputError, match="delta_v"):
        ph.payload_for_delta_v_kg(20_000, [1000], [9000], [300])


def test_launch_cost_components_by_hand():
    # $100M vehicle, 80% recovered, 10 flights, 2% upkeep, $1M propellant, $2M operations.
    cost = float(ph.launch_cost_per_flight_usd(80e6, 10, 2e6, 20e6, 1e6, 2e6))
    assert cost == pytest.approx(8e6 + 2e6 + 20e6 + 1e6 + 2e6)
    assert float(ph.price_from_cost(cost, 0.5)) == pytest.approx(1.5 * cost)


def test_vehicle_reuse_changes_payload():
    f9 = ph.launch_vehicle("falcon-9")
    assert float(f9.payload_kg(1)) == 22_800
    assert float(f9.payload_kg(5)) == 18_400
    assert f9.recovery_payload_penalty == pytest.approx(1 - 18_400 / 22_800)
    b = f9.cost_breakdown_usd(ph.propellant_prices_usd_per_t(), [1, 5])
    assert b["refurbishment"][0] == 0  # expended: nothing to refurbish
    assert b["payload_kg"].tolist() == [22_800, 18_400]


def test_mean_degradation_and_battery_by_hand():
    d, t = 0.1, 3.0
    k = math.log(0.9)
    assert float(ph.mean_degradation_factor(d, t)) == pytest.approx((0.9**t - 1) / (k * t))
    assert float(ph.mean_degradation_factor(0.0, t)) == 1.0
    # 2 kW for 30 min at 50% DoD, 90% discharge efficiency, 100 Wh/kg: 1000 Wh / 0.45 / 100.
    assert float(ph.battery_mass_kg(2000, 1800, 0.5, 100, 0.9)) == pytest.approx(1000 / 0.45 / 100)


def test_array_power_smad_by_hand():
    # 1 kW, 1/3 eclipse, X_d = 0.8, X_e = 0.6: (1000/3/0.6 + 1000*2/3/0.8) / (2/3).
    p = float(ph.array_power_required_w(1000, 1 / 3, 0.8, 0.6))
    assert p == pytest.approx((1000 / 3 / 0.6 + 1000 * 2 / 3 / 0.8) / (2 / 3))
    assert float(ph.array_power_required_w(1000, 0.3, 0.8, 0.6, include_eclipse=False)) == 1250


def test_capital_recovery_factor_by_hand():
    assert float(ph.capital_recovery_factor(0.1, 2)) == pytest.approx(0.1 / (1 - 1.1**-2))
    assert float(ph.capital_recovery_factor(0.0, 4)) == 0.25


def test_surviving_fraction_by_hand():
    lam = -math.log(1 - 0.2)
    assert float(ph.mean_surviving_fraction(0.2, 2)) == pytest.approx(
        (1 - math.exp(-2 * lam)) / (2 * lam)
    )


def test_environment_absorbed_flux_by_hand():
    # alpha 0.2, eps 0.9, sun factor 0.5, Earth factor 0.4, albedo lit 0.25.
    q = float(ph.absorbed_environment_w_per_m2(0.2, 0.9, 0.5, 0.4, 0.25))
    expected = 0.2 * 1361 * 0.5 + 0.2 * 0.3 * 1361 * 0.4 * 0.25 + 0.9 * 237 * 0.4
    assert q == pytest.approx(expected)


def test_orbital_cost_breakdown_sums_and_conserves_money():
    d = ph.orbital_design("compute-optimized")
    hw = ph.compute_hardware("gb200-nvl72")
    c = ph.orbital_cost(d, hw, 1000.0, discount_rate=0.0)
    # Straight line: annual charges x life x availability = capital + operations x life.
    paid = float(c.total_usd_per_kw_year * c.availability * d.lifetime_years)
    capital = sum(float(v) for v in c.capital_usd_per_kw.values())
    assert paid == pytest.approx(capital + d.operations_usd_per_kw_year * d.lifetime_years)
    assert float(sum(c.breakdown_usd_per_kw_year.values())) == pytest.approx(
        float(c.total_usd_per_kw_year)
    )
    # Mass: the launch line is price x total mass.
    assert float(c.capital_usd_per_kw["launch"]) == pytest.approx(1000 * float(c.mass.total_kg))
    # Structure is the stated share of the total.
    m = c.mass.masses_kg
    assert float(m["structure_and_bus"] / c.mass.total_kg) == pytest.approx(d.structure_fraction)
    # GPU-hour price = kW-year price x kW per GPU / 8,760 h.
    assert float(c.usd_per_gpu_hour) == pytest.approx(float(c.total_usd_per_kw_year) * 1.667 / 8760)


def test_orbital_without_battery_only_computes_in_sunlight():
    d = dataclasses.replace(ph.orbital_design("compute-optimized"), battery=False)
    c = ph.orbital_cost(d, ph.compute_hardware("gb200-nvl72"), 100.0)
    hw = ph.compute_hardware("gb200-nvl72")
    surviving = ph.mean_surviving_fraction(hw.loss_rate_per_year, d.lifetime_years)
    sat = ph.mean_surviving_fraction(d.satellite_annual_failure_rate, d.lifetime_years)
    sunlit = 1 - float(ph.eclipse_fraction(d.altitude_km, d.beta_deg))
    assert float(c.availability) == pytest.approx(sunlit * float(surviving * sat))
    assert float(c.mass.masses_kg["battery"]) == 0.0


def test_terrestrial_cost_by_hand():
    site = ph.TerrestrialSite(
        name="t", description="", facility_capex_usd_per_mw=10e6, facility_life_years=10,
        pue=1.2, electricity_usd_per_kwh=0.1, grid_delay_years=2,
    )  # fmt: skip
    hw = ph.ComputeHardware("h", usd_per_w=10, mass_kg_per_kw=10, it_power_per_accelerator_w=1000,
                            annual_failure_rate=0.05)  # fmt: skip
    c = ph.terrestrial_cost(site, hw, 4, discount_rate=0.0)
    b = {k: float(v) for k, v in c.breakdown_usd_per_kw_year.items()}
    assert b["facility"] == pytest.approx(10_000 / 10)
    assert b["grid_delay"] == 0.0  # no carrying cost at a zero discount rate
    assert b["electricity"] == pytest.approx(0.1 * 8760 * 1.2)
    assert b["it_hardware"] == pytest.approx(10_000 / 4)
    assert b["hardware_replacement"] == pytest.approx(0.05 * 10_000)
    c8 = ph.terrestrial_cost(site, hw, 4, discount_rate=0.08)
    carrying = float(c8.breakdown_usd_per_kw_year["grid_delay"])
    facility = float(c8.breakdown_usd_per_kw_year["facility"])
    assert carrying == pytest.approx(facility * (1.08**2 - 1))


def test_breakeven_never_and_found_cases_are_explicit():
    design = ph.orbital_design("compute-optimized")
    hw = ph.compute_hardware("gb200-nvl72")
    be = ph.breakeven_launch_price(design, ph.terrestrial_site("us-average"), hw, "full")
    assert be.status == "never"
    assert be.price_usd_per_kg is None
    assert be.gap_at_zero_usd_per_kw_year > 0
    assert "free launch" in be.message
    be = ph.breakeven_launch_price(
        ph.orbital_design("starcloud"), ph.terrestrial_site("us-average"), hw, "full",
        path=ph.learning_path("suncatcher-starship"),
    )  # fmt: skip
    assert be.status == "found"
    at = ph.orbital_cost(ph.orbital_design("starcloud"), hw, be.price_usd_per_kg)
    assert float(at.total_usd_per_kw_year) == pytest.approx(
        be.terrestrial_usd_per_kw_year, rel=1e-9
    )
    assert be.year is not None and 2025 <= be.year


def test_learning_path_floor_and_growth():
    path = dataclasses.replace(ph.learning_path("suncatcher-starship"), annual_growth=0.5)
    assert path.year_reaching(path.floor_usd_per_kg / 2) is None
    assert float(path.price_usd_per_kg(3000)) == pytest.approx(path.floor_usd_per_kg)
    # Growing cadence reaches a price sooner than constant cadence.
    base = ph.learning_path("suncatcher-starship")
    assert path.year_reaching(200) < base.year_reaching(200)
    # Consistency: the price in the year returned equals the target.
    year = base.year_reaching(300)
    assert float(base.price_usd_per_kg(year)) == pytest.approx(300, rel=1e-9)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: ph.payload_fraction(-1, 100), "payload_kg"),
        (lambda: ph.cost_per_kg_usd(1e6, -5), "payload_kg"),
        (lambda: ph.launched_power_cost_usd_per_kw_year(-575, 200, 28, 5), "mass_kg"),
        (lambda: ph.radiator_area_m2(1e6, 300, 1.2), "emissivity"),
        (lambda: ph.radiator_area_m2(1e6, 300, 0.9, sides=3), "sides"),
        (lambda: ph.radiator_area_m2(1e6, 2.0, 0.9, sink_temperature_k=3.0), "temperature_k"),
        (lambda: ph.eclipse_fraction(-5, 0), "altitude_km"),
        (lambda: ph.eclipse_fraction(550, 120), "beta_deg"),
        (lambda: ph.wright_cost(100, 1, 8, 1.5), "learning_rate"),
        (lambda: ph.delta_v_m_s(300, 0.5), "mass_ratio"),
        (lambda: ph.delta_v_m_s(float("nan"), 2), "isp_s"),
        (lambda: ph.launch_vehicle("saturn-v"), "vehicle"),
        (lambda: ph.orbital_design("nope"), "design"),
        (lambda: ph.terrestrial_site("mars"), "site"),
        (
            lambda: dataclasses.replace(ph.orbital_design("starcloud"), radiator_emissivity=1.01),
            "radiator_emissivity",
        ),
        (lambda: dataclasses.replace(ph.terrestrial_site("us-average"), pue=0.9), "pue"),
        (
            lambda: dataclasses.replace(ph.launch_vehicle("falcon-9"), payload_leo_kg=-1),
            "payload_leo_kg",
        ),
        (
            lambda: ph.propellant_cost_usd(1000, {"lox": 0.5, "ch4": 0.4}, {"lox": 1, "ch4": 1}),
            "mass_fractions",
        ),
        (lambda: ph.propellant_cost_usd(1000, {"unobtainium": 1.0}, {"lox": 1}), "mass_fractions"),
        (
            lambda: ph.breakeven_launch_price(
                ph.orbital_design("starcloud"),
                ph.terrestrial_site("us-average"),
                ph.compute_hardware("gb200-nvl72"),
                "magic",
            ),
            "accounting",
        ),
    ],
)
def test_bad_input_names_the_argument(call, argument):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.argument == argument
    assert str(info.value).startswith(argument)


def test_arrays_broadcast():
    out = ph.eclipse_fraction(np.array([[400.0], [800.0]]), np.array([0.0, 30.0, 80.0]))
    assert out.shape == (2, 3)
    assert np.all(out[:, 2] == 0.0)
    c = ph.orbital_cost(ph.orbital_design("starcloud"), ph.compute_hardware("gb200-nvl72"),
                        np.array([10.0, 100.0, 1000.0]))  # fmt: skip
    assert c.total_usd_per_kw_year.shape == (3,)
