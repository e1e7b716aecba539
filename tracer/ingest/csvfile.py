"""CSV importer: the contract columns, `--map` renames and presets (documented in `columns`).

The row loop is the hot path of bulk imports, so it indexes plain lists, reads absent columns
from a sentinel "" appended to each row, and leaves phone parsing to a cached function.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Protocol

from tracer.ingest import columns, header, textfile
from tracer.ingest.base import MAX_SHORT, TIME_REASON, Context, Item, parse_time, party, too_long
from tracer.models import Channel, ContactRecord, Rejected


def read(path: Path, ctx: Context) -> Iterator[Item]:
    preset = header.preset(ctx)
    wanted = header.wanted(ctx, preset)
    with ctx.open(path) as raw, textfile.open_text(raw, ctx) as text:
        lines = textfile.lines(text, ctx)
        head = list(islice(lines, header.SEARCH))
        delimiter, names, header_end = header.find(head, wanted["at"], ctx)
        reader = csv.reader(chain(head, lines), delimiter=delimiter)
        while reader.line_num < header_end:
            next(reader)
        yield from _rows(reader, header.plan(names, wanted, ctx, preset), ctx, raw.tell)
        ctx.progress(raw.tell())


def _rows(reader: _Reader, plan: header.Plan, ctx: Context, tell: Callable[[], int]) -> Iterator[Item]:
    """Records and Rejected for every row after the header; outgoing rows are skipped."""
    ncols, ix = len(plan.names), plan.index
    i_ch, i_at, i_to, i_from = ix["channel"], ix["at"], ix["to"], ix["from"]
    i_name, i_text, i_id = ix["heard_name"], ix["text"], ix["id"]
    i_dur, i_dir = ix["duration"], ix["direction"]
    has_dir = i_dir < ncols
    zone, region, default_to, default_ch = ctx.zone, ctx.region, ctx.to, plan.channel
    channels, progress, call = columns.CHANNELS, ctx.progress, Channel.CALL
    start, count = reader.line_num + 1, 0
    while True:
        try:
            for row in reader:
                line, start = start, reader.line_num + 1
                count += 1
                if not count & 0xFFF:
                    progress(tell())
                if len(row) != ncols:
                    if len(row) < ncols or any(row[ncols:]):
                        if any(cell.strip() for cell in row):
                            yield Rejected(line, "row", f"expected {ncols} columns, found {len(row)}")
                        continue
                    del row[ncols:]
                row.append("")
                if has_dir and not (keep := columns.direction(row[i_dir])):
                    if keep is None:
                        yield Rejected(line, plan.name("direction"), "not a known direction")
                    continue
                value = row[i_ch]
                channel = channels.get(value) or channels.get(value.strip().lower()) if value else default_ch
                if channel is None:
                    yield Rejected(line, plan.name("channel"), "not call, sms or email")
                    continue
                try:
                    at = parse_time(row[i_at], zone)
                except ValueError:
                    if any(row):
                        yield Rejected(line, plan.name("at"), TIME_REASON)
                    continue
                value = row[i_to]
                to, reason = party(value, region) if value else (None, None)
                if reason:
                    yield Rejected(line, plan.name("to"), reason)
                    continue
                value = row[i_from]
                sender, reason = party(value, region, channel is not call) if value else (None, None)
                if reason:
                    yield Rejected(line, plan.name("from"), reason)
                    continue
                to = to or default_to
                if to is None and sender is None:
                    yield Rejected(line, plan.name("to"), "names neither receiver nor sender")
                    continue
                value = row[i_dur]
                duration = None
                if value:
                    try:
                        duration = int(value) if value.isdigit() else columns.seconds(value)
                    except ValueError:
                        yield Rejected(line, plan.name("duration"), "not a duration")
                        continue
                name, text, ext = row[i_name], row[i_text], row[i_id]
                if text and too_long(text):
                    yield Rejected(line, plan.name("text"), "longer than 64 KiB")
                    continue
                if len(name) > MAX_SHORT or len(ext) > MAX_SHORT:
                    field = plan.name("heard_name" if len(name) > MAX_SHORT else "id")
                    yield Rejected(line, field, f"longer than {MAX_SHORT} characters")
                    continue
                yield ContactRecord(
                    channel=channel,
                    at=at,
                    to=to,
                    sender=sender,
                    heard_name=name or None,
                    text=text or None,
                    duration=duration,
                    external_id=ext or None,
                    line=line,
                )
            return
        except csv.Error:
            yield Rejected(start, "row", "malformed CSV (unbalanced quotes or a huge field)")
            start = reader.line_num + 1


class _Reader(Protocol):
    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...
