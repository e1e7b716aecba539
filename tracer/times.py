"""Time parsing and formatting: ISO 8601 in, UTC `Z` out, naive times read in the vault's zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def zone(name: str) -> ZoneInfo:
    """The IANA zone `name`, or ValueError naming it."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown timezone {name!r}") from exc


def parse(text: str, tz: str = "UTC") -> datetime:
    """Parse ISO 8601 (offset optional; a naive time is in `tz`) to an aware UTC datetime."""
    raw = text.strip()
    if raw.endswith(("Z", "z")):
        raw = raw[:-1] + "+00:00"
    try:
        value = datetime.fromisoformat(raw)
    except ValueError as exc:
        raise ValueError(f"not an ISO 8601 time: {text!r}") from exc
    if value.tzinfo is None:
        value = value.replace(tzinfo=zone(tz))
    return value.astimezone(UTC)


EARLIEST_YEAR = 1970  # nothing tracer records (a signup, a call) predates Unix time


def given(raw: str, tz: str, field: str = "at") -> datetime:
    """A time a person typed (an option, a form field) as an aware UTC datetime; one clean
    InputError naming `field` otherwise, including years a zone pushes out of range
    (0001-01-01 at +08:00) and years before EARLIEST_YEAR."""
    from tracer.errors import InputError

    try:
        value = parse(raw, tz)
    except ValueError as exc:
        raise InputError(str(exc), field=field) from None
    except OverflowError:
        raise InputError("out of the range of dates", field=field) from None
    if value.year < EARLIEST_YEAR:
        raise InputError(f"before {EARLIEST_YEAR}: not a date tracer can record", field=field)
    return value


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
