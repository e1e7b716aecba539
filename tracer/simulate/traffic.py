"""generate(): every contact the user's lines and aliases receive, and the truth behind each."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from random import Random
from typing import Any

from tracer.simulate import clock, numbers
from tracer.simulate.firstparty import first_party
from tracer.simulate.leaks import leaked_at, leaks
from tracer.simulate.noise import background, catch_all, previous_owners
from tracer.simulate.scene import Contact, Scene
from tracer.simulate.world import Signup, World
from tracer.times import iso

TRUTH_VERSION = 1
_WITHHELD = 0.02  # share of centre calls with a hidden caller ID (assumption)
_REPLY = 0.08  # share of marketing SMS the user answers with an opt-out (assumption)


@dataclass(frozen=True)
class Reply:
    """An SMS the user sent (an opt-out): in the backup, but not a contact."""

    at: datetime
    line: str
    address: str
    body: str


@dataclass(frozen=True)
class Traffic:
    contacts: tuple[Contact, ...]  # in time order, keys set
    replies: tuple[Reply, ...]
    truth: dict[str, Any]


def generate(world: World, signups: list[Signup]) -> Traffic:
    """Contacts and ground truth for `world`, given the identities actually issued."""
    scene = Scene(world, signups)
    drafts = first_party(scene) + leaks(scene) + background(scene)
    drafts += previous_owners(scene) + catch_all(scene)
    contacts = _finalize(scene, drafts)
    return Traffic(tuple(contacts), _replies(scene, contacts), _truth(scene, contacts))


def _finalize(scene: Scene, drafts: list[Contact]) -> list[Contact]:
    """Order, caller IDs from each centre's rotation, and unique truth keys."""
    ordered = sorted(drafts, key=_order)
    with_callers = _rotate(scene, ordered)
    return _keyed(scene, with_callers)


def _order(contact: Contact) -> tuple[str, ...]:
    return (iso(contact.at), contact.channel, contact.to, contact.sender or "", contact.text)


def _rotate(scene: Scene, contacts: list[Contact]) -> list[Contact]:
    """Give centre calls their caller IDs: the next rented number every few calls, now and then a
    local-looking spoof or a withheld number."""
    state: dict[str, tuple[int, int]] = {}
    streams: dict[str, Random] = {}
    city = next(c for c in numbers.cities(scene.locale) if c.name == scene.user.city)
    found = []
    for contact in contacts:
        if contact.sender is not None or contact.centre is None:
            found.append(contact)
            continue
        centre = scene.centres[contact.centre]
        rng = streams.setdefault(centre.id, scene.rng("callers", centre.id))
        roll = rng.random()
        if roll < _WITHHELD:
            caller = ""
        elif roll < _WITHHELD + centre.spoof:
            caller = numbers.neighbour(rng, contact.to, scene.locale, city)
        elif scene.world.shape.fresh_caller_ids:  # a new rented or spoofed number every call
            spoofed = rng.random() < 0.5
            caller = (
                numbers.neighbour(rng, contact.to, scene.locale, city)
                if spoofed
                else numbers.mobile(rng, scene.locale, city, spammy=True)
            )
        else:
            index, left = state.get(centre.id, (0, 1 + clock.geometric(rng, centre.rotate - 1)))
            if left <= 0:
                index, left = index + 1, 1 + clock.geometric(rng, centre.rotate - 1)
            caller = centre.callers[index % len(centre.callers)]
            state[centre.id] = (index, left - 1)
        found.append(replace(contact, sender=caller))
    return found


def _keyed(scene: Scene, contacts: list[Contact]) -> list[Contact]:
    rng = scene.rng("message-ids")
    seen: set[str] = set()
    found = []
    calls = 0
    for contact in contacts:
        if contact.channel == "call":
            calls += 1
            key = f"call-{calls:06d}"
        elif contact.channel == "sms":
            while sms_key(contact) in seen:
                contact = replace(contact, at=contact.at + timedelta(seconds=1))
            key = sms_key(contact)
        else:
            key = _message_id(rng, contact, seen)
        seen.add(key)
        found.append(replace(contact, key=key))
    return sorted(found, key=_order)


