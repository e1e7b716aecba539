"""Evidence commitments: the ledger commits to every contact row and every state change.

Each contact row has a digest over its dedupe key (hence its id), channel, time, blind-indexed
parties and sealed document bytes (`row_digest`). An import's (or a hand-logged contact's) ledger
entry holds `rows` and `root`, the SHA-256 over its rows' digests in insertion order
(`Root`). Deletions, retirements and the pool's flags are ledger entries too, with the values
they wrote. `check` rebuilds the state the ledger describes and compares it with the tables in
one scan of the contacts: an added, removed, moved or edited row, a deleted_at, retired_at or
control flag set behind the ledger's back raises IntegrityError naming the first entry that no
longer holds.

Sealed documents are hashed as bytes, never by field, so a field appended to the document by a
newer importer changes nothing here. Roots reveal nothing (they hash ciphertext and keyed
indexes), so disclosing one entry of a bundle keeps every other row private.

Contacts sealed in chunks (schema 3, `vault/chunks.py`) have no sealed document of their own:
in its place a row's digest hashes its chunk's SHA-256 and its slot (`chunks.place`), so an edit
of any byte of a chunk changes the digest of every row in it, and a chunk no row points at is
reported as added.

Vaults written before commitments existed are upgraded once, by `upgrade`: one `vault.upgraded`
entry commits to the rows and flags they hold, after their chain verifies. Vaults of schema 2 are
moved to chunks by `upgrade_storage` when opened: in one transaction, after their chain and rows
verify, with one `vault.upgraded` entry committing to the rows as they now are.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from tracer.errors import IntegrityError
from tracer.i18n import _
from tracer.ledger import Entry
from tracer.vault import Vault, chunks, schema

COMMITMENTS = 1  # version of the row-commitment scheme, recorded in `vault.created`/`vault.upgraded`
_META = "commitments"
_HEAD = struct.Struct("<dHH??")  # at, len(channel), len(dedupe), to_bi is None, from_bi is None
_sha256 = hashlib.sha256
NUMBER_COLUMNS = "id, control, is_primary, retired_at, phone_bi, enc"  # what the pool check reads


def row_digest(
    dedupe: bytes, channel: str, at: float, to_bi: bytes | None, from_bi: bytes | None, enc: bytes
) -> bytes:
    """The 32-byte digest of one contact row: every field length-delimited, the document last."""
    name = channel.encode()
    head = _HEAD.pack(at, len(name), len(dedupe), to_bi is None, from_bi is None)
    return _sha256(b"".join((head, name, dedupe, to_bi or b"", from_bi or b"", enc))).digest()


def row_digests(columns: tuple[list[Any], ...]) -> list[bytes]:
    """Digests of rows given as the insert columns (dedupe, channel, at, to_bi, from_bi, batch, enc)."""
    dedupes, channels, ats, to_bis, from_bis, _, encs = columns
    return list(map(row_digest, dedupes, channels, ats, to_bis, from_bis, encs))


class Root:
    """The running root of one batch's rows: SHA-256 over their digests, in insertion order."""

    def __init__(self) -> None:
        self._hash, self.rows = _sha256(), 0

    def add(self, digests: Iterable[bytes]) -> None:
        for digest in digests:
            self._hash.update(digest)
            self.rows += 1

    def add_joined(self, digests: list[bytes]) -> None:
        self._hash.update(b"".join(digests))
        self.rows += len(digests)

    def hex(self) -> str:
        return self._hash.hexdigest()

    def commitment(self) -> dict[str, Any]:
        return {"rows": self.rows, "root": self.hex()}


