"""plan(): decide the user, numbers, platforms, signups and every hidden leak, from a Shape."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from random import Random
from zoneinfo import ZoneInfo

from faker import Faker
from pypinyin import lazy_pinyin

import canaries
from tracer.simulate import actors, catalog, numbers
from tracer.simulate.corpus import Corpus
from tracer.simulate.corpus import load as load_corpus
from tracer.simulate.numbers import City
from tracer.simulate.shape import Shape
from tracer.simulate.world import Broker, Centre, Line, Planned, Platform, User, World

_MAIL_HOSTS_ZH = ("qq.com", "163.com", "126.com", "sina.com", "foxmail.com")
_MAIL_HOSTS_EN = ("gmail.com", "yahoo.com", "outlook.com", "icloud.com", "aol.com")
_PLATFORMS_PER_BROKER = 4  # assumption: a lead broker buys from a handful of apps at once


def plan(shape: Shape) -> World:
    """The whole hidden world for `shape`; deterministic under `shape.seed`."""
    rng = Random(f"plan/{shape.seed}")
    fake = Faker(shape.locale)
    fake.seed_instance(shape.seed)
    corpus = None if shape.locale.startswith("zh") else load_corpus()
    city = rng.choice(numbers.cities(shape.locale))
    user = _user(shape, rng, fake, city)
    lines = _lines(shape, rng, fake, user, city)
    start = datetime.combine(date.fromisoformat(shape.start), time(), ZoneInfo(user.timezone))
    start = start.astimezone(UTC)
    end = start + timedelta(days=shape.days)
    signups = _signups(shape, rng, user, start)
    brands = {planned.platform for planned in signups}
    used: set[str] = set()  # scripts and callbacks taken by a centre
    platforms, centres, brokers = _conduct(shape, rng, signups, end, city, brands, corpus, used)
    centres += _background(shape, rng, city, brands, corpus, used)
    return World(shape, user, lines, platforms, signups, tuple(centres), brokers, start, end)


_NOT_NAME_WORDS = canaries.address.EN_TITLES | {"dds", "md", "phd", "dvm", "jr", "sr", "ii", "iii", "iv", "v"}


def _name_words(name: str) -> tuple[str, str]:
    """First and last word of an English name in lower-case letters, without titles and
    suffixes ("Mrs. Ann Lee", "Jack Higgins DDS"): the parts a mail address is made of."""
    words = [w for w in (re.sub(r"[^a-z]", "", w) for w in name.lower().split()) if w and w not in _NOT_NAME_WORDS]
    return (words[0], words[-1]) if words else ("user", "mail")


def _user(shape: Shape, rng: Random, fake: Faker, city: City) -> User:
    gender = rng.choice(("male", "female"))
    name = fake.name_male() if gender == "male" else fake.name_female()
    zh = shape.locale.startswith("zh")
    if zh:
        local = "".join(lazy_pinyin(name)) + str(rng.randrange(10, 9999))
        email = f"{local}@{rng.choice(_MAIL_HOSTS_ZH)}"
    else:
        first, last = _name_words(name)
        local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}"))
        email = f"{local}{rng.randrange(1, 99)}@{rng.choice(_MAIL_HOSTS_EN)}"
    word = Faker("en_US")
    word.seed_instance(shape.seed)
    domain = f"{word.word()}{rng.choice(('mail', 'box', 'post', ''))}.example.org"
    return User(
        locale=shape.locale,
        name=name,
        gender=gender,
        phone=numbers.mobile(rng, shape.locale, city),
        email=email,
        email_domain=domain,
        region="CN" if zh else "US",
        timezone=city.timezone,
        city=city.name,
    )


def _lines(shape: Shape, rng: Random, fake: Faker, user: User, city: City) -> tuple[Line, ...]:
    """Primary first, then the pool: spares (recycled ones first), controls last."""
    found = [user.phone]
    tails = {user.phone[-4:]}
    while len(found) < shape.pool + 1:
        number = numbers.mobile(rng, shape.locale, city)
        if number[-4:] not in tails or len(tails) >= 9000:
            found.append(number)
            tails.add(number[-4:])
    lines = [Line(user.phone, "primary", primary=True)]
    spares = shape.pool - shape.controls
    for index, number in enumerate(found[1:]):
        control = index >= spares
        recycled = index < shape.recycled  # spares come first, so controls only when needed
        owner, gender = "", ""
        if recycled:
            gender = rng.choice(("male", "female"))
            owner = fake.name_male() if gender == "male" else fake.name_female()
        label = f"control {index - spares + 1}" if control else f"spare {index + 1}"
        lines.append(Line(number, label, False, control, recycled, owner, gender))
    return tuple(lines)


def _signups(shape: Shape, rng: Random, user: User, start: datetime) -> tuple[Planned, ...]:
    zone = ZoneInfo(user.timezone)
    used: set[str] = set()
    cats = list(catalog.CATEGORIES)
    order: list[catalog.Category] = []
    while len(order) < shape.platforms:
        rng.shuffle(cats)
        order.extend(cats)
    span = max(1.0, shape.days * shape.signup_span)
    days = sorted(rng.uniform(0, span) for _ in range(shape.platforms))
    planned = []
    for category, day in zip(order[: shape.platforms], days, strict=True):
        local = start.astimezone(zone) + timedelta(days=math.floor(day))
        hour = rng.choices(range(24), weights=_SIGNUP_HOURS)[0]
        at = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
        name = catalog.brand(user.locale, category.key, rng, used)
        planned.append(Planned(name, category.key, at.astimezone(UTC), rng.random() < category.kyc))
    return tuple(sorted(planned, key=lambda p: (p.at, p.platform)))


# When people install apps (local hour): evenings and lunch breaks.
_SIGNUP_HOURS = (1, 0.5, 0.2, 0.1, 0.1, 0.2, 0.5, 1, 2, 3, 3, 3, 4, 3, 3, 3, 3, 3, 4, 5, 6, 6, 5, 3)


def _conduct(
    shape: Shape,
    rng: Random,
    signups: tuple[Planned, ...],
    end: datetime,
    city: City,
    brands: set[str],
    corpus: Corpus | None,
    used: set[str],
) -> tuple[tuple[Platform, ...], list[Centre], tuple[Broker, ...]]:
    """Who leaks, how, to which centres; the platforms' own habits."""
    behaviours = _behaviours(shape, rng, signups)
    maker = _CentreMaker(shape, rng, city, brands, corpus, used=used)
    brokers = _brokers(rng, maker, signups, behaviours)
    broker_of = {name: b.id for b in brokers for name in b.platforms}
    platforms = []
    for planned in signups:
        behaviour = behaviours[planned.platform]
        remaining = (end - planned.at).total_seconds() / 86400
        partners: tuple[str, ...] = ()
        delay: float | None = None
        if behaviour == "partners":
            delay, partners = 0.0, maker.partners(planned.category)
        elif behaviour == "breach":
            delay = rng.uniform(14.0, max(15.0, min(90.0, remaining - 10.0)))
            partners = tuple(
                maker.make("scam", maker.scam_topic(planned)) for _ in range(rng.randint(2, 4))
            )
        elif behaviour == "broker":
            delay = 1.0 + rng.expovariate(1 / 6.0)
        if delay is not None and behaviour != "partners":
            delay += shape.leak_lag  # a dump sold on, or a list worked, months after the signup
        if delay is not None and delay >= remaining - 1.0:
            delay = max(0.0, remaining * rng.uniform(0.2, 0.6))
        platforms.append(
            _platform(shape, rng, planned, behaviour, delay, broker_of, partners, city)
        )
    return tuple(platforms), maker.made, brokers


