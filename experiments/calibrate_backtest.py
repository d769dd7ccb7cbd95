"""Reproduce the calibrated values marked (cal) in the backtest-2023 preset.

The contestable launch market is calibrated once, to 2023, as in merger simulation (Werden
and Froeb 1994; Nevo 2000): Berry's (1994) inversion of the observed external missions at list
prices gives each vehicle's mean utility, Falcon 9's known cost pins the price sensitivity
through SpaceX's first-order condition, and every other vehicle's cost follows from its
provider's first-order condition (:mod:`spacemarket.market.economics.launch_calibration`).
Targets and sources: ``src/spacemarket/market/data/calibration_2023.toml``. The script prints
each calibrated value beside the preset's and exits 1 if any differs beyond the preset's
rounding.

    .venv/bin/python experiments/calibrate_backtest.py
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from importlib import resources

from _common import run_script

from spacemarket.errors import InputError
from spacemarket.market.economics.launch_calibration import calibrate_launch_market
from spacemarket.market.scenario import load_scenario

PRESET = "backtest-2023"
DATA = "calibration_2023.toml"
#: Relative tolerance: the preset stores mean utilities to 4 decimals, costs to 3 figures.
RTOL = {"mean_utility": 5e-5, "launch_cost_usd": 1.5e-3, "alpha": 5e-5, "market": 1e-9}


def targets() -> dict:
    """The calibration targets file, checked: missions per vehicle, outside share, anchor."""
    path = resources.files("spacemarket.market.data").joinpath(DATA)
    doc = tomllib.loads(path.read_text(encoding="utf-8"))
    for key in ("outside_share", "anchor_vehicle", "anchor_cost_usd", "missions"):
        if key not in doc:
            raise InputError(key, "missing", DATA)
    missions = {k: v for k, v in doc["missions"].items() if k not in ("source", "date")}
    if not missions or any(not isinstance(v, int | float) or v <= 0 for v in missions.values()):
        raise InputError("missions", "every vehicle needs a positive mission count", DATA)
    if not 0.0 < doc["outside_share"] < 1.0:
        raise InputError("outside_share", f"must be in (0, 1), got {doc['outside_share']}", DATA)
    return {**doc, "missions": missions}


def rows() -> list[tuple[str, float, float, float]]:
    """(quantity, calibrated, preset, tolerance) for every (cal) value of the preset."""
    t = targets()
    s = load_scenario(PRESET)
    vehicles = {v.name: v for v in s.vehicles}
    controller = {p.name: p.controller for p in s.providers}
    names = list(t["missions"])
    unknown = [n for n in names if n not in vehicles]
    if unknown:
        raise InputError("missions", f"no vehicle {unknown[0]!r} in {PRESET}", DATA)
    cal = calibrate_launch_market(
        t["missions"],
        {n: vehicles[n].list_price_usd for n in names},
        {n: vehicles[n].external_payload_kg for n in names},
        {n: controller[vehicles[n].provider] for n in names},
        t["outside_share"],
        t["anchor_vehicle"],
        t["anchor_cost_usd"],
    )
    out = [
        ("price sensitivity, per USD/kg", cal.alpha_per_usd_per_kg,
         s.external_demand.price_sensitivity_per_usd_per_kg, RTOL["alpha"]),
        ("market size, missions per year", cal.market_missions,
         s.external_demand.market_missions_per_year, RTOL["market"]),
    ]  # fmt: skip
    for n in names:
        out.append((f"{n} mean utility", cal.mean_utility[n], vehicles[n].mean_utility,
                    RTOL["mean_utility"]))  # fmt: skip
        if n != t["anchor_vehicle"]:
            out.append((f"{n} cost per launch, USD", cal.launch_cost_usd[n],
                        vehicles[n].launch_cost_usd, RTOL["launch_cost_usd"]))  # fmt: skip
    return out


def main(argv: list[str] | None = None) -> int:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args(argv)
    bad = 0
    print(f"{'quantity':36s} {'calibrated':>16s} {'preset':>16s}  match")
    for name, got, preset, rtol in rows():
        ok = abs(got - preset) <= rtol * abs(got)
        bad += not ok
        print(f"{name:36s} {got:16.6g} {preset:16.6g}  {'yes' if ok else 'NO'}")
    print("every (cal) value reproduced" if not bad else f"{bad} value(s) differ", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(run_script(main))
