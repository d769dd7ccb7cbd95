"""Outputs that cannot be written: an unwritable output directory and a full disk.

For ``spacemarket run``, ``spacemarket sweep`` and ``spacemarket compare`` (through the CLI's
``main``, in-process): the command must stop with exit code 1 and a one-line message that names
the path and says what failed, must leave no half-written file (``*.tmp``) behind, and must
keep what it had already written intact and readable (a sweep's finished runs, which
``--resume`` then skips).

*Unwritable directory*: ``--out`` below a regular file (``mkdir`` fails with ENOTDIR) and,
when not running as root (root ignores permission bits), a directory with mode 0o500.

*Full disk*: the write callback inside :func:`spacemarket.experiments.outputs.files.atomic_write`
(the one place every output file is written through) is wrapped so that a chosen write puts a
few bytes into its temporary file and then fails with ``OSError(ENOSPC)``, the way ``write(2)``
failing surfaces in Python (no file name attached). The real ``atomic_write`` runs around it,
so its cleanup is what is tested.
"""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pandas as pd
import pytest

from spacemarket.experiments.cli.app import main
from spacemarket.experiments.outputs import files as output
from spacemarket.experiments.plots import figure as cost_plot
from spacemarket.experiments.sweeps.runner import run_sweep

RUN = ["run", "backtest-2023", "--seed", "3", "--steps", "2", "--quiet"]
COMPARE = [
    "compare",
    "baseline-2026",
    "--strategy",
    "OpenAI=independent",
    "--strategy",
    "SpaceX=foreclose-launch",
    "--seeds",
    "2",
    "--steps",
    "2",
    "--workers",
    "1",
    "--quiet",
]
ENOSPC_TEXT = os.strerror(errno.ENOSPC)  # "No space left on device"

SRC_BUG_ENOSPC = (
    "src bug: a write that fails with OSError (ENOSPC) inside output.atomic_write is "
    "re-raised as a plain OSError, not OutputError, so cli.main (which catches only "
    "InputError/ScenarioError/OutputError) lets it escape: a traceback, no exit code 1, "
    "and no path in the message ('[Errno 28] No space left on device')"
)


def _tmp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def _cli(capsys, argv: list[str]) -> tuple[int, str]:
    code = main(argv)
    return code, capsys.readouterr().err


def _names_path(err: str, path: Path) -> bool:
    return str(path) in err or str(path.resolve()) in err


# --------------------------------------------------------------------------- fixtures


class DiskFull:
    """Controls which atomic write fails with ENOSPC; records every write attempted."""

    def __init__(self) -> None:
        self.predicate = None
        self.attempted: list[Path] = []
        self.failed: list[Path] = []

    def fail_when(self, predicate) -> None:
        """``predicate(target_path, attempted_so_far) -> bool`` selects the failing write."""
        self.predicate = predicate

    def free(self) -> None:
        self.predicate = None


@pytest.fixture
def disk_full(monkeypatch) -> DiskFull:
    state = DiskFull()
    real = output.atomic_write

    def atomic_write(path, write):
        target = Path(path)

        def write_or_fail(tmp: Path) -> None:
            state.attempted.append(target)
            if state.predicate is not None and state.predicate(target, state.attempted):
                state.failed.append(target)
                with open(tmp, "wb") as fh:  # a partial file, then the disk is full
                    fh.write(b"PAR1\x00partial")
                raise OSError(errno.ENOSPC, ENOSPC_TEXT)
            write(tmp)

        return real(path, write_or_fail)

    monkeypatch.setattr(output, "atomic_write", atomic_write)
    monkeypatch.setattr(cost_plot, "atomic_write", atomic_write)  # imported by name there
    return state


UNWRITABLE = ["below-a-regular-file", "mode-0o500"]


@pytest.fixture(params=UNWRITABLE)
def unwritable_out(request, tmp_path) -> Path:
    """An ``--out`` path that cannot be created or written."""
    if request.param == "below-a-regular-file":
        blocker = tmp_path / "a-file"
        blocker.write_text("not a directory\n")
        return blocker / "out"
    if os.geteuid() == 0:
        pytest.skip("running as root: mode 0o500 does not stop root from writing")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    request.addfinalizer(lambda: locked.chmod(0o700))
    return locked


# --------------------------------------------------------------------------- unwritable


