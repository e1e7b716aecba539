"""Android messages from "SMS Backup & Restore" (`sms-*.xml`): SMS and MMS.

    <smses count="2">
      <sms address="10690000123" date="1772328600000" type="1" body="..." sub_id="1" />
      <mms date="1772328600000" msg_box="1" sub_id="2" sub="null">
        <parts><part ct="text/plain" text="..." /></parts>
        <addrs><addr address="+8613900139000" type="137" /><addr address="..." type="151" /></addrs>
      </mms>

SMS `type` 1 is received (2 sent, 3 draft, 4 outbox, 5 failed, 6 queued are skipped). MMS
`msg_box` 1 is received; its sender is the `addr` of type 137 (the app also writes it as the
`address` attribute), recipients are type 151; its text is the `text/plain` parts joined. Senders
that are not phone numbers (short codes, brand names) are kept as written. `to` is the MMS
recipient that is one of the user's numbers (`--to`, `sim_map`), else `sim_map[sub_id]`, else
`--to`, else an MMS's only recipient; all MMS recipients go in `headers["recipients"]`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree.ElementTree import Element

from tracer.i18n import N_
from tracer.ingest import xmlstream
from tracer.ingest.base import MAX_SHORT, Context, Item, from_millis, party, too_long
from tracer.models import Channel, ContactRecord, Rejected

SENDER, RECIPIENT = "137", "151"
NULL = {"", "null"}


def read(path: Path, ctx: Context) -> Iterator[Item]:
    with ctx.open(path) as raw:
        yield from xmlstream.items(raw, ctx, "smses", lambda elem, line: _message(elem, line, ctx))


def _message(elem: Element, line: int, ctx: Context) -> Item | None:
    convert = _KINDS.get(str(elem.tag))
    return convert(elem, line, ctx) if convert else None


def sms(elem: Element, line: int, ctx: Context) -> Item | None:
    attrs = elem.attrib
    if attrs.get("type", "").strip() != "1":
        return None
    sender, reason = party(attrs.get("address", ""), ctx.region, True)
    if reason:
        return Rejected(line, "address", reason)
    text = attrs.get("body", "")
    subject = attrs.get("subject", "")
    text = text if subject in NULL else f"{subject}\n{text}"
    return _record(attrs, line, ctx, sender, text, {})


def mms(elem: Element, line: int, ctx: Context) -> Item | None:
    attrs = elem.attrib
    if attrs.get("msg_box", "").strip() != "1":
        return None
    raw_sender = attrs.get("address", "")
    recipients: list[str] = []
    for addr in elem.iter("addr"):
        kind, address = addr.get("type", ""), addr.get("address", "")
        if kind == SENDER:
            raw_sender = address
        elif kind == RECIPIENT:
            value, reason = party(address, ctx.region, True)
            if reason:
                return Rejected(line, "addr", reason)
            if value and value not in recipients:
                recipients.append(value)
    sender, reason = party(raw_sender.split("~")[0], ctx.region, True)
    if reason:
        return Rejected(line, "addr", reason)
    texts = [p.get("text", "").strip() for p in elem.iter("part") if p.get("ct", "").lower() == "text/plain"]
    subject = attrs.get("sub", "")
    text = "\n".join(([] if subject in NULL else [subject]) + [t for t in texts if t])
    headers = {"recipients": ",".join(recipients)} if recipients else {}
    own = {*ctx.sim_map.values(), ctx.to}
    mine = next((r for r in recipients if r in own), None)
    only = recipients[0] if len(recipients) == 1 else None
    return _record(attrs, line, ctx, sender, text, headers, mine, only)


def _record(
    attrs: dict[str, str],
    line: int,
    ctx: Context,
    sender: str | None,
    text: str,
    headers: dict[str, str],
    own: str | None = None,
    only: str | None = None,
) -> Item:
    try:
        at = from_millis(attrs.get("date"))
    except ValueError as exc:
        return Rejected(line, "date", str(exc))
    if too_long(text):
        return Rejected(line, "body", N_("longer than 64 KiB"))
    to = own or ctx.receiver(attrs.get("sub_id")) or only
    if to is None and sender is None:
        return Rejected(line, "address", N_("names neither receiver nor sender; pass --to"))
    name = attrs.get("contact_name", "").strip()
    if name not in NULL and name != "(Unknown)":
        headers["contact_name"] = name[:MAX_SHORT]
    return ContactRecord(
        channel=Channel.SMS,
        at=at,
        to=to,
        sender=sender,
        text=text or None,
        line=line,
        headers=headers,
        caller_name=headers.get("contact_name"),
    )


_KINDS = {"sms": sms, "mms": mms}
