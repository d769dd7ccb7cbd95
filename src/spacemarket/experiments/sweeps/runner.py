"""The sweep runner: every run of a design, on a local process pool or a Dask cluster.

One run is (uncertainty sample, policy, replication). :func:`run_one` executes it: it loads
the base scenario with the run's overrides, runs the model with the run's seed, writes the
run's frames and then its ``outcomes.json`` (each atomically, the status file last), and
returns only a small status dict. An exception inside a run is caught there and recorded as an
error run; the sweep goes on. :func:`run_sweep` plans the design, skips finished runs on
``resume``, executes the rest and rebuilds ``outcomes.parquet`` from the per-run files, so the
results do not depend on the number of workers or the order in which runs finish, and no run's
frames are ever held in the parent process.

Executors: ``workers=1`` runs in-process (debuggable); otherwise a
:class:`concurrent.futures.ProcessPoolExecutor` with the ``forkserver`` start method (``spawn``
where forkserver is unavailable). A worker that dies (``BrokenProcessPool``) gets the pool
recreated and its unfinished runs requeued; a run in flight during :data:`MAX_ATTEMPTS` pool
failures is recorded as an error. Workers never outlive the sweep: an interrupt (Ctrl-C, or
SIGTERM with :func:`~spacemarket.experiments.sweeps.signals.install_sigterm_handler`) kills them
before the manifest is written and the lock released, and a worker whose sweep process dies
(SIGKILL) exits by itself (:func:`~spacemarket.experiments.sweeps.signals.exit_with_parent`).
With ``dask_local=N`` or ``scheduler=ADDRESS`` the runs go to a Dask cluster through
``Client.get_executor(pure=False)`` (the seed is in each task's arguments too); the output
directory must then be on a filesystem every worker can write to."""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import multiprocessing
import os
import socket
import sys
import time
import traceback as tb
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Executor, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

import spacemarket.experiments.sweeps.store as store
from spacemarket.experiments.outputs.files import (
    OutputError,
    atomic_write_bytes,
    ensure_dir,
    write_frame,
    write_manifest,
)
from spacemarket.experiments.sweeps.design import Design, build_plan, load_design, run_overrides
from spacemarket.experiments.sweeps.outcomes import compute_outcomes
from spacemarket.experiments.sweeps.signals import process_alive
from spacemarket.market.physics import InputError

__all__ = ["MAX_ATTEMPTS", "SweepReport", "run_one", "run_sweep"]

log = logging.getLogger(__name__)

#: Pool failures a run may be caught in before it is recorded as an error.
MAX_ATTEMPTS = 3


# --------------------------------------------------------------------------- one run


@functools.lru_cache(maxsize=8)
def _base_document(ref: str, stamp: tuple[int, int] | None) -> tuple[dict, str]:
    from spacemarket.market.scenario.files import resolved_document

    del stamp  # part of the cache key only: a changed file is read again
    return resolved_document(ref)


def _stamp(ref: str) -> tuple[int, int] | None:
    try:
        st = Path(ref).stat()
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size)


def _load_scenario(ref: str, overrides: dict[str, Any]):
    return _parsed_scenario(ref, _stamp(ref), json.dumps(overrides, sort_keys=True))


@functools.lru_cache(maxsize=64)
def _parsed_scenario(ref: str, stamp: tuple[int, int] | None, overrides_json: str):
    """The validated scenario of (file, overrides), parsed once per worker process.

    Runs of the same policy differ only in their seed; the model never mutates its scenario.
    """
    from spacemarket.market.scenario.files import apply_overrides
    from spacemarket.market.scenario.spec import parse_scenario

    doc, src = _base_document(ref, stamp)
    return parse_scenario(apply_overrides(doc, json.loads(overrides_json), src), src)


def _simulate(scenario: Any, seed: np.random.SeedSequence, steps: int | None) -> Any:
    """Run the model (a separate function so tests can make a run fail)."""
    from spacemarket.market.model.results import run_scenario

    return run_scenario(scenario, rng=seed, steps=steps)


def _labelled(frame: pd.DataFrame, task: dict[str, Any]) -> pd.DataFrame:
    out = frame.copy()
    for i, col in enumerate(store.LABEL_COLUMNS):
        out.insert(i, col, task[col])
    out["run_id"] = out["run_id"].astype(str)
    out["policy"] = out["policy"].astype(str)
    out["sample"] = out["sample"].astype("int64")
    out["replication"] = out["replication"].astype("int64")
    return out


