"""Run a producer in a forked child process and stream what it yields back to this process.

A bulk import spends about as long reading and sealing rows (parsing, keyed hashes, encryption)
as SQLite spends storing them. A fork lets both run at once on two cores: the child inherits what
the parent already holds (options, the unsealed keys), produces, and sends each item over a pipe;
the parent consumes. The child must never use the parent's SQLite connection, which it inherits.

    with forked(lambda: make_items(path)) as items:
        for item in items:
            store(item)

What the child raises is raised in the parent, after every item yielded before it. Leaving the
`with` block early (an error, Ctrl-C) ends the child. Where there is no `fork` the producer runs
in this process.

The child never outlives the parent, even one killed with SIGKILL (which runs no cleanup): on
Linux the kernel sends it SIGKILL when the parent dies (prctl PR_SET_PDEATHSIG), and everywhere a
thread in the child waits on a pipe only the parent holds open, and exits when it closes.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import traceback
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from multiprocessing.connection import Connection
from typing import TypeVar

from tracer.forks import die_with_parent

T = TypeVar("T")
_ITEM, _DONE, _FAILED = "item", "done", "failed"
_PIPE_BYTES = 1 << 20


@contextmanager
def forked(produce: Callable[[], Iterable[T]]) -> Iterator[Iterator[T]]:
    """The items `produce()` yields, produced in a child process where the platform can fork."""
    if "fork" not in multiprocessing.get_all_start_methods():
        yield iter(produce())
        return
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    _widen(sender)
    lifeline, keep = os.pipe()  # the child reads `lifeline`; only this process holds `keep`
    child = context.Process(
        target=_produce_into, args=(produce, sender, (os.getpid(), lifeline, keep)), daemon=True
    )
    try:
        child.start()
    finally:
        os.close(lifeline)
    sender.close()
    try:
        yield _received(receiver, child)
    finally:
        receiver.close()  # a child still sending gets a broken pipe and exits
        child.terminate()
        child.join()
        os.close(keep)


def _widen(pipe: Connection) -> None:
    """Let the pipe hold several items (Linux: up to 1 MiB unprivileged, from 64 KiB), so that
    neither side waits for the other on every item when their paces vary."""
    import fcntl  # POSIX only, as is fork

    if hasattr(fcntl, "F_SETPIPE_SZ"):
        with suppress(OSError):  # a lower system limit: the default size works, with more waiting
            fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _received(receiver: Connection, child: multiprocessing.process.BaseProcess) -> Iterator[T]:
    while True:
        try:
            kind, payload = receiver.recv()
        except EOFError:
            child.join()
            raise RuntimeError(
                f"the worker process stopped unexpectedly (exit code {child.exitcode})"
            ) from None
        if kind == _DONE:
            return
        if kind == _FAILED:
            raise payload
        yield payload


def _produce_into(
    produce: Callable[[], Iterable[object]], sender: Connection, parent: tuple[int, int, int]
) -> None:
    """The child: send every item, then `_DONE`, or the exception that stopped it."""
    die_with_parent(*parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the parent, which ends this process
    gc.freeze()  # what the parent left is never garbage here: the collector need not walk (and copy) it
    try:
        for item in produce():
            sender.send((_ITEM, item))
        sender.send((_DONE, None))
    except BrokenPipeError:
        return  # the parent stopped listening: it has its own error to report
    except Exception as exc:  # every failure goes to the parent, which decides what it means
        with suppress(BrokenPipeError):
            sender.send((_FAILED, _portable(exc)))


def _portable(exc: Exception) -> Exception:
    """`exc` with the child's traceback as a note (shown by --verbose), or a RuntimeError standing in
    for it when it cannot be pickled. Tracebacks carry no local variables, so no secrets."""
    where = "".join(traceback.format_tb(exc.__traceback__))
    exc.add_note(f"raised in the worker process:\n{where}")
    try:
        pickle.dumps(exc)
    except Exception:  # pickling fails in as many ways as objects can hold unpicklable state
        return RuntimeError(f"{type(exc).__name__} in the worker process\n{where}")
    return exc
