"""Issue canary identities: a name that sounds unlike every other, a fresh alias, fresh markers.

Pure and in-memory: the vault passes in what active canaries use (`Taken`) and stores the result.
Same seed and same calls give the same identities.
"""

from __future__ import annotations

from random import Random

from canaries.address import common_word, sounds_generic
from canaries.aliases import Aliases
from canaries.errors import N_, InputError, RefusedError
from canaries.markers import Markers
from canaries.namebook import LOCALES, SurnameSpace, given_names
from canaries.names import split_name, spoken_key, surname_key
from canaries.records import Issued, Taken

SURNAME_WARNING = N_("surname space exhausted: this canary is told apart only by its other fields")
_SINGLE_DRAWS = 20  # then zh pairs two one-character given names: 131 + 85² choices per surname
_NAME_DRAWS = 400
_PROBE = 5  # failed draws after which zh checks whether any one-character given name is left


class Generator:
    """Issues identities for one user in one locale ("zh_CN" or "en_US")."""

    def __init__(
        self,
        locale: str,
        real_name: str,
        *,
        email_domain: str | None = None,
        plus_mailbox: str | None = None,
        seed: int | None = None,
    ) -> None:
        if locale not in LOCALES:
            raise InputError(f"unsupported locale {locale!r}", field="locale", hint=N_("use zh_CN or en_US"))
        self.locale = locale
        self._zh = locale.startswith("zh")
        self._real_name = real_name
        real_surname, real_given = split_name(self._real_name)
        self._real_key = surname_key(real_surname, locale=locale)
        self._rng = Random(seed)
        self._surnames = SurnameSpace(locale, self._rng, exclude=self._real_key)
        self._given = given_names(locale)
        self._singles = tuple(name for name in self._given.names if len(name) == 1)
        self._avoid_given = self._sound_alikes(real_given)
        self._judgements: dict[str, tuple[bool, str | None]] = {}
        self._no_single_left: set[str] = set()
        self._markers = Markers(locale)
        self._aliases = Aliases(domain=email_domain, plus_mailbox=plus_mailbox)

    def issue(self, taken: Taken, *, real_name: bool = False) -> Issued:
        """A new identity unique against `taken`; `real_name` keeps the user's name (KYC)."""
        name, key, warnings = self._name(taken, real_name)
        email = self._aliases.make(self._rng, taken.emails)
        markers, marker_warnings = self._markers.make(self._rng, taken.markers)
        warnings += marker_warnings
        if email and self._aliases.warning:
            warnings.append(self._aliases.warning)
        return Issued(name, email, markers, key, tuple(warnings))

    def _name(self, taken: Taken, real_name: bool) -> tuple[str, str, list[str]]:
        if real_name:
            if not self._real_name.strip():
                raise InputError(N_("no real name to issue"), field="real_name")
            return self._real_name, self._real_key, []
        group, exhausted = self._surnames.pick(taken.surname_keys, taken.surname_uses)
        name = self._full_name(group.draw(self._rng), taken)
        return name, group.key, [SURNAME_WARNING] if exhausted else []

    def _full_name(self, surname: str, taken: Taken) -> str:
        attempt = 0
        while attempt < _NAME_DRAWS:
            given = self._draw_given(attempt)
            name = surname + given if self._zh else f"{given} {surname}"
            attempt += 1
            if name not in taken.names and name != self._real_name:
                unusable, spoken = self._judged(given)
                if not unusable and not (spoken is not None and spoken in taken.heard_given):
                    return name
            if attempt == _PROBE and self._zh and not self._single_left(surname, taken):
                attempt = _SINGLE_DRAWS  # every one-character name is used: go straight to pairs
        raise RefusedError(N_("no unused name left for this surname"), hint=N_("retire old canaries"))

    def _single_left(self, surname: str, taken: Taken) -> bool:
        """Whether some given name of the locale's list is still free with `surname` (remembered
        once none is: names are never freed)."""
        if surname in self._no_single_left:
            return False
        left = any(
            surname + given not in taken.names and surname + given != self._real_name and not self._judged(given)[0]
            for given in self._given.names
        )
        if not left:
            self._no_single_left.add(surname)
        return left

    def _judged(self, given: str) -> tuple[bool, str | None]:
        """Whether `given` may never be a canary's given name (it sounds like the user's own, is a
        common word or sounds like a form of address), and its spoken key (English only, for
        `Taken.heard_given`). Remembered: a large batch judges the same names over and over."""
        if given not in self._judgements:
            first = given.split()[0]
            unusable = given in self._avoid_given or common_word(first) or sounds_generic(first, self.locale)
            self._judgements[given] = (unusable, None if self._zh else spoken_key(given, locale=self.locale))
        return self._judgements[given]

    def _draw_given(self, attempt: int) -> str:
        if self._zh and attempt >= _SINGLE_DRAWS:
            return self._rng.choice(self._singles) + self._rng.choice(self._singles)
        return self._given.draw(self._rng)

    def _sound_alikes(self, real_given: str) -> frozenset[str]:
        """Given names that sound like the user's own, so callers' greetings stay distinct."""
        key = spoken_key(real_given, locale=self.locale)
        if not key:
            return frozenset()
        return frozenset(g for g in self._given.names if spoken_key(g, locale=self.locale) == key)