class Places:
    """What each contact row's digest hashes for its sealed part: its chunk's digest and slot,
    or (a row from before schema 3) its own sealed document. Chunk digests are computed once."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self.digests: dict[int, bytes | None] = {}

    def load_all(self) -> None:
        for chunk_id, enc in self.vault.conn.execute(f"SELECT id, CAST(enc AS BLOB) FROM {chunks.TABLE}"):
            self.digests[chunk_id] = chunks.digest(enc) if isinstance(enc, bytes) else None

    def of(self, chunk: Any, slot: Any, enc: Any) -> bytes | None:
        if chunk is None:
            return None if enc is None else bytes(enc)
        if chunk not in self.digests:
            row = self.vault.conn.execute(
                f"SELECT CAST(enc AS BLOB) FROM {chunks.TABLE} WHERE id = ?", (chunk,)
            ).fetchone()
            self.digests[chunk] = chunks.digest(row[0]) if row and isinstance(row[0], bytes) else None
        digest = self.digests[chunk]
        if digest is None or not isinstance(slot, int):
            return None
        return chunks.place(digest, slot)


def _sealed_part(places: Places, chunk: Any, slot: Any, enc: Any) -> bytes | None:
    """`places.of`, or None when a slot is out of range (no committed digest can then match)."""
    try:
        return places.of(chunk, slot, enc)
    except OverflowError:
        return None


def batch_root(vault: Vault, batch_id: str) -> Root:
    """The root of the rows stored under `batch_id` (a scan: used when an import skipped rows)."""
    root, places = Root(), Places(vault)
    rows = vault.conn.execute(
        "SELECT dedupe, channel, at, to_bi, from_bi, chunk, slot, enc FROM contacts WHERE batch_id = ?"
        " ORDER BY rowid",
        (batch_id,),
    )
    for d, c, at, t, f, chunk, slot, e in rows:
        root.add([_digest(d, c, at, t, f, places.of(chunk, slot, e))])
    return root


def _digest(dedupe: Any, channel: Any, at: Any, to_bi: Any, from_bi: Any, sealed: bytes | None) -> bytes:
    """A stored row's digest, or a value no committed digest can equal when a column has the
    wrong type or its sealed part is missing (only an edit makes either)."""
    try:
        if sealed is None:
            raise TypeError("no sealed part")
        return row_digest(dedupe, channel, at, to_bi, from_bi, sealed)
    except (TypeError, AttributeError, struct.error):
        return b"\xff"


def mark_committed(vault: Vault) -> None:
    """Record that this vault's rows are committed (a new vault, or an upgraded one)."""
    vault.put_meta(_META, str(COMMITMENTS).encode())


# -- the state the ledger describes --------------------------------------------------------------