def _check_unwritable(code: int, err: str, out: Path, tmp_path: Path) -> None:
    assert code == 1, err
    assert err.startswith("spacemarket: error: ") and err.count("\n") == 1, err
    assert "Traceback" not in err
    assert _names_path(err, out), err
    assert "cannot create output directory" in err or "is not writable" in err, err
    assert not _tmp_files(tmp_path)


def test_run_into_an_unwritable_directory(capsys, tmp_path, unwritable_out):
    code, err = _cli(capsys, [*RUN, "--out", str(unwritable_out)])
    _check_unwritable(code, err, unwritable_out, tmp_path)
    if unwritable_out.is_dir():
        assert not list(unwritable_out.iterdir())


def test_sweep_into_an_unwritable_directory(capsys, tmp_path, unwritable_out, write_design):
    design = write_design()
    code, err = _cli(capsys, ["sweep", str(design), "--out", str(unwritable_out), "--quiet"])
    _check_unwritable(code, err, unwritable_out, tmp_path)
    if unwritable_out.is_dir():
        assert not list(unwritable_out.iterdir())


def test_compare_into_an_unwritable_directory(capsys, tmp_path, unwritable_out):
    code, err = _cli(capsys, [*COMPARE, "--out", str(unwritable_out)])
    _check_unwritable(code, err, unwritable_out, tmp_path)
    if unwritable_out.is_dir():
        assert not list(unwritable_out.iterdir())


# --------------------------------------------------------------------------- full disk: run


def _run_until_disk_full(capsys, disk_full, out: Path):
    """``spacemarket run`` with the disk full at summary.txt (after tables and plots)."""
    disk_full.fail_when(lambda target, _: target.name == "summary.txt")
    try:
        code, err = _cli(capsys, [*RUN, "--out", str(out)])
    except OSError as exc:  # not expected: the CLI maps OutputError to exit 1
        code, err = None, str(exc)
    return code, err


def test_run_on_a_full_disk_leaves_no_partial_file(capsys, tmp_path, disk_full):
    out = tmp_path / "run"
    _run_until_disk_full(capsys, disk_full, out)
    assert [p.name for p in disk_full.failed] == ["summary.txt"]
    assert not _tmp_files(tmp_path), "a half-written temporary file was left behind"
    # the run is staged beside DIR and moved in only when complete: nothing of it is there,
    # and no staging directory is left behind
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".run")) == []


def test_a_full_disk_during_overwrite_keeps_the_earlier_run(capsys, tmp_path, disk_full):
    out = tmp_path / "run"
    out.mkdir()
    (out / "manifest.json").write_text("{}")  # an earlier run
    disk_full.fail_when(lambda target, _: target.name == "summary.txt")
    code, err = _cli(capsys, [*RUN, "--out", str(out), "--overwrite"])
    assert code == 1 and _names_path(err, out), err
    assert [p.name for p in out.iterdir()] == ["manifest.json"]


def test_run_on_a_full_disk_exits_1_naming_the_path(capsys, tmp_path, disk_full):
    out = tmp_path / "run"
    disk_full.fail_when(lambda target, _: target.name == "summary.txt")
    code, err = _cli(capsys, [*RUN, "--out", str(out)])
    assert code == 1, err
    assert ENOSPC_TEXT in err and _names_path(err, out) and "Traceback" not in err, err


# --------------------------------------------------------------------------- full disk: sweep

K = 4  # runs that finish before the disk fills up


def _nth_run_frame(n: int):
    """Fail the write of the ``n``-th run's firms.parquet (its market.parquet is written)."""

    def predicate(target: Path, attempted: list[Path]) -> bool:
        firms = [p for p in attempted if p.name == "firms.parquet"]
        return target.name == "firms.parquet" and len(firms) == n

    return predicate


