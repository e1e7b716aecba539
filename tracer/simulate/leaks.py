"""Leaked data at work: partners, breach crews and broker clients contacting a canary.

Each delivery hands one canary's record to one centre at one moment; the centre then calls or
texts a few times with growing gaps (lists go stale), and mails the alias when it has it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from random import Random

from tracer.simulate import campaign, clock
from tracer.simulate.scene import Contact, Scene
from tracer.simulate.world import Centre, Platform, Signup

# Share of SMS and mail quoting a marker (birthday, address line 2), per behaviour: breach
# dumps hold whole records; broker lists and partner leads mostly phone and name. Assumptions.
_MARKER = {"partners": 0.03, "breach": 0.15, "broker": 0.05}
# Chance a delivery includes the alias, per behaviour (brokers say so per broker).
_MAIL = {"partners": 0.3, "breach": 0.8}
_PARTNER_DELAY_H = 1.5  # median hours from signup to the partner's first call ("minutes to hours")


@dataclass(frozen=True)
class Delivery:
    centre: Centre
    at: datetime  # when the centre starts working this record
    mail: bool


def leaked_at(platform: Platform, signup: Signup, end: datetime) -> datetime | None:
    """When the data left the platform, or None when it never did within the period."""
    if platform.leak_delay is None:
        return None
    moment = signup.at + clock.days(platform.leak_delay)
    return moment if moment < end else None


def leaks(scene: Scene) -> list[Contact]:
    found: list[Contact] = []
    for signup in scene.signups:
        platform = scene.platforms[signup.platform]
        moment = leaked_at(platform, signup, scene.end)
        if moment is None:
            continue
        rng = scene.rng("leak", signup.platform)
        mine: list[Contact] = []
        deliveries = _deliveries(scene, rng, platform, signup, moment)
        for delivery in deliveries:
            mine += _work(scene, rng, delivery, signup, platform.behaviour)
        # the moment the data first reached a caller's hands (what `leak_window` estimates)
        reached = min((d.at for d in deliveries if d.at < scene.end), default=None)
        if not mine:
            mine.append(_first(scene, rng, platform, signup, moment))
            reached = None
        scene.leak_moments[signup.platform] = clock.seconds(reached or moment)  # as contact times are
        found += mine
    return found


def _deliveries(
    scene: Scene, rng: Random, platform: Platform, signup: Signup, moment: datetime
) -> list[Delivery]:
    if platform.behaviour == "partners":
        return [
            Delivery(
                scene.centres[cid],
                signup.at + _partner_delay(rng),
                rng.random() < _MAIL["partners"],
            )
            for cid in platform.partners
        ]
    if platform.behaviour == "breach":
        return [
            Delivery(
                scene.centres[cid],
                moment + clock.days(rng.expovariate(1 / 1.5)),
                rng.random() < _MAIL["breach"],
            )
            for cid in platform.partners
        ]
    broker = next(b for b in scene.world.brokers if b.id == platform.broker)
    found = []
    for index, cid in enumerate(broker.centres):
        centre = scene.centres[cid]
        if index and rng.random() < 0.2:
            continue  # not every client buys every batch
        bought = _next_purchase(scene, centre, moment)
        mail = broker.sells_email and rng.random() < centre.mail
        found.append(Delivery(centre, bought + clock.days(rng.expovariate(1.0)), mail))
    return found + _resales(scene, rng, broker.centres, moment)


def _resales(scene: Scene, rng: Random, centres: tuple[str, ...], moment: datetime) -> list[Delivery]:
    """Waves after the first (`Shape.resale_waves`): the broker sells the record again, 1-4
    months later each time, to one of its clients, which works it as a fresh lead."""
    found: list[Delivery] = []
    for _ in range(scene.world.shape.resale_waves - 1):
        moment += clock.days(rng.uniform(30.0, 120.0))
        centre = scene.centres[rng.choice(centres)]
        bought = _next_purchase(scene, centre, moment)
        found.append(Delivery(centre, bought + clock.days(rng.expovariate(1.0)), False))
    return found


def _work(
    scene: Scene, rng: Random, delivery: Delivery, signup: Signup, behaviour: str
) -> list[Contact]:
    centre = delivery.centre
    found = []
    moment = delivery.at
    for attempt in range(1 + clock.geometric(rng, centre.per_target - 1)):
        if attempt:
            moment += clock.days(rng.expovariate(1 / (centre.gap * 1.6 ** (attempt - 1))))
        channel = "sms" if rng.random() < centre.sms else "call"
        at = clock.open_hours(rng, moment, scene.zone, channel)
        if at >= scene.end:
            break
        found.append(_phone(scene, rng, centre, signup, at, channel, behaviour))
    if delivery.mail and signup.email:
        found += _mails(scene, rng, centre, signup, delivery.at, behaviour)
    return found


def _phone(
    scene: Scene,
    rng: Random,
    centre: Centre,
    signup: Signup,
    at: datetime,
    channel: str,
    behaviour: str,
) -> Contact:
    said = scene.say(rng, signup.name, scene.user.gender, live=centre.live or channel == "sms")
    if channel == "sms":
        extra = (
            scene.marker_phrase(rng, signup.markers) if rng.random() < _MARKER[behaviour] else ""
        )
        text = campaign.sms_text(scene, rng, centre, at, scene.greet(rng, said), extra)
        sender = centre.senders[int((at - scene.start).days / 30) % len(centre.senders)]
        part = said.part if said.text and said.text in text else ""  # some templates greet no one
        marker = bool(extra) and extra in text
        return Contact(
            "sms",
            at,
            signup.phone,
            sender,
            signup.platform,
            "leak",
            scene.identifying(signup, signup.phone, at, part=part, marker=marker, key=said.key),
            text=text,
            centre=centre.id,
        )
    heard = scene.heard(rng, said)
    return Contact(
        "call",
        at,
        signup.phone,
        None,
        signup.platform,
        "leak",
        scene.identifying(signup, signup.phone, at, part=said.part if heard else "", key=said.key),
        text=campaign.call_text(scene, rng, centre),
        heard_name=heard,
        centre=centre.id,
    )


def _mails(
    scene: Scene, rng: Random, centre: Centre, signup: Signup, start: datetime, behaviour: str
) -> list[Contact]:
    found = []
    moment = start
    for _ in range(1 + clock.geometric(rng, 1.5)):
        moment += clock.days(rng.expovariate(1 / 2.0))
        at = clock.daytime(rng, moment, scene.zone, "email")
        if not start <= at < scene.end:
            continue
        said = scene.say(rng, signup.name, scene.user.gender, live=rng.random() < 0.4)
        extra = (
            scene.marker_phrase(rng, signup.markers) if rng.random() < _MARKER[behaviour] else ""
        )
        subject, body, sender = campaign.mail(scene, rng, centre, at, scene.greet(rng, said), extra)
        email = signup.email or ""
        found.append(
            Contact(
                "email",
                at,
                email,
                sender,
                signup.platform,
                "leak",
                True,
                text=body,
                subject=subject,
                sender_name=centre.signature,
                to_name=signup.name if rng.random() < 0.3 else "",
                centre=centre.id,
            )
        )
    return found


def _first(
    scene: Scene, rng: Random, platform: Platform, signup: Signup, moment: datetime
) -> Contact:
    """A leak that the period ends on before any centre got round to it: one call at least."""
    cid = platform.partners[0] if platform.partners else _broker_centre(scene, platform)
    span = max(60.0, (scene.end - moment).total_seconds() - 3600)
    at = clock.seconds(moment + timedelta(seconds=rng.uniform(0, span)))
    return _phone(scene, rng, scene.centres[cid], signup, at, "call", platform.behaviour)


def _broker_centre(scene: Scene, platform: Platform) -> str:
    return next(b for b in scene.world.brokers if b.id == platform.broker).centres[0]


def _next_purchase(scene: Scene, centre: Centre, moment: datetime) -> datetime:
    """Broker clients buy fresh lists every `batch_days`, each on its own schedule."""
    phase = Random(f"{scene.world.shape.seed}/phase/{centre.id}").uniform(0, centre.batch_days)
    elapsed = (moment - scene.start).total_seconds() / clock.DAY - phase
    batches = max(0, math.ceil(elapsed / centre.batch_days))
    return scene.start + clock.days(phase + batches * centre.batch_days)


def _partner_delay(rng: Random) -> timedelta:
    """Minutes to hours: lognormal around 1.5 h, between 2 minutes and 3 days."""
    hours = math.exp(rng.gauss(math.log(_PARTNER_DELAY_H), 1.2))
    return timedelta(hours=min(72.0, max(2 / 60, hours)))
