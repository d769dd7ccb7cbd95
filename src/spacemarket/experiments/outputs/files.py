"""Atomic output writing and run manifests.

Every file is written to a temporary sibling and moved into place with ``os.replace``, so a
reader never sees a half-written file and an interrupted run leaves earlier results intact.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from spacemarket.errors import OutputError

__all__ = [
    "atomic_write",
    "atomic_write_bytes",
    "atomic_write_text",
    "ensure_dir",
    "git_commit",
    "package_versions",
    "write_frame",
    "write_manifest",
]


def ensure_dir(path: str | Path) -> Path:
    """Create ``path`` (and parents) if needed; raise :class:`OutputError` if not writable."""
    p = Path(path)
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output directory {p}: {exc.strerror}") from None
    if not os.access(p, os.W_OK):
        raise OutputError(f"output directory {p} is not writable")
    return p


def atomic_write(path: str | Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` then atomically move the temporary file to ``path``.

    An operating-system failure (no space left, permission denied, a path below a file)
    raises :class:`OutputError` naming ``path``; the temporary file is removed and an earlier
    ``path`` is left as it was.
    """
    target = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_path, 0o666 & ~umask)  # mkstemp creates 0600; give the usual file mode
        write(tmp_path)
        os.replace(tmp_path, target)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise OutputError(f"cannot write {target}: {exc.strerror or exc}") from None
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return target


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Atomically write ``data`` to ``path``."""
    return atomic_write(path, lambda p: p.write_bytes(data))


def atomic_write_text(path: str | Path, text: str) -> Path:
    """Atomically write UTF-8 ``text`` to ``path``."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def write_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a DataFrame atomically as Parquet (``.parquet``) or CSV (``.csv``)."""
    target = Path(path)
    if target.suffix == ".parquet":
        return atomic_write(target, lambda p: frame.to_parquet(p, index=False))
    if target.suffix == ".csv":
        return atomic_write(target, lambda p: frame.to_csv(p, index=False, lineterminator="\n"))
    raise ValueError(f"unsupported table format {target.suffix!r} (use .parquet or .csv)")


def git_commit() -> str | None:
    """The commit of the source tree the package runs from, or None outside a git checkout."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            cwd=here,
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def package_versions() -> dict[str, str]:
    """Versions of Python and of the packages the results depend on."""
    names = ["spacemarket", "numpy", "scipy", "pandas", "networkx", "mesa", "matplotlib", "pyarrow"]
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in names:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = "not installed"
    return out


def write_manifest(path: str | Path, **fields: Any) -> Path:
    """Write a JSON manifest (fields + versions + git commit) atomically."""
    doc = {"versions": package_versions(), "git_commit": git_commit(), **fields}
    return atomic_write_text(path, json.dumps(doc, indent=2, sort_keys=True, default=str) + "\n")
