"""Per-contact features: what each contact says, computed once per unique text."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

import canaries
from tracer.attribution import markers, text
from tracer.attribution.inputs import Inputs


def extract(inputs: Inputs) -> pd.DataFrame:
    """One row per contact: said surname keys, names/tokens found, topic, brand, callbacks…"""
    c = inputs.contacts
    body = c["text"].fillna("").astype(str)
    heard = c["heard_name"].fillna("").astype(str)
    # Spam repeats templates with different amounts, codes and numbers: features that do not read
    # digits are computed on the text with every digit masked (hundreds of thousands of distinct
    # texts at honeypot scale are a few thousand templates). Markers and callbacks read digits.
    plain = _mask_digits(body)
    names = _known_names(inputs)
    tokens = _known_tokens(inputs)
    out = pd.DataFrame(index=c.index)
    out["said_keys"] = _said_keys(heard, plain, inputs.locale)
    out["first_name_keys"], out["given_keys"] = _first_name_keys(heard, plain, inputs.locale)
    out["full_names"] = _full_names(heard, plain, names)
    out["whole_names"] = _whole_names(heard, plain, inputs.locale)
    out["tokens"] = markers.found(body, tokens, plain) if tokens else [[] for _ in range(len(c))]
    out["topic"] = text.topics(plain)
    out["brand"] = _brands(body, plain)
    out["verification"] = text.is_verification(plain).astype(bool)
    out["callbacks"] = text.callback_numbers(body, inputs.region)
    out["template"] = text.template_keys(plain)
    out["named"] = out["said_keys"].map(len).gt(0) | out["full_names"].map(len).gt(0)
    return out


def _full_names(heard: pd.Series, body: pd.Series, names: list[str]) -> pd.Series:
    """Known full names said in heard_name or the text: each field on its own, so that each is
    matched once per distinct value (a heard name and a text are each repeated far more often
    than their pairs are)."""
    if not names:
        return pd.Series([[] for _ in range(len(heard))], index=heard.index, dtype=object)
    in_heard, in_body = text.full_names(heard, names), text.full_names(body, names)
    return pd.Series(
        [h + [n for n in b if n not in h] if b else h for h, b in zip(in_heard, in_body, strict=True)],
        index=heard.index,
        dtype=object,
    )


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

    by_heard = text.per_unique(heard, lambda values: [keys(text.whole_names_in(v, True)) for v in values], ())
    by_body = text.per_unique(body, lambda values: [keys(text.whole_names_in(v, False)) for v in values], ())
    return pd.Series(
        [tuple(dict.fromkeys((*h, *b))) for h, b in zip(by_heard, by_body, strict=True)],
        index=heard.index,
        dtype=object,
    )


def _brands(body: pd.Series, plain: pd.Series) -> pd.Series:
    """Signatures read from the digit-masked texts, and from the text itself where the masked
    signature shows a digit (brands may hold digits: 58同城, 360借条). Masking keeps every
    character's class and position, so elsewhere both readings agree."""
    brands = text.brand_signatures(plain)
    digits = brands.str.contains("0", regex=False).fillna(False).astype(bool)
    if digits.any():
        brands[digits] = text.brand_signatures(body[digits])
    return brands


def _mask_digits(texts: pd.Series) -> pd.Series:
    """Every digit as 0 (lengths kept, so a 6-digit code still reads as one), once per value."""
    return text.per_unique(texts, lambda strings: [s.translate(text.DIGIT_MASK) for s in strings], "")


def _said_keys(heard: pd.Series, body: pd.Series, locale: str) -> pd.Series:
    """Spoken keys of every name the caller used, in heard_name and in the text (per unique text)."""
    by_heard = _keys_per_unique(heard, lambda typed, names: _heard_names(typed, names, locale), locale)
    by_body = _keys_per_unique(
        body, lambda written, names: names + _greeted(written, locale), locale, bare_names=False
    )
    return pd.Series(
        [sorted({*h, *b}) if (h or b) else [] for h, b in zip(by_heard, by_body, strict=True)],
        index=heard.index,
        dtype=object,
    )


