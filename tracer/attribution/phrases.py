"""Reading texts for listed phrases: the lexicon, one pass per distinct text, trie-shaped regexes.

Every feature over texts (`content`, `addressed`, `quoted`, `firstparty`) runs through
`per_unique`, because spam repeats: a million contacts usually hold a few thousand distinct
bodies. Rows with equal text share one result object, so treat returned lists as read-only.
The keyword and name data live in `lexicon.json` next to this module.
"""

from __future__ import annotations

import json
import re
import unicodedata
import weakref
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache, partial
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

_LEXICON = Path(__file__).with_name("lexicon.json")
CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
ASCII_END = "(?![a-z0-9])"
PLURAL_END = "(?=(?:e?s)?(?![a-z0-9]))"


@cache
def lexicon() -> dict[str, Any]:
    return json.loads(_LEXICON.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def converter(config: str) -> Any:
    from opencc import OpenCC  # pure Python and slow to set up: only when first needed

    return OpenCC(config)


def with_traditional(words: Iterable[str]) -> list[str]:
    """`words` plus their Traditional spellings (for Hong Kong and Taiwan senders)."""
    s2t = converter("s2t")
    out = list(words)
    out += [t for t in (s2t.convert(w) for w in out) if t not in out]
    return list(dict.fromkeys(out))


# --- running per distinct text ---------------------------------------------------------------

# Distinct texts made Python strings at once where a reader goes a block at a time (`per_unique`'s
# `block`): at 5M contacts the distinct texts as strings, all at once, were ~0.5 GiB.
BLOCK = 1 << 16


def per_unique(
    texts: pd.Series | Iterable[Any],
    compute: Callable[[list[str]], Sequence[Any]],
    missing: Any,
    dtype: str | None = "object",
    *,
    where: np.ndarray | None = None,
    block: int | None = None,
) -> pd.Series:
    """Apply `compute` to the distinct strings of `texts` and spread the results back; anything
    that is not a string gets `missing`. Spam repeats itself: this is the loop every text feature
    runs through.

    `where` (bool per row): only those rows' texts are read, the others get `missing` (what
    `per_unique(texts[where])` spread back gives, without a copy of the texts chosen). `block`:
    the distinct strings are made Python objects and computed `block` at a time, each block's
    strings gone before the next (`compute` answers each string on its own, so the results are
    the same); for a long column of long texts, whose strings all at once were a feature's peak.
    `dtype` None: inferred from the results, as `Series.map` infers it."""
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    codes, uniques = _factorized(series)
    if where is not None:
        codes = np.where(where, codes, -1)
        used = np.flatnonzero(np.bincount(codes + 1, minlength=len(uniques) + 1)[1:])
    else:
        used = None
    values = np.empty(len(uniques) + 1, dtype=object)
    values.fill(missing)  # the last slot answers code -1 (missing)
    size = len(uniques) if used is None else len(used)
    step = max(block or size, 1)
    for start in range(0, size, step):
        chosen = slice(start, min(start + step, size)) if used is None else used[start : start + step]
        _compute_into(values, chosen, uniques, compute)
    return pd.Series(values[codes], index=series.index, name=series.name, dtype=dtype)


def _compute_into(values: np.ndarray, chosen: slice | np.ndarray, uniques: Any, compute: Callable[..., Any]) -> None:
    """`values[chosen]`: `compute` of the distinct values `uniques[chosen]` that are strings."""
    # as Python objects at once: iterating pandas' Arrow-backed strings goes value by value
    objects = np.asarray(uniques[chosen], dtype=object).tolist()
    if all(map(isinstance, objects, repeat(str))):  # the usual case: every value a string
        found = compute(objects)
        if len(found) != len(objects):
            raise ValueError(f"{len(found)} results for {len(objects)} values")
        values[chosen] = np.fromiter(found, dtype=object, count=len(objects))  # each result as one object
    else:
        at = np.arange(len(values) - 1)[chosen]
        strings = [(i, u) for i, u in zip(at.tolist(), objects, strict=True) if isinstance(u, str)]
        for (i, _), value in zip(strings, compute([s for _, s in strings]), strict=True):
            values[i] = value


# The factorization of each Series `per_unique` was given, while that Series lives: features read
# the same text column (the body, the masked body, the heard name) a dozen times, and finding a
# million texts' distinct values each time was a third of the features' time. Keyed by the
# object's id and checked by a weak reference to it (an id is reused only after the object
# died, and dying removes the entry); the texts are never changed in place once read.
_FACTORIZED: dict[int, tuple[Any, np.ndarray, Any]] = {}


def codes(series: pd.Series) -> np.ndarray:
    """Each value's code among the distinct values of `series` (-1 when missing), as `per_unique`
    finds them (and remembers them while `series` lives)."""
    return _factorized(series)[0]


def _factorized(series: pd.Series) -> tuple[np.ndarray, Any]:
    key = id(series)
    found = _FACTORIZED.get(key)
    if found is not None and found[0]() is series:
        return found[1], found[2]
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    _FACTORIZED[key] = (weakref.ref(series, partial(_forget, key)), codes, uniques)
    return codes, uniques


def _forget(key: int, _ref: Any) -> None:
    _FACTORIZED.pop(key, None)


# Every digit 1-9 written 0: spam repeats templates whose digits vary (amounts, codes, links), and a
# masked text keeps every character's class and position (a 6-digit code still reads as one).
DIGIT_MASK = str.maketrans("123456789", "000000000")
_BYTE_MASK = bytes.maketrans(b"123456789", b"000000000")


def mask_digits(text: str) -> str:
    """`text.translate(DIGIT_MASK)`, faster: `str.translate` goes character by character through
    a dict for any text that is not pure ASCII, and a `re.sub` per text was ~1.2 µs (0.5 s for
    408k texts). The digits 1-9 are the bytes 0x31-0x39 in UTF-8, which no other character's
    bytes contain: the bytes translated and decoded are the text masked (0.2 s). `surrogatepass`
    carries a lone surrogate through as it is."""
    return text.encode("utf-8", "surrogatepass").translate(_BYTE_MASK).decode("utf-8", "surrogatepass")


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# --- phrase matching: one trie-shaped regex for thousands of phrases -------------------------


def phrase_key(phrase: str) -> str:
    return " ".join(nfkc(phrase).lower().split())


def trie_patterns(keys: Iterable[str], ascii_end: str = ASCII_END) -> list[str]:
    """Regexes matching any of `keys` (lower case), longest first: one for keys that start with a
    Latin letter or digit (only at a word start), one for the rest (CJK and symbols).

    Two regexes, not one alternation: `re` then skips non-candidate positions in C, which makes a
    10,000-name pattern about twenty times faster on English text.
    """
    trie: dict[str, Any] = {}
    for key in keys:
        node = trie
        for ch in key:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, Any], last: str) -> str:
        # a run of single-child nodes (one long name) is written in a loop, not a recursion
        # per character: a 600-character platform name must not exhaust the stack
        run = ""
        while "" not in node and len(node) == 1:
            (ch, node), = node.items()
            run += r"\s+" if ch == " " else re.escape(ch)
            last = ch
        branches = [
            (r"\s+" if ch == " " else re.escape(ch)) + emit(child, ch)
            for ch, child in sorted(node.items())
            if ch
        ]
        if "" in node:
            branches.append(ascii_end if _is_latin(last) else "")
        return run + (branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")")

    latin = {ch: child for ch, child in trie.items() if _is_latin(ch)}
    other = {ch: child for ch, child in trie.items() if not _is_latin(ch)}
    return ([f"(?<![a-z0-9]){emit(latin, '')}"] if latin else []) + ([emit(other, "")] if other else [])


