"""Process lifetime: SIGTERM as an interrupt, and pool workers that die with their parent.

:func:`install_sigterm_handler` makes SIGTERM (what ``kill``, ``timeout``, systemd and
container runtimes send) raise :class:`Terminated`, a :class:`KeyboardInterrupt`, in the main
thread: the code that handles Ctrl-C (a sweep cancels its pool, writes an ``interrupted``
manifest and releases its lock) handles it too. A second SIGTERM terminates at once.

:func:`exit_with_parent` is for the initializer of pool workers. With the ``forkserver``
start method a worker is a child of the fork server, not of the process that made the pool,
and every worker holds the write end of its own task queue, so a worker whose parent is
killed (SIGKILL, the OOM killer) waits for a task forever; the fork server and the resource
tracker stay up while a worker lives. The worker therefore watches its parent itself: a
daemon thread waits on ``multiprocessing.parent_process().sentinel`` (a pipe the parent
holds open: it reads as closed the moment the parent dies, even as a zombie) and on the
parent's pid, and calls ``os._exit``. On Linux the worker also asks the kernel
(``prctl(PR_SET_PDEATHSIG, SIGKILL)``) to be killed when the fork server dies.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from types import FrameType

__all__ = [
    "PARENT_GONE_EXIT",
    "Terminated",
    "exit_with_parent",
    "install_sigterm_handler",
    "process_alive",
]

#: Exit status of a worker that ends because its parent is gone.
PARENT_GONE_EXIT = 75

#: How often (seconds) a worker checks its parent's pid besides waiting on its sentinel.
POLL_S = 0.5


class Terminated(KeyboardInterrupt):
    """Raised in the main thread by the SIGTERM handler of :func:`install_sigterm_handler`.

    A :class:`KeyboardInterrupt`, so every ``except KeyboardInterrupt`` (clean-up after
    Ctrl-C) applies; ``signum`` says which signal it was.
    """

    def __init__(self, signum: int = signal.SIGTERM) -> None:
        self.signum = signum
        super().__init__(f"terminated by {signal.Signals(signum).name}")

    def __reduce__(self):
        return (type(self), (self.signum,))


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    del frame
    # the first signal interrupts; a second one, while the clean-up runs, ends the process
    signal.signal(signum, signal.SIG_DFL)
    raise Terminated(signum)


def install_sigterm_handler(signums: tuple[int, ...] = (signal.SIGTERM,)) -> bool:
    """Make SIGTERM raise :class:`Terminated` (a ``KeyboardInterrupt``) in the main thread.

    Call it once at the start of a command line program. It installs the handler only where
    the signal still has its default action (a handler set by the embedding program, or an
    ignored signal, is kept) and only from the main thread (elsewhere Python cannot set
    signal handlers). After the first signal the default action is restored, so a second
    SIGTERM during the clean-up terminates the process. Returns whether a handler was
    installed for every signal in ``signums``.
    """
    if threading.current_thread() is not threading.main_thread():
        return False
    installed = True
    for signum in signums:
        current = signal.getsignal(signum)
        if current is _raise_terminated:
            continue
        if current is not signal.SIG_DFL:
            installed = False
            continue
        signal.signal(signum, _raise_terminated)
    return installed


# --------------------------------------------------------------------------- pool workers


def process_alive(pid: int) -> bool:
    """Whether process ``pid`` exists on this host and is not a zombie (a dead process that
    its own parent has not waited for yet)."""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        pass
    except OSError:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            state = f.read().rsplit(b")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True  # no /proc (not Linux), or it just ended: the kill above said alive
    return state not in (b"Z", b"X")


def _set_pdeathsig(sig: int = signal.SIGKILL) -> bool:
    """Linux: ask the kernel to send ``sig`` to this process when its parent dies."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        return libc.prctl(pr_set_pdeathsig, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(sentinel: int | None, pid: int, poll_s: float) -> None:
    from multiprocessing.connection import wait

    while True:
        if sentinel is not None:
            try:
                if wait([sentinel], timeout=poll_s):
                    break
            except OSError:  # the sentinel was closed under us: rely on the pid alone
                sentinel = None
        else:
            threading.Event().wait(poll_s)
        if not process_alive(pid):
            break
    os._exit(PARENT_GONE_EXIT)


def exit_with_parent(parent_pid: int | None = None, poll_s: float = POLL_S) -> None:
    """Make this pool worker exit (``os._exit``) soon after the process that made the pool dies.

    Call it from the pool's initializer; ``parent_pid`` is that process's pid (default: the
    ``multiprocessing`` parent, else ``os.getppid()``). A daemon thread waits on the parent's
    sentinel (ready at once when the parent dies) and polls ``parent_pid`` every ``poll_s``
    seconds. Where the worker's own parent is a different process (the fork server), Linux
    also kills the worker when that one dies (``PR_SET_PDEATHSIG``): the pool's owner has then
    lost track of the worker. Returns at once.
    """
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent_pid is None:
        parent_pid = parent.pid if parent is not None and parent.pid else os.getppid()
    sentinel = parent.sentinel if parent is not None else None
    ppid = os.getppid()
    # Not when the worker is the parent's own child: PR_SET_PDEATHSIG fires when the *thread*
    # that started it ends, which in a multithreaded parent may be long before the process.
    if ppid != parent_pid and _set_pdeathsig() and os.getppid() != ppid:
        os._exit(PARENT_GONE_EXIT)  # the fork server died before the kernel was told
    if not process_alive(parent_pid):
        os._exit(PARENT_GONE_EXIT)
    with contextlib.suppress(RuntimeError):  # interpreter shutting down
        threading.Thread(
            target=_watch,
            args=(sentinel, parent_pid, poll_s),
            name="spacemarket-exit-with-parent",
            daemon=True,
        ).start()
