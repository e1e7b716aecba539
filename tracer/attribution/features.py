"""Per-contact features: what each contact says, computed once per unique text."""

from __future__ import annotations

from datetime import date

import pandas as pd

import canaries
from tracer.attribution import text
from tracer.attribution.inputs import Inputs


def extract(inputs: Inputs) -> pd.DataFrame:
    """One row per contact: said surname keys, names/tokens found, topic, brand, callbacks…"""
    c = inputs.contacts
    body = c["text"].fillna("").astype(str)
    heard = c["heard_name"].fillna("").astype(str)
    both = (heard + "\n" + body).str.strip()
    names = _known_names(inputs)
    tokens = _known_tokens(inputs)
    out = pd.DataFrame(index=c.index)
    out["said_keys"] = _said_keys(heard, body, inputs.locale)
    out["full_names"] = text.full_names(both, names) if names else [[] for _ in range(len(c))]
    out["tokens"] = text.tokens_in(body, tokens) if tokens else [[] for _ in range(len(c))]
    out["topic"] = text.topics(body)
    out["brand"] = text.brand_signatures(body)
    out["verification"] = text.is_verification(body).astype(bool)
    out["callbacks"] = text.callback_numbers(body, inputs.region)
    out["template"] = text.template_keys(body)
    out["named"] = out["said_keys"].map(len).gt(0) | out["full_names"].map(len).gt(0)
    return out


def _said_keys(heard: pd.Series, body: pd.Series, locale: str) -> pd.Series:
    """Spoken surname keys of every name the caller used (heard_name and text)."""
    from_heard = text.addressed_surnames(heard)
    from_body = text.addressed_surnames(body, bare_names=False)
    keys = []
    for typed, h_names, b_names in zip(heard, from_heard, from_body, strict=True):
        found = list(h_names or []) + list(b_names or [])
        if typed and not h_names:
            bare = canaries.heard_surname(typed)
            found += [bare] if bare else []
        if typed and locale.startswith("zh") and typed.isascii():
            found += typed.split()[:1]  # typed pinyin is surname-first: "tang yumei"
        keys.append(sorted({k for k in (_key(s, locale) for s in found) if k}))
    return pd.Series(keys, index=heard.index, dtype=object)


_KEY_CACHE: dict[tuple[str, str], str] = {}


def _key(surname: str, locale: str) -> str:
    cached = _KEY_CACHE.get((surname, locale))
    if cached is None:
        cached = canaries.surname_key(surname, locale=locale)
        _KEY_CACHE[(surname, locale)] = cached
    return cached


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
    for markers in inputs.canaries["markers"]:
        tokens.update(form for m in markers for form in marker_forms(m) if len(form) >= 5)
    return sorted(tokens)


def marker_forms(value: str) -> set[str]:
    """How a marker may be written back: a birthday as 1987-03-14, 1987年3月14日, 3/14/1987…"""
    forms = {value}
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return forms
    y, m, d = day.year, day.month, day.day
    forms |= {
        f"{y}年{m}月{d}日",
        f"{y}年{m:02d}月{d:02d}日",
        f"{y}/{m}/{d}",
        f"{y}/{m:02d}/{d:02d}",
        f"{m}/{d}/{y}",
        f"{m:02d}/{d:02d}/{y}",
        f"{y}.{m:02d}.{d:02d}",
        f"{y}{m:02d}{d:02d}",
    }
    return forms
