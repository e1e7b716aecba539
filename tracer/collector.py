"""Process memory: Python's cyclic garbage collector paused while a step builds many objects that
hold no cycles (`paused`), and freed memory handed back to the system between the steps of a large
report (`release_memory`).

Each full collection walks every container object alive, so a step that keeps hundreds of
thousands of dicts alive to its end pays for them again and again: a 66,000-canary batch spent
1.2 s of its 10 s of CPU there (3,000 canaries under `gc.DEBUG_SAVEALL` left no cyclic garbage),
and a report's row dicts a third of `to_dict` at 200,000 contacts (3.2 s against 2.1 s).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import cast


@contextmanager
def paused() -> Iterator[None]:
    """The collector off inside, and afterwards as it was before, whatever happens."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def release_memory() -> None:
    """Give freed memory back to the system, between the steps of a large report: Arrow's
    allocator keeps freed blocks for reuse (about 0.4 GiB after reading 1.5M contacts), and so
    does the C heap, where NumPy's arrays and Python's objects live (`malloc_trim`: 250-330 MiB
    free inside the heap at 1.5M contacts, which the next step's peak otherwise sits on top of).
    Costs a few milliseconds."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's `malloc_trim`, or None where the C library has none (macOS, Windows, musl)."""
    import ctypes

    try:
        return cast(Callable[[int], int], ctypes.CDLL(None).malloc_trim)
    except (AttributeError, OSError, TypeError):
        return None
