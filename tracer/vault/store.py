"""The vault: one SQLite file, its keys, its settings, and sealed (encrypted) rows."""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, nullcontext
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag

from tracer.errors import IntegrityError, RefusedError, StaleKeyError, VaultError
from tracer.i18n import _
from tracer.ledger import Entry, Ledger
from tracer.vault import schema
from tracer.vault.keys import Derived, KdfParams, Keyring
from tracer.vault.peek import DB_NAME, LOCALE_KEY, peek_locale  # kept importable from here too


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


@dataclass
class Change:
    """One change being made inside `Vault.record`: write through `conn`, add what the ledger
    entry should say to `content` (ids, counts, commitments), or `skip()` when nothing changed
    (a contact that was already there). `entry` is the ledger entry once the change is recorded."""

    conn: sqlite3.Connection
    ledger: Ledger
    content: dict[str, Any] = field(default_factory=dict)
    skipped: bool = False
    entry: Entry | None = None

    def skip(self) -> None:
        self.skipped = True

    @property
    def seq(self) -> int:
        """The sequence number this change's ledger entry will take, for a row that names its
        entry (an import batch): no other entry can be appended before it, since the vault's
        write lock is held from the start of the change."""
        return self.ledger.next_seq()


class Vault:
    """An open vault. Use `Vault.create` or `Vault.open`; close with `close()` or `with`."""

    def __init__(self, home: Path, conn: sqlite3.Connection, keys: Keyring, settings: Settings):
        self.home = home
        self.conn = conn
        self.keys = keys
        self.settings = settings
        self.ledger = Ledger(self)
        self._savepoints = itertools.count(1)

    # -- opening -----------------------------------------------------------------------------
    @classmethod
    def create(cls, home: Path, passphrase: str, settings: Settings) -> Vault:
        db = home / DB_NAME
        if db.exists():
            raise RefusedError(_("a vault already exists at {home}").format(home=home), hint=_("use another --home"))
        if not passphrase:
            raise VaultError(_("an empty passphrase is not allowed"))
        _make_home(home)
        try:
            os.close(os.open(db, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except OSError as exc:
            raise VaultError(_("{db}: cannot create ({strerror})").format(db=db, strerror=exc.strerror)) from None
        conn = _connect(db)
        schema.migrate(conn)
        keys, kdf = Keyring.generate(), KdfParams.fresh()
        vault = cls(home, conn, keys, settings)
        with vault.transaction():
            vault.put_meta("kdf", json.dumps(kdf.to_json()).encode())
            vault.put_meta("keys", keys.seal(kdf.derive(passphrase)))
            vault.put_meta("public_key", keys.public_bytes())
            vault.put_meta("settings", vault.seal("meta", "settings", asdict(settings)))
            vault.put_meta(LOCALE_KEY, settings.locale.encode())
        return vault

    @classmethod
    def open(cls, home: Path, passphrase: str | Derived) -> Vault:
        """The vault at `home`, unlocked by its passphrase or by the key derived from it
        (`Vault.derive`, kept by `tracer unlock`'s agent)."""
        db = home / DB_NAME
        if not db.exists():
            raise VaultError(_("no vault at {home}").format(home=home), hint=_("run `tracer init` first or pass --home"))
        if not db.is_file():
            raise VaultError(_("{db} is not a vault file").format(db=db))
        _private(db)
        conn = _connect(db)
        try:
            return cls._open(home, conn, passphrase)
        except sqlite3.OperationalError as exc:  # read-only, full or busy: nothing is damaged
            conn.close()
            raise VaultError(_("{db}: cannot open ({exc})").format(db=db, exc=exc)) from None
        except sqlite3.DatabaseError as exc:  # truncated or overwritten
            conn.close()
            raise IntegrityError(_("{db} is damaged: {exc}").format(db=db, exc=_sqlite_reason(exc))) from None
        except BaseException:
            conn.close()
            raise

    @classmethod
    def _open(cls, home: Path, conn: sqlite3.Connection, passphrase: str | Derived) -> Vault:
        if schema.version(conn) > schema.LATEST:
            raise VaultError(_("this vault was written by a newer tracer"), hint=_("upgrade tracer"))
        _check_tables(conn)
        schema.migrate(conn, upto=schema.KEYLESS)
        _check_tables(conn)
        keys = Keyring.unseal(_kek(conn, passphrase), _meta(conn, "keys"))
        vault = cls(home, conn, keys, Settings(real_name="", phone=None, email=None))
        vault.settings = Settings(**vault.unseal("meta", "settings", _meta(conn, "settings")))
        if peek_locale(home) != vault.settings.locale:  # a vault from before the language was kept
            with vault.transaction():
                vault.put_meta(LOCALE_KEY, vault.settings.locale.encode())
        if schema.version(conn) < schema.LATEST:  # migrations that need the keys
            from tracer import integrity  # above the vault: it reads the ledger and the rows

            integrity.upgrade_storage(vault)
        return vault

    @classmethod
    def derive(cls, home: Path, passphrase: str) -> Derived:
        """The key `passphrase` derives for the vault at `home` (one scrypt), checked by opening
        the vault with it: VaultError when the passphrase is wrong."""
        kdf = _kdf_params(home)
        if kdf is None:  # no readable vault there: opening it says why
            cls.open(home, passphrase).close()
            raise VaultError(_("no vault at {home}").format(home=home))
        derived = Derived(kdf.salt, kdf.derive(passphrase))
        cls.open(home, derived).close()  # the check: the derived key opens the vault's keys
        return derived

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- transactions and sealed rows ------------------------------------------------------------
    @contextmanager
    def transaction(self, *, bulk: bool = False) -> Iterator[sqlite3.Connection]:
        """All or nothing: any exception rolls back every write made inside. Inside another
        transaction this one is a SAVEPOINT: its failure undoes its own writes only, and the
        outer transaction decides about the rest.

        `bulk`: the transaction writes millions of rows (a large import). It then goes through a
        rollback journal rather than the write-ahead log, whose per-page lookups and the copy of
        every page into the database at commit grow with the transaction (at 5M rows, about 15%
        of the import). Other processes cannot open the vault until it commits (`VaultError`:
        busy). While another connection has the vault open, it stays in WAL mode for this one.
        """
        if self.conn.in_transaction:
            with self._savepoint():
                yield self.conn
            return
        with _rollback_journal(self.conn) if bulk else nullcontext(), _bulk_cache(self.conn) if bulk else nullcontext():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads that all see one state of the vault (a verification): a read transaction, which
        in WAL mode lets writers go on while this connection sees none of their commits until it
        ends. Inside a transaction already, that transaction is the snapshot."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            self.conn.execute("ROLLBACK")  # it wrote nothing

    def put_meta_if_free(self, key: str, value: bytes) -> bool:
        """Set one `meta` value in its own transaction, unless that would wait: another process
        holds the write lock, the vault is read-only, or this connection is inside a transaction.
        For what is only worth keeping (a verify checkpoint). Returns whether it was written."""
        if self.conn.in_transaction:
            return False
        self.conn.execute("PRAGMA busy_timeout = 0")
        try:
            with self.transaction():
                self.put_meta(key, value)
        except sqlite3.OperationalError:  # locked, busy, read-only
            return False
        finally:
            self.conn.execute(f"PRAGMA busy_timeout = {_BUSY_MS}")
        return True

    @contextmanager
    def record(self, kind: str, content: dict[str, Any] | None = None, *, bulk: bool = False) -> Iterator[Change]:
        """A change and its ledger entry, all or nothing: the body writes through `change.conn`,
        then the entry `kind` with `content` (and whatever the body added to `change.content`) is
        appended in the same transaction, unless the body called `change.skip()`. Every change
        to the vault's state goes this way: its creation and upgrades, numbers, retirements,
        imports, canaries issued, contacts logged or deleted; evidence bundles and anchors, which
        change nothing but the ledger, append to it directly. `bulk`: as in `transaction`."""
        batch = self.ledger.batching  # `canary batch`: all or none already, no savepoint per change
        with nullcontext(self.conn) if batch else self.transaction(bulk=bulk) as conn:
            change = Change(conn, self.ledger, dict(content or {}))
            yield change
            if not change.skipped:
                change.entry = self.ledger.append(kind, change.content)

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        name = f"nested_{next(self._savepoints)}"
        self.conn.execute(f"SAVEPOINT {name}")
        try:
            yield
        except BaseException:
            self.conn.execute(f"ROLLBACK TO {name}")
            self.conn.execute(f"RELEASE {name}")
            raise
        self.conn.execute(f"RELEASE {name}")

    def seal(self, table: str, row_id: str, doc: Any) -> bytes:
        return self.keys.encrypt(encode(doc), binding(table, row_id))

    def seal_many(self, table: str, row_ids: Sequence[str], docs: Sequence[Any]) -> list[bytes]:
        """`seal` for many rows of one table at once (`Keyring.encrypt_many`)."""
        return self.keys.encrypt_many([encode(doc) for doc in docs], [binding(table, r) for r in row_ids])

    def unseal(self, table: str, row_id: str, blob: bytes) -> Any:
        try:
            return decode(self.keys.decrypt(blob, binding(table, row_id)))
        except (InvalidTag, ValueError):
            raise IntegrityError(_("{table} row {row_id} was altered: it no longer decrypts").format(table=table, row_id=row_id)) from None

    def blind(self, kind: str, value: str, *, remember: bool = True) -> bytes:
        return self.keys.blind(kind, value, remember=remember)

    def change_passphrase(self, new_passphrase: str) -> None:
        if not new_passphrase:
            raise VaultError(_("an empty passphrase is not allowed"))
        kdf = KdfParams.fresh()
        with self.transaction():
            self.put_meta("kdf", json.dumps(kdf.to_json()).encode())
            self.put_meta("keys", self.keys.seal(kdf.derive(new_passphrase)))

    def meta(self, key: str) -> bytes | None:
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else bytes(row[0])

    def put_meta(self, key: str, value: bytes) -> None:
        """Set one plain `meta` value (key material, the signed ledger head, the locale)."""
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, value))


