"""Android call log from "SMS Backup & Restore" (`calls-*.xml`).

    <calls count="2">
      <call number="+8613800138000" duration="12" date="1772328600000" type="1"
            presentation="1" subscription_id="1" contact_name="(Unknown)" />

`type`: 1 incoming, 3 missed, 4 voicemail, 5 rejected, 6 blocked, 7 answered on another device
(all received); 2 outgoing is skipped. A number `-1`/`-2`/`-3`/empty or `presentation` 2
(restricted) / 3 (unknown) is a withheld caller: sender None. `date` is epoch milliseconds. The
backup does not record the receiving number: `to` is `sim_map[subscription_id]`, else `--to`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from tracer import phones
from tracer.i18n import N_
from tracer.ingest import xmlstream
from tracer.ingest.base import MAX_SHORT, Context, Item, from_millis, party
from tracer.models import Channel, ContactRecord, Rejected

RECEIVED = {
    "1": "incoming",
    "3": "missed",
    "4": "voicemail",
    "5": "rejected",
    "6": "blocked",
    "7": "answered-elsewhere",
}
OUTGOING = {"2"}
WITHHELD_PRESENTATION = {"2", "3"}
NO_NAME = {"", "(Unknown)", "null"}


def read(path: Path, ctx: Context) -> Iterator[Item]:
    with ctx.open(path) as raw:
        yield from xmlstream.items(raw, ctx, "calls", lambda elem, line: _call(elem, line, ctx))


def _call(elem: Element, line: int, ctx: Context) -> Item | None:
    return record(elem, line, ctx) if elem.tag == "call" else None


def record(elem: Element, line: int, ctx: Context) -> Item | None:
    """The record for one `<call>`, a Rejected, or None for an outgoing call."""
    attrs = elem.attrib
    kind_code = attrs.get("type", "").strip()
    kind = RECEIVED.get(kind_code)
    if kind is None:
        return None if kind_code in OUTGOING else Rejected(line, "type", N_("not a known call type"))
    try:
        at = from_millis(attrs.get("date"))
    except ValueError as exc:
        return Rejected(line, "date", str(exc))
    number = attrs.get("number", "")
    sender, reason = None, None
    if attrs.get("presentation", "1").strip() not in WITHHELD_PRESENTATION:
        sender, reason = party(number, ctx.region) if not phones.is_withheld(number) else (None, None)
    if reason:
        return Rejected(line, "number", reason)
    duration = _seconds(attrs.get("duration"))
    if duration is None:
        return Rejected(line, "duration", N_("not whole seconds"))
    to = ctx.receiver(attrs.get("subscription_id"))
    if to is None and sender is None:
        return Rejected(line, "number", N_("withheld caller and no receiving number; pass --to"))
    headers = {"kind": kind}
    name = attrs.get("contact_name", "").strip()
    if name not in NO_NAME:
        headers["contact_name"] = name[:MAX_SHORT]
    return ContactRecord(
        channel=Channel.CALL,
        at=at,
        to=to,
        sender=sender,
        duration=duration,
        line=line,
        headers=headers,
        caller_name=headers.get("contact_name"),
    )


def _seconds(raw: str | None) -> int | None:
    try:
        value = int(raw or 0)
    except ValueError:
        return None
    return value if value >= 0 else None
