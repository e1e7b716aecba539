"""Tell a file's format from its first bytes, never from its name.

SQLite magic -> ios-calls (ios-messages when its tables are those of sms.db); an XML root `<calls>`/`<smses>` -> android; a first line `From ` ->
mbox; RFC 5322 header lines -> eml; a folder of `.html` pages, or one such page (Takeout's call or
thread markup) -> google-voice; text with a
delimited first line (or JSON records) -> csv, also inside gzip. Anything else is an InputError naming the file.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

from tracer.errors import InputError
from tracer.i18n import _
from tracer.ingest import google_voice, ios_messages, tables, textfile
from tracer.ingest.base import GZIP_MAGIC, Format

SAMPLE = 8192
SQLITE_MAGIC = b"SQLite format 3\x00"
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*)")
_XML_PROLOG = re.compile(rb"(?:\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^\[>]*(?:\[.*?\])?\s*>))*\s*", re.DOTALL)
_HEADER = re.compile(rb"[!-9;-~]+:")
_MAIL_HEADERS = {
    b"from",
    b"to",
    b"date",
    b"subject",
    b"message-id",
    b"received",
    b"return-path",
    b"delivered-to",
    b"mime-version",
    b"x-original-to",
    b"cc",
    b"reply-to",
}
# A web page holding a table, as carriers' "Excel" downloads are (HTML in a file named .xls)
_HTML_TABLE = re.compile(rb"<table\b|urn:schemas-microsoft-com:office:excel", re.IGNORECASE)
_SQL = re.compile(rb"\s*(?:--[^\n]*\n\s*)*(?:CREATE|INSERT|PRAGMA|BEGIN\s+TRANSACTION)\b", re.IGNORECASE)
_XML_FORMATS = {b"calls": Format.ANDROID_CALLS, b"smses": Format.ANDROID_SMS}


def sniff(path: Path) -> Format:
    """The format of `path`; InputError naming the file when it is none we read."""
    path = Path(path)
    if path.is_dir():
        if any(google_voice.pages(path)):
            return Format.GOOGLE_VOICE
        raise _unknown(path, _("a folder without Google Voice .html pages"))
    try:
        with path.open("rb") as handle:
            sample = handle.read(SAMPLE)
    except OSError as exc:
        raise InputError(_("cannot open: {value}").format(value=exc.strerror or 'unreadable'), file=str(path)) from None
    if not sample:
        raise InputError(_("the file is empty"), file=str(path))
    found = _by_content(sample)
    if found in (None, Format.EXCEL) and sample.lstrip().startswith(b"<") and google_voice.has_markup(path):
        return Format.GOOGLE_VOICE  # one page of a Takeout export, given alone
    if found is None:
        raise _unknown(path, _("not a format Leak Tracer reads"))
    if found is Format.IOS_CALLS and ios_messages.is_messages_database(path):
        return Format.IOS_MESSAGES
    return found


def _by_content(sample: bytes) -> Format | None:
    if sample.startswith(SQLITE_MAGIC):
        return Format.IOS_CALLS
    if sample.startswith((tables.XLS_MAGIC, tables.PDF_MAGIC)):
        return Format.EXCEL if sample.startswith(tables.XLS_MAGIC) else Format.PDF
    if sample.startswith(b"PK\x03\x04"):
        return Format.EXCEL if b"xl/" in sample or b"[Content_Types].xml" in sample else None
    if sample.startswith(GZIP_MAGIC):
        return Format.CSV if _by_content(inflate(sample)) is Format.CSV else None
    text = sample.removeprefix(b"\xef\xbb\xbf")
    if text.startswith(b"BEGIN:VCARD"):
        return None  # an address book (Takeout's Phones.vcf), not contacts received
    if _SQL.match(text):
        return None  # an SQL schema or dump beside a backup's databases, not a table
    if text.lstrip().startswith(b"<"):
        return _xml(text) or (Format.EXCEL if _HTML_TABLE.search(text) else None)
    if text.startswith(b"From "):
        return Format.MBOX
    if _is_mail(text):
        return Format.EML
    if _is_table(sample):
        return Format.CSV
    return None


def inflate(sample: bytes) -> bytes:
    """The start of a gzip file's content (a table or JSON records: Twilio's BulkExport); other
    bytes as they are."""
    if not sample.startswith(GZIP_MAGIC):
        return sample
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(sample, SAMPLE)
    except zlib.error:
        return b""


def _xml(text: bytes) -> Format | None:
    prolog = _XML_PROLOG.match(text)
    root = _XML_ROOT.match(text, prolog.end() if prolog else 0)
    return _XML_FORMATS.get(root.group(1)) if root else None


def _is_mail(text: bytes) -> bool:
    """Header lines up to the first blank line, naming at least two mail headers."""
    names = set()
    for line in text.split(b"\n")[:200]:
        line = line.rstrip(b"\r")
        if not line:
            break
        if line[:1] in (b" ", b"\t"):
            continue
        if not _HEADER.match(line):
            return False
        names.add(line.split(b":", 1)[0].lower())
    return len(names & _MAIL_HEADERS) >= 2


def _is_table(sample: bytes) -> bool:
    encoding = textfile.detect(sample)
    if encoding is None:
        return False
    lines = sample.decode(encoding, "replace").lstrip("\ufeff").splitlines()[:32]
    return any(d in line for line in lines for d in (",", "\t", ";"))


def _unknown(path: Path, why: str) -> InputError:
    return InputError(
        _("cannot tell the format: {why}").format(why=why),
        file=str(path),
        hint=_("pass --format {formats}").format(formats="|".join(f.value for f in Format if f is not Format.AUTO)),
    )