@dataclass
class Expected:
    """What the ledger says the tables hold; `seq` maps each thing to the entry that said it."""

    batches: dict[str, tuple[int, str, int]] = field(default_factory=dict)  # id -> (rows, root, seq)
    files: dict[str, tuple[str, str, int]] = field(default_factory=dict)  # batch id -> (file, sha, seq)
    deleted: dict[str, tuple[float | None, int]] = field(default_factory=dict)
    numbers: dict[str, dict[str, Any]] = field(default_factory=dict)
    retired: dict[str, tuple[float | None, int]] = field(default_factory=dict)
    committed: bool = False
    numbers_read: bool = False  # whether an entry read so far said anything about the pool

    def to_json(self) -> dict[str, Any]:
        """The state as JSON (a verify checkpoint keeps it, sealed)."""
        return {
            "batches": self.batches, "files": self.files, "deleted": self.deleted,
            "numbers": self.numbers, "retired": self.retired, "committed": self.committed,
        }  # fmt: skip

    @classmethod
    def from_json(cls, doc: dict[str, Any]) -> Expected:
        """The state `to_json` wrote (pairs and triples back as tuples); `numbers_read` starts
        False, so it then says whether an entry read since touched the pool."""
        def tuples(key: str) -> dict[str, Any]:
            return {k: tuple(v) for k, v in doc[key].items()}

        return cls(
            tuples("batches"), tuples("files"), tuples("deleted"), doc["numbers"], tuples("retired"),
            committed=bool(doc["committed"]),
        )  # fmt: skip

    def read(self, entry: Entry) -> None:
        content, seq = entry.content, entry.seq
        kind = content.get("type")
        if kind in ("vault.created", "vault.upgraded") and content.get("commitments"):
            self.committed = True
        if kind in ("vault.upgraded", "number.added", "number.retired"):
            self.numbers_read = True
        if kind == "vault.upgraded":
            self._snapshot(content, seq)
        elif kind in ("import.batch", "contact.logged") and "root" in content:
            self.batches[content["batch_id"]] = (content["rows"], content["root"], seq)
            if kind == "import.batch":
                self.files[content["batch_id"]] = (content["file"], content["sha256"], seq)
        elif kind == "contact.deleted":
            self.deleted[content["contact_id"]] = (content.get("deleted_at"), seq)
        elif kind == "number.added":
            self.numbers[content["number_id"]] = {
                "phone": content["phone"], "control": bool(content["control"]),
                "primary": bool(content["primary"]), "retired_at": None, "seq": seq,
            }  # fmt: skip
        elif kind == "number.retired":
            number = self.numbers.setdefault(content["number_id"], {"seq": seq})
            number.update(retired_at=content.get("retired_at", True), seq=seq)
        elif kind == "canary.retired":
            self.retired[content["canary_id"]] = (content.get("retired_at"), seq)

    def _snapshot(self, content: dict[str, Any], seq: int) -> None:
        for batch_id, doc in content.get("batches", {}).items():
            self.batches[batch_id] = (doc["rows"], doc["root"], seq)
        for batch_id, doc in content.get("files", {}).items():
            self.files[batch_id] = (doc["file"], doc["sha256"], seq)
        for contact_id, at in content.get("deleted", {}).items():
            self.deleted[contact_id] = (at, seq)
        for number_id, doc in content.get("numbers", {}).items():
            self.numbers[number_id] = {**doc, "seq": seq}
        for canary_id, at in content.get("retired", {}).items():
            self.retired[canary_id] = (at, seq)


def expected(entries: Iterable[Entry]) -> Expected:
    """The state the ledger's entries describe, read in order."""
    state = Expected()
    for entry in entries:
        state.read(entry)
    return state


# -- checking ------------------------------------------------------------------------------------


class _Findings:
    """Differences found, each with the ledger entry it contradicts; the first by entry wins."""

    def __init__(self) -> None:
        self.found: list[tuple[int, str]] = []

    def add(self, seq: int, message: str) -> None:
        self.found.append((seq, message))

    def raise_first(self) -> None:
        if self.found:
            seq, message = min(self.found)
            raise IntegrityError(_("ledger entry {seq}: {message}").format(seq=seq, message=message), entry=seq)


def check(vault: Vault, entries: Iterable[Entry]) -> int:
    """Compare every contact, batch, number and retirement with the ledger's `entries` (after
    its chain has verified). Returns the number of contact rows checked; raises IntegrityError on
    the first difference."""
    return check_state(vault, expected(entries))


def check_state(vault: Vault, state: Expected, *, numbers_checked: bool = False) -> int:
    """`check` against a state already read from the ledger. `numbers_checked`: the pool's rows
    and what the ledger says of them are both as they were when they last checked out (a verify
    checkpoint), so comparing them again would give the same answer."""
    if not state.committed:
        if vault.meta(_META) is not None or _has_rows(vault):
            raise IntegrityError(
                _("the ledger commits to none of the vault's rows"),
                hint=_("a vault from before row commitments: open it with `tracer.open_vault` or any tracer command"),
            )
        return 0
    findings = _Findings()
    rows = _check_contacts(vault, state, findings)
    _check_batches(vault, state, findings)
    if not numbers_checked:
        _check_numbers(vault, state, findings)
    _check_retired(vault, state, findings)
    findings.raise_first()
    return rows


