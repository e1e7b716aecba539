"""What can be read from a vault without its passphrase or its keys: the file's name and the
plain-text locale, for help and errors shown before anything is unlocked. Kept apart from
`store` (which loads cryptography and the ledger) so that `tracer --help` loads neither."""

from __future__ import annotations

import sqlite3
from pathlib import Path

DB_NAME = "vault.sqlite"
# The one setting kept in plain text: the language of the vault's messages, so that help and
# errors shown before the passphrase is asked for are in the user's language already.
LOCALE_KEY = "locale"


def peek_locale(home: Path) -> str | None:
    """The vault's locale (zh_CN, en_US), read without the passphrase; None if it cannot be told."""
    db = home / DB_NAME
    if not db.is_file():
        return None
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = ?", (LOCALE_KEY,)).fetchone()
        finally:
            conn.close()
    except sqlite3.Error:
        return None
    return bytes(row[0]).decode("ascii", "replace") if row else None