def _first_name_keys(heard: pd.Series, body: pd.Series, locale: str) -> tuple[pd.Series, pd.Series]:
    """Spoken keys of given names: those used alone, without a title ("Hi Carl", a heard_name of
    one word), and every given name said (also the "Zachary" of "Zachary Grant").

    Only a name used alone may be a canary's given name: "Mr. Mitchell" names a surname, whatever
    it sounds like, and "Zachary Grant" is someone else than "Zachary Reid". Every given name said
    feeds what the background says on a number. Chinese callers address by surname and title, so
    zh vaults have none.
    """
    if locale.startswith("zh"):
        by_body = text.per_unique(body, lambda written: [_zh_given(w) for w in written], ())
        by_heard = text.per_unique(heard, lambda typed: [_zh_heard_given(t) for t in typed], ())
        zh_alone = pd.Series(
            [tuple({*h, *b}) for h, b in zip(by_heard, by_body, strict=True)], index=heard.index, dtype=object
        )
        return zh_alone, zh_alone

    def typed(value: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
        if canaries.is_generic(value):  # "Sir", "Syr", "buddy": nobody's name
            return (), ()
        words = value.split()
        if not words or not all(w.isalpha() for w in words) or len(words) > 3:
            return (), ()
        key = _key(words[0], locale)
        return ((key,) if len(words) == 1 else ()), (key,)

    by_heard = text.per_unique(heard, lambda values: [typed(v) for v in values], ((), ()))
    by_body = text.per_unique(
        body, lambda written: [tuple(_key(n, locale) for n in _greeted(w, locale)) for w in written], ()
    )
    alone = [tuple(k for k in {*h[0], *b} if k) for h, b in zip(by_heard, by_body, strict=True)]
    said = [tuple(k for k in {*h[1], *b} if k) for h, b in zip(by_heard, by_body, strict=True)]
    return (
        pd.Series(alone, index=heard.index, dtype=object),
        pd.Series(said, index=heard.index, dtype=object),
    )


def _keys_per_unique(
    texts: pd.Series,
    names_of: Callable[[str, list[str]], list[str]],
    locale: str,
    *,
    bare_names: bool = True,
) -> pd.Series:
    """For each text, the keys of `names_of(text, addressed surnames)`, computed once per value."""

    def compute(strings: list[str]) -> list[tuple[str, ...]]:
        addressed = text.addressed_surnames(pd.Series(strings, dtype=object), bare_names=bare_names)
        return [
            tuple(k for k in dict.fromkeys(_key(n, locale) for n in names_of(s, list(found))) if k)
            if s
            else ()
            for s, found in zip(strings, addressed, strict=True)
        ]

    return text.per_unique(texts, compute, ())


def _heard_names(typed: str, addressed: list[str], locale: str) -> list[str]:
    """What the user typed as heard: a greeting, a bare surname, or pinyin (surname first)."""
    if canaries.is_generic(typed):
        return []
    found = list(addressed)
    alone = not locale.startswith("zh") and len(typed.split()) == 1  # "Ryan": a name used alone
    if not addressed and not alone:
        bare = canaries.heard_surname(typed)
        found += [bare] if bare else []
    if locale.startswith("zh") and typed.isascii():
        found += typed.split()[:1]  # typed pinyin is surname-first: "tang yumei"
    return found


_GREETING = re.compile(
    r"\b(?:Dear|Hi|Hello|Hey|Good (?:morning|afternoon|evening)),?\s+(?!(?:Mrs|Miss|Mister|Madam)\b)([A-Z][a-z]{2,})\b"
)
# A text that opens with a name and a comma ("Melissa, your order…"), as list-driven SMS do
_OPENER = re.compile(r"^\s*([A-Z][a-z]{2,}),")


# A Chinese greeting by given name alone, at the start of a text or after its 【brand】: "建国你好，",
# "尊敬的桂英，"
_ZH_GIVEN_GREETING = re.compile(r"^(?:\s*[【\[][^】\]]{1,24}[】\]])?\s*(?:尊敬的|亲爱的)?([\u4e00-\u9fff]{2})(?:你好|您好|[，,])")


def _zh_given(written: str) -> tuple[str, ...]:
    """Spoken key of a given name a Chinese text greets alone ("建国你好"), unless it is generic
    address (美女你好) or a surname with a title."""
    m = _ZH_GIVEN_GREETING.match(written)
    if not m or not set(m.group(1)) <= _given_characters() or canaries.is_generic(m.group(1)):
        return ()
    if text.addressed_surnames(pd.Series([m.group(0)])).iloc[0]:
        return ()
    key = canaries.spoken_key(m.group(1))
    return (key,) if key else ()


@lru_cache(maxsize=1)
def _given_characters() -> frozenset[str]:
    """Characters Chinese given names are made of (the generator's list): "恭喜，" and "您好，"
    open texts as a name would, but are no name."""
    from canaries.namebook import given_names

    return frozenset("".join(given_names("zh_CN").names))


def _zh_heard_given(typed: str) -> tuple[str, ...]:
    """A heard_name of two characters and no title may be a given name said alone ("淑华")."""
    stem = "".join(typed.split())
    if len(stem) != 2 or not set(stem) <= _given_characters() or canaries.is_generic(stem):
        return ()
    key = canaries.spoken_key(stem)
    return (key,) if key else ()


def _greeted(written: str, locale: str) -> list[str]:
    """English texts greet by first name ("Dear Loretta"): a canary's given name may match."""
    if locale.startswith("zh"):
        return []
    return [n for n in (*_GREETING.findall(written), *_OPENER.findall(written)) if not text.is_word(n)]


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