def _is_latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


class PhraseMatcher:
    """Finds listed phrases in text: case-insensitive, any whitespace run between words."""

    def __init__(self, phrases: Iterable[str], ascii_end: str = ASCII_END) -> None:
        self.ascii_end = ascii_end
        self._masked: list[re.Pattern[str]] | None = None
        self.originals: dict[str, list[str]] = {}
        for phrase in phrases:
            key = phrase_key(phrase) if isinstance(phrase, str) else ""
            if key and phrase not in self.originals.get(key, []):
                self.originals.setdefault(key, []).append(phrase)
        self._regexes = [re.compile(p) for p in trie_patterns(self.originals, ascii_end)]

    def occurrences(self, text: str) -> list[str]:
        """Matched phrase keys, once per occurrence, in text order."""
        text = nfkc(text).lower()
        found = sorted((m.start(), m.group()) for rx in self._regexes for m in rx.finditer(text))
        keys = (" ".join(match.split()) for _, match in found)
        return [k for k in keys if k in self.originals]

    def keys_in(self, text: str) -> list[str]:
        """Matched phrase keys in order of first appearance."""
        return list(dict.fromkeys(self.occurrences(text)))

    def find(self, text: str) -> list[str]:
        return [orig for key in self.keys_in(text) for orig in self.originals[key]]

    def may_find(self, masked: str) -> bool:
        """False when no text whose digits masked (`DIGIT_MASK`) read `masked` holds a phrase.

        Masking keeps each character's class (a digit stays a digit, everything else stays), and
        commutes with `nfkc` and lower case, so where a phrase matches a text, the phrase masked
        matches the text masked at the same place: the masked phrases' regexes never miss one."""
        if self._masked is None:
            keys = {key.translate(DIGIT_MASK) for key in self.originals}
            self._masked = [re.compile(p) for p in trie_patterns(keys, self.ascii_end)]
        text = mask_digits(nfkc(masked).lower())
        return any(rx.search(text) for rx in self._masked)