def _behaviours(shape: Shape, rng: Random, signups: tuple[Planned, ...]) -> dict[str, str]:
    """Pick the leaking platforms (weighted by category) and split them among behaviours."""
    count = round(shape.leak_share * len(signups))
    keyed = sorted(
        signups,
        key=lambda p: rng.random() ** (1.0 / catalog.BY_KEY[p.category].leak_weight),
        reverse=True,
    )
    leaking = [p.platform for p in keyed[:count]]
    mix = {
        "partners": shape.partners_share,
        "breach": shape.breach_share,
        "broker": shape.broker_share,
    }
    total = sum(mix.values())
    quotas = {k: v / total * count for k, v in mix.items()}
    counts = {k: math.floor(q) for k, q in quotas.items()}
    for k in sorted(quotas, key=lambda k: quotas[k] - counts[k], reverse=True):
        if sum(counts.values()) < count:
            counts[k] += 1
    labels = [k for k in mix for _ in range(counts[k])]
    rng.shuffle(labels)
    found = dict.fromkeys((p.platform for p in signups), "none")
    found.update(zip(leaking, labels, strict=True))
    return found


def _brokers(
    rng: Random, maker: _CentreMaker, signups: tuple[Planned, ...], behaviours: dict[str, str]
) -> tuple[Broker, ...]:
    sold = [p for p in signups if behaviours[p.platform] == "broker"]
    if not sold:
        return ()
    rng.shuffle(sold)
    count = max(1, round(len(sold) / _PLATFORMS_PER_BROKER))
    brokers = []
    for index in range(count):
        members = sold[index::count]
        topics = [catalog.BY_KEY[p.category].partner_topics[0] for p in members]
        centres = tuple(maker.make("broker", rng.choice(topics)) for _ in range(rng.randint(2, 5)))
        names = tuple(sorted(p.platform for p in members))
        brokers.append(Broker(f"broker-{index + 1:02d}", names, centres, rng.random() < 0.5))
    return tuple(brokers)


