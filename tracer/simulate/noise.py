"""Traffic no platform caused: background nuisance on every line, previous owners' traffic on
recycled lines, and dictionary spam to the catch-all domain.

Background follows a Poisson process per line (`Shape.background_rate`, more on the published
primary). About half comes from range-dialling campaigns whose caller IDs and callback numbers
repeat across lines and across months (controls included), the rest from one-off callers.
"""

from __future__ import annotations

from datetime import datetime
from random import Random

from tracer.simulate import campaign, catalog, clock, numbers, speech, texts
from tracer.simulate.scene import Contact, Scene
from tracer.simulate.world import Centre, Line

_CAMPAIGN_SHARE = 0.55  # assumption: robocall studies find most unsolicited calls are campaigns
# The published primary sits on old lists that the same call centres also work: some of its
# background comes from centres that also dial leaked canaries (assumption).
_OLD_LISTS = 0.25
_REAL_NAME_ON_PRIMARY = 0.15  # callers who bought the user's old records say the real name
_RANDOM_SURNAME = 0.03  # wrong numbers and sloppy lists say somebody else's name
_GENERIC = 0.15  # sales floors and scams greet anyone as 帅哥, 美女, 老板, "Sir" (assumption)
_LOCALS = ("info", "admin", "sales", "contact", "support", "webmaster", "hr", "service", "billing")


def background(scene: Scene) -> list[Contact]:
    shape = scene.world.shape
    campaigns = [c for c in scene.world.centres if c.kind == "background"]
    weights = [1.0 / (rank + 1) for rank in range(len(campaigns))]  # a few big ones dominate
    workers = [c for c in scene.world.centres if c.kind in ("partner", "scam", "broker")]
    found = []
    for line in scene.world.lines:
        rng = scene.rng("background", line.e164)
        rate = shape.primary_rate if line.primary else shape.background_rate
        for _ in range(clock.poisson(rng, rate * shape.days)):
            day = scene.start + clock.days(rng.uniform(0, shape.days))
            channel = "sms" if rng.random() < (0.4 if scene.zh else 0.25) else "call"
            at = clock.daytime(rng, day, scene.zone, channel)
            if not scene.start <= at < scene.end:
                continue
            centre = rng.choices(campaigns, weights)[0] if rng.random() < _CAMPAIGN_SHARE else None
            if centre and line.primary and workers and rng.random() < _OLD_LISTS:
                centre = rng.choice(workers)
            found.append(_nuisance(scene, rng, line, at, channel, centre))
    return found


def _nuisance(
    scene: Scene, rng: Random, line: Line, at: datetime, channel: str, centre: Centre | None
) -> Contact:
    said = _background_name(scene, rng, line)
    if centre is None:
        centre = _one_off(scene, rng)
    if channel == "sms":
        sender = centre.senders[rng.randrange(len(centre.senders))]
        text = campaign.sms_text(scene, rng, centre, at, scene.greet(rng, said))
        return Contact(
            "sms", at, line.e164, sender, None, "background", text=text, centre=_id(centre)
        )
    caller = None if centre.id else centre.callers[0]  # campaigns rotate theirs later
    return Contact(
        "call",
        at,
        line.e164,
        caller,
        None,
        "background",
        text=campaign.call_text(scene, rng, centre),
        heard_name=scene.heard(rng, said),
        centre=_id(centre),
    )


def _background_name(scene: Scene, rng: Random, line: Line) -> speech.Said:
    roll = rng.random()
    if line.primary and roll < _REAL_NAME_ON_PRIMARY:
        return scene.say(rng, scene.user.name, scene.user.gender, live=True)
    if roll > 1 - _RANDOM_SURNAME - _GENERIC and roll <= 1 - _RANDOM_SURNAME:
        return speech.say(rng, scene.locale, scene.user.name, scene.user.gender, "generic")
    if roll > 1 - _RANDOM_SURNAME:
        surname = scene.fake.last_name()
        if scene.zh:
            return speech.Said(surname + rng.choice(("先生", "女士")), "surname")
        return speech.Said(f"{rng.choice(('Mr.', 'Ms.'))} {surname}", "surname")
    return speech.NOTHING


