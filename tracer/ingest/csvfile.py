"""CSV importer: the contract columns, `--map` renames and presets (documented in `columns`).

Bulk imports are millions of rows, so rows are read in batches and checked column by column:
each distinct number, channel or duration in a batch is parsed once, and a batch whose every row
is a good record becomes a `Batch` with little work per row (`_Checker.by_column`). A batch with
anything else in it (a bad or outgoing row, a blank line, a loose time spelling) is read row by
row instead (`_Checker.by_row`), which decides what each row is. The two agree on every batch
the first accepts (tests/ingest/test_ingest_batches.py).

A plain UTF-8 file with its header on the first line is first given to pyarrow's CSV reader
(`columnar`), which checks a window of 64 batches at a time the way `by_column` does and hands
the rest of the file back here, from the first line of the first window it cannot prove good.
"""

from __future__ import annotations

import csv
import gzip
import re
import zlib
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from itertools import chain, islice
from operator import attrgetter, methodcaller
from pathlib import Path
from typing import BinaryIO, Protocol, cast

from tracer import times
from tracer.i18n import N_, _
from tracer.ingest import columnar, columns, header, records, textfile
from tracer.ingest.base import (
    GZIP_MAGIC,
    MAX_SHORT,
    MAX_TEXT,
    TIME_REASON,
    Context,
    Item,
    parse_time,
    party,
    too_long,
)
from tracer.ingest.batch import SIZE, Batch
from tracer.models import Channel, ContactRecord, Rejected

_REMEMBER = 1 << 17  # distinct numbers and addresses (<= 320 characters) remembered per file
_ARROW_ENCODINGS = ("utf-8", "utf-8-sig")  # text pyarrow's CSV reader reads as it is (`columnar`)
_fromiso = datetime.fromisoformat
_to_utc = methodcaller("astimezone", UTC)


def read(path: Path, ctx: Context) -> Iterator[Item]:
    for batch in batches(path, ctx):
        yield from in_file_order(batch)


def batches(path: Path, ctx: Context) -> Iterator[Batch]:
    """The file's batches; a gzip file is read inside, and JSON records (one object per line, or
    a list of objects) are read as rows with their keys as the header (`records`)."""
    header.preset(ctx)  # an unknown preset is refused before the file is opened
    try:
        with ctx.open(path) as raw, _inflated(raw) as inner, textfile.open_text(inner, ctx) as text:
            lines = textfile.lines(text, ctx)
            first = next(lines, "")
            json = records.starts_json(first)
            rows = records.lines(first, lines, ctx) if json else chain([first], lines)
            plain = not json and inner is raw and text.encoding in _ARROW_ENCODINGS
            yield from from_lines(rows, ctx, raw.tell, path.name, -records.BEFORE if json else 0, path if plain else None)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:  # a gzip file cut off or damaged
        raise ctx.error(_("a damaged gzip file ({error})").format(error=type(exc).__name__)) from None


def _inflated(raw: BinaryIO) -> AbstractContextManager[BinaryIO]:
    """`raw`, or the file inside it when it is gzip (Twilio's BulkExport day files)."""
    magic = raw.read(2)
    raw.seek(0)
    if magic == GZIP_MAGIC:
        return cast(AbstractContextManager[BinaryIO], gzip.GzipFile(fileobj=raw, mode="rb"))
    return nullcontext(raw)


