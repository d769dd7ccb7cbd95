"""The lock of a sweep's output directory: two sweeps never write to one directory at once.

:func:`exclusive` holds ``DIR/.sweep.lock`` (an ``flock``, released by the kernel when its
holder dies) and records its holder in it (JSON: ``pid``, ``host``, ``started``)."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import socket
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from spacemarket.errors import InputError
from spacemarket.experiments.outputs.signals import process_alive

__all__ = ["LOCK", "exclusive"]

log = logging.getLogger(__name__)

LOCK = ".sweep.lock"


def _lock_record() -> dict[str, Any]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
    }


def _read_lock_record(handle: Any) -> dict[str, Any] | None:
    """The owner recorded in an open lock file; None if the file is empty."""
    handle.seek(0)
    text = handle.read().strip()
    if not text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        return {"raw": text[:80]}
    if isinstance(doc, int):  # written by earlier versions: the pid alone
        return {"pid": doc}
    return doc if isinstance(doc, dict) else {"raw": text[:80]}


def _describe_owner(owner: dict[str, Any] | None) -> str:
    if owner is None:
        return "owner not recorded"
    if "pid" not in owner:
        return f"lock file says {owner.get('raw', '?')!r}"
    text = f"pid {owner['pid']}"
    if owner.get("host"):
        text += f" on host {owner['host']}"
    if owner.get("started"):
        text += f", started {owner['started']}"
    return text


def _owner_is_gone(owner: dict[str, Any]) -> bool:
    """Known to have ended: it ran on this host and its pid is no longer alive."""
    pid = owner.get("pid")
    if not isinstance(pid, int) or owner.get("host", socket.gethostname()) != socket.gethostname():
        return False
    return not process_alive(pid)


def _is_our_record(owner: dict[str, Any] | None) -> bool:
    return (
        owner is not None
        and owner.get("pid") == os.getpid()
        and owner.get("host") == socket.gethostname()
    )


def _same_file(handle: Any, path: Path) -> bool:
    try:
        a, b = os.fstat(handle.fileno()), os.stat(path)
    except OSError:
        return False
    return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)


def _busy(out: Path, owner: dict[str, Any] | None, unverified: bool = False) -> InputError:
    hint = (
        f" (this filesystem has no file locks, so it cannot be checked: if that sweep is not "
        f"running, delete {out / LOCK})"
        if unverified
        else ""
    )
    return InputError(
        "--out",
        f"another sweep ({_describe_owner(owner)}) is writing to {out}; wait for it to end" + hint,
    )


@contextlib.contextmanager
def exclusive(out: Path) -> Iterator[None]:
    """Hold ``DIR/.sweep.lock`` so that two sweeps never write to one directory at once.

    The mutual exclusion is an ``flock`` on the file: the kernel releases it when its holder
    dies, even by SIGKILL. The file records the holder (JSON: ``pid``, ``host``,
    ``started``), which a refused sweep names in its message; it is removed on exit. A lock
    file left by a sweep that was killed does not block: the next sweep takes it over and
    logs a warning naming the sweep that is gone. On a filesystem without ``flock`` the
    recorded pid decides: a sweep of this host that is no longer running is taken over, any
    other owner refuses. Where ``fcntl`` is unavailable the block runs unlocked.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    path = out / LOCK
    while True:
        handle = open(path, "a+")  # noqa: SIM115 - held for the whole block
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = _read_lock_record(handle)
            for _ in range(20):  # the owner may be between taking the lock and writing it
                if owner is not None:
                    break
                time.sleep(0.01)
                owner = _read_lock_record(handle)
            handle.close()
            raise _busy(out, owner) from None
        except OSError as exc:  # e.g. ENOLCK: this filesystem has no flock
            locked = False
            log.warning("cannot lock %s (%s); judging its owner by pid", path, exc.strerror)
        except BaseException:
            handle.close()
            raise
        else:
            locked = True
            # A sweep that released the lock removed the file after we opened it: our lock
            # is on a file nobody else will open. Start again with the file at ``path``.
            if not _same_file(handle, path):
                handle.close()
                continue
        break
    try:
        previous = _read_lock_record(handle)
        if previous is not None:
            if not locked and (_is_our_record(previous) or not _owner_is_gone(previous)):
                raise _busy(out, previous, unverified=not _is_our_record(previous))
            elsewhere = previous.get("host", socket.gethostname()) != socket.gethostname()
            log.warning(
                "%s: taking over the lock of a sweep that is no longer running (%s); the runs "
                "it finished are kept%s",
                path,
                _describe_owner(previous),
                " (if it does run on its host, this filesystem does not share file locks "
                "between hosts: stop one of the two)"
                if elsewhere
                else "",
            )
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps(_lock_record()) + "\n")
        handle.flush()
        try:
            yield
        finally:
            if locked or _is_our_record(_read_lock_record(handle)):
                path.unlink(missing_ok=True)
    finally:
        handle.close()
