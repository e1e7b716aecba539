"""Canary markers quoted back in a text: aliases, birthdays, address lines.

How a marker looks and how it is recognised live in `canaries.markers`, beside how it is made;
this module runs that recogniser once per distinct text and looks the results up in the set of
markers the canaries carry.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from canaries.markers import candidates, canonical, may_hold, shaped
from tracer.attribution import phrases

_NOTHING: list[str] = []


def found(texts: pd.Series, known: Iterable[str], masked: pd.Series | None = None) -> pd.Series:
    """Per text: the canonical known markers it contains (aliases, birthdays, addresses…).

    `masked` (optional): the same texts with every digit 1-9 written 0. Spam repeats templates
    whose digits vary, so a text is read only when its masked form could hold a marker: a date
    or address shape, or a word that is a known word once masked too.
    """
    known = [m for m in known if m]
    wanted = {canonical(m) for m in known}
    literal = sorted(m for m in known if not shaped(m))
    extra = phrases.tokens_in(texts, literal, masked) if literal else None

    def read(value: object) -> list[str]:
        if not isinstance(value, str) or not value:
            return []
        return [c for c in dict.fromkeys(candidates(value)) if c in wanted]

    if masked is None:
        hits = phrases.per_unique(texts, lambda strings: [read(s) for s in strings], []).tolist()
    else:
        words = {w.translate(phrases.DIGIT_MASK) for w in wanted}
        maybe = phrases.per_unique(masked, lambda strings: [may_hold(s, words) for s in strings], False)
        # one shared, read-only empty list where a text quotes nothing (most texts); the texts
        # chosen are read a block at a time, without a copy of them (`per_unique`'s `where`)
        chosen = maybe.to_numpy(dtype=bool)
        read_all = lambda strings: [read(s) for s in strings]  # noqa: E731
        hits = phrases.per_unique(texts, read_all, _NOTHING, where=chosen, block=phrases.BLOCK).tolist()
    if extra is not None:
        hits = [h + [canonical(x) for x in e] if e else h for h, e in zip(hits, extra, strict=True)]
    return pd.Series(hits, index=texts.index, dtype=object)