def sms_key(contact: Contact) -> str:
    """The truth key of an SMS: receiving line, arrival to the second (UTC), sender address."""
    return f"sms|{contact.to}|{iso(clock.seconds(contact.at))}|{contact.sender or ''}"


def _message_id(rng: Random, contact: Contact, seen: set[str]) -> str:
    host = (contact.sender or "mail.invalid").rpartition("@")[2]
    while True:
        key = f"{contact.at:%Y%m%d%H%M%S}.{rng.getrandbits(48):012x}@{host}"
        if key not in seen:
            return key


def _replies(scene: Scene, contacts: list[Contact]) -> tuple[Reply, ...]:
    rng = scene.rng("replies")
    found = []
    for contact in contacts:
        marketing = "退订" in contact.text or "STOP" in contact.text
        if contact.cause != "first-party" or contact.channel != "sms" or not marketing:
            continue
        if rng.random() < _REPLY:
            at = clock.seconds(contact.at + timedelta(seconds=rng.uniform(30, 3600)))
            body = rng.choice(("T", "TD", "退订")) if scene.zh else "STOP"
            found.append(Reply(at, contact.to, contact.sender or "", body))
    return tuple(found)


def _truth(scene: Scene, contacts: list[Contact]) -> dict[str, Any]:
    leak_counts: dict[str, list[Contact]] = {}
    for contact in contacts:
        if contact.cause == "leak" and contact.platform:
            leak_counts.setdefault(contact.platform, []).append(contact)
    platforms = {}
    for signup in scene.signups:
        platform = scene.platforms[signup.platform]
        moment = leaked_at(platform, signup, scene.end)
        mine = leak_counts.get(signup.platform, [])
        platforms[signup.platform] = {
            "leaked": moment is not None,
            "behaviour": platform.behaviour,
            "leaked_at": iso(moment) if moment else None,
            "broker": platform.broker,
            "category": platform.category,
            "signup_at": iso(signup.at),
            "leak_contacts": len(mine),
            "first_leak_contact_at": iso(min(c.at for c in mine)) if mine else None,
            "leak_moment": iso(scene.leak_moments[signup.platform])
            if signup.platform in scene.leak_moments
            else None,
        }
    return {
        "version": TRUTH_VERSION,
        "platforms": platforms,
        "contacts": [
            {
                "key": c.key,
                "channel": c.channel,
                "platform": c.platform,
                "cause": c.cause,
                "identifying": c.identifying,
                "centre": c.centre,
            }
            for c in contacts
        ],
        "brokers": [
            {
                "id": b.id,
                "platforms": list(b.platforms),
                "centres": list(b.centres),
                "sells_email": b.sells_email,
            }
            for b in scene.world.brokers
        ],
        "centres": _centres(scene, contacts),
    }


def _centres(scene: Scene, contacts: list[Contact]) -> list[dict[str, Any]]:
    """Each actor that sent anything: whose data it used and the numbers it showed."""
    platforms: dict[str, set[str]] = {}
    callers: dict[str, set[str]] = {}
    for contact in contacts:
        if contact.centre is None:
            continue
        platforms.setdefault(contact.centre, set())
        callers.setdefault(contact.centre, set())
        if contact.platform:
            platforms[contact.centre].add(contact.platform)
        if contact.sender and contact.channel != "email":
            callers[contact.centre].add(contact.sender)
    return [
        {
            "id": centre.id,
            "kind": centre.kind,
            "topic": centre.topic,
            "platforms": sorted(platforms[centre.id]),
            "senders": sorted(callers[centre.id]),
            "callbacks": list(centre.callbacks),
        }
        for centre in scene.world.centres
        if centre.id in platforms
    ]