def _check_contacts(vault: Vault, state: Expected, findings: _Findings) -> int:
    roots: dict[str | None, Root] = {}
    deleted: dict[str, float] = {}
    places = Places(vault)
    places.load_all()
    used: set[int] = set()
    rows = vault.conn.execute(
        "SELECT batch_id, dedupe, channel, at, to_bi, from_bi, deleted_at, chunk, slot, enc FROM contacts"
    )
    last, root, update = object(), Root(), None
    last_chunk, chunk_digest = object(), None
    for batch_id, dedupe, channel, at, to_bi, from_bi, deleted_at, chunk, slot, enc in rows:
        if batch_id != last:  # a batch's rows are contiguous: look its root up once per run
            last, root = batch_id, roots.get(batch_id) or roots.setdefault(batch_id, Root())
            update = root._hash.update
        if chunk != last_chunk:  # and so are a chunk's
            last_chunk, chunk_digest = chunk, places.digests.get(chunk) if chunk is not None else None
            used.add(chunk)
        try:  # a chunked row, its chunk's digest looked up once per chunk
            update(row_digest(dedupe, channel, at, to_bi, from_bi, chunks.place(chunk_digest, slot)))  # type: ignore[arg-type,misc]
        except (TypeError, AttributeError, OverflowError, struct.error):
            # a row from before chunks, or a column of the wrong type (only an edit makes one):
            # the general path, whose digest no committed root can hold when a part is wrong
            update(_digest(dedupe, channel, at, to_bi, from_bi, _sealed_part(places, chunk, slot, enc)))  # type: ignore[misc]
        root.rows += 1
        if deleted_at is not None:
            deleted["k_" + bytes(dedupe[:8]).hex()] = deleted_at
    used.discard(None)  # type: ignore[arg-type]
    count = sum(r.rows for r in roots.values())
    if None in roots:  # rows without a batch: only an edit makes them
        roots["None"] = roots.pop(None)
    last = max((seq for *_, seq in state.batches.values()), default=0)
    for batch_id, root in roots.items():
        if batch_id not in state.batches:
            findings.add(last, f"{root.rows} contact row(s) of batch {batch_id} are in no ledger entry")
    for chunk in sorted(set(places.digests) - used, key=str):
        findings.add(last, f"contact chunk {chunk} belongs to no contact row")
    for batch_id, (count_, digest, seq) in state.batches.items():
        root = roots.get(batch_id, Root())
        if (root.rows, root.hex()) != (count_, digest):
            findings.add(
                seq, f"the contacts of batch {batch_id} differ from what it committed "
                f"({root.rows} row(s) now, {count_} committed: rows added, removed or edited)",
            )  # fmt: skip
    _compare_times("contact", deleted, state.deleted, findings, "deleted")
    return count


def _check_batches(vault: Vault, state: Expected, findings: _Findings) -> None:
    stored = {str(r[0]): bytes(r[1]) for r in vault.conn.execute("SELECT id, enc FROM batches")}
    last = max((seq for *_, seq in state.files.values()), default=0)
    for batch_id in stored.keys() - state.files.keys():
        findings.add(last, f"import batch {batch_id} is in no ledger entry")
    for batch_id, (name, sha, seq) in state.files.items():
        if batch_id not in stored:
            findings.add(seq, f"import batch {batch_id} was removed")
            continue
        doc = vault.unseal("batches", batch_id, stored[batch_id])
        if (doc.get("file"), doc.get("sha256")) != (name, sha):
            findings.add(seq, f"import batch {batch_id} no longer names the file it imported")


