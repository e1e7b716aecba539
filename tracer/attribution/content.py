"""What a text says and who signs it: topics, platform categories, brands, one-time codes,
callback numbers, template fingerprints.

Every function takes a Series of texts (None/NaN allowed) and works once per distinct text
(`phrases.per_unique`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from functools import cache, lru_cache

import pandas as pd
import phonenumbers

from tracer.attribution import addressed
from tracer.attribution.phrases import (
    BLOCK,
    PLURAL_END,
    PhraseMatcher,
    converter,
    lexicon,
    nfkc,
    per_unique,
    phrase_key,
    with_traditional,
)
from tracer.i18n import N_

CATEGORIES: tuple[str, ...] = (
    "stocks", "loans", "debt", "real-estate", "cars", "insurance", "education", "beauty",
    "shopping", "lifestyle", "video", "travel", "health", "jobs", "gambling", "telecom", "other",
)  # fmt: skip
# each category as a person reads it (translated where shown: `_(CATEGORY_LABELS[c])`)
CATEGORY_LABELS: dict[str, str] = {
    "stocks": N_("stocks"), "loans": N_("loans"), "debt": N_("debt collection"),
    "real-estate": N_("real estate"), "cars": N_("cars"), "insurance": N_("insurance"),
    "education": N_("education"), "beauty": N_("beauty"), "shopping": N_("shopping"),
    "lifestyle": N_("lifestyle services"), "video": N_("video"), "travel": N_("travel"),
    "health": N_("health"), "jobs": N_("jobs"), "gambling": N_("gambling"), "telecom": N_("telecom"),
    "other": N_("other"),
}  # fmt: skip
# --- topics and categories -------------------------------------------------------------------


@cache
def _topic_matcher() -> tuple[PhraseMatcher, dict[str, list[tuple[str, int]]]]:
    weights: dict[str, list[tuple[str, int]]] = {}
    for topic, languages in lexicon()["topics"].items():
        for words in languages.values():
            for word, weight in words.items():
                for variant in with_traditional([word]):
                    weights.setdefault(phrase_key(variant), []).append((topic, weight))
    return PhraseMatcher(weights, ascii_end=PLURAL_END), weights


def _topic_of(text: str) -> str | None:
    matcher, weights = _topic_matcher()
    scores: dict[str, int] = {}
    for key in matcher.occurrences(text):
        for topic, weight in weights[key]:
            if weight > 0:  # weight 0 only hides its words ("in order to")
                scores[topic] = scores.get(topic, 0) + weight
    if not scores:
        return None
    best = max(scores.values())
    leaders = [t for t, s in scores.items() if s == best]
    return leaders[0] if len(leaders) == 1 else None


def topics(texts: pd.Series) -> pd.Series:
    """The topic (one of CATEGORIES) with the highest keyword weight; None without keywords or on
    a tie."""
    return per_unique(texts, lambda strings: [_topic_of(s) for s in strings], None)


def _label_key(label: str) -> str:
    return " ".join(re.sub(r"[_\-/|,，、]+", " ", phrase_key(label)).split())


@cache
def _alias_table() -> tuple[dict[str, str], PhraseMatcher]:
    table = {_label_key(c): c for c in CATEGORIES}
    for category, aliases in lexicon()["category_aliases"].items():
        for alias in aliases:
            table[_label_key(alias)] = category
    return table, PhraseMatcher(table)


@lru_cache(maxsize=4096)
def canonical_category(label: str | None) -> str | None:
    """Map a user's free-text platform category ("炒股", "used cars", "网贷") to CATEGORIES."""
    if not isinstance(label, str):
        return None
    key = converter("t2s").convert(_label_key(label))
    if not key:
        return None
    table, matcher = _alias_table()
    if key in table:
        return table[key]
    found = matcher.keys_in(key)
    if found:
        return table[max(found, key=len)]
    return _topic_of(key)


# --- brands, one-time codes, callback numbers ------------------------------------------------

_BRAND = r"[【\[]\s*([^【】\[\]\n]{1,24}?)\s*[】\]]"
_UNSUBSCRIBE = r"(?:回?复?\s*t\s*退订|退订回?复?\s*t|拒收请回复?\s*r|reply\s+stop\b.*|txt\s+stop\b.*)"
_BRAND_START = re.compile(r"^\s*" + _BRAND)
_BRAND_END = re.compile(_BRAND + rf"[\s。.!！,，]*{_UNSUBSCRIBE}?[\s。.!！]*$", re.IGNORECASE)
_HAS_LETTER = re.compile(r"[^\W\d_]")


def _brand_of(text: str) -> str | None:
    text = nfkc(text)
    for pattern in (_BRAND_START, _BRAND_END):
        m = pattern.search(text)
        if m and _HAS_LETTER.search(m.group(1)):
            return m.group(1).strip().casefold()
    return None


def brand_signatures(texts: pd.Series) -> pd.Series:
    """The 【品牌】 or [Brand] signature at the start or end of an SMS, stripped and casefolded."""
    return per_unique(texts, lambda strings: [_brand_of(s) for s in strings], None)


