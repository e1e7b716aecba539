"""iOS call history: `CallHistory.storedata`, a Core Data SQLite file (from a device backup), and
the `call_history.db` of iOS 7 and before.

Table `ZCALLRECORD`: `ZDATE` seconds since 2001-01-01 UTC, `ZADDRESS` the other party (a number,
or an Apple ID address for FaceTime), `ZORIGINATED` 0 = incoming (1 outgoing, skipped),
`ZDURATION` seconds, `ZANSWERED` 0 for a missed call, `ZISO_COUNTRY_CODE` the region the number
is read in, `ZUNIQUE_ID` -> external_id, `ZNAME` (the caller ID name iOS showed) -> caller_name.
Opened read-only; `line` is the row's `Z_PK`. The receiving number is `--to` (or the vault's
only number).

An iOS Messages database (`sms.db`) is read by `ios_messages`. The older `call_history.db` (schema as iOS 6 and 9 backups hold it) has table `call`: `ROWID`,
`address`, `date` Unix seconds, `duration`, `flags` (bit 0 set: outgoing, the rule the database's
own `timer_outgoing_trigger` uses; skipped), `name` -> caller_name, `answered` (iOS 9; 0 = missed).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import phonenumbers

from tracer import times
from tracer.i18n import N_, _
from tracer.ingest import ios_messages
from tracer.ingest.base import MAX_SHORT, Context, Item, party
from tracer.ingest.ios_messages import APPLE_EPOCH
from tracer.models import Channel, ContactRecord, Rejected

MAGIC = b"SQLite format 3\x00"
REQUIRED = ("ZDATE", "ZADDRESS", "ZORIGINATED")
OPTIONAL = (
    "Z_PK",
    "ZDURATION",
    "ZANSWERED",
    "ZISO_COUNTRY_CODE",
    "ZUNIQUE_ID",
    "ZSERVICE_PROVIDER",
    "ZNAME",
)


def read(path: Path, ctx: Context) -> Iterator[Item]:
    with ctx.open(path) as handle:
        if handle.read(len(MAGIC)) != MAGIC:
            raise ctx.error(_("not an SQLite database"), hint=_("give CallHistory.storedata"))
    uri = f"file:{quote(str(path.resolve()))}?mode=ro"
    try:
        conn = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:
        raise ctx.error(_("cannot open the database ({error})").format(error=exc)) from None
    try:
        yield from _rows(conn, ctx)
    except ios_messages.DAMAGED as exc:
        raise ctx.error(
            _("the database is damaged or cut off ({error})").format(error=exc),
            hint=_("copy the file again, together with its -wal and -shm files"),
        ) from None
    finally:
        conn.close()
    ctx.progress(path.stat().st_size)


def _rows(conn: sqlite3.Connection, ctx: Context) -> Iterator[Item]:
    present = {row[1].upper() for row in conn.execute("PRAGMA table_info(ZCALLRECORD)")}
    if not present and ios_messages.table_columns(conn, "call") >= set(LEGACY_REQUIRED):
        yield from _legacy_rows(conn, ctx)
        return
    if not present and ios_messages.holds_messages(conn):
        yield from ios_messages.rows(conn, ctx)
        return
    if not present:
        raise ctx.error(_("no ZCALLRECORD table; not an iOS call history"))
    missing = [c for c in REQUIRED if c not in present]
    if missing:
        raise ctx.error(_("ZCALLRECORD lacks {columns}").format(columns=", ".join(missing)))
    wanted = REQUIRED + tuple(c for c in OPTIONAL if c in present)
    cursor = conn.execute(f"SELECT {', '.join(wanted)} FROM ZCALLRECORD ORDER BY ZDATE")
    for ordinal, values in enumerate(cursor, start=1):
        row = dict(zip(wanted, values, strict=True))
        if row["ZORIGINATED"] in (0, None, "0"):
            yield record(row, _int(row.get("Z_PK")) or ordinal, ctx)


LEGACY_REQUIRED = ("ROWID", "address", "date", "flags")
LEGACY_OPTIONAL = ("duration", "name", "answered")


def _legacy_rows(conn: sqlite3.Connection, ctx: Context) -> Iterator[Item]:
    """call_history.db's `call` rows in the shape of ZCALLRECORD's (dates moved to 2001 seconds)."""
    present = ios_messages.table_columns(conn, "call")
    wanted = LEGACY_REQUIRED + tuple(c for c in LEGACY_OPTIONAL if c in present)
    for values in conn.execute(f"SELECT {', '.join(wanted)} FROM call ORDER BY date"):
        row = dict(zip(wanted, values, strict=True))
        if (_int(row["flags"]) or 0) & 1:
            continue  # placed
        try:
            date: Any = float(row["date"]) - APPLE_EPOCH
        except (TypeError, ValueError):
            yield Rejected(_int(row["ROWID"]) or 0, "date", N_("not Unix seconds"))
            continue
        legacy = {"ZDATE": date, "ZADDRESS": row["address"], "ZDURATION": row.get("duration"), "ZNAME": row.get("name")}
        if "answered" in row:
            legacy["ZANSWERED"] = row["answered"]
        yield record(legacy, _int(row["ROWID"]) or 0, ctx)


def record(row: dict[str, Any], line: int, ctx: Context) -> Item:
    try:
        at = times.from_epoch(float(row["ZDATE"]) + APPLE_EPOCH)
    except (TypeError, ValueError, OverflowError, OSError):
        return Rejected(line, "ZDATE", N_("not seconds since 2001-01-01"))
    address = row["ZADDRESS"]
    if isinstance(address, bytes):
        address = address.decode("utf-8", "replace")
    region = str(row.get("ZISO_COUNTRY_CODE") or "").upper()
    region = region if region in phonenumbers.SUPPORTED_REGIONS else ctx.region
    sender, reason = party(str(address or ""), region)
    if reason:
        return Rejected(line, "ZADDRESS", reason)
    if sender is None and ctx.to is None:
        return Rejected(line, "ZADDRESS", N_("withheld caller and no receiving number; pass --to"))
    headers = {"kind": "missed" if row.get("ZANSWERED") in (0, "0") else "incoming"}
    if row.get("ZSERVICE_PROVIDER"):
        headers["service"] = str(row["ZSERVICE_PROVIDER"])[:MAX_SHORT]
    unique = row.get("ZUNIQUE_ID")
    name = row.get("ZNAME")
    name = name.decode("utf-8", "replace") if isinstance(name, bytes) else name
    return ContactRecord(
        channel=Channel.CALL,
        at=at,
        to=ctx.to,
        sender=sender,
        duration=_int(row.get("ZDURATION")),
        external_id=str(unique)[:MAX_SHORT] if unique else None,
        line=line,
        headers=headers,
        caller_name=str(name).strip()[:MAX_SHORT] or None if name else None,
    )


def _int(value: Any) -> int | None:
    try:
        number = round(float(value))
    except (TypeError, ValueError, OverflowError):
        return None
    return number if number >= 0 else None
