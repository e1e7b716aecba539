"""Append-only, hash-chained, signed ledger of every change to the vault.

An entry is three things (docs/formats.md):
- `header`: canonical JSON {"v", "seq", "prev", "commitment"}, signed with the vault's Ed25519 key;
  `prev` is the SHA-256 of the previous header, so edits, deletions and reorderings break the chain;
- the content (what happened), stored sealed, never in the header;
- a random 32-byte salt: `commitment = SHA-256("tracer-commit-v1" 0x00 salt canonical(content))`.
Disclosing one entry's content and salt proves it against the signed chain and reveals nothing
else. Leaves are hashed RFC 6962 style (SHA-256(0x00 || header)) so a Merkle tree over them can
be added later without changing the entry format.
"""

from __future__ import annotations

import hashlib
import json
import os
import pickle
import signal
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tracer import times
from tracer.errors import IntegrityError
from tracer.i18n import _

if TYPE_CHECKING:  # the vault owns its ledger (`Vault.ledger`, `Vault.record`)
    from tracer.vault import Vault

VERSION = 1
_VERIFY_BLOCK = 2048  # entries read and signature-checked at a time by `Ledger.verified`
# Entries held back inside `appending` before they are sealed and inserted together: enough that
# a statement per entry is gone, few enough that the held documents stay a few MiB (all 66,000 of
# a batch held to its end grew its peak from 407 to 770 MiB).
FLUSH_ROWS = 2048
_INSERT = "INSERT INTO ledger(seq, header, signature, enc) VALUES (?, ?, ?, ?)"
MEDIA_TYPE = "application/vnd.leak-tracer.ledger-entry+json; version=1"
GENESIS = "0" * 64
_COMMIT_PREFIX = b"tracer-commit-v1\x00"


def canonical(doc: Any) -> bytes:
    """Canonical JSON: sorted keys, no spaces, UTF-8. The bytes that are hashed and signed."""
    return _CANONICAL.encode(doc).encode()


# `json.dumps` with these options, made once: `dumps` builds a new encoder on every call, which
# was a third of the time of encoding one entry's content. Same class, same options, same bytes.
_CANONICAL = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def commit(salt: bytes, content: dict[str, Any]) -> str:
    return hashlib.sha256(_COMMIT_PREFIX + salt + canonical(content)).hexdigest()


def _header(seq: int, prev: str, commitment: str) -> bytes:
    """`canonical({"v", "seq", "prev", "commitment"})`, spelled out: its keys in sorted order, two
    hex digests and two integers, which JSON writes as they are (a property test,
    `test_the_spelled_out_header_is_the_canonical_one`, checks it against `canonical`). About a
    tenth of the encoder's time, once per entry."""
    return f'{{"commitment":"{commitment}","prev":"{prev}","seq":{seq:d},"v":{VERSION:d}}}'.encode()


def header_hash(header: bytes) -> str:
    return hashlib.sha256(header).hexdigest()


def leaf_hash(header: bytes) -> str:
    """RFC 6962 leaf hash of an entry, for future Merkle inclusion proofs."""
    return hashlib.sha256(b"\x00" + header).hexdigest()


@dataclass(frozen=True)
class Mark:
    """Where a fully verified chain stood: entry `seq`, its header's hash `head`, and `rows`, the
    SHA-256 over every stored ledger row up to it (`fold`). Rows that still hash to `rows` are
    byte for byte the rows that were verified, so their signatures and commitments still hold."""

    seq: int
    head: str
    rows: str


class Stale(Exception):
    """What a checkpoint recorded no longer matches the vault (an edit, or a checkpoint from an
    older format): verify everything instead. Never shown to a user."""


def fold(digest: Any, row: tuple[Any, ...]) -> None:
    """Add one stored row, exactly as SQLite returned it, to a running SHA-256. Each row is
    serialized with pickle (only ever hashed, never loaded): one C call, injective, and it tells
    types apart (text from a blob, 1 from 1.0), so equal digests mean equal rows."""
    digest.update(pickle.dumps(row, protocol=5))


