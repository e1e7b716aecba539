"""Text features for attribution: topics, brands, codes, callback numbers, templates, names.

Every public function takes a Series of texts (None/NaN allowed) and works once per distinct
text, because spam repeats: a million contacts usually hold a few thousand distinct bodies.
Rows with equal text share one result object, so treat returned lists as read-only.
The keyword and name data live in `lexicon.json` next to this module.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import phonenumbers

import canaries

CATEGORIES: tuple[str, ...] = (
    "stocks", "loans", "debt", "real-estate", "cars", "insurance", "education", "beauty",
    "shopping", "lifestyle", "video", "travel", "health", "jobs", "gambling", "telecom", "other",
)  # fmt: skip

_LEXICON = Path(__file__).with_name("lexicon.json")
_CJK = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ASCII_END = "(?![a-z0-9])"
_PLURAL_END = "(?=(?:e?s)?(?![a-z0-9]))"


@cache
def _lexicon() -> dict[str, Any]:
    return json.loads(_LEXICON.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


@cache
def _converter(config: str) -> Any:
    from opencc import OpenCC  # pure Python and slow to set up: only when first needed

    return OpenCC(config)


def _with_traditional(words: Iterable[str]) -> list[str]:
    """`words` plus their Traditional spellings (for Hong Kong and Taiwan senders)."""
    s2t = _converter("s2t")
    out = list(words)
    out += [t for t in (s2t.convert(w) for w in out) if t not in out]
    return list(dict.fromkeys(out))


# --- running per distinct text ---------------------------------------------------------------


def per_unique(
    texts: pd.Series | Iterable[Any],
    compute: Callable[[list[str]], Sequence[Any]],
    missing: Any,
    dtype: str = "object",
) -> pd.Series:
    """Apply `compute` to the distinct strings of `texts` and spread the results back; anything
    that is not a string gets `missing`. Spam repeats itself: this is the loop every text feature
    runs through."""
    series = texts if isinstance(texts, pd.Series) else pd.Series(list(texts), dtype=object)
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    strings = [(i, u) for i, u in enumerate(uniques) if isinstance(u, str)]
    values = np.empty(len(uniques) + 1, dtype=object)
    values.fill(missing)  # the last slot answers code -1 (missing)
    for (i, _), value in zip(strings, compute([s for _, s in strings]), strict=True):
        values[i] = value
    return pd.Series(values[codes], index=series.index, name=series.name, dtype=dtype)


# Every digit 1-9 written 0: spam repeats templates whose digits vary (amounts, codes, links), and a
# masked text keeps every character's class and position (a 6-digit code still reads as one).
DIGIT_MASK = str.maketrans("123456789", "000000000")


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


# --- phrase matching: one trie-shaped regex for thousands of phrases -------------------------


def _phrase_key(phrase: str) -> str:
    return " ".join(_nfkc(phrase).lower().split())


def _trie_patterns(keys: Iterable[str], ascii_end: str = _ASCII_END) -> list[str]:
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


class _PhraseMatcher:
    """Finds listed phrases in text: case-insensitive, any whitespace run between words."""

    def __init__(self, phrases: Iterable[str], ascii_end: str = _ASCII_END) -> None:
        self.originals: dict[str, list[str]] = {}
        for phrase in phrases:
            key = _phrase_key(phrase) if isinstance(phrase, str) else ""
            if key and phrase not in self.originals.get(key, []):
                self.originals.setdefault(key, []).append(phrase)
        self._regexes = [re.compile(p) for p in _trie_patterns(self.originals, ascii_end)]

    def occurrences(self, text: str) -> list[str]:
        """Matched phrase keys, once per occurrence, in text order."""
        text = _nfkc(text).lower()
        found = sorted((m.start(), m.group()) for rx in self._regexes for m in rx.finditer(text))
        keys = (" ".join(match.split()) for _, match in found)
        return [k for k in keys if k in self.originals]

    def keys_in(self, text: str) -> list[str]:
        """Matched phrase keys in order of first appearance."""
        return list(dict.fromkeys(self.occurrences(text)))

    def find(self, text: str) -> list[str]:
        return [orig for key in self.keys_in(text) for orig in self.originals[key]]


@lru_cache(maxsize=8)
def _matcher(phrases: tuple[str, ...]) -> _PhraseMatcher:
    return _PhraseMatcher(phrases)


def full_names(texts: pd.Series, names: Sequence[str]) -> pd.Series:
    """The names from `names` that occur in each text (longest name wins where two overlap)."""
    matcher = _matcher(tuple(names))
    return per_unique(texts, lambda strings: [matcher.find(s) for s in strings], [])


def tokens_in(texts: pd.Series, tokens: Sequence[str]) -> pd.Series:
    """The tokens (alias local parts, markers) that occur in each text, case-insensitive."""
    return full_names(texts, tokens)


# --- topics and categories -------------------------------------------------------------------


@cache
def _topic_matcher() -> tuple[_PhraseMatcher, dict[str, list[tuple[str, int]]]]:
    weights: dict[str, list[tuple[str, int]]] = {}
    for topic, languages in _lexicon()["topics"].items():
        for words in languages.values():
            for word, weight in words.items():
                for variant in _with_traditional([word]):
                    weights.setdefault(_phrase_key(variant), []).append((topic, weight))
    return _PhraseMatcher(weights, ascii_end=_PLURAL_END), weights


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
    return " ".join(re.sub(r"[_\-/|,，、]+", " ", _phrase_key(label)).split())


@cache
def _alias_table() -> tuple[dict[str, str], _PhraseMatcher]:
    table = {_label_key(c): c for c in CATEGORIES}
    for category, aliases in _lexicon()["category_aliases"].items():
        for alias in aliases:
            table[_label_key(alias)] = category
    return table, _PhraseMatcher(table)


@lru_cache(maxsize=4096)
def canonical_category(label: str | None) -> str | None:
    """Map a user's free-text platform category ("炒股", "used cars", "网贷") to CATEGORIES."""
    if not isinstance(label, str):
        return None
    key = _converter("t2s").convert(_label_key(label))
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
    text = _nfkc(text)
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
        normal = pd.Series([_nfkc(s) for s in strings], dtype=object)
        return normal.str.contains(_VERIFICATION, regex=True).astype(bool).tolist()

    return per_unique(texts, compute, False, dtype="bool")


