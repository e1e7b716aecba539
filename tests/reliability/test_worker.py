"""The forked import worker and the ledger's signer never outlive their parent, even after kill -9."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

SCRIPT = """
import sys, time
from tracer import forks
from tracer.ingest import pipeline
{before}

def forever():
    while True:
        time.sleep(0.05)
        yield b"x" * 10

with pipeline.forked(forever) as items:
    next(items)
    import multiprocessing
    print(multiprocessing.active_children()[0].pid, flush=True)
    time.sleep(600)
"""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as handle:  # a zombie (reaped by init later) is not alive
        return handle.read().split()[2] != "Z"


SIGNER = """
import time
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from tracer import forks, ledger
{before}
with ledger.Signer(Ed25519PrivateKey.generate()) as signer:
    signer.sign([b"first"]).result()
    signer.sign([b"second"]).result()  # the second block forks the worker
    import multiprocessing
    print(multiprocessing.active_children()[0].pid, flush=True)
    time.sleep(600)
"""


@pytest.mark.parametrize(
    "before",
    ["", "forks._DEATH_SIGNAL = False  # as where there is no prctl: only the pipe watch is left"],
    ids=["death signal", "pipe watch"],
)
@pytest.mark.parametrize(
    "script",
    [SCRIPT, SIGNER],
    ids=["import worker", "ledger signer"],  # the signer's worker holds the vault's signing key
)
def test_a_worker_dies_when_its_parent_is_killed_with_sigkill(script: str, before: str):
    parent = subprocess.Popen(
        [sys.executable, "-c", script.format(before=before)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert parent.stdout is not None
        worker = int(parent.stdout.readline())
        assert alive(worker)
        parent.send_signal(signal.SIGKILL)
        parent.wait(timeout=30)
        deadline = time.monotonic() + 20
        while alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(worker), "the worker outlived its parent"
    finally:
        parent.kill()
        parent.wait()
