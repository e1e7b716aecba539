"""Encrypted, blind-indexed SQLite storage. See docs/threat-model.md.

The names below load on first use (PEP 562): `tracer.vault.peek`, which help reads before any
passphrase, must not load cryptography and the ledger with the package.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracer.vault.keys import KdfParams, Keyring
    from tracer.vault.store import Settings, Vault

__all__ = ["KdfParams", "Keyring", "Settings", "Vault"]
_WHERE = {"KdfParams": "keys", "Keyring": "keys", "Settings": "store", "Vault": "store"}


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'tracer.vault' has no attribute {name!r}")
    return getattr(import_module(f"tracer.vault.{_WHERE[name]}"), name)
