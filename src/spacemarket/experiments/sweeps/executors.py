"""Where runs execute: a local process pool or a Dask cluster, for sweeps and sensitivity.

:class:`LocalPool` is a :class:`concurrent.futures.ProcessPoolExecutor` with the
``forkserver`` start method (``spawn`` where forkserver is unavailable) that can be recreated
after a worker dies. Its workers ignore Ctrl-C (the parent handles it) and never outlive the
process that made the pool (:func:`init_worker`,
:func:`~spacemarket.experiments.outputs.signals.exit_with_parent`). Start it inside
:func:`single_threaded_children` so that N workers do not each run a multithreaded BLAS.
:class:`DaskPool` is a Dask client (on a given scheduler or a new ``LocalCluster``) seen as an
executor (``Client.get_executor(pure=False)``); both have ``workers``, ``executor``, ``name``,
``restart()`` and ``close(cancel)``."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
from collections.abc import Iterator
from concurrent.futures import Executor
from typing import Any

from spacemarket.errors import InputError, OutputError

__all__ = [
    "THREAD_ENV",
    "DaskPool",
    "LocalPool",
    "init_worker",
    "mp_context",
    "single_threaded_children",
]

log = logging.getLogger(__name__)


def mp_context() -> multiprocessing.context.BaseContext:
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        # warm start: the server imports the model once, each worker forks from it
        ctx.set_forkserver_preload(
            ["spacemarket.experiments.sweeps.task", "spacemarket.market.model.results"]
        )
        return ctx
    return multiprocessing.get_context("spawn")


#: Thread-pool sizes pinned to 1 in worker processes: N workers each running a multithreaded
#: BLAS on N cores oversubscribe the machine (measured: runs 3x slower on 2 cores).
#: Dask's nanny does the same for its workers (``distributed.nanny.pre-spawn-environ``).
THREAD_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")


@contextlib.contextmanager
def single_threaded_children() -> Iterator[None]:
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


def init_worker(parent_pid: int) -> None:
    """Pool-worker initializer: Ctrl-C is the parent's to handle, and the parent's death ends
    the worker.

    Without the first a SIGINT sent to the whole foreground process group makes every worker
    print a KeyboardInterrupt traceback while the parent shuts the pool down. Without the
    second a parent killed with SIGKILL leaves its workers (and with them the fork server and
    the resource tracker) waiting for tasks forever: see
    :func:`spacemarket.experiments.outputs.signals.exit_with_parent`.
    """
    import signal

    from spacemarket.experiments.outputs.signals import exit_with_parent

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    exit_with_parent(parent_pid)


class LocalPool:
    """A process pool that can be recreated after a worker dies.

    Use it inside :func:`single_threaded_children` (workers start lazily, on submit).
    """

    def __init__(self, workers: int) -> None:
        self.workers = workers
        self.ctx = mp_context()
        self.executor: Executor | None = self._new()
        self.name = f"process pool ({self.ctx.get_start_method()}, {workers} workers)"

    def _new(self) -> Executor:
        from concurrent.futures import ProcessPoolExecutor

        return ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=self.ctx,
            initializer=init_worker,
            initargs=(os.getpid(),),
        )

    def restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._new()

    def __enter__(self) -> LocalPool:
        return self

    def __exit__(self, exc_type: Any, exc: Any, trace: Any) -> None:
        """Close; on an exception (e.g. Ctrl-C) kill the workers rather than wait for them."""
        self.close(cancel=exc_type is not None)

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


class DaskPool:
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


def _probe(out_dir: str) -> dict[str, Any]:
    """Run on each Dask worker before the sweep: can it import us and write to DIR?"""
    import spacemarket

    return {"version": spacemarket.__version__, "writable": os.access(out_dir, os.W_OK)}
