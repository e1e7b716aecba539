"""Vault schema: ordered migrations, applied in one transaction each; `PRAGMA user_version` counts them.

Every identity-bearing value lives in an `enc` column (AES-GCM, bound to its table and row id);
`*_bi` columns hold keyed blind indexes for joins. Times are UTC epoch seconds (REAL).
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: tuple[str, ...] = (
    # 1: the first layout
    """
    CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
    CREATE TABLE numbers (
        id TEXT PRIMARY KEY, phone_bi BLOB NOT NULL UNIQUE, control INTEGER NOT NULL,
        is_primary INTEGER NOT NULL, added_at REAL NOT NULL, retired_at REAL, enc BLOB NOT NULL);
    CREATE TABLE platforms (
        id TEXT PRIMARY KEY, name_bi BLOB NOT NULL UNIQUE, enc BLOB NOT NULL);
    CREATE TABLE canaries (
        id TEXT PRIMARY KEY, platform_id TEXT NOT NULL REFERENCES platforms(id),
        issued_at REAL NOT NULL, retired_at REAL, real_name INTEGER NOT NULL,
        phone_bi BLOB, email_bi BLOB, ledger_seq INTEGER NOT NULL, enc BLOB NOT NULL);
    CREATE INDEX canaries_phone ON canaries(phone_bi);
    CREATE INDEX canaries_email ON canaries(email_bi);
    CREATE TABLE batches (
        id TEXT PRIMARY KEY, at REAL NOT NULL, ledger_seq INTEGER NOT NULL, enc BLOB NOT NULL);
    CREATE TABLE contacts (
        id TEXT PRIMARY KEY, dedupe BLOB NOT NULL UNIQUE, channel TEXT NOT NULL, at REAL NOT NULL,
        to_bi BLOB, from_bi BLOB, batch_id TEXT, deleted_at REAL, enc BLOB NOT NULL);
    CREATE INDEX contacts_to ON contacts(to_bi);
    CREATE TABLE ledger (
        seq INTEGER PRIMARY KEY, header BLOB NOT NULL, signature BLOB NOT NULL,
        enc BLOB NOT NULL);
    """,
    # 2: a contact's id is "k_" + the first 8 bytes of its dedupe key in hex, so it is derived,
    # not stored, and its unique index is the only unique one: id and dedupe each had their own
    # (random-order, so costly for bulk imports), though a repeated dedupe always repeats the id.
    # Rows keep their order, dedupe keys and so their ids.
    """
    CREATE TABLE contacts_v2 (
        id TEXT GENERATED ALWAYS AS ('k_' || lower(hex(substr(dedupe, 1, 8)))) VIRTUAL,
        dedupe BLOB NOT NULL, channel TEXT NOT NULL, at REAL NOT NULL,
        to_bi BLOB, from_bi BLOB, batch_id TEXT, deleted_at REAL, enc BLOB NOT NULL);
    INSERT INTO contacts_v2(dedupe, channel, at, to_bi, from_bi, batch_id, deleted_at, enc)
        SELECT dedupe, channel, at, to_bi, from_bi, batch_id, deleted_at, enc FROM contacts ORDER BY rowid;
    DROP TABLE contacts;
    ALTER TABLE contacts_v2 RENAME TO contacts;
    CREATE UNIQUE INDEX contacts_id ON contacts(id);
    CREATE INDEX contacts_to ON contacts(to_bi);
    """,
    # 3: contacts sealed in chunks of columns (`vault/chunks.py`): a row points at its chunk and
    # slot, and `enc` (one sealed document per row) is left only on rows a vault that did not
    # verify kept. This step needs the keys to convert the rows, so `Vault.open` applies it (with
    # the conversion and its ledger entry, in one transaction) through `integrity.upgrade_storage`.
    """
    CREATE TABLE contacts_v3 (
        id TEXT GENERATED ALWAYS AS ('k_' || lower(hex(substr(dedupe, 1, 8)))) VIRTUAL,
        dedupe BLOB NOT NULL, channel TEXT NOT NULL, at REAL NOT NULL,
        to_bi BLOB, from_bi BLOB, batch_id TEXT, deleted_at REAL,
        chunk INTEGER, slot INTEGER, enc BLOB);
    INSERT INTO contacts_v3(dedupe, channel, at, to_bi, from_bi, batch_id, deleted_at, enc)
        SELECT dedupe, channel, at, to_bi, from_bi, batch_id, deleted_at, enc FROM contacts ORDER BY rowid;
    DROP TABLE contacts;
    ALTER TABLE contacts_v3 RENAME TO contacts;
    CREATE UNIQUE INDEX contacts_id ON contacts(id);
    CREATE INDEX contacts_to ON contacts(to_bi);
    CREATE TABLE contact_chunks (id INTEGER PRIMARY KEY, enc BLOB NOT NULL);
    """,
)

LATEST = len(MIGRATIONS)
KEYLESS = 2  # migrations up to this one need no keys: `Vault.open` applies them before unsealing


def version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def migrate(conn: sqlite3.Connection, upto: int = LATEST) -> int:
    """Apply the migrations this vault has not seen, up to `upto`, in order, one transaction
    each; returns the new version."""
    current = version(conn)
    for number, script in enumerate(MIGRATIONS[current:upto], start=current + 1):
        conn.executescript(f"BEGIN;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;")
    return version(conn)


def apply(conn: sqlite3.Connection, number: int) -> None:
    """Apply migration `number` inside the caller's transaction (statement by statement:
    `executescript` would commit it)."""
    for statement in MIGRATIONS[number - 1].split(";"):
        if statement.strip():
            conn.execute(statement)
    conn.execute(f"PRAGMA user_version = {number}")
