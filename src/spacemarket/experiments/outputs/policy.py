"""One output-directory policy for every command that writes a directory.

* A **new or empty** directory is written into.
* A directory that **holds something** (an earlier run, anything) is refused with a one-line
  message, unless the user says what to do with it:

  - ``--overwrite`` replaces it. The new results are built in a staging sibling
    (``.NAME.staging-PID``) and swapped in only when complete (two renames on one
    filesystem), so DIR holds either the earlier results or the complete new ones, never a
    mix; an interrupted or failed ``--overwrite`` leaves DIR as it was and removes the
    staging directory.
  - ``--resume`` (commands built on resumable sweeps: ``sweep``, ``compare``, ``game``,
    ``demo`` and the experiment scripts) continues the run in DIR, skipping finished runs.

* A command that computes everything before writing (``run``, ``sensitivity``) stages its
  files and moves them into place at the end, so an interrupted write leaves nothing half
  written. A resumable command writes into DIR as it goes (that is what makes it
  resumable), after validating its input; bad input found only once it has started
  removes what it wrote to a fresh directory.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp()) / "out"
>>> with output_dir(d) as w:
...     _ = (w / "a.txt").write_text("first")
>>> with output_dir(d, overwrite=True) as w:
...     _ = (w / "b.txt").write_text("second")
>>> sorted(p.name for p in d.iterdir())
['b.txt']
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from spacemarket.errors import InputError, OutputError, ScenarioError
from spacemarket.experiments.outputs.files import ensure_dir
from spacemarket.experiments.outputs.signals import process_alive

__all__ = ["add_output_arguments", "check_output_dir", "holds_output", "output_dir"]

log = logging.getLogger(__name__)

#: Files a directory may hold and still count as empty (a stale lock of a dead sweep).
IGNORED = frozenset({".sweep.lock"})
STAGING_TAG = ".staging-"


def add_output_arguments(
    p: argparse.ArgumentParser,
    *,
    resumable: bool,
    default: str | None = None,
) -> None:
    """``--out DIR``, ``--overwrite`` and (for resumable commands) ``--resume``."""
    where = f" (default {default})" if default else ""
    p.add_argument(
        "--out",
        required=default is None,
        default=default,
        metavar="DIR",
        help=f"output directory{where}: new or empty, unless --overwrite"
        + (" or --resume" if resumable else ""),
    )
    modes = p.add_mutually_exclusive_group()
    modes.add_argument(
        "--overwrite",
        action="store_true",
        help="replace what DIR holds; the old contents stay until the new run is complete",
    )
    if resumable:
        modes.add_argument(
            "--resume",
            action="store_true",
            help="continue an interrupted run in DIR: finished runs are kept, the rest run",
        )


def holds_output(path: Path) -> bool:
    """True if ``path`` is a directory with anything in it but :data:`IGNORED` files."""
    return path.is_dir() and any(p.name not in IGNORED for p in path.iterdir())


def check_output_dir(
    out: str | Path, *, overwrite: bool = False, resume: bool = False, resumable: bool = False
) -> Path:
    """Validate ``out`` against the policy before any work; return it as a Path.

    Raises :class:`InputError` (exit code 2, nothing written) for a path that is a file, for
    ``--overwrite`` with ``--resume``, for ``--resume`` where the command cannot resume, and
    for a directory holding output when neither flag is given.
    """
    path = Path(out)
    if overwrite and resume:
        raise InputError("--overwrite", "cannot be combined with --resume")
    if resume and not resumable:
        raise InputError("--resume", "this command cannot resume; use --overwrite")
    if path.exists() and not path.is_dir():
        raise InputError("--out", f"{path} exists and is not a directory")
    if holds_output(path) and not (overwrite or resume):
        how = "--overwrite to replace it" + (", or --resume to continue it" if resumable else "")
        raise InputError("--out", f"{path} already holds output; add {how}, or choose another")
    return path


def _remove_stale_staging(path: Path) -> None:
    """Remove staging siblings of ``path`` left by a killed command (their owner is dead)."""
    prefix = f".{path.name}{STAGING_TAG}"
    if not path.parent.is_dir():
        return
    for old in path.parent.iterdir():
        if not old.name.startswith(prefix):
            continue
        pid = old.name[len(prefix) :].split(".")[0]
        if pid.isdigit() and process_alive(int(pid)):
            continue
        log.info("removing %s, left by an interrupted --overwrite", old)
        shutil.rmtree(old, ignore_errors=True)


def _clear(path: Path, remove: bool) -> None:
    if remove:
        shutil.rmtree(path, ignore_errors=True)
        return
    for p in path.iterdir():
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            p.unlink(missing_ok=True)


def _swap_in(staging: Path, path: Path) -> None:
    """Move ``staging`` to ``path``; an existing ``path`` is moved aside first, then removed."""
    aside = None
    try:
        if path.exists():
            if holds_output(path):
                aside = path.with_name(f".{path.name}.replaced-{os.getpid()}")
                os.replace(path, aside)
            else:
                shutil.rmtree(path)
        os.replace(staging, path)
    except OSError as exc:
        if aside is not None and not path.exists():
            os.replace(aside, path)  # put the earlier results back
        raise OutputError(f"cannot move the new results into {path}: {exc.strerror}") from None
    if aside is not None:
        shutil.rmtree(aside, ignore_errors=True)


@contextlib.contextmanager
def output_dir(
    out: str | Path,
    *,
    overwrite: bool = False,
    resume: bool = False,
    resumable: bool = False,
    stage: bool | None = None,
) -> Iterator[Path]:
    """Yield the directory a command writes into, applying the policy of this module.

    ``stage`` (default: not ``resumable``) builds even a fresh run in a staging directory
    and moves it into place on success. With ``overwrite`` a run is always staged. The
    staging directory is removed if the block raises (including ``KeyboardInterrupt``).
    """
    path = check_output_dir(out, overwrite=overwrite, resume=resume, resumable=resumable)
    if stage is None:
        stage = not resumable
    replacing = overwrite and holds_output(path)
    if resume or not (stage or replacing):
        existed = path.exists()
        ensure_dir(path)
        try:
            yield path
        except (InputError, ScenarioError):
            if not resume:  # bad input found late: leave nothing behind in a fresh directory
                _clear(path, remove=not existed)
            raise
        return
    staging = path.with_name(f".{path.name}{STAGING_TAG}{os.getpid()}")
    try:
        ensure_dir(path.parent)
        _remove_stale_staging(path)
        shutil.rmtree(staging, ignore_errors=True)
        ensure_dir(staging)
    except OutputError as exc:  # name the directory the user asked for
        reason = str(exc).rsplit(": ", 1)[-1]
        raise OutputError(f"cannot create output directory {path}: {reason}") from None
    try:
        yield staging
    except OutputError as exc:  # name the user's directory, not the staging one
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(str(exc).replace(str(staging), str(path))) from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _swap_in(staging, path)
