"""How callers address a person: titles, generic address that names nobody, and the forms a
canary's name takes in a caller's mouth.

One place for this knowledge: the generator uses it to issue names whose mangled forms stay
distinct, attribution uses it to read what a caller said and to map each form back to a canary.

Real lists and scripts mangle names in known ways (each a `Form.part` below):
- a compound surname (复姓 欧阳, 羊舌) cut to its first character: mass-SMS systems and call-centre
  CRMs split "surname = first character" ("羊先生您好" for 羊舌峰) -> part "cut";
- homophones from pinyin input (羊/杨/阳), traditional forms (楊), tone-free romanisation
  ("Mr. Yang"): all share one spoken key, so they need no form of their own;
- 小王/老李 and the title's gender swapped (羊女士 for a man): the surname is what counts;
- a given name alone ("建国你好", "Hi Michael,") -> part "given"; an English nickname
  (Robert -> Bob) -> part "nick";
- the whole name through a pinyin input method (杨舌峰 for 羊舌峰), "Smith John" order, an initial
  ("J. Smith") -> part "full" (compared by `full_key`, which ignores English word order);
- an English whole name typed with one slip ("Bruce Huley", "Richar dDuffy"): `mistyped`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from itertools import permutations
from typing import Any

from rapidfuzz.distance import DamerauLevenshtein

from canaries.names import COMPOUND_SURNAMES, simplify, split_name, spoken_key

# Titles that follow a Chinese surname (王先生, 欧阳总, 李姐), longest first where one contains
# another. 老板 and 老师 are titles after a surname (王老板) and generic address alone; so are the
# forms of address of everyday life, 王师傅 (a tradesman, a driver), 王阿姨, 王叔叔, 王大哥, 王大姐,
# and of professions, 王医生, 王律师: read as a given name, 王师傅 would be somebody else than 王明.
ZH_TITLES: tuple[str, ...] = (
    "总经理", "董事长", "副总", "副经理", "先生", "女士", "小姐", "太太", "经理", "老师", "老板", "师傅",
    "阿姨", "叔叔", "大哥", "大姐", "医生", "律师", "总", "姐", "哥",
)  # fmt: skip
# Prefixes that make a familiar form of a surname: 小王 (younger), 老李 (older), 阿陈 (southern).
ZH_PREFIXES = frozenset("小老阿")
# Typed pinyin titles after a surname ("yang xiansheng"), and English titles before one.
PINYIN_TITLES: tuple[str, ...] = (
    "xiansheng", "xian sheng", "nvshi", "nüshi", "nushi", "nv shi", "nü shi", "xiaojie", "xiao jie",
    "taitai", "jingli", "jing li", "laoshi", "lao shi", "laoban", "lao ban", "shifu", "shi fu", "ayi",
    "a yi", "shushu", "dage", "da ge", "dajie", "da jie", "yisheng", "lvshi",
)  # fmt: skip
PINYIN_SHORT_TITLES: tuple[str, ...] = ("xs", "ns", "xj", "zong", "jl", "ls", "jie", "ge")
EN_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mister", "mx", "dr", "madam", "madame", "sir"})

# Generic address: what a caller says to anyone (sales floors, scam scripts, delivery riders).
# None of these names a person, however much a surname it looks like (帅哥 is not Mr. 帅).
ZH_GENERIC = frozenset(
    {
        "帅哥", "美女", "靓仔", "靓女", "老板", "老板娘", "亲", "亲爱的", "亲们", "小姐姐", "小哥哥",
        "小哥", "大哥", "大姐", "大叔", "大妈", "阿姨", "叔叔", "老师", "师傅", "老铁", "兄弟", "哥们",
        "同学", "朋友", "老乡", "先生", "女士", "小姐", "帅锅", "美眉", "小伙子", "姐姐", "哥哥",
        "老哥", "老弟", "老妹", "宝宝", "家人们", "客户", "用户", "机主", "会员", "业主", "家长",
        "尊敬的客户", "尊敬的用户", "亲爱的用户", "亲爱的客户", "尊敬的会员", "老总", "总",
    }
)  # fmt: skip
EN_GENERIC = frozenset(
    {
        "sir", "madam", "madame", "ma'am", "maam", "dear", "customer", "dear customer",
        "valued customer", "dear valued customer", "buddy", "pal", "friend", "dear friend", "mate",
        "boss", "chief", "champ", "folks", "guys", "homeowner", "dear homeowner", "member",
        "dear member", "user", "dear user", "client", "dear client", "there", "hey there", "sweetie",
        "honey", "darling", "dude", "bro", "man", "ladies", "gentlemen", "resident", "occupant",
        "applicant", "policyholder", "account holder", "cardholder", "subscriber", "beneficiary",
        "winner", "sir or madam", "sir/madam",
    }
)  # fmt: skip
# Characters that open generic address (帅哥, 美女, 靓仔, 老板, 小姐姐, 大哥, 亲): some are real
# surnames (帅, 阿), but a canary carrying one would be "named" by every sales floor.
GENERIC_HEADS = frozenset("帅美靓老小大亲阿师哥姐")
# Characters of everyday Chinese grammar that are also (rare) surnames: 那 (that), 来 (come), 由 (by),
# 连 (even), 但 (but) … A sentence puts them right before a name and a title ("那位王先生", "由张总负责",
# "连李经理都说"), so neither a reader nor a person can tell 那志强先生 from a Mr. 强 after "that":
# a canary never carries one.
ZH_FUNCTION_WORDS = frozenset("那这和从向把被给对在是有要就也都还来到与及或而但为以于由让使将令自往朝跟同比凭除连即若如则虽因所之其此该每各某")
# English names that are also common words ("Will", "Young", "Grant"): a text says them without
# naming anybody ("we will call", "a grant for you"), so a canary never carries one.
COMMON_WORD_NAMES = frozenset(
    {
        "will", "rose", "may", "hope", "joy", "faith", "grace", "mark", "bill", "guy", "art", "pat",
        "sue", "rob", "don", "jack", "frank", "grant", "chase", "hunter", "mason", "summer", "autumn",
        "april", "june", "dawn", "amber", "crystal", "ruby", "pearl", "iris", "lily", "daisy",
        "holly", "ivy", "rich", "sky", "sunny", "angel", "destiny", "heather", "brook", "cliff",
        "dale", "glen", "lance", "miles", "penny", "robin", "sandy", "young", "white", "brown",
        "black", "green", "gray", "grey", "king", "long", "hill", "wood", "price", "bell", "hall",
        "baker", "cook", "reed", "ward", "west", "north", "cole", "ford", "wells", "burns", "porter",
        "hunt", "stone", "fox", "rice", "pierce", "knight", "lane", "carpenter", "bishop", "dean",
        "little", "day", "powers", "parks", "park", "bush", "page", "love", "ball", "sharp", "hardy",
        "cross", "wolf", "wise", "pope", "marsh", "short", "wall", "booth", "golden", "small", "snow",
        "strong", "moon", "frost", "house", "noble", "rush", "best", "church", "good", "bird", "gay",
        "major", "banks", "cash", "case", "field", "fields", "gates", "glass", "hale", "holiday",
        "law", "lord", "mayor", "means", "nice", "sweet", "swift", "tower", "waters", "winter",
        "woods", "boss", "carter", "cooper", "fisher", "miller", "turner", "walker", "weaver",
        "mills", "jordan", "paris", "christian", "kelly", "bond", "cable", "dollar", "free", "lucky",
        "money", "new", "power", "prime", "rate", "ready", "sale", "save", "star", "total", "tuck",
        "trust", "worth", "bank", "call", "check", "claim", "deal", "drew", "gene", "max", "ray",
        "sean", "tony",
    }
)  # fmt: skip

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_ZH_TITLE_END = re.compile("(?:" + "|".join(sorted(ZH_TITLES, key=len, reverse=True)) + ")+$")
_EDGE = re.compile(r"^[\s,，.。:：!！~～]+|[\s,，.。:：!！~～]+$")
_ZH_HELLO = re.compile(r"(?:您好|你好|早上好|下午好|晚上好|好)$")
_LATIN_TITLES = EN_TITLES | {t for t in (*PINYIN_TITLES, *PINYIN_SHORT_TITLES) if " " not in t}
# the titles that stand before a surname (not "sir" or "madam", which are address on their own)
_COURTESY_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mister", "mx", "dr"})
# roles a sender addresses anyone by, which no person carries as a surname
_ROLES = frozenset(
    {
        "customer", "member", "user", "client", "resident", "occupant", "homeowner", "applicant",
        "policyholder", "cardholder", "subscriber", "beneficiary", "winner", "holder", "owner",
        "patient", "student", "parent", "guest", "shopper", "traveler", "driver", "taxpayer",
        "borrower", "investor", "neighbor", "neighbour",
    }
)  # fmt: skip
_COMPOUNDS = frozenset(COMPOUND_SURNAMES)
# a compound surname's first character: lists cut 淳于 to 淳, and a user notes the surname it heard
# alone ("淳"); one character is no given name greeted alone (nobody says 玲 alone: 阿玲, 玲玲)
_COMPOUND_HEADS = frozenset(c[0] for c in COMPOUND_SURNAMES)
_LATIN_GREETINGS = frozenset({"dear", "hi", "hello", "hey"})
PINYIN_PREFIXES = frozenset({"xiao", "lao", "a"})  # ZH_PREFIXES 小老阿 typed in pinyin


@dataclass(frozen=True)
class Heard:
    """What a caller's form of address says about the person: surname, given name, or nothing."""

    surname: str = ""
    given: str = ""
    generic: bool = False