def _platform(
    shape: Shape,
    rng: Random,
    planned: Planned,
    behaviour: str,
    delay: float | None,
    broker_of: dict[str, str],
    partners: tuple[str, ...],
    city: City,
) -> Platform:
    category = catalog.BY_KEY[planned.category]
    home = rng.choice(numbers.cities(shape.locale))
    sales = rng.randint(1, 4) if rng.random() < category.sales_calls else 0
    return Platform(
        name=planned.platform,
        category=planned.category,
        domain=catalog.domain(planned.platform, shape.locale, rng),
        sender=numbers.service_sender(rng, shape.locale),
        hotline=numbers.landline(rng, shape.locale, home),
        real_name=planned.real_name,
        behaviour=behaviour,
        leak_delay=delay,
        broker=broker_of.get(planned.platform),
        partners=partners,
        marketing_sms=0.0 if rng.random() < 0.4 else rng.uniform(0.02, 0.15),
        marketing_mail=_mail_rate(shape, rng),
        sales_calls=sales,
    )


def _mail_rate(shape: Shape, rng: Random) -> float:
    """Newsletters per day. Chinese apps market by SMS and push, rarely by mail (assumption)."""
    if shape.locale.startswith("zh"):
        return 0.0 if rng.random() < 0.6 else rng.uniform(0.01, 0.1)
    return 0.0 if rng.random() < 0.3 else rng.uniform(0.03, 0.3)


def _background(
    shape: Shape, rng: Random, city: City, brands: set[str], corpus: Corpus | None, used: set[str]
) -> list[Centre]:
    """Campaigns that dial whole number ranges: they reach every line, controls included."""
    topics = (
        catalog.BACKGROUND_TOPICS if shape.locale.startswith("zh") else catalog.BACKGROUND_TOPICS_EN
    )
    maker = _CentreMaker(shape, rng, city, brands, corpus, prefix="bg", used=used)
    for _ in range(rng.randint(8, 15)):
        maker.make("background", rng.choice(topics))
    return maker.made


class _CentreMaker:
    """Numbers centres in order of creation and reuses partner centres (shared SDKs, ad nets)."""

    def __init__(
        self,
        shape: Shape,
        rng: Random,
        city: City,
        brands: set[str],
        corpus: Corpus | None,
        prefix: str = "cc",
        used: set[str] | None = None,
    ) -> None:
        self.shape, self.rng, self.city, self.brands, self.corpus = shape, rng, city, brands, corpus
        self.prefix = prefix
        self.made: list[Centre] = []
        self.used = used if used is not None else set()

    def make(self, kind: str, topic: str) -> str:
        ident = f"{self.prefix}-{len(self.made) + 1:03d}"
        self.made.append(
            actors.centre(
                self.rng,
                ident=ident,
                kind=kind,
                topic=topic,
                locale=self.shape.locale,
                city=self.city,
                brands=self.brands,
                corpus=self.corpus,
                used=self.used,
            )
        )
        return ident

    def partners(self, category: str) -> tuple[str, ...]:
        """1-2 partner centres, a third of them shared by several platforms (one SDK, many apps)."""
        chosen: list[str] = []
        for _ in range(self.rng.choice((1, 1, 2))):
            topic = self.rng.choice(catalog.BY_KEY[category].partner_topics)
            existing = [c.id for c in self.made if c.kind == "partner" and c.topic == topic]
            if existing and self.rng.random() < 0.35:
                pick = self.rng.choice(existing)
            else:
                pick = self.make("partner", topic)
            if pick not in chosen:
                chosen.append(pick)
        return tuple(chosen)

    def scam_topic(self, planned: Planned) -> str:
        """Breached records go to fraud crews: refund scams, loans, fake investment, parcels."""
        options: tuple[str, ...] = (planned.category, "loans", "shopping", "government")
        if self.shape.locale.startswith("zh"):
            options = (planned.category, "loans", "delivery", "stocks", "credit-card")
        return self.rng.choice(options)
