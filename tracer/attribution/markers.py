"""Canary markers written back in a text: aliases, birthdays, address lines.

Rather than searching every text for every canary's markers (hundreds of thousands of literal
strings at honeypot scale), each text is read once for things shaped like markers — words, dates
in any common spelling, address lines — which are put in one canonical form and looked up in the
set of markers the canaries carry. Markers of another shape are matched literally.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

import numpy as np
import pandas as pd

from tracer.attribution import text

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


def found(texts: pd.Series, known: Iterable[str], masked: pd.Series | None = None) -> pd.Series:
    """Per text: the canonical known markers it contains (aliases, birthdays, addresses…).

    `masked` (optional): the same texts with every digit 1-9 written 0. Spam repeats templates
    whose digits vary, so a text is read only when its masked form could hold a marker: a date
    or address shape, or a word that is a known word once masked too.
    """
    known = [m for m in known if m]
    wanted = {canonical(m) for m in known}
    literal = sorted(m for m in known if not _shaped(m))
    extra = text.tokens_in(texts, literal) if literal else None

    def read(value: object) -> list[str]:
        if not isinstance(value, str) or not value:
            return []
        return [c for c in dict.fromkeys(_candidates(value)) if c in wanted]

    if masked is None:
        hits = text.per_unique(texts, lambda strings: [read(s) for s in strings], []).tolist()
    else:
        words = {w.translate(text.DIGIT_MASK) for w in wanted}
        maybe = text.per_unique(masked, lambda strings: [_may_hold(s, words) for s in strings], False)
        hits = [[] for _ in range(len(texts))]
        chosen = np.flatnonzero(maybe.to_numpy(dtype=bool))
        read_hits = text.per_unique(texts.iloc[chosen], lambda strings: [read(s) for s in strings], [])
        for n, found_here in zip(chosen, read_hits, strict=True):
            hits[n] = found_here
    if extra is not None:
        hits = [h + [canonical(x) for x in e] for h, e in zip(hits, extra, strict=True)]
    return pd.Series(hits, index=texts.index, dtype=object)


def _may_hold(masked: str, words: set[str]) -> bool:
    """Whether a digit-masked text can hold a marker once its digits are back."""
    if any(word.casefold() in words for word in _WORD.findall(masked)):
        return True
    return any(pattern.search(masked) for pattern, _ in _DATES) or bool(_ADDRESS.search(masked))


def _candidates(value: str) -> Iterable[str]:
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


def _shaped(marker: str) -> bool:
    """Whether `_candidates` can find this marker by its shape."""
    return canonical(marker) in set(_candidates(marker)) or bool(_ADDRESS.fullmatch(marker.strip()))
