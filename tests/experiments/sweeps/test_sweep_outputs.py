"""A sweep's output directory: the contract other tools read, and reproducibility."""

import json
import tomllib

import pandas as pd

from spacemarket.experiments.cli.app import main
from spacemarket.experiments.sweeps import store
from spacemarket.experiments.sweeps.runner import run_sweep

OUTCOMES = [
    "spacex_mass_share_final",
    "launch_price_index_final",
    "hhi_launch_mass_final",
    "falcon_launches_total",
    "spacex_profit_total_usd",
    "starship_first_flight_year",
]


def test_directory_layout_and_plan(reference_sweep, design_text):
    out = reference_sweep
    assert (out / "design.toml").read_text() == design_text
    plan = store.load_plan(out)
    assert len(plan) == 18 and list(plan["run_id"]) == sorted(plan["run_id"])
    runs = sorted(p.name for p in (out / "runs").iterdir())
    assert runs == list(plan["run_id"])
    for rid in runs:
        files = sorted(p.name for p in (out / "runs" / rid).iterdir())
        assert files == ["events.parquet", "firms.parquet", "market.parquet", "outcomes.json"], rid
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert (manifest["runs_planned"], manifest["runs_done"], manifest["runs_failed"]) == (18, 18, 0)
    assert manifest["root_seed"] == 2026 and manifest["executor"].startswith("in-process")
    assert manifest["versions"]["numpy"] and "git_commit" in manifest
    assert manifest["wall_time_s"] > 0


def test_run_files_follow_the_contract(reference_sweep):
    out = reference_sweep
    plan = store.load_plan(out).set_index("run_id")
    rid = "s001-p01-r002"
    doc = json.loads((out / "runs" / rid / "outcomes.json").read_text())
    assert set(doc) == {"run_id", "status", "outcomes", "error", "traceback", "wall_time_s"}
    assert doc["run_id"] == rid and doc["status"] == "ok" and doc["error"] is None
    assert list(doc["outcomes"]) == OUTCOMES
    for kind, rows in (("market", 2), ("firms", 2 * 19)):
        frame = pd.read_parquet(out / "runs" / rid / f"{kind}.parquet")
        assert list(frame.columns[:4]) == ["run_id", "sample", "policy", "replication"]
        assert len(frame) == rows
        assert set(frame["run_id"]) == {rid}
        assert set(frame["sample"]) == {1} and set(frame["replication"]) == {2}
        assert set(frame["policy"]) == {plan.loc[rid, "policy"]}
        assert list(frame["step"].unique()) == [1, 2]


def test_outcomes_table_is_plan_plus_status_plus_outcomes(reference_sweep):
    out = reference_sweep
    table = pd.read_parquet(out / "outcomes.parquet")
    plan = store.load_plan(out)
    assert list(table.columns) == [*plan.columns, "status", *OUTCOMES]
    pd.testing.assert_frame_equal(table[plan.columns], plan)
    assert (table["status"] == "ok").all()
    for name in OUTCOMES:
        assert table[name].dtype == "float64"
    row = table.set_index("run_id").loc["s002-p00-r001"]
    doc = json.loads((out / "runs" / "s002-p00-r001" / "outcomes.json").read_text())
    for name in OUTCOMES:
        assert row[name] == doc["outcomes"][name]
    # the sampled Starship date reaches the run: the drawn entry is never before it
    q = table["vehicles.starship.first_flight"].str.slice(0, 4).astype(int)
    qq = table["vehicles.starship.first_flight"].str.slice(5).astype(int)
    assert (table["starship_first_flight_year"] >= q + (qq - 1) / 4).all()


def test_sampled_values_and_policies_change_the_runs(reference_sweep, write_design, tmp_path):
    table = store.load_outcomes(reference_sweep)
    # same (sample, replication) = same seed: policies differ only through their settings
    # (the reference design's bargaining weight only prices orbital-compute launches, which
    # the back-test does not have before 2026: compare two external demand levels instead)
    design = write_design(
        replace={
            '"compute.launch_bargaining_weight" = [0.3, 0.7]': (
                '"external_demand.market_missions_per_year" = [50.0, 70.0]'
            ),
            "replications = 3": "replications = 1",
        }
    )
    run_sweep(design, tmp_path / "levers", workers=1, quiet=True)
    levers = store.load_outcomes(tmp_path / "levers")
    by_policy = levers.pivot_table(
        index=["sample", "replication"], columns="policy", values="spacex_profit_total_usd"
    )
    assert (by_policy.iloc[:, 0] != by_policy.iloc[:, 1]).any()
    # replications of one cell differ (different seeds)
    reps = table[(table["sample"] == 0) & (table["policy"] == table["policy"].iloc[0])]
    assert (
        reps["starship_first_flight_year"].nunique() > 1
        or reps["spacex_mass_share_final"].nunique() > 1
    )