@dataclass(frozen=True)
class Form:
    """One way a caller may say a name: its spoken key and which mangling made it."""

    key: str
    part: str  # "surname" | "cut" | "given" | "nick" | "full"


def is_generic(text: str) -> bool:
    """Is `text` an address to anyone (帅哥, 美女您好, "Dear customer", "Sir")?"""
    form = _EDGE.sub("", text.strip())
    if not form:
        return False
    if _HAN.search(form):
        form = _ZH_HELLO.sub("", simplify("".join(form.split()))) or form
        return form in ZH_GENERIC or _ZH_TITLE_END.sub("", form) in ZH_GENERIC or form[:1] in "亲"
    latin = " ".join(form.lower().replace(".", "").split())
    if latin in EN_GENERIC or latin.replace(" ", "") in _generic_pinyin():
        return True
    words = latin.replace("/", " ").split()
    if len(words) >= 2 and all(w.strip(",;:!") in _generic_words() for w in words):
        return True  # "Dear Valued Member", "Hello neighbour", "Dear card member": no name in it
    # a lone word that sounds like generic address ("Syr" typed for "Sir") is generic, unless it
    # is a name people carry: "Mattie" and "Matt" sound like "mate", "Betty" and "Drew" like
    # "bet"/"dear", and callers who use Matthew's or Elizabeth's nickname name a person
    return " " not in latin and spoken_key(latin, locale="en_US") in generic_keys("en_US") and not is_name(latin)