@dataclass(frozen=True)
class Entry:
    seq: int
    header: bytes
    signature: bytes
    content: dict[str, Any]
    salt: bytes

    @property
    def hash(self) -> str:
        return header_hash(self.header)


def check_header(header: bytes, signature: bytes, key: Ed25519PublicKey, seq: int, prev: str) -> str:
    """Check one signed header against its expected position; return its hash or raise."""
    digest = check_chain(header, seq, prev)
    if not signed(key, header, signature):
        raise _unsigned(seq)
    return digest


def check_chain(header: bytes, seq: int, prev: str) -> str:
    """Everything `check_header` checks but the signature: canonical JSON, version, position, the
    previous entry's hash. Returns the header's hash or raises."""
    try:
        doc = json.loads(header)
    except ValueError:
        raise IntegrityError(_("ledger entry {seq}: header is not JSON").format(seq=seq), entry=seq) from None
    if canonical(doc) != header:
        raise IntegrityError(_("ledger entry {seq}: header is not canonical").format(seq=seq), entry=seq)
    if doc.get("v") != VERSION:
        raise IntegrityError(_("ledger entry {seq}: unknown version {value!r}").format(seq=seq, value=doc.get('v')), entry=seq)
    if doc.get("seq") != seq:
        raise IntegrityError(_("ledger entry {seq}: out of order (claims {value})").format(seq=seq, value=doc.get('seq')), entry=seq)
    if doc.get("prev") != prev:
        raise IntegrityError(_("ledger entry {seq}: chain broken (previous hash differs)").format(seq=seq), entry=seq)
    return header_hash(header)


def _unsigned(seq: int) -> IntegrityError:
    return IntegrityError(_("ledger entry {seq}: signature does not verify").format(seq=seq), entry=seq)


def signed(key: Ed25519PublicKey, header: bytes, signature: bytes) -> bool:
    try:
        key.verify(signature, header)
    except InvalidSignature:
        return False
    return True


def check_content(seq: int, header: bytes, content: dict[str, Any], salt: bytes) -> None:
    """Raise unless `content` and `salt` open the commitment in `header`."""
    if json.loads(header).get("commitment") != commit(salt, content):
        raise IntegrityError(_("ledger entry {seq}: content does not match its commitment").format(seq=seq), entry=seq)


def check_head(doc: dict[str, Any], key: Ed25519PublicKey, seq: int, digest: str) -> None:
    """Raise unless the signed head `doc` ({"head", "sig"}) names entry `seq` with hash `digest`:
    a chain cut short or replaced at its end no longer matches what the key signed."""
    try:
        key.verify(bytes.fromhex(doc["sig"]), doc["head"].encode())
        head = json.loads(doc["head"])
    except (KeyError, ValueError, InvalidSignature):
        raise IntegrityError(_("the ledger head signature does not verify"), entry=seq) from None
    if head != {"seq": seq, "hash": digest}:
        missing = head.get("seq", 0)
        bad = seq + 1 if missing > seq else seq
        raise IntegrityError(
            _("ledger entry {bad}: the chain ends at {seq} but the signed head says {missing} (entries were removed or replaced)").format(bad=bad, seq=seq, missing=missing),
            entry=bad,
        )


