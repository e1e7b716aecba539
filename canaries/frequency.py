"""How often a surname is said by chance: a stranger's probability of naming a surname.

Every surname Faker lists for zh_CN and en_US counts, with the shares Faker carries for it (the
Ministry of Public Security's household-registration statistics for Chinese surnames, as
percentages; the US Census for English ones, as shares among its 1,000 most common surnames, scaled
here to shares of all people by Smith's 0.828%). Keys are spoken keys, so homophones add up (张 and
章 are both "zhang"; 魏, 韦 and 卫 are "wei", and a compound 微生 cut to 微 sounds like all of them).
The shares below, the most common surnames as the same sources publish them (王 7.1%, 李 7.0%,
张 6.7%, …; Smith 0.83%, Johnson 0.66%, …), are floors. No surname counts as rarer than `OTHER` =
1/400: conservative on purpose (as if every surname were as common as one of the ~400 in daily
use), so a chance match is never taken for more than it is.
"""

from __future__ import annotations

import importlib
from functools import lru_cache

from canaries.names import spoken_key, surname_key

_ZH = {
    "wang": 0.071,
    "li": 0.072,
    "zhang": 0.068,
    "liu": 0.054,
    "chen": 0.045,
    "yang": 0.031,
    "huang": 0.023,
    "zhao": 0.023,
    "wu": 0.022,
    "zhou": 0.021,
    "xu": 0.018,
    "sun": 0.015,
    "ma": 0.015,
    "zhu": 0.014,
    "hu": 0.013,
    "guo": 0.012,
    "he": 0.012,
    "lin": 0.012,
    "gao": 0.011,
    "luo": 0.010,
    "zheng": 0.010,
    "liang": 0.009,
    "xie": 0.008,
    "song": 0.007,
    "tang": 0.007,
    "han": 0.007,
    "feng": 0.006,
    "deng": 0.006,
    "cao": 0.006,
    "peng": 0.006,
    "zeng": 0.005,
    "xiao": 0.005,
    "tian": 0.005,
    "dong": 0.005,
    "pan": 0.005,
    "yuan": 0.005,
    "cai": 0.005,
    "jiang": 0.009,
    "yu": 0.009,
    "du": 0.004,
    "ye": 0.004,
    "cheng": 0.004,
}
_EN = {
    "smith": 0.0083,
    "johnson": 0.0066,
    "williams": 0.0055,
    "brown": 0.0049,
    "jones": 0.0048,
    "garcia": 0.0039,
    "miller": 0.0038,
    "davis": 0.0037,
    "rodriguez": 0.0036,
    "martinez": 0.0035,
    "hernandez": 0.0034,
    "lopez": 0.0029,
    "gonzalez": 0.0028,
    "wilson": 0.0027,
    "anderson": 0.0026,
    "thomas": 0.0025,
    "taylor": 0.0024,
    "moore": 0.0023,
    "jackson": 0.0022,
    "martin": 0.0022,
}
OTHER = 0.0025


_SMITH_SHARE = 0.00828  # of all people in the 2010 US Census; Faker's en_US weights are relative


@lru_cache(maxsize=1)
def _table() -> dict[str, float]:
    table = dict(_ZH)
    for name, share in _EN.items():
        key = spoken_key(name, locale="en_US")
        table[key] = table.get(key, 0.0) + share
    listed: dict[str, float] = {}
    for locale, scale in (("zh_CN", 0.01), ("en_US", None)):
        weights = importlib.import_module(f"faker.providers.person.{locale}").Provider.last_names
        scale = scale if scale is not None else _SMITH_SHARE / weights["Smith"]
        for surname, weight in weights.items():
            key = surname_key(surname, locale=locale)
            listed[key] = listed.get(key, 0.0) + float(weight) * scale
    for key, share in listed.items():
        table[key] = max(table.get(key, 0.0), share)
    return table


def frequency(key: str) -> float:
    """Chance that a caller who names somebody at random names this surname key: its share, and
    never less than `OTHER` (a rare surname's tiny share would make a chance match look like
    proof; strangers' lists are not drawn from the census)."""
    return max(_table().get(key, 0.0), OTHER)


# Canary surnames strangers say this often by chance are weak evidence, so the generator never
# issues them: every surname in the tables above (0.2% of people or more: 王, 李, Smith, Anderson).
# A background that names a random surname a few dozen times a year, on numbers each holding
# dozens of canaries, hits one of them now and then; at 1% (the earlier bound) a wrong-number
# "Ms. Anderson" made an innocent platform 'leaked' in one of 40 unseen worlds.
TOO_COMMON = 0.002


def too_common(key: str) -> bool:
    """Is `key` a surname the tables list as said by chance TOO_COMMON of the time or more? (An
    unlisted surname's OTHER is a conservative default, not a measured share.)"""
    return key in _table() and _table()[key] >= TOO_COMMON


# --- given names ---------------------------------------------------------------------------
# A given name said alone ("Hi Sandra") was shared by one of the line's canaries or by anybody a
# stranger meant: how often a stranger names it is its share of people. Faker's en_US first names
# carry the US Social Security Administration's counts of the top 200 names of each decade from
# the 1960s to the 1990s (female and male lists, each weighted to sum to 1 over the names listed;
# half of people each). Those lists cover most but not all people, so a share scaled to them is
# an upper bound, on the safe side; sound-alikes add up under one spoken key. Faker's zh_CN given
# names are an unweighted list of the commonest (伟, 芳, 秀英: the given names of the commonest
# whole names, 张伟 ...), and we know no published share table of Chinese given names: every one
# counts as common.
_GIVEN_LOCALES = {"en_US": ("first_names_female", "first_names_male")}


@lru_cache(maxsize=4)
def _given_table(locale: str) -> dict[str, float]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    table: dict[str, float] = {}
    for lists in _GIVEN_LOCALES.get(locale, ()):
        names = getattr(provider, lists)
        total = float(sum(names.values()))
        for name, weight in names.items():
            key = spoken_key(name, locale=locale)
            table[key] = table.get(key, 0.0) + 0.5 * float(weight) / total
    return table


def given_share(key: str, locale: str) -> float | None:
    """The share of people whose given name is `key` (a spoken key), by the locale's share table;
    None for a name it does not list (a nickname, an unlisted spelling) or a locale without one."""
    return _given_table(locale).get(key) if locale in _GIVEN_LOCALES else None


def rare_given(key: str, locale: str) -> bool:
    """Is `key` (a spoken key) a given name strangers say less than TOO_COMMON of the time, as
    rare as a surname a canary may carry? Only a name the locale's share table lists is: a
    nickname or an unlisted spelling has no measured share, and counts as common."""
    share = given_share(key, locale)
    return share is not None and share < TOO_COMMON