def from_lines(
    lines: Iterator[str],
    ctx: Context,
    tell: Callable[[], int],
    name: str = "",
    offset: int = 0,
    source: Path | None = None,
) -> Iterator[Batch]:
    """The batches of a table given as CSV lines (a CSV file, or a spreadsheet's or PDF's rows);
    `tell()` is the progress so far, `name` the file name (a bill's period may be in it), `offset`
    the lines before these (a workbook's earlier sheets). `source`: the file these lines are, when
    it is plain UTF-8 CSV text that pyarrow's reader may read instead (`columnar`)."""
    head = list(islice(lines, header.SEARCH))
    shift = 0
    if header.headerless(head) and not ctx.options.mapping:
        head.insert(0, ",".join(header.IMAZING) + "\n")
        shift = 1  # the lines a user sees do not count the header put in front
    preset = header.guess(head, ctx)
    if preset.zone or preset.region:
        zone = times.zone(preset.zone) if preset.zone and preset.zone != "UTC" else UTC if preset.zone else ctx.zone
        ctx = replace(ctx, zone=zone, region=preset.region or ctx.region)
    wanted = header.wanted(ctx, preset)
    delimiter, names, header_end = header.find(head, wanted["at"], ctx)
    reader: _Reader = csv.reader(chain(head, lines), delimiter=delimiter)
    while reader.line_num < header_end:
        next(reader)
    year = ctx.options.year or header.period_year(head[: header_end - 1], name)
    section = (wanted, preset) if preset.needs_to else None  # a bill: several lists may follow
    plan = header.plan(names, wanted, ctx, preset)
    if section is not None:  # a bill whose direction column has a name we do not know
        plan = header.with_direction(plan, list(csv.reader(head[header_end:], delimiter=delimiter)))
    checker = _Checker(plan, ctx, year, section)
    if source is not None and header_end == 1 and not shift and not offset and section is None:
        resume = yield from columnar.batches(source, checker, delimiter, header_end + 1, ctx.progress)
        if resume is None:
            return
        reader = _resumed(chain(head[header_end:], lines), resume - header_end - 1, delimiter)
        shift = 1 - resume  # the new reader's first line is the file's line `resume`
    for chunk in _chunks(reader, shift - offset):
        batch = checker.check(chunk)
        ctx.progress(tell())
        yield batch
    ctx.progress(tell())


def _resumed(lines: Iterator[str], skip: int, delimiter: str) -> _Reader:
    """A csv reader of `lines` after the first `skip` (rows of one line each, read already)."""
    for _line in islice(lines, skip):
        pass
    return csv.reader(lines, delimiter=delimiter)


@dataclass
class _Chunk:
    """Rows after the header with the physical line each starts on (quoted fields can hold line
    breaks), and the lines where a row could not be split at all."""

    rows: list[list[str]] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)
    malformed: list[int] = field(default_factory=list)


def _chunks(reader: _Reader, shift: int = 0) -> Iterator[_Chunk]:
    """The rows, SIZE at a time. When reading fails, the rows read so far come first. Lines are
    counted `shift` lines back (a header put in front of a file without one)."""
    chunk, start = _Chunk(), reader.line_num + 1 - shift
    rows, lines = chunk.rows, chunk.lines
    while True:
        try:
            for row in reader:
                rows.append(row)
                lines.append(start)
                start = reader.line_num + 1 - shift
                if len(rows) == SIZE:
                    yield chunk
                    chunk = _Chunk()
                    rows, lines = chunk.rows, chunk.lines
            break
        except csv.Error:
            chunk.malformed.append(start)
            start = reader.line_num + 1 - shift
        except Exception:
            yield chunk
            raise
    if rows or chunk.malformed:
        yield chunk


def in_file_order(batch: Batch) -> Iterator[Item]:
    """The batch's records and rejected rows merged by line (each row starts on its own line)."""
    rejected = iter(batch.rejected)
    bad = next(rejected, None)
    for record in batch.records():
        while bad is not None and bad.line < (record.line or 0):
            yield bad
            bad = next(rejected, None)
        yield record
    if bad is not None:
        yield bad
        yield from rejected


