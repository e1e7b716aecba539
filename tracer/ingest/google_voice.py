"""Google Voice from Google Takeout: the `Voice/Calls` folder, one XHTML page per call or thread.

File names read `<contact> - <kind> - <UTC time>.html`; the contact is empty for a caller Google
did not know (` - Missed - 2011-10-27T22_07_36Z.html`), and a page without a kind
(`Group Conversation - ….html`) is a thread. Kinds Missed, Received and Voicemail are received
calls, Text a message thread, Placed (and Recorded) are skipped. A page whose name does not say
its kind (renamed, or named without one) is known by its own `<title>` (`Missed call from`,
`Placed call to`, …) and its `haudio`/`hChatLog` markup. A call page has the caller in
`a.tel` (`href="tel:+1..."`, empty when withheld) with its caller ID name in `span.fn`, the time
in `abbr.published` (`title`, ISO 8601), a voicemail transcript in `.full-text` and
`abbr.duration` (`PT22S`). A thread has `div.message`s (`abbr.dt`, `cite.sender a.tel`, `q`); the
user's own are marked `abbr.fn` "Me" and skipped. A caller ID that is no valid number
(`174074978`) is kept as written. The receiving number is `--to`, else the Google Voice number
Takeout lists in `Voice/Phones.vcf` beside `Calls`. `line` is the page's place in
name order, and a rejected page names its own file. A page cut off (no `</html>`: a download or
an unzip that stopped) gives the messages that were whole (each before the next one began) and
one rejected item, field `file`. The folder given may also be `Voice` or the Takeout root, or
one page alone (a call copied out of Takeout to show someone).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from html.parser import HTMLParser
from pathlib import Path

from tracer.errors import InputError
from tracer.i18n import N_, _
from tracer.ingest.base import MAX_SHORT, TIME_REASON, Context, Item, parse_time, party, too_long
from tracer.ingest.columns import seconds
from tracer.models import Channel, ContactRecord, Rejected

MAX_PAGE = 16 << 20
CALL_KINDS = {"missed": "missed", "received": "incoming", "voicemail": "voicemail"}
SKIPPED_KINDS = {"placed", "recorded"}
_VOID = {"br", "img", "meta", "link", "hr", "input", "source", "wbr"}
# A page's <title> starts with what it is; anything else (a name, "Me to", nothing) is a thread.
TITLE_KINDS = {
    "missed call": "missed",
    "received call": "received",
    "voicemail": "voicemail",
    "placed call": "placed",
    "recorded call": "recorded",
}
# Takeout's markup for a call (`div.haudio`) and a thread (`div.hChatLog`), found in a page's head
_MARKUP = re.compile(rb"""class=["'](?:haudio|hChatLog)\b""")
HEAD = 64 << 10  # bytes read to find it: the inline style sheet comes first
# `<contact> - <Kind> - <time>`: the contact may be empty (the name then starts "- " or " - ")
_THREAD = re.compile(r".+ - \d{4}-\d\d-\d\dT[\d_.]+Z?(?:\s?\(\d+\))?")  # `Group Conversation - <time>`
_NAME = re.compile(r"(?:(?P<contact>.*?)\s?)?-\s(?P<kind>[A-Za-z]+)\s-\s\d{4}-\d\d-\d\dT[\d_.]+Z?(?:\s?\(\d+\))?")


def pages(path: Path) -> list[Path]:
    """The Takeout pages under `path` (the Calls folder, or Voice, or the Takeout root): Calls,
    and Spam (calls and texts Google filtered: a leak tracer wants those most); a page given
    alone is itself."""
    if path.is_file():
        return [path]
    for voice in (path / "Takeout" / "Voice", path / "Voice", path):
        folders = [voice / "Calls", voice / "Spam"]
        if any(folder.is_dir() for folder in folders):
            return [p for folder in folders if folder.is_dir() for p in _html(folder)]
    return _html(path)


