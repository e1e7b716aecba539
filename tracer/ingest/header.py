"""The header of a CSV export: find it (below any preamble), learn the delimiter, and resolve
where each of our columns is from presets and `--map`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, tzinfo

from tracer.i18n import N_, _
from tracer.ingest import columns
from tracer.ingest.base import Context
from tracer.models import Channel

SEARCH = 32  # rows above the header (a bill's account name, billing period) are skipped
DELIMITERS = (",", "\t", ";")
# A bill row's time without its year: `09-28 14:12:31`, `09/28 14:12`, `9月28日 14:12:31`
YEARLESS = re.compile(r"(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?\s+(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?")
# A billing period in the lines above the header or in the file name: `2019年09月`, `2019-09`,
# `201909`, `2019.09.01-2019.09.30` (the first year and month found)
_PERIOD = re.compile(
    r"(?<!\d)(20\d\d)\s*(?:年\s*|[-/.]\s*)?(0[1-9]|1[0-2]|[1-9](?!\d))(?:(?!\d)|[0-3]\d(?!\d))"
)  # also a first day written `20160901` (10086's startDate)


@dataclass(frozen=True)
class Plan:
    """Where each of our columns sits in a row; an absent column points at the sentinel "".
    `day`/`clock`: a date and a time of day kept in two columns (China Unicom's calldate and
    calltime); `inert`: a section that lists no contacts (a bill's data sessions), whose rows are
    skipped and counted."""

    names: list[str]
    index: dict[str, int]
    channel: Channel  # when the row does not say
    day: int | None = None
    clock: int | None = None
    inert: bool = False
    withheld: frozenset[str] = frozenset()  # the preset's spellings of a withheld caller

    def name(self, column: str) -> str:
        position = self.index[column]
        return self.names[position] if position < len(self.names) else column

    def stamp(self, row: list[str]) -> str:
        """The row's time as written; a date alone takes the time of day beside it, and a time of
        day alone the date beside it."""
        raw = row[self.index["at"]].strip()
        if self.clock is not None and self.clock != self.index["at"] and _DATE_ONLY.fullmatch(raw):
            return f"{raw} {row[self.clock].strip()}"
        if self.day is not None and self.day != self.index["at"] and _CLOCK_ONLY.fullmatch(raw):
            return f"{row[self.day].strip()} {raw}"
        return raw


_DATE_ONLY = re.compile(r"\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?|\d{8}|\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?")
_CLOCK_ONLY = re.compile(r"\d{1,2}:\d{2}(?::\d{2})?|\d{6}")


def preset(ctx: Context) -> columns.Preset:
    name = ctx.options.preset
    if name is None:
        return columns.Preset()
    if name not in columns.PRESETS:
        known = ", ".join(columns.PRESETS)
        raise ctx.error(_("unknown preset {name!r} (known: {known})").format(name=name, known=known), field="--preset")
    return columns.PRESETS[name]


def guess(head: list[str], ctx: Context) -> columns.Preset:
    """The preset a file needs when none was given: none when our own `at` column is there,
    else the preset whose time column names a header and that knows most of that header's
    columns (a carrier bill, a Twilio log, an iPhone call log)."""
    if ctx.options.preset is not None or ctx.options.mapping or _header_row(head, ("at",)):
        return preset(ctx)
    scored = []
    for order, found in enumerate(columns.PRESETS.values()):
        row = _header_row(head, found.columns["at"])
        if row:
            keys = {columns.header_key(cell) for cell in row}
            known = sum(any(k in keys for k in names) for names in found.columns.values())
            known += any(k in keys for k in (*found.sms_headers, *found.data_headers))
            if known >= found.guess_from:
                scored.append((known, -order, found))
    return max(scored, key=lambda s: s[:2])[2] if scored else preset(ctx)


def _header_row(head: list[str], at: tuple[str, ...]) -> list[str] | None:
    """The first row naming one of the `at` headers, with any delimiter we read."""
    for delimiter in DELIMITERS:
        try:
            for row in csv.reader(head, delimiter=delimiter):
                if any(columns.header_key(cell) in at for cell in row):
                    return row
        except csv.Error:
            continue
    return None


def wanted(ctx: Context, preset: columns.Preset) -> dict[str, tuple[str, ...]]:
    """Our column -> the header keys that may fill it, most specific first."""
    wanted = {col: (*preset.columns.get(col, ()), col) for col in columns.COLUMNS}
    for ours, theirs in ctx.options.mapping.items():
        if ours not in wanted:
            raise ctx.error(
                _("cannot map {name!r}; columns are {columns}").format(name=ours, columns=", ".join(columns.COLUMNS)),
                field="--map",
            )
        wanted[ours] = (columns.header_key(theirs),)
    return wanted


def find(head: list[str], at: tuple[str, ...], ctx: Context) -> tuple[str, list[str], int]:
    """(delimiter, header row, its last line) for the first row naming the time column."""
    for delimiter in DELIMITERS:
        trial = csv.reader(head, delimiter=delimiter)
        try:
            for row in trial:
                if any(columns.header_key(cell) in at for cell in row):
                    return delimiter, row, trial.line_num
        except csv.Error:
            continue
    raise ctx.error(
        _("no header row with a '{column}' column in {n} lines").format(column=at[0], n=SEARCH),
        hint=_("name the time column with --map at=HEADER, or pick --preset / --format"),
    )


def plan(
    names: list[str], wanted: dict[str, tuple[str, ...]], ctx: Context, preset: columns.Preset, strict: bool = True
) -> Plan:
    """The plan for a header row. A list of data sessions (上网/流量 columns), or with `strict`
    off (a later section of the same bill) any list without a number column, is inert."""
    keys: dict[str, int] = {}
    for position, cell in enumerate(names):
        keys.setdefault(columns.header_key(cell), position)
    index = {col: next((keys[k] for k in cands if k in keys), len(names)) for col, cands in wanted.items()}
    for ours, theirs in ctx.options.mapping.items():
        if index[ours] == len(names):
            raise ctx.error(_("no column {name!r} in the header").format(name=theirs), field="--map")
    width, cells = len(names), [cell.strip() for cell in names]
    if index["to"] == width and index["from"] == width:
        if not strict or any(key in keys for key in preset.data_headers):
            return Plan(cells, index, Channel.CALL, inert=True)
        raise ctx.error(_("needs a 'to' or 'from' column"), hint=_("name one with --map from=HEADER"))
    if preset.needs_to and ctx.to is None and index["to"] == width:
        raise ctx.error(_("this bill does not name your own number"), hint=_("pass --to YOUR_NUMBER"))
    sms = preset.text_is_sms and index["text"] < width or _sms_bill(keys, index, preset, width)
    day = next((keys[k] for k in preset.day if k in keys), None)
    clock = next((keys[k] for k in preset.clock if k in keys), None)
    return Plan(cells, index, Channel.SMS if sms else Channel.CALL, day, clock, withheld=preset.withheld)


def with_direction(plan: Plan, rows: list[list[str]]) -> Plan:
    """The plan with a direction column found by its values when no header named one: the
    column whose filled cells (of the rows read ahead) nearly all hold a direction word (a
    bill's `通话类型` that says 主叫/被叫 where another carrier's says 本地/长途)."""
    width = len(plan.names)
    if plan.index["direction"] < width or plan.inert:
        return plan
    taken = set(plan.index.values())
    for position in range(width):
        values = [row[position].strip() for row in rows if position < len(row) and row[position].strip()]
        known = sum(columns.direction(value) is not None for value in values)
        if position not in taken and len(values) >= 2 and known >= 0.9 * len(values):
            return replace(plan, index={**plan.index, "direction": position})
    return plan


def names_section(row: list[str], wanted: dict[str, tuple[str, ...]], preset: columns.Preset) -> bool:
    """Whether a row after the header starts a new list: it names a time column, and another
    column we know or no digit at all (the next month's header, a bill's message or data list
    after its calls, a list of value-added services)."""
    keys = {columns.header_key(cell) for cell in row if cell.strip()}
    if not keys & set(wanted["at"]):
        return False
    known = set().union(*wanted.values(), preset.data_headers, preset.sms_headers)
    return len(keys & known) >= 2 or not any(_DIGIT.search(cell) for cell in row)


_DIGIT = re.compile(r"\d")  # every data row has one (its time); a header row has none


def _sms_bill(keys: dict[str, int], index: dict[str, int], preset: columns.Preset, width: int) -> bool:
    """A bill of messages: it has a column only message bills have, or no duration column."""
    if not preset.sms_headers:
        return False
    return any(key in keys for key in preset.sms_headers) or index["duration"] == width


# iMazing's header-less call log: `Incoming,02/06/17 09:45,00:01:43,+46879111111,Bob Smith`
IMAZING = ["Call Type", "Date", "Duration", "Number", "Contact"]
_IMAZING_ROW = re.compile(
    r"(?:incoming|outgoing|missed|cancelled|canceled|blocked|voicemail)\s*,\s*\d{1,2}/\d{1,2}/\d{2,4} \d{1,2}:\d{2}",
    re.IGNORECASE,
)
SLASHED = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2}|\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp][Mm])?")
MONTH_FIRST = {"US", "CA", "PH", "PR", "GU", "AS", "VI", "MP", "UM", "FM", "MH", "PW", "BZ"}


def headerless(head: list[str]) -> bool:
    """Whether the file starts with an iMazing call-log row instead of a header."""
    first = next((line.lstrip("\ufeff") for line in head if line.strip()), "")
    return _IMAZING_ROW.match(first) is not None


def slashed(raw: str, region: str, zone: tzinfo) -> datetime:
    """`02/06/17 09:45` (and `6/2/2017 9:45 PM`): day first unless a part says otherwise or
    the region writes the month first."""
    match = SLASHED.fullmatch(raw)
    if match is None:
        raise ValueError(N_("not a date and time"))
    first, second, year, hour, minute, sec, half = match.groups()
    a, b, y = int(first), int(second), int(year)
    month_first = b > 12 or (a <= 12 and region in MONTH_FIRST)
    month, day = (a, b) if month_first else (b, a)
    y = y + (2000 if y < 70 else 1900) if y < 100 else y
    h = int(hour) % 12 + (12 if half and half[0] in "Pp" else 0) if half else int(hour)
    try:
        return datetime(y, month, day, h, int(minute), int(sec or 0), tzinfo=zone).astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(N_("not a date and time")) from None


def period_year(preamble: list[str], name: str = "") -> tuple[int, int] | None:
    """(year, month) of the bill's period, from the lines above its header or its file name."""
    for text in ("".join(preamble), name):
        if match := _PERIOD.search(text):
            return int(match[1]), int(match[2])
    return None


def with_year(raw: str, period: tuple[int, int] | int, zone: tzinfo) -> datetime:
    """A year-less bill time placed in the bill's period: a month after the period's month belongs
    to the year before (a January bill listing December's last days)."""
    match = YEARLESS.fullmatch(raw)
    if match is None:
        raise ValueError(N_("not a date and time"))
    month, day, hour, minute, second = (int(g or 0) for g in match.groups())
    year, last = period if isinstance(period, tuple) else (period, 12)
    try:
        local = datetime(year - (month > last + 1), month, day, hour, minute, second, tzinfo=zone)
        return local.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ValueError(N_("not a date and time")) from None