class Ledger:
    """The vault's ledger. `append` inside the caller's transaction so state and log agree."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._batch_head: tuple[int, str] | None = None  # inside `appending`: the last entry
        self._pending: list[tuple[int, bytes, dict[str, Any]]] = []  # inside `appending`: not yet signed
        self._signing: deque[tuple[list[tuple[int, bytes, dict[str, Any]]], Future[list[bytes]]]] = deque()
        self._signer: Signer | None = None  # inside `appending`

    @contextmanager
    def appending(self) -> Iterator[Ledger]:
        """One transaction of many appends (`canary batch`): all or none, so each append needs no
        savepoint of its own, the chain head is remembered rather than read back per entry, the
        entries are signed, sealed and inserted `FLUSH_ROWS` at a time (one `executemany`, not a
        statement each; nothing in the batch reads them back before), and the signed head is
        written once at the end: one Ed25519 signature per entry, not two. Each entry is signed
        as it always is (its own header, its own signature); a batch of more than one block
        signs in a forked `Signer` while this process makes the next block's entries, and
        inserts a block once its signatures are back. `Entry.signature` of an entry appended
        here is empty: it is made when its block is flushed."""
        with self.vault.transaction(), Signer(self.vault.keys.signing_key) as signer:
            self._batch_head, self._signer = self.head(), signer
            try:
                yield self
                self.flush()
                seq, digest = self._batch_head
            finally:
                self._batch_head, self._signer = None, None
                self._pending = []
                self._signing.clear()
            if seq:
                self._sign_head(seq, digest)

    def append(self, kind: str, content: dict[str, Any]) -> Entry:
        batch = self._batch_head is not None
        with nullcontext(self.vault.conn) if batch else self.vault.transaction() as conn:
            seq, prev = self._batch_head or self.head()
            body = {"type": kind, "recorded_at": times.iso(times.now()), **content}
            salt = os.urandom(32)
            header = _header(seq + 1, prev, commit(salt, body))
            sealed = {"salt": salt.hex(), "content": body}
            if batch:
                self._pending.append((seq + 1, header, sealed))
                self._batch_head = (seq + 1, header_hash(header))
                if len(self._pending) >= FLUSH_ROWS:
                    self._send()
                return Entry(seq + 1, header, b"", body, salt)
            signature = self.vault.keys.signing_key.sign(header)
            conn.execute(_INSERT, (seq + 1, header, signature, self.vault.seal("ledger", str(seq + 1), sealed)))
            self._sign_head(seq + 1, header_hash(header))
        return Entry(seq + 1, header, signature, body, salt)

    def flush(self) -> None:
        """Sign, seal and insert the entries `append` has held back inside `appending` (each is
        in the ledger table once this returns; `appending` flushes at its end)."""
        self._send()
        self._insert(keep=0)

    def _send(self) -> None:
        """Send the held entries' headers to be signed, and insert the blocks signed before
        this one (one block stays in flight: the signer works while the batch goes on)."""
        pending, self._pending = self._pending, []
        if pending:
            assert self._signer is not None  # only `appending` holds entries back
            self._signing.append((pending, self._signer.sign([header for _, header, _ in pending])))
        self._insert(keep=1)

    def _insert(self, keep: int) -> None:
        while len(self._signing) > keep:
            block, signatures = self._signing.popleft()
            encs = self.vault.seal_many("ledger", [str(seq) for seq, *_ in block], [doc for *_, doc in block])
            rows = [
                (seq, header, signature, enc)
                for (seq, header, _), signature, enc in zip(block, signatures.result(), encs, strict=True)
            ]
            self.vault.conn.executemany(_INSERT, rows)

    @property
    def batching(self) -> bool:
        """Inside `appending`: one all-or-nothing transaction, where a change needs no savepoint."""
        return self._batch_head is not None

    def next_seq(self) -> int:
        """The sequence number the next entry will take."""
        return (self._batch_head or self.head())[0] + 1

    def head(self) -> tuple[int, str]:
        row = self.vault.conn.execute("SELECT seq, header FROM ledger ORDER BY seq DESC LIMIT 1").fetchone()
        return (0, GENESIS) if row is None else (int(row[0]), header_hash(bytes(row[1])))

    def entries(self) -> Iterator[Entry]:
        rows = self.vault.conn.execute("SELECT seq, header, signature, enc FROM ledger ORDER BY seq")
        for seq, header, signature, enc in rows:
            yield self._entry(int(seq), bytes(header), bytes(signature), bytes(enc))

    def entry(self, seq: int) -> Entry:
        row = self.vault.conn.execute(
            "SELECT seq, header, signature, enc FROM ledger WHERE seq = ?", (seq,)
        ).fetchone()
        if row is None:
            raise IntegrityError(_("ledger entry {seq} is missing").format(seq=seq), entry=seq)
        return self._entry(int(row[0]), bytes(row[1]), bytes(row[2]), bytes(row[3]))

    def verify(self) -> int:
        """Check the whole chain, every signature, every commitment and the signed head.

        Returns the number of entries; raises IntegrityError naming the first bad entry.
        """
        return len(self.verified())

    def verified(self) -> list[Entry]:
        """`verify`, returning every entry decrypted, in order (the checks that follow a verify
        read them: one decryption each, not two)."""
        return self.verified_since(None)[0]

    def verified_since(self, mark: Mark | None) -> tuple[list[Entry], Mark]:
        """The entries after `mark` (every entry when None), verified and decrypted, in order,
        and the mark of the chain as verified now. Up to `mark` the stored rows are only hashed
        and compared with it (`resume`; `Stale` when they differ): the chain after it starts from
        the hash the mark holds, and the signed head is checked as always. Signatures are checked
        on worker threads a block ahead of the chain (Ed25519 verification releases the GIL): at
        132,000 entries they were most of `tracer verify`, which runs before every report."""
        key = self._pinned_key()
        rows_digest = hashlib.sha256()
        prev, expected = self.resume(mark, rows_digest) if mark else (GENESIS, 1)
        out: list[Entry] = []
        rows = self.vault.conn.execute(
            "SELECT seq, header, signature, enc FROM ledger WHERE seq >= ? ORDER BY seq", (expected,)
        )
        workers = max(os.cpu_count() or 1, 1)
        with ThreadPoolExecutor(workers) as pool:
            pending: tuple[list[Any], list[Future[list[bool]]]] | None = None
            while True:
                block = rows.fetchmany(_VERIFY_BLOCK)
                ahead = [pool.submit(_signatures, key, part) for part in _parts(block, workers)]
                if pending is not None:
                    prev, expected = self._check_block(*pending, prev, expected, out, rows_digest)
                if not block:
                    break
                pending = (block, ahead)
        self._check_head(key, expected - 1, prev)
        return out, Mark(expected - 1, prev, rows_digest.hexdigest())

    def resume(self, mark: Mark, rows_digest: Any) -> tuple[str, int]:
        """Hash the stored rows up to `mark` into `rows_digest`; raise `Stale` unless they are the
        rows the mark was made of. Returns the chain's hash at the mark and the next seq."""
        rows = self.vault.conn.execute(
            "SELECT seq, header, signature, enc FROM ledger WHERE seq <= ? ORDER BY seq", (mark.seq,)
        )
        count = 0
        while block := rows.fetchmany(_VERIFY_BLOCK):
            for row in block:
                fold(rows_digest, row)
            count += len(block)
        if count != mark.seq or rows_digest.hexdigest() != mark.rows:
            raise Stale(f"ledger rows up to {mark.seq} changed")
        return mark.head, mark.seq + 1

    def _check_block(
        self,
        block: list[Any],
        signing: list[Future[list[bool]]],
        prev: str,
        expected: int,
        out: list[Entry],
        rows_digest: Any,
    ) -> tuple[str, int]:
        verdicts = [good for part in signing for good in part.result()]
        for row, good in zip(block, verdicts, strict=True):
            seq, header, signature, enc = row
            if seq != expected:
                raise IntegrityError(_("ledger entry {expected} is missing").format(expected=expected), entry=expected)
            prev = check_chain(bytes(header), expected, prev)
            if not good:
                raise _unsigned(seq)
            entry = self._entry(expected, bytes(header), bytes(signature), bytes(enc))
            check_content(expected, entry.header, entry.content, entry.salt)
            fold(rows_digest, row)
            out.append(entry)
            expected += 1
        return prev, expected

    def signed_head(self) -> dict[str, Any]:
        raw = self.vault.meta("ledger_head")
        return {} if raw is None else json.loads(raw)

    # -- internals ---------------------------------------------------------------------------
    def _entry(self, seq: int, header: bytes, signature: bytes, enc: bytes) -> Entry:
        doc = self.vault.unseal("ledger", str(seq), enc)
        return Entry(seq, header, signature, doc["content"], bytes.fromhex(doc["salt"]))

    def _sign_head(self, seq: int, digest: str) -> None:
        head = canonical({"seq": seq, "hash": digest})
        signature = self.vault.keys.signing_key.sign(head).hex()
        self.vault.put_meta("ledger_head", canonical({"head": head.decode(), "sig": signature}))

    def _pinned_key(self) -> Ed25519PublicKey:
        """The key the sealed private key implies; the stored public key must be the same."""
        stored = self.vault.meta("public_key")
        if stored != self.vault.keys.public_bytes():
            raise IntegrityError(_("the vault's public key was replaced: it no longer matches its keys"))
        return self.vault.keys.public_key

    def _check_head(self, key: Ed25519PublicKey, seq: int, digest: str) -> None:
        doc = self.signed_head()
        if doc or seq:
            check_head(doc, key, seq, digest)


