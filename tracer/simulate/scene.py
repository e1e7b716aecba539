"""What generating traffic needs at hand: indexes over the world and the issued signups, the
contact record, and the rule that says whether a contact carries identifying evidence."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from random import Random
from zoneinfo import ZoneInfo

from faker import Faker

from canaries import forms, full_key, split_name, spoken_key, surname_key
from tracer.simulate import speech
from tracer.simulate.corpus import Corpus
from tracer.simulate.corpus import load as load_corpus
from tracer.simulate.world import Centre, Line, Platform, Signup, World

CAUSES = ("leak", "first-party", "background", "previous-owner")


@dataclass(frozen=True)
class Contact:
    """One received call, SMS or mail, with its ground truth.

    `sender` is None for a centre's call whose rotating caller ID is assigned later, "" for a
    withheld number. `key` is the truth key, set when the traffic is finalized.
    """

    channel: str  # "call" | "sms" | "email"
    at: datetime
    to: str
    sender: str | None
    platform: str | None
    cause: str
    identifying: bool = False
    text: str = ""
    heard_name: str = ""
    subject: str = ""
    sender_name: str = ""
    to_name: str = ""
    centre: str | None = None
    key: str = ""


class Scene:
    """The world, its signups and fast lookups; one per generate() call."""

    def __init__(self, world: World, signups: list[Signup]) -> None:
        self.world = world
        self.user = world.user
        self.locale = world.user.locale
        self.zh = self.locale.startswith("zh")
        self.zone = ZoneInfo(world.user.timezone)
        self.start, self.end = world.start, world.end
        self.signups = sorted(signups, key=lambda s: (s.at, s.platform))
        self.platforms: dict[str, Platform] = {p.name: p for p in world.platforms}
        self.lines: dict[str, Line] = {line.e164: line for line in world.lines}
        self.centres: dict[str, Centre] = {c.id: c for c in world.centres}
        self.corpus: Corpus | None = None if self.zh else load_corpus()
        self.fake = Faker(self.locale)
        self.fake.seed_instance(world.shape.seed + 7919)
        self._check()
        self._on_line = _times_on_lines(self.signups)
        self._keys = {s.name: _keys(s.name, self.locale) for s in self.signups}
        self._by_key: dict[tuple[str, str], list[datetime]] = defaultdict(list)
        for signup in self.signups:
            for group, keys in _grouped(signup.name, self.locale).items():
                for key in keys:
                    self._by_key[(group, key)].append(signup.at)
        self._real = _grouped(world.user.name, self.locale)
        self.leak_moments: dict[str, datetime] = {}  # filled by leaks(): when data reached a caller

    def rng(self, *parts: object) -> Random:
        """An independent, reproducible stream for one component of the world."""
        return Random("/".join(map(str, (self.world.shape.seed, *parts))))

    def identifying(
        self, signup: Signup, to: str, at: datetime, *, part: str = "", marker: bool = False, key: str = ""
    ) -> bool:
        """Does a contact at `at` carry evidence singling out `signup`'s platform?

        Yes when it reached an address or number only this canary had by then, when it repeats a
        form of its name (`part`: "surname", "cut", "full", "given", "nick" with its `key`) that no
        other canary's forms had by then and that is not the user's own, or when it quotes one
        of the canary's markers.
        """
        if marker or (signup.email and to == signup.email):
            return True
        if to == signup.phone and not self.lines[to].primary:
            others = bisect.bisect_right(self._on_line[to], at) - 1  # this canary counts once
            if others == 0:
                return True
        if not part:
            return False
        group = _GROUPS.get(part, part)
        key = key or self._keys[signup.name].get(part, "")
        if not key or key in self._real.get(group, set()):
            return False
        return bisect.bisect_right(self._by_key[(group, key)], at) <= 1

    def greet(self, rng: Random, said: speech.Said) -> str:
        """How a text opens for what the sender calls the target."""
        if self.zh:
            if not said.text:
                return rng.choice(("", "您好，", "尊敬的客户，", "亲爱的用户，"))
            form = rng.choice(("{}您好，", "尊敬的{}，", "{}，"))
            return form.format(said.text)
        if not said.text:
            return ""
        return rng.choice(("Hi {}, ", "Dear {}, ", "{}, ")).format(said.text)

    def marker_phrase(self, rng: Random, markers: dict[str, str]) -> str:
        """A sentence quoting one marker, as scammers do to sound legitimate ("" if none)."""
        if not markers:
            return ""
        name = rng.choice(sorted(markers))
        value = markers[name]
        if name == "birthday":
            y, m, d = value.split("-")
            if self.zh:
                return f"系统显示您的生日为{int(y)}年{int(m)}月{int(d)}日，"
            return f"Our records show your date of birth as {int(m)}/{int(d)}/{y}. "
        if self.zh:
            return f"您在{value}的包裹待处理，"
        return f"Regarding the delivery to {value}: "

    def callback(self, centre: Centre, at: datetime) -> str:
        """The callback number printed at `at`; it changes every `callback_days`."""
        period = int((at - self.start).total_seconds() / 86400 / centre.callback_days)
        return centre.callbacks[period % len(centre.callbacks)] if centre.callbacks else ""

    def heard(self, rng: Random, said: speech.Said) -> str:
        """What the user writes in heard_name for a call (often nothing)."""
        if not said.text or rng.random() >= self.world.shape.heard_share:
            return ""
        return speech.typed(rng, self.locale, said, self.world.shape.mangle)

    def say(self, rng: Random, name: str, gender: str, *, live: bool) -> speech.Said:
        style = speech.style(rng, self.locale, live=live)
        return speech.say(rng, self.locale, name, gender, style, self.world.shape.mangle)

    def _check(self) -> None:
        for signup in self.signups:
            if signup.platform not in self.platforms:
                raise ValueError(f"signup for {signup.platform!r}, which this world does not have")
            if signup.phone not in self.lines:
                raise ValueError(f"{signup.platform}: phone is not one of the world's numbers")


def _times_on_lines(signups: list[Signup]) -> dict[str, list[datetime]]:
    """Signup times per phone number, in order."""
    found: dict[str, list[datetime]] = defaultdict(list)
    for signup in signups:
        found[signup.phone].append(signup.at)
    return found


# Forms that a caller could confuse: a cut compound sounds like a surname, a nickname like a
# given name.
_GROUPS = {"cut": "surname", "nick": "given"}


def _grouped(name: str, locale: str) -> dict[str, set[str]]:
    """Spoken keys of every form of a name (`canaries.forms`), by the group callers confuse."""
    found: dict[str, set[str]] = defaultdict(set)
    for form in forms(name, locale):
        found[_GROUPS.get(form.part, form.part)].add(form.key)
    return found


def _keys(name: str, locale: str) -> dict[str, str]:
    """Spoken keys of a name's parts: surname, given name, full name."""
    surname, given = split_name(name)
    first = given.split()[0] if given and not locale.startswith("zh") else given
    return {
        "surname": surname_key(surname, locale=locale),
        "given": spoken_key(first, locale=locale) if first else "",
        "full": full_key(name, locale),
        "cut": next((f.key for f in forms(name, locale) if f.part == "cut"), ""),
    }
