"""Per-contact features: what each contact says, computed once per unique text."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Any, overload

import numpy as np
import pandas as pd

import canaries
from tracer.attribution import addressed, content, phrases, quoted
from tracer.attribution.inputs import Inputs


class Features:
    """Per-contact features, held once per distinct (heard name, text) pair: `table` has one row
    per pair, `code[i]` is contact i's row (int32). A million contacts hold a few hundred thousand
    pairs: a column per contact was 8 bytes a contact a feature (and `fillna("")` copies of both
    texts while they were computed); `features[name]` makes one contact-long column on demand."""

    def __init__(self, table: pd.DataFrame, code: np.ndarray) -> None:
        self.table, self.code = table, code

    def __len__(self) -> int:
        return len(self.code)

    @overload
    def __getitem__(self, key: str) -> pd.Series: ...

    @overload
    def __getitem__(self, key: list[str]) -> Features: ...

    def __getitem__(self, key: str | list[str]) -> pd.Series | Features:
        """A feature per contact (a Series, RangeIndex), or the features `key` (list) only."""
        if isinstance(key, str):
            column = self.table[key]
            return pd.Series(column.to_numpy()[self.code], name=key, dtype=column.dtype)
        return Features(self.table[list(key)], self.code)

    def frame(self, columns: list[str] | None = None) -> pd.DataFrame:
        """The features `columns` (default all) as one row per contact."""
        return pd.DataFrame({name: self[name] for name in (columns or list(self.table.columns))})

    def exploded(self, lists: Sequence[Sequence[Any]]) -> tuple[np.ndarray, np.ndarray]:
        """(contact, value) of every value of each contact's list, contact by contact and in each
        list's order, where `lists` holds one list per row of `table` (`DataFrame.explode` of a
        list per contact, without the lists, or the row it makes for each empty one)."""
        row, value = exploded(lists)
        count = np.bincount(row, minlength=len(self.table))  # `row` ascends: a row's values in a run
        start = np.cumsum(count) - count
        per_contact = count[self.code]
        members = np.repeat(np.arange(len(self.code)), per_contact)
        within = np.arange(len(members)) - np.repeat(np.cumsum(per_contact) - per_contact, per_contact)
        return members, value[np.repeat(start[self.code], per_contact) + within]


def exploded(lists: Sequence[Sequence[Any]]) -> tuple[np.ndarray, np.ndarray]:
    """(row, value) of every value in each row's list, in order (`DataFrame.explode` without the
    row it makes for each empty list)."""
    lengths = np.fromiter(map(len, lists), dtype=np.int64, count=len(lists))
    rows = np.flatnonzero(lengths)
    values = np.empty(int(lengths.sum()), dtype=object)
    values[:] = list(itertools.chain.from_iterable(lists[r] for r in rows.tolist()))
    return np.repeat(rows, lengths[rows]), values


def extract(inputs: Inputs) -> Features:
    """Per contact: said surname keys, names/tokens found, topic, brand, callbacks… (`Features`),
    computed once per distinct (heard name, text) pair; a missing text or name reads as ""."""
    c = inputs.contacts
    code, heard, body = _distinct_pairs(c["heard_name"], c["text"])
    # Spam repeats templates with different amounts, codes and numbers: features that do not read
    # digits are computed on the text with every digit masked (hundreds of thousands of distinct
    # texts at honeypot scale are a few thousand templates). Markers and callbacks read digits.
    plain = _mask_digits(body)
    names = _known_names(inputs)
    tokens = _known_tokens(inputs)
    out = pd.DataFrame(index=body.index)
    # names are read with a brand's customers addressed as the generic address it is ("Dear
    # Wells Fargo customer" names nobody); the other features read the text as written
    spoken = addressed.without_brand_address(plain)
    out["said_keys"] = _said_keys(heard, spoken, inputs.locale)
    out["first_name_keys"], out["given_keys"] = _first_name_keys(heard, spoken, inputs.locale)
    out["full_names"] = _full_names(heard, spoken, names)
    out["whole_names"] = _whole_names(heard, spoken, inputs.locale)
    out["tokens"] = quoted.found(body, tokens, plain) if tokens else [_NONE_SAID] * len(body)
    out["topic"] = content.topics(plain)
    out["brand"] = _brands(body, plain)
    out["verification"] = content.is_verification(plain).astype(bool)
    out["callbacks"] = content.callback_numbers(body, inputs.region, plain)
    out["template"] = content.template_keys(plain)
    # a caller who asked for somebody else named a person too, only not one said here; so did one
    # who said a given name alone ("淑华", a whole name typed by ear: "空楠" for 孔楠)
    someone_else = addressed.asks_for_someone_else(plain)
    said = _said_any(out["said_keys"]) | _said_any(out["full_names"]) | _said_any(out["first_name_keys"])
    out["named"] = said | someone_else
    out["someone_else"] = someone_else
    return Features(out, code)


def _said_any(lists: pd.Series) -> pd.Series:
    """`lists.map(len).gt(0)`: one C loop over the column, not a pandas map (0.25 s a column)."""
    values = lists.to_numpy()
    lengths = np.fromiter(map(len, values), dtype=np.int64, count=len(values))
    return pd.Series(lengths > 0, index=lists.index)


def _distinct_pairs(heard: pd.Series, text: pd.Series) -> tuple[np.ndarray, pd.Series, pd.Series]:
    """Each contact's code among the distinct (heard name, text) pairs (int32), and those pairs'
    heard names and texts, a missing value read as "" (what `fillna("")` of each column made)."""
    heard_codes, heard_values = _distinct(heard)
    text_codes, text_values = _distinct(text)
    pair = heard_codes.astype(np.int64) * len(text_values) + text_codes
    code, first = pd.factorize(pair)
    del pair
    heard_of, text_of = np.divmod(first, len(text_values))
    return (
        code.astype(np.int32),
        heard_values.take(heard_of).reset_index(drop=True),
        text_values.take(text_of).reset_index(drop=True),
    )


def _distinct(values: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Codes into the distinct values of `values` as strings, a missing value read as "" (one
    code for both)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    distinct = pd.Series(uniques).astype(str)
    empty = np.flatnonzero((distinct == "").to_numpy(dtype=bool))
    if not len(empty):
        distinct = pd.concat([distinct, pd.Series([""], dtype=distinct.dtype)], ignore_index=True)
    blank = int(empty[0]) if len(empty) else len(distinct) - 1
    return np.where(codes < 0, blank, codes), distinct


def _full_names(heard: pd.Series, body: pd.Series, names: list[str]) -> pd.Series:
    """Known full names said in heard_name or the text: each field on its own, so that each is
    matched once per distinct value (a heard name and a text are each repeated far more often
    than their pairs are)."""
    if not names:
        return pd.Series([[] for _ in range(len(heard))], index=heard.index, dtype=object)
    in_heard, in_body = phrases.full_names(heard, names), phrases.full_names(body, names)
    return _per_pair(heard, body, in_heard, in_body, lambda h, b: h + [n for n in b if n not in h] if b else h)


def _whole_names(heard: pd.Series, body: pd.Series, locale: str) -> pd.Series:
    """Per contact: (surname key, given key, whole-name key) of each whole name said, so that a
    name can be told from a different person's who shares its surname (王峰 is not 王明). An
    initial ("J. Smith") says no given name."""

    def keys(parts: list[tuple[str, str]]) -> tuple[tuple[str, str, str], ...]:
        found = []
        for surname, given in parts:
            first = given.split()[0].strip(".") if given else ""
            if len(first) > 1 or (first and not first.isascii()):  # an initial says no given name
                whole = canaries.full_key(f"{given} {surname}" if given.isascii() else surname + given, locale)
                found.append((_key(surname, locale), _key(first, locale), whole))
        return tuple(found)

    by_heard = phrases.per_unique(heard, lambda values: [keys(addressed.whole_names_in(v, True)) for v in values], ())
    by_body = phrases.per_unique(body, lambda values: [keys(addressed.whole_names_in(v, False)) for v in values], ())
    return _per_pair(heard, body, by_heard, by_body, lambda h, b: tuple(dict.fromkeys((*h, *b))))


def _brands(body: pd.Series, plain: pd.Series) -> pd.Series:
    """Signatures read from the digit-masked texts, and from the text itself where the masked
    signature shows a digit (brands may hold digits: 58同城, 360借条). Masking keeps every
    character's class and position, so elsewhere both readings agree."""
    brands = content.brand_signatures(plain)
    digits = brands.str.contains("0", regex=False).fillna(False).astype(bool)
    if digits.any():
        brands[digits] = content.brand_signatures(body[digits])
    return brands


