"""First-party traffic: the platform's own codes, marketing and mail are not a leak.

A contact is first-party when it carries a one-time code, when its 【brand】 signature or text
names a registered platform, or when its sender's mail domain spells the platform's name (or its
pinyin). Senders seen sending such messages are learned: their other messages are first-party too.

A platform's own message can only reach what it was given: one that names platform X but reached
a canary number or alias X never had is not first-party (the data given to another platform reached
X, or the signature merely resembles X). The user's primary number is exempt: the user's real
accounts know it. Nor does X's own system know the names the user gave other platforms: a
signature or mail sender that greets another platform's canary by its made-up name is not X's at
all, and none of its messages are X's own (a broker's 【慧择保网】 resembling platform 慧择保's,
greeting 小美美妆's canary 万丹丹 and, from the same list, 慧择保's 钱琳).
"""

from __future__ import annotations

import re
from functools import partial

import numpy as np
import pandas as pd
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz, process

from tracer.attribution import phrases
from tracer.i18n import N_

_SLUG = re.compile(r"[^a-z0-9]")


def detect(
    contacts: pd.DataFrame,
    feats: pd.DataFrame,
    platforms: list[str],
    given: pd.DataFrame | None = None,
    primary: str | None = None,
    names: pd.DataFrame | None = None,
    mention: pd.Series | None = None,
) -> pd.DataFrame:
    """Columns `first_party` (bool), `fp_platform` (name or None) and `fp_reason` per contact.

    `given` lists which platform was given which identifier (columns `to`, `platform`: the
    canaries' numbers and aliases); without it every identifier counts as given to everyone.
    `names` lists the canaries' names (columns `name`, `platform`, `real_name`): a signature or
    sender that greets another platform's made-up canary name is not the platform's own.
    `mention`: `mentions(contacts["text"], platforms)`, when the caller has read it already (and
    so `contacts` may hold no texts).
    """
    out = pd.DataFrame(index=contacts.index)
    brand_hit = phrases.per_unique(
        feats["brand"], lambda brands: _answers(brands, _match_brands(brands, platforms)), None
    )
    mention = mentions(contacts["text"], platforms) if mention is None else mention
    domain = _domains(contacts["from"], (contacts["channel"] == "email").to_numpy(dtype=bool), platforms)
    listed = _Greetings(names).senders_of_lists(contacts["from"], feats, brand_hit.fillna(mention).fillna(domain))
    brand_hit, mention, domain = (s.where(~listed) for s in (brand_hit, mention, domain))
    platform = brand_hit.fillna(mention).fillna(domain)
    owners = _Owners(given, primary)
    foreign = owners.not_given(contacts["to"], platform)
    platform = platform.where(~foreign)
    brand_hit, mention, domain = (s.where(~foreign) for s in (brand_hit, mention, domain))
    reason = pd.Series(None, index=contacts.index, dtype=object)
    reason[feats["verification"] & ~foreign] = N_("a one-time code: an account message, not a leak")
    reason[domain.notna()] = N_("sent from the platform's own mail domain")
    reason[mention.notna()] = N_("the text names the platform itself")
    reason[brand_hit.notna()] = N_("signed with the platform's own 【brand】")
    first = reason.notna()
    # learn senders: other contacts from a number or address seen sending first-party messages,
    # or quoted in one (the hotline in "【品牌】… 客服热线 400-…" is the platform's own line)
    sent = contacts.loc[first & contacts["from"].notna(), ["from"]].assign(p=platform[first])
    quoted = pd.DataFrame({"from": feats.loc[first, "callbacks"], "p": platform[first]})
    quoted = quoted.explode("from").dropna(subset=["from"])
    learned = pd.concat([sent, quoted]).drop_duplicates("from").set_index("from")["p"]
    # a sender of one-time codes is an account port even when its platform is unknown
    sender_of, known_sender = _senders(contacts["from"], learned)
    from_learned = known_sender & ~first & ~owners.not_given(contacts["to"], sender_of)
    platform = platform.where(~from_learned, sender_of)
    reason[from_learned] = N_("from a sender that sends the platform's own messages")
    out["first_party"] = reason.notna()
    out["fp_platform"] = platform.where(out["first_party"])
    out["fp_reason"] = reason
    return out


def _senders(senders: pd.Series, learned: pd.Series) -> tuple[pd.Series, pd.Series]:
    """`senders.map(learned)` and `senders.isin(learned.index)`, each worked out once per
    distinct sender (a few ten thousand over a million contacts) and spread back."""
    codes, uniques = pd.factorize(senders, use_na_sentinel=True)
    distinct = pd.Series(uniques, dtype=object)
    mapped = pd.concat([distinct, pd.Series([np.nan], dtype=object)], ignore_index=True).map(learned)
    known = np.append(distinct.isin(learned.index).to_numpy(dtype=bool), False)
    sender_of = pd.Series(mapped.to_numpy()[codes], index=senders.index, name=senders.name)
    return sender_of, pd.Series(known[codes], index=senders.index, name=senders.name)