def _check_numbers(vault: Vault, state: Expected, findings: _Findings) -> None:
    rows = vault.conn.execute(f"SELECT {NUMBER_COLUMNS} FROM numbers")
    stored = {str(r[0]): r[1:] for r in rows}
    last = max((n["seq"] for n in state.numbers.values()), default=0)
    for number_id in stored.keys() - state.numbers.keys():
        findings.add(last, f"number {number_id} is in no ledger entry")
    for number_id, want in state.numbers.items():
        seq = want["seq"]
        if number_id not in stored:
            findings.add(seq, f"number {number_id} was removed from the pool")
            continue
        control, primary, retired_at, phone_bi, enc = stored[number_id]
        phone = vault.unseal("numbers", number_id, bytes(enc)).get("e164")
        if phone_bi != vault.blind("phone", str(phone), remember=False):
            findings.add(seq, f"number {number_id}: its blind index no longer matches its number")
        if (phone, bool(control), bool(primary)) != (
            want.get("phone"),
            want.get("control"),
            want.get("primary"),
        ):
            findings.add(seq, f"number {number_id}: its number, control or primary flag was changed")
        if not _same_time(retired_at, want.get("retired_at")):
            findings.add(seq, f"number {number_id}: its retirement differs from the ledger")


def _check_retired(vault: Vault, state: Expected, findings: _Findings) -> None:
    rows = vault.conn.execute("SELECT id, retired_at FROM canaries WHERE retired_at IS NOT NULL")
    _compare_times("canary", {str(r[0]): r[1] for r in rows}, state.retired, findings, "retired")


def _compare_times(
    what: str,
    stored: dict[str, float],
    want: dict[str, tuple[float | None, int]],
    findings: _Findings,
    verb: str,
) -> None:
    last = max((seq for _, seq in want.values()), default=0)
    for key in stored.keys() - want.keys():
        findings.add(last, f"{what} {key} is marked {verb} without a ledger entry")
    for key, (at, seq) in want.items():
        if key not in stored:
            findings.add(seq, f"{what} {key} is no longer marked {verb}")
        elif at is not None and stored[key] != at:
            findings.add(seq, f"{what} {key}: the time it was {verb} was changed")


def _same_time(stored: float | None, want: Any) -> bool:
    if want is None or stored is None:
        return want is None and stored is None
    return want is True or stored == want


def _has_rows(vault: Vault) -> bool:
    return any(
        vault.conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
        for table in ("contacts", "numbers", "canaries")
    )


def _b(value: Any) -> bytes | None:
    return None if value is None else bytes(value)


# -- upgrading a vault written before commitments ------------------------------------------------


def upgrade(vault: Vault) -> bool:
    """Commit a schema-2 vault's rows and flags in one `vault.upgraded` entry (once; the chain must
    verify first). Returns whether it did. Refuses (IntegrityError) to re-commit a vault whose
    ledger already commits to its rows: that would launder edits made since."""
    if vault.meta(_META) is not None:
        return False
    ledger = vault.ledger
    if ledger.head()[0] == 0:
        return False
    if expected(ledger.verified()).committed:
        raise IntegrityError(
            _("the vault's commitment marker was removed; its ledger already commits to its rows")
        )
    with vault.record("vault.upgraded", {"commitments": COMMITMENTS}) as change:
        _to_chunks(vault)
        change.content.update(_snapshot(vault))
        mark_committed(vault)
    return True


def upgrade_storage(vault: Vault) -> bool:
    """Move a schema-2 vault's contacts into sealed chunks (schema 3), in one transaction with its
    `vault.upgraded` entry committing to the rows as they are then. Done only when the ledger
    already commits to the rows and they verify against it: a vault that does not verify keeps
    its rows as they are (readable, and `tracer verify` still names the entry they contradict),
    and one from before commitments is converted by `upgrade`, which commits it. Returns whether
    rows were moved."""
    with vault.record("vault.upgraded", {"commitments": COMMITMENTS, "storage": schema.LATEST}) as change:
        for number in range(schema.version(change.conn) + 1, schema.LATEST + 1):
            schema.apply(change.conn, number)  # kept even when no row moves
        moved = _movable(vault) and _to_chunks(vault)
        if not moved:
            change.skip()
            return False
        change.content.update(_snapshot(vault))
    return True


def _movable(vault: Vault) -> bool:
    """Whether a vault's legacy rows may move to chunks: it has some, its ledger commits to them
    and they verify against it."""
    ledger = vault.ledger
    if vault.meta(_META) is None or ledger.head()[0] == 0 or not _has_legacy_rows(vault.conn):
        return False  # nothing to move (verifying a large ledger would cost seconds for nothing)
    try:
        check(vault, ledger.verified())
    except IntegrityError:
        return False
    return True


