"""iOS Messages: `sms.db` from a device backup (HomeDomain/Library/SMS/sms.db), SMS and iMessage.

Table `message` joined to `handle` (the other party: a number, an Apple ID address or a short
code) as iOS 6 to 18 declare them: `is_from_me` 1 is sent (skipped), as is a row whose
`item_type` is not 0 (the chat's own notices: a member added or gone, the group renamed, its photo
changed, a location shared, a FaceTime call; no contact, no words); `date` seconds since
2001-01-01 UTC, nanoseconds since iOS 11; `text`, or, when iOS 16+ leaves it empty, the string
inside `attributedBody`; `subject`; `guid` -> external_id; `service` (SMS, iMessage, RCS);
`destination_caller_id` is the user's own number or address that received it (iOS 10+), else
`--to`. The ios-calls format reads this file too (it is sniffed as one SQLite format).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

from tracer import times
from tracer.i18n import N_
from tracer.ingest.base import MAX_SHORT, MAX_TEXT, Context, Item, party, too_long
from tracer.models import Channel, ContactRecord, Rejected

APPLE_EPOCH = 978_307_200  # 2001-01-01T00:00:00Z in Unix seconds: iOS dates count from it
NANOSECONDS = 10**11  # a `date` above this counts nanoseconds (iOS 11+), not seconds
REQUIRED = ("ROWID", "date", "is_from_me", "handle_id")
OPTIONAL = ("guid", "text", "subject", "service", "attributedBody", "destination_caller_id", "item_type")


# What reading a damaged SQLite file raises: SQLite's own errors, and a schema whose names are no
# UTF-8 (Python decodes the text PRAGMA table_info returns, and raises UnicodeDecodeError)
DAMAGED = (sqlite3.Error, UnicodeDecodeError)


def table_columns(conn: sqlite3.Connection, table: str) -> set[str]:
    """The column names of `table` (none when there is no such table)."""
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def is_messages_database(path: Path) -> bool:
    """Whether the SQLite file at `path` is an iOS Messages database (opened read-only)."""
    try:
        conn = sqlite3.connect(f"file:{quote(str(Path(path).resolve()))}?mode=ro", uri=True)
    except sqlite3.Error:
        return False
    try:
        return holds_messages(conn)
    except DAMAGED:
        return False
    finally:
        conn.close()


def holds_messages(conn: sqlite3.Connection) -> bool:
    present, handles = table_columns(conn, "message"), table_columns(conn, "handle")
    return present >= set(REQUIRED) and {"ROWID", "id"} <= handles


def rows(conn: sqlite3.Connection, ctx: Context) -> Iterator[Item]:
    present = table_columns(conn, "message")
    wanted = REQUIRED + tuple(c for c in OPTIONAL if c in present)
    select = ", ".join(f"message.{c}" for c in wanted)
    query = f"SELECT {select}, handle.id FROM message LEFT JOIN handle ON message.handle_id = handle.ROWID"
    for values in conn.execute(query + " ORDER BY message.date"):
        row = dict(zip((*wanted, "handle"), values, strict=True))
        if not row["is_from_me"] and not row.get("item_type"):
            yield record(row, ctx)


def record(row: dict[str, Any], ctx: Context) -> Item:
    line = int(row["ROWID"])
    try:
        stamp = float(row["date"])
        at = times.from_epoch((stamp / 1e9 if stamp > NANOSECONDS else stamp) + APPLE_EPOCH)
    except (TypeError, ValueError, OverflowError, OSError):
        return Rejected(line, "date", N_("not seconds or nanoseconds since 2001-01-01"))
    sender, reason = party(_text(row.get("handle")), ctx.region, True)
    if reason:
        return Rejected(line, "handle.id", reason)
    own, _ = party(_text(row.get("destination_caller_id")), ctx.region)
    if sender is None and not (own or ctx.to):
        return Rejected(line, "handle.id", N_("no sender and no receiving number; pass --to"))
    text = "\n".join(part for part in (_text(row.get("subject")), _body(row)) if part) or None
    if text and too_long(text):
        text = text[: MAX_TEXT // 4]
    service = _text(row.get("service"))
    return ContactRecord(
        channel=Channel.SMS,
        at=at,
        to=own or ctx.to,
        sender=sender,
        text=text,
        external_id=_text(row.get("guid"))[:MAX_SHORT] or None,
        line=line,
        headers={"service": service[:MAX_SHORT]} if service else {},
    )


def _body(row: dict[str, Any]) -> str:
    return _words(_text(row.get("text"))) or _words(attributed(row.get("attributedBody")))


def _words(text: str) -> str:
    """A message's words without the U+FFFC that stands in for each attachment: the parts
    around attachments one per line."""
    return "\n".join(part.strip() for part in text.split(OBJECT) if part.strip())


OBJECT = "\ufffc"  # OBJECT REPLACEMENT CHARACTER: where an attachment sits in the text
_STRING_END = b"\x86\x84"  # what follows the string in the archive: end of object, next object
_WIDTHS = {0x81: 2, 0x82: 4}  # typedstream: 0x81 then an int16, 0x82 then an int32


def attributed(blob: Any) -> str:
    """The string of an archived NSAttributedString (typedstream; iOS 16+ `attributedBody`):
    after `NSString` comes `+`, a length (one byte; 0x81 then two bytes; 0x82 then four), then
    UTF-8. A length running past the string (a blob cut short) ends at the archive's next object."""
    if not isinstance(blob, bytes) or (found := blob.find(b"NSString")) < 0:
        return ""
    mark = blob.find(b"+", found)
    if mark < 0 or mark + 2 > len(blob):
        return ""
    size, start = blob[mark + 1], mark + 2
    if size in _WIDTHS:
        width = _WIDTHS[size]
        size, start = int.from_bytes(blob[start : start + width], "little"), start + width
    raw = blob[start : start + size]
    try:
        return raw.decode("utf-8").strip()
    except UnicodeDecodeError:
        end = raw.find(_STRING_END)
        return raw[: end if end >= 0 else len(raw)].decode("utf-8", "replace").strip()


def _text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return "" if value is None else str(value)