def _mask_digits(texts: pd.Series) -> pd.Series:
    """Every digit as 0 (lengths kept, so a 6-digit code still reads as one), once per value.
    Equal masked texts are one string: a template's many texts mask to one (at 5M contacts a
    masked string per distinct text was most of what the features held), and the texts are read
    a block at a time (`per_unique`'s `block`), not all made Python strings at once."""
    shared: dict[str, str] = {}

    def masked(strings: list[str]) -> list[str]:
        return [shared.setdefault(m, m) for m in map(phrases.mask_digits, strings)]

    return phrases.per_unique(texts, masked, "", block=phrases.BLOCK)


def _said_keys(heard: pd.Series, body: pd.Series, locale: str) -> pd.Series:
    """Spoken keys of every name the caller used, in heard_name and in the text (per unique text)."""
    by_heard = _keys_per_unique(heard, lambda typed, names: _heard_names(typed, names, locale), locale)
    by_body = _keys_per_unique(
        body, lambda written, names: names + addressed.greeted_given(written, locale), locale, bare_names=False
    )
    return _per_pair(heard, body, by_heard, by_body, lambda h, b: sorted({*h, *b}) if (h or b) else _NONE_SAID)


# one shared (read-only) empty list for the contacts that said no name, most of them: a list each
# was 56 bytes a contact
_NONE_SAID: list[str] = []


