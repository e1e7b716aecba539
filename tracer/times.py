"""Time parsing and formatting: the one reader of a written time (`parse`) and of a typed one
(`given`), UTC `Z` out, naive times read in the vault's zone."""

from __future__ import annotations

import calendar
import email.utils
import re
from datetime import UTC, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tracer.i18n import N_, _

REASON = N_("not a date and time (expected ISO 8601 such as 2026-03-01T09:30:00+08:00)")
# What exports and people write besides ISO 8601: `2026/03/01 09:30`, `2026.3.1`, `2026年3月1日 9时30分`
_LOOSE = re.compile(
    r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:(?:\s+|T|(?<=日))(\d{1,2})\s*[:时点]\s*(\d{1,2})(?:\s*分)?"
    r"(?:(?::|(?<=分))\s*(\d{1,2})(?:\.(\d{1,6}))?\s*秒?)?)?"
    r"\s*(Z|UTC|GMT|[+-]\d{2}:?\d{2})?"
)
_fromiso = datetime.fromisoformat
# Times written with words. US consoles (Twilio's) write a zone's abbreviation; CST is left out:
# China's or the US Central?
_ZONES = {
    "UTC": "+00:00", "GMT": "+00:00", "EST": "-05:00", "EDT": "-04:00", "CDT": "-05:00", "MST": "-07:00",
    "MDT": "-06:00", "PST": "-08:00", "PDT": "-07:00", "AKST": "-09:00", "AKDT": "-08:00", "HST": "-10:00",
}  # fmt: skip
_ZONE_WORD = re.compile(r"(\d{4}.*\S)\s+([A-Z]{3,4})")
_MONTHS = {m.lower(): n for n, m in enumerate(calendar.month_abbr) if m}
# `Feb 10, 2021 1:14:13 PM`, `February 10, 2021 at 13:14`
_MONTH_DAY = re.compile(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4}),?(?:\s+at)?\s+(.+)")
# A clock time alone: `15:30`, `9:05:10`, `15点30分10秒`, `3:30 PM` (after `spelled_out`); its
# seconds after a colon or 分, as `_LOOSE` reads them (`15:3000` is a typo, not 15:30:00)
_CLOCK = re.compile(r"(\d{1,2})\s*[:时点]\s*(\d{2})(?:\s*分)?(?:(?::|(?<=分))\s*(\d{2})\s*秒?)?")
_CLOCK_12 = re.compile(r"(?<!\d)(\d{1,2})(:\d{2}(?::\d{2})?)\s*([AaPp])\.?[Mm]\.?(?=\s|$)")


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, or ValueError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r}") from exc


def parse(text: str, tz: str | tzinfo = "UTC") -> datetime:
    """An aware UTC datetime from ISO 8601, `2026/03/01 09:30`, `2026年3月1日 9:30`, RFC 2822
    (`Sun, 01 Mar 2026 09:30:00 +0800`) or words (`Feb 10, 2021 1:14:13 PM PST`, `spelled_out`);
    a time without an offset is read in `tz`. ValueError
    (`REASON`) otherwise: every importer, option and form reads times through here."""
    try:
        value = _fromiso(text)
    except ValueError:
        value = _loose(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz) if isinstance(tz, str) else tz)
    try:
        return value.astimezone(UTC)
    except OverflowError:
        raise ValueError(REASON) from None


def spelled_out(text: str) -> str:
    """A time written with words in digits: 12-hour clocks (`1:14:13 PM`; RFC 2822 parsing
    ignores AM/PM), month names (`Feb 10, 2021 …` as `2021-02-10 …`) and, after an ISO-like
    date, a US zone's abbreviation (`… PST` as `…-08:00`)."""
    if (clock := _CLOCK_12.search(text)) and 1 <= int(clock[1]) <= 12:
        hour = int(clock[1]) % 12 + (12 if clock[3] in "Pp" else 0)
        text = text[: clock.start()] + f"{hour:02d}{clock[2]}" + text[clock.end() :]
    if (named := _MONTH_DAY.fullmatch(text)) and named[1].lower() in _MONTHS:
        text = f"{named[3]}-{_MONTHS[named[1].lower()]:02d}-{int(named[2]):02d} {named[4]}"
    if (zoned := _ZONE_WORD.fullmatch(text)) and zoned[2] in _ZONES:
        text = zoned[1] + _ZONES[zoned[2]]
    return text


def _loose(text: str) -> datetime:
    text = spelled_out(text)
    match = _LOOSE.fullmatch(text)
    try:
        if match is None and text[:4].isdigit():
            return _fromiso(text)
        if match is None:
            return email.utils.parsedate_to_datetime(text)
        *parts, frac, offset = match.groups()
        stamp = "{}-{:0>2}-{:0>2}T{:0>2}:{:0>2}:{:0>2}".format(*(p or "0" for p in parts))
        offset = "+00:00" if offset in ("UTC", "GMT") else offset or ""
        return _fromiso(stamp + (f".{frac:0<6}" if frac else "") + offset)
    except (ValueError, TypeError, IndexError, OverflowError):
        raise ValueError(REASON) from None


EARLIEST_YEAR = 1970  # nothing tracer records (a signup, a call) predates Unix time


def given(
    raw: str, tz: str | tzinfo, field: str = "at", *, file: str | None = None, line: int | None = None
) -> datetime:
    """A time a person typed (an option, a form field, a cell of a batch file) as an aware UTC
    datetime; one clean InputError naming `field` (and `file`/`line`) otherwise, including years a
    zone pushes out of range (0001-01-01 at +08:00) and years before EARLIEST_YEAR."""
    from tracer.errors import InputError

    try:
        value = parse(raw, tz)
    except ValueError as exc:
        raise InputError(_(str(exc)), file=file, line=line, field=field) from None
    if value.year < EARLIEST_YEAR:
        raise InputError(
            _("before {EARLIEST_YEAR}: not a date tracer can record").format(EARLIEST_YEAR=EARLIEST_YEAR), file=file, line=line, field=field
        )
    return value


def given_lately(raw: str, tz: str, field: str = "at", *, now: datetime | None = None) -> datetime:
    """A typed time for something that just happened (`contacts log --at`): a clock time alone
    (`15:30`, `3:30 PM`, `15点30分`) is the latest such moment in `tz` not after `now` (today's,
    or yesterday's when today's is still to come); anything else as `given`."""
    clock = _CLOCK.fullmatch(spelled_out(raw.strip()))
    hms = [int(part or 0) for part in clock.groups()] if clock else None
    if hms is None or hms[0] > 23 or hms[1] > 59 or hms[2] > 59:
        return given(raw, tz, field)
    here = (now or datetime.now(UTC)).astimezone(zone(tz))
    moment = here.replace(hour=hms[0], minute=hms[1], second=hms[2], microsecond=0)
    if moment > here:
        moment -= timedelta(days=1)  # wall-clock arithmetic: the zone's offset that day applies
    return moment.astimezone(UTC)


def from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def to_epoch(value: datetime) -> float:
    return value.timestamp()


def iso(value: datetime) -> str:
    """UTC ISO 8601 with `Z`, second precision unless there are microseconds."""
    text = value.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def now() -> datetime:
    return datetime.now(UTC)


def system_zone() -> str:
    """The machine's IANA zone name, or UTC when it cannot be told."""
    try:
        from pathlib import Path

        link = Path("/etc/localtime").resolve()
        parts = link.parts
        if "zoneinfo" in parts:
            return "/".join(parts[parts.index("zoneinfo") + 1 :])
    except OSError:
        pass
    return "UTC"
