"""The names a locale offers, and drawing surnames whose spoken keys no active canary uses.

Faker supplies the names (zh_CN: 399 surnames and 131 given names; en_US: 1,000 surnames), but
`Faker.unique` forgets between processes, so uniqueness comes from `Taken`, not Faker. Surnames
that sound alike share one spoken key and form one group; a canary gets a whole group.
"""

from __future__ import annotations

import bisect
import importlib
from collections.abc import Callable, Mapping, Sequence, Set
from dataclasses import dataclass
from functools import cache, cached_property
from itertools import accumulate, repeat
from random import Random
from typing import Any

from canaries.address import common_word, function_word, generic_head, sounds_generic
from canaries.frequency import too_common
from canaries.names import COMPOUND_SURNAMES, spoken_key, surname_key

LOCALES = ("zh_CN", "en_US")
_COMPOUND_WEIGHT = 0.005  # below Faker's rarest zh_CN surname (0.006): 复姓 are rarer still


@dataclass(frozen=True)
class SurnameGroup:
    """Surnames that sound alike (王, 汪) and their relative frequencies."""

    key: str
    surnames: tuple[str, ...]
    weights: tuple[float, ...]

    def draw(self, rng: Random) -> str:
        return weighted_draw(rng, self.surnames, self._cum_weights)

    @cached_property
    def _cum_weights(self) -> tuple[float, ...]:
        return tuple(accumulate(self.weights))


@dataclass(frozen=True)
class GivenNames:
    """A locale's given names with cumulative weights for fast weighted draws."""

    names: tuple[str, ...]
    cum_weights: tuple[float, ...]

    def draw(self, rng: Random) -> str:
        return weighted_draw(rng, self.names, self.cum_weights)


def weighted_draw(rng: Random, population: Sequence[str], cum_weights: Sequence[float]) -> str:
    """`rng.choices(population, cum_weights=cum_weights)[0]`, the same draw from the same random
    number, without building a list per call (a 66,000-canary batch draws ~800,000 names)."""
    return population[bisect.bisect(cum_weights, rng.random() * (cum_weights[-1] + 0.0), 0, len(population) - 1)]


class SurnameSpace:
    """One generator's surname groups in a random order (frequency-blind, see `shuffled`)."""

    def __init__(self, locale: str, rng: Random, *, exclude: str) -> None:
        groups = [group for group in surname_groups(locale) if group.key not in ("", exclude) and distinctive(group)]
        self._order = shuffled(groups, rng)
        self._keys = frozenset(group.key for group in self._order)
        self._cursor = 0

    def __len__(self) -> int:
        return len(self._order)

    def pick(self, taken: Set[str], uses: Mapping[str, int]) -> tuple[SurnameGroup, bool]:
        """The next group none of whose spoken forms (its key, a compound's cut key) a taken key
        shares, a taken compound's cut form included; when none is left, the least-used one.

        Returns (group, exhausted). Amortized O(1): the cursor only moves forward, wrapping.
        """

        def free(key: str) -> bool:
            return not any(form in taken or not _cut_from(form).isdisjoint(taken) for form in _forms(key))

        if not self._keys <= taken:
            group = self._advance(free)
            if group is not None:
                return group, False
        fewest = min(map(uses.get, self._keys, repeat(0)))
        group = self._advance(lambda key: uses.get(key, 0) == fewest)
        assert group is not None  # the least-used key is one of this space's keys
        return group, True

    def _advance(self, fits: Callable[[str], bool]) -> SurnameGroup | None:
        for _ in range(len(self._order)):
            group = self._order[self._cursor]
            self._cursor = (self._cursor + 1) % len(self._order)
            if fits(group.key):
                return group
        return None


def distinctive(group: SurnameGroup) -> bool:
    """May a canary carry this surname group? Not when strangers say it by chance (王, Smith),
    when it doubles as generic address (帅 of 帅哥, 美 of 美女), a word of Chinese grammar (那
    "that": 那志强先生 reads as Mr. 强) or a common English word (Young, Grant), nor a compound
    whose first character, which mass-SMS systems cut it to, is common (羊舌 -> 羊, said like 杨)."""
    if too_common(group.key) or too_common(cut_key(group.key)):
        return False
    if group.surnames and not group.surnames[0][:1].isascii():
        return not any(generic_head(s) or function_word(s) for s in group.surnames)
    return not any(common_word(s) or sounds_generic(s, "en_US") for s in group.surnames)


@cache
def _cuts() -> dict[str, str]:
    return {spoken_key(c): spoken_key(c[0]) for c in COMPOUND_SURNAMES}


def cut_key(key: str) -> str:
    """The spoken key a compound surname's key is cut to ("yangshe" -> "yang"); "" otherwise."""
    return _cuts().get(key, "")


@cache
def _forms(key: str) -> tuple[str, ...]:
    """A surname key and the key its compound is cut to, if any."""
    return (key, cut_key(key)) if cut_key(key) else (key,)


@cache
def _cut_from(key: str) -> frozenset[str]:
    """The compound keys that are cut to `key` ("si" <- "sima", "situ", "sikou", "sikong")."""
    return frozenset(compound for compound, cut in _cuts().items() if cut == key)


def shuffled(groups: Sequence[SurnameGroup], rng: Random) -> list[SurnameGroup]:
    """Every surname group equally likely to come first, whatever its frequency.

    A common surname is weak evidence: strangers, wrong numbers and a recycled number's previous
    owner say 王 or 张 by chance far more often than 鞠 or 欧阳, so canaries do not favour them.
    """
    order = list(groups)
    rng.shuffle(order)
    return order


@cache
def surname_groups(locale: str) -> tuple[SurnameGroup, ...]:
    """Faker's surnames for `locale` (plus 复姓 for Chinese), grouped by spoken key."""
    weighted = dict(_person_data(locale).last_names)
    if locale.startswith("zh"):
        weighted.update({s: _COMPOUND_WEIGHT for s in COMPOUND_SURNAMES if s not in weighted})
    grouped: dict[str, dict[str, float]] = {}
    for surname, weight in weighted.items():
        grouped.setdefault(surname_key(surname, locale=locale), {})[surname] = float(weight)
    return tuple(
        SurnameGroup(key, tuple(members), tuple(members.values())) for key, members in grouped.items()
    )


@cache
def given_names(locale: str) -> GivenNames:
    """Faker's given names for `locale`, weighted where Faker gives weights."""
    data = _person_data(locale).first_names
    weights = data if isinstance(data, Mapping) else dict.fromkeys(data, 1.0)
    return GivenNames(tuple(weights), tuple(accumulate(float(w) for w in weights.values())))


def _person_data(locale: str) -> Any:
    """Faker's person provider class for `locale`: its name lists are plain class attributes."""
    return importlib.import_module(f"faker.providers.person.{locale}").Provider
