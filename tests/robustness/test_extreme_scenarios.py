"""Short runs of extreme scenarios built from ``baseline-2026``.

Each scenario is the baseline document with overrides (``apply_scenario_overrides``) or edited arrays,
validated by ``parse_scenario``, then run for 8 quarters. Which scenarios are expected to be
rejected is pinned in :data:`EXPECTED_ERRORS` (error type, the field it names, the message):
every other scenario must run and give finite, meaningful frames, so a scenario that starts
failing, or stops failing, or fails differently, fails its test. An error is never a bare
numpy / ZeroDivisionError / KeyError traceback, and there is never a silent NaN. The project's
pytest settings turn RuntimeWarning into an error, so an overflow or 0/0 inside the model fails
these tests too.

Frames are checked for: no infinities anywhere; no NaN in any money column (revenue, profit,
cash, a lab's compute cost, external spend, consumer surplus); shares in [0, 1] summing to 1
within their layer whenever the layer has any activity (0 otherwise); money conserved each
quarter (launch revenue = external spend + the labs' launch payments; external spend = sum of
price x external launches); cash moving by exactly the quarter's profit; launches within
capacity; the spot solver's residual within its documented tolerance. Then each scenario's
own expectation (e.g. no orbital compute without lab demand).
"""

from __future__ import annotations

import copy
import math
import re

import numpy as np
import pandas as pd
import pytest

from spacemarket.errors import ScenarioError
from spacemarket.experiments.cli.app import main
from spacemarket.market.model.results import run_scenario
from spacemarket.market.scenario import apply_scenario_overrides, parse_scenario, resolved_document

STEPS = 8
SEED = 11
MONEY_FIRM_COLUMNS = ("revenue_usd", "profit_usd", "cash_usd")
MONEY_MARKET_COLUMNS = (
    "external_spend_usd",
    "consumer_surplus_usd",
    "orbital_mw",
    "terrestrial_mw",
    "global_launches",
    "global_mass_kg",
    "terrestrial_cost_usd_per_kw_year",
    "solver_iterations",
    "solver_residual",
)


@pytest.fixture(scope="module")
def baseline():
    doc, src = resolved_document("baseline-2026")
    return doc, src


def _labs_to_zero(doc: dict) -> dict:
    return {f"labs.{lab['name']}.compute_gw": 0.0 for lab in doc["labs"]}


def _only_spacex(doc: dict) -> None:
    doc["providers"] = [p for p in doc["providers"] if p["name"] == "SpaceX"]
    doc["vehicles"] = [v for v in doc["vehicles"] if v["provider"] == "SpaceX"]
    for lab in doc["labs"]:  # drop a long-term contract with a launcher that is gone
        if lab.get("contract_supplier") and lab["contract_supplier"] != "SpaceX":
            lab.pop("contract_supplier")
        if not lab.get("contract_supplier"):
            lab.pop("contract_until", None)


def _price_per_kg(doc: dict, usd_per_kg: float) -> None:
    """Every vehicle's cost, floor and list price at ``usd_per_kg`` of payload capacity."""
    for v in doc["vehicles"]:
        per_launch = usd_per_kg * v["payload_capacity_kg"]
        v["launch_cost_usd"] = per_launch
        v["cost_floor_usd"] = per_launch if v.get("cost_learning_rate") else 0.0
        v["list_price_usd"] = per_launch


def _build(name: str, doc: dict, src: str) -> dict:
    doc = copy.deepcopy(doc)
    if name == "zero-external-demand":
        return apply_scenario_overrides(doc, {"external_demand.market_missions_per_year": 0}, src)
    if name == "zero-lab-demand":
        return apply_scenario_overrides(doc, _labs_to_zero(doc), src)
    if name == "no-demand-at-all":
        overrides = {"external_demand.market_missions_per_year": 0, **_labs_to_zero(doc)}
        return apply_scenario_overrides(doc, overrides, src)
    if name == "single-launch-firm":
        _only_spacex(doc)
        return doc
    if name == "every-input-foreclosed":
        overrides = {
            "providers.SpaceX.forecloses_launch": True,
            "providers.SpaceX.forecloses_backhaul": True,
        }
        return apply_scenario_overrides(doc, overrides, src)
    if name == "launch-nearly-free":
        for v in doc["vehicles"]:
            v["launch_cost_usd"] = 1.0
            v["list_price_usd"] = 1.0
            v["cost_floor_usd"] = 0.0
        return doc
    if name == "launch-1e6-usd-per-kg":
        _price_per_kg(doc, 1e6)
        return doc
    if name == "least-price-sensitive-buyers":  # alpha at its lower bound: 1e-9 per USD/kg
        return apply_scenario_overrides(
            doc, {"external_demand.price_sensitivity_per_usd_per_kg": 1e-9}, src
        )
    if name == "most-price-sensitive-buyers":  # alpha at its upper bound: 1 per USD/kg
        return apply_scenario_overrides(
            doc, {"external_demand.price_sensitivity_per_usd_per_kg": 1.0}, src
        )
    if name == "most-external-missions":  # the validated upper bound, ~1,200x the baseline
        return apply_scenario_overrides(
            doc, {"external_demand.market_missions_per_year": 100_000}, src
        )
    if name == "a-billion-external-missions":
        return apply_scenario_overrides(doc, {"external_demand.market_missions_per_year": 1e9}, src)
    raise AssertionError(name)