_CODE_WORDS = (
    r"验证码|校验码|动态码|动态密码|确认码|短信码|激活码|授权码|安全码|登录码|"
    r"驗證碼|校驗碼|動態碼|動態密碼|確認碼|"
    r"verification\s+code|verify\s+code|one[-\s]?time\s+(?:pass(?:word|code)|code|pin)|"
    r"(?<![a-z])otp(?![a-z])|is\s+your\s+(?:\w+\s+){0,2}code|"
    r"your\s+(?!(?:promo|promotion|discount|coupon|gift|referral|invite|voucher)\b)(?:\w+\s+){0,2}"
    r"code\s+is|"
    r"security\s+code|log-?in\s+code|sign[-\s]?in\s+code|authentication\s+code|"
    r"confirmation\s+code|passcode|2fa|two[-\s]factor"
)
# a code stands alone: the last group of a written phone number ("800-555-1234") is none
_CODE = r"(?<![0-9])(?<![0-9][-.])[0-9]{4,8}(?![0-9])(?![-.][0-9])"
_VERIFICATION = re.compile(rf"(?is)(?:{_CODE_WORDS}).{{0,40}}?{_CODE}|{_CODE}.{{0,40}}?(?:{_CODE_WORDS})")


def is_verification(texts: pd.Series) -> pd.Series:
    """Whether each text is a one-time code message (a code word near a 4-8 digit code)."""

    def compute(strings: list[str]) -> Sequence[bool]:
        normal = pd.Series([nfkc(s) for s in strings], dtype=object)
        return normal.str.contains(_VERIFICATION, regex=True).astype(bool).tolist()

    return per_unique(texts, compute, False, dtype="bool")


# A run of digits (with the separators people write: spaces, dashes, dots, brackets) long
# enough to be a phone number, optionally with a leading + or 00: the only places worth parsing.
_NUMBER_RUN = re.compile(r"(?<![0-9A-Za-z+])(?:\+|00)?\(?\d[\d\s().\-]{5,18}\d(?![0-9A-Za-z])")


def _numbers_in(text: str, region: str) -> list[str]:
    """Valid phone numbers written in `text`, as E.164; each candidate run parsed once (cached)."""
    found = (_valid_number(run, region) for run in _NUMBER_RUN.findall(text))
    return list(dict.fromkeys(n for n in found if n)) or _NO_NUMBERS  # most write none: one shared list


@lru_cache(maxsize=1 << 18)
def _valid_number(run: str, region: str) -> str | None:
    try:
        parsed = phonenumbers.parse(run, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def callback_numbers(texts: pd.Series, region: str, masked: pd.Series | None = None) -> pd.Series:
    """E.164 numbers written in each text (valid for `region` or in international form).

    `masked` (optional): the same texts with every digit 1-9 written 0 (`phrases.DIGIT_MASK`).
    Whether a text may hold a number (seven digits or more, and a run of seven characters a
    number is written with) reads only characters' classes, which masking keeps: it is asked
    once per distinct masked text (a few thousand templates), and only the texts that may hold
    one are read for numbers; the others hold none (most texts with digits carry a code or an
    amount, not a number)."""
    if masked is None:
        masked = per_unique(texts, lambda strings: strings, None)  # each text is its own template
    maybe = per_unique(masked, lambda strings: [_may_hold_number(s) for s in strings], False, dtype="bool")
    # the texts chosen are read a block at a time (`per_unique`'s `block`): at 5M contacts their
    # strings, made all at once with a copy of the texts chosen, were the features' peak
    return per_unique(
        texts,
        lambda strings: [_numbers_in(s, region) for s in strings],
        _NO_NUMBERS,
        where=maybe.to_numpy(dtype=bool),
        block=BLOCK,
    )


# one shared, read-only empty list for the texts that write no number
_NO_NUMBERS: list[str] = []
_DIGIT_ANY = re.compile(r"\d")
# the seven characters `_NUMBER_RUN` needs at least, in a row (its digits and what separates them)
_RUN_OF_SEVEN = re.compile(r"[\d\s().\-]{7}")


def _may_hold_number(text: str) -> bool:
    """Seven digits or more, and a run of seven characters a written number is made of: a text
    without both holds no number `_numbers_in` would find."""
    return len(_DIGIT_ANY.findall(text)) >= 7 and _RUN_OF_SEVEN.search(text) is not None


# --- template fingerprints -------------------------------------------------------------------

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(
    r"(?i)(?:https?://|www\.)\S+|(?<![\w.@])[a-z0-9-]+(?:\.[a-z0-9-]+)*\."
    r"(?:com|cn|net|org|cc|me|top|vip|xyz|info|io|co|ly|ink|link|shop|club|site|online|app)"
    r"(?![a-z0-9])(?:/[\w\-./?=&%#~+]*)?"
)
_NUMBER = re.compile(r"(?<![a-z0-9])[a-z0-9]*\d[a-z0-9]*(?:[\s.,:/\-]+[a-z0-9]*\d[a-z0-9]*)*(?![a-z0-9])")
_NOT_WORD = re.compile(r"[\W_]+")
_MIN_TEMPLATE = 12


def _template_key(text: str) -> str | None:
    text = nfkc(text)
    spans = [(m.start(), m.end(), "U") for m in _URL.finditer(text)]
    spans += [(m.start(), m.end(), "E") for m in _EMAIL.finditer(text)]
    spans += [(start, end, "P") for start, end, _ in addressed.spans(text)]
    pieces, cursor = [], 0
    for start, end, mark in sorted(spans):
        if start >= cursor:
            pieces += [text[cursor:start].casefold(), mark]
            cursor = end
    pieces.append(text[cursor:].casefold())
    masked = _NOT_WORD.sub("", _NUMBER.sub("N", "".join(pieces)))
    if len(masked) < _MIN_TEMPLATE:
        return None
    return hashlib.blake2b(masked.encode("utf-8"), digest_size=8).hexdigest()


def template_keys(texts: pd.Series) -> pd.Series:
    """A 16-hex fingerprint shared by texts of one template (names, numbers, links masked);
    None for texts too short to tell templates apart."""
    return per_unique(texts, lambda strings: [_template_key(s) for s in strings], None)
