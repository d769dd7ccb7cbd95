"""``install_sigterm_handler``: SIGTERM becomes a KeyboardInterrupt, once.

Each case runs in a fresh interpreter (signal dispositions are process-wide; pytest's own
must stay as they are). What a sweep does with the interrupt is tested in
``test_sweep_parent_killed.py``.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading

import pytest

from spacemarket.experiments.outputs.signals import install_sigterm_handler

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals")


def _python(code: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )


def test_sigterm_raises_terminated_and_a_second_sigterm_ends_the_process():
    r = _python(
        """
        import os, signal, time
        from spacemarket.experiments.outputs.signals import Terminated, install_sigterm_handler
        assert install_sigterm_handler() and install_sigterm_handler()  # idempotent
        try:
            os.kill(os.getpid(), signal.SIGTERM)
            time.sleep(10)
            print("not interrupted")
        except KeyboardInterrupt as exc:  # what code written for Ctrl-C catches
            print(type(exc).__name__, exc.signum, isinstance(exc, Terminated), exc, flush=True)
        os.kill(os.getpid(), signal.SIGTERM)  # during the clean-up: no second interrupt
        time.sleep(10)
        print("survived a second SIGTERM")
        """
    )
    assert r.stdout.splitlines() == [f"Terminated {int(signal.SIGTERM)} True terminated by SIGTERM"]
    assert r.returncode == -signal.SIGTERM, r.stderr


def test_a_disposition_set_by_the_program_is_kept():
    r = _python(
        """
        import signal
        from spacemarket.experiments.outputs.signals import install_sigterm_handler
        signal.signal(signal.SIGTERM, signal.SIG_IGN)  # e.g. started under nohup-like tools
        assert install_sigterm_handler() is False
        assert signal.getsignal(signal.SIGTERM) is signal.SIG_IGN
        def own(signum, frame):
            pass
        signal.signal(signal.SIGTERM, own)
        assert install_sigterm_handler() is False
        assert signal.getsignal(signal.SIGTERM) is own
        print("kept")
        """
    )
    assert r.returncode == 0 and r.stdout.strip() == "kept", r.stderr


def test_outside_the_main_thread_nothing_is_installed():
    before = signal.getsignal(signal.SIGTERM)
    result = []
    t = threading.Thread(target=lambda: result.append(install_sigterm_handler()))
    t.start()
    t.join()
    assert result == [False]
    assert signal.getsignal(signal.SIGTERM) is before
