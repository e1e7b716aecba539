"""The open vault behind the web app, used from one thread only.

SQLite connections belong to the thread that opened them, and the vault allows one writer at a
time anyway: every request's vault work is queued to a single worker thread that opened the
vault. Handlers await `desk.run(fn, *args)`; each write is one library call (one transaction,
one ledger entry), exactly as the CLI makes it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any, TypeVar

from tracer.vault import Settings, Vault
from tracer.vault.keys import Derived

T = TypeVar("T")


class Desk:
    """Owns an open `Vault` on its own thread. Close it when the server stops."""

    def __init__(self, home: Path, passphrase: str | Derived) -> None:
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="tracer-vault")
        self._vault: Vault = self._pool.submit(Vault.open, home, passphrase).result()
        self.settings: Settings = self._vault.settings
        self.home = home

    async def run(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """`fn(vault, *args, **kwargs)` on the vault's thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, partial(fn, self._vault, *args, **kwargs))

    def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """The same from synchronous code (a CLI command, a test)."""
        return self._pool.submit(partial(fn, self._vault, *args, **kwargs)).result()

    def close(self) -> None:
        self._pool.submit(self._vault.close).result()
        self._pool.shutdown()