SMALL = {"replications = 3": "replications = 1"}  # 3 samples x 2 policies x 1 = 6 runs


def test_same_design_twice_is_byte_identical(write_design, tmp_path, assert_same_sweep):
    """(The executor tests also compare full sweeps with the reference, byte for byte.)"""
    design = write_design(replace=SMALL)
    for name in ("a", "b"):
        report = run_sweep(design, tmp_path / name, workers=1, quiet=True)
        assert report.ok == 6
    assert_same_sweep(tmp_path / "a", tmp_path / "b")
    assert (tmp_path / "a" / "plan.parquet").read_bytes() == (
        tmp_path / "b" / "plan.parquet"
    ).read_bytes()


def test_a_different_root_seed_gives_different_outcomes(reference_sweep, write_design, tmp_path):
    design = write_design(replace={**SMALL, "root_seed = 2026": "root_seed = 2027"})
    run_sweep(design, tmp_path / "other", workers=1, quiet=True)
    a = pd.read_parquet(reference_sweep / "outcomes.parquet")
    a = a[a["replication"] == 0].reset_index(drop=True)  # the same run ids as the small design
    b = pd.read_parquet(tmp_path / "other" / "outcomes.parquet")
    assert list(a["run_id"]) == list(b["run_id"])
    assert not a["external_demand.growth_per_year"].equals(b["external_demand.growth_per_year"])
    for name in ("spacex_mass_share_final", "spacex_profit_total_usd"):
        assert (a[name] != b[name]).all(), name
    assert set(b["seed_entropy"]) == {"2027"}


def test_non_empty_out_without_resume_is_refused(reference_sweep, write_design, capsys):
    before = (reference_sweep / "outcomes.parquet").read_bytes()
    code = main(["sweep", str(write_design()), "--out", str(reference_sweep), "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "--out" in err and "--resume" in err and len(err.splitlines()) == 1
    assert (reference_sweep / "outcomes.parquet").read_bytes() == before


def test_resume_refuses_a_different_design(reference_sweep, write_design, capsys):
    design = write_design(replace={"replications = 3": "replications = 4"})
    code = main(["sweep", str(design), "--out", str(reference_sweep), "--resume", "--quiet"])
    err = capsys.readouterr().err
    assert code == 2 and "design differs" in err


def test_resume_of_a_complete_sweep_runs_nothing(reference_sweep, tmp_path, design_text, snapshot):
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(reference_sweep, copy)
    design = tmp_path / "design.toml"
    design.write_text(design_text)
    report = run_sweep(design, copy, workers=2, resume=True, quiet=True)
    assert (report.skipped, report.executed, report.ok) == (18, 0, 18)
    assert snapshot(copy) == snapshot(reference_sweep)
    manifest = json.loads((copy / "manifest.json").read_text())
    assert manifest["resumed"] is True and manifest["runs_skipped"] == 18


def test_cli_progress_bar_and_summary_line(write_design, tmp_path, capsys):
    design = write_design(
        replace={"replications = 3": "replications = 1", "samples = 3": "samples = 1"}
    )
    code = main(["sweep", str(design), "--out", str(tmp_path / "o"), "--workers", "1"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "2/2" in err and "run/s" in err and "failed=0" in err  # tqdm on stderr
    assert "2 runs planned: 2 ok, 0 failed" in out
    code = main(["sweep", str(design), "--out", str(tmp_path / "q"), "--workers", "1", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0 and out == "" and err == ""


def test_design_copy_is_verbatim_and_parses(reference_sweep):
    doc = tomllib.loads((reference_sweep / "design.toml").read_text())
    assert doc["outcomes"] == OUTCOMES