SCENARIOS = [
    "zero-external-demand",
    "zero-lab-demand",
    "no-demand-at-all",
    "single-launch-firm",
    "every-input-foreclosed",
    "launch-nearly-free",
    "launch-1e6-usd-per-kg",
    "least-price-sensitive-buyers",
    "most-price-sensitive-buyers",
    "most-external-missions",
    "a-billion-external-missions",
]

#: The scenarios expected to fail, and how: (error type, the key it names, message pattern).
#: Every scenario not listed here must run. Validation rejects these at load, before a run.
EXPECTED_ERRORS: dict[str, tuple[type[Exception], str, str]] = {
    "a-billion-external-missions": (
        ScenarioError,
        "external_demand.market_missions_per_year",
        r"must be in \[0, 100000\], got 1000000000 \(in .*baseline-2026\.toml\)",
    ),
}


def _run(name: str, baseline):
    """``(scenario, result)`` of 8 quarters; any error propagates."""
    doc, src = baseline
    scenario = parse_scenario(_build(name, doc, src), src)
    return scenario, run_scenario(scenario, seed=SEED, steps=STEPS)


# --------------------------------------------------------------------------- checks


def _numeric(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.select_dtypes(include=[np.number])


def _check_frames(scenario, result) -> None:
    firms, market, vehicles = result.firms, result.market, result.vehicles
    assert len(market) == STEPS and sorted(set(firms["step"])) == list(range(1, STEPS + 1))
    for label, frame in (("firms", firms), ("market", market), ("vehicles", vehicles)):
        values = _numeric(frame).to_numpy(dtype=float)
        assert not np.isinf(values).any(), f"{label} has infinite values"

    # money: never NaN
    for col in MONEY_FIRM_COLUMNS:
        assert firms[col].notna().all(), f"firms.{col} has NaN"
    labs = firms[firms["kind"] == "lab"]
    assert labs["compute_cost_usd"].notna().all() and (labs["compute_cost_usd"] >= 0).all()
    for col in MONEY_MARKET_COLUMNS:
        assert market[col].notna().all(), f"market.{col} has NaN"
        assert (market[col] >= 0).all(), f"market.{col} < 0"
    hhi = market["hhi_launch_mass"]
    assert hhi.notna().all() and hhi.between(0.0, 10_000.0 + 1e-6).all()

    # shares: in [0, 1], summing to 1 within the layer when the layer is active
    by_step = firms.groupby("step")
    for step, g in by_step:
        layer = g[g["kind"].isin(["launch", "captive"])]
        _check_shares(layer["share_mass"], layer["mass_launched_kg"].sum(), f"mass, step {step}")
        launch = g[g["kind"] == "launch"]
        _check_shares(launch["share_revenue"], launch["revenue_usd"].sum(), f"revenue {step}")
        compute = g[g["kind"].isin(["cloud", "lab"])]
        mw = (compute["orbital_mw"] + compute["terrestrial_mw"]).sum()
        _check_shares(compute["share_compute"], mw, f"compute, step {step}")

    # money conserved, quarter by quarter
    m = market.set_index("step")
    launch_revenue = firms[firms["kind"] == "launch"].groupby("step")["revenue_usd"].sum()
    assert (labs["revenue_usd"] >= 0).all()  # AI services sold downstream
    np.testing.assert_allclose(labs["profit_usd"], labs["revenue_usd"] - labs["compute_cost_usd"])
    c = result.contracts  # the labs' launch payments, from the contracts they flew
    kg = np.where(c["take_or_pay"].astype(bool), c["reserved_kg"], c["kg"])
    paid = np.where((c["status"] == "active") & (kg > 0), c["price_usd_per_kg"] * kg, 0.0)
    step_of = dict(zip(m["quarter"], m.index, strict=True))
    lab_payments = (
        pd.Series(paid, index=c["quarter"].map(step_of).to_numpy())
        .groupby(level=0).sum().reindex(m.index, fill_value=0.0)
    )  # fmt: skip
    assert (lab_payments >= 0).all()
    expected = m["external_spend_usd"] + lab_payments
    np.testing.assert_allclose(launch_revenue, expected, rtol=1e-9, atol=1e-6)
    vehicles = vehicles.assign(
        spend=np.where(vehicles["external_launches"] > 0, vehicles["price_usd"], 0.0)
        * vehicles["external_launches"]
    )
    spend = vehicles.groupby("step")["spend"].sum()
    np.testing.assert_allclose(spend, m["external_spend_usd"], rtol=1e-9, atol=1e-6)
    mass = firms[firms["kind"].isin(["launch", "captive"])].groupby("step")["mass_launched_kg"]
    np.testing.assert_allclose(mass.sum(), m["global_mass_kg"], rtol=1e-9, atol=1e-6)

    # cash moves by exactly the quarter's profit
    for firm, g in firms.sort_values("step").groupby("firm"):
        moved = g["cash_usd"].diff().iloc[1:].to_numpy()
        np.testing.assert_allclose(
            moved, g["profit_usd"].iloc[1:].to_numpy(), rtol=1e-9, atol=1e-3, err_msg=firm
        )

    # launches within capacity; prices where there are sales
    assert (vehicles["launches"] <= vehicles["capacity_launches"] * (1 + 1e-9) + 1e-9).all()
    sold = vehicles[vehicles["external_launches"] > 0]
    assert sold["price_usd"].notna().all() and (sold["price_usd"] > 0).all()
    assert (sold["price_usd"] >= sold["unit_cost_usd"] * (1 - 1e-9)).all(), "priced below cost"

    # the spot solver's residual meets its documented (relative) tolerance
    payload = {v.name: v.external_payload_kg for v in scenario.vehicles}
    per_kg = vehicles["price_usd"] / vehicles["vehicle"].map(payload)
    top = per_kg.groupby(vehicles["step"]).max().fillna(0.0).clip(lower=1.0)
    assert (m["solver_residual"] <= 1e-12 * top * (1 + 1e-9)).all(), m["solver_residual"].max()

    # ratios are NaN only where undefined
    ext = m["external_spend_usd"] > 0
    lpi = m["launch_price_index_usd_per_kg"]
    assert lpi[ext].notna().all() and (lpi[ext] > 0).all()


def _check_shares(shares: pd.Series, activity: float, what: str) -> None:
    assert shares.notna().all(), f"NaN share ({what})"
    assert shares.between(0.0, 1.0 + 1e-12).all(), f"share outside [0, 1] ({what})"
    total = float(shares.sum())
    if activity > 0:
        assert math.isclose(total, 1.0, rel_tol=1e-9), f"shares sum to {total} ({what})"
    else:
        assert total == 0.0, f"shares sum to {total} with no activity ({what})"


def _specific(name: str, scenario, result) -> None:
    """What each extreme must show, beyond the generic checks."""
    f, m, v = result.firms, result.market, result.vehicles
    labs = f[f["kind"] == "lab"]
    launch = f[f["kind"] == "launch"]
    if name in ("zero-external-demand", "no-demand-at-all"):
        assert (m["external_spend_usd"] == 0).all() and (m["consumer_surplus_usd"] == 0).all()
        assert (v["external_launches"] == 0).all()
        assert m["launch_price_index_usd_per_kg"].isna().all()  # documented: no external kg
    if name in ("zero-lab-demand", "no-demand-at-all"):
        assert (m["orbital_mw"] == 0).all() and (v["orbital_compute_launches"] == 0).all()
        assert (labs["compute_cost_usd"] == 0).all() and (labs["profit_usd"] == 0).all()
    if name == "no-demand-at-all":
        assert (launch["revenue_usd"] == 0).all() and (launch["share_revenue"] == 0).all()
    if name == "zero-external-demand":
        assert (m["orbital_mw"] > 0).any(), "labs still launch orbital compute"
    if name == "single-launch-firm":
        assert set(launch["firm"]) == {"SpaceX"}
        selling = launch[launch["revenue_usd"] > 0]
        assert len(selling) and (selling["share_revenue"] == 1.0).all()
        assert set(v["provider"]) == {"SpaceX"}
    if name == "every-input-foreclosed":
        musk = {lab.name for lab in scenario.labs if lab.controller == "Musk"}
        assert musk == {"xAI"}
        for lab in scenario.labs:
            c = result.contracts
            spacex = c[(c["seller"] == "SpaceX") & (c["buyer"] == lab.name)]
            if lab.name in musk:  # integrated: never refused
                assert (spacex["status"] != "refused").all(), lab.name
            else:  # refused by SpaceX: nothing flies on SpaceX, other launchers stay open
                assert (spacex["status"] == "refused").all() and (spacex["kg"] == 0).all()
                others = c[(c["seller"] != "SpaceX") & (c["buyer"] == lab.name)]
                assert (others["status"] != "refused").all(), lab.name
    if name == "launch-nearly-free":
        assert (v["unit_cost_usd"] <= 1.0).all()
        # a logit Bertrand markup is ~1/alpha USD/kg even at zero cost: prices stay positive
        sold = v[v["external_launches"] > 0]
        assert len(sold) and (sold["price_usd"] > 1.0).all()
    if name == "launch-1e6-usd-per-kg":
        lpi = m["launch_price_index_usd_per_kg"].dropna()
        assert len(lpi) and (lpi >= 1e6 * (1 - 1e-9)).all()
        assert (m["orbital_mw"] < 1e-6).all(), "nobody builds orbital compute at $1M/kg"
    if name == "most-price-sensitive-buyers":
        assert (m["consumer_surplus_usd"] >= 0).all()
    if name == "most-external-missions":
        # demand far above capacity: every vehicle sells out (capacities bind)
        op = v[v["operational"] & (v["capacity_launches"] > 1e-9)]
        used = op["external_launches"] + op["orbital_compute_launches"] + op["starlink_launches"]
        np.testing.assert_allclose(used, op["capacity_launches"], rtol=1e-6)


# --------------------------------------------------------------------------- tests


def test_expected_errors_name_known_scenarios():
    assert set(EXPECTED_ERRORS) <= set(SCENARIOS)


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n not in EXPECTED_ERRORS])
def test_extreme_scenario_runs_and_gives_meaningful_frames(name, baseline):
    scenario, result = _run(name, baseline)
    _check_frames(scenario, result)
    _specific(name, scenario, result)


