"""What a caller calls the user, and what the user then types into the call log.

Chinese callers say surname + title ("杨先生") far more often than the full name; English-speaking
live callers use "Mr. Smith" or the first name; robocalls say no name at all; many say only
generic address (帅哥, 美女, "Sir"). Lists and scripts mangle names the ways `canaries.address`
describes: a compound surname cut to its first character (羊先生 for 羊舌峰), 小王/老李, the title's
gender swapped, "Mr. Yang", a given name alone (建国你好), an input-method typo of the whole name
(杨舌峰), the surname with the address of everyday life or a profession (王哥, 王老师, 王师傅,
王阿姨); in English nicknames (Bob), initials ("J. Smith"), "Smith John", a surname said as a
first name, a title before the given name ("Mr. John"). The user writes down what they heard,
by ear: homophones (汪 for 王), pinyin ("yang xiansheng"), a phone set to traditional characters
(楊先生) and typos.

Each variant reuses a draw its parent form already makes (a sub-range of the same roll), so that
adding one leaves every other draw of a seeded world where it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from random import Random
from typing import Any

from canaries import split_name, spoken_key
from canaries.address import nicknames

# Surnames and the characters a listener types for them (same toneless pinyin, so they are
# what a pinyin keyboard offers first).
ZH_HOMOPHONES: dict[str, str] = {
    "杨": "阳扬羊洋", "王": "汪望", "张": "章彰", "李": "理里礼黎", "刘": "柳留流",
    "陈": "晨沉辰", "周": "舟州洲", "吴": "武伍", "徐": "许", "孙": "荪", "胡": "湖虎",
    "朱": "珠诸", "林": "琳霖", "何": "和河贺", "郭": "国", "马": "玛", "罗": "萝",
    "梁": "良凉", "宋": "送", "郑": "正政", "韩": "寒", "唐": "汤堂", "冯": "峰",
    "于": "余鱼", "董": "冬", "萧": "肖", "肖": "萧", "程": "成城", "曹": "草", "袁": "元原",
    "邓": "登", "许": "徐", "傅": "付富", "付": "傅", "沈": "审", "彭": "鹏", "吕": "旅",
    "苏": "素", "卢": "鲁路", "蒋": "江姜", "蔡": "菜", "贾": "甲", "丁": "定", "魏": "卫",
    "薛": "学", "叶": "业", "阎": "严颜", "余": "于鱼", "潘": "盘", "杜": "度", "戴": "代",
    "夏": "下", "钟": "忠中", "汪": "王", "田": "甜", "任": "人", "姜": "江蒋", "范": "饭",
    "方": "芳", "石": "时史", "姚": "尧", "谭": "谈", "廖": "料", "邹": "走", "熊": "雄",
    "金": "今晋", "陆": "路卢", "郝": "好", "孔": "空", "白": "百", "崔": "翠", "康": "抗",
    "毛": "茅", "邱": "秋丘", "秦": "琴勤", "江": "姜蒋", "史": "石", "顾": "谷", "侯": "候",
    "邵": "少", "孟": "梦", "龙": "隆", "万": "晚", "段": "断", "雷": "蕾", "钱": "前",
    "汤": "唐", "尹": "印", "黎": "李", "易": "伊", "常": "尝", "武": "吴", "乔": "桥",
    "贺": "何", "赖": "来", "龚": "宫", "文": "温", "黄": "皇", "高": "郜", "赵": "照",
    "羊": "杨阳洋", "淳": "纯", "欧": "鸥", "司": "思", "上": "尚", "东": "冬", "公": "工", "慕": "木",
}  # fmt: skip
# Generic address by the target's gender: what sales floors and scripts say to anyone.
ZH_GENERIC = {"male": ("帅哥", "靓仔", "老板", "大哥", "亲"), "female": ("美女", "小姐姐", "大姐", "亲", "老板")}
EN_GENERIC = {"male": ("Sir", "buddy", "Dear customer"), "female": ("Madam", "Dear customer", "Ma'am")}
# How often each mangling happens when a name is said (assumptions; see the module docstring).
_CUT = 0.4  # a compound surname cut to its first character by a CRM or SMS system
_FAMILIAR = 0.08  # 小王 / 老李
_SWAPPED = 0.08  # the title's gender wrong (the list does not say)
_ROMANISED = 0.04  # "Mr. Yang" from a bank's or an English-speaking caller's list
_IME = 0.05  # the whole name typed through a pinyin input method, first character replaced
_NICK = 0.25  # an English caller using a nickname of the given name
_INITIAL = 0.1  # "J. Smith"
_REVERSED = 0.05  # "Smith John"
_SURNAME_AS_FIRST = 0.05  # "Hi Smith,"; of it, below _TITLED_GIVEN, "Mr. John": a script fills
_TITLED_GIVEN = 0.02  # its title slot from the list's first-name field (offshore call centres)
_ZH_TITLE_PINYIN = {"先生": "xiansheng", "女士": "nvshi", "小姐": "xiaojie", "总": "zong"}
_AH = 0.25  # of the familiar forms, 阿陈 (southern) rather than 小陈 / 老陈
_TRADITIONAL = 0.05  # of names written as heard, typed on a phone set to traditional characters
# the title roll's first 0.08 (a boss, "总") is shared with the address of everyday life and the
# professions: 王哥 / 王姐 below 0.02, 王老师 below 0.035, 王师傅 / 王阿姨 below 0.045
_ZH_EVERYDAY = ((0.02, {"male": "哥", "female": "姐"}), (0.035, {"male": "老师", "female": "老师"}),
                (0.045, {"male": "师傅", "female": "阿姨"}))  # fmt: skip
_EN_SOUNDS = (
    ("ph", "f"), ("ck", "k"), ("th", "t"), ("ie", "y"), ("ey", "y"), ("son", "sen"),
    ("ll", "l"), ("nn", "n"), ("tt", "t"), ("i", "y"), ("y", "i"), ("c", "k"), ("ee", "ea"),
)  # fmt: skip


@dataclass(frozen=True)
class Said:
    """What the caller said and which part of the name it carries ("" when no name)."""

    text: str
    part: str  # "surname" | "cut" | "full" | "given" | "nick" | "" (generic address or nothing)
    key: str = ""  # the spoken key of a nickname said ("nick" only)


NOTHING = Said("", "")


def say(rng: Random, locale: str, name: str, gender: str, style: str, mangle: float = 1.0) -> Said:
    """The greeting for `name` in `style` ("title", "full", "given", "generic", "none"); `mangle`
    scales every mangling rate (`Shape.mangle`)."""
    if style == "none" or not name:
        return NOTHING
    zh = locale.startswith("zh")
    if style == "generic":
        return Said(rng.choice((ZH_GENERIC if zh else EN_GENERIC)[_gender(gender)]), "")
    surname, given = split_name(name)
    if zh:
        return _say_zh(rng, surname, given, gender, style, mangle)
    return _say_en(rng, surname, given, gender, style, mangle)


def _scaled(rate: float, mangle: float) -> float:
    """`rate` as `Shape.mangle` changes it (unchanged at 1.0, so default worlds draw alike)."""
    return rate if mangle == 1.0 else min(1.0, rate * mangle)


def _say_en(rng: Random, surname: str, given: str, gender: str, style: str, mangle: float = 1.0) -> Said:
    first = given.split()[0] if given else ""
    if style == "title":
        roll = rng.random()
        if roll < _scaled(_TITLED_GIVEN, mangle) and first:
            return Said(f"{'Ms.' if gender == 'female' else 'Mr.'} {first}", "given")
        if roll < _scaled(_SURNAME_AS_FIRST, mangle):
            return Said(surname, "surname")
        return Said(f"{_en_title(rng, gender)} {surname}", "surname")
    if style == "given" and first:
        nicks = [n for n in nicknames(first) if len(n) > 2]
        if nicks and rng.random() < _scaled(_NICK, mangle):
            nick = rng.choice(nicks).capitalize()
            return Said(nick, "nick", spoken_key(nick, locale="en_US"))
        return Said(first, "given")
    if style == "given" or not first:
        return Said(surname, "surname")
    roll = rng.random()
    if roll < _scaled(_INITIAL, mangle):
        return Said(f"{first[0]}. {surname}", "surname")
    if roll < _scaled(_INITIAL, mangle) + _scaled(_REVERSED, mangle):
        return Said(f"{surname} {given}", "full")
    return Said(f"{given} {surname}", "full")


def _gender(gender: str) -> str:
    return "female" if gender == "female" else "male"


def style(rng: Random, locale: str, *, live: bool) -> str:
    """How a caller addresses the target: title often, full name sometimes, nothing ~40%.

    Robocalls (recordings) never say a name.
    """
    if not live:
        return "none"
    roll = rng.random()
    if locale.startswith("zh"):
        if roll < 0.6:
            return "title" if roll < 0.36 else "generic" if roll < 0.45 else "given" if roll < 0.48 else "full"
        return "none"
    if roll < 0.6:
        return "title" if roll < 0.22 else "generic" if roll < 0.28 else "given" if roll < 0.45 else "full"
    return "none"


def typed(rng: Random, locale: str, said: Said, mangle: float = 1.0) -> str:
    """What the user writes for `said`: usually exact, sometimes by ear or mistyped."""
    if not said.text:
        return ""
    roll = rng.random()
    if locale.startswith("zh"):
        exact, by_ear, spelled = _bounds((0.65, 0.8, 0.92), mangle)
        if roll < exact * _scaled(_TRADITIONAL, mangle):
            return _traditional(said.text)
        if roll < exact:
            return said.text
        if roll < by_ear:
            return _homophone(rng, said.text)
        if roll < spelled:
            return _pinyin(rng, said.text)
        return said.text[:-2] if said.text.endswith(("先生", "女士", "小姐")) else said.text
    exact, lowered, sounded = _bounds((0.7, 0.8, 0.9), mangle)
    if roll < exact:
        return said.text
    if roll < lowered:
        return said.text.replace(".", "").lower()
    if roll < sounded:
        return _sound_alike(said.text)
    return _typo(rng, said.text)


def _bounds(bounds: tuple[float, float, float], mangle: float) -> tuple[float, float, float]:
    """The roll's bounds between writing exactly and each way of writing wrong, with the wrong
    share scaled by `mangle` and split among the ways as before."""
    if mangle == 1.0:
        return bounds
    wrong = 1.0 - bounds[0]
    exact = 1.0 - min(1.0, wrong * mangle)
    middle, last = (exact + (b - bounds[0]) / wrong * (1.0 - exact) for b in bounds[1:])
    return exact, middle, last


def _say_zh(rng: Random, surname: str, given: str, gender: str, style: str, mangle: float = 1.0) -> Said:
    if style == "given" and len(given) == 2:
        return Said(given, "given")
    if style == "full":
        name = surname + given
        if rng.random() < _scaled(_IME, mangle):
            name = _homophone(rng, name[0]) + name[1:]
        return Said(name + (_zh_title(rng, gender, mangle) if rng.random() < 0.3 else ""), "full")
    part = "surname"
    if len(surname) == 2 and rng.random() < _scaled(_CUT, mangle):
        surname, part = surname[0], "cut"
    roll = rng.random()
    familiar = _scaled(_FAMILIAR, mangle)
    if roll < familiar and len(surname) == 1:
        prefix = rng.choice("小老")
        return Said(("阿" if roll < familiar * _AH else prefix) + surname, part)
    if roll < familiar + _scaled(_ROMANISED, mangle):
        return Said(f"{_en_title(rng, gender)} {spoken_key(surname).capitalize()}", part)
    return Said(surname + _zh_title(rng, gender, mangle), part)


def _zh_title(rng: Random, gender: str, mangle: float = 1.0) -> str:
    roll = rng.random()
    if roll < 0.08:
        everyday = next((titles for bound, titles in _ZH_EVERYDAY if roll < bound), None)
        return everyday[_gender(gender)] if everyday else "总"
    if rng.random() < _scaled(_SWAPPED, mangle):
        gender = "male" if gender == "female" else "female"
    if gender == "female":
        return "小姐" if roll < 0.25 else "女士"
    return "先生"


def _en_title(rng: Random, gender: str) -> str:
    if gender == "female":
        return "Mrs." if rng.random() < 0.3 else "Ms."
    return "Mr."


def _traditional(text: str) -> str:
    """`text` in traditional characters (楊先生, 歐陽女士), as a phone set to them types it."""
    from opencc import OpenCC  # slow to set up: only when first needed

    return _s2t(OpenCC).convert(text)


@lru_cache(maxsize=1)
def _s2t(factory: type) -> Any:
    return factory("s2t")


def _homophone(rng: Random, text: str) -> str:
    for size in (2, 1):
        options = ZH_HOMOPHONES.get(text[:size], "")
        if options:
            return rng.choice(options) + text[size:]
    return text


def _pinyin(rng: Random, text: str) -> str:
    for title, reading in _ZH_TITLE_PINYIN.items():
        if text.endswith(title):
            stem = _spell(text[: -len(title)])
            if title == "先生" and rng.random() < 0.3:
                return f"{stem} xs"
            return f"{stem} {reading}" if rng.random() < 0.7 else f"{stem.capitalize()}{title}"
    return _spell(text)


def _spell(name: str) -> str:
    """Typed pinyin of a Chinese name: "yang jianguo", "ouyang na"."""
    surname, given = split_name(name)
    return " ".join(part for part in (spoken_key(surname), spoken_key(given)) if part)


def _sound_alike(text: str) -> str:
    head, _, last = text.rpartition(" ")
    for old, new in _EN_SOUNDS:
        if old in last[1:].lower():
            index = last.lower().index(old, 1)
            changed = last[:index] + new + last[index + len(old) :]
            return f"{head} {changed}".strip()
    return f"{head} {last}e".strip() if not last.endswith("e") else f"{head} {last[:-1]}".strip()


def _typo(rng: Random, text: str) -> str:
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = rng.choice(letters[1:-1])
    if rng.random() < 0.5:
        return text[:i] + text[i + 1 :]
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
