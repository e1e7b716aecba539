"""Phone numbers: any common spelling in, E.164 out (via `phonenumbers`)."""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from tracer.errors import InputError
from tracer.i18n import N_, _

# Why a party is refused. Returned and raised in English (a rejected row keeps its reason as data);
# translated where a person reads it (`_(reason)`).
NOT_A_NUMBER = N_("not a phone number")
NOT_POSSIBLE = N_("not a possible phone number (wrong length for its country)")
NOT_AN_EMAIL = N_("not an email address")
TOO_LONG = N_("too long for a number or address")
# phonenumbers' reasons (NumberParseException.error_type), in our words: its own messages are English
# and some repeat the input.
_PARSE_REASONS = {
    phonenumbers.NumberParseException.INVALID_COUNTRY_CODE: N_("not a phone number: unknown country code"),
    phonenumbers.NumberParseException.TOO_SHORT_AFTER_IDD: N_("not a phone number: too short after the international prefix"),
    phonenumbers.NumberParseException.TOO_SHORT_NSN: N_("not a phone number: too short"),
    phonenumbers.NumberParseException.TOO_LONG: N_("not a phone number: too long"),
}

_WITHHELD = {"", "-1", "-2", "-3", "unknown", "private", "anonymous", "withheld", "restricted"}
_E164 = re.compile(r"^\+[1-9]\d{6,14}$")


def is_withheld(raw: str | None) -> bool:
    """True for the placeholders phones write when the caller hid their number."""
    return raw is None or raw.strip().lower() in _WITHHELD


@lru_cache(maxsize=1 << 18)
def normalize(raw: str, region: str = "CN") -> str:
    """E.164 for `raw` read in `region`; ValueError saying why (one of the reasons above, never
    the input) when it is not a possible number."""
    return phonenumbers.format_number(_possible(raw, region), phonenumbers.PhoneNumberFormat.E164)


def _possible(raw: str, region: str) -> phonenumbers.PhoneNumber:
    try:
        parsed = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(_PARSE_REASONS.get(exc.error_type, NOT_A_NUMBER)) from exc
    if not phonenumbers.is_possible_number(parsed):
        raise ValueError(NOT_POSSIBLE)
    return parsed


def parse_field(
    raw: str, region: str, *, field: str, file: str | None = None, line: int | None = None
) -> tuple[str, bool]:
    """`normalize` for user input, and whether the number is in an assigned range (`is_valid`),
    from one parse; InputError naming the file, line and field when it is not a number (the
    message says why, never echoing the whole number)."""
    try:
        parsed = _possible(raw, region)
    except ValueError as exc:
        raise InputError(_(str(exc)), file=file, line=line, field=field) from None
    e164 = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
    return e164, phonenumbers.is_valid_number(parsed)


@lru_cache(maxsize=1 << 16)
def parse_party(raw: str, region: str, sender_id: bool = False) -> tuple[str | None, str | None]:
    """(value, None) or (None, reason) for a contact's party as written anywhere (a cell, an
    option, a form): phones become E.164, addresses lowercase, withheld numbers None. A bill's
    masked number (`138****1234`) is kept as written. `sender_id` keeps what SMS senders use
    instead of numbers (short codes, brand names) as typed."""
    text = raw.strip()
    if region == "CN" and (mobile := _CN_MOBILE.fullmatch(text)):
        return "+86" + mobile[1], None  # what normalize returns (tested), 20x faster
    if is_withheld(text):
        return None, None
    if len(text) > 320:
        return None, TOO_LONG
    if _MASKED.fullmatch(text):
        return text, None
    if "@" in text:
        if _EMAIL.fullmatch(text):
            return text.lower(), None
        return None, NOT_AN_EMAIL
    try:
        return normalize(text, region), None
    except ValueError as exc:
        if sender_id and len(text) <= 32 and _SENDER_ID.fullmatch(text):
            return text, None
        return None, str(exc)


def party(
    raw: str | None, region: str, *, field: str, file: str | None = None, line: int | None = None
) -> str | None:
    """A party a person gave (an option, a form field): `parse_party`'s value, None when blank or
    withheld, one InputError naming `field` otherwise."""
    if raw is None or not raw.strip():
        return None
    value, reason = parse_party(raw, region)
    if reason:
        raise InputError(_(reason), file=file, line=line, field=field)
    return value


def redact_party(value: str | None) -> str | None:
    """A party as shared: a phone number redacted (`redact`), an address or sender ID as is."""
    return redact(value) if value and value.startswith("+") else value


# A Chinese mobile number as exports spell most of them, 11 ASCII digits with or without +86. The
# first digits are never a carrier-selection prefix (11x, 12x, 179x: phonenumbers strips those),
# so phonenumbers would keep all 11 digits as the national number. Parsing a number with
# phonenumbers costs ~13 us; a million-row export holds tens of thousands of distinct callers.
_CN_MOBILE = re.compile(r"(?:\+86)?(1(?:[3-689][0-9]|7[0-8])[0-9]{8})", re.ASCII)
_EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+")
_SENDER_ID = re.compile(r"\w[\w .&'-]*")
_MASKED = re.compile(r"\+?\d[\d ]*\*[\d* ]*\d", re.ASCII)


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