@pytest.mark.parametrize("name", list(EXPECTED_ERRORS))
def test_extreme_scenario_fails_as_pinned(name, baseline):
    kind, key, message = EXPECTED_ERRORS[name]
    with pytest.raises(kind, match=message) as info:
        _run(name, baseline)
    assert type(info.value) is kind, repr(info.value)
    assert getattr(info.value, "key", None) == key


def test_single_launch_firm_without_redirecting_a_lab_is_a_clear_scenario_error(baseline):
    """Removing a lab's long-term contract supplier without redirecting the lab names the
    field."""
    doc, src = baseline
    doc = copy.deepcopy(doc)
    doc["labs"][0]["contract_supplier"] = "Stoke"  # then Stoke disappears
    _only_spacex_keep_labs(doc)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(doc, src)
    assert info.value.key == "labs.OpenAI.contract_supplier"
    assert "unknown firm 'Stoke'" in str(info.value)


def _only_spacex_keep_labs(doc: dict) -> None:
    doc["providers"] = [p for p in doc["providers"] if p["name"] == "SpaceX"]
    doc["vehicles"] = [v for v in doc["vehicles"] if v["provider"] == "SpaceX"]


@pytest.mark.parametrize(
    ("player", "strategy"), [("OpenAI", "control-of-stoke"), ("OpenAI", "long-term-contract")]
)
def test_a_strategy_needing_a_removed_provider_is_a_clear_scenario_error(
    baseline, player, strategy
):
    doc, src = baseline
    doc = copy.deepcopy(doc)
    _only_spacex(doc)
    with pytest.raises(ScenarioError) as info:
        parse_scenario(apply_scenario_overrides(doc, {f"strategy.{player}": strategy}, src), src)
    assert info.value.key == f"strategy.{player}" and "Stoke" in str(info.value)


@pytest.mark.parametrize(
    "overrides",
    [
        ["external_demand.market_missions_per_year=0"],
        ["external_demand.market_missions_per_year=0"]
        + [f"labs.{lab}.compute_gw=0" for lab in ("OpenAI", "Anthropic", "Google DeepMind")]
        + [f"labs.{lab}.compute_gw=0" for lab in ("xAI", "Meta", "Amazon")],
    ],
    ids=["zero-external", "no-demand"],
)
def test_spacemarket_run_writes_clean_outputs_for_empty_markets(overrides, tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["run", "baseline-2026", "--seed", "5", "--steps", "4", "--out", str(out)]
    for item in overrides:
        argv += ["--set", item]
    assert main(argv) == 0, capsys.readouterr().err
    summary = (out / "summary.txt").read_text()
    assert not re.search(r"\b(nan|inf)\b", summary, flags=re.IGNORECASE), summary
    market = pd.read_parquet(out / "market.parquet")
    assert market["external_spend_usd"].eq(0).all()
