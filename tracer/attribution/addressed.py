"""The person a text addresses: 王先生, 欧阳女士, "yang xs", "Mr. Smith", "Dear John Smith".

Surname tables and the patterns that find an addressed name inside a longer text, vectorised per
distinct text; `canaries.read` reads a greeting that is only a name and title, and the two agree
(tests/canaries/test_heard_agreement.py).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

import pandas as pd

import canaries
from tracer.attribution.phrases import (
    CJK,
    converter,
    lexicon,
    nfkc,
    per_unique,
    trie_patterns,
    with_traditional,
)

# --- addressed names -------------------------------------------------------------------------


# English titles before a name, longest first ("mrs" before "mr"); "sir" alone is generic address
_EN_TITLE_WORDS = "|".join(sorted(canaries.address.EN_TITLES - {"sir"}, key=len, reverse=True))


class _Names:
    """Surname tables and the patterns that find the person a text addresses."""

    TITLES = canaries.address.ZH_TITLES
    RELATIVES = frozenset(
        {"家人", "家属", "亲属", "亲友", "朋友", "本人", "机主", "家里人", "父母", "老公", "老婆", "爱人", "孩子", "同事"}
    )  # fmt: skip
    NOT_GIVEN = set("的是您你我他她请和与及给位个了在为向对跟叫找问各们吗呢吧啊呀哦嗯好不没有就都也还")
    # Long forms may follow the surname directly ("yangxiansheng"); the short ones only after a
    # space, or English words would match ("change" = chan + ge, "huge" = hu + ge).
    PINYIN_TITLES = (
        "(?:" + "|".join(canaries.address.PINYIN_TITLES) + r")|\s(?:" + "|".join(canaries.address.PINYIN_SHORT_TITLES) + ")"
    )

    def __init__(self, data: dict[str, Any]) -> None:
        s2t = converter("s2t")
        self.rank: dict[str, int] = {}
        for i, ch in enumerate([*data["surnames"], *_generator_surnames()]):
            self.rank.setdefault(ch, i)
            self.rank.setdefault(s2t.convert(ch), i)
        self.compounds = set(with_traditional([*data["compound_surnames"], *_generator_compounds()]))
        # a compound typed through a pinyin input method by its sound (尚官 for 上官, 思马 for 司马)
        self.compound_sounds = {canaries.spoken_key(c) for c in self.compounds}
        # lists cut a compound surname to its first character (独先生 for 独孤明): a rare surname
        for compound in sorted(self.compounds):
            self.rank.setdefault(compound[0], len(self.rank))
        self.pinyin = set(data["surname_pinyin"])
        self.not_names = set(data["not_names"])
        self.not_surname_words = set(with_traditional(data["not_surname_words"]))  # 语文老师
        titles = sorted(with_traditional(self.TITLES), key=len, reverse=True)
        alternation = "|".join(
            "总(?![共计额数结体部裁监统量价金署站局之])" if t == "总" else t for t in titles
        )
        self.cjk_title = re.compile(f"(?:{alternation})")
        surname = "|".join(trie_patterns(self.pinyin, ascii_end=""))
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
        self.bare_cjk = re.compile(f"^[{CJK}]{{1,4}}$")
        # callers introduce themselves by name too ("This is Ms. Harper", "我是平安的王经理"):
        # a name right after such words is the caller's own, not the person addressed
        self.self_intro = re.compile(
            r"(?:(?<![A-Za-z])(?i:this\s+is|my\s+name\s+is|i\s+am|i'm|i’m|it's|it’s|it\s+is)\s*"
            r"|(?:我是|我姓|我叫|本人是|这里是|这边是)[^，,。.!！?？;；:：\s]{0,12})$"
        )
        self.ideograph = re.compile(f"[{CJK}]")
        # a person the text talks about, not to: the subject of what someone said or will do
        # ("Mr. Randall said …", "Ms. Lee will call you", "王先生说…", "李经理会给您回电") or someone's
        # role ("your agent Ms. Grant", "我们的李经理", "您的专属顾问王先生"): senders mention their
        # colleagues, and that name says nothing about whose number this is
        self.mentioned_after = re.compile(
            r"[ \t]*(?:(?i:said|says|told|tells|asked|asks|mentioned|explained|wants\s+to|wanted\s+to"
            r"|will\s+(?:call|contact|reach|text|email|be\s+in\s+touch|follow\s+up|get\s+back)"
            r"|would\s+like\s+to|is\s+(?:your|our|my)|from\s+(?:our|the)|of\s+our|at\s+our|here\s+at)(?![A-Za-z])"
            # a caller naming itself (and its firm), with no comma between: "Hi, Alexa from Amazon
            # Billing Support", "Hello, Sarah with Acme Solar", "Hi, Susie calling about your
            # vehicle", "Hi, Mike here" (a greeted name takes a comma or a stop before what
            # follows: "Hi Alexa, from all of us …")
            r"|(?i:(?:here|calling(?:[ \t]+you)?)[ \t]+)?(?i:from|with|on[ \t]+behalf[ \t]+of)[ \t]+(?:(?i:the)[ \t]+)?[A-Z0-9]"
            r"|(?i:here|calling|speaking)(?![A-Za-z])"
            r"|说|讲|告诉|让我|叫我|托我|嘱咐|交代|会给(?:您|你)|将给(?:您|你)|稍后(?:给|会|将)|会(?:联系|与|和)(?:您|你)"
            r"|让(?:您|你)|要求(?:您|你)|委托)"
        )
        self.mentioned_before = re.compile(
            r"(?:(?<![A-Za-z])(?i:(?:your|our|my|his|her|their)(?:\s+[a-z]+)?\s+"
            r"(?:agent|advisor|adviser|representative|rep|manager|consultant|specialist|officer|colleague"
            r"|supervisor|broker|realtor|recruiter|coordinator|counselor|assistant|contact|lawyer|attorney))[ \t]*,?[ \t]*"
            r"|(?:我们的?|我司的?|本公司的?|公司的|我的|他的|她的|(?:您|你)的(?:专属|专职|客户)?"
            r"(?:顾问|经理|客服|专员|同事|业务员|负责人|对接人|律师|助理|主管|老师|客户经理))"
            r"(?:顾问|经理|客服|专员|同事|业务员|负责人|对接人|律师|助理|主管)?"
            r"|(?:同事|主管|客服|专员|业务员|负责人|对接人|助理)[ \t]*)$"
        )
        # "请转告周淑英尽快还款": a collector asks whoever answers to pass a message on; the person
        # named (no title) is tied to this number: a previous owner, or the debtor whose emergency
        # contact it is
        self.relayed = re.compile(
            f"(?:请|麻烦|帮忙|帮我)(?:您|你)?转告(?:一下)?(?P<n>[{CJK}]{{2,4}}?)"
            r"(?=[，,。.！!…；;：:\s]|尽快|立即|立刻|马上|速|本人|还款|处理|回电|联系|$)"
        )
        # a familiar form greeted without a title: "小岑您好", "老王，"
        prefixes = "".join(sorted(canaries.address.ZH_PREFIXES))
        self.familiar = re.compile(f"(?:(?<![{CJK}])|(?<=的))([{prefixes}])([{CJK}])(?=您好|你好|[，,：:！!])")
        # a whole name said without a title where a text greets ("邹龙，您的借款已逾期", "尊敬的王建国，",
        # "王建国您好"), or whom a caller asked for ("找邹龙的"): debt collectors, lists and scripts
        # greet by the whole name on file; checked as a surname and given-name characters below
        self.whole_greeting = re.compile(
            rf"^(?:\s*[【\[][^】\]]{{1,24}}[】\]])?\s*(?:尊敬的|亲爱的)?(?P<n>[{CJK}]{{2,4}}?)(?=您好|你好|[，,：:！!])"
        )
        self.asked_for = re.compile(rf"(?:找|说|催收)(?P<n>[{CJK}]{{2,4}}?)(?=的|欠|[，,。！!]|$)")

    def _cjk_candidate(self, text: str, end: int) -> tuple[int, str] | None:
        """The most likely surname before position `end`: (start, surname) or None."""
        if end >= 3 and self._typed_by_ear(text[end - 3 : end]):
            return None
        whole = self._whole_name(text, end)
        if whole:
            return whole
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

    def _whole_name(self, text: str, end: int) -> tuple[int, str] | None:
        """A whole name in the commonest shape, a surname (one character or a compound) and two
        given-name characters, standing alone before the title ("封秀蘭女士", "尊敬的欧阳秀英女士"):
        (start, surname), or None. Collectors and lists address a debtor by the whole name on
        file, and its last character is often a surname too (兰, 云, 华, 英): read by surname
        frequency alone, "封秀蘭女士" was Ms 兰 (122nd) rather than Ms 封 (357th), and a previous
        owner's collectors singled out canary 蓝丹丹 on a recycled number (held-out seed 7300)."""
        for size in (2, 1):
            start = end - 2 - size
            surname = text[max(start, 0) : start + size]
            if start < 0 or not (self._compound_heard(surname) if size == 2 else surname in self.rank):
                continue
            given = canaries.simplify(text[start + size : end])
            if not set(given) <= _given_characters():
                continue
            # the name opens the text or follows a word that is no part of a name (的, 好, a comma)
            if start == 0 or text[start - 1] in self.NOT_GIVEN or not self.ideograph.match(text[start - 1]):
                return start, surname
        return None

    def _compound_heard(self, pair: str) -> bool:
        """Is `pair`, two characters, a compound surname, or one typed by ear through a pinyin
        input method (尚官 for 上官, 思马 for 司马: each character a homophone)?"""
        if pair in self.compounds:
            return True
        return bool(self.ideograph.match(pair[0])) and canaries.spoken_key(pair) in self.compound_sounds

    def _typed_by_ear(self, stem: str) -> bool:
        """Is `stem`, three characters before a title, a whole name whose surname was typed as a
        homophone that is no surname ("珠秀荣先生" for 朱秀荣: zhu, then given-name characters)? Its
        last character is then the given name's, not a surname said alone (Mr. 荣, which matched
        canary 荣兰英 on a recycled number whose previous owner's collectors asked for 朱秀荣);
        `zh_heard_given` compares the whole name by sound."""
        return (
            all(self.ideograph.match(ch) for ch in stem)
            and stem[0] not in self.rank
            and stem[:2] not in self.compounds
            and canaries.spoken_key(stem[0]) in self.pinyin
            and set(stem[1:]) <= _given_characters()
        )

    def typed_whole(self, stem: str) -> bool:
        """Is `stem`, two to four characters, a whole name whose surname was typed by ear as a
        homophone that is no surname ("尝红" for 常红, "鸥阳桂英" for 欧阳桂英), then one or two
        given-name characters?"""
        if not 2 <= len(stem) <= 4 or not all(self.ideograph.match(ch) for ch in stem):
            return False
        if stem[:2] not in self.compounds and self._compound_heard(stem[:2]) and len(stem) > 2:
            return set(stem[2:]) <= _given_characters()
        return (
            len(stem) <= 3
            and stem[0] not in self.rank
            and stem[:2] not in self.compounds
            and canaries.spoken_key(stem[0]) in self.pinyin
            and set(stem[1:]) <= _given_characters()
        )

    def _latin_surname(self, words: list[str], title: bool) -> str | None:
        while words and words[-1].lower() in self.not_names:
            words = words[:-1]
        if not words or any(w.lower() in self.not_names for w in words):
            return None
        familiar = len(words) == 2 and words[0].lower() in canaries.address.PINYIN_PREFIXES
        if familiar and not title and words[1].lower() in self.pinyin:
            return words[1]  # "xiao teng", "lao li": 小滕, 老李 typed in pinyin (as `canaries.read`)
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
        for m in self.relayed.finditer(text):
            said = m.group("n")
            if said in self.RELATIVES or any(ch in self.NOT_GIVEN for ch in said):
                continue  # "请转告您的家人", "转告家属": nobody's name
            # a name said without a title is said whole: its surname opens it (袁玉兰 is Ms 袁, not
            # a given name 袁玉 after the rarer surname 兰, as a title's last character would be)
            surname = said[:2] if said[:2] in self.compounds and len(said) > 2 else said[0]
            if surname in self.rank or surname in self.compounds:
                out.append((m.start("n"), m.end("n"), surname))
        for m in self.familiar.finditer(text):
            if m.group(2) in self.rank and m.group(2) not in self.NOT_GIVEN:
                out.append((m.start(), m.end(), m.group(2)))
        for m in (*self.whole_greeting.finditer(text), *self.asked_for.finditer(text)):
            said = m.group("n")
            surname = said[:2] if said[:2] in self.compounds and len(said) > 2 else said[0]
            given = said[len(surname) :]
            # a surname, then one or two characters given names are made of: "周末，" and "高端，"
            # open texts too, and are no name
            known = surname in self.rank or surname in self.compounds
            if known and 1 <= len(given) <= 2 and set(given) <= _given_characters():
                out.append((m.start("n"), m.end("n"), surname))
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
            {
                span
                for span in out
                if not self.self_intro.search(text, 0, span[0])
                and not self.mentioned(text, span[0], span[1])
                and not canaries.is_generic(text[span[0] : span[1]])
            }
        )

    def mentioned(self, text: str, start: int, end: int) -> bool:
        """Is the person at text[start:end] one the text talks about rather than addresses?"""
        return bool(self.mentioned_after.match(text, end) or self.mentioned_before.search(text, 0, start))

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
    return _Names(lexicon()["names"])