def encode(doc: Any) -> bytes:
    """The plaintext of a sealed document: compact UTF-8 JSON (orjson, several times faster than
    the standard library's encoder; sealing is per canary and per ledger entry). Nothing hashes
    or signs these bytes by re-encoding: digests are taken of the stored bytes themselves."""
    return orjson.dumps(doc, option=orjson.OPT_SERIALIZE_NUMPY)


def decode(plaintext: bytes) -> Any:
    """A sealed document's JSON: orjson (3-4x faster than the standard library's parser; a
    verify opens every ledger entry and canary), or the standard parser for what orjson refuses
    and older tracers could have written (NaN, integers past 64 bits), so every document reads as
    it always did."""
    try:
        return orjson.loads(plaintext)
    except orjson.JSONDecodeError:
        return json.loads(plaintext)


def binding(table: str, row_id: str) -> bytes:
    """The AAD that ties a sealed value to its row: moved to another row or table, it fails."""
    return f"{table}:{row_id}".encode()


_TABLES = frozenset({"meta", "numbers", "platforms", "canaries", "batches", "contacts", "ledger"})
_TABLES_SINCE = {"contact_chunks": 3}  # tables later migrations added: required from that version on


def _check_tables(conn: sqlite3.Connection) -> None:
    """A vault missing one of its tables was damaged or tampered with (never a user error)."""
    if schema.version(conn) == 0:
        return  # not yet created: the first migration makes them
    found = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    wanted = _TABLES | {name for name, since in _TABLES_SINCE.items() if schema.version(conn) >= since}
    missing = sorted(wanted - found)
    if missing:
        raise IntegrityError(_("the vault is damaged: its {value} table is missing").format(value=missing[0]))