def _one_off(scene: Scene, rng: Random) -> Centre:
    """A caller seen once: random number anywhere in the country, random topic."""
    city = rng.choice(numbers.cities(scene.locale))
    topics = catalog.BACKGROUND_TOPICS if scene.zh else catalog.BACKGROUND_TOPICS_EN
    topic = rng.choice(topics)
    caller = (
        numbers.mobile(rng, scene.locale, city, spammy=True)
        if rng.random() < 0.6
        else numbers.landline(rng, scene.locale, city)
    )
    scripts: tuple[int, ...] = (0,)
    if scene.zh:
        scripts = (rng.randrange(len(texts.ZH.get(topic, texts.ZH["shopping"])[0])),)
    elif scene.corpus is not None:
        scripts = (rng.randrange(len(scene.corpus.for_topic(topic))),)
    sender = (
        numbers.service_sender(rng, scene.locale) if scene.zh and rng.random() < 0.5 else caller
    )
    callback = numbers.spoken(numbers.mobile(rng, scene.locale, city), scene.locale)
    return Centre(
        id="",
        kind="one-off",
        topic=topic,
        signature=catalog.brand(scene.locale, topic, rng, set(), avoid=scene.platforms.keys()),
        callers=(caller,),
        rotate=1.0,
        spoof=0.0,
        senders=(sender,),
        sms=0.5,
        mail=0.0,
        callbacks=(callback,),
        callback_days=365.0,
        live=rng.random() < 0.5,
        scripts=scripts,
        per_target=1.0,
        gap=1.0,
        url=f"t.cn/{rng.getrandbits(30):08x}",
        wx=f"v{rng.randrange(10**6)}",
        batch_days=0.0,
    )


def _id(centre: Centre) -> str | None:
    return centre.id or None


def previous_owners(scene: Scene) -> list[Contact]:
    """Debt collectors, friends, shops and parcel lockers still trying the previous owner."""
    found = []
    for line in scene.world.lines:
        if not line.recycled:
            continue
        rng = scene.rng("previous-owner", line.e164)
        owner = _Owner(scene, rng, line)
        days = scene.world.shape.days
        for _ in range(clock.poisson(rng, scene.world.shape.previous_owner_rate * days)):
            day = scene.start + clock.days(rng.uniform(0, days))
            found.append(owner.contact(rng, day))
    return [c for c in found if scene.start <= c.at < scene.end]