def is_name(word: str) -> bool:
    """Is `word` an English given name, surname or nickname people carry (the generator's lists
    and the `nicknames` dataset)?"""
    word = word.strip().lower()
    return word in _known_names() or bool(nicknames(word))


# Words of English generic address beyond EN_GENERIC's phrases: a form made of these only
# ("Dear Valued Member", "Dear Policy Holder") addresses anyone, in whatever combination.
_GENERIC_WORD_EXTRA = (
    "hi", "hello", "hey", "greetings", "valued", "loyal", "esteemed", "card", "neighbor", "neighbour",
    "policy", "holder", "account", "patient", "student", "parent", "guest", "shopper", "traveler",
    "driver", "owner", "taxpayer", "borrower", "investor", "or", "and", "our", "the", "to", "all",
    "home", "car", "vehicle", "business", "valuable", "preferred", "premium", "vip", "prime",
)  # fmt: skip


@lru_cache(maxsize=1)
def _generic_words() -> frozenset[str]:
    """Single words of generic address (EN_GENERIC's phrases split, and _GENERIC_WORD_EXTRA),
    except those that are also a name a canary may carry."""
    words = {w for phrase in EN_GENERIC for w in phrase.replace("/", " ").split()} | set(_GENERIC_WORD_EXTRA)
    return frozenset(words - _known_names())


