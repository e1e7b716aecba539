"""Marker fields: a birthday and an address line 2 that no other active canary uses, and how to
recognise a marker of any shape when a caller writes it back.

Each marker space is an indexed virtual list (day number, flat number), so a unique value is a
few random draws while space is plentiful and one linear scan when it is nearly full.

Recognising: rather than searching every text for every canary's markers (hundreds of thousands of
literal strings at honeypot scale), a text is read once for things shaped like markers (words,
dates in any common spelling, address lines), which are put in one canonical form (`canonical`) and
looked up in the set of markers the canaries carry (`tracer.attribution.quoted` does this once per
distinct text). Markers of another shape (`shaped` is false) are matched literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Set
from dataclasses import dataclass
from datetime import date
from random import Random

from canaries.errors import N_

_FIRST_BIRTHDAY = date(1960, 1, 1).toordinal()  # plausible adults only
_LAST_BIRTHDAY = date(2004, 12, 31).toordinal()
_EN_PREFIXES = ("Apt", "Unit", "Suite")
_DRAWS = 64
BIRTHDAYS = _LAST_BIRTHDAY - _FIRST_BIRTHDAY + 1
ZH_ADDRESSES = 60 * 33 * 12
EN_ADDRESSES = len(_EN_PREFIXES) * 99 * 80


def birthday(index: int) -> str:
    """The `index`-th day from 1960-01-01, ISO formatted (16,437 days to 2004-12-31)."""
    return date.fromordinal(_FIRST_BIRTHDAY + index).isoformat()


def address2_zh(index: int) -> str:
    """Building 1–60, floor 1–33, flat 1–12: "12栋1204室" (23,760 values)."""
    building, rest = divmod(index, 33 * 12)
    floor, flat = divmod(rest, 12)
    return f"{building + 1}栋{floor + 1}{flat + 1:02d}室"


def address2_en(index: int) -> str:
    """Apt/Unit/Suite, floor 1–99, flat 1–80: "Apt 1204" (23,760 values)."""
    prefix, rest = divmod(index, 99 * 80)
    floor, flat = divmod(rest, 80)
    return f"{_EN_PREFIXES[prefix]} {floor + 1}{flat + 1:02d}"


@dataclass
class MarkerSpace:
    """One marker's values; remembers when a scan found it full so it is not rescanned."""

    name: str
    render: Callable[[int], str]
    size: int
    full_at: int | None = None  # len(taken) when the last scan found no free value

    def draw(self, rng: Random, taken: Set[str]) -> str | None:
        """A value not in `taken`, or None when every value is taken.

        A space found full is neither drawn from nor rescanned until `taken` shrinks below its
        size at that scan (a batch past a space's size otherwise made 64 futile draws per canary).
        """
        if self.full_at is not None and len(taken) >= self.full_at:
            return None
        for _ in range(_DRAWS):
            value = self.render(rng.randrange(self.size))
            if value not in taken:
                return value
        found = self._scan(rng.randrange(self.size), taken)
        self.full_at = None if found else len(taken)
        return found

    def _scan(self, start: int, taken: Set[str]) -> str | None:
        for offset in range(self.size):
            value = self.render((start + offset) % self.size)
            if value not in taken:
                return value
        return None


EXHAUSTED = {
    "birthday": N_("birthday space exhausted: another canary shares this value"),
    "address2": N_("address2 space exhausted: another canary shares this value"),
}


class Markers:
    """Draws the "birthday" and "address2" markers for one generator."""

    def __init__(self, locale: str) -> None:
        address = MarkerSpace("address2", address2_zh, ZH_ADDRESSES)
        if not locale.startswith("zh"):
            address = MarkerSpace("address2", address2_en, EN_ADDRESSES)
        self._spaces = (MarkerSpace("birthday", birthday, BIRTHDAYS), address)

    def make(self, rng: Random, taken: Set[str]) -> tuple[dict[str, str], list[str]]:
        """Markers unique against `taken`, and a warning for each exhausted space."""
        markers: dict[str, str] = {}
        warnings: list[str] = []
        for space in self._spaces:
            value = space.draw(rng, taken)
            if value is None:
                value = space.render(rng.randrange(space.size))
                warnings.append(EXHAUSTED[space.name])
            markers[space.name] = value
        return markers, warnings


# --- recognising markers in what a caller wrote -----------------------------------------------

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9._-]{3,}")
_DATES = (
    (re.compile(r"(?<!\d)(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?!\d)"), (1, 2, 3)),
    (re.compile(r"(?<!\d)(\d{1,2})/(\d{1,2})/(\d{4})(?!\d)"), (3, 1, 2)),  # US order
    (re.compile(r"(?<!\d)(\d{4})(\d{2})(\d{2})(?!\d)"), (1, 2, 3)),
)
_ADDRESS = re.compile(r"\d{1,3}\s*栋\s*\d{1,5}\s*室|(?i:apt|suite|unit|room)\.?\s*#?\s*\d{1,6}")


def canonical(marker: str) -> str:
    """The form a marker is looked up by: ISO dates, squeezed and case-folded address lines."""
    try:
        return date.fromisoformat(marker).isoformat()
    except ValueError:
        return re.sub(r"[\s.#]+", "", marker).casefold()


def may_hold(masked: str, words: set[str]) -> bool:
    """Whether a digit-masked text can hold a marker once its digits are back."""
    if any(word.casefold() in words for word in _WORD.findall(masked)):
        return True
    return any(pattern.search(masked) for pattern, _ in _DATES) or bool(_ADDRESS.search(masked))


def candidates(value: str) -> Iterable[str]:
    for word in _WORD.findall(value):
        yield word.casefold()
    for pattern, (y, m, d) in _DATES:
        for groups in pattern.findall(value):
            try:
                yield date(int(groups[y - 1]), int(groups[m - 1]), int(groups[d - 1])).isoformat()
            except ValueError:
                continue
    for address in _ADDRESS.findall(value):
        yield canonical(address)


def shaped(marker: str) -> bool:
    """Whether `candidates` can find this marker by its shape."""
    return canonical(marker) in set(candidates(marker)) or bool(_ADDRESS.fullmatch(marker.strip()))
