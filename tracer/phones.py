"""Phone numbers: any common spelling in, E.164 out (via `phonenumbers`)."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from tracer.errors import InputError

_WITHHELD = {"", "-1", "-2", "-3", "unknown", "private", "anonymous", "withheld", "restricted"}
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def is_withheld(raw: str | None) -> bool:
    """True for the placeholders phones write when the caller hid their number."""
    return raw is None or raw.strip().lower() in _WITHHELD


@lru_cache(maxsize=1 << 18)
def normalize(raw: str, region: str = "CN") -> str:
    """E.164 for `raw` read in `region`; ValueError saying why when it is not a possible number."""
    text = raw.strip()
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(f"not a phone number: {exc.args[0] if exc.args else text}") from exc
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError("not a possible phone number (wrong length for its country)")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_field(
    raw: str, region: str, *, field: str, file: str | None = None, line: int | None = None
) -> str:
    """`normalize` for user input: InputError naming the file, line and field when it is not a
    number (the message says why, never echoing the whole number)."""
    try:
        return normalize(raw, region)
    except ValueError as exc:
        raise InputError(str(exc), file=file, line=line, field=field) from None


def party(raw: str | None, region: str, *, field: str) -> str | None:
    """A contact's party as typed: a mail address (lower-cased), E.164, or None when blank or
    withheld; InputError naming `field` otherwise."""
    if raw is None or not raw.strip():
        return None
    if "@" in raw:
        return raw.strip().lower()
    if is_withheld(raw):
        return None
    return normalize_field(raw, region, field=field)


def is_valid(e164: str) -> bool:
    """Whether `e164` is an assigned-range number, stricter than `normalize`'s possible check."""
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False


def looks_e164(text: str) -> bool:
    return bool(_E164.match(text))


@lru_cache(maxsize=1 << 16)
def redact(e164: str | None) -> str:
    """Keep country code and last two digits: +86•••••••••00."""
    if not e164:
        return ""
    if len(e164) <= 5:
        return "•" * len(e164)
    code_len = 3 if e164.startswith("+86") or e164.startswith("+44") else 2
    return e164[:code_len] + "•" * (len(e164) - code_len - 2) + e164[-2:]
