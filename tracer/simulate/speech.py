"""What a caller calls the user, and what the user then types into the call log.

Chinese callers say surname + title ("杨先生") far more often than the full name; English-speaking
live callers use "Mr. Smith" or the first name; robocalls say no name at all. The user writes
down what they heard, by ear: homophones (汪 for 王), pinyin ("yang xiansheng") and typos.
"""

from __future__ import annotations

from dataclasses import dataclass
from random import Random

from canaries import split_name, spoken_key

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
}  # fmt: skip
_ZH_TITLE_PINYIN = {"先生": "xiansheng", "女士": "nvshi", "小姐": "xiaojie", "总": "zong"}
_EN_SOUNDS = (
    ("ph", "f"), ("ck", "k"), ("th", "t"), ("ie", "y"), ("ey", "y"), ("son", "sen"),
    ("ll", "l"), ("nn", "n"), ("tt", "t"), ("i", "y"), ("y", "i"), ("c", "k"), ("ee", "ea"),
)  # fmt: skip


@dataclass(frozen=True)
class Said:
    """What the caller said and which part of the name it carries ("" when no name)."""

    text: str
    part: str  # "surname" | "full" | "given" | ""


NOTHING = Said("", "")


def say(rng: Random, locale: str, name: str, gender: str, style: str) -> Said:
    """The greeting for `name` in `style` ("title", "full", "given", "none")."""
    if style == "none" or not name:
        return NOTHING
    surname, given = split_name(name)
    if locale.startswith("zh"):
        return _say_zh(rng, surname, name, gender, style)
    if style == "title":
        return Said(f"{_en_title(rng, gender)} {surname}", "surname")
    if style == "given":
        return Said(given.split()[0] if given else surname, "given" if given else "surname")
    return Said(name, "full")


def style(rng: Random, locale: str, *, live: bool) -> str:
    """How a caller addresses the target: title often, full name sometimes, nothing ~40%.

    Robocalls (recordings) never say a name.
    """
    if not live:
        return "none"
    roll = rng.random()
    if locale.startswith("zh"):
        return "title" if roll < 0.45 else "full" if roll < 0.6 else "none"
    return "title" if roll < 0.25 else "given" if roll < 0.45 else "full" if roll < 0.6 else "none"


def typed(rng: Random, locale: str, said: Said) -> str:
    """What the user writes for `said`: usually exact, sometimes by ear or mistyped."""
    if not said.text:
        return ""
    roll = rng.random()
    if locale.startswith("zh"):
        if roll < 0.65:
            return said.text
        if roll < 0.8:
            return _homophone(rng, said.text)
        if roll < 0.92:
            return _pinyin(rng, said.text)
        return said.text[:-2] if said.text.endswith(("先生", "女士", "小姐")) else said.text
    if roll < 0.7:
        return said.text
    if roll < 0.8:
        return said.text.replace(".", "").lower()
    if roll < 0.9:
        return _sound_alike(said.text)
    return _typo(rng, said.text)


def _say_zh(rng: Random, surname: str, name: str, gender: str, style: str) -> Said:
    if style == "full":
        return Said(name + (_zh_title(rng, gender) if rng.random() < 0.3 else ""), "full")
    return Said(surname + _zh_title(rng, gender), "surname")


def _zh_title(rng: Random, gender: str) -> str:
    roll = rng.random()
    if roll < 0.08:
        return "总"
    if gender == "female":
        return "小姐" if roll < 0.25 else "女士"
    return "先生"


def _en_title(rng: Random, gender: str) -> str:
    if gender == "female":
        return "Mrs." if rng.random() < 0.3 else "Ms."
    return "Mr."


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
