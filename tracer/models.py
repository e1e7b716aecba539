"""Frozen records passed between layers. Times are aware UTC datetimes; phones are E.164."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Channel(StrEnum):
    CALL = "call"
    SMS = "sms"
    EMAIL = "email"


@dataclass(frozen=True)
class Number:
    """A phone number the user owns. `control` numbers are never handed to a platform."""

    e164: str
    label: str = ""
    control: bool = False
    primary: bool = False
    added_at: datetime | None = None
    retired_at: datetime | None = None


@dataclass(frozen=True)
class Identity:
    """What the user types into a signup form."""

    phone: str | None
    name: str | None
    email: str | None
    markers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Canary:
    """An identity issued to one platform at one time."""

    id: str
    platform: str
    category: str | None
    issued_at: datetime
    identity: Identity
    real_name: bool = False
    retired_at: datetime | None = None
    signal: tuple[str, ...] = ()  # fields that tell this canary apart: phone, surname, email, marker
    warnings: tuple[str, ...] = ()

    @property
    def phone(self) -> str | None:
        return self.identity.phone

    @property
    def name(self) -> str | None:
        return self.identity.name

    @property
    def email(self) -> str | None:
        return self.identity.email


@dataclass(frozen=True)
class ContactRecord:
    """One received call, SMS or mail as an importer read it (before the vault stores it)."""

    channel: Channel
    at: datetime
    to: str | None = None  # the user's own number (E.164) or address that received it
    sender: str | None = None  # caller ID (E.164), SMS sender, or mail From address
    heard_name: str | None = None
    text: str | None = None
    duration: int | None = None  # seconds, calls only
    direction: str = "in"
    external_id: str | None = None
    line: int | None = None  # line number or byte offset in the source file
    headers: dict[str, str] = field(default_factory=dict)  # mail provenance headers and the like
    caller_name: str | None = None  # the caller ID name the file shows (CNAM, a saved contact)


@dataclass(frozen=True)
class Rejected:
    """A row an importer could not read: where, which field, why. Never contains the raw row."""

    line: int
    field: str
    reason: str
    file: str | None = None  # the file inside a folder the row came from, when not the one imported


@dataclass(frozen=True)
class Contact:
    """A stored contact: the record plus its vault id and source."""

    id: str
    record: ContactRecord
    batch_id: str | None = None
    source_sha256: str | None = None
