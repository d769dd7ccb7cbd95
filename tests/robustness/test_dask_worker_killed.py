"""A Dask worker process killed (SIGKILL) in the middle of a sweep loses nothing.

``run_sweep(..., dask_local=2)`` runs in this process (scheduler, client and the nannies of
its LocalCluster live here; each worker is a child process). Once a few runs have finished, a
thread asks the scheduler which worker is processing runs, and kills that worker's process
with SIGKILL, as the OOM killer would. Dask's nanny restarts it and the scheduler reschedules
the runs it held; the sweep must complete with every run ok and with outcomes.parquet, the
plan, every run's frames and every run's outcomes.json (less its wall time) identical to an
in-process (``workers=1``) sweep of the same design.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from spacemarket.experiments.sweeps import executors as sweep_mod
from spacemarket.experiments.sweeps.runner import run_sweep

pytest.importorskip("distributed")


def _finished(out: Path) -> int:
    return len(list(out.glob("runs/*/outcomes.json")))


class _Killer(threading.Thread):
    """Kill the process of a Dask worker that is processing runs, once ``after`` are done."""

    def __init__(self, out: Path, pools: list, after: int, total: int) -> None:
        super().__init__(daemon=True)
        self.out, self.pools, self.after, self.total = out, pools, after, total
        self.stop = threading.Event()
        self.killed_pid: int | None = None
        self.victim_keys: list = []
        self.done_at_kill: int | None = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._run()
        except BaseException as exc:  # reported by the test
            self.error = exc

    def _run(self) -> None:
        deadline = time.monotonic() + 120
        while not self.stop.is_set() and time.monotonic() < deadline:
            if self.pools and self.pools[0].get("pids") and _finished(self.out) >= self.after:
                break
            time.sleep(0.002)
        else:
            return
        pool = self.pools[0]
        client, pids = pool["client"], pool["pids"]
        # the scheduler's view: which worker holds runs right now
        for _ in range(500):
            busy = {w: keys for w, keys in client.processing().items() if keys and w in pids}
            if busy:
                break
            time.sleep(0.002)
        else:
            raise RuntimeError("no Dask worker was processing a run")
        worker = sorted(busy)[0]
        self.victim_keys = list(busy[worker])
        self.done_at_kill = _finished(self.out)
        self.killed_pid = pids[worker]
        os.kill(self.killed_pid, signal.SIGKILL)


def test_sigkill_of_a_dask_worker_mid_sweep_matches_an_in_process_sweep(
    reference_sweep, write_design, tmp_path, monkeypatch, assert_same_sweep, design_runs
):
    pools: list[dict] = []
    original_check = sweep_mod.DaskPool.check_workers

    def check_workers(self, out_dir):  # runs in the sweep's thread, before any run is submitted
        original_check(self, out_dir)
        pids = self.client.run(os.getpid)
        assert len(pids) == 2 and os.getpid() not in pids.values()
        pools.append({"client": self.client, "pids": pids})

    monkeypatch.setattr(sweep_mod.DaskPool, "check_workers", check_workers)
    out = tmp_path / "dask"
    killer = _Killer(out, pools, after=2, total=design_runs)
    killer.start()
    try:
        report = run_sweep(write_design(), out, dask_local=2, quiet=True)
    finally:
        killer.stop.set()
        killer.join(timeout=30)
    assert killer.error is None, repr(killer.error)
    assert killer.killed_pid is not None, "no worker was killed"
    assert killer.victim_keys, "the killed worker held no run"
    assert 2 <= killer.done_at_kill < design_runs, f"killed after {killer.done_at_kill} runs"
    with pytest.raises(ProcessLookupError):  # it is gone (and was reaped by its nanny)
        os.kill(killer.killed_pid, 0)

    assert report.executor == "dask LocalCluster (2 workers)"
    assert (report.planned, report.ok, report.failed) == (design_runs, design_runs, 0)
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_done"] == design_runs
    assert not list(out.rglob("*.tmp")), "a killed writer left a temporary file"

    a = pd.read_parquet(reference_sweep / "outcomes.parquet")
    b = pd.read_parquet(out / "outcomes.parquet")
    pd.testing.assert_frame_equal(a, b)
    assert (b["status"] == "ok").all()
    assert_same_sweep(reference_sweep, out)  # byte for byte, every file but the manifest
