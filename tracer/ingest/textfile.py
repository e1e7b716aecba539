"""Text files in the encodings exports use: UTF-8 (with or without BOM), UTF-16/32 with a BOM or
tell-tale zero bytes, and GBK/GB18030 from Chinese carriers and Excel. Read line by line with a
bound on line length, so memory stays small whatever the file size.
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import BinaryIO

from tracer.i18n import _
from tracer.ingest.base import Context

MAX_LINE = 1 << 20  # characters; no legitimate export row comes near this
SAMPLE = 1 << 16
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def detect(sample: bytes) -> str | None:
    """The codec name for a file starting with `sample`, or None when it is not text we know."""
    for bom, name in _BOMS:
        if sample.startswith(bom):
            return name
    if b"\x00" in sample:
        return _utf16_without_bom(sample)
    for name in ("utf-8", "gb18030"):
        try:
            codecs.getincrementaldecoder(name)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return name
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = max(len(sample) // 2, 1)
    if odd > half * 0.3 and even < half * 0.05:
        return "utf-16-le"
    if even > half * 0.3 and odd < half * 0.05:
        return "utf-16-be"
    return None


def encoding_for(raw: BinaryIO, ctx: Context) -> str:
    """`--encoding` when given (checked), else the detected codec; InputError when neither."""
    chosen = ctx.options.encoding
    if chosen:
        try:
            name = codecs.lookup(chosen).name
            b"\0\0\0\0".decode(name, "ignore")  # LookupError for bytes codecs such as base64
        except (LookupError, UnicodeError):
            raise ctx.error(_("unknown text encoding {name!r}").format(name=chosen), field="--encoding") from None
        return name
    sample = raw.read(SAMPLE)
    raw.seek(0)
    found = detect(sample)
    if found is None:
        raise ctx.error(
            _("not UTF-8, UTF-16 or GB18030 text"),
            hint=_("pass --encoding NAME, or --format when this is not a CSV file"),
        )
    return found


def open_text(raw: BinaryIO, ctx: Context) -> io.TextIOWrapper:
    encoding = encoding_for(raw, ctx)
    return io.TextIOWrapper(raw, encoding=encoding, errors="strict", newline="")


def lines(text: io.TextIOWrapper, ctx: Context) -> Iterator[str]:
    """Physical lines (with their endings); InputError on an undecodable byte or a huge line."""
    readline = text.readline
    number = 0
    while True:
        try:
            line = readline(MAX_LINE)
        except UnicodeError:
            raise ctx.error(
                _("bytes that are not {encoding} near line {line}").format(encoding=text.encoding, line=number + 1),
                hint=_("pass --encoding with the file's encoding"),
            ) from None
        if not line:
            return
        number += 1
        if len(line) >= MAX_LINE and line[-1] not in "\r\n":
            raise ctx.error(
                _("line {line} is longer than {n} characters; not a CSV export").format(line=number, n=MAX_LINE)
            )
        yield line
