"""mbox: mails separated by `From ` lines, read one at a time (the file is never loaded whole).

A body line that starts with `From ` is written escaped as `>From ` (mboxo) or with one more `>`
(mboxrd); one `>` is removed again. `line` is the number of the message's `From ` line.
A message over 64 MiB is a Rejected and its lines are skipped.

After the first, a `From ` line separates messages only when it is an envelope line: a time of
day and then a four-digit year (`From x@example.com Fri Dec  7 11:07:41 2001`, Gmail's
`… 00:00:00 +0000 2022`), as mutt's `is_from` checks. An unescaped header or body line such as
`From  :<tst1@example.com>` (real spam writes them) stays inside its message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from tracer.i18n import N_, _
from tracer.ingest import mail
from tracer.ingest.base import Context, Item
from tracer.models import Rejected

MAX_LINE = 1 << 20  # longer lines are fed in pieces
_ESCAPED = re.compile(rb">+From ")
_ENVELOPE = re.compile(rb"From \S.*\b\d{1,2}:\d{2}\b.*\b\d{4}\b")


def read(path: Path, ctx: Context) -> Iterator[Item]:
    with ctx.open(path) as raw:
        parser: mail.Feed | None = None
        start = size = 0
        number, line_start = 0, True
        while chunk := raw.readline(MAX_LINE):
            if line_start:
                number += 1
            if line_start and chunk.startswith(b"From ") and (parser is None or _ENVELOPE.match(chunk)):
                if parser is not None:
                    yield _finish(parser, start, size, ctx)
                    ctx.progress(raw.tell())
                parser, start, size = mail.Feed(), number, 0
            elif parser is None:
                if chunk.strip():
                    raise ctx.error(
                        _("does not start with a 'From ' line; not an mbox file"),
                        line=number,
                        hint=_("check --format"),
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


def _finish(parser: mail.Feed, line: int, size: int, ctx: Context) -> Item:
    msg = parser.close()
    if size > mail.MAX_MESSAGE:
        return Rejected(line, "message", N_("larger than 64 MiB"))
    return mail.record(msg, line, ctx)