def _first_name_keys(heard: pd.Series, body: pd.Series, locale: str) -> tuple[pd.Series, pd.Series]:
    """Spoken keys of given names: those used alone, without a title ("Hi Carl", a heard_name of
    one word), and every given name said (also the "Zachary" of "Zachary Grant").

    Only a name used alone may be a canary's given name: "Mr. Mitchell" names a surname, whatever
    it sounds like, and "Zachary Grant" is someone else than "Zachary Reid". Every given name said
    feeds what the background says on a number. Chinese callers address by surname and title, so
    zh vaults have none.
    """
    if locale.startswith("zh"):
        by_body = phrases.per_unique(body, lambda written: [addressed.zh_greeted_given(w) for w in written], ())
        by_heard = phrases.per_unique(heard, lambda typed: [addressed.zh_heard_given(t) for t in typed], ())
        zh_alone = _per_pair(heard, body, by_heard, by_body, lambda h, b: tuple({*h, *b}))
        return zh_alone, zh_alone

    def typed(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if canaries.is_generic(value):  # "Sir", "Syr", "buddy": nobody's name
            return (), ()
        words = value.split()
        if not words or not all(w.isalpha() for w in words) or len(words) > 3:
            return (), ()
        key = _key(words[0], locale)
        return ((key,) if len(words) == 1 else ()), (key,)

    by_heard = phrases.per_unique(heard, lambda values: [typed(v) for v in values], ((), ()))
    by_body = phrases.per_unique(
        body, lambda written: [tuple(_key(n, locale) for n in addressed.greeted_given(w, locale)) for w in written], ()
    )
    return (
        _per_pair(heard, body, by_heard, by_body, lambda h, b: tuple(k for k in {*h[0], *b} if k)),
        _per_pair(heard, body, by_heard, by_body, lambda h, b: tuple(k for k in {*h[1], *b} if k)),
    )


def _per_pair(
    heard: pd.Series, body: pd.Series, by_heard: pd.Series, by_body: pd.Series, combine: Callable[[Any, Any], Any]
) -> pd.Series:
    """`combine(by_heard, by_body)` of each contact, computed once per distinct (heard name, text)
    pair and shared by the contacts that hold it (read-only, as `phrases.per_unique`'s results):
    a million contacts hold a few hundred thousand pairs, and a Python step per contact was most of
    what combining the two fields cost."""
    # rows are told apart by their two results' objects: equal texts share one result object, and
    # so do the many texts that found nothing (one shared empty list or tuple), so that `combine`
    # runs once for all of those rather than once per distinct pair of texts
    heard_results, body_results = by_heard.to_numpy(), by_body.to_numpy()
    heard_codes = pd.factorize(np.fromiter(map(id, heard_results), dtype=np.uint64, count=len(heard_results)))[0]
    body_codes = pd.factorize(np.fromiter(map(id, body_results), dtype=np.uint64, count=len(body_results)))[0]
    pair = heard_codes.astype(np.int64) * (int(body_codes.max(initial=-1)) + 1) + body_codes
    inverse, distinct = pd.factorize(pair)
    first = np.empty(len(distinct), dtype=np.int64)
    first[inverse[::-1]] = np.arange(len(inverse) - 1, -1, -1)  # each pair's first row
    values = np.empty(len(first), dtype=object)
    heard_values, body_values = heard_results[first].tolist(), body_results[first].tolist()
    for n, (h, b) in enumerate(zip(heard_values, body_values, strict=True)):
        values[n] = combine(h, b)
    return pd.Series(values[inverse], index=heard.index, dtype=object)


def _keys_per_unique(
    texts: pd.Series,
    names_of: Callable[[str, list[str]], list[str]],
    locale: str,
    *,
    bare_names: bool = True,
) -> pd.Series:
    """For each text, the keys of `names_of(text, addressed surnames)`, computed once per value."""

    def compute(strings: list[str]) -> list[tuple[str, ...]]:
        surnames = addressed.addressed_surnames(pd.Series(strings, dtype=object), bare_names=bare_names)
        return [
            tuple(k for k in dict.fromkeys(_key(n, locale) for n in names_of(s, list(found))) if k)
            if s
            else ()
            for s, found in zip(strings, surnames, strict=True)
        ]

    return phrases.per_unique(texts, compute, ())


def _heard_names(typed: str, surnames: list[str], locale: str) -> list[str]:
    """What the user typed as heard: a greeting, a bare surname, or pinyin (surname first)."""
    if canaries.is_generic(typed):
        return []
    found = list(surnames)
    alone = not locale.startswith("zh") and len(typed.split()) == 1  # "Ryan": a name used alone
    if not surnames and not alone:
        bare = canaries.heard_surname(typed)
        found += [bare] if bare else []
    if locale.startswith("zh") and typed.isascii():
        # a name typed in pinyin is read as `canaries.read` reads it: surname first ("tang yumei",
        # "sun jian xs" is 孙健先生, not Mr. 简), after a familiar prefix ("xiao teng", "lao li" are
        # 小滕, 老李, no 肖 or 劳); the patterns for names inside texts took the word before a title
        surname = canaries.heard_surname(typed)
        return [surname] if surname else found + typed.split()[:1]
    return found


@lru_cache(maxsize=1 << 16)
def _key(surname: str, locale: str) -> str:
    return canaries.surname_key(surname, locale=locale)


def _known_names(inputs: Inputs) -> list[str]:
    names = {n for n in inputs.canaries["name"].dropna() if len(n) >= 2}
    if inputs.real_name:
        names.add(inputs.real_name)
    return sorted(names)


def _known_tokens(inputs: Inputs) -> list[str]:
    tokens: set[str] = set()
    for email in inputs.canaries["email"].dropna():
        local = email.split("@")[0].split("+")[-1]
        if len(local) >= 5:
            tokens.add(local)
    for values in inputs.canaries["markers"]:
        tokens.update(m for m in values if m and len(m) >= 5)
    return sorted(tokens)
