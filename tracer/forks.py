"""A forked worker that never outlives its parent: the import's reader (`ingest.pipeline`) and the
ledger's signer (`ledger.Signer`, which holds the signing key) both start one, and a worker left
running after its parent was killed with SIGKILL would hold the vault's data or key."""

from __future__ import annotations

import ctypes
import os
import signal
import sys
import threading
from contextlib import suppress

_PR_SET_PDEATHSIG = 1  # <sys/prctl.h>
_DEATH_SIGNAL = sys.platform.startswith("linux")  # prctl exists (tests turn it off to test the watch)


def die_with_parent(parent: int, lifeline: int, keep: int) -> None:
    """In a forked child: end when the parent (pid `parent`) ends, however it ends. `lifeline`
    is the read end of a pipe whose write end `keep` only the parent holds (it closes its copy
    of `lifeline` once the child runs)."""
    os.close(keep)  # the child's copy: the pipe must close when the parent's copy does
    if _DEATH_SIGNAL:
        with suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the death signal was set
        os._exit(1)

    def watch() -> None:
        with suppress(OSError):
            os.read(lifeline, 1)  # blocks until the parent's end closes: it exited or was killed
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
