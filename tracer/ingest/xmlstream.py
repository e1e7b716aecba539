"""Stream the records of an "SMS Backup & Restore" XML file safely and in bounded memory.

defusedxml's iterparse refuses DTDs, entity declarations (billion laughs) and external entities.
Each record element is yielded once complete with the line it started on, then cleared. A file
that stops being XML part-way (a backup cut off when the app was killed or the disk filled) gives
every complete record before the damage, then a `Rejected` for field `xml` saying how many
complete records the file holds (`items`).
The app writes emoji as surrogate-pair character references (`&#55357;&#56832;`) that expat
rejects; `CharRefs` rewrites those (and references to control characters) on the way in.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterator
from itertools import zip_longest
from typing import BinaryIO
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from defusedxml.ElementTree import DefusedXMLParser, iterparse

from tracer.i18n import _
from tracer.ingest.base import Context, Item
from tracer.models import Rejected

_REF_BYTES = rb"&#(?:x([0-9A-Fa-f]{1,6})|([0-9]{1,7}));"
_REF = re.compile(_REF_BYTES)
_TRAILING_REF = re.compile(_REF_BYTES + rb"\Z")
_REFUSED = (DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden)


def _code(hexa: bytes | None, dec: bytes | None) -> int:
    return int(hexa, 16) if hexa else int(dec or b"0")


def _legal(code: int) -> bool:
    """Whether XML 1.0 allows a reference to this code point."""
    if code < 0x20:
        return code in (0x9, 0xA, 0xD)
    return code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF and code not in (0xFFFE, 0xFFFF)


def rewrite(data: bytes) -> bytes:
    """Join surrogate-pair references into one; replace other illegal ones with U+FFFD."""
    out, last = [], 0
    found = list(_REF.finditer(data))
    skip = False
    for here, after in zip_longest(found, found[1:]):
        try:
            code = _code(here[1], here[2])
        except ValueError:  # "&#;" or digits too long: not a reference, replace it
            code = -1
        if skip or _legal(code):
            skip = False
            continue
        out.append(data[last : here.start()])
        adjacent = after is not None and after.start() == here.end()
        low = _code(after[1], after[2]) if after is not None and adjacent else 0
        if after is not None and 0xD800 <= code <= 0xDBFF and 0xDC00 <= low <= 0xDFFF:
            out.append(b"&#x%X;" % (0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)))
            last, skip = after.end(), True
        else:
            out.append(b"&#xFFFD;")
            last = here.end()
    out.append(data[last:])
    return b"".join(out)


class CharRefs:
    """A reader that rewrites character references expat refuses; holds back a partial one."""

    def __init__(self, raw: BinaryIO) -> None:
        self.raw, self.tail = raw, b""

    def read(self, size: int = 1 << 16) -> bytes:
        while True:
            chunk = self.raw.read(size if size > 0 else 1 << 16)
            data, self.tail = self.tail + chunk, b""
            if chunk:
                keep = _safe_end(data)
                data, self.tail = data[:keep], data[keep:]
            if data or not chunk:
                return rewrite(data) if b"&#" in data else data


def _safe_end(data: bytes) -> int:
    """Where to cut `data` so that no reference, nor a surrogate pair of them, is split."""
    keep = len(data)
    amp = data.rfind(b"&", max(keep - 12, 0))
    if amp != -1 and b";" not in data[amp:]:
        keep = amp
    trailing = _TRAILING_REF.search(data, max(keep - 12, 0), keep)
    if trailing and 0xD800 <= _code(trailing[1], trailing[2]) <= 0xDBFF:
        return trailing.start()  # a high surrogate: its low half may be in the next chunk
    return keep


class Damaged(Exception):
    """The XML stops being well-formed at `line`, after `complete` whole records."""

    def __init__(self, line: int | None, reason: str, complete: int) -> None:
        super().__init__(reason)
        self.line, self.reason, self.complete = line, reason, complete


def items(
    raw: BinaryIO, ctx: Context, root: str, convert: Callable[[Element, int], Item | None]
) -> Iterator[Item]:
    """`convert(record, line)` for each record under `root`; damage ends the file as a Rejected."""
    ordinal = 0
    try:
        for ordinal, (elem, line) in enumerate(records(raw, ctx, root), start=1):
            item = convert(elem, line or ordinal)
            if item is not None:
                yield item
            if not ordinal & 0xFFF:
                ctx.progress(raw.tell())
    except Damaged as bad:
        where = bad.line or ordinal + 1
        reason = _("{reason}; the file holds {n} complete records before this line").format(reason=bad.reason, n=bad.complete)
        yield Rejected(where, "xml", reason)
    ctx.progress(raw.tell())


def records(raw: BinaryIO, ctx: Context, root: str) -> Iterator[tuple[Element, int | None]]:
    """Each child of the root element `root`, complete, with its start line (None if unknown).
    Raises `Damaged` where the XML stops being well-formed after the root element began."""
    parser = DefusedXMLParser(forbid_dtd=True, forbid_entities=True, forbid_external=True)
    events = iterparse(CharRefs(raw), events=("start", "end"), parser=parser)
    starts = _track_lines(parser)
    depth, stack, top, complete = 0, [], None, 0
    try:
        for event, elem in events:
            if event == "start":
                depth += 1
                stack.append(starts.popleft() if starts else None)
                if depth == 1 and elem.tag != root:
                    raise ctx.error(
                        _("root element is <{found}>, not <{root}>").format(found=str(elem.tag)[:40], root=root),
                        hint=_("check --format"),
                    )
                top = elem if depth == 1 else top
                continue
            depth -= 1
            line = stack.pop()
            if depth == 1 and top is not None:
                complete += 1
                yield elem, line
                elem.clear()
                top.clear()
    except _REFUSED:
        raise ctx.error(
            _("XML declares a DTD or entities; refused (a backup file never does)"),
            hint=_("this can be an XML bomb; export the backup again"),
        ) from None
    except ParseError as exc:
        where = getattr(exc, "position", (None, 0))[0]
        if top is None:
            raise ctx.error(_("not well-formed XML ({error})").format(error=_reason(exc)), line=where) from None
        raise Damaged(
            where, _("not well-formed XML ({error}): the file is cut off or damaged here").format(error=_reason(exc)), complete
        ) from None
    except LookupError:  # the XML declaration names an encoding Python does not know
        raise ctx.error(_("XML in an unknown text encoding"), hint=_("export the backup again")) from None
    if top is None:
        raise ctx.error(_("no <{root}> element").format(root=root), hint=_("check --format"))


def _track_lines(parser: DefusedXMLParser) -> deque[int]:
    """Record expat's line at each element start (the pure-Python parser exposes it)."""
    lines: deque[int] = deque()
    expat = getattr(parser, "parser", None)
    inner = getattr(expat, "StartElementHandler", None)
    if expat is None or inner is None:
        return lines

    def on_start(tag: str, attrs: object) -> None:
        lines.append(expat.CurrentLineNumber)
        inner(tag, attrs)

    expat.StartElementHandler = on_start
    return lines


def _reason(exc: ParseError) -> str:
    return str(exc).split(":", 1)[0][:80]
