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
import functools
import itertools
import re
import sys
from collections.abc import Mapping
from typing import Any

import numpy as np

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
    """The positions in `values` that `free` (or, without `numbers`, `verbatim`) may rewrite, a
    superset found for all the values at once: where the real name matches (one search over the
    values joined by a NUL, which no name pattern matches or looks past: a NUL, like the string's
    edge, is neither a letter nor a space, so a value has a match alone exactly when it has one in
    the join); and, with `numbers`, values that start with "+" (`phones.looks_e164`), that hold
    an "@" after a character an address may end its local part with (`_EMAIL`), or a run of
    digits and the separators `_NUMBERISH` allows among them holding seven digits (the fewest it
    rewrites; a digit is what `\\d` matches, `str.isdecimal`), read from the join's code points
    in NumPy."""
    if not values:
        return []
    hits: set[int] = set()
    joined = "\x00".join(values) + "\x00"
    if name is not None:
        ends = list(itertools.accumulate(len(v) + 1 for v in values))  # one past each value's NUL
        hits.update(bisect.bisect_right(ends, m.start()) for m in name.finditer(joined))
    if numbers:
        points = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        lengths = np.array([len(v) + 1 for v in values], dtype=np.int64)
        owner = np.repeat(np.arange(len(values)), lengths)  # the value each code point is in
        starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
        decimal, word = _classes()
        digit = decimal[points]
        # runs of digits and separators (a NUL ends one), and the digits in each
        run = np.cumsum(~(digit | np.isin(points, _SEPARATORS)))
        many = np.bincount(run, weights=digit)[run] >= 7
        at = np.flatnonzero(points == ord("@"))
        before = points[at - 1] if len(at) else points[:0]
        address = at[(at > 0) & (word[before] | np.isin(before, _LOCAL_PUNCTUATION))]
        hits.update(np.unique(owner[many]).tolist())
        hits.update(owner[address].tolist())
        hits.update(np.flatnonzero(points[starts] == ord("+")).tolist())
    return sorted(hits)


_SEPARATORS = np.array([ord(c) for c in " -.()"], dtype=np.uint32)  # `_NUMBERISH`'s between digits
_LOCAL_PUNCTUATION = np.array([ord(c) for c in ".+-"], dtype=np.uint32)  # `_EMAIL`'s besides \\w


@functools.cache
def _classes() -> tuple[np.ndarray, np.ndarray]:
    """Per code point: a decimal digit (`\\d` in a str pattern), a word character (`\\w`)."""
    size = sys.maxunicode + 1  # read one code point at a time: a list of them all held 55 MB
    decimal = np.fromiter((chr(c).isdecimal() for c in range(size)), dtype=bool, count=size)
    word = np.fromiter((chr(c).isalnum() or c == 0x5F for c in range(size)), dtype=bool, count=size)
    return decimal, word


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
