"""What every importer shares: the format names, the options, a resolved context and field readers.

The protocol is one function per format, `read(path, ctx) -> Iterator[Item]`: it yields a
`ContactRecord` per received contact, a `Rejected` per row it cannot read, skips outgoing
contacts silently, and raises `InputError` for a file-level problem.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, tzinfo
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO, Protocol

import phonenumbers

from tracer import phones, times
from tracer.errors import InputError
from tracer.i18n import N_, _
from tracer.models import ContactRecord, Rejected

Item = ContactRecord | Rejected
MAX_TEXT = 64 * 1024  # bytes of UTF-8 in a text field
MAX_SHORT = 1024  # characters in a name, id or number field
GZIP_MAGIC = b"\x1f\x8b"  # a gzip file (Twilio's BulkExport days): sniffed, then read inside


class Format(StrEnum):
    AUTO = "auto"
    CSV = "csv"
    ANDROID_CALLS = "android-calls"
    ANDROID_SMS = "android-sms"
    GOOGLE_VOICE = "google-voice"
    IOS_CALLS = "ios-calls"
    IOS_MESSAGES = "ios-messages"  # sms.db: the same SQLite reader, which tells the databases apart
    EML = "eml"
    MBOX = "mbox"
    EXCEL = "excel"  # .xlsx or .xls
    PDF = "pdf"


@dataclass(frozen=True)
class Options:
    """How to read a file. Naive times are read in `tz`; numbers without a country in `region`."""

    region: str = "CN"
    tz: str = "UTC"
    to: str | None = None  # receiving number/address when the file does not say
    sim_map: dict[str, str] = field(default_factory=dict)  # Android subscription id -> number
    mapping: dict[str, str] = field(default_factory=dict)  # CSV: our column -> their header
    preset: str | None = None  # CSV presets: "twilio", "cn-carrier"
    encoding: str | None = None  # override text encoding detection
    year: int | None = None  # the year of a bill whose times have none (else its billing period)


@dataclass(frozen=True)
class Context:
    """Options checked once per import, plus the file name for messages and a progress hook."""

    file: str
    options: Options
    zone: tzinfo
    region: str
    to: str | None
    sim_map: dict[str, str]
    progress: Callable[[int], None]

    @classmethod
    def build(cls, path: Path, options: Options, progress: Callable[[int], None]) -> Context:
        file = str(path)
        region = options.region.upper()
        if region not in phonenumbers.SUPPORTED_REGIONS:
            raise InputError(_("unknown region {region!r}").format(region=options.region), field="--region")
        try:
            zone = UTC if options.tz.upper() == "UTC" else times.zone(options.tz)
        except ValueError as exc:
            raise InputError(str(exc), field="--timezone") from None
        to = own_party(options.to, region, "--to")
        sims = {k.strip(): own_party(v, region, "--sim") or "" for k, v in options.sim_map.items()}
        return cls(file, options, zone, region, to, sims, progress)

    def receiver(self, subscription: str | None) -> str | None:
        """The number a contact was received on: the mapped SIM, else `--to`."""
        return self.sim_map.get((subscription or "").strip()) or self.to

    def error(
        self,
        message: str,
        *,
        line: int | None = None,
        field: str | None = None,
        hint: str | None = None,
    ) -> InputError:
        return InputError(message, file=self.file, line=line, field=field, hint=hint)

    def open(self, path: Path) -> BinaryIO:
        try:
            return path.open("rb")
        except OSError as exc:
            raise self.error(_("cannot open: {reason}").format(reason=exc.strerror or _("unreadable"))) from None


class Importer(Protocol):
    def __call__(self, path: Path, ctx: Context) -> Iterator[Item]: ...


def own_party(raw: str | None, region: str, option: str) -> str | None:
    """The user's own number or address given as an option; InputError when it is neither."""
    value = phones.party(raw, region, field=option)
    if value is None and raw and raw.strip():  # "withheld" names none of the user's numbers
        raise InputError(_("not a number or address"), field=option)
    return value


party = phones.parse_party  # the one reader of a written party (kept here for the importers)
parse_time = times.parse  # the one reader of a written time
TIME_REASON = times.REASON


def from_millis(raw: str | None) -> datetime:
    """Aware UTC datetime from epoch milliseconds (how Android stores times)."""
    try:
        return times.from_epoch(int((raw or "").strip()) / 1000)
    except (ValueError, OverflowError, OSError):
        raise ValueError(N_("not epoch milliseconds")) from None


def too_long(text: str, limit: int = MAX_TEXT) -> bool:
    """Whether `text` takes more than `limit` bytes of UTF-8 (cheap for short text)."""
    return len(text) > limit // 4 and len(text.encode("utf-8", "surrogatepass")) > limit
