"""A run that raises is recorded with its error; the sweep completes; --resume reruns it."""

import json

import pandas as pd

from spacemarket.experiments.cli.app import main
from spacemarket.experiments.sweeps import task as sweep_mod
from spacemarket.experiments.sweeps.runner import run_sweep

FAILING = "s001-p01-r000"  # sample 1, bargaining weight 0.7, replication 0


def _fail_one_run(original):
    def simulate(scenario, seed, steps):
        if scenario.compute.launch_bargaining_weight == 0.7 and seed.spawn_key == (1, 1, 0):
            raise FloatingPointError("solver blew up (injected)")
        return original(scenario, seed, steps)

    return simulate


def test_failing_run_is_recorded_and_resume_reruns_it(
    monkeypatch, reference_sweep, write_design, tmp_path, capsys, assert_same_sweep
):
    design, out = write_design(), tmp_path / "out"
    monkeypatch.setattr(sweep_mod, "_simulate", _fail_one_run(sweep_mod._simulate))
    code = main(["sweep", str(design), "--out", str(out), "--workers", "1", "--quiet"])
    err = capsys.readouterr().err
    assert code == 3, err
    assert "1 of 18 runs failed" in err and "--resume" in err

    doc = json.loads((out / "runs" / FAILING / "outcomes.json").read_text())
    assert doc["status"] == "error" and doc["outcomes"] == {}
    assert doc["error"] == "FloatingPointError: solver blew up (injected)"
    assert "Traceback" in doc["traceback"] and "_simulate" not in doc["error"]
    assert sorted(p.name for p in (out / "runs" / FAILING).iterdir()) == ["outcomes.json"]

    table = pd.read_parquet(out / "outcomes.parquet")
    assert table.loc[table["status"] == "error", "run_id"].tolist() == [FAILING]
    assert table.set_index("run_id").loc[FAILING, ["spacex_mass_share_final"]].isna().all()
    ok = table[table["status"] == "ok"]
    ref = pd.read_parquet(reference_sweep / "outcomes.parquet")
    ref_ok = ref[ref["run_id"] != FAILING]
    pd.testing.assert_frame_equal(ok.reset_index(drop=True), ref_ok.reset_index(drop=True))
    manifest = json.loads((out / "manifest.json").read_text())
    assert (manifest["runs_done"], manifest["runs_failed"]) == (17, 1)

    code = main(["summarize", str(out)])
    text = capsys.readouterr().out
    assert code == 0
    assert "(9 ok, 0 failed)" in text and "(8 ok, 1 failed)" in text
    assert f"{FAILING}: FloatingPointError: solver blew up (injected)" in text

    # the cause is fixed: --resume reruns only the failed run
    monkeypatch.undo()
    stamps = {p.parent.name: p.stat().st_mtime_ns for p in out.glob("runs/*/outcomes.json")}
    report = run_sweep(design, out, workers=1, resume=True, quiet=True)
    assert (report.skipped, report.executed, report.ok, report.failed) == (17, 1, 18, 0)
    for rid, stamp in stamps.items():
        now = (out / "runs" / rid / "outcomes.json").stat().st_mtime_ns
        assert (now == stamp) == (rid != FAILING), rid
    assert_same_sweep(reference_sweep, out)


def test_run_time_scenario_error_does_not_stop_the_sweep(design_text, write_design, tmp_path):
    """Each override passes validation alone; some combinations do not, and fail at run time."""
    text = """\
scenario = "backtest-2023"
steps = 2
replications = 1
root_seed = 5
outcomes = ["spacex_mass_share_final"]
[sampling]
method = "lhs"
samples = 4
[uncertainties."vehicles.falcon-9.external_payload_kg"]
low = 4000.0
high = 8000.0
[[policies]]
name = "as-is"
[[policies]]
name = "small-falcon"
set = { "vehicles.falcon-9.payload_capacity_kg" = 6000.0 }
"""
    design = write_design(text)
    report = run_sweep(design, tmp_path / "o", workers=2, quiet=True)
    table = pd.read_parquet(tmp_path / "o" / "outcomes.parquet")
    bad = table[
        (table["policy"] == "small-falcon")
        & (table["vehicles.falcon-9.external_payload_kg"] > 6000.0)
    ]
    assert len(bad) >= 1
    assert (bad["status"] == "error").all()
    assert (table.drop(bad.index)["status"] == "ok").all()
    assert report.failed == len(bad) and report.ok == len(table) - len(bad)
    doc = json.loads(
        (tmp_path / "o" / "runs" / bad["run_id"].iloc[0] / "outcomes.json").read_text()
    )
    assert "exceeds payload_capacity_kg" in doc["error"]
    assert doc["error"].startswith("ScenarioError: ")
