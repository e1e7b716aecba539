"""Contacts in the vault: log one by hand, import files (one transaction each), list, delete.

Each contact has a dedupe key, a keyed hash of (channel, second, to, from, text): importing the
same file twice, or an overlapping newer backup, adds nothing twice.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from tracer import ingest, times
from tracer.errors import InputError, RefusedError
from tracer.ledger import Ledger
from tracer.models import Channel, Contact, ContactRecord, Rejected
from tracer.vault import Vault

_CHUNK = 20_000
_INSERT = (
    "INSERT OR IGNORE INTO contacts(id, dedupe, channel, at, to_bi, from_bi, batch_id, enc)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
COLUMNS = (
    "id",
    "channel",
    "at",
    "to",
    "from",
    "heard_name",
    "text",
    "external_id",
    "duration",
    "batch_id",
)


@dataclass(frozen=True)
class ImportResult:
    file: str
    sha256: str
    format: str
    new: int
    known: int
    rejected: int
    batch_id: str | None


def log(vault: Vault, record: ContactRecord) -> tuple[Contact, bool]:
    """Store one contact the user just took; returns it and whether it was new."""
    if not (record.to or record.sender):
        raise InputError("give --to or --from", field="to")
    batch_id = "b_" + secrets.token_hex(6)
    with vault.transaction() as conn:
        before = conn.total_changes
        row = _row(vault, record, batch_id, "manual")
        conn.execute(_INSERT, row)
        new = conn.total_changes > before
        if new:
            Ledger(vault).append(
                "contact.logged",
                {"contact_id": row[0], "channel": record.channel.value, "at": times.iso(record.at)},
            )
    return Contact(str(row[0]), record, batch_id), new


def import_file(
    vault: Vault,
    path: Path,
    fmt: ingest.Format = ingest.Format.AUTO,
    *,
    options: ingest.Options | None = None,
    skip_bad: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Import every contact in `path` in one transaction, or nothing (InputError on a bad row).

    `on_progress(bytes_read)` is called now and then; compare with `ingest.total_bytes(path)`.
    """
    options = options or ingest.Options(region=vault.settings.region, tz=vault.settings.timezone)
    if not path.exists():
        raise InputError("no such file", file=str(path))
    fmt = ingest.sniff(path) if fmt == ingest.Format.AUTO else fmt
    digest = file_sha256(path)
    batch_id = "b_" + secrets.token_hex(6)
    aliases = _alias_index(vault)
    rejected = 0
    with vault.transaction() as conn, _rejects(skip_bad) as rejects:
        before, total = conn.total_changes, 0
        records = ingest.read(path, fmt, options, on_progress=on_progress)
        for chunk in _chunks(_accepted(records, path, rejects)):
            rows = [_row(vault, _pick_alias(vault, r, aliases), batch_id, digest) for r in chunk]
            conn.executemany(_INSERT, rows)
            total += len(rows)
        new = conn.total_changes - before
        rejected = rejects.count if rejects else 0
        if new:
            conn.execute(
                "INSERT INTO batches(id, at, ledger_seq, enc) VALUES (?, ?, ?, ?)",
                (
                    batch_id,
                    times.now().timestamp(),
                    Ledger(vault).head()[0] + 1,
                    vault.seal("batches", batch_id, {"file": path.name, "sha256": digest}),
                ),
            )
            Ledger(vault).append(
                "import.batch",
                {
                    "batch_id": batch_id,
                    "file": path.name,
                    "sha256": digest,
                    "format": fmt.value,
                    "new": new,
                    "known": total - new,
                    "rejected": rejected,
                },
            )
    return ImportResult(path.name, digest, fmt.value, new, total - new, rejected, batch_id if new else None)


def frame(vault: Vault, *, include_deleted: bool = False) -> pd.DataFrame:
    """All contacts as a DataFrame (decrypted), one row per contact, columns `COLUMNS`."""
    where = "" if include_deleted else " WHERE deleted_at IS NULL"
    rows = vault.conn.execute(
        f"SELECT id, channel, at, batch_id, enc FROM contacts{where} ORDER BY at, id"
    )
    out = []
    for cid, channel, at, batch_id, enc in rows:
        doc = vault.unseal("contacts", cid, enc)
        out.append(
            (cid, channel, at, doc[0], doc[1], doc[2], doc[3], doc[6], doc[4], batch_id)
        )
    return pd.DataFrame.from_records(out, columns=list(COLUMNS))


