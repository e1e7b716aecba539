"""One RFC 5322 mail (`.eml`) and the record any mail becomes (shared with `mbox`).

- `to`: the first address in Delivered-To, X-Original-To, To, Cc (else `--to`); every one of
  them, lowercased, goes in `headers["recipients"]` joined by "," so the vault can pick the one
  that is a canary alias. `sender`: the From address, lowercased.
- `at`: the Date header (a missing or unreadable Date is a Rejected for field 'Date'); old mailers'
  12-hour clocks (`Date: 18 Feb 01 12:29:13 AM`) are read as such.
- `text`: Subject + "\\n" + the text/plain body (else text/html without tags), at most 64 KiB.
- `external_id`: Message-ID. `headers` also keeps Received (joined by newlines) and
  Authentication-Results, the provenance a report may cite.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC
from email import policy
from email.feedparser import BytesFeedParser
from email.headerregistry import BaseHeader, HeaderRegistry
from email.message import Message
from email.utils import getaddresses, parsedate_to_datetime
from pathlib import Path

from tracer import times
from tracer.i18n import N_, _
from tracer.ingest import mime
from tracer.ingest.base import MAX_SHORT, MAX_TEXT, Context, Item
from tracer.models import Channel, ContactRecord, Rejected

MAX_MESSAGE = 64 << 20
RECIPIENT_HEADERS = ("delivered-to", "x-original-to", "to", "cc")
KEPT_HEADERS = {"received": "Received", "authentication-results": "Authentication-Results"}


class _LenientHeaders(HeaderRegistry):
    """The standard header registry, except that a structured header the standard library cannot
    parse is kept as unstructured text: CPython's MIME-parameter parser raises IndexError on a
    header cut short inside a parameter (`Content-Type: text/html; c*`, a mail truncated by a
    crashed export), and a crash there would lose the whole file."""

    def __call__(self, name: str, value: str) -> BaseHeader:
        try:
            return super().__call__(name, value)
        except (IndexError, ValueError, TypeError):
            return self["x-unparsed"](name, value)


_POLICY = policy.default.clone(header_factory=_LenientHeaders())


def new_parser() -> BytesFeedParser:
    return BytesFeedParser(policy=_POLICY)


class Feed:
    """A parser fed line by line, in which the header also ends at a line of only spaces or tabs
    (the blank line it stands for; RFC 5322 would read it as folding white space) and before a
    line starting with `--` (a MIME delimiter written without the blank line). Otherwise the
    body's first lines run into the header (a delimiter such as `----…=:18061` even parses as a
    header name) and the body is lost. Spam writes both."""

    def __init__(self) -> None:
        self.parser = new_parser()
        self.in_header = True
        self.line_start = True

    def feed(self, line: bytes) -> None:
        if self.in_header and self.line_start:
            blank = b"\r\n" if line.endswith(b"\r\n") else b"\n"
            if not line.strip(b" \t\r\n"):
                self.in_header, line = False, blank
            elif line.startswith(b"--"):
                self.in_header = False
                self.parser.feed(blank)
        self.line_start = line.endswith(b"\n")
        self.parser.feed(line)

    def close(self) -> Message:
        return self.parser.close()


def read(path: Path, ctx: Context) -> Iterator[Item]:
    feed, size = Feed(), 0
    with ctx.open(path) as raw:
        while chunk := raw.readline(1 << 16) if feed.in_header else raw.read(1 << 16):
            size += len(chunk)
            if size > MAX_MESSAGE:
                raise ctx.error(_("larger than 64 MiB; not a single mail"), hint=_("check --format"))
            feed.feed(chunk)  # line by line through the header, then in blocks
    msg = feed.close()
    if not msg.keys():
        raise ctx.error(_("no mail headers; not an RFC 5322 (.eml) file"), hint=_("check --format"))
    yield record(msg, 1, ctx)
    ctx.progress(size)


def parse(data: bytes) -> Message:
    parser = new_parser()
    parser.feed(data)
    return parser.close()


def record(msg: Message, line: int, ctx: Context) -> Item:
    """The ContactRecord for one parsed mail, or Rejected naming the header that is missing."""
    msg = mime.repaired(msg, parse)
    hint = mime.charset_of(msg)
    headers = _headers(msg, hint)
    date = (headers.get("date") or [""])[0]
    if not date:
        return Rejected(line, "Date", N_("missing"))
    try:
        at = parsedate_to_datetime(times.spelled_out(date))  # RFC 2822 parsing ignores AM/PM
        at = (at if at.tzinfo else at.replace(tzinfo=ctx.zone)).astimezone(UTC)
    except (TypeError, ValueError, IndexError, OverflowError):
        return Rejected(line, "Date", N_("not an RFC 5322 date"))
    recipients = _addresses(headers, RECIPIENT_HEADERS)
    senders = _addresses(headers, ("from",))
    to = recipients[0] if recipients else ctx.to
    sender = senders[0] if senders else None
    if to is None and sender is None:
        return Rejected(line, "To", N_("no recipient or sender address; pass --to"))
    subject = mime.header_text((headers.get("subject") or [""])[0], hint)
    body = mime.body_text(msg).replace("\r\n", "\n")  # one line end, whatever the file used
    text = _clip(f"{subject}\n{body}".strip())
    message_id = (headers.get("message-id") or [""])[0].strip()[:MAX_SHORT]
    return ContactRecord(
        channel=Channel.EMAIL,
        at=at,
        to=to,
        sender=sender,
        text=text or None,
        external_id=message_id or None,
        line=line,
        headers=_provenance(headers, recipients),
    )


def _headers(msg: Message, hint: str | None) -> dict[str, list[str]]:
    """Raw header values by lowercase name, unfolded, in order (no header-registry parsing)."""
    found: dict[str, list[str]] = {}
    for name, value in msg.raw_items():
        found.setdefault(name.lower(), []).append(mime.unfold(str(value), hint))
    return found


def _addresses(headers: dict[str, list[str]], names: tuple[str, ...]) -> list[str]:
    values = [value for name in names for value in headers.get(name, [])]
    found: list[str] = []
    for _name, address in getaddresses(values):
        address = address.strip().lower()
        if "@" in address and len(address) <= 320 and address not in found:
            found.append(address)
    return found


def _provenance(headers: dict[str, list[str]], recipients: list[str]) -> dict[str, str]:
    kept = {"recipients": ",".join(recipients)} if recipients else {}
    for name, label in KEPT_HEADERS.items():
        if headers.get(name):
            kept[label] = _clip("\n".join(headers[name]))
    return kept


def _clip(text: str) -> str:
    """At most MAX_TEXT bytes of UTF-8, cut on a character boundary."""
    if len(text) <= MAX_TEXT // 4:
        return text
    return text.encode("utf-8", "replace")[:MAX_TEXT].decode("utf-8", "ignore")