@lru_cache(maxsize=1)
def _generic_pinyin() -> frozenset[str]:
    """Generic address typed as pinyin ("da jie", "shuaige", "jing zai"): the spoken keys of
    ZH_GENERIC, read as a phrase and character by character (靓仔 is liangzai or jingzai)."""
    forms = [form for form in ZH_GENERIC if len(form) >= 2]
    return frozenset(spoken_key(f) for f in forms) | frozenset("".join(map(spoken_key, f)) for f in forms)


# Generic address said alone sounds like some names (Sir ~ Sarah, Dear ~ Drew, 亲 ~ 秦): those names
# are never issued, and a lone word with that sound names nobody ("Syr" typed for "Sir").
_EN_GENERIC_SPOKEN = ("sir", "madam", "maam", "buddy", "boss", "dear", "honey", "customer", "friend", "pal", "mate")


@lru_cache(maxsize=2)
def generic_keys(locale: str) -> frozenset[str]:
    """Spoken keys that generic address takes: in Chinese the readings of its opening characters
    (帅 shuai, 亲 qin, 靓 jing/liang …), in English the Metaphone of its common words."""
    if locale.startswith("zh"):
        # 靓 is jìng in the dictionary and liàng in 靓仔 as said in the south
        return frozenset({spoken_key(ch) for ch in GENERIC_HEADS} | {"liang"}) - {""}
    return frozenset(spoken_key(w, locale=locale) for w in _EN_GENERIC_SPOKEN) - {""}


def read(greeting: str) -> Heard:
    """What a form of address names: "杨先生" -> 杨; "老关" -> 关; "帅哥" -> generic; "Mr. Yang"."""
    text = _EDGE.sub("", greeting.strip())
    if not text or is_generic(text):
        return Heard(generic=bool(text))
    # pinyin typed before a Chinese title ("Yun yulan先生", "Sang女士"): the title is a title, and
    # the pinyin is read as romanised words (a whole name, not one surname "Yunyulan")
    title = _ZH_TITLE_END.search(text)
    stem = text[: title.start()] if title else ""
    han_titled = bool(stem) and not _HAN.search(stem)
    if han_titled:
        text = stem.strip()
    elif _HAN.search(text):
        return _read_han(simplify("".join(text.split())))
    words = [w.strip(".,") for w in text.split()]
    greeted = bool(words) and words[0].lower() in _LATIN_GREETINGS
    titled = han_titled or any(w.lower() in _LATIN_TITLES for w in words)
    courtesy = any(w.lower() in _COURTESY_TITLES for w in words)
    words = [w for w in words[greeted:] if w and w.lower() not in _LATIN_TITLES]
    # a courtesy title takes a surname: "Ms. Man", "Mrs. Hon" name a person (满, Hon) though the
    # word alone is familiar address ("man", "hon"); a role in its slot ("Dear Mr. Customer", a
    # mail merge's fallback) still names nobody
    surname_slot = courtesy and len(words) == 1 and words[0].lower() not in _ROLES
    if not words or (is_generic(" ".join(words)) and not surname_slot):
        return Heard(generic=True)
    if len(words) == 1:
        # "Hi Michael": a name greeted alone is a given name; "Mr. Yang" or "Smith" a surname
        return Heard(given=words[0]) if greeted and not titled else Heard(surname=words[0])
    if len(words) == 2 and words[0].lower() in PINYIN_PREFIXES and words[1].lower() in _surname_pinyin():
        return Heard(surname=words[1])  # "xiao wang", "lao li": 小王, 老李 typed in pinyin
    if _chinese_order(words):
        # "Mrs. Li Na", "Wang Xiuying"; "xu lihuajie" is 许丽华姐, a title typed onto the given name
        return Heard(surname=words[0], given=" ".join([*words[1:-1], _without_glued_title(words[-1])]))
    surname, given = split_name(" ".join(words))
    return Heard(surname=surname, given=given)


