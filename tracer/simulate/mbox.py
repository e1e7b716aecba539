"""Mail as it lands in a mailbox: RFC 5322 messages in an mbox with "From " separators.

Built by hand, not with `email.generator`, so the bytes are fully determined by the seed (no
random MIME boundaries) and so Chinese spam can arrive in GBK, as much of it really does.
"""

from __future__ import annotations

import base64
import quopri
import re
from datetime import UTC
from email.utils import format_datetime
from random import Random
from zoneinfo import ZoneInfo

from tracer.simulate.scene import Contact

_FROM_LINE = re.compile(rb"^(>*From )", re.MULTILINE)
_TEST_NETS = ("192.0.2", "198.51.100", "203.0.113")
_ATOM = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ .-]*$")


def message(contact: Contact, zone: ZoneInfo, mx: str) -> bytes:
    """One message: Received trace, ids, encoded headers, a single-part text body."""
    rng = Random(contact.key)
    charset = "GBK" if _gbk(contact) and rng.random() < 0.4 else "UTF-8"
    sender = contact.sender or "unknown@mail.invalid"
    helo = sender.rpartition("@")[2]
    ip = f"{rng.choice(_TEST_NETS)}.{rng.randrange(1, 255)}"  # documentation ranges, RFC 5737
    date = format_datetime(contact.at.astimezone(zone))
    received = format_datetime(contact.at.astimezone(UTC))
    headers = [
        f"Return-Path: <{sender}>",
        f"Delivered-To: {contact.to}",
        f"Received: from {helo} ({helo} [{ip}])\n"
        f"\tby {mx} with ESMTPS id {rng.getrandbits(40):010X}\n"
        f"\tfor <{contact.to}>; {received}",
        f"Message-ID: <{contact.key}>",
        f"Date: {date}",
        f"From: {address(contact.sender_name, sender, charset)}",
        f"To: {address(contact.to_name, contact.to, charset)}",
        f"Subject: {encoded(contact.subject, charset)}",
        "MIME-Version: 1.0",
    ]
    body, encoding = _body(contact.text, charset)
    headers.append(f'Content-Type: text/plain; charset="{charset}"')
    headers.append(f"Content-Transfer-Encoding: {encoding}")
    return "\n".join(headers).encode("ascii") + b"\n\n" + body


def mbox_entry(contact: Contact, zone: ZoneInfo, mx: str) -> bytes:
    """`message` behind its "From " line, body lines that start with "From " escaped (mboxrd)."""
    at = contact.at.astimezone(UTC)
    stamp = f"{at:%a %b} {at.day:2d} {at:%H:%M:%S %Y}"
    raw = message(contact, zone, mx)
    head, _, body = raw.partition(b"\n\n")
    body = _FROM_LINE.sub(rb">\1", body)
    envelope = (contact.sender or "MAILER-DAEMON").encode("ascii")
    text = b"From " + envelope + b" " + stamp.encode("ascii") + b"\n" + head + b"\n\n" + body
    return text if text.endswith(b"\n") else text + b"\n"


def address(name: str, addr: str, charset: str) -> str:
    if not name:
        return addr
    if name.isascii():
        shown = name if _ATOM.match(name) else '"' + name.replace('"', r"\"") + '"'
        return f"{shown} <{addr}>" if len(shown) + len(addr) < 66 else f"{shown}\n <{addr}>"
    words = encoded(name, charset)
    last = words.rpartition("\n")[2]
    return f"{words}\n <{addr}>" if len(last) + len(addr) > 60 else f"{words} <{addr}>"


def encoded(text: str, charset: str = "UTF-8") -> str:
    """RFC 2047 encoded words (base64), folded, each at most 75 characters; ASCII stays."""
    if text.isascii():
        return text
    words, chunk = [], ""
    for char in text:
        if len((chunk + char).encode(_codec(charset))) > 36:  # 48 base64 chars: lines stay < 78
            words.append(chunk)
            chunk = ""
        chunk += char
    words.append(chunk)
    parts = [
        f"=?{charset}?B?{base64.b64encode(w.encode(_codec(charset))).decode('ascii')}?="
        for w in words
    ]
    return "\n ".join(parts)


def _body(text: str, charset: str) -> tuple[bytes, str]:
    if text.isascii():
        return text.encode("ascii"), "7bit"
    data = text.encode(_codec(charset))
    if charset == "UTF-8" and len(text) % 2:  # some senders use quoted-printable
        return quopri.encodestring(data), "quoted-printable"
    b64 = base64.encodebytes(data)
    return b64, "base64"


def _gbk(contact: Contact) -> bool:
    try:
        (contact.subject + contact.text + contact.sender_name).encode("gbk")
    except UnicodeEncodeError:
        return False
    return not contact.text.isascii()


def _codec(charset: str) -> str:
    return "gbk" if charset == "GBK" else "utf-8"
