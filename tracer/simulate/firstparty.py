"""A platform's own traffic to the identity it was given: not a leak, but it looks like one.

Verification codes right after signup, marketing SMS with the 【brand】 signature, a welcome
mail and newsletters from the platform's domain, and sales calls from its own line.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from random import Random

from tracer.simulate import clock, numbers, texts
from tracer.simulate.scene import Contact, Scene
from tracer.simulate.world import Platform, Signup


def first_party(scene: Scene) -> list[Contact]:
    found: list[Contact] = []
    for signup in scene.signups:
        platform = scene.platforms[signup.platform]
        rng = scene.rng("first-party", signup.platform)
        found.append(_code(scene, rng, platform, signup))
        if signup.email:
            found.append(_welcome(scene, rng, platform, signup))
            found += _newsletters(scene, rng, platform, signup)
        found += _marketing(scene, rng, platform, signup)
        found += _sales_calls(scene, rng, platform, signup)
    return found


def _contact(
    scene: Scene,
    signup: Signup,
    channel: str,
    at: datetime,
    to: str,
    sender: str,
    *,
    part: str = "",
    key: str = "",
    text: str = "",
    heard_name: str = "",
    subject: str = "",
    sender_name: str = "",
    to_name: str = "",
) -> Contact:
    """A first-party contact; `part` is the name part it repeats, if any."""
    identifying = scene.identifying(signup, to, at, part=part, key=key)
    return Contact(
        channel,
        at,
        to,
        sender,
        signup.platform,
        "first-party",
        identifying,
        text=text,
        heard_name=heard_name,
        subject=subject,
        sender_name=sender_name,
        to_name=to_name,
    )


def _code(scene: Scene, rng: Random, platform: Platform, signup: Signup) -> Contact:
    at = clock.seconds(signup.at + timedelta(seconds=rng.uniform(20, 240)))
    code = f"{rng.randrange(10**6):06d}"
    text = texts.verification(scene.locale, platform.name, code, rng)
    return _contact(scene, signup, "sms", at, signup.phone, _sender(scene, rng, platform), text=text)


def _welcome(scene: Scene, rng: Random, platform: Platform, signup: Signup) -> Contact:
    at = clock.seconds(signup.at + timedelta(seconds=rng.uniform(5, 900)))
    if scene.zh:
        subject = rng.choice((f"欢迎加入{platform.name}", f"【{platform.name}】请验证您的邮箱"))
        body = f"{signup.name}，您好！\n\n感谢注册{platform.name}。请点击下方链接完成邮箱验证。\n"
    else:
        subject = rng.choice((f"Welcome to {platform.name}!", "Please confirm your email"))
        first = signup.name.split()[0]
        body = f"Hi {first},\n\nThanks for joining {platform.name}. Confirm your email below.\n"
    body += f"https://{platform.domain}/verify?t={rng.getrandbits(64):016x}\n"
    sender = rng.choice(("noreply", "service", "no-reply", "account")) + "@" + platform.domain
    return _contact(
        scene,
        signup,
        "email",
        at,
        signup.email or "",
        sender,
        subject=subject,
        text=body,
        sender_name=platform.name,
        to_name=signup.name,
    )


def _newsletters(scene: Scene, rng: Random, platform: Platform, signup: Signup) -> list[Contact]:
    found = []
    span = (scene.end - signup.at).total_seconds() / clock.DAY
    host = rng.choice(("mail.", "em.", "news.", "")) + platform.domain
    for _ in range(clock.poisson(rng, platform.marketing_mail * span)):
        day = signup.at + clock.days(rng.uniform(1.0, span))
        at = clock.daytime(rng, day, scene.zone, "email")
        if not signup.at < at < scene.end:
            continue
        if scene.zh:
            subject = texts.fill(
                rng.choice(texts.ZH_OFFERS.get(platform.category, ("本周精选",))), rng
            )
            subject = f"【{platform.name}】{subject}"
        else:
            subject = texts.fill(rng.choice(texts.EN_OFFERS.get(platform.category, ("News",))), rng)
        body = f"{subject}\n\nhttps://{host}/c/{rng.getrandbits(48):012x}\n"
        found.append(
            _contact(
                scene,
                signup,
                "email",
                at,
                signup.email or "",
                f"news@{host}",
                subject=subject,
                text=body,
                sender_name=platform.name,
            )
        )
    return found


def _marketing(scene: Scene, rng: Random, platform: Platform, signup: Signup) -> list[Contact]:
    found = []
    span = (scene.end - signup.at).total_seconds() / clock.DAY
    for _ in range(clock.poisson(rng, platform.marketing_sms * span)):
        at = clock.daytime(rng, signup.at + clock.days(rng.uniform(1.0, span)), scene.zone, "sms")
        if not signup.at < at < scene.end:
            continue
        said = scene.say(rng, signup.name, scene.user.gender, live=rng.random() < 0.3)
        url = f"{platform.domain}/{rng.getrandbits(24):06x}"
        greet = scene.greet(rng, said)
        text = texts.marketing(scene.locale, platform.name, platform.category, greet, url, rng)
        found.append(
            _contact(
                scene,
                signup,
                "sms",
                at,
                signup.phone,
                _sender(scene, rng, platform),
                text=text,
                part=said.part,
                key=said.key,
            )
        )
    return found


def _sales_calls(scene: Scene, rng: Random, platform: Platform, signup: Signup) -> list[Contact]:
    found = []
    at = signup.at
    for _ in range(platform.sales_calls):
        at = clock.open_hours(rng, at + clock.days(rng.expovariate(1 / 1.5)), scene.zone, "call")
        if at >= scene.end:
            break
        said = scene.say(rng, signup.name, scene.user.gender, live=True)
        heard = scene.heard(rng, said)
        note = ""
        if rng.random() < 0.4:
            note = f"{platform.name}客服回访" if scene.zh else f"{platform.name} rep called"
        caller = platform.hotline if rng.random() < 0.7 else _agent(scene, platform, rng)
        found.append(
            _contact(
                scene,
                signup,
                "call",
                at,
                signup.phone,
                caller,
                heard_name=heard,
                text=note,
                part=said.part if heard else "",
                key=said.key,
            )
        )
    return found


def _agent(scene: Scene, platform: Platform, rng: Random) -> str:
    """The mobile of one of the platform's two sales agents (agents call from their own phones)."""
    own = scene.rng("agents", platform.name)
    city = next(c for c in numbers.cities(scene.locale) if c.name == scene.user.city)
    agents = [numbers.mobile(own, scene.locale, city) for _ in range(2)]
    return agents[rng.randrange(2)]


def _sender(scene: Scene, rng: Random, platform: Platform) -> str:
    """The SMS sender of one of the platform's own texts: its one number, or with
    `Shape.own_senders` above 1 any of several (SMS gateways rent channels from several carriers;
    the first is the one the user saw at signup only by chance)."""
    count = scene.world.shape.own_senders
    if count == 1:
        return platform.sender
    own = scene.rng("own-senders", platform.name)
    senders = [platform.sender] + [numbers.service_sender(own, scene.locale) for _ in range(count - 1)]
    return senders[rng.randrange(count)]
