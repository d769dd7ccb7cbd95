"""The readers in sweep_store: streaming run frames, outcomes of complete and partial sweeps."""

import inspect
import json
import shutil

import pandas as pd
import pytest

from spacemarket.experiments.sweeps import store


def test_iter_run_frames_streams_one_run_at_a_time_in_order(reference_sweep):
    it = store.iter_run_frames(reference_sweep, "market")
    assert inspect.isgenerator(it)
    first = next(it)
    assert set(first["run_id"]) == {"s000-p00-r000"}
    ids = [first["run_id"].iloc[0]] + [f["run_id"].iloc[0] for f in it]
    assert ids == list(store.load_plan(reference_sweep)["run_id"])
    firms = store.load_frames(reference_sweep, "firms")
    assert len(firms) == 18 * 2 * 19
    assert list(firms.columns[:4]) == ["run_id", "sample", "policy", "replication"]
    with pytest.raises(ValueError, match="kind"):
        next(store.iter_run_frames(reference_sweep, "vehicles"))


def test_completed_run_ids_and_outcomes_of_a_partial_sweep(reference_sweep, tmp_path):
    part = tmp_path / "partial"
    shutil.copytree(reference_sweep, part)
    plan = store.load_plan(part)
    # simulate an interrupted sweep: two runs never finished, one failed, manifest "running"
    for rid in plan["run_id"][:2]:
        (part / "runs" / rid / "outcomes.json").unlink()
    failed = plan["run_id"].iloc[5]
    store.write_run_status(part, failed, "error", {}, "ValueError: x", "tb", 0.1)
    manifest = json.loads((part / "manifest.json").read_text())
    manifest["status"] = "running"
    (part / "manifest.json").write_text(json.dumps(manifest))

    assert store.completed_run_ids(part) == list(plan["run_id"][2:].drop(5))
    assert len(store.completed_run_ids(part, status=None)) == 16
    table = store.load_outcomes(part)  # rebuilt from the run files, not the stale parquet
    assert table["status"].tolist()[:2] == ["pending", "pending"]
    assert table.set_index("run_id").loc[failed, "status"] == "error"
    assert table.set_index("run_id").loc[failed, ["spacex_mass_share_final"]].isna().all()
    assert (table["status"] == "ok").sum() == 15
    assert len(list(store.iter_run_frames(part, "market"))) == 15
    stale = pd.read_parquet(part / "outcomes.parquet")
    assert (stale["status"] == "ok").all()


def test_load_outcomes_of_a_complete_sweep_reads_the_parquet(reference_sweep):
    table = store.load_outcomes(reference_sweep)
    pd.testing.assert_frame_equal(table, pd.read_parquet(reference_sweep / "outcomes.parquet"))
    pd.testing.assert_frame_equal(table, store.build_outcomes_table(reference_sweep))


def test_not_a_sweep_directory(tmp_path):
    with pytest.raises(store.NotASweepError, match="not a sweep directory"):
        store.load_plan(tmp_path)


def test_status_json_has_null_for_nan(tmp_path):
    store.run_dir(tmp_path, "r").mkdir(parents=True)
    store.write_run_status(tmp_path, "r", "ok", {"a": float("nan"), "b": 1.5}, wall_time_s=0.2)
    doc = json.loads((tmp_path / "runs" / "r" / "outcomes.json").read_text())
    assert doc["outcomes"] == {"a": None, "b": 1.5}
    assert not list((tmp_path / "runs" / "r").glob(".*.tmp"))