def _surnames_of(text: str, bare_names: bool) -> list[str]:
    names = _names()
    text = nfkc(text)
    found = [surname for _, _, surname in names.spans(text)]
    if not found and bare_names:
        surname = names.bare(text)
        found = [surname] if surname else []
    return list(dict.fromkeys(found))


def whole_names_in(text: str, bare_names: bool) -> list[tuple[str, str]]:
    """(surname, given) of each whole name one text addresses ("王峰先生", "Dear Mark Jacobson");
    with `bare_names` also a text that is only a name ("王峰", "Smith John")."""
    names = _names()
    text = nfkc(text)
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




def spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, surname) of each person `text` addresses, the title included in the span."""
    return _names().spans(text)


# --- given names greeted alone -----------------------------------------------------------

_GREETING = re.compile(
    r"\b(?:Dear|Hi|Hello|Hey|Good (?:morning|afternoon|evening)),?\s+"
    rf"(?!(?i:{_EN_TITLE_WORDS})\b)([A-Z][a-z]{{2,}})\b"  # "Hi Mrs Lee" greets no first name
)
# A text that opens with a name and a comma ("Melissa, your order…"), as list-driven SMS do
_OPENER = re.compile(r"^\s*([A-Z][a-z]{2,}),")


# A Chinese greeting by given name alone, at the start of a text or after its 【brand】: "建国你好，",
# "尊敬的桂英，"
_ZH_GIVEN_GREETING = re.compile(r"^(?:\s*[【\[][^】\]]{1,24}[】\]])?\s*(?:尊敬的|亲爱的)?([\u4e00-\u9fff]{2,4}?)(?:你好|您好|[，,])")


def zh_greeted_given(written: str) -> tuple[str, ...]:
    """Spoken key of a given name a Chinese text greets alone ("建国你好"), unless it is generic
    address (美女你好) or a surname with a title; or of a whole name the list behind the text
    holds typed by ear ("尝红，" for 常红: a homophone that is no surname, then given-name
    characters), compared with the canaries' whole names as `zh_heard_given`'s are."""
    m = _ZH_GIVEN_GREETING.match(written)
    if not m or canaries.is_generic(m.group(1)):
        return ()
    stem = m.group(1)
    if not (len(stem) == 2 and set(stem) <= _given_characters()) and not _names().typed_whole(stem):
        return ()
    if _surnames_of(m.group(0), bare_names=True):
        return ()
    key = canaries.spoken_key(stem)
    return (key,) if key else ()


@lru_cache(maxsize=1)
def _given_characters() -> frozenset[str]:
    """Characters Chinese given names are made of (the generator's list): "恭喜，" and "您好，"
    open texts as a name would, but are no name."""
    from canaries.namebook import given_names

    return frozenset("".join(given_names("zh_CN").names))


def zh_heard_given(typed: str) -> tuple[str, ...]:
    """A heard_name of two characters and no title may be a given name said alone ("淑华"); one
    of two to four characters, a title after it or none, that no surname opens may be a whole
    name typed by ear, its surname a homophone that is no surname ("空楠" for 孔楠, "鸥阳桂英总" for
    欧阳桂英): its key is compared with the canaries' whole names (`model._Forms.match`)."""
    stem = "".join(typed.split())
    if canaries.is_generic(stem) or not _HAN_ONLY.fullmatch(stem):
        return ()
    if len(stem) == 2 and set(stem) <= _given_characters():
        key = canaries.spoken_key(stem)
        return (key,) if key else ()
    stem = _ZH_TITLE_AT_END.sub("", stem)
    if not 2 <= len(stem) <= 4 or stem[0] in _names().rank or stem[:2] in _names().compounds:
        return ()
    key = canaries.spoken_key(stem)
    return (key,) if key else ()


_HAN_ONLY = re.compile(f"[{CJK}]+")
_ZH_TITLE_AT_END = re.compile("(?:" + "|".join(sorted(canaries.address.ZH_TITLES, key=len, reverse=True)) + ")$")


def greeted_given(written: str, locale: str) -> list[str]:
    """English texts greet by first name ("Dear Loretta"): a canary's given name may match. A name
    the text talks about (`_Names.mentioned`: "Hi, Alexa from Amazon Billing Support", the
    caller's own; "Hi Mike will call you") greets nobody."""
    if locale.startswith("zh"):
        return []
    names = _names()
    return [
        m.group(1)
        for m in (*_GREETING.finditer(written), *_OPENER.finditer(written))
        if not is_word(m.group(1)) and not names.mentioned(written, m.start(1), m.end(1))
    ]


# --- a caller asking for somebody else -------------------------------------------------------

# What a user notes when a caller asked for a person who is not them ("wrong number, asked for
# someone else", "找人的，打错了"): the caller had a name, and it was nobody the user answers to,
# the canaries' names included (the user knows them: the report lists them).
_SOMEONE_ELSE = re.compile(
    r"wrong (?:number|person)|(?:asked|asking|looking) for (?:someone|somebody) else"
    r"|打错了|打错电话|找错人|找别人|找人的",
    re.IGNORECASE,
)


def asks_for_someone_else(texts: pd.Series) -> pd.Series:
    """Per text: does it say the caller asked for somebody else than the user (a wrong number,
    a previous owner's friend)? Such a caller named a person nobody here is."""
    return per_unique(texts, lambda strings: [bool(_SOMEONE_ELSE.search(s)) for s in strings], False, "bool")


# --- a brand's customers addressed ----------------------------------------------------------

# "Dear Wells Fargo customer", "Hi Amazon Prime member", "Dear Chase cardholder": a brand before
# a generic noun addresses the brand's customers, nobody by name (read as a name, "Wells Fargo"
# was a person the caller asked for, and that caller's "Dear Jeremy" to canary Jeremy Coffey
# somebody else's: dev seed 5165 `solo`).
_BRAND_ADDRESS = re.compile(
    r"\b((?:Dear|Hi|Hello|Hey)\s+)(?:[A-Z][\w&'.-]*\s+){1,3}"
    r"((?:valued\s+|loyal\s+)?(?:customer|member|cardholder|card\s+holder|account\s*holder|policy\s*holder"
    r"|policyholder|user|client|subscriber|shopper|patient|owner|driver|homeowner)s?\b)",
    re.IGNORECASE,
)


def without_brand_address(texts: pd.Series) -> pd.Series:
    """`texts` with a brand's customers addressed ("Dear Wells Fargo customer") read as the generic
    address it is ("Dear customer"), for reading the names a text says (missing texts read as "")."""
    return per_unique(texts, lambda strings: [_BRAND_ADDRESS.sub(r"\1\2", s) for s in strings], "")