def _private(db: Path) -> None:
    """Vault files are the owner's alone (0600): tighten one that an older tracer left 0644."""
    with contextlib.suppress(OSError):
        if db.stat().st_mode & 0o077:
            db.chmod(0o600)


def _make_home(home: Path) -> None:
    """The vault's folder: created 0700 (the owner's alone); refused when it is a file."""
    if home.exists() and not home.is_dir():
        raise VaultError(_("{home} is a file, not a folder").format(home=home), hint=_("pass a folder to --home"))
    try:
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError as exc:
        raise VaultError(_("{home}: cannot create the vault folder ({strerror})").format(home=home, strerror=exc.strerror)) from None
    with contextlib.suppress(OSError):
        if not any(home.iterdir()):  # a folder tracer made or that was empty: the owner's alone
            home.chmod(0o700)


def _sqlite_reason(exc: sqlite3.DatabaseError) -> str:
    return str(exc) if isinstance(exc, sqlite3.OperationalError) else f"not a readable SQLite file ({exc})"


def _connect(db: Path) -> sqlite3.Connection:
    try:
        return _configure(sqlite3.connect(db, isolation_level=None))
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc):
            raise
        raise VaultError(_("{db}: cannot open ({exc})").format(db=db, exc=exc)) from None
    except sqlite3.DatabaseError as exc:
        raise IntegrityError(_("{db} is damaged: {exc}").format(db=db, exc=_sqlite_reason(exc))) from None


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    # pages of a new vault (a file keeps the size it was created with): 8 KiB makes bulk contact
    # inserts about 7% cheaper than SQLite's 4 KiB, with shallower, less often split indexes
    conn.execute("PRAGMA page_size=8192")
    if _journal_mode(conn, "wal") != "wal":
        conn.close()
        raise VaultError(_("the vault is busy: a large import is writing it"), hint=_("try again when it is done"))
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute(f"PRAGMA cache_size={_CACHE}")
    # SQLite's temporary sorts (an index built after a bulk import, a large ORDER BY) spill to an
    # unlinked temp file past the page cache's budget: in memory they grew with the rows (5M
    # rows' receivers' index: 782 against 529 MiB peak; 20M's import peaked at 1,844 MiB). They
    # hold only what the vault file does (blind indexes, ciphertexts, times, row ids).
    conn.execute("PRAGMA temp_store=FILE")
    return conn