class _Checker:
    """Rows of one file into batches: where each of our columns is, and what each value means.
    A bill can hold several lists one after the other (calls, then messages, then data sessions;
    a month's header repeated): a row naming a new list changes the plan (`section`)."""

    def __init__(
        self,
        plan: header.Plan,
        ctx: Context,
        year: tuple[int, int] | int | None = None,
        section: tuple[dict[str, tuple[str, ...]], columns.Preset] | None = None,
    ) -> None:
        self.ctx, self.year, self.section = ctx, year, section
        self.skipped = 0  # fee-only and repeated header rows, in the batch being read
        self._known: dict[str, str | None] = {}  # good numbers and addresses: numbers repeat
        self.use(plan)

    def use(self, plan: header.Plan) -> None:
        self.plan = plan
        self.header = [cell.strip() for cell in plan.names]
        self.ncols = len(plan.names)
        ix = plan.index
        self.i_ch, self.i_at, self.i_to, self.i_from = ix["channel"], ix["at"], ix["to"], ix["from"]
        self.i_name, self.i_text, self.i_id = ix["heard_name"], ix["text"], ix["id"]
        self.i_dur, self.i_dir, self.i_caller = ix["duration"], ix["direction"], ix["caller_name"]

    def check(self, chunk: _Chunk) -> Batch:
        fast = None if chunk.malformed else self.by_column(chunk.rows, chunk.lines)
        if fast is not None:
            return fast
        batch = self.by_row(chunk.rows, chunk.lines)
        if chunk.malformed:
            reason = N_("malformed CSV (unbalanced quotes or a huge field)")
            batch.rejected.extend(Rejected(line, "row", reason) for line in chunk.malformed)
            batch.rejected.sort(key=attrgetter("line"))
        return batch

    # -- column by column: every row a record, or None --------------------------------------------
    def by_column(self, rows: list[list[str]], lines: list[int]) -> Batch | None:
        """The batch when every row is a received record with good values, else None."""
        n, ncols = len(rows), self.ncols
        if self.section is not None:
            return None  # a bill: each row may be a note, a total or a new list (read row by row)
        if not rows or any(len(row) != ncols for row in rows):
            return None
        cols = list(zip(*rows, strict=True))
        absent: tuple[str, ...] = ("",) * n

        def column(i: int) -> tuple[str, ...]:
            return cols[i] if i < ncols else absent

        if self.i_dir < ncols and not all(columns.direction(value) for value in set(cols[self.i_dir])):
            return None  # an outgoing row (skipped) or an unknown direction (rejected)
        channel = self._channels(column(self.i_ch))
        at = self._times(cols[self.i_at])
        if channel is None or at is None:
            return None
        to = self._parties(column(self.i_to), None)
        sender = self._parties(column(self.i_from), channel)
        duration = self._durations(column(self.i_dur))
        if to is None or sender is None or duration is None:
            return None
        to = self.received(to, sender)
        if to is None:
            return None
        name, text, ext = column(self.i_name), column(self.i_text), column(self.i_id)
        caller = column(self.i_caller)
        if self._too_long(name, ext, text) or max(map(len, caller), default=0) > MAX_SHORT:
            return None
        return Batch(
            channel=channel,
            at=at,
            to=to,
            sender=sender,
            heard_name=[value or None for value in name],
            text=[value or None for value in text],
            duration=duration,
            direction=["in"] * n,
            external_id=[value or None for value in ext],
            line=list(lines),
            headers=[None] * n,
            caller_name=[value.strip() or None for value in caller],
        )

    def _channels(self, values: tuple[str, ...]) -> list[Channel] | None:
        known: dict[str, Channel] = {}
        for value in set(values):
            channel = self._channel(value)
            if channel is None:
                return None
            known[value] = channel
        return list(map(known.__getitem__, values))

    def _channel(self, value: str) -> Channel | None:
        channels = columns.CHANNELS
        return channels.get(value) or channels.get(value.strip().lower()) if value else self.plan.channel

    def _times(self, values: tuple[str, ...]) -> list[datetime] | None:
        """UTC times when every value is ISO 8601 (other spellings are read row by row)."""
        try:
            parsed = list(map(_fromiso, values))
        except ValueError:
            return None
        zone = self.ctx.zone
        if any(value.tzinfo is None for value in parsed):
            parsed = [value if value.tzinfo is not None else value.replace(tzinfo=zone) for value in parsed]
        try:
            return list(map(_to_utc, parsed))
        except OverflowError:
            return None

    def _parties(self, values: tuple[str, ...], channel: list[Channel] | None) -> list[str | None] | None:
        """Each number or address normalized, or None if one is bad. `channel` is given for
        senders: an SMS or mail sender may be a name rather than a number (`sender_id`)."""
        distinct = set(values)
        if channel is not None and not all(map(self.plain_sender, distinct)):
            return None  # a withheld caller's stand-in, a SIP address, a Twilio Client name
        names = self.learn(distinct, senders=channel is not None)
        if names is None:
            return None
        known = self._known
        if not names:
            return list(map(known.__getitem__, values))
        assert channel is not None  # names are only looked up for senders
        if any(value in names and kind is Channel.CALL for value, kind in zip(values, channel, strict=True)):
            return None
        return [names[value] if value in names else known[value] for value in values]

    def received(self, to: list[str | None], sender: list[str | None]) -> list[str | None] | None:
        """The receivers, the file's own number (`--to`) where a row names none; None when a row
        is no received record: the user's own number sent it (read row by row: skipped), or it
        has neither receiver nor sender."""
        default_to = self.ctx.to
        if default_to is not None:
            if default_to in sender:
                return None
            to = [value or default_to for value in to]
        if not all(map(any, zip(to, sender, strict=True))):
            return None
        return to

    def learn(self, distinct: set[str], senders: bool) -> dict[str, str | None] | None:
        """Normalize the numbers and addresses among `distinct` not yet known (remembered in
        `_known`, at most `_REMEMBER`); returns the senders' names among them (an SMS or mail
        sender may be a name rather than a number: `sender_id`), or None when one is bad."""
        known, region = self._known, self.ctx.region
        missing = distinct.difference(known)
        if len(known) + len(missing) > _REMEMBER:
            known.clear()
            missing = distinct
        names: dict[str, str | None] = {}
        for value in missing:
            normalized, reason = party(value, region) if value else (None, None)
            if not reason:
                known[value] = normalized
            elif not senders:
                return None
            else:  # only this branch of `party` depends on sender_id
                names[value], reason = party(value, region, True)
                if reason:
                    return None
        return names

    def plain_sender(self, value: str) -> bool:
        """Whether a sender is read as written: not one `_sender` rewrites (a withheld caller's
        stand-in, a SIP address, `--`) and not a Twilio Client app user (`client:`)."""
        return not value.startswith("client:") and self._sender(value) == value.strip()

    def _durations(self, values: tuple[str, ...]) -> list[int | None] | None:
        try:
            seconds = {value: _duration(value) for value in set(values)}
        except ValueError:
            return None
        return list(map(seconds.__getitem__, values))

    @staticmethod
    def _too_long(name: tuple[str, ...], ext: tuple[str, ...], text: tuple[str, ...]) -> bool:
        if max(map(len, name), default=0) > MAX_SHORT or max(map(len, ext), default=0) > MAX_SHORT:
            return True
        return max(map(len, text), default=0) > MAX_TEXT // 4 and any(map(too_long, text))

    # -- row by row: what each row is -------------------------------------------------------------
    def by_row(self, rows: list[list[str]], lines: list[int]) -> Batch:
        """Records, and a Rejected naming the file's own column for every bad row; outgoing,
        blank and all-empty rows are skipped silently."""
        self.skipped = 0
        items = (self._row(row, line) for row, line in zip(rows, lines, strict=True))
        batch = Batch.of(item for item in items if item is not None)
        batch.skipped = self.skipped
        return batch

    def _row(self, row: list[str], line: int) -> Item | None:
        if self.section is not None:
            row[:] = [_unquote(cell) for cell in row]
            if (skip := self._aside(row)) is not None:
                self.skipped += skip
                return None
        plan, ctx, ncols = self.plan, self.ctx, self.ncols
        if len(row) != ncols:
            if len(row) < ncols or any(row[ncols:]):
                if any(cell.strip() for cell in row):
                    return Rejected(line, "row", _("expected {n} columns, found {found}").format(n=ncols, found=len(row)))
                return None
            del row[ncols:]
        if self._filler(row):
            self.skipped += 1
            return None
        row.append("")
        if self.i_dir < ncols and not (keep := self._direction(row[self.i_dir])):
            if keep is None and self._no_contact(row[self.i_dir]):
                self.skipped += 1
                return None
            return None if keep is False else Rejected(line, plan.name("direction"), N_("not a known direction"))
        channel = self._channel(row[self.i_ch])
        if channel is Channel.CALL and self.section is not None and _MESSAGE_WORD.search(row[self.i_dir]):
            channel = Channel.SMS  # a bill listing messages among calls (`短信接收`)
        if channel is None:
            return Rejected(line, plan.name("channel"), N_("not call, sms or email"))
        try:
            at = self._time(plan.stamp(row))
        except ValueError as exc:
            return Rejected(line, plan.name("at"), str(exc)) if any(row) else None
        value = row[self.i_to] if row[self.i_to] not in _EMPTY else ""
        to, reason = party(value, ctx.region) if value else (None, None)
        if reason:
            return Rejected(line, plan.name("to"), reason)
        if to and "*" in to:  # a bill masks the user's own number (138****8000): it is the one given
            if not ctx.to:
                return Rejected(line, plan.name("to"), N_("your own number is masked here; pass --to"))
            to = ctx.to
        value, caller = self._sender(row[self.i_from]), row[self.i_caller]
        if value.startswith("client:"):  # a Twilio Client app user: a name, not a number
            value, caller = "", caller or value.removeprefix("client:")
        sender, reason = party(value, ctx.region, channel is not Channel.CALL) if value else (None, None)
        if reason:
            return Rejected(line, plan.name("from"), reason)
        if sender is not None and sender == ctx.to != to:  # a bill listing both parties
            if self.i_dir >= ncols or not to:
                return None  # placed or sent from the user's own number
            sender, to = to, sender  # the row says received: the other party is the other column
        to = to or ctx.to
        if to is None and sender is None:
            return Rejected(line, plan.name("to"), N_("names neither receiver nor sender"))
        try:
            duration = _duration(row[self.i_dur])
        except ValueError:
            return Rejected(line, plan.name("duration"), N_("not a duration"))
        name, text, ext = row[self.i_name], row[self.i_text], row[self.i_id]
        if text and too_long(text):
            return Rejected(line, plan.name("text"), N_("longer than 64 KiB"))
        for column, value in (("heard_name", name), ("id", ext), ("caller_name", caller)):
            if len(value) > MAX_SHORT:
                return Rejected(line, plan.name(column), _("longer than {n} characters").format(n=MAX_SHORT))
        return ContactRecord(
            channel=channel,
            at=at,
            to=to,
            sender=sender,
            heard_name=name or None,
            text=text or None,
            duration=duration,
            external_id=ext or None,
            line=line,
            caller_name=caller.strip() or None,
        )


    def _aside(self, row: list[str]) -> int | None:
        """1 for a bill's row that is no contact and is skipped and counted (a new list's header,
        a row of a data-session list, a note or a total), 0 for a blank row, None otherwise. A
        note naming a billing period (`查询月份：2019年10月`) sets the year of the rows after it."""
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            return 0
        wanted, preset = self.section or ({}, columns.Preset())
        if cells != self.header and header.names_section(row, wanted, preset):
            self.use(header.plan(row, wanted, self.ctx, preset, strict=False))
            return 1
        if self.plan.inert:
            return 1
        note = len(cells) == 1 and (not _TIMELIKE.search(cells[0]) or _LABEL.match(cells[0]))
        if note or _TOTAL.match(cells[0]):
            if not self.ctx.options.year and (period := header.period_year(cells)):
                self.year = period
            return 1
        return 1 if self._timeless(cells, row) else None

    def _timeless(self, cells: list[str], row: list[str]) -> bool:
        """A row with no time or date in any cell and no direction word: a fee line of a list
        without times (套餐及固定费), never a contact. A contact row with a bad time has one of them."""
        if any(_TIMELIKE.search(cell) or _DATELIKE.search(cell) for cell in cells):
            return False
        return self.i_dir >= len(row) or columns.direction(row[self.i_dir]) is None

    def _sender(self, value: str) -> str:
        """The sender as written; "" for none (`--`) and for a withheld caller's stand-in; the
        number of a SIP address (`sip:+14155551212@trunk.example`, a Twilio SIP call)."""
        value = value.strip()
        if value[:4].lower() == "sip:" and _PHONE.fullmatch(user := value[4:].split("@", 1)[0].split(";", 1)[0]):
            value = user
        return "" if value in _EMPTY or value.lstrip("+") in self.plan.withheld else value

    def _direction(self, value: str) -> bool | None:
        """A row's direction word; on a carrier's list also its code (China Telecom's and China
        Unicom's call type: 1 placed, 2 received; China Unicom's smstype: 1 received)."""
        found = columns.direction(value)
        if found is None and self.section is not None:
            codes = _CALL_CODES if self.plan.channel is Channel.CALL else _MESSAGE_CODES
            return codes.get(value.strip())
        return found

    @staticmethod
    def _no_contact(value: str) -> bool:
        """A direction cell naming a row that holds no contact: a data session in a bill, a
        chat's notice in a message export."""
        key = value.strip().lower()
        return key in columns.NOTICE_TYPES or any(word in key for word in columns.DATA_WORDS)

    def _filler(self, row: list[str]) -> bool:
        """A bill's repeated header row, or a fee-only row: no number and no direction (`--` or
        empty; its time may be the period's last second, as China Mobile Heilongjiang writes)."""
        if [cell.strip() for cell in row] == self.header:
            return True
        if self.i_dir >= self.ncols:
            return False  # without a direction column an empty number is a withheld caller
        cells = [row[i].strip() if i < len(row) else "" for i in (self.i_from, self.i_to, self.i_dir)]
        return all(cell in _EMPTY for cell in cells) and any(cell.strip() not in _EMPTY for cell in row)

    def _time(self, raw: str) -> datetime:
        """The row's time; a bill's `09-28 14:12:31` takes the year of the bill's period."""
        raw = times.spelled_out(raw.strip())
        if compact := _COMPACT.fullmatch(raw):
            raw = "{}-{}-{} {}:{}:{}".format(*compact.groups())  # 20200408081801, as Unicom writes
        try:
            return parse_time(raw, self.ctx.zone)
        except ValueError:
            if header.SLASHED.fullmatch(raw.strip()):
                return header.slashed(raw.strip(), self.ctx.region, self.ctx.zone)
            if not header.YEARLESS.fullmatch(raw.strip()):
                raise ValueError(TIME_REASON) from None
        if self.year is None:
            raise ValueError(N_("a time without a year and no billing period; pass --year")) from None
        return header.with_year(raw.strip(), self.year, self.ctx.zone)


