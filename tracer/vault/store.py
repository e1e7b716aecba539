"""The vault: one SQLite file, its keys, its settings, and sealed (encrypted) rows."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag

from tracer.errors import IntegrityError, RefusedError, VaultError
from tracer.vault import schema
from tracer.vault.keys import KdfParams, Keyring

DB_NAME = "vault.sqlite"


@dataclass(frozen=True)
class Settings:
    """What `tracer init` records about the user. Stored sealed, like every identity field."""

    real_name: str
    phone: str | None
    email: str | None
    locale: str = "zh_CN"
    region: str = "CN"
    timezone: str = "UTC"
    email_domain: str | None = None  # a catch-all domain the user owns

    @property
    def plus_mailbox(self) -> str | None:
        """Plus-addressing on the user's own mailbox when no catch-all domain is set."""
        return self.email if (self.email and not self.email_domain) else None


class Vault:
    """An open vault. Use `Vault.create` or `Vault.open`; close with `close()` or `with`."""

    def __init__(self, home: Path, conn: sqlite3.Connection, keys: Keyring, settings: Settings):
        self.home = home
        self.conn = conn
        self.keys = keys
        self.settings = settings

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def create(cls, home: Path, passphrase: str, settings: Settings) -> Vault:
        db = home / DB_NAME
        if db.exists():
            raise RefusedError(f"a vault already exists at {home}", hint="use another --home")
        if not passphrase:
            raise VaultError("an empty passphrase is not allowed")
        home.mkdir(parents=True, exist_ok=True)
        conn = _connect(db)
        schema.migrate(conn)
        keys, kdf = Keyring.generate(), KdfParams.fresh()
        vault = cls(home, conn, keys, settings)
        with vault.transaction():
            vault._put_meta("kdf", json.dumps(kdf.to_json()).encode())
            vault._put_meta("keys", keys.seal(kdf.derive(passphrase)))
            vault._put_meta("public_key", keys.public_bytes())
            vault._put_meta("settings", vault.seal("meta", "settings", asdict(settings)))
        return vault

    @classmethod
    def open(cls, home: Path, passphrase: str) -> Vault:
        db = home / DB_NAME
        if not db.exists():
            raise VaultError(f"no vault at {home}", hint="run `tracer init` first or pass --home")
        conn = _connect(db)
        if schema.version(conn) > schema.LATEST:
            raise VaultError("this vault was written by a newer tracer", hint="upgrade tracer")
        schema.migrate(conn)
        kdf = KdfParams.from_json(json.loads(_meta(conn, "kdf")))
        keys = Keyring.unseal(kdf.derive(passphrase), _meta(conn, "keys"))
        vault = cls(home, conn, keys, Settings(real_name="", phone=None, email=None))
        vault.settings = Settings(**vault.unseal("meta", "settings", _meta(conn, "settings")))
        return vault

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and sealed rows ------------------------------------------------------------
    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """All or nothing: any exception rolls back every write made inside."""
        if self.conn.in_transaction:
            yield self.conn
            return
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        self.conn.execute("COMMIT")

    def seal(self, table: str, row_id: str, doc: Any) -> bytes:
        data = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        return self.keys.encrypt(data, f"{table}:{row_id}".encode())

    def unseal(self, table: str, row_id: str, blob: bytes) -> Any:
        try:
            return json.loads(self.keys.decrypt(blob, f"{table}:{row_id}".encode()))
        except (InvalidTag, ValueError):
            raise IntegrityError(f"{table} row {row_id} was altered: it no longer decrypts") from None

    def blind(self, kind: str, value: str, *, remember: bool = True) -> bytes:
        return self.keys.blind(kind, value, remember=remember)

    def change_passphrase(self, new_passphrase: str) -> None:
        if not new_passphrase:
            raise VaultError("an empty passphrase is not allowed")
        kdf = KdfParams.fresh()
        with self.transaction():
            self._put_meta("kdf", json.dumps(kdf.to_json()).encode())
            self._put_meta("keys", self.keys.seal(kdf.derive(new_passphrase)))

    def meta(self, key: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def _put_meta(self, key: str, value: bytes) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


def _connect(db: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    # a 256 MiB page cache keeps the contacts' random-order indexes (id, dedupe) in memory while a
    # multi-million-row import inserts into them; SQLite only takes the memory it uses
    conn.execute("PRAGMA cache_size=-262144")
    conn.execute("PRAGMA temp_store=MEMORY")
    return conn


def _meta(conn: sqlite3.Connection, key: str) -> bytes:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise VaultError(f"the vault is incomplete: meta '{key}' is missing")
    return bytes(row[0])
