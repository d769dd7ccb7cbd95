"""The lock of a sweep directory (``DIR/.sweep.lock``): who holds it, and a dead owner's file.

The mutual exclusion is an ``flock`` on the file, which the kernel releases when its holder
dies; the file records the holder (pid, host, start time). A live holder makes another sweep
refuse, naming it; a file left by a holder that is gone (killed, or written by an earlier
version) is taken over with a warning. The holder here is a separate process that enters
:func:`spacemarket.experiments.sweeps.lock.exclusive` and waits, as a running sweep does.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from spacemarket.errors import InputError
from spacemarket.experiments.cli.app import main
from spacemarket.experiments.sweeps.lock import LOCK, exclusive

fcntl = pytest.importorskip("fcntl")

HOLD = """\
import sys
from pathlib import Path
from spacemarket.experiments.sweeps.lock import exclusive
with exclusive(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.read()
"""


def _dead_pid() -> int:
    """The pid of a process that has ended (and been waited for)."""
    proc = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], stdout=-1)
    return int(proc.stdout)


@pytest.fixture
def finished_sweep(reference_sweep, design_text, tmp_path) -> tuple[Path, Path]:
    """(design, DIR): a copy of the reference sweep, which ``--resume`` finds complete."""
    out = tmp_path / "sweep"
    shutil.copytree(reference_sweep, out)
    design = tmp_path / "design.toml"
    design.write_text(design_text)
    return design, out


def test_a_live_owner_is_named_and_refuses_and_its_lock_is_taken_over_once_it_is_killed(
    finished_sweep, capsys, caplog
):
    design, out = finished_sweep
    resume = ["sweep", str(design), "--out", str(out), "--resume", "--quiet", "--workers", "1"]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(out)], stdin=-1, stdout=-1, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        record = (out / LOCK).read_text()
        before = (out / "manifest.json").read_bytes()

        assert main(resume) == 2
        err = capsys.readouterr().err
        assert "another sweep" in err and f"pid {holder.pid}" in err, err
        assert f"on host {socket.gethostname()}" in err and "started 20" in err, err
        assert (out / LOCK).read_text() == record, "the refused sweep touched the owner's lock"
        assert (out / "manifest.json").read_bytes() == before
    finally:
        holder.kill()  # SIGKILL: no clean-up, the lock file stays
        holder.wait()
        holder.stdout.close()
        holder.stdin.close()
    assert json.loads((out / LOCK).read_text())["pid"] == holder.pid

    with caplog.at_level(logging.WARNING, logger="spacemarket.experiments.sweeps.lock"):
        assert main(resume) == 0
    warning = " ".join(r.getMessage() for r in caplog.records)
    assert "taking over the lock" in warning and f"pid {holder.pid}" in warning, warning
    assert not (out / LOCK).exists()


@pytest.mark.parametrize("kind", ["pid only (earlier versions)", "not a record"])
def test_a_lock_file_left_behind_never_blocks(tmp_path, caplog, kind):
    text = f"{_dead_pid()}\n" if kind.startswith("pid") else "garbage {"
    (tmp_path / LOCK).write_text(text)
    with caplog.at_level(logging.WARNING, logger="spacemarket.experiments.sweeps.lock"):
        with exclusive(tmp_path):
            owner = json.loads((tmp_path / LOCK).read_text())
            assert owner["pid"] == os.getpid() and owner["host"] == socket.gethostname()
    assert "taking over the lock" in caplog.text
    assert not (tmp_path / LOCK).exists()


def test_the_lock_is_not_taken_on_a_file_its_previous_owner_just_removed(tmp_path, monkeypatch):
    """An owner that ends removes the file and then releases the flock. A sweep that opened
    the file before the removal gets the flock of a file no other sweep will ever open: it
    must start again with the file now at the path, or two sweeps would both hold "the"
    lock."""
    path = tmp_path / LOCK
    path.write_text(json.dumps({"pid": _dead_pid(), "host": socket.gethostname()}))
    real_flock, calls = fcntl.flock, []

    def flock(fd, operation):
        if not calls:  # between our open and our flock, the owner removes its file
            path.unlink()
        calls.append(operation)
        return real_flock(fd, operation)

    monkeypatch.setattr(fcntl, "flock", flock)
    with exclusive(tmp_path):
        assert path.is_file(), "the lock is held on a removed file"
        assert json.loads(path.read_text())["pid"] == os.getpid()
        with pytest.raises(InputError, match="another sweep"):  # a second sweep is refused
            with exclusive(tmp_path):
                pass
    assert not path.exists()


def test_without_flock_the_recorded_pid_decides(tmp_path, monkeypatch, caplog):
    """On a filesystem without ``flock`` (it fails with ENOLCK) a recorded owner that is
    alive, or on another host, refuses; one that ended is taken over; no record, no owner."""

    def no_flock(fd, operation):
        raise OSError(errno.ENOLCK, os.strerror(errno.ENOLCK))

    monkeypatch.setattr(fcntl, "flock", no_flock)
    path = tmp_path / LOCK
    host = socket.gethostname()

    with exclusive(tmp_path):  # nothing recorded
        assert json.loads(path.read_text())["pid"] == os.getpid()
    assert not path.exists()

    alive = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=-1)
    try:
        for owner in ({"pid": alive.pid, "host": host}, {"pid": 1, "host": f"not-{host}"}):
            path.write_text(json.dumps(owner))
            with pytest.raises(InputError, match=f"another sweep \\(pid {owner['pid']} on") as exc:
                with exclusive(tmp_path):
                    pass
            assert f"delete {path}" in str(exc.value)  # it cannot be checked: say what to do
            assert json.loads(path.read_text()) == owner
    finally:
        alive.kill()
        alive.wait()
        alive.stdin.close()

    dead = _dead_pid()
    path.write_text(json.dumps({"pid": dead, "host": host}))
    with caplog.at_level(logging.WARNING, logger="spacemarket.experiments.sweeps.lock"):
        with exclusive(tmp_path):
            assert json.loads(path.read_text())["pid"] == os.getpid()
    assert "taking over the lock" in caplog.text and f"pid {dead}" in caplog.text
    assert not path.exists()