def _read_han(text: str) -> Heard:
    text = _ZH_HELLO.sub("", text) or text
    stem = _ZH_TITLE_END.sub("", text)
    if not stem:
        return Heard(generic=True)
    if len(stem) == 2 and stem[0] in ZH_PREFIXES and stem not in _COMPOUNDS:
        return Heard(surname=stem[1])  # 小王, 老李
    if stem[0] in GENERIC_HEADS and stem[:2] not in _COMPOUNDS and len(stem) <= 3 and stem != text:
        return Heard(generic=True)  # 帅哥哥, 美女士: generic words with a title glued on
    surname, given = split_name(stem)
    if len(stem) == 1 and stem in _COMPOUND_HEADS:
        return Heard(surname=stem)  # 淳 for 淳于浩: a compound cut to its first character, said alone
    if stem == text and len(stem) <= 3 and simplify(surname) not in _zh_surnames():
        return Heard(given=stem)  # "建国你好": a given name greeted alone, no surname in it
    return Heard(surname=surname, given=given)


# a word of pinyin syllables: optional initial, vowels, optional final
_PINYIN_WORD = re.compile(r"(?:(?:[bpmfdtnlgkhjqxrzcsyw]|zh|ch|sh)?(?:[aeiouv]|ü)+(?:ng|n|r)?)+")


@lru_cache(maxsize=1)
def _zh_surnames() -> frozenset[str]:
    """Chinese surnames people carry: Faker's zh_CN list (399, by frequency) and the 复姓."""
    from faker.providers.person.zh_CN import Provider

    return frozenset(Provider.last_names) | _COMPOUNDS


@lru_cache(maxsize=1)
def _surname_pinyin() -> frozenset[str]:
    return frozenset(spoken_key(s) for s in _zh_surnames()) - {""}


def _chinese_order(words: list[str]) -> bool:
    """Is a romanised name written surname first ("Li Na", "Wang Xiuying")? Its first word is
    a Chinese surname's pinyin and every word is made of pinyin syllables; English names
    ("Mark Wang", "Lee Smith") are not, nor one opened by an initial, with its dot or typed
    without it ("A. Ware", "a ware": Aaron Ware's list entry, not a surname "A")."""
    if len(words[0]) < 2 or words[0].lower() not in _surname_pinyin():
        return False
    return all(_PINYIN_WORD.fullmatch(w.lower()) for w in words[1:])


# Pinyin syllables: an initial (or none) and a final; `_syllables` counts a word's fewest
_INITIALS = ("zh", "ch", "sh", *"bpmfdtnlgkhjqxrzcsyw", "")
_FINALS = (
    "a", "o", "e", "ai", "ei", "ao", "ou", "an", "en", "ang", "eng", "ong", "er", "i", "ia", "ie", "iao", "iu",
    "ian", "in", "iang", "ing", "iong", "u", "ua", "uo", "uai", "ui", "uan", "un", "uang", "ueng", "v", "ve", "ue",
)  # fmt: skip
_SYLLABLES = frozenset(i + f for i in _INITIALS for f in _FINALS)
# Titles a user types onto a name in pinyin without a space ("lihuajie", "zhiqianglaoshi")
_GLUED_TITLES = tuple(sorted({t for t in (*PINYIN_TITLES, *PINYIN_SHORT_TITLES) if " " not in t and len(t) > 2}, key=len, reverse=True))


@lru_cache(maxsize=4096)
def _syllables(word: str) -> int:
    """The fewest pinyin syllables `word` splits into (0: it does not split into syllables)."""
    fewest = [0] + [-1] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if fewest[start] >= 0 and word[start:end] in _SYLLABLES:
                count = fewest[start] + 1
                fewest[end] = count if fewest[end] < 0 else min(fewest[end], count)
    return max(fewest[-1], 0)


def _without_glued_title(word: str) -> str:
    """A romanised given name without a title typed onto it ("lihuajie" -> "lihua", "haiyange" ->
    "haiyan"): a Chinese given name is one or two characters, so a word of three syllables or more
    that ends in a title is a given name and its title ("xiaojie" alone is 小杰 or 小姐, and stays)."""
    lowered = word.lower()
    if _syllables(lowered) < 3:
        return word
    for title in (*_GLUED_TITLES, "ge", "jie"):
        rest = lowered[: -len(title)]
        if lowered.endswith(title) and 1 <= _syllables(rest) <= 2:
            return word[: len(rest)]
    return word


