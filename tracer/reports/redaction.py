"""Redaction for reports meant to be shared: keep enough to follow the story, not to call anyone.

- Phone numbers keep their country code and last two digits (`+86•••••••••12`); a number
  written without a country code in free text keeps only its last two digits.
- Mail addresses keep the first character of the local part and the domain (`k•••@example.org`).
- The user's real name becomes `[real name]` wherever it appears, in either word order for
  Latin names, with any spacing or case.
- Identifiers, timestamps, platform names and verdicts are never rewritten for numbers, so a
  redacted report still lines up with the vault and the evidence bundle.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Mapping
from typing import Any

from tracer import phones

REAL_NAME_TAG = "[real name]"

# Keys whose values are ids, times, names of platforms or fixed vocabularies: no phone matching.
_VERBATIM = frozenset(
    {"id", "external_id", "at", "generated_at", "first_contact_at", "signup_at", "issued_at",
     "platform", "platforms", "linked_platforms", "verdict", "channel", "kind", "category"}
)  # fmt: skip
_EMAIL = re.compile(r"(?<![\w.+-])([\w.+-])[\w.+-]*@([\w-]+(?:\.[\w-]+)+)")
# Dates and clock times first, so `2026-03-01 09:30` is kept; then digit runs that may be numbers.
_NUMBERISH = re.compile(
    r"(?P<keep>\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[T ]\d{1,2}:\d{2}(?::\d{2})?)?|\d{1,2}:\d{2}(?::\d{2})?)"
    r"|(?<![0-9A-Za-z+])(?P<phone>(?:\+|00)?\d(?:[ \-.()]{0,2}\d){6,16})(?![0-9A-Za-z])"
)
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


def redact(report: Mapping[str, Any], real_name: str | None = None) -> dict[str, Any]:
    """A redacted deep copy of `report`; the input is left untouched."""
    name = name_pattern(real_name)
    return {key: _walk(value, key, name) for key, value in report.items()}


def name_pattern(real_name: str | None) -> re.Pattern[str] | None:
    """A pattern for `real_name` tolerant of spacing, case and (Latin) word order."""
    tokens = (real_name or "").split()
    if not tokens:
        return None
    if len(tokens) == 1 and _CJK.search(tokens[0]):
        body = r"\s*".join(map(re.escape, tokens[0]))
        return re.compile(body)
    orders = {tuple(tokens), tuple(reversed(tokens))}
    bodies = [r"[\s\-.,]+".join(map(re.escape, order)) for order in orders]
    return re.compile(r"(?<![^\W\d_])(?:" + "|".join(bodies) + r")(?![^\W\d_])", re.IGNORECASE)


def text(value: str, name: re.Pattern[str] | None = None) -> str:
    """Free text with phone numbers, mail addresses and the real name redacted."""
    if name is not None:
        value = name.sub(REAL_NAME_TAG, value)
    value = _EMAIL.sub(lambda m: f"{m.group(1)}•••@{m.group(2)}", value)
    return _NUMBERISH.sub(_number, value)


def phone(value: str) -> str:
    """One phone number (E.164 or as written) redacted; other values go through `text`."""
    if phones.looks_e164(value):
        return phones.redact(value)
    return text(value)


def _walk(value: Any, key: str, name: re.Pattern[str] | None) -> Any:
    if isinstance(value, Mapping):
        return {k: _walk(v, str(k), name) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_walk(v, key, name) for v in value]
    if not isinstance(value, str):
        return value
    if key in _VERBATIM:
        return verbatim(value, name)
    return free(value, name)


def verbatim(value: str, name: re.Pattern[str] | None) -> str:
    """A value of a `_VERBATIM` key (an id, a time, a platform…): only the real name is hidden."""
    return name.sub(REAL_NAME_TAG, value) if name is not None else value


def free(value: str, name: re.Pattern[str] | None) -> str:
    """Any other string: one E.164 number, or free text (`text`)."""
    if phones.looks_e164(value):
        return phones.redact(value)
    return text(value, name)


def touched(values: list[str], name: re.Pattern[str] | None, *, numbers: bool = True) -> list[int]:
    """The positions in `values` that `free` (or, without `numbers`, `verbatim`) may rewrite: those
    where a pattern it applies matches, or that start with "+". A superset (a clock time matches
    and is kept), found by searching all the values at once, joined by a NUL, which no pattern
    matches or looks past (a NUL, like the string's edge, is neither a letter, a digit nor part of
    an address), so a value has a match alone exactly when it has one in the join."""
    patterns = ([name] if name is not None else []) + ([_EMAIL, _NUMBERISH, _PLUS] if numbers else [])
    if not values or not patterns:
        return []
    joined = "\x00".join(values)
    ends = list(itertools.accumulate(len(v) + 1 for v in values))  # one past each value's NUL
    return sorted({bisect.bisect_right(ends, m.start()) for pattern in patterns for m in pattern.finditer(joined)})


_PLUS = re.compile(r"(?<![^\x00])\+")  # a "+" that starts a value (`touched`)


def _number(match: re.Match[str]) -> str:
    if match.group("keep"):
        return match.group(0)
    raw = match.group("phone")
    digits = re.sub(r"\D", "", raw)
    if raw.startswith(("+", "00")):
        try:
            return phones.redact(phones.normalize("+" + digits.removeprefix("00")))
        except ValueError:
            pass
    return "•" * (len(digits) - 2) + digits[-2:]
