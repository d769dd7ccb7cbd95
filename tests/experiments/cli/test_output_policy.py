"""One output-directory policy: refuse a directory holding output, --overwrite, --resume.

Covers issue 11 items 1 and 4 (a second ``make demo``; ``run`` mixing two runs in one
directory) and item 5 (the experiment scripts: one-line errors, nothing left behind).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from spacemarket.errors import InputError
from spacemarket.experiments.cli.app import main
from spacemarket.experiments.outputs.policy import check_output_dir, output_dir

ROOT = Path(__file__).resolve().parents[3]
RUN = ["run", "backtest-2023", "--steps", "2", "--quiet"]
DEMO = ["demo", "--seeds", "2", "--game-seeds", "2", "--steps", "2", "--workers", "1", "--quiet"]


def listing(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


# --------------------------------------------------------------------------- the policy itself


def test_a_directory_holding_output_is_refused_without_a_flag(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    with pytest.raises(InputError, match="already holds output; add --overwrite"):
        check_output_dir(tmp_path)
    with pytest.raises(InputError, match="or --resume to continue it"):
        check_output_dir(tmp_path, resumable=True)
    with pytest.raises(InputError, match="cannot be combined"):
        check_output_dir(tmp_path, overwrite=True, resume=True, resumable=True)
    with pytest.raises(InputError, match="cannot resume"):
        check_output_dir(tmp_path, resume=True)
    check_output_dir(tmp_path / "new")  # a new directory is fine
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / ".sweep.lock").write_text("123\n")  # a stale lock is not output
    check_output_dir(tmp_path / "empty")


def test_an_interrupted_overwrite_leaves_the_earlier_output_as_it_was(tmp_path):
    d = tmp_path / "out"
    d.mkdir()
    (d / "old.txt").write_text("earlier run")
    with pytest.raises(KeyboardInterrupt), output_dir(d, overwrite=True, resumable=True) as w:
        assert w != d  # built beside it
        (w / "new.txt").write_text("half")
        raise KeyboardInterrupt
    assert listing(d) == {"old.txt": b"earlier run"}
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging directory left


def test_a_stale_staging_directory_of_a_killed_overwrite_is_removed(tmp_path):
    d = tmp_path / "out"
    stale = tmp_path / ".out.staging-999999999"  # no such process
    stale.mkdir(parents=True)
    (stale / "junk").write_text("x")
    with output_dir(d, overwrite=True) as w:
        (w / "a").write_text("a")
    assert not stale.exists() and listing(d) == {"a": b"a"}


def test_bad_input_found_late_leaves_nothing_in_a_fresh_directory(tmp_path):
    d = tmp_path / "out"
    with pytest.raises(InputError), output_dir(d, resumable=True) as w:
        (w / "design.toml").write_text("written before the error")
        raise InputError("--seeds", "bad")
    assert not d.exists()


# --------------------------------------------------------------------------- run (item 4)


def test_run_into_a_directory_holding_another_run_is_refused(tmp_path, capsys):
    d = tmp_path / "r"
    assert main([*RUN, "--seed", "1", "--out", str(d)]) == 0
    before = listing(d)
    assert main([*RUN, "--seed", "7", "--out", str(d), "--csv"]) == 2
    err = capsys.readouterr().err
    assert "already holds output" in err and "--overwrite" in err and len(err.splitlines()) == 1
    assert listing(d) == before  # nothing mixed in: no seed-7 CSVs beside seed-1 Parquet


def test_run_overwrite_replaces_the_earlier_run_whole(tmp_path):
    d = tmp_path / "r"
    assert main([*RUN, "--seed", "1", "--out", str(d), "--csv"]) == 0
    assert main([*RUN, "--seed", "7", "--out", str(d), "--overwrite"]) == 0
    assert not list(d.glob("*.csv"))  # the seed-1 CSVs went with the run they belonged to
    fresh = tmp_path / "fresh"
    assert main([*RUN, "--seed", "7", "--out", str(fresh)]) == 0
    assert (d / "firms.parquet").read_bytes() == (fresh / "firms.parquet").read_bytes()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh", "r"]


def test_run_rejects_resume(tmp_path, capsys):
    with pytest.raises(SystemExit):
        main([*RUN, "--seed", "1", "--out", str(tmp_path), "--resume"])
    assert "--resume" in capsys.readouterr().err


# --------------------------------------------------------------------------- demo (item 1)


@pytest.mark.slow
def test_demo_runs_twice_with_overwrite_and_resumes(tmp_path, capsys):
    d = tmp_path / "demo"
    assert main([*DEMO, "--out", str(d), "--overwrite"]) == 0
    first = listing(d / "headline" / "compare" / "sweep" / "runs")
    assert (d / "baseline" / "firms.parquet").is_file() and (d / "costs" / "summary.txt").is_file()
    assert main([*DEMO, "--out", str(d), "--overwrite"]) == 0  # make demo, a second time
    assert listing(d / "headline" / "compare" / "sweep" / "runs").keys() == first.keys()
    capsys.readouterr()
    assert main([*DEMO, "--out", str(d)]) == 2  # neither flag: refused, says what to add
    assert "--overwrite to replace it, or --resume" in capsys.readouterr().err
    assert main([*DEMO, "--out", str(d), "--resume"]) == 0  # everything done: only reports
    assert [p.name for p in tmp_path.iterdir()] == ["demo"]


def test_make_demo_passes_overwrite():
    """`make demo` reruns cleanly because its recipe replaces the earlier demo."""
    recipe = (ROOT / "Makefile").read_text().split("\ndemo:", 1)[1].split("\n\n", 1)[0]
    assert "spacemarket demo" in recipe and "--overwrite" in recipe
    clean = (ROOT / "Makefile").read_text().split("\nclean:", 1)[1].split("\n\n", 1)[0]
    assert "$(VENV)" not in clean  # make clean keeps the virtual environment


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.skipif(not (ROOT / ".venv" / ".installed").is_file(), reason="needs make's .venv")
def test_make_demo_twice_exits_0(tmp_path):
    """The command itself, twice, on a small output (DEMO_ARGS shrinks the experiment)."""
    small = " ".join(DEMO[1:])
    for _ in range(2):
        r = subprocess.run(["make", "-s", "demo", f"OUT={tmp_path / 'demo'}",
                            f"DEMO_ARGS={small}"], cwd=ROOT, capture_output=True, text=True,
                           timeout=600)  # fmt: skip
        assert r.returncode == 0, r.stderr
    assert (tmp_path / "demo" / "headline" / "game.txt").is_file()


# --------------------------------------------------------------------------- scripts (item 5)


@pytest.mark.parametrize(
    ("flag", "value"), [("--seeds", "0"), ("--steps", "0"), ("--workers", "0"), ("--seeds", "1")]
)
def test_scripts_reject_bad_counts_in_one_line_and_write_nothing(tmp_path, flag, value):
    out = tmp_path / "x"
    r = subprocess.run([sys.executable, str(ROOT / "experiments" / "altman_stoke.py"),
                        "--out", str(out), flag, value, "--quiet"],
                       capture_output=True, text=True, cwd=tmp_path)  # fmt: skip
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert flag in r.stderr
    assert list(tmp_path.iterdir()) == []  # no design file, no directory


def test_scripts_refuse_earlier_results_and_steps_beyond_the_scenario(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    script = str(ROOT / "experiments" / "spacex_foreclosure.py")
    r = subprocess.run([sys.executable, script, "--out", str(tmp_path), "--quiet"],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 2 and "--overwrite" in r.stderr
    r = subprocess.run([sys.executable, script, "--out", str(tmp_path / "n"), "--steps", "999"],
                       capture_output=True, text=True)  # fmt: skip
    assert r.returncode == 2 and "--steps" in r.stderr and not (tmp_path / "n").exists()


@pytest.mark.skipif(not (ROOT / ".venv" / "bin" / "python").is_file(), reason="needs .venv")
def test_a_script_started_without_the_package_runs_in_the_checkouts_venv(tmp_path):
    """`python experiments/X.py` from a Python that cannot import spacemarket (-S: no site)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SPACEMARKET_REEXEC")}
    r = subprocess.run([sys.executable, "-S", str(ROOT / "experiments" / "altman_stoke.py"),
                        "--out", str(tmp_path / "x"), "--seeds", "0"],
                       capture_output=True, text=True, env=env)  # fmt: skip
    assert r.returncode == 2, r.stderr  # the package's own check ran: it was importable
    assert "--seeds" in r.stderr and "Traceback" not in r.stderr
