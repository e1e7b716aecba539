"""How the vault stores rows: bulk transactions and the contacts layout migration (schema 2)."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import ME, create_vault
from tracer import contacts, ingest
from tracer.errors import VaultError
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault, chunks, schema
from tracer.vault.store import DB_NAME


def journal_mode(conn: sqlite3.Connection) -> str:
    return str(conn.execute("PRAGMA journal_mode").fetchone()[0])


def count(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM contacts").fetchone()[0])


def records(n: int, start: int = 0) -> list[ContactRecord]:
    base = datetime(2026, 3, 1, tzinfo=UTC)
    return [
        ContactRecord(
            Channel.CALL,
            base + timedelta(minutes=i),
            to="+8613900139001",
            sender=f"+86170{i:08d}",
            heard_name="杨先生" if i % 2 else None,
            external_id=f"row-{i}",
            line=i + 2,
        )
        for i in range(start, start + n)
    ]


def insert(vault: Vault, batch: list[ContactRecord]) -> None:
    contacts.store_records(vault, batch, "b_000000000001", "f" * 64)


def legacy_rows(vault: Vault, batch: list[ContactRecord]) -> list[tuple[object, ...]]:
    """Rows as schemas 1 and 2 stored them: (dedupe, channel, at, to_bi, from_bi, batch_id, enc),
    each with its own sealed document (the JSON list `chunks.LEGACY_DOCUMENT`)."""
    index, fields = contacts._Rows(vault.keys, "b_000000000001", "f" * 64).build(ingest.Batch.of(batch))
    out = []
    for i, row in enumerate(zip(*index, strict=True)):
        document = [fields[name if name != "headers" else "headers"][i] for name in chunks.LEGACY_DOCUMENT]
        out.append((*row, vault.seal("contacts", fields["id"][i], document)))
    return out


# -- bulk transactions ----------------------------------------------------------------------


def test_a_bulk_transaction_writes_through_a_rollback_journal_and_returns_to_wal(vault):
    with vault.transaction(bulk=True) as conn:
        assert journal_mode(conn) == "delete"
        insert(vault, records(10))
    assert journal_mode(vault.conn) == "wal"
    assert count(vault) == 10


def test_a_failed_bulk_transaction_leaves_nothing_and_returns_to_wal(vault):
    with pytest.raises(RuntimeError), vault.transaction(bulk=True):
        insert(vault, records(10))
        raise RuntimeError("stop")
    assert journal_mode(vault.conn) == "wal"
    assert count(vault) == 0


def test_while_another_connection_is_open_a_bulk_transaction_runs_in_wal_mode(vault, home):
    other = sqlite3.connect(home / DB_NAME)
    try:
        other.execute("SELECT count(*) FROM contacts").fetchone()
        with vault.transaction(bulk=True) as conn:
            assert journal_mode(conn) == "wal"
            insert(vault, records(3))
        assert other.execute("SELECT count(*) FROM contacts").fetchone()[0] == 3
    finally:
        other.close()


def test_opening_the_vault_during_a_bulk_transaction_is_refused_as_busy(vault, home):
    with vault.transaction(bulk=True):
        insert(vault, records(3))
        with pytest.raises(VaultError, match="busy"):
            Vault.open(home, ME.passphrase)
    with Vault.open(home, ME.passphrase) as again:
        assert count(again) == 3


# -- schema 2: contact ids derived from dedupe keys -------------------------------------------

V1_INSERT = (
    "INSERT OR IGNORE INTO contacts(id, dedupe, channel, at, to_bi, from_bi, batch_id, enc)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


@pytest.fixture
def v1_home(env, home, monkeypatch) -> Path:
    """A vault as schema 1 left it: stored ids, unique dedupe keys, 40 contacts, one deleted."""
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
        patch.setattr(schema, "LATEST", 1)
        vault = create_vault(home)
        rows = legacy_rows(vault, records(40))
        with vault.transaction() as conn:
            conn.executemany(V1_INSERT, [("k_" + row[0][:8].hex(), *row) for row in rows])
            conn.execute("UPDATE contacts SET deleted_at = 1.0 WHERE rowid = 7")
        vault.close()
    return home


def test_migration_2_keeps_every_contact_its_id_order_and_deletion(v1_home):
    conn = sqlite3.connect(v1_home / DB_NAME)
    before_rows = conn.execute("SELECT id, dedupe, deleted_at FROM contacts ORDER BY rowid").fetchall()
    conn.close()
    with Vault.open(v1_home, ME.passphrase) as vault:
        assert schema.version(vault.conn) == schema.LATEST
        after_rows = vault.conn.execute(
            "SELECT id, dedupe, deleted_at FROM contacts ORDER BY rowid"
        ).fetchall()
        frame = contacts.frame(vault, include_deleted=True)
        shown = contacts.show(vault, before_rows[0][0])
    assert after_rows == before_rows
    assert list(frame["id"]) == [r[0] for r in before_rows]  # ordered by time, as they were stored
    assert shown["external_id"] == "row-0" and shown["heard_name"] is None


def test_a_migrated_vault_reads_the_same_frame_and_still_knows_its_contacts(v1_home, tmp_path):
    with Vault.open(v1_home, ME.passphrase) as vault:
        frame = contacts.frame(vault)
        before = count(vault)
        with vault.transaction():
            insert(vault, records(45))
        assert count(vault) == before + 5  # the 40 already stored are known by their dedupe keys
    with Vault.open(v1_home, ME.passphrase) as vault:
        again = contacts.frame(vault)
    pd.testing.assert_frame_equal(again[again["id"].isin(frame["id"])].reset_index(drop=True), frame)


def test_the_contacts_table_has_one_unique_index_on_the_derived_id(vault):
    indexes = {name: unique for _, name, unique, *_ in vault.conn.execute("PRAGMA index_list(contacts)")}
    assert indexes == {"contacts_id": 1, "contacts_to": 0}
    insert(vault, records(2))
    (cid, dedupe), _ = vault.conn.execute("SELECT id, dedupe FROM contacts").fetchall()
    assert cid == "k_" + bytes(dedupe)[:8].hex()


def test_temporary_sorts_spill_to_a_file_not_to_memory(vault):
    # the receivers' index rebuilt after a bulk import sorts every row: held in memory, the
    # import's peak grew with the file (20M rows: 1.8 GiB); spilled, it stays the page cache's
    assert vault.conn.execute("PRAGMA temp_store").fetchone()[0] == 1  # FILE
