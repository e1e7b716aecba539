"""Service credentials come from the environment, else the OS keyring, else nowhere."""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from keyring.backend import KeyringBackend
from keyring.errors import NoKeyringError

from tracer import credentials, mailbox


class MemoryKeyring(KeyringBackend):
    """A keyring that keeps passwords in a dict (what the OS keyring would hold)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class BrokenKeyring(MemoryKeyring):
    def get_password(self, service: str, username: str) -> str | None:
        raise NoKeyringError("no backend")


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    ring = MemoryKeyring()
    keyring.set_keyring(ring)
    yield ring
    keyring.set_keyring(previous)


def test_the_environment_wins_then_the_keyring(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch):
    memory_keyring.set_password(credentials.SERVICE, mailbox.PASSWORD_KEYRING, "from-keyring")
    monkeypatch.delenv("TRACER_IMAP_PASSWORD", raising=False)
    assert credentials.lookup("TRACER_IMAP_PASSWORD", mailbox.PASSWORD_KEYRING) == "from-keyring"
    monkeypatch.setenv("TRACER_IMAP_PASSWORD", "from-env")
    assert credentials.lookup("TRACER_IMAP_PASSWORD", mailbox.PASSWORD_KEYRING) == "from-env"
    monkeypatch.setenv("TRACER_IMAP_PASSWORD", "  ")  # blank counts as unset
    assert credentials.lookup("TRACER_IMAP_PASSWORD", mailbox.PASSWORD_KEYRING) == "from-keyring"


def test_an_imap_account_takes_its_password_from_the_keyring(memory_keyring: MemoryKeyring, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv("TRACER_IMAP_PASSWORD", raising=False)
    memory_keyring.set_password(credentials.SERVICE, mailbox.PASSWORD_KEYRING, "kr-secret")
    account = mailbox.Account.from_env(host="127.0.0.1", user="catchall@mail.example.org")
    assert account.password == "kr-secret" and "kr-secret" not in repr(account)


def test_a_keyring_without_a_backend_counts_as_empty(monkeypatch: pytest.MonkeyPatch):
    previous = keyring.get_keyring()
    keyring.set_keyring(BrokenKeyring())
    try:
        monkeypatch.delenv("TRACER_TWILIO_AUTH_TOKEN", raising=False)
        assert credentials.lookup("TRACER_TWILIO_AUTH_TOKEN", "twilio-auth-token") is None
    finally:
        keyring.set_keyring(previous)