# Blocks signed in this process before a `Signer` forks its worker: a batch of one block (three
# canaries, a number or two) does not pay for a process.
_SIGN_HERE = 1


class Signer:
    """Ed25519 signatures of a batch's headers, made in a forked worker process where the platform
    can fork (cryptography holds the GIL while it signs, so a thread would not help): at ~28 µs a
    signature, `canary batch` of 66,000 spent ~2 s of its ~10 s signing, which the machine's
    other core now does while this process generates the next block. The worker inherits the
    key (fork; it is never sent through a pipe), receives headers and returns signatures only,
    ignores Ctrl-C (this process ends it) and exits with this process: it reads from a pipe
    that closes when this process dies. The first `_SIGN_HERE` blocks are signed here."""

    def __init__(self, key: Ed25519PrivateKey) -> None:
        self.key = key
        self.blocks = 0
        self._pool: Any = None
        self._keep: int | None = None  # the write end of the worker's lifeline, held here only
        self._alone = False  # the worker could not start: sign every block here

    def __enter__(self) -> Signer:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        if self._keep is not None:
            os.close(self._keep)
            self._keep = None

    def sign(self, headers: list[bytes]) -> Future[list[bytes]]:
        self.blocks += 1
        pool = self._worker() if self.blocks > _SIGN_HERE else None
        if pool is None:
            made: Future[list[bytes]] = Future()
            made.set_result(_sign_all(self.key, headers))
            return made
        return pool.submit(_sign_in_worker, headers)

    def _worker(self) -> Any:
        """The worker's pool, started on first use; None where there is no fork or it could not
        start (then every block is signed here, as before the worker existed)."""
        import multiprocessing  # only a batch of several blocks needs it, not every command

        if self._pool is None and not self._alone and "fork" in multiprocessing.get_all_start_methods():
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool

            context = multiprocessing.get_context("fork")
            lifeline, self._keep = os.pipe()  # the worker reads `lifeline`; only this process holds `keep`
            try:
                self._pool = ProcessPoolExecutor(
                    1, mp_context=context, initializer=_hold, initargs=(self.key, (os.getpid(), lifeline, self._keep))
                )
                self._pool.submit(int).result()  # the worker is running (and guarded) before `lifeline` closes here
            except (OSError, BrokenProcessPool):  # no memory or process left to fork: sign here
                self.__exit__()
                self._alone = True
            finally:
                os.close(lifeline)
        return self._pool


_held: list[Ed25519PrivateKey] = []  # in a `Signer`'s worker: the key it inherited


def _hold(key: Ed25519PrivateKey, parent: tuple[int, int, int]) -> None:
    """In the worker: never outlive this process's parent, even one killed with SIGKILL (it holds
    the signing key; the import's worker does the same), ignore Ctrl-C (the parent ends it)."""
    from tracer.forks import die_with_parent  # the import worker's guard too

    die_with_parent(*parent)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _held.append(key)


def _sign_in_worker(headers: list[bytes]) -> list[bytes]:
    return _sign_all(_held[0], headers)


def _sign_all(key: Ed25519PrivateKey, headers: list[bytes]) -> list[bytes]:
    return list(map(key.sign, headers))


def _signatures(key: Ed25519PublicKey, rows: list[Any]) -> list[bool]:
    return [signed(key, bytes(header), bytes(signature)) for _seq, header, signature, _enc in rows]


def _parts(block: list[Any], n: int) -> list[list[Any]]:
    """`block` cut into at most `n` consecutive runs of about equal length."""
    size = -(-len(block) // n) if block else 0
    return [block[i : i + size] for i in range(0, len(block), size)] if size else []