def run_one(task: dict[str, Any]) -> dict[str, Any]:
    """Execute one run and write its files; return ``{"run_id", "status", "error", ...}``.

    ``task`` holds the output directory, the run's labels, the scenario reference and
    overrides, the seed (``entropy`` and ``spawn_key``), ``steps`` and the outcome names.
    Exceptions raised by the scenario, the model or an outcome are caught and recorded in the
    run's ``outcomes.json`` with status ``"error"``; only a failure to write propagates.
    """
    started = time.perf_counter()
    out, rid = task["out_dir"], task["run_id"]
    rdir = store.run_dir(out, rid)
    rdir.mkdir(parents=True, exist_ok=True)
    store.remove_temp_files(rdir)
    try:
        scenario = _load_scenario(task["scenario"], task["overrides"])
        seed = np.random.SeedSequence(int(task["entropy"]), spawn_key=tuple(task["spawn_key"]))
        result = _simulate(scenario, seed, task["steps"])
        values = compute_outcomes(result, task["outcomes"])
        frames = {kind: _labelled(getattr(result, kind), task) for kind in store.FRAME_KINDS}
    except Exception as exc:
        for kind in store.FRAME_KINDS:
            (rdir / f"{kind}.parquet").unlink(missing_ok=True)
        error = f"{type(exc).__name__}: {exc}"
        wall = time.perf_counter() - started
        store.write_run_status(out, rid, "error", {}, error, tb.format_exc(), wall)
        return {"run_id": rid, "status": "error", "error": error, "wall_time_s": wall}
    for kind, frame in frames.items():
        write_frame(frame, rdir / f"{kind}.parquet")
    wall = time.perf_counter() - started
    store.write_run_status(out, rid, "ok", values, None, None, wall)
    return {"run_id": rid, "status": "ok", "error": None, "wall_time_s": wall}


def _probe(out_dir: str) -> dict[str, Any]:
    """Run on each Dask worker before the sweep: can it import us and write to DIR?"""
    import spacemarket

    return {"version": spacemarket.__version__, "writable": os.access(out_dir, os.W_OK)}


# --------------------------------------------------------------------------- executors


def _mp_context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # warm start: the server imports the model once, each worker forks from it
        ctx.set_forkserver_preload(
            ["spacemarket.experiments.sweeps.runner", "spacemarket.market.model.results"]
        )
        return ctx
    return multiprocessing.get_context("spawn")


#: Thread-pool sizes pinned to 1 in worker processes: N workers each running a multithreaded
#: BLAS on N cores oversubscribe the machine (measured: runs 3x slower on 2 cores).
#: Dask's nanny does the same for its workers (``distributed.nanny.pre-spawn-environ``).
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def _single_threaded_children() -> Iterator[None]:
    """Set :data:`THREAD_ENV` (where unset) for processes started inside the block."""
    saved = {k: os.environ.get(k) for k in THREAD_ENV}
    for k in THREAD_ENV:
        os.environ.setdefault(k, "1")
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def _init_worker(parent_pid: int) -> None:
    """Pool-worker initializer: Ctrl-C is the parent's to handle, and the parent's death ends
    the worker.

    Without the first a SIGINT sent to the whole foreground process group makes every worker
    print a KeyboardInterrupt traceback while the parent shuts the pool down. Without the
    second a parent killed with SIGKILL leaves its workers (and with them the fork server and
    the resource tracker) waiting for tasks forever: see
    :func:`spacemarket.experiments.sweeps.signals.exit_with_parent`.
    """
    import signal

    from spacemarket.experiments.sweeps.signals import exit_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent_pid)


