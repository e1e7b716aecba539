"""Names as callers say them: split a name into surname and given name, and key its sound.

A *spoken key* is what a caller's greeting keeps of a name. For Chinese it is toneless pinyin
(callers say "杨先生", and 杨/阳 sound alike); typed pinyin ("Yang", "Mr Yang") maps to the same
letters. For English it is the Metaphone code, so Smith and Smyth share a key.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import jellyfish
import opencc
from pypinyin import Style, lazy_pinyin

# Surnames read differently from the same character in ordinary words. pypinyin picks the most
# frequent word reading (曾经 ceng, 单独 dan, 解决 jie …), but as surnames these are read as below
# (《现代汉语词典》 7th ed. marks each as "姓"; see also GB/T 28039-2011 on writing Chinese names in
# pinyin). Compound entries keep a whole-name reading even when pypinyin splits the phrase.
SURNAME_READINGS: dict[str, str] = {
    "曾": "zeng",
    "单": "shan",
    "解": "xie",
    "区": "ou",
    "朴": "piao",
    "仇": "qiu",
    "查": "zha",
    "覃": "qin",
    "翟": "zhai",
    "缪": "miao",
    "乐": "yue",
    "盖": "ge",
    "阚": "kan",
    "都": "du",
    "薄": "bo",
    "种": "chong",
    "秘": "bi",
    "召": "shao",
    "繁": "po",
    "句": "gou",
    "员": "yun",
    "隗": "wei",
    "能": "nai",
    "郇": "xun",
    "尉迟": "yuchi",
    "万俟": "moqi",
    "长孙": "zhangsun",
    "乐正": "yuezheng",
    "澹台": "tantai",
}

# Two-character surnames (复姓) still in use; they widen the surname space beyond Faker's list.
COMPOUND_SURNAMES: tuple[str, ...] = (
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙",
    "宇文", "司徒", "夏侯", "令狐", "端木", "独孤", "南宫", "西门", "万俟", "轩辕",
    "呼延", "闻人", "澹台", "公冶", "宗政", "濮阳", "淳于", "太叔", "申屠", "赫连",
    "钟离", "百里", "东郭", "羊舌", "微生", "公羊", "梁丘", "左丘", "第五", "亓官",
    "司寇", "颛孙", "巫马", "公西", "漆雕", "乐正", "公良", "拓跋", "谷梁", "段干",
    "鲜于", "闾丘", "司空", "仲孙",
)  # fmt: skip

_COMPOUNDS = frozenset(COMPOUND_SURNAMES)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
_NOT_KEY = re.compile(r"[^a-z0-9]")
_NOT_LETTER = re.compile(r"[^a-z]+")
_PINYIN_U = re.compile(r"(?<=[lnLN])[üÜ]")
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_T2S = opencc.OpenCC("t2s")


def split_name(name: str) -> tuple[str, str]:
    """(surname, given): Chinese surname first, 复姓 aware; Latin "First Last" or "Last, First"."""
    text = name.strip()
    if _HAN.search(text):
        return _split_han("".join(text.split()))
    return _split_latin(text)


def surname_key(surname: str, *, locale: str | None = None) -> str:
    """Spoken key of a surname: "wang" for 王 and 汪; Metaphone ("sm0") when `locale` is English."""
    return spoken_key(surname, locale=locale)


@lru_cache(maxsize=1 << 17)
def spoken_key(text: str, *, locale: str | None = None) -> str:
    """Spoken key of short name text: Chinese characters, typed pinyin, or an English word.

    Without a locale (or with a zh one) the key is lowercase toneless pinyin letters, so
    spoken_key("楊") == spoken_key("Yang") == "yang". With an English locale it is the lowercase
    Metaphone code of the Latin spelling. Never raises; text with nothing speakable gives "".
    """
    latin = _latin_form(unicodedata.normalize("NFKC", text))
    if locale and not locale.startswith("zh"):
        return _NOT_KEY.sub("", jellyfish.metaphone(latin).lower())
    return _NOT_LETTER.sub("", latin)


def name_key(name: str, *, locale: str | None = None) -> str:
    """Surname key of a full name, e.g. for the real name or a stored canary's name."""
    return surname_key(split_name(name)[0], locale=locale)


@lru_cache(maxsize=1 << 14)
def simplify(text: str) -> str:
    """Traditional characters to simplified (楊 -> 杨); other text unchanged.

    OpenCC rewrites only the parts of a text its dictionaries list; a text none of whose pieces
    is listed (most names: 杨, 建国) comes back as it is, so it is returned without OpenCC's parse
    (its pure-Python tree was most of working out a canary's name forms). Cached: a name's
    first characters are looked up again for each name that starts with them."""
    if _unlisted(text):
        return text
    return str(_T2S.convert(text))


def _t2s_tables() -> list[tuple[int, int, dict[str, str]]] | None:
    """The (longest key, shortest key, table) of every dictionary `_T2S` converts with, or None
    when this OpenCC keeps them in another shape (then every text goes through OpenCC)."""
    try:
        chain = getattr(_T2S, "_dict_chain_data", None)
        tables = [table for group in chain for table in group]  # type: ignore[union-attr]
        if all(isinstance(t, tuple) and len(t) == 3 and isinstance(t[2], dict) for t in tables) and tables:
            return [(int(t[0]), int(t[1]), t[2]) for t in tables]
    except TypeError:
        pass
    return None


_T2S_TABLES = _t2s_tables()
_SHORT_TEXT = 16  # a name, a surname, a greeting: longer texts go through OpenCC as they are


def _unlisted(text: str) -> bool:
    """Is no piece of a short `text` a key of any of OpenCC's t2s dictionaries (so that
    converting it changes nothing)?"""
    if _T2S_TABLES is None or len(text) > _SHORT_TEXT:
        return False
    n = len(text)
    for longest, shortest, table in _T2S_TABLES:
        for size in range(max(shortest, 1), min(longest, n) + 1):
            for start in range(n - size + 1):
                if text[start : start + size] in table:
                    return False
    return True


def _split_han(text: str) -> tuple[str, str]:
    size = 2 if simplify(text[:2]) in _COMPOUNDS else 1
    return text[:size], text[size:]


def _split_latin(text: str) -> tuple[str, str]:
    if "," in text:
        last, _, first = text.partition(",")
        return last.strip(), first.strip()
    words = text.split()
    while len(words) > 2 and words[-1].lower().rstrip(".") in _SUFFIXES:
        words.pop()
    if not words:
        return "", ""
    return words[-1], " ".join(words[:-1])


def _latin_form(text: str) -> str:
    """Lowercase Latin spelling, words separated by spaces; Chinese becomes toneless pinyin."""
    simplified = simplify(text)
    found = _HAN.search(simplified)
    if not found:
        return _latin_letters(simplified)
    start = found.start()
    reading, rest = _leading_surname(simplified[start:])
    head = _latin_letters(simplified[:start])
    tail = lazy_pinyin(rest, style=Style.NORMAL, errors=_latin_letters)
    return " ".join(part for part in (head, reading, *tail) if part)


def _leading_surname(text: str) -> tuple[str, str]:
    """The surname reading of the table entry `text` starts with, and the text after it."""
    for size in (2, 1):
        reading = SURNAME_READINGS.get(text[:size])
        if reading:
            return reading, text[size:]
    return "", text


def _latin_letters(chunk: str) -> str:
    """Typed Latin as lowercase ASCII words: "Lü" -> "lv" (pinyin's ü), "Müller" -> "muller"."""
    text = _PINYIN_U.sub("v", chunk)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return " ".join(_NOT_LETTER.sub(" ", ascii_text.lower()).split())
