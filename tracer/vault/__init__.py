"""Encrypted, blind-indexed SQLite storage. See docs/threat-model.md."""

from tracer.vault.keys import Keyring, KdfParams
from tracer.vault.store import Settings, Vault

__all__ = ["KdfParams", "Keyring", "Settings", "Vault"]