class _Owners:
    """Which platform was given which canary number or alias (the primary number is exempt)."""

    def __init__(self, given: pd.DataFrame | None, primary: str | None) -> None:
        given = given if given is not None else pd.DataFrame({"to": [], "platform": []})
        self.identifiers = set(given["to"].dropna()) - {primary}
        self.pairs = set(zip(given["to"], given["platform"], strict=True))

    def not_given(self, to: pd.Series, platform: pd.Series) -> pd.Series:
        """Contacts naming a platform that was never given the canary identifier they reached."""
        rows = np.flatnonzero(platform.notna().to_numpy(dtype=bool))  # few contacts name one
        reached, named = to.to_numpy()[rows], platform.to_numpy()[rows]
        given = np.fromiter(map(self.identifiers.__contains__, reached), dtype=bool, count=len(rows))
        owned = [(t, p) in self.pairs for t, p in zip(reached[given], named[given], strict=True)]
        out = np.zeros(len(to), dtype=bool)
        out[rows[given]] = ~np.array(owned, dtype=bool)
        return pd.Series(out, index=to.index)


class _Greetings:
    """Which platforms' canaries carry each made-up name: a platform's own messages greet only its
    own (the user's real name, on every KYC canary, tells nothing)."""

    def __init__(self, names: pd.DataFrame | None) -> None:
        self.owners: dict[str, set[str]] = {}
        self.made_up: set[str] = set()
        if names is None:
            return
        for name, platform, real in zip(names["name"], names["platform"], names["real_name"], strict=True):
            if isinstance(name, str) and name:
                self.owners.setdefault(name, set()).add(platform)
                if not real:
                    self.made_up.add(name)

    def foreign(self, platform: pd.Series, full_names: pd.Series) -> pd.Series:
        """Per contact naming `platform`: it greets another platform's made-up canary name and
        none of that platform's own canaries' names."""
        flags = np.zeros(len(platform), dtype=bool)
        if self.made_up:
            names, named = full_names.to_numpy(), platform.to_numpy()
            for n in np.flatnonzero(platform.notna().to_numpy() & full_names.map(len).gt(0).to_numpy()).tolist():
                flags[n] = self._greets_another(list(names[n]), str(named[n]))
        return pd.Series(flags, index=platform.index)

    def _greets_another(self, said: list[str], platform: str) -> bool:
        mine = any(platform in self.owners.get(name, ()) for name in said)
        return not mine and any(name in self.made_up and platform not in self.owners[name] for name in said)

    def senders_of_lists(self, sender: pd.Series, feats: pd.DataFrame, platform: pd.Series) -> pd.Series:
        """Per contact: its signature or sender also greeted, in a message naming `platform`,
        another platform's canary: a list's sender, none of whose messages are that platform's."""
        foreign = self.foreign(platform, feats["full_names"])
        if not foreign.any():
            return foreign
        brands, froms = feats["brand"][foreign].dropna().unique(), sender[foreign].dropna().unique()
        return feats["brand"].isin(brands) | sender.isin(froms)


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


def mentions(texts: pd.Series, platforms: list[str]) -> pd.Series:
    """Per text: the first registered platform it names (case-insensitive), else None (what
    `detect` reads). Each distinct text is read once, a block of them at a time (`phrases.BLOCK`:
    at 5M contacts the distinct texts and a masked copy of each, all at once, were first-party's
    peak, ~500 MiB above what it started from)."""
    names = [p for p in platforms if len(p) >= 2]
    if not names:
        return pd.Series(None, index=texts.index, dtype=object)
    read = partial(_read_mentions, {p.casefold(): p for p in names}, phrases.matcher(names), {})
    return phrases.per_unique(texts, read, None, dtype=None, block=phrases.BLOCK)  # dtype inferred, as `map` infers it


def _read_mentions(
    by_fold: dict[str, str], matcher: phrases.PhraseMatcher, may: dict[str, bool], block: list[str]
) -> list[str | None]:
    """The platform each text of `block` names first (`phrases.tokens_in` with the masked texts: a
    text is read only where its masked form may hold a name, and each masked form is tried once
    over every block, in `may`, as `phrases.per_unique` tries each distinct one)."""
    first: list[str | None] = []
    for text in block:
        masked = phrases.mask_digits(text)
        maybe = may.get(masked)
        if maybe is None:
            maybe = may[masked] = matcher.may_find(masked)
        found = matcher.find(text) if maybe else None
        first.append(by_fold.get(found[0].casefold()) if found else None)
    return first


def _domains(senders: pd.Series, mail: np.ndarray, platforms: list[str]) -> pd.Series:
    """Per contact: the platform whose name its sender's mail domain spells (`_match_domains`),
    for mail (`mail`), else None; each distinct sender read once. Codes, not the senders of mail
    as a contact-long column (`where` made one of 5M objects at 5M contacts)."""
    return phrases.per_unique(senders, lambda read: _answers(read, _match_domains(read, platforms)), None, where=mail)


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