# A run of digits (with the separators people write: spaces, dashes, dots, brackets) long
# enough to be a phone number, optionally with a leading + or 00: the only places worth parsing.
_NUMBER_RUN = re.compile(r"(?<![0-9A-Za-z+])(?:\+|00)?\(?\d[\d\s().\-]{5,18}\d(?![0-9A-Za-z])")


def _numbers_in(text: str, region: str) -> list[str]:
    """Valid phone numbers written in `text`, as E.164; each candidate run parsed once (cached)."""
    found = (_valid_number(run, region) for run in _NUMBER_RUN.findall(text))
    return list(dict.fromkeys(n for n in found if n))


@lru_cache(maxsize=1 << 18)
def _valid_number(run: str, region: str) -> str | None:
    try:
        parsed = phonenumbers.parse(run, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def callback_numbers(texts: pd.Series, region: str) -> pd.Series:
    """E.164 numbers written in each text (valid for `region` or in international form)."""

    def compute(strings: list[str]) -> list[list[str]]:
        digits = pd.Series(strings, dtype=object).str.count(r"\d").tolist()
        return [_numbers_in(s, region) if d >= 7 else [] for s, d in zip(strings, digits, strict=True)]

    return per_unique(texts, compute, [])


# --- addressed names -------------------------------------------------------------------------


# English titles before a name, longest first ("mrs" before "mr"); "sir" alone is generic address
_EN_TITLE_WORDS = "|".join(sorted(canaries.address.EN_TITLES - {"sir"}, key=len, reverse=True))


class _Names:
    """Surname tables and the patterns that find the person a text addresses."""

    TITLES = canaries.address.ZH_TITLES
    NOT_GIVEN = set("的是您你我他她请和与及给位个了在为向对跟叫找问各们吗呢吧啊呀哦嗯好不没有就都也还")
    # Long forms may follow the surname directly ("yangxiansheng"); the short ones only after a
    # space, or English words would match ("change" = chan + ge, "huge" = hu + ge).
    PINYIN_TITLES = (
        "(?:" + "|".join(canaries.address.PINYIN_TITLES) + r")|\s(?:" + "|".join(canaries.address.PINYIN_SHORT_TITLES) + ")"
    )

    def __init__(self, data: dict[str, Any]) -> None:
        s2t = _converter("s2t")
        self.rank: dict[str, int] = {}
        for i, ch in enumerate([*data["surnames"], *_generator_surnames()]):
            self.rank.setdefault(ch, i)
            self.rank.setdefault(s2t.convert(ch), i)
        self.compounds = set(_with_traditional([*data["compound_surnames"], *_generator_compounds()]))
        # lists cut a compound surname to its first character (独先生 for 独孤明): a rare surname
        for compound in sorted(self.compounds):
            self.rank.setdefault(compound[0], len(self.rank))
        self.pinyin = set(data["surname_pinyin"])
        self.not_names = set(data["not_names"])
        self.not_surname_words = set(_with_traditional(data["not_surname_words"]))  # 语文老师
        titles = sorted(_with_traditional(self.TITLES), key=len, reverse=True)
        alternation = "|".join(
            "总(?![共计额数结体部裁监统量价金署站局之])" if t == "总" else t for t in titles
        )
        self.cjk_title = re.compile(f"(?:{alternation})")
        surname = "|".join(_trie_patterns(self.pinyin, ascii_end=""))
        self.pinyin_title = re.compile(rf"(?<![a-z])(?P<s>{surname})\s*(?:{self.PINYIN_TITLES})(?![a-z])")
        word, capital = r"[A-Za-z][A-Za-z'’-]*", r"[A-Z][A-Za-z'’-]*"
        # The name sits in a lookahead so that "Mr. and Mrs. Smith" still finds "Mrs. Smith".
        self.en_title = re.compile(
            rf"(?<![A-Za-z])(?P<t>(?i:{_EN_TITLE_WORDS}))\.?\s+"
            rf"(?=(?P<n>{word}(?:[ \t]+{capital}){{0,2}}))"
        )
        # "Dear John Smith", "Hi S. Warner": an initial may open the name
        self.dear = re.compile(
            rf"(?<![A-Za-z])(?i:dear|hi|hello)\s+(?=(?P<n>(?:[A-Z]\.[ \t]*)?{capital}(?:[ \t]+{capital}){{0,2}}))"
        )
        # a text opening with a whole name and a comma: "L. Holloway, …", "Maria Lopez, your …"
        self.opener = re.compile(
            rf"^\s*(?=(?P<n>(?:[A-Z]\.[ \t]*)?{capital}(?:[ \t]+{capital}){{0,1}}),)"
        )
        self.bare_latin = re.compile(rf"^\s*(?P<n>{word}(?:\s+{word}){{0,2}})\s*$")
        self.bare_cjk = re.compile(f"^[{_CJK}]{{1,4}}$")
        # callers introduce themselves by name too ("This is Ms. Harper", "我是平安的王经理"):
        # a name right after such words is the caller's own, not the person addressed
        self.self_intro = re.compile(
            r"(?:(?<![A-Za-z])(?i:this\s+is|my\s+name\s+is|i\s+am|i'm|i’m|it's|it’s|it\s+is)\s*"
            r"|(?:我是|我姓|我叫|本人是|这里是|这边是)[^，,。.!！?？;；:：\s]{0,12})$"
        )
        self.ideograph = re.compile(f"[{_CJK}]")
        # a familiar form greeted without a title: "小岑您好", "老王，"
        prefixes = "".join(sorted(canaries.address.ZH_PREFIXES))
        self.familiar = re.compile(f"(?:(?<![{_CJK}])|(?<=的))([{prefixes}])([{_CJK}])(?=您好|你好|[，,：:！!])")

    def _cjk_candidate(self, text: str, end: int) -> tuple[int, str] | None:
        """The most likely surname before position `end`: (start, surname) or None."""
        best: tuple[float, int, str] | None = None
        for given in range(3):
            stop = end - given
            if given and (stop < 1 or text[stop] in self.NOT_GIVEN or not self.ideograph.match(text[stop])):
                break
            prior = (1.0, 0.25, 0.3)[given]
            options = []
            if stop >= 2 and text[stop - 2 : stop] in self.compounds:
                options.append((0.1 * prior, stop - 2, text[stop - 2 : stop]))
            if (
                stop >= 1
                and text[stop - 1] in self.rank
                and text[max(stop - 2, 0) : stop] not in self.not_surname_words
            ):
                options.append((prior / (self.rank[text[stop - 1]] + 10), stop - 1, text[stop - 1]))
            for option in options:
                if best is None or option[0] > best[0]:
                    best = option
        return None if best is None else (best[1], best[2])

    def _latin_surname(self, words: list[str], title: bool) -> str | None:
        while words and words[-1].lower() in self.not_names:
            words = words[:-1]
        if not words or any(w.lower() in self.not_names for w in words):
            return None
        if all(w.lower() in self.pinyin for w in words):
            return words[0]  # Chinese order: "Wang Wei", "Mr. Li Na"
        if len(words) == 1 and not title:
            return None
        return words[-1]

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, surname) for each addressed person, the title included in the span."""
        out: list[tuple[int, int, str]] = []
        for m in self.cjk_title.finditer(text):
            end = m.start()
            while end > 0 and text[end - 1] in " \t":
                end -= 1
            found = self._cjk_candidate(text, end)
            if found:
                out.append((found[0], m.end(), found[1]))
        for m in self.familiar.finditer(text):
            if m.group(2) in self.rank and m.group(2) not in self.NOT_GIVEN:
                out.append((m.start(), m.end(), m.group(2)))
        for m in self.pinyin_title.finditer(text.lower()):
            out.append((m.start(), m.end(), m.group("s")))
        for m in self.en_title.finditer(text):
            lowercase_ok = m.group("t").lower() in {"mr", "mrs", "mister"}  # "5 ms", "we miss you"
            name = self._latin_surname(m.group("n").split(), title=True)
            if name and (lowercase_ok or m.group("n")[0].isupper()):
                out.append((m.start(), m.end("n"), name))
        for m in (*self.dear.finditer(text), *self.opener.finditer(text)):
            name = self._latin_surname(m.group("n").split(), title=False)
            if name:
                out.append((m.start("n"), m.end("n"), name))
        return sorted(
            span
            for span in out
            if not self.self_intro.search(text, 0, span[0]) and not canaries.is_generic(text[span[0] : span[1]])
        )

    def bare(self, text: str) -> str | None:
        """The surname of a text that is only a name, as typed into heard_name."""
        if canaries.is_generic(text):  # 帅哥, "da jie": generic address, typed any way
            return None
        compact = "".join(text.split())
        if self.bare_cjk.match(compact):
            if any(ch in self.NOT_GIVEN for ch in compact):  # "方便吗" is a question, not a name
                return None
            surname = canaries.read(compact).surname  # 老关 -> 关, 帅哥 -> none
            return surname if surname in self.rank or surname in self.compounds else None
        m = self.bare_latin.match(text)
        if not m:
            return None
        words = m.group("n").split()
        if len(words) == 1:
            word = words[0]
            if word.lower() in self.pinyin:
                return word.lower()
            # one English word alone ("Ryan") may be a first name as well as a surname: it is read
            # as a name used alone (features.first_name_keys), never as a surname with a title
            return None
        return self._latin_surname(words, title=False)


def is_word(word: str) -> bool:
    """Is `word` an ordinary word rather than a name ("Congratulations", "Dear", "Customer")?"""
    lowered = word.lower()
    return lowered in _names().not_names or lowered in _OPENERS or canaries.is_generic(word)


# Words that open texts followed by a comma the way a name would ("Congratulations, you won")
_OPENERS = frozenset(
    {
        "congratulations", "attention", "reminder", "warning", "alert", "notice", "important",
        "urgent", "hello", "greetings", "thanks", "sorry", "please", "update", "final", "good",
        "great", "welcome", "again", "today", "tomorrow", "yes", "okay", "well", "listen", "pardon",
    }
)  # fmt: skip


def _generator_compounds() -> list[str]:
    """Every compound surname (复姓) the canary generator may issue."""
    from canaries import COMPOUND_SURNAMES

    return list(COMPOUND_SURNAMES)


def _generator_surnames() -> list[str]:
    """Every single-character surname the canary generator may issue (Faker's zh_CN list)."""
    from canaries.namebook import surname_groups

    return [
        s
        for group in surname_groups("zh_CN")
        for s in group.surnames
        if len(s) == 1 and s not in _Names.NOT_GIVEN  # 位, 和… are surnames but mostly words
    ]


@cache
def _names() -> _Names:
    return _Names(_lexicon()["names"])


def _surnames_of(text: str, bare_names: bool) -> list[str]:
    names = _names()
    text = _nfkc(text)
    found = [surname for _, _, surname in names.spans(text)]
    if not found and bare_names:
        surname = names.bare(text)
        found = [surname] if surname else []
    return list(dict.fromkeys(found))


def whole_names_in(text: str, bare_names: bool) -> list[tuple[str, str]]:
    """(surname, given) of each whole name one text addresses ("王峰先生", "Dear Mark Jacobson");
    with `bare_names` also a text that is only a name ("王峰", "Smith John")."""
    names = _names()
    text = _nfkc(text)
    found = [canaries.read(text[start:end]) for start, end, _ in names.spans(text)]
    if not found and bare_names and names.bare(text):
        found = [canaries.read(text)]
    return list(dict.fromkeys((h.surname, h.given) for h in found if h.surname and h.given))


def addressed_surnames(texts: pd.Series, *, bare_names: bool = True) -> pd.Series:
    """Surnames each text addresses: 王先生, 欧阳女士, "yang xs", "Mr. Smith", "Dear John Smith".

    With `bare_names` a text that is only a name ("欧阳建国", "John Smith", "yang"), as users type
    into heard_name, gives its surname; turn it off for message bodies.
    Chinese surnames come back as written, pinyin in lower case, English as written.
    """
    return per_unique(texts, lambda strings: [_surnames_of(s, bare_names) for s in strings], [])


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
    text = _nfkc(text)
    spans = [(m.start(), m.end(), "U") for m in _URL.finditer(text)]
    spans += [(m.start(), m.end(), "E") for m in _EMAIL.finditer(text)]
    spans += [(start, end, "P") for start, end, _ in _names().spans(text)]
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