class _Owner:
    """The previous owner's world: his collectors, friends and the brands he signed up to."""

    def __init__(self, scene: Scene, rng: Random, line: Line) -> None:
        self.scene, self.line = scene, line
        self.name, self.gender = line.previous_owner, line.previous_gender
        city = rng.choice(numbers.cities(scene.locale))
        self.collectors = [numbers.mobile(rng, scene.locale, city, spammy=True) for _ in range(4)]
        self.friends = [numbers.mobile(rng, scene.locale, city) for _ in range(rng.randint(1, 4))]
        self.callback = numbers.spoken(numbers.landline(rng, scene.locale, city), scene.locale)
        used = set(scene.platforms)  # his apps are none of the user's platforms
        self.brands: list[tuple[str, str, str, str]] = []  # name, category, domain, sender
        for _ in range(rng.randint(2, 4)):
            category = rng.choice(("shopping", "loans", "lifestyle", "short-video"))
            name = catalog.brand(scene.locale, category, rng, used)
            domain = catalog.domain(name, scene.locale, rng)
            self.brands.append((name, category, domain, numbers.service_sender(rng, scene.locale)))

    def contact(self, rng: Random, day: datetime) -> Contact:
        roll = rng.random()
        if roll < 0.4:
            return self._debt(rng, day)
        if roll < 0.55:
            return self._friend(rng, day)
        return self._brand(rng, day)

    def _debt(self, rng: Random, day: datetime) -> Contact:
        scene, prev = self.scene, self.name
        said = scene.say(rng, prev, self.gender, live=True)
        if rng.random() < 0.4:
            at = clock.daytime(rng, day, scene.zone, "sms")
            template = (
                rng.choice(texts.ZH["debt-collection"][0]) if scene.zh else rng.choice(_EN_DEBT)
            )
            text = texts.fill(template, rng, prev=prev, cb=self.callback)
            return self._make("sms", at, rng.choice(self.collectors), text=text)
        at = clock.daytime(rng, day, scene.zone, "call")
        note = campaign.note(scene, rng, "debt-collection", prev=prev) if scene.zh else ""
        if not scene.zh and rng.random() < 0.4:
            note = f"debt collector asking for {prev}"
        heard = scene.heard(rng, said)
        return self._make("call", at, rng.choice(self.collectors), text=note, heard_name=heard)

    def _friend(self, rng: Random, day: datetime) -> Contact:
        scene = self.scene
        at = clock.daytime(rng, day, scene.zone, "call")
        said = speech.say(
            rng, scene.locale, self.name, self.gender, rng.choice(("full", "given", "title"))
        )
        heard = scene.heard(rng, said)
        note = "找人的，打错了" if scene.zh else "wrong number, asked for someone else"
        return self._make(
            "call",
            at,
            rng.choice(self.friends),
            heard_name=heard,
            text=note if rng.random() < 0.5 else "",
        )

    def _brand(self, rng: Random, day: datetime) -> Contact:
        scene = self.scene
        brand, category, domain, sender = rng.choice(self.brands)
        at = clock.daytime(rng, day, scene.zone, "sms")
        if rng.random() < 0.3:  # somebody (he?) still logs in with this number
            text = texts.verification(scene.locale, brand, f"{rng.randrange(10**6):06d}", rng)
        else:
            said = scene.say(rng, self.name, self.gender, live=rng.random() < 0.5)
            url = f"{domain}/{rng.getrandbits(24):06x}"
            greet = scene.greet(rng, said)
            text = texts.marketing(scene.locale, brand, category, greet, url, rng)
        return self._make("sms", at, sender, text=text)

    def _make(
        self, channel: str, at: datetime, sender: str, text: str = "", heard_name: str = ""
    ) -> Contact:
        line = self.line.e164
        return Contact(
            channel, at, line, sender, None, "previous-owner", text=text, heard_name=heard_name
        )


_EN_DEBT = (
    "This message is for {prev}. Please return our call at {cb} about a personal business matter.",
    "{prev}, your account is past due. Call {cb} today to avoid further action. Ref {n}",
)


def catch_all(scene: Scene) -> list[Contact]:
    """Dictionary spam to made-up addresses at the catch-all domain (info@, admin@, names)."""
    rng = scene.rng("catch-all")
    campaigns = [c for c in scene.world.centres if c.kind == "background"]
    found = []
    for _ in range(
        clock.poisson(rng, scene.world.shape.mail_background_rate * scene.world.shape.days)
    ):
        day = scene.start + clock.days(rng.uniform(0, scene.world.shape.days))
        at = clock.daytime(rng, day, scene.zone, "email")
        if not scene.start <= at < scene.end:
            continue
        local = rng.choice(_LOCALS) if rng.random() < 0.6 else scene.fake.user_name()
        centre = rng.choice(campaigns)
        subject, body, sender = campaign.mail(
            scene, rng, centre, at, scene.greet(rng, speech.NOTHING)
        )
        found.append(
            Contact(
                "email",
                at,
                f"{local}@{scene.user.email_domain}",
                sender,
                None,
                "background",
                text=body,
                subject=subject,
                sender_name=centre.signature,
                centre=centre.id,
            )
        )
    return found
