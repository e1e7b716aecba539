"""Encrypted, blind-indexed SQLite storage. See docs/threat-model.md."""

from tracer.vault.keys import KdfParams, Keyring
from tracer.vault.store import Settings, Vault

__all__ = ["KdfParams", "Keyring", "Settings", "Vault"]