def forms(name: str, locale: str) -> tuple[Form, ...]:
    """Every form a caller may produce from `name`, by spoken key (see the module docstring)."""
    surname, given = split_name(name)
    zh = locale.startswith("zh")
    found = [Form(spoken_key(surname, locale=locale), "surname")]
    if zh and len(surname) == 2:
        found.append(Form(spoken_key(surname[0], locale=locale), "cut"))
    first = given.split()[0] if given and not zh else given
    if first:
        found.append(Form(spoken_key(first, locale=locale), "given"))
        if not zh:
            # a nickname is said as a name (Matt, Mattie: `is_generic` reads them so), but one
            # that is generic address itself (Honey for Honora) is no form of the name
            found += [Form(spoken_key(n, locale=locale), "nick") for n in nicknames(first) if not is_generic(n)]
    found.append(Form(full_key(name, locale), "full"))
    return tuple(dict.fromkeys(f for f in found if f.key))


def full_key(name: str, locale: str) -> str:
    """Spoken key of a whole name: pinyin of every character (杨舌峰 == 羊舌峰); in English the
    Metaphone codes of its words in sorted order ("Smith John" == "John Smith")."""
    if locale.startswith("zh") or _HAN.search(name):
        surname, given = split_name(name)  # by part: each part's key is cached, the name's is not
        return spoken_key(surname) + spoken_key(given)
    words = [w.strip(".,") for w in name.split()]
    return " ".join(sorted(spoken_key(w, locale=locale) for w in words if w))


# Sound letters an English whole name's key needs before one slip in it is read as a typo: in
# shorter keys ("al", "brs hl") one letter is often the difference between two people.
MIN_TYPO_KEY = 6


def mistyped(said: str, whole: str) -> bool:
    """Is the whole-name key `said` the English whole name `whole` (both `full_key`s) typed with
    one slip: a letter dropped, added or changed, or two swapped ("Bruce Huley", "Bruc Hurley",
    "Richar dDuffy" for Richard Duffy)? People type names they hear, and lists are typed by hand.
    Only names of two words or more with MIN_TYPO_KEY sound letters; Chinese needs no such rule,
    since an input method's slips are homophones, the same key already. A key lists its words'
    codes in sorted order, and a slip can move a word in it ("Angel aFlynn" for Angela Flynn sorts
    'afln' before 'anjl'): the said words are compared in every order."""
    if " " not in whole or len(whole.replace(" ", "")) < MIN_TYPO_KEY or not said:
        return False
    words = said.split()
    orders = {" ".join(order) for order in permutations(words)} if len(words) <= 3 else {said}
    return any(DamerauLevenshtein.distance(o, whole, score_cutoff=1) == 1 for o in orders)


# Letters a single English word needs before one slip in it is read as a typo of a canary's
# name part: between shorter names ("Stout", "Sout", "Scout") one letter is a different name.
MIN_SLIP_LETTERS = 5
_SLIP_WORD = re.compile(
    r"^\s*(?:(?i:" + "|".join(sorted(_COURTESY_TITLES, key=len, reverse=True)) + r")\.?\s+|[A-Za-z]\.\s*)?([A-Za-z][A-Za-z'’-]+)\s*$"
)  # a courtesy title (`_COURTESY_TITLES`) or an initial, then the word


def slipped_word(heard: str, name: str, *, letters: int = MIN_SLIP_LETTERS) -> str:
    """Which part of the English name `name` a heard name of one word is, typed with one slip
    ("Mr. weeney" for Sweeney, "I. Bryatn" for Bryant, "Jospeh" for Joseph): "surname", "given",
    or "" for none. Only a word that is no name in its own right (Bryan is a name, not a slip of
    Bryant) and one slip from a part of `letters` (MIN_SLIP_LETTERS) or more, the word as long or
    the part's letter dropped ("Ms. eyes" for Reyes, as "Mr. weeney" for Sweeney); a title
    before it ("Mr. Joseh") reads it as a surname only."""
    found = slip_candidate(heard, letters - 1)
    if found is None or _HAN.search(name):
        return ""
    word, titled = found
    return _part_of(name, titled, lambda part: len(part) >= letters and DamerauLevenshtein.distance(word, part, score_cutoff=1) == 1)


