"""mbox: mails separated by `From ` lines, read one at a time (the file is never loaded whole).

A body line that starts with `From ` is written escaped as `>From ` (mboxo) or with one more `>`
(mboxrd); one `>` is removed again. `line` is the number of the message's `From ` line.
A message over 64 MiB is a Rejected and its lines are skipped.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from email.feedparser import BytesFeedParser
from pathlib import Path

from tracer.ingest import mail
from tracer.ingest.base import Context, Item
from tracer.models import Rejected

MAX_LINE = 1 << 20  # longer lines are fed in pieces
_ESCAPED = re.compile(rb">+From ")


def read(path: Path, ctx: Context) -> Iterator[Item]:
    with ctx.open(path) as raw:
        parser: BytesFeedParser | None = None
        start = size = 0
        number, line_start = 0, True
        while chunk := raw.readline(MAX_LINE):
            if line_start:
                number += 1
            if line_start and chunk.startswith(b"From "):
                if parser is not None:
                    yield _finish(parser, start, size, ctx)
                    ctx.progress(raw.tell())
                parser, start, size = mail.new_parser(), number, 0
            elif parser is None:
                if chunk.strip():
                    raise ctx.error(
                        "does not start with a 'From ' line; not an mbox file",
                        line=number,
                        hint="check --format",
                    )
            else:
                if line_start and _ESCAPED.match(chunk):
                    chunk = chunk[1:]
                size += len(chunk)
                if size <= mail.MAX_MESSAGE:
                    parser.feed(chunk)
            line_start = chunk.endswith(b"\n")
        if parser is not None:
            yield _finish(parser, start, size, ctx)
        ctx.progress(raw.tell())


def _finish(parser: BytesFeedParser, line: int, size: int, ctx: Context) -> Item:
    msg = parser.close()
    if size > mail.MAX_MESSAGE:
        return Rejected(line, "message", "larger than 64 MiB")
    return mail.record(msg, line, ctx)