_EMPTY = {"", "--", "-", "—", "——"}
_PHONE = re.compile(r"\+?\d{5,15}")
_CALL_CODES = {"1": False, "2": True}
_MESSAGE_CODES = {"1": True, "2": False}
_MESSAGE_WORD = re.compile("短信|彩信|短彩信")
_EXCEL_TEXT = re.compile(r'="(.*)"')  # `="13912345678"`: Excel's way of keeping a number as text


def _unquote(cell: str) -> str:
    """A bill cell as written for Excel (`="0211234567"`, `'0211234567`, a leading tab)."""
    cell = cell.strip()
    if match := _EXCEL_TEXT.fullmatch(cell):
        return match[1]
    return cell[1:] if cell.startswith("'") else cell
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})\s*(\d{2})(\d{2})(\d{2})")
_TIMELIKE = re.compile(r"\d{1,2}:\d{2}|\d{14}")
_DATELIKE = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}|\d{1,2}\s*[-/月]\s*\d{1,2}|\d{8}")
_LABEL = re.compile(r"[^\d\s:：]+\s*[:：]")  # `打印时间：2019-10-08 10:23`: a note, not a row
# A bill's totals and closing notes: `合计`, `总计：`, `共23条`, `小计`
_TOTAL = re.compile(r"(?:合计|总计|小计|共计|汇总|总条数|共\s*\d+\s*条)")


def _duration(value: str) -> int | None:
    if not value:
        return None
    return int(value) if value.isdigit() else columns.seconds(value)


class _Reader(Protocol):
    line_num: int

    def __iter__(self) -> Iterator[list[str]]: ...

    def __next__(self) -> list[str]: ...

