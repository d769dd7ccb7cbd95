"""Results do not depend on the executor, the number of workers or interruptions.

Each test runs the real command line in a subprocess and compares every output file with the
in-process (1 worker) reference sweep of the same design, byte for byte.
"""

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from spacemarket.experiments.cli.app import main

N_RUNS = 18


def _finished(out: Path) -> int:
    return len(list(out.glob("runs/*/outcomes.json")))


def _wait_for(predicate, proc, timeout=90.0, what="condition"):
    deadline = time.monotonic() + timeout
    while not predicate():
        if proc.poll() is not None:
            pytest.fail(f"the sweep exited (code {proc.returncode}) before {what}")
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.003)


def test_two_workers_and_a_local_dask_cluster_match_one_worker(
    reference_sweep, write_design, tmp_path, spacemarket_cli, assert_same_sweep
):
    pytest.importorskip("distributed")
    design = write_design()
    for name, flags in (("pool", ["--workers", "2"]), ("dask", ["--dask-local", "2"])):
        out = tmp_path / name
        r = spacemarket_cli("sweep", design, "--out", out, "--quiet", *flags)
        assert r.returncode == 0, r.stderr
        assert_same_sweep(reference_sweep, out)
        manifest = json.loads((out / "manifest.json").read_text())
        expected = "process pool" if name == "pool" else "dask LocalCluster (2 workers)"
        assert manifest["executor"].startswith(expected), manifest["executor"]
        assert manifest["runs_done"] == N_RUNS


def test_sigkill_mid_sweep_then_resume_equals_an_uninterrupted_sweep(
    reference_sweep, write_design, tmp_path, cli_command, spacemarket_cli, assert_same_sweep
):
    design = write_design()
    out = tmp_path / "killed"
    proc = subprocess.Popen(
        [*cli_command, "sweep", str(design), "--out", str(out), "--workers", "2", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: the kill takes the workers too
    )
    try:
        _wait_for(lambda: _finished(out) >= 3, proc, what="three finished runs")
        os.killpg(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    done_at_kill = _finished(out)
    assert 3 <= done_at_kill < N_RUNS, f"{done_at_kill} runs finished: not killed mid-way"
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    assert not (out / "outcomes.parquet").exists()

    r = spacemarket_cli("sweep", design, "--out", out, "--workers", "2", "--resume", "--quiet")
    assert r.returncode == 0, r.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["runs_skipped"] == done_at_kill
    assert manifest["runs_skipped"] + manifest["runs_executed"] == N_RUNS
    assert manifest["runs_done"] == N_RUNS and manifest["status"] == "complete"
    # no run lost, none duplicated, no stray temporary file: the very same files and bytes
    assert_same_sweep(reference_sweep, out)


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _pool_workers(pid: int) -> list[int]:
    """Worker processes of the sweep's pool (forked from the forkserver, or spawned)."""
    workers = []
    for child in _children(pid):
        line = _cmdline(child)
        if "forkserver" in line:
            workers += [w for w in _children(child) if "forkserver" in _cmdline(w)]
        elif "spawn_main" in line:
            workers.append(child)
    return workers


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_a_worker_killed_by_the_os_is_replaced_and_no_run_is_lost(
    reference_sweep, write_design, tmp_path, cli_command, assert_same_sweep
):
    design = write_design()
    out = tmp_path / "oom"
    proc = subprocess.Popen(
        [*cli_command, "sweep", str(design), "--out", str(out), "--workers", "2", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for(
            lambda: _finished(out) >= 1 and _pool_workers(proc.pid),
            proc,
            what="a running pool worker",
        )
        victim = _pool_workers(proc.pid)[0]
        os.kill(victim, signal.SIGKILL)  # as the OOM killer would
        _, err = proc.communicate(timeout=120)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 0, err
    assert "worker process died" in err
    assert_same_sweep(reference_sweep, out)


def test_dask_missing_is_a_clear_error(monkeypatch, write_design, tmp_path, capsys):
    import sys

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    code = main(["sweep", str(write_design()), "--out", str(tmp_path / "o"), "--dask-local", "2"])
    err = capsys.readouterr().err
    assert code == 2 and "--dask-local" in err and "spacemarket[dask]" in err
    assert not (tmp_path / "o").exists()


def test_workers_and_dask_flags_conflict(write_design, tmp_path, capsys):
    code = main(
        [
            "sweep",
            str(write_design()),
            "--out",
            str(tmp_path / "o"),
            "--workers",
            "2",
            "--dask-local",
            "2",
        ]
    )
    assert code == 2 and "--workers" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(
            [
                "sweep",
                str(write_design()),
                "--out",
                str(tmp_path / "o"),
                "--scheduler",
                "tcp://x:1",
                "--dask-local",
                "2",
            ]
        )
    assert not (tmp_path / "o").exists()


def test_ctrl_c_stops_cleanly_and_resume_finishes(
    reference_sweep, write_design, tmp_path, cli_command, assert_same_sweep
):
    design = write_design()
    out = tmp_path / "int"
    proc = subprocess.Popen(
        [*cli_command, "sweep", str(design), "--out", str(out), "--workers", "2", "--quiet"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        _wait_for(lambda: _finished(out) >= 2, proc, what="two finished runs")
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C reaches the whole foreground group
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["runs_pending"] > 0
    assert not (out / ".sweep.lock").exists()
    r = subprocess.run(
        [*cli_command, "sweep", str(design), "--out", str(out), "--resume", "--quiet"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert_same_sweep(reference_sweep, out)


def test_a_second_sweep_into_a_busy_directory_is_refused(
    reference_sweep, design_text, tmp_path, capsys
):
    import shutil

    from spacemarket.experiments.sweeps.lock import exclusive

    out = tmp_path / "busy"
    shutil.copytree(reference_sweep, out)
    design = tmp_path / "design.toml"
    design.write_text(design_text)
    before = (out / "manifest.json").read_bytes()
    with exclusive(out):  # what a running sweep holds (flock: per open file, so this works)
        code = main(["sweep", str(design), "--out", str(out), "--resume", "--quiet"])
        err = capsys.readouterr().err
    assert code == 2 and "another sweep" in err and str(os.getpid()) in err
    assert (out / "manifest.json").read_bytes() == before
    assert not (out / ".sweep.lock").exists()
    assert main(["sweep", str(design), "--out", str(out), "--resume", "--quiet"]) == 0
