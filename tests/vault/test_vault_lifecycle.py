"""Opening, creating and re-keying a vault; the schema version it records."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from tracer import identities, lifecycle, pool
from tracer.errors import RefusedError, VaultError
from tracer.vault import Vault, schema
from tracer.vault.store import DB_NAME


def snapshot(home: Path) -> dict[str, bytes]:
    """Every file of the vault folder that holds data (an empty -wal holds none)."""
    return {p.name: p.read_bytes() for p in sorted(home.iterdir()) if p.stat().st_size}


def test_wrong_passphrase_raises_vault_error_and_leaves_the_file_unchanged(filled, vault, home):
    vault.close()
    before = (home / DB_NAME).read_bytes()
    with pytest.raises(VaultError, match="wrong passphrase") as caught:
        Vault.open(home, "not the passphrase")
    assert caught.value.exit_code == 1
    assert (home / DB_NAME).read_bytes() == before
    wal = home / f"{DB_NAME}-wal"
    assert not wal.exists() or wal.stat().st_size == 0


def test_opening_a_folder_without_a_vault_raises_vault_error(env, tmp_path: Path):
    with pytest.raises(VaultError, match="no vault"):
        Vault.open(tmp_path / "nothing-here", "pw")


def test_init_on_an_existing_vault_is_refused_and_changes_nothing(vault, home, me):
    vault.close()
    before = snapshot(home)
    with pytest.raises(RefusedError, match="already exists") as caught:
        lifecycle.init(home, "another passphrase", name="张三", phone="13900139009")
    assert caught.value.exit_code == 1
    assert snapshot(home) == before
    with Vault.open(home, me.passphrase) as again:
        assert again.settings.real_name == me.name


def test_an_empty_passphrase_is_refused_at_creation(env, home):
    with pytest.raises(VaultError, match="empty passphrase"):
        lifecycle.init(home, "", name="杨伟")


def test_init_records_settings_sealed_and_the_primary_number_in_the_pool(vault, me):
    assert vault.settings.real_name == me.name
    assert vault.settings.phone == me.phone
    assert vault.settings.email_domain == me.email_domain
    assert vault.settings.timezone == me.timezone
    [primary] = pool.numbers(vault)
    assert primary.e164 == me.phone and primary.primary


def test_passphrase_change_keeps_everything_readable_and_refuses_the_old_one(filled, vault, home, me):
    before = [c.identity for c in identities.canaries_in(vault)]
    vault.change_passphrase("a brand new passphrase")
    vault.close()
    with Vault.open(home, "a brand new passphrase") as reopened:
        assert reopened.settings.real_name == me.name
        assert [c.identity for c in identities.canaries_in(reopened)] == before
        assert len(pool.numbers(reopened)) == 5
        result = lifecycle.verify(reopened)
        assert result.canaries == len(before)
    with pytest.raises(VaultError, match="wrong passphrase"):
        Vault.open(home, me.passphrase)


def test_changing_to_an_empty_passphrase_is_refused(vault):
    with pytest.raises(VaultError):
        vault.change_passphrase("")


def test_schema_version_is_recorded_in_user_version(vault, home):
    vault.close()
    conn = sqlite3.connect(home / DB_NAME)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.LATEST >= 1
    finally:
        conn.close()


def test_a_vault_from_a_newer_schema_is_refused(vault, home, me):
    vault.close()
    conn = sqlite3.connect(home / DB_NAME)
    conn.execute(f"PRAGMA user_version = {schema.LATEST + 1}")
    conn.close()
    with pytest.raises(VaultError, match="newer"):
        Vault.open(home, me.passphrase)