class _LocalPool:
    """A process pool that can be recreated after a worker dies.

    Use it inside :func:`_single_threaded_children` (workers start lazily, on submit).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.ctx = _mp_context()
        self.executor: Executor | None = self._new()
        self.name = f"process pool ({self.ctx.get_start_method()}, {workers} workers)"

    def _new(self) -> Executor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self.ctx,
            initializer=_init_worker,
            initargs=(os.getpid(),),
        )

    def restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._new()

    def close(self, cancel: bool = False) -> None:
        """Shut the pool down: after the runs in flight finish, or with ``cancel`` at once.

        ``cancel`` kills the workers (their runs in flight are lost; each run's files are
        written atomically, the status file last, so ``--resume`` reruns them) and waits
        for the pool's threads, so that no process of this sweep writes to the directory
        after its lock is released.
        """
        executor, self.executor = self.executor, None
        if executor is None:
            return
        if cancel:
            # ProcessPoolExecutor has no public way to stop running work before 3.14
            # (terminate_workers); a worker it already reaped is skipped by kill()
            for proc in list((getattr(executor, "_processes", None) or {}).values()):
                with contextlib.suppress(OSError, ValueError):
                    proc.kill()
        executor.shutdown(wait=True, cancel_futures=cancel)


class _DaskPool:
    """A Dask client (on a given scheduler or a new LocalCluster) seen as an Executor."""

    def __init__(self, scheduler: str | None, n_local: int | None) -> None:
        flag = "--scheduler" if scheduler else "--dask-local"
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise InputError(
                flag, "needs dask: pip install 'spacemarket[dask]' (dask[distributed])"
            ) from None
        self.cluster = None
        if not log.isEnabledFor(logging.INFO):  # dask logs at INFO by default; -v shows it
            for name in ("distributed", "dask"):
                logging.getLogger(name).setLevel(logging.ERROR)
        try:
            if scheduler:
                self.client = Client(scheduler, timeout="20s")
                self.name = f"dask ({scheduler})"
            else:
                self.cluster = LocalCluster(
                    n_workers=n_local,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    silence_logs=logging.ERROR,
                )
                self.client = Client(self.cluster)
                self.name = f"dask LocalCluster ({n_local} workers)"
        except (OSError, TimeoutError) as exc:
            self.close()
            raise InputError(flag, f"cannot start or reach the Dask cluster: {exc}") from None
        self.workers = max(1, sum(self.client.nthreads().values()))
        self.executor: Executor | None = self.client.get_executor(pure=False)

    def check_workers(self, out_dir: str) -> None:
        for worker, info in self.client.run(_probe, out_dir).items():
            if not info["writable"]:
                raise OutputError(
                    f"Dask worker {worker} cannot write to {out_dir}: the output directory "
                    "must be on a filesystem every worker shares"
                )

    def restart(self) -> None:  # Dask reschedules lost tasks itself
        pass

    def close(self, cancel: bool = False) -> None:
        client = getattr(self, "client", None)
        if client is not None:
            if cancel:
                self.executor.shutdown(wait=False)
            client.close()
            self.client = None
        if self.cluster is not None:
            self.cluster.close()
            self.cluster = None


def _drain(
    tasks: Iterable[dict[str, Any]],
    pool: _LocalPool | _DaskPool,
    record: Callable[[dict[str, Any]], None],
    out_dir: str,
) -> None:
    """Run ``tasks`` on ``pool`` with a bounded number in flight; ``record`` each status."""
    pending = deque(tasks)
    inflight: dict[Future, dict[str, Any]] = {}
    attempts: dict[str, int] = {}
    window = max(4, 2 * pool.workers)
    while pending or inflight:
        while pending and len(inflight) < window:
            task = pending.popleft()
            inflight[pool.executor.submit(run_one, task)] = task
        done, _ = wait(list(inflight), return_when=FIRST_COMPLETED)
        lost: list[dict[str, Any]] = []
        for fut in done:
            task = inflight.pop(fut)
            try:
                record(fut.result())
            except BrokenProcessPool:
                lost.append(task)
            except Exception as exc:  # e.g. a Dask worker killed repeatedly on this run
                record(_record_failure(out_dir, task, exc))
        if not lost:
            continue
        lost += list(inflight.values())  # every run in flight dies with the pool
        inflight.clear()
        log.warning("a worker process died; restarting the pool, requeuing %d runs", len(lost))
        pool.restart()
        for task in sorted(lost, key=lambda t: t["run_id"], reverse=True):
            rid = task["run_id"]
            attempts[rid] = attempts.get(rid, 0) + 1
            finished = store.read_run_status(out_dir, rid)
            if finished is not None and finished["status"] == "ok":  # done before the pool broke
                wall = finished["wall_time_s"]
                record({"run_id": rid, "status": "ok", "error": None, "wall_time_s": wall})
            elif attempts[rid] >= MAX_ATTEMPTS:
                exc = RuntimeError(
                    f"a worker process died while running this run ({attempts[rid]} times)"
                )
                record(_record_failure(out_dir, task, exc))
            else:
                pending.appendleft(task)


def _record_failure(out_dir: str, task: dict[str, Any], exc: BaseException) -> dict[str, Any]:
    """Write an error ``outcomes.json`` from the parent for a run whose task itself failed."""
    error = f"{type(exc).__name__}: {exc}"
    trace = "".join(tb.format_exception(exc))
    store.run_dir(out_dir, task["run_id"]).mkdir(parents=True, exist_ok=True)
    store.write_run_status(out_dir, task["run_id"], "error", {}, error, trace, 0.0)
    return {"run_id": task["run_id"], "status": "error", "error": error, "wall_time_s": 0.0}


# --------------------------------------------------------------------------- the sweep


@dataclass
class SweepReport:
    """What a sweep did: counts over the whole plan and for this invocation."""

    out: Path
    planned: int
    ok: int
    failed: int
    skipped: int
    executed: int
    executor: str
    wall_time_s: float


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
def _exclusive(out: Path) -> Iterator[None]:
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


def _scenario_sha256(design: Design) -> str:
    from spacemarket.market.scenario.files import resolved_document, to_toml

    doc, _ = resolved_document(design.scenario_ref)
    return hashlib.sha256(to_toml(doc).encode("utf-8")).hexdigest()


def _check_out_dir(out: Path, design_bytes: bytes, plan: pd.DataFrame, resume: bool) -> bool:
    """Validate ``--out`` against ``--resume``; return True when resuming into it."""
    if out.exists() and not out.is_dir():
        raise InputError("--out", f"{out} exists and is not a directory")
    if not out.exists() or not [p for p in out.iterdir() if p.name != LOCK]:
        return False
    if not resume:
        raise InputError(
            "--out",
            f"{out} is not empty; add --resume to continue the sweep in it, "
            "or choose a new directory",
        )
    saved = out / store.DESIGN
    if not saved.is_file():
        raise InputError("--resume", f"{out} holds no sweep (no {store.DESIGN})")
    if saved.read_bytes() != design_bytes:
        raise InputError(
            "--resume", f"the design differs from the one the sweep in {out} was started with"
        )
    if not (out / store.PLAN).is_file():  # killed before the plan was written
        return True
    old = store.load_plan(out)
    if not old.equals(plan):
        raise InputError(
            "--resume",
            f"the plan differs from {out / store.PLAN} (a different numpy or scipy version "
            "samples differently); start a new directory",
        )
    return True


def _tasks(plan: pd.DataFrame, design: Design, out: Path, skip: set[str]) -> list[dict]:
    tasks = []
    for row in plan.to_dict("records"):
        if row["run_id"] in skip:
            continue
        tasks.append(
            {
                "out_dir": str(out),
                "run_id": row["run_id"],
                "sample": int(row["sample"]),
                "policy": row["policy"],
                "replication": int(row["replication"]),
                "scenario": design.scenario_ref,
                "overrides": run_overrides(row, design),
                "entropy": row["seed_entropy"],
                "spawn_key": [int(k) for k in row["spawn_key"].split(",")],
                "steps": design.steps,
                "outcomes": list(design.outcomes),
            }
        )
    return tasks


def _progress(total: int, initial: int, quiet: bool, file: Any):
    from tqdm.auto import tqdm

    return tqdm(
        total=total,
        initial=initial,
        unit="run",
        desc="sweep",
        disable=quiet,
        file=file if file is not None else sys.stderr,
        dynamic_ncols=True,
        smoothing=0.1,
    )


def run_sweep(
    design_path: str | Path,
    out: str | Path,
    *,
    workers: int | None = None,
    scheduler: str | None = None,
    dask_local: int | None = None,
    resume: bool = False,
    quiet: bool = True,
    progress_file: Any = None,
) -> SweepReport:
    """Run every planned run of the design at ``design_path`` into ``out``.

    Validates the design (``DesignError``) and ``out`` (``InputError``) before anything is
    written. ``workers`` (default: CPU count) sizes the local process pool; ``workers=1`` runs
    in-process. ``dask_local=N`` starts a local Dask cluster of N single-threaded worker
    processes; ``scheduler`` connects to an existing one. With ``resume``, runs whose
    ``outcomes.json`` says ``ok`` are skipped and failed ones rerun.
    """
    started = time.perf_counter()
    design_path = Path(design_path)
    design = load_design(design_path)
    design_bytes = design_path.read_bytes()
    if workers is not None and workers < 1:
        raise InputError("--workers", f"must be >= 1, got {workers}")
    if dask_local is not None and dask_local < 1:
        raise InputError("--dask-local", f"must be >= 1, got {dask_local}")
    out = Path(out).resolve()
    plan = build_plan(design)
    resuming = _check_out_dir(out, design_bytes, plan, resume)
    scenario_sha = _scenario_sha256(design)
    if resuming:
        old = store.read_manifest(out).get("scenario_sha256")
        if old and old != scenario_sha:
            raise InputError(
                "--resume", f"scenario {design.scenario} changed since the sweep in {out} began"
            )

    use_dask = scheduler is not None or dask_local is not None
    dask_pool = _DaskPool(scheduler, dask_local) if use_dask else None  # before any write
    try:
        ensure_dir(out)
        with _exclusive(out):
            return _execute(
                design=design,
                design_path=design_path,
                design_bytes=design_bytes,
                plan=plan,
                out=out,
                resuming=resuming,
                scenario_sha=scenario_sha,
                workers=workers,
                dask_pool=dask_pool,
                quiet=quiet,
                progress_file=progress_file,
                started=started,
            )
    finally:
        if dask_pool is not None:
            dask_pool.close()


def _execute(
    *,
    design: Design,
    design_path: Path,
    design_bytes: bytes,
    plan: pd.DataFrame,
    out: Path,
    resuming: bool,
    scenario_sha: str,
    workers: int | None,
    dask_pool: _DaskPool | None,
    quiet: bool,
    progress_file: Any,
    started: float,
) -> SweepReport:
    """The part of :func:`run_sweep` that writes: run under the directory's lock."""
    planned = len(plan)
    skip = set()
    if resuming:  # read under the lock: no other sweep is finishing runs meanwhile
        for rid in plan["run_id"]:
            doc = store.read_run_status(out, rid)
            if doc is not None and doc["status"] == "ok":
                skip.add(rid)
    tasks = _tasks(plan, design, out, skip)
    n_workers = workers if workers is not None else (os.cpu_count() or 1)
    n_workers = max(1, min(n_workers, len(tasks) or 1))
    if dask_pool is not None:
        executor_name = dask_pool.name
    elif n_workers > 1:
        executor_name = f"process pool ({_mp_context().get_start_method()}, {n_workers} workers)"
    else:
        executor_name = "in-process (1 worker)"
    manifest = {
        "job": "sweep",
        "design": str(design_path.resolve()),
        "design_sha256": hashlib.sha256(design_bytes).hexdigest(),
        "scenario": design.scenario,
        "scenario_ref": design.scenario_ref,
        "scenario_sha256": scenario_sha,
        "root_seed": design.root_seed,
        "seeding": "numpy SeedSequence(root_seed, spawn_key=(1, sample, replication)); "
        "sampler: spawn_key=(0,)",
        "steps": design.steps,
        "sampling": {"method": design.method, "samples": design.samples},
        "uncertainties": [u.key for u in design.uncertainties],
        "policies": [p.name for p in design.policies],
        "replications": design.replications,
        "outcomes": list(design.outcomes),
        "runs_planned": planned,
        "executor": executor_name,
        "resumed": resuming,
    }
    store.remove_temp_files(out)
    if not resuming:
        atomic_write_bytes(out / store.DESIGN, design_bytes)
    if not (out / store.PLAN).is_file():
        write_frame(plan, out / store.PLAN)
    ensure_dir(out / store.RUNS)
    if dask_pool is not None:
        dask_pool.check_workers(str(out))
    write_manifest(out / store.MANIFEST, status="running", **manifest)

    failed = executed = 0
    bar = _progress(planned, len(skip), quiet, progress_file)

    def record(status: dict[str, Any]) -> None:
        nonlocal failed, executed
        executed += 1
        if status["status"] != "ok":
            failed += 1
            log.warning("run %s failed: %s", status["run_id"], status["error"])
        bar.update(1)
        bar.set_postfix(failed=failed, refresh=False)

    pool: _LocalPool | _DaskPool | None = dask_pool
    try:
        if dask_pool is not None:
            _drain(tasks, dask_pool, record, str(out))
        elif n_workers > 1 and tasks:
            with _single_threaded_children():
                pool = _LocalPool(n_workers)
                _drain(tasks, pool, record, str(out))
        else:
            for task in tasks:
                record(run_one(task))
    except KeyboardInterrupt:
        if pool is not None:
            pool.close(cancel=True)
        bar.close()
        _finish(out, manifest, "interrupted", started, len(skip), executed)
        raise
    finally:
        bar.close()
        if isinstance(pool, _LocalPool):
            pool.close()
    return _finish(out, manifest, "complete", started, len(skip), executed)


def _finish(
    out: Path, manifest: dict, status: str, started: float, skipped: int, executed: int
) -> SweepReport:
    table = store.write_outcomes_table(out)
    counts = table["status"].value_counts()
    ok, failed = int(counts.get("ok", 0)), int(counts.get("error", 0))
    wall = round(time.perf_counter() - started, 3)
    write_manifest(
        out / store.MANIFEST,
        status=status,
        runs_done=ok,
        runs_failed=failed,
        runs_pending=int(counts.get("pending", 0)),
        runs_skipped=skipped,
        runs_executed=executed,
        wall_time_s=wall,
        finished_at=datetime.now(UTC).isoformat(timespec="seconds"),
        **manifest,
    )
    return SweepReport(
        out, manifest["runs_planned"], ok, failed, skipped, executed, manifest["executor"], wall
    )