@lru_cache(maxsize=8)
def _matcher(phrases: tuple[str, ...]) -> PhraseMatcher:
    return PhraseMatcher(phrases)


def matcher(phrases: Sequence[str]) -> PhraseMatcher:
    """The `PhraseMatcher` of `phrases`, made once for them (`full_names` and `tokens_in` share it)."""
    return _matcher(tuple(phrases))


def full_names(texts: pd.Series, names: Sequence[str], masked: pd.Series | None = None) -> pd.Series:
    """The names from `names` that occur in each text (longest name wins where two overlap).

    `masked` (optional): the same texts with every digit 1-9 written 0. Spam repeats templates
    whose digits vary (a million texts are a few thousand masked ones), so a text is read only
    where its masked form may hold a name (`PhraseMatcher.may_find`); the others hold none."""
    matcher = _matcher(tuple(names))
    if masked is None:
        return per_unique(texts, lambda strings: [matcher.find(s) for s in strings], [])
    maybe = per_unique(masked, lambda strings: [matcher.may_find(s) for s in strings], False, dtype="bool")
    find = lambda strings: [matcher.find(s) for s in strings]  # noqa: E731
    return per_unique(texts, find, _NOTHING, where=maybe.to_numpy(dtype=bool), block=BLOCK)


# one shared, read-only empty list for the texts that hold no name
_NOTHING: list[str] = []


def tokens_in(texts: pd.Series, tokens: Sequence[str], masked: pd.Series | None = None) -> pd.Series:
    """The tokens (alias local parts, markers) that occur in each text, case-insensitive
    (`masked`: as `full_names`)."""
    return full_names(texts, tokens, masked)


def masked(texts: pd.Series) -> pd.Series:
    """Each text with every digit 1-9 written 0 (`DIGIT_MASK`), once per distinct value; missing
    values stay missing."""
    return per_unique(texts, lambda strings: [mask_digits(s) for s in strings], None)