def _journal_mode(conn: sqlite3.Connection, mode: str) -> str | None:
    """Switch the journal mode: the mode now in force, or None when another connection holds
    the file (leaving or entering WAL mode needs the only one; SQLite refuses at once)."""
    try:
        return str(conn.execute(f"PRAGMA journal_mode={mode}").fetchone()[0])
    except sqlite3.OperationalError as exc:
        if "locked" not in str(exc):
            raise
        return None


_BUSY_MS = 5000  # how long a statement waits for another process's lock (sqlite3.connect's default)

# SQLite's page cache (KiB, negative as SQLite wants it). A report reads every page once (verify,
# then the chunks) and keeps what it read: 64 MiB, not the 256 MiB it once kept at 1.5M contacts
# beside the attribution. A bulk import takes 256 MiB while it runs: the contacts' indexes stay in
# memory while millions of rows are inserted into them (the id index in random order).
_CACHE, _BULK_CACHE = -65536, -262144


@contextmanager
def index_rebuilt(conn: sqlite3.Connection, name: str) -> Iterator[None]:
    """Inside a transaction: the block runs without index `name`, which is then created again
    from its own SQL. Millions of rows inserted into an index in no order touch its pages at
    random; building it once sorts them (600k imported rows: 2.2 s + 0.9 s to build against
    3.6-4.0 s, docs/benchmarks.md, round 12). When the block raises, nothing is created: the
    transaction's rollback brings the index back, as DDL is transactional in SQLite."""
    found = conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", (name,)).fetchone()
    if found is None or not found[0]:
        yield  # not there (or SQLite's own): nothing to defer
        return
    conn.execute(f'DROP INDEX "{name}"')
    yield
    conn.execute(found[0])


@contextmanager
def _bulk_cache(conn: sqlite3.Connection) -> Iterator[None]:
    conn.execute(f"PRAGMA cache_size={_BULK_CACHE}")
    try:
        yield
    finally:
        conn.execute(f"PRAGMA cache_size={_CACHE}")
        conn.execute("PRAGMA shrink_memory")  # hand the bulk pages back


@contextmanager
def _rollback_journal(conn: sqlite3.Connection) -> Iterator[None]:
    """The block in rollback-journal mode when the vault can switch (durable through power loss
    needs synchronous=FULL there), back in WAL mode after."""
    if _journal_mode(conn, "delete") != "delete":
        yield
        return
    conn.execute("PRAGMA synchronous=FULL")
    try:
        yield
    finally:
        conn.execute("PRAGMA synchronous=NORMAL")
        _journal_mode(conn, "wal")


def _kdf_params(home: Path) -> KdfParams | None:
    """The vault's key-derivation parameters, read without opening it; None when unreadable."""
    db = home / DB_NAME
    if not db.is_file():
        return None
    try:
        with contextlib.closing(sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)) as conn:
            return KdfParams.from_json(json.loads(_meta(conn, "kdf")))
    except (sqlite3.Error, VaultError, ValueError, KeyError, TypeError):
        return None


def _kek(conn: sqlite3.Connection, secret: str | Derived) -> bytes:
    """The key that opens the vault's sealed keys: scrypt of the passphrase, or a derived key
    given for this vault (VaultError when it was derived for another salt: the passphrase was
    changed since, or it belongs to another vault)."""
    kdf = KdfParams.from_json(json.loads(_meta(conn, "kdf")))
    if not isinstance(secret, Derived):
        return kdf.derive(secret)
    if secret.salt != kdf.salt:
        raise StaleKeyError(_("the unlocked key is not this vault's (its passphrase was changed since)"))
    return secret.kek


def _meta(conn: sqlite3.Connection, key: str) -> bytes:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise VaultError(_("the vault is incomplete: meta '{key}' is missing").format(key=key))
    return bytes(row[0])
