"""First-party traffic: the platform's own codes, marketing and mail are not a leak.

A contact is first-party when it carries a one-time code, when its 【brand】 signature or text
names a registered platform, or when its sender's mail domain spells the platform's name (or its
pinyin). Senders seen sending such messages are learned: their other messages are first-party too.
"""

from __future__ import annotations

import re

import pandas as pd
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

from tracer.attribution import text

_SLUG = re.compile(r"[^a-z0-9]")


def detect(contacts: pd.DataFrame, feats: pd.DataFrame, platforms: list[str]) -> pd.DataFrame:
    """Columns `first_party` (bool), `fp_platform` (name or None) and `fp_reason` per contact."""
    out = pd.DataFrame(index=contacts.index)
    brand_hit = text.per_unique(
        feats["brand"], lambda brands: _answers(brands, _match_brands(brands, platforms)), None
    )
    mention = _mentions(contacts["text"], platforms)
    senders = contacts["from"].where(contacts["channel"] == "email")
    domain = text.per_unique(senders, lambda found: _answers(found, _match_domains(found, platforms)), None)
    platform = brand_hit.fillna(mention).fillna(domain)
    reason = pd.Series(None, index=contacts.index, dtype=object)
    reason[feats["verification"]] = "a one-time code: an account message, not a leak"
    reason[domain.notna()] = "sent from the platform's own mail domain"
    reason[mention.notna()] = "the text names the platform itself"
    reason[brand_hit.notna()] = "signed with the platform's own 【brand】"
    first = reason.notna()
    # learn senders: other contacts from a number or address seen sending first-party messages,
    # or quoted in one (the hotline in "【品牌】… 客服热线 400-…" is the platform's own line)
    sent = contacts.loc[first & contacts["from"].notna(), ["from"]].assign(p=platform[first])
    quoted = pd.DataFrame({"from": feats.loc[first, "callbacks"], "p": platform[first]})
    quoted = quoted.explode("from").dropna(subset=["from"])
    learned = pd.concat([sent, quoted]).drop_duplicates("from").set_index("from")["p"]
    from_learned = contacts["from"].isin(learned.index) & ~first
    platform = platform.where(~from_learned, contacts["from"].map(learned))
    reason[from_learned] = "from a sender that sends the platform's own messages"
    out["first_party"] = reason.notna()
    out["fp_platform"] = platform.where(out["first_party"])
    out["fp_reason"] = reason
    return out


def _answers(keys: list[str], found: dict[str, str]) -> list[str | None]:
    return [found.get(key) for key in keys]


def _match_brands(brands: list[str], platforms: list[str]) -> dict[str, str]:
    names = [p.casefold() for p in platforms]
    found = {}
    for brand in brands:
        best = process.extractOne(brand, names, scorer=fuzz.ratio, score_cutoff=90)
        if best is not None:
            found[brand] = platforms[best[2]]
        else:
            inside = next(
                (p for p, n in zip(platforms, names, strict=True) if len(n) >= 2 and n in brand), None
            )
            if inside:
                found[brand] = inside
    return found


def _mentions(texts: pd.Series, platforms: list[str]) -> pd.Series:
    """The first registered platform each text names (case-insensitive), else None."""
    names = [p for p in platforms if len(p) >= 2]
    if not names:
        return pd.Series(None, index=texts.index, dtype=object)
    by_fold = {p.casefold(): p for p in names}
    hits = text.tokens_in(texts, names)
    return hits.map(lambda found: by_fold.get(found[0].casefold()) if found else None)


def _match_domains(senders: list[str], platforms: list[str]) -> dict[str, str]:
    slugs = {slug: p for p in platforms for slug in _slugs(p)}
    if not slugs:
        return {}
    pattern = re.compile("|".join(re.escape(s) for s in sorted(slugs, key=len, reverse=True)))
    found = {}
    for sender in senders:
        if "@" in sender and (hit := pattern.search(_SLUG.sub("", sender.rsplit("@", 1)[1].casefold()))):
            found[sender] = slugs[hit.group(0)]
    return found


def _slugs(platform: str) -> set[str]:
    ascii_slug = _SLUG.sub("", platform.casefold())
    pinyin_slug = _SLUG.sub("", "".join(lazy_pinyin(platform)).casefold())
    return {s for s in (ascii_slug, pinyin_slug) if len(s) >= 4}