def show(vault: Vault, contact_id: str) -> dict[str, Any]:
    row = vault.conn.execute(
        "SELECT id, channel, at, batch_id, deleted_at, enc FROM contacts WHERE id = ?", (contact_id,)
    ).fetchone()
    if row is None:
        raise InputError(f"no contact {contact_id!r}", field="id", hint="see `tracer contacts list`")
    doc = vault.unseal("contacts", row[0], row[5])
    return {
        "id": row[0],
        "channel": row[1],
        "at": times.iso(times.from_epoch(row[2])),
        "to": doc[0],
        "from": doc[1],
        "heard_name": doc[2],
        "text": doc[3],
        "duration": doc[4],
        "direction": doc[5],
        "external_id": doc[6],
        "line": doc[7],
        "source_sha256": doc[9],
        "headers": doc[8],
        "batch_id": row[3],
        "deleted_at": None if row[4] is None else times.iso(times.from_epoch(row[4])),
    }


def delete(vault: Vault, contact_id: str, *, reason: str = "") -> None:
    """Hide a contact from attribution. The row stays and the ledger records why."""
    contact = show(vault, contact_id)
    if contact["deleted_at"]:
        raise RefusedError(f"contact {contact_id} is already deleted")
    with vault.transaction() as conn:
        conn.execute("UPDATE contacts SET deleted_at = ? WHERE id = ?", (times.now().timestamp(), contact_id))
        Ledger(vault).append("contact.deleted", {"contact_id": contact_id, "reason": reason})


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files in name order (Google Takeout)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with file.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


# -- internals -------------------------------------------------------------------------------


class _RejectLog:
    def __init__(self, handle: TextIO) -> None:
        self.handle, self.count = handle, 0

    def write(self, file: Path, bad: Rejected) -> None:
        self.count += 1
        self.handle.write(f"{file.name}:{bad.line}: field '{bad.field}': {bad.reason}\n")


class _rejects:
    """Context manager: the --skip-bad log, written next to the import, or None."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.log: _RejectLog | None = None

    def __enter__(self) -> _RejectLog | None:
        if self.path is not None:
            self.log = _RejectLog(self.path.open("w", encoding="utf-8"))
        return self.log

    def __exit__(self, *exc: object) -> None:
        if self.log:
            self.log.handle.close()


def _accepted(
    records: Iterable[ContactRecord | Rejected], path: Path, rejects: _RejectLog | None
) -> Iterator[ContactRecord]:
    for item in records:
        if isinstance(item, Rejected):
            if rejects is None:
                raise InputError(
                    item.reason,
                    file=str(path),
                    line=item.line,
                    field=item.field,
                    hint="fix the row, or pass --skip-bad FILE to import the rest",
                )
            rejects.write(path, item)
        else:
            yield item


def _chunks(records: Iterable[ContactRecord]) -> Iterator[list[ContactRecord]]:
    chunk: list[ContactRecord] = []
    for record in records:
        chunk.append(record)
        if len(chunk) >= _CHUNK:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _alias_index(vault: Vault) -> set[bytes]:
    return {
        bytes(r[0]) for r in vault.conn.execute("SELECT email_bi FROM canaries WHERE email_bi IS NOT NULL")
    }


def _pick_alias(vault: Vault, record: ContactRecord, aliases: set[bytes]) -> ContactRecord:
    """A mail's `to` is the recipient that is a canary alias, when one is."""
    candidates = record.headers.get("recipients") if record.headers else None
    if record.channel != Channel.EMAIL or not candidates:
        return record
    for address in candidates.split(","):
        if address and vault.blind("email", address) in aliases:
            return replace(record, to=address)
    return record


def _blind(vault: Vault, value: str | None) -> bytes | None:
    if not value:
        return None
    return vault.blind("email" if "@" in value else "phone", value)


def _row(vault: Vault, record: ContactRecord, batch_id: str, source: str) -> tuple[Any, ...]:
    at = int(record.at.timestamp())
    text_hash = hashlib.sha256((record.text or "").encode("utf-8", "replace")).hexdigest()[:32]
    key = f"{record.channel.value}|{at}|{record.to}|{record.sender}|{text_hash}"
    dedupe = vault.blind("contact", key, remember=False)
    cid = "k_" + dedupe[:8].hex()
    doc = [
        record.to,
        record.sender,
        record.heard_name,
        record.text,
        record.duration,
        record.direction,
        record.external_id,
        record.line,
        record.headers or None,
        source,
    ]
    return (
        cid,
        dedupe,
        record.channel.value,
        record.at.timestamp(),
        _blind(vault, record.to),
        _blind(vault, record.sender),
        batch_id,
        vault.seal("contacts", cid, doc),
    )