def _html(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.html") if p.is_file())


def read(path: Path, ctx: Context) -> Iterator[Item]:
    found = pages(path)
    folder = path.parent if path.is_file() else path
    if not found:
        raise ctx.error(_("no .html pages in this folder"), hint=_("give the Takeout Voice/Calls folder"))
    if ctx.to is None and (number := own_number(folder, ctx.region)):
        ctx = replace(ctx, to=number)
    done = 0
    for ordinal, page in enumerate(found, start=1):
        name = str(page.relative_to(folder)) if page.is_relative_to(folder) else page.name
        for item in _page(page, ordinal, ctx):
            yield replace(item, file=name) if isinstance(item, Rejected) else item
        done += page.stat().st_size
        ctx.progress(done)


_LABEL = re.compile(r"^(?P<group>[\w-]+)\.X-ABLabel:\s*Google Voice\s*$", re.IGNORECASE | re.MULTILINE)
MAX_CARD = 1 << 20


def own_number(path: Path, region: str) -> str | None:
    """The account's Google Voice number, as Takeout lists it in `Voice/Phones.vcf` beside
    `Calls` (`item1.TEL:+1…` with `item1.X-ABLabel:Google Voice`; the linked phones follow as
    plain `TEL;TYPE=CELL` lines): the number every page was received on. None without one."""
    places = [path / "Takeout" / "Voice", path / "Voice", path]
    if path.name in ("Calls", "Spam"):
        places.append(path.parent)
    for voice in places:
        card = voice / "Phones.vcf"
        try:
            if card.is_file() and card.stat().st_size <= MAX_CARD:
                return _labelled(card.read_text(encoding="utf-8", errors="replace"), region)
        except OSError:
            return None
    return None


def _labelled(card: str, region: str) -> str | None:
    text = re.sub(r"\r?\n[ \t]", "", card)  # unfold continued lines (RFC 6350)
    for label in _LABEL.finditer(text):
        tel = re.search(rf"^{re.escape(label['group'])}\.TEL[^:\n]*:(.+)$", text, re.IGNORECASE | re.MULTILINE)
        number, reason = party(tel[1].strip(), region) if tel else (None, None)
        if number and not reason:
            return number
    return None


def is_page(path: Path) -> bool:
    """Whether `path` is a Takeout Voice page: by its name (`… - Missed - <time>.html`, a
    thread), else by Takeout's call or thread markup in its first bytes."""
    if path.suffix.lower() != ".html":
        return False
    if _NAME.fullmatch(path.stem) is not None or _THREAD.fullmatch(path.stem) is not None:
        return True
    return has_markup(path)


def has_markup(path: Path) -> bool:
    """Whether a file's first bytes hold Takeout's call or thread markup, whatever its name."""
    try:
        with path.open("rb") as handle:
            return _MARKUP.search(handle.read(HEAD)) is not None
    except OSError:
        return False


def kind_of(stem: str) -> str | None:
    """The page's kind from its file name, lowercased; None when the name does not say."""
    match = _NAME.fullmatch(stem)
    return match["kind"].lower() if match else None


def _title_kind(title: str) -> str:
    """The page's kind from its <title>; "text" for a thread."""
    head = " ".join(title.split()).lower()
    return next((kind for words, kind in TITLE_KINDS.items() if head.startswith(words)), "text")


def _label(stem: str) -> str | None:
    """The contact the file is named after, when it is a name (Takeout uses the saved contact)."""
    match = _NAME.fullmatch(stem)
    label = (match["contact"] or "").strip() if match else ""
    return label if label and not label.lstrip("+").isdigit() else None


def _page(page: Path, line: int, ctx: Context) -> Iterator[Item]:
    kind = kind_of(page.stem)
    if kind in SKIPPED_KINDS:
        return
    if kind is not None and kind not in CALL_KINDS and kind != "text":
        yield Rejected(line, "file", N_("name does not say Missed/Received/Voicemail/Text/Placed"))
        return
    try:
        if page.stat().st_size > MAX_PAGE:
            yield Rejected(line, "file", N_("larger than 16 MiB"))
            return
        html = page.read_bytes().decode("utf-8", "replace")
    except OSError:
        raise InputError(_("cannot read this page"), file=str(page)) from None
    parsed = _Page()
    try:
        parsed.feed(html)
        parsed.close()
    except (AssertionError, ValueError):
        yield Rejected(line, "file", N_("unreadable HTML"))
        return
    kind = kind or _title_kind("".join(parsed.title))
    if kind in SKIPPED_KINDS:
        return
    label = _label(page.stem)
    whole = parsed.messages if parsed.closed else parsed.messages[:-1]  # the last one may be cut
    for message in whole:
        if not _mine(message, ctx):
            yield _message(message, line, ctx, label)
    if not parsed.closed:
        yield Rejected(line, "file", N_("cut off: the page does not end with </html>; copy it again from the archive"))
    elif kind in CALL_KINDS and not parsed.messages:
        yield _call(parsed, CALL_KINDS[kind], line, ctx, label)


def _caller_name(msg: _Message) -> str | None:
    """The caller ID name the page shows, unless it is only the number again."""
    name = " ".join("".join(msg.name).split())[:MAX_SHORT]
    return name if name and name.lstrip("+").replace(" ", "") != msg.tel.lstrip("+") else None


def _call(page: _Page, kind: str, line: int, ctx: Context, label: str | None = None) -> Item:
    try:
        at = parse_time(page.call.time or "", ctx.zone)
    except ValueError:
        return Rejected(line, "published", TIME_REASON)
    try:
        duration = seconds(page.duration) if page.duration else None
    except ValueError:
        return Rejected(line, "duration", N_("not a duration"))
    sender, reason = party(page.call.tel, ctx.region, True)
    if reason or (sender is None and ctx.to is None):
        return Rejected(line, "tel", reason or N_("withheld caller and no receiving number; pass --to"))
    text = " ".join("".join(page.transcript).split()) or None
    if text and too_long(text):
        return Rejected(line, "full-text", N_("longer than 64 KiB"))
    return ContactRecord(
        channel=Channel.CALL,
        at=at,
        to=ctx.to,
        sender=sender,
        text=text,
        duration=duration,
        line=line,
        headers={"kind": kind},
        caller_name=_caller_name(page.call) or label,
    )


def _mine(msg: _Message, ctx: Context) -> bool:
    """The user's own message: marked "Me", or sent from the `--to` number."""
    return msg.mine or (ctx.to is not None and party(msg.tel, ctx.region, True)[0] == ctx.to)


def _message(msg: _Message, line: int, ctx: Context, label: str | None = None) -> Item:
    try:
        at = parse_time(msg.time or "", ctx.zone)
    except ValueError:
        return Rejected(line, "dt", TIME_REASON)
    sender, reason = party(msg.tel, ctx.region, True)
    if reason or (sender is None and ctx.to is None):
        return Rejected(line, "tel", reason or N_("no sender and no receiving number; pass --to"))
    text = "".join(msg.text).strip()
    if too_long(text):
        return Rejected(line, "q", N_("longer than 64 KiB"))
    return ContactRecord(
        channel=Channel.SMS,
        at=at,
        to=ctx.to,
        sender=sender,
        text=text or None,
        line=line,
        headers={"kind": "text"},
        caller_name=_caller_name(msg) or label,
    )


@dataclass
class _Message:
    time: str | None = None
    tel: str = ""
    mine: bool = False
    text: list[str] = field(default_factory=list)
    name: list[str] = field(default_factory=list)  # the `span.fn` inside `a.tel`


class _Page(HTMLParser):
    """Collects the microformat fields of one Takeout page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.call = _Message()
        self.duration: str | None = None
        self.transcript: list[str] = []
        self.messages: list[_Message] = []
        self.title: list[str] = []
        self.closed = False  # `</html>` was read: the page is whole, not cut off
        self._capture: list[str] | None = None
        self._depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br" and self._capture is not None:
                self._capture.append("\n")
            return
        if self._capture is not None:
            self._depth += 1
            return
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        current = self.messages[-1] if self.messages else self.call
        if tag == "title" and not self.title:
            self._capture = self.title
            self._depth = 1
        elif tag == "div" and "message" in classes:
            self.messages.append(_Message())
        elif tag == "a" and "tel" in classes and not current.tel:
            current.tel = (values.get("href") or "").removeprefix("tel:") or "-1"
        elif tag == "span" and "fn" in classes and current.tel and not current.name:
            self._capture = current.name
            self._depth = 1
        elif tag == "abbr" and classes & {"published", "dt"} and current.time is None:
            current.time = values.get("title") or ""
        elif tag == "abbr" and "duration" in classes:
            self.duration = values.get("title")
        elif tag == "abbr" and "fn" in classes and self.messages:
            current.mine = True
        elif "full-text" in classes or (tag == "q" and self.messages):
            self._capture = self.transcript if tag != "q" else current.text
            self._depth = 1

    def handle_endtag(self, tag: str) -> None:
        self.closed = self.closed or tag == "html"
        if self._capture is not None and tag not in _VOID:
            self._depth -= 1
            if self._depth == 0:
                self._capture = None

    def handle_data(self, data: str) -> None:
        if self._capture is not None:
            self._capture.append(data)
