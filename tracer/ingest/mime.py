"""Mail text as people read it: encoded words, MIME parts in their declared (or mis-declared)
charsets, HTML reduced to its text. Undecodable bytes become U+FFFD; nothing here raises.

Chinese mail often declares `gb2312` for text that uses GBK or GB18030 characters, so those
labels decode as GB18030 (a superset); `us-ascii` decodes as UTF-8 and `iso-8859-1` as cp1252.
"""

from __future__ import annotations

import codecs
import email.errors
import email.header
import re
from collections.abc import Callable
from email.message import EmailMessage, Message
from html.parser import HTMLParser

CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "cp936": "gb18030",
    "euc-cn": "gb18030",
    "us-ascii": "utf-8",
    "ascii": "utf-8",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
}
_FOLD = re.compile(r"\r?\n[ \t]+")
# Outlook Express writes `boundary=----=_NextPart_000_…` without quotes; RFC 2045 needs them
# around '=', and the parser cuts the boundary at the '=' (the message then has no parts).
_UNQUOTED_BOUNDARY = re.compile(r"(boundary\s*=\s*)([^\s\";]*=[^\s\";]*)", re.IGNORECASE)
MAX_REPAIRS = 8  # nested multiparts repaired, one parse each; real mail nests two or three
_BROKEN = (
    ValueError,
    LookupError,
    IndexError,
    TypeError,
    AttributeError,
    UnicodeError,
    AssertionError,
    email.errors.MessageError,
)


def decode_bytes(data: bytes, charset: str | None, hint: str | None = None) -> str:
    """`data` in `charset` when that is a known text codec, else UTF-8, else the message's own
    charset `hint` (a raw 8-bit header is in the charset of its body), else GB18030 or Big5,
    whichever decodes cleanly into more common characters."""
    hinted = _codec(hint)
    if hinted and hinted.startswith(("utf_16", "utf_32", "utf-16", "utf-32")):
        hinted = None  # a UTF-16 body does not make its 8-bit header bytes UTF-16
    for name in (_codec(charset), "utf-8", hinted):
        if name:
            try:
                return data.decode(name)
            except (LookupError, UnicodeError):
                continue
    return _guess_chinese(data)


def _guess_chinese(data: bytes) -> str:
    """GB18030 decodes almost any bytes; Big5 text read as GB gives rare characters. Prefer the
    decoding whose characters are mostly in the common CJK block and GB2312/Big5 level 1."""
    best, score = data.decode("gb18030", "replace"), -1.0
    for name in ("gb18030", "big5"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        common = sum(_common(ch) for ch in text) / max(len(text), 1)
        if common > score:
            best, score = text, common
    return best


def _common(ch: str) -> bool:
    """A character that both GB2312 and Big5 encode (common hanzi in either script), or ASCII."""
    if ch.isascii():
        return True
    try:
        ch.encode("gb2312")
        return True
    except UnicodeEncodeError:
        pass
    try:
        ch.encode("big5")
        return "\u4e00" <= ch <= "\u9fff"
    except UnicodeEncodeError:
        return False


def _codec(charset: str | None) -> str | None:
    label = (charset or "").strip().strip("\"'").lower()
    if not label:
        return None
    label = CHARSET_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
        b"\0\0\0\0".decode(name, "ignore")  # LookupError for bytes codecs (base64)
    except (LookupError, UnicodeError, ValueError):  # ValueError: a NUL in the label
        return None
    return CHARSET_ALIASES.get(name, name)


def unfold(raw: str, hint: str | None = None) -> str:
    """One line per header value; 8-bit bytes the parser escaped are decoded as text (in the
    message's charset `hint` when they are not UTF-8)."""
    value = _FOLD.sub(" ", raw).strip()
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        value = decode_bytes(value.encode("utf-8", "surrogateescape"), None, hint)
    return value


def header_text(raw: str, hint: str | None = None) -> str:
    """A header value with RFC 2047 encoded words (`=?GBK?B?...?=`) decoded."""
    value = unfold(raw, hint)
    if "=?" not in value:
        return value
    try:
        chunks = email.header.decode_header(value)
    except _BROKEN:
        return value
    out = []
    for chunk, charset in chunks:
        if isinstance(chunk, str):
            out.append(chunk)
        elif charset is None:
            out.append(chunk.decode("raw-unicode-escape", "replace"))
        else:
            out.append(decode_bytes(chunk, charset))
    return "".join(out)


def charset_of(msg: Message) -> str | None:
    """The charset the message's text is declared in (its body part's), if any."""
    try:
        part = msg.get_body(("plain", "html")) if isinstance(msg, EmailMessage) else msg
        return part.get_content_charset() if part is not None else None
    except _BROKEN:
        return None


def repaired(msg: Message, parse: Callable[[bytes], Message]) -> Message:
    """`msg` parsed again after each multipart part the parser could not split had its boundary
    quoted, at any depth: written unquoted around an '=', the parser cuts it at the '=' and the
    part's text is lost (Outlook Express nests such a multipart/alternative inside a correctly
    quoted multipart/related)."""
    for _ in range(MAX_REPAIRS):
        broken = next(((part, fixed) for part in msg.walk() if (fixed := _fixed_type(part))), None)
        if broken is None:
            return msg
        part, fixed = broken
        try:
            part.replace_header("Content-Type", fixed)
            msg = parse(msg.as_bytes())
        except _BROKEN:
            return msg
    return msg


def _fixed_type(part: Message) -> str | None:
    """The Content-Type a multipart part the parser could not split should have had."""
    if part.is_multipart() or part.get_content_maintype() != "multipart":
        return None
    raw = next((str(v) for k, v in part.raw_items() if k.lower() == "content-type"), "")
    raw = _FOLD.sub(" ", raw).strip()
    match = _UNQUOTED_BOUNDARY.search(raw)
    return raw[: match.start(2)] + f'"{match[2]}"' + raw[match.end(2) :] if match else None


def body_text(msg: Message) -> str:
    """The text/plain body, else the text/html body without tags; "" when there is neither."""
    try:
        part = msg.get_body(("plain", "html")) if isinstance(msg, EmailMessage) else msg
        if part is None or part.get_content_maintype() != "text":
            return ""
        payload = part.get_payload(decode=True)
        if not isinstance(payload, bytes):
            return ""
        text = decode_bytes(payload, part.get_content_charset())
        return html_text(text) if part.get_content_subtype() == "html" else text
    except _BROKEN:
        return ""


def html_text(html: str) -> str:
    """The readable text of an HTML body: no tags, scripts or styles; one line per block."""
    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except _BROKEN:
        pass
    lines = (" ".join(line.split()) for line in "".join(parser.out).splitlines())
    return "\n".join(line for line in lines if line)


class _Text(HTMLParser):
    _HIDDEN = {"script", "style", "head", "title"}
    _BLOCK = {"p", "div", "br", "tr", "li", "h1", "h2", "h3", "h4", "table", "blockquote"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self.hidden += 1
        elif tag in self._BLOCK:
            self.out.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self.hidden = max(self.hidden - 1, 0)
        elif tag in self._BLOCK:
            self.out.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.out.append(data)