def _part_of(name: str, titled: bool, same: Callable[[str], bool]) -> str:
    """The role of the part of the English name `name` that `same` accepts, its surname tried
    first: "surname", "given", or "" for none; a word said after a title names a surname only."""
    parts = name.lower().split()
    if len(parts) < 2:
        return ""
    if same(parts[-1]):
        return "surname"
    return "given" if not titled and same(parts[0]) else ""


# Letters a two-part English name needs before one slip in it is read as a typo of it (`slipped_whole`)
MIN_WHOLE_SLIP = 8
_WORDS = re.compile(r"[a-z][a-z'’-]*")


def slipped_whole(heard: str, name: str) -> bool:
    """Does `heard` say the English name `name` whole with one slip in one of its two parts, the
    other as spelled ("Jo Harrell" or "Harrell Jno" for Jon Harrell, "Marie Shawe" for Marie Shaw:
    a letter dropped, added, changed or two swapped)? The names too short for `mistyped`'s sound
    keys (one sound letter tells "Al Li" from "Al Lu") are long enough in letters: with one part as
    spelled, a slip of MIN_WHOLE_SLIP letters or more is a typo, not another person. Two slips
    ("Jim Harrell") or one part alone are not."""
    parts = name.lower().split()
    if len(parts) < 2 or not heard or _HAN.search(name):
        return False
    given, surname = parts[0], parts[-1]
    if len(given) + len(surname) < MIN_WHOLE_SLIP:
        return False
    words = _WORDS.findall(heard.lower())
    pairs = zip(words, words[1:], strict=False)  # each word beside the next
    return any(
        (first, last) != (given, surname) and _one_slip(first, given) + _one_slip(last, surname) == 1
        and (first == given or last == surname)
        for a, b in pairs
        for first, last in ((a, b), (b, a))
    )


def _one_slip(said: str, part: str) -> int:
    """0 when `said` is `part`, 1 when one slip off it (and two letters or more), else 2."""
    if said == part:
        return 0
    return 1 if len(said) >= 2 and DamerauLevenshtein.distance(said, part, score_cutoff=1) == 1 else 2


@lru_cache(maxsize=4096)
def slip_candidate(heard: str, letters: int = MIN_SLIP_LETTERS) -> tuple[str, bool] | None:
    """(the word in lower case, said with a title or initial) of a heard name of one English
    word that may be a slip (`slipped_word`), else None: most heard names are names as spelled."""
    m = _SLIP_WORD.match(heard)
    if not m:
        return None
    word = m.group(1).lower()
    if len(word) < letters or word in _known_names():
        return None
    return word, m.group(0).strip() != m.group(1)


# Letters a word heard by ear needs before its spelling is compared by sound (`spelled_by_ear`)
MIN_BY_EAR_LETTERS = 3


@lru_cache(maxsize=4096)
def heard_word(heard: str) -> tuple[str, bool] | None:
    """(the word in lower case, said with a title or initial) of a heard name of one English
    word ("Rian", "Mrs. Heat", "A. Ware"), else None."""
    m = _SLIP_WORD.match(heard)
    if not m or len(m.group(1)) < MIN_BY_EAR_LETTERS:
        return None
    return m.group(1).lower(), m.group(0).strip() != m.group(1)


def spelled_by_ear(heard: str, name: str) -> str:
    """Which part of the English name `name` a heard name of one word is, written another way it
    sounds ("Rian" for Ryan, "Nicolas" for Nicholas, "Jon" for John, "Mrs. Heat" for Heath):
    "surname", "given", or "" for none. People write down a name they hear, not one they read:
    a silent h, i for y and a doubled letter are not heard. Metaphone, the spoken key, keeps some
    of them apart (Ryan RYN, Rian RN; Nicholas NXLS, Nicolas NKLS), so a name spelled by ear named
    nobody. A title before the word reads it as a surname only, as `slipped_word` does."""
    found = heard_word(heard)
    if found is None or _HAN.search(name):
        return ""
    word, titled = found
    return _part_of(name, titled, lambda part: word != part and _by_ear(word) == _by_ear(part))


