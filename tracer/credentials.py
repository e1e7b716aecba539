"""Service credentials (Twilio auth token, IMAP password): the environment, else the OS keyring.

Nothing here writes a credential anywhere. To keep one in the keyring instead of the environment:
`python -m keyring set leak-tracer twilio-auth-token` (or `imap-password`).
"""

from __future__ import annotations

import os

SERVICE = "leak-tracer"  # the keyring service name every credential is stored under


def lookup(env: str, keyring_name: str) -> str | None:
    """$`env` when set and not blank, else the keyring's (SERVICE, `keyring_name`), else None."""
    value = os.environ.get(env, "").strip()
    if value:
        return value
    return _from_keyring(keyring_name)


def _from_keyring(name: str) -> str | None:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # keyring is a dependency; a stripped install just has no keyring
        return None
    try:
        return keyring.get_password(SERVICE, name)
    except (KeyringError, RuntimeError):  # no backend on a headless box: as if nothing is stored
        return None