def test_sweep_on_a_full_disk_keeps_finished_runs_and_resumes(
    capsys, tmp_path, disk_full, write_design, reference_sweep, assert_same_sweep, design_runs
):
    design = write_design()
    out = tmp_path / "sweep"
    disk_full.fail_when(_nth_run_frame(K + 1))
    try:
        _cli(capsys, ["sweep", str(design), "--out", str(out), "--workers", "1", "--quiet"])
    except OSError as exc:  # not expected: the CLI maps OutputError to exit 1
        assert exc.errno == errno.ENOSPC
    assert len(disk_full.failed) == 1

    assert not _tmp_files(out), "a half-written temporary file was left behind"
    assert not (out / ".sweep.lock").exists()
    assert not (out / "outcomes.parquet").exists()
    runs = sorted(p.parent.name for p in out.glob("runs/*/outcomes.json"))
    expected = sorted(p.parent.name for p in reference_sweep.glob("runs/*/outcomes.json"))[:K]
    assert runs == expected, "exactly the K runs before the failure are finished"
    for rid in runs:  # intact and readable: the very bytes of an undisturbed sweep
        doc = json.loads((out / "runs" / rid / "outcomes.json").read_text())
        assert doc["status"] == "ok"
        for kind in ("market", "firms"):
            frame = out / "runs" / rid / f"{kind}.parquet"
            assert frame.read_bytes() == (reference_sweep / "runs" / rid / frame.name).read_bytes()
            assert len(pd.read_parquet(frame)) > 0
    failed_run = disk_full.failed[0].parent
    assert (
        not (failed_run / "outcomes.json").exists() and not (failed_run / "firms.parquet").exists()
    )

    # space is freed: --resume skips the K finished runs and ends byte-identical
    disk_full.free()
    report = run_sweep(design, out, workers=1, resume=True, quiet=True)
    assert (report.skipped, report.executed) == (K, design_runs - K)
    assert (report.ok, report.failed) == (design_runs, 0)
    assert_same_sweep(reference_sweep, out)


def test_sweep_on_a_full_disk_exits_1_naming_the_path(capsys, tmp_path, disk_full, write_design):
    out = tmp_path / "sweep"
    disk_full.fail_when(_nth_run_frame(K + 1))
    code, err = _cli(
        capsys, ["sweep", str(write_design()), "--out", str(out), "--workers", "1", "--quiet"]
    )
    assert code == 1, err
    assert ENOSPC_TEXT in err and _names_path(err, out) and "Traceback" not in err, err


def test_sweep_whose_manifest_cannot_be_written_fails_before_any_run(
    capsys, tmp_path, disk_full, write_design
):
    """The disk is full from the start (the first write, design.toml)."""
    out = tmp_path / "sweep"
    disk_full.fail_when(lambda target, attempted: True)
    try:
        _cli(capsys, ["sweep", str(write_design()), "--out", str(out), "--workers", "1", "--quiet"])
    except OSError as exc:  # not expected: the CLI maps OutputError to exit 1
        assert exc.errno == errno.ENOSPC
    assert [p.name for p in disk_full.failed] == ["design.toml"]
    assert not _tmp_files(tmp_path) and not (out / "runs").exists()
    assert not (out / ".sweep.lock").exists()


# --------------------------------------------------------------------------- full disk: compare


def test_compare_on_a_full_disk_keeps_the_tables_already_written(capsys, tmp_path, disk_full):
    out = tmp_path / "compare"
    disk_full.fail_when(lambda target, _: target.name == "compare.md")
    try:
        _cli(capsys, [*COMPARE, "--out", str(out)])
    except OSError as exc:  # not expected: the CLI maps OutputError to exit 1
        assert exc.errno == errno.ENOSPC
    assert [p.name for p in disk_full.failed] == ["compare.md"]
    assert not _tmp_files(tmp_path), "a half-written temporary file was left behind"
    assert not (out / "compare.md").exists()
    table = pd.read_csv(out / "compare.csv")
    assert set(table["profile"]) == {"OpenAI=independent", "SpaceX=foreclose-launch"}
    assert "Strategies compared over 2 seeds" in (out / "compare.txt").read_text()
    assert json.loads((out / "sweep" / "manifest.json").read_text())["status"] == "complete"


def test_compare_on_a_full_disk_mid_sweep_leaves_no_partial_file(capsys, tmp_path, disk_full):
    out = tmp_path / "compare"
    disk_full.fail_when(_nth_run_frame(2))
    try:
        _cli(capsys, [*COMPARE, "--out", str(out)])
    except OSError as exc:  # not expected: the CLI maps OutputError to exit 1
        assert exc.errno == errno.ENOSPC
    assert not _tmp_files(tmp_path)
    assert len(list(out.glob("sweep/runs/*/outcomes.json"))) == 1
    assert not (out / "compare.csv").exists()


def test_compare_on_a_full_disk_exits_1_naming_the_path(capsys, tmp_path, disk_full):
    out = tmp_path / "compare"
    disk_full.fail_when(lambda target, _: target.name == "compare.md")
    code, err = _cli(capsys, [*COMPARE, "--out", str(out)])
    assert code == 1, err
    assert ENOSPC_TEXT in err and _names_path(err, out) and "Traceback" not in err, err