def _has_legacy_rows(conn: Any) -> bool:
    return conn.execute("SELECT 1 FROM contacts WHERE chunk IS NULL LIMIT 1").fetchone() is not None


def _to_chunks(vault: Vault) -> int:
    """Reseal every contact row that holds its own sealed document into chunks: each run of rows of
    one batch, in row order, up to `chunks.ROWS` a chunk. Returns the rows moved."""
    conn = vault.conn
    runs: list[tuple[int, int]] = []  # (first rowid, last rowid) of each future chunk
    last_batch: object = object()
    for rowid, batch_id in conn.execute(
        "SELECT rowid, batch_id FROM contacts WHERE chunk IS NULL ORDER BY rowid"
    ):
        if batch_id != last_batch or runs[-1][1] - runs[-1][0] + 1 >= chunks.ROWS:
            runs.append((rowid, rowid))
            last_batch = batch_id
        else:
            runs[-1] = (runs[-1][0], rowid)
    moved = 0
    for chunk_id, (first, last) in enumerate(runs, start=chunks.next_id(conn)):
        rows = conn.execute(
            "SELECT rowid, id, enc FROM contacts WHERE rowid BETWEEN ? AND ? AND chunk IS NULL ORDER BY rowid",
            (first, last),
        ).fetchall()
        records = [
            {"id": cid, **chunks.legacy_record(vault.unseal("contacts", cid, bytes(enc)))}
            for _, cid, enc in rows
        ]
        conn.execute(f"INSERT INTO {chunks.TABLE}(id, enc) VALUES (?, ?)",
                     (chunk_id, chunks.seal(vault.keys, chunk_id, chunks.columns_of(records))))  # fmt: skip
        conn.executemany(
            "UPDATE contacts SET chunk = ?, slot = ?, enc = NULL WHERE rowid = ?",
            [(chunk_id, slot, rowid) for slot, (rowid, _, _) in enumerate(rows)],
        )
        moved += len(rows)
    return moved


def _snapshot(vault: Vault) -> dict[str, Any]:
    conn = vault.conn
    roots: dict[str, Root] = {}
    places = Places(vault)
    places.load_all()
    for batch_id, d, c, at, t, f, chunk, slot, e in conn.execute(
        "SELECT batch_id, dedupe, channel, at, to_bi, from_bi, chunk, slot, enc FROM contacts ORDER BY rowid"
    ):
        sealed = places.of(chunk, slot, e)
        roots.setdefault(str(batch_id), Root()).add([_digest(bytes(d), c, at, _b(t), _b(f), sealed)])
    files = {}
    for batch_id, enc in conn.execute("SELECT id, enc FROM batches"):
        doc = vault.unseal("batches", batch_id, bytes(enc))
        files[batch_id] = {"file": doc.get("file"), "sha256": doc.get("sha256")}
    numbers = {}
    for number_id, control, primary, retired_at, enc in conn.execute(
        "SELECT id, control, is_primary, retired_at, enc FROM numbers"
    ):
        numbers[number_id] = {
            "phone": vault.unseal("numbers", number_id, bytes(enc)).get("e164"),
            "control": bool(control), "primary": bool(primary), "retired_at": retired_at,
        }  # fmt: skip
    deleted = {
        "k_" + bytes(d[:8]).hex(): at
        for d, at in conn.execute("SELECT dedupe, deleted_at FROM contacts WHERE deleted_at IS NOT NULL")
    }
    retired = dict(
        conn.execute("SELECT id, retired_at FROM canaries WHERE retired_at IS NOT NULL").fetchall()
    )
    return {
        "batches": {b: r.commitment() for b, r in roots.items()},
        "files": files,
        "numbers": numbers,
        "deleted": deleted,
        "retired": retired,
    }
