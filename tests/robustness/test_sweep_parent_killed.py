"""A sweep whose parent process is killed or terminated leaves no process behind.

The real command line runs the robustness design (12 runs) in a subprocess on a 2-worker
``forkserver`` pool. Once runs have finished and both workers exist, the test records every
process the sweep started (its descendants, through the parent links in ``/proc``: the fork
server, the resource tracker and the two workers, which are children of the fork server) and
then signals the parent alone, as the OOM killer, ``kill PID`` or a container runtime would
(not its process group, which would take the workers down too).

- SIGKILL: within a few seconds none of the recorded processes is alive (before the fix the
  workers waited for tasks forever and kept the fork server and the resource tracker up);
  ``--resume`` takes over the lock the dead sweep left, says so, and ends byte-identical to
  an uninterrupted sweep.
- SIGTERM, with :func:`spacemarket.experiments.outputs.signals.install_sigterm_handler` installed as
  the command line does: the same clean stop as Ctrl-C: exit 130, manifest ``interrupted``
  and consistent with the runs on disk (the pool is killed before the manifest is written and
  the lock released, so no run finishes afterwards), lock file removed, no process left.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from spacemarket.experiments.cli.app import main

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/stat").exists() or not hasattr(signal, "SIGKILL"),
    reason="needs POSIX signals and /proc",
)

#: Runs the sweep's command line; installs the SIGTERM handler first when argv[1] says so.
BOOT = """\
import sys
if sys.argv[1] == "sigterm-handler":
    from spacemarket.experiments.outputs.signals import install_sigterm_handler
    install_sigterm_handler()
from spacemarket.experiments.cli.app import main
sys.exit(main(sys.argv[2:]))
"""

#: Seconds within which every process of a killed sweep must be gone.
GONE_WITHIN_S = 10.0


# --------------------------------------------------------------------------- process tree


def _stat(pid: int) -> tuple[int, str, int] | None:
    """(ppid, state, start time in clock ticks) of ``pid``, or None if there is none."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return int(fields[1]), fields[0], int(fields[19])


def _descendants(root: int) -> dict[int, int]:
    """Every process below ``root``: {pid: start time} (the start time tells a reused pid)."""
    children: dict[int, list[int]] = {}
    start: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        st = _stat(int(entry.name))
        if st is not None:
            children.setdefault(st[0], []).append(int(entry.name))
            start[int(entry.name)] = st[2]
    found: dict[int, int] = {}
    todo = [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found[child] = start[child]
            todo.append(child)
    return found


def _alive(procs: dict[int, int]) -> list[int]:
    """The recorded processes still running (a zombie has ended; a reused pid is another)."""
    out = []
    for pid, started in procs.items():
        st = _stat(pid)
        if st is not None and st[2] == started and st[1] not in ("Z", "X"):
            out.append(pid)
    return out


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:120]
    except OSError:
        return "?"


def _wait_gone(procs: dict[int, int], timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := _alive(procs)) and time.monotonic() < deadline:
        time.sleep(0.02)
    return left


def _kill_leftovers(procs: dict[int, int]) -> None:
    for pid in _alive(procs):  # only what this test started, checked by start time
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


# --------------------------------------------------------------------------- the sweep


def _finished(out: Path) -> int:
    return len(list(out.glob("runs/*/outcomes.json")))


def _ok_on_disk(out: Path) -> int:
    return sum(
        json.loads(p.read_text())["status"] == "ok" for p in out.glob("runs/*/outcomes.json")
    )


def _start_and_record(design: Path, out: Path, log: Path, mode: str):
    """Start the sweep; once runs finished and the pool is up, return (process, its tree)."""
    env = {**os.environ, "PYTHONHASHSEED": "random", "MPLBACKEND": "Agg"}
    argv = ["sweep", str(design), "--out", str(out), "--workers", "2", "--quiet"]
    with log.open("w") as err:  # a file, not a pipe: a leftover process would hold a pipe open
        proc = subprocess.Popen(
            [sys.executable, "-c", BOOT, mode, *argv],
            stdout=subprocess.DEVNULL,
            stderr=err,
            env=env,
            start_new_session=True,
        )
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            pytest.fail(f"the sweep exited ({proc.returncode}) early: {log.read_text()}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("timed out waiting for finished runs and a running pool")
        if _finished(out) >= 2:
            tree = _descendants(proc.pid)
            # the fork server, the resource tracker and two workers (spawn: no fork server)
            if len(tree) >= 3:
                return proc, tree
        time.sleep(0.005)


def test_sigkill_to_the_parent_leaves_no_process_and_resume_takes_over_the_lock(
    tmp_path, write_design, reference_sweep, assert_same_sweep, design_runs, caplog
):
    design, out = write_design(), tmp_path / "killed"
    proc, tree = _start_and_record(design, out, tmp_path / "stderr.txt", "plain")
    try:
        os.kill(proc.pid, signal.SIGKILL)  # the parent alone
        done_at_kill = _finished(out)
        left = _wait_gone(tree, GONE_WITHIN_S)  # the parent not yet reaped: a zombie
        assert not left, (
            f"{len(left)} of the {len(tree)} processes the sweep started are alive "
            f"{GONE_WITHIN_S:.0f} s after SIGKILL to it: "
            + "; ".join(f"{pid} {_cmdline(pid)}" for pid in left)
        )
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        _kill_leftovers(tree)
    assert done_at_kill < design_runs, "the sweep finished before it was killed"

    # the dead sweep's lock file names it; the flock died with it
    owner = json.loads((out / ".sweep.lock").read_text())
    assert isinstance(owner, dict), f"the lock file records no owner: {owner!r}"
    assert owner["pid"] == proc.pid and owner["host"] and owner["started"], owner
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"

    with caplog.at_level(logging.WARNING, logger="spacemarket.experiments.sweeps.lock"):
        code = main(["sweep", str(design), "--out", str(out), "--resume", "--quiet"])
    assert code == 0
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "taking over the lock" in warning and f"pid {proc.pid}" in warning, warning
    assert not (out / ".sweep.lock").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["runs_done"] == design_runs
    assert_same_sweep(reference_sweep, out)


def test_sigterm_to_the_parent_stops_like_ctrl_c_and_leaves_no_process(
    tmp_path, write_design, reference_sweep, assert_same_sweep, design_runs
):
    design, out, log = write_design(), tmp_path / "terminated", tmp_path / "stderr.txt"
    proc, tree = _start_and_record(design, out, log, "sigterm-handler")
    try:
        os.kill(proc.pid, signal.SIGTERM)  # the parent alone, as `kill PID` does
        code = proc.wait(timeout=30)
        left = _wait_gone(tree, GONE_WITHIN_S)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        _kill_leftovers(tree)
    err = log.read_text()
    assert code == 130, err
    assert "interrupted" in err and "--resume" in err and "Traceback" not in err, err
    assert not left, "left running: " + "; ".join(f"{pid} {_cmdline(pid)}" for pid in left)
    assert not (out / ".sweep.lock").exists()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "interrupted" and manifest["runs_pending"] > 0, manifest
    # the pool was stopped before the manifest and the lock: no run finished after them
    assert manifest["runs_done"] == _ok_on_disk(out), (manifest["runs_done"], _ok_on_disk(out))

    assert main(["sweep", str(design), "--out", str(out), "--resume", "--quiet"]) == 0
    assert json.loads((out / "manifest.json").read_text())["runs_done"] == design_runs
    assert_same_sweep(reference_sweep, out)