@lru_cache(maxsize=4096)
def _by_ear(word: str) -> str:
    """`word` as an ear keeps it: h after its first letter silent, y as i, no doubled letters."""
    kept = word[:1] + word[1:].replace("h", "")
    return re.sub(r"(.)\1+", r"\1", kept.replace("y", "i"))


_TITLED = re.compile(r"(?<![A-Za-z])(?i:mr|mrs|ms|miss|mister)\.?\s+([A-Za-z][a-z'’-]+)\b(?!\s+[A-Z][a-z])")


@lru_cache(maxsize=4096)
def titled_given_names(text: str) -> tuple[str, ...]:
    """Words that may be given names said after a title with no surname after them ("Mr.
    Robert", "Hi Ms. Jennifer,", "Mr. Jenifer": a given name written as it sounds), lower case:
    every titled word that is no surname of the surname list (a title before "Thomas" or "Bell"
    names a surname, whatever first names sound like it). Scripts that fill their title slot from
    a list's first-name field say these."""
    if not text or _HAN.search(text):
        return ()
    _, surnames = _given_and_surnames()
    found = (m.group(1).lower() for m in _TITLED.finditer(text))
    return tuple(dict.fromkeys(w for w in found if w not in surnames))


def same_by_ear(said: str, part: str) -> bool:
    """Is the word `said` the name part `part` as spelled or written as it sounds (`_by_ear`)?"""
    said, part = said.lower(), part.lower()
    return said == part or _by_ear(said) == _by_ear(part)


@lru_cache(maxsize=1)
def _given_and_surnames() -> tuple[frozenset[str], frozenset[str]]:
    from canaries.namebook import given_names, surname_groups

    given = frozenset(n.lower() for n in given_names("en_US").names)
    return given, frozenset(s.lower() for group in surname_groups("en_US") for s in group.surnames)


@lru_cache(maxsize=1)
def _known_names() -> frozenset[str]:
    """English given names and surnames (the generator's lists), lower case."""
    from canaries.namebook import given_names, surname_groups

    names = {n.lower() for n in given_names("en_US").names}
    names |= {s.lower() for group in surname_groups("en_US") for s in group.surnames}
    return frozenset(names)


@lru_cache(maxsize=4096)
def nicknames(given: str) -> tuple[str, ...]:
    """English nicknames of a given name (Robert -> Bob, Rob, Bobby) and the names a nickname
    stands for, from the hand-curated `nicknames` dataset."""
    from nicknames import NickNamer  # loads its table once, on first use

    namer = _namer(NickNamer)
    word = given.strip().lower()
    return tuple(sorted(namer.nicknames_of(word) | namer.canonicals_of(word)))


@lru_cache(maxsize=1)
def _namer(factory: type) -> Any:
    return factory()


def generic_head(surname: str) -> bool:
    """Does a surname double as the start of generic address (帅, 美, 老, 小 …), or sound like
    one (秦 like 亲, 梅 like 美)?"""
    return bool(surname) and (surname[0] in GENERIC_HEADS or spoken_key(surname[0]) in generic_keys("zh_CN"))


def function_word(surname: str) -> bool:
    """Is a Chinese one-character surname also a word of everyday grammar (那, 由, 但 …)?"""
    return len(surname) == 1 and surname in ZH_FUNCTION_WORDS


def sounds_generic(name: str, locale: str) -> bool:
    """Does an English name part sound like generic address said alone (Sarah ~ Sir)?"""
    return not locale.startswith("zh") and spoken_key(name, locale=locale) in generic_keys(locale)


def common_word(name: str) -> bool:
    """Is an English name part also a common word (Will, Young, Grant)?"""
    return name.strip().lower() in COMMON_WORD_NAMES


def heard_surname(greeting: str) -> str:
    """The surname in how a caller addressed you: "杨先生" -> "杨", "Mr Yang" -> "Yang", "帅哥" -> ""."""
    return read(greeting).surname
