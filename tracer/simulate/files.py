"""write() and load(): the files a user of the world would have, plus the hidden truth.

world.json        what the user knows: themself, their numbers, their signups (identities)
calls.csv         the call log, contract columns channel,at,to,from,heard_name,text,id
sms-<last4>.xml   one "SMS Backup & Restore" file per receiving number
mail.mbox         every mail to the catch-all domain
truth.json        who caused each contact, which platforms leaked, brokers and centres
"""

from __future__ import annotations

import csv
import json
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from tracer.simulate import mbox
from tracer.simulate.planner import plan
from tracer.simulate.scene import Contact
from tracer.simulate.shape import Shape
from tracer.simulate.traffic import Reply, Traffic
from tracer.simulate.world import Signup, World
from tracer.times import iso, parse

WORLD_VERSION = 1
CALL_COLUMNS = ("channel", "at", "to", "from", "heard_name", "text", "id")
_ATTR = {'"': "&quot;", "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def write(world: World, signups: list[Signup], traffic: Traffic, out: Path) -> None:
    """Write the world's files into `out` (created if missing; our files are overwritten)."""
    out.mkdir(parents=True, exist_ok=True)
    zone = ZoneInfo(world.user.timezone)
    sms_files = sms_names(world)
    _json(out / "world.json", world_doc(world, signups, sms_files))
    _calls(out / "calls.csv", traffic.contacts, zone)
    for e164, name in sms_files.items():
        _sms(out / name, e164, traffic, zone, world.end)
    _mail(out / "mail.mbox", traffic.contacts, zone, f"mx.{world.user.email_domain}")
    _json(out / "truth.json", traffic.truth)


def load(out: Path) -> tuple[World, list[Signup], dict[str, Any]]:
    """Read back a written world: the World (re-planned from its shape), signups and truth."""
    doc = json.loads((out / "world.json").read_text(encoding="utf-8"))
    if doc.get("version") != WORLD_VERSION:
        raise ValueError(f"{out / 'world.json'}: unsupported version {doc.get('version')!r}")
    world = plan(Shape.from_dict(doc["shape"]))
    if [n["e164"] for n in doc["numbers"]] != [line.e164 for line in world.lines]:
        raise ValueError(f"{out / 'world.json'} was written by another version of the simulator")
    signups = [
        Signup(
            platform=s["platform"],
            category=s["category"],
            at=parse(s["at"]),
            real_name=s["real_name"],
            phone=s["phone"],
            name=s["name"],
            email=s["email"],
            markers=dict(s["markers"]),
        )
        for s in doc["signups"]
    ]
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    return world, signups, truth


def sms_names(world: World) -> dict[str, str]:
    """File name per line: sms-<last 4 digits>.xml, more digits if two lines share them."""
    digits = 4
    while len({line.e164[-digits:] for line in world.lines}) < len(world.lines):
        digits += 1
    return {line.e164: f"sms-{line.e164[-digits:]}.xml" for line in world.lines}


def world_doc(world: World, signups: list[Signup], sms_files: dict[str, str]) -> dict[str, Any]:
    user = world.user
    return {
        "version": WORLD_VERSION,
        "seed": world.shape.seed,
        "shape": world.shape.to_dict(),
        "period": {"start": iso(world.start), "end": iso(world.end)},
        "user": {
            "locale": user.locale,
            "name": user.name,
            "phone": user.phone,
            "email": user.email,
            "email_domain": user.email_domain,
            "region": user.region,
            "timezone": user.timezone,
            "city": user.city,
            "gender": user.gender,
        },
        "numbers": [
            {
                "e164": line.e164,
                "label": line.label,
                "primary": line.primary,
                "control": line.control,
                "recycled": line.recycled,
            }
            for line in world.lines
        ],
        "signups": [
            {
                "platform": s.platform,
                "category": s.category,
                "at": iso(s.at),
                "real_name": s.real_name,
                "phone": s.phone,
                "name": s.name,
                "email": s.email,
                "markers": s.markers,
            }
            for s in signups
        ],
        "files": {
            "calls": "calls.csv",
            "mail": "mail.mbox",
            "sms": {v: k for k, v in sms_files.items()},
        },
    }


def _json(path: Path, doc: dict[str, Any]) -> None:
    path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def _calls(path: Path, contacts: tuple[Contact, ...], zone: ZoneInfo) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(CALL_COLUMNS)
        for c in contacts:
            if c.channel == "call":
                at = c.at.astimezone(zone).isoformat()
                writer.writerow(("call", at, c.to, c.sender or "", c.heard_name, c.text, c.key))


def _sms(path: Path, e164: str, traffic: Traffic, zone: ZoneInfo, end: datetime) -> None:
    rows = [
        (c.at, _sms_row(c, zone)) for c in traffic.contacts if c.channel == "sms" and c.to == e164
    ]
    rows += [(r.at, _reply_row(r, zone)) for r in traffic.replies if r.line == e164]
    rows.sort(key=lambda pair: pair[0])
    head = (
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n"
        f"<!--File Created By SMS Backup & Restore v10.20.002 on {_readable(end, zone)}-->\n"
        f'<smses count="{len(rows)}" backup_set="{e164[-4:]}-{_ms(end)}" '
        f'backup_date="{_ms(end)}" type="full">\n'
    )
    body = "".join(f"  {row}\n" for _, row in rows)
    path.write_text(head + body + "</smses>\n", encoding="utf-8")


def _sms_row(contact: Contact, zone: ZoneInfo) -> str:
    # Arrival keeps a sub-second part under 500 ms, so the truth key's second is the same
    # whether a reader truncates or rounds. The sender's stamp runs a few seconds earlier;
    # 106 channels and short codes often send none (0).
    arrival = _ms(contact.at) + _jitter(contact.key, 500)
    service = bool(contact.sender) and not (contact.sender or "").startswith("+")
    sent = _ms(contact.at) - 1000 * (1 + _jitter(contact.key + "/sent", 8))
    if service and _jitter(contact.key + "/zero", 3) == 0:
        sent = 0
    return _row(contact.sender or "", arrival, 1, contact.text, sent, contact.at, zone)


def _reply_row(reply: Reply, zone: ZoneInfo) -> str:
    return _row(reply.address, _ms(reply.at), 2, reply.body, 0, reply.at, zone)


def _row(
    address: str, date: int, kind: int, body: str, sent: int, at: datetime, zone: ZoneInfo
) -> str:
    return (
        f'<sms protocol="0" address="{_attr(address)}" date="{date}" type="{kind}" subject="null" '
        f'body="{_attr(body)}" toa="null" sc_toa="null" service_center="null" '
        f'read="1" status="-1" locked="0" date_sent="{sent}" sub_id="1" '
        f'readable_date="{_readable(at, zone)}" contact_name="(Unknown)" />'
    )


def _mail(path: Path, contacts: tuple[Contact, ...], zone: ZoneInfo, mx: str) -> None:
    with path.open("wb") as handle:
        for c in contacts:
            if c.channel == "email":
                handle.write(mbox.mbox_entry(c, zone, mx) + b"\n")


def _attr(text: str) -> str:
    return escape(text, _ATTR)


def _ms(at: datetime) -> int:
    return int(at.astimezone(UTC).timestamp()) * 1000


def _jitter(key: str, size: int) -> int:
    """A small number derived from `key` alone (stable across runs, unlike hash())."""
    return zlib.crc32(key.encode("utf-8")) % size


def _readable(at: datetime, zone: ZoneInfo) -> str:
    local = at.astimezone(zone)
    hour = local.hour % 12 or 12
    half = "AM" if local.hour < 12 else "PM"
    return f"{local:%b} {local.day}, {local.year} {hour}:{local:%M:%S} {half}"
