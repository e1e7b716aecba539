"""Call centres and brokers: who receives leaked data and how they work it.

Chinese centres rent blocks of mobile or landline numbers, rotate through them every few calls,
send SMS from 106 channels with their own 【签名】 and print a callback (a 400 line, a mobile, a
WeChat id) that changes far less often than the caller ID. US robocallers play a recording
(a real transcript from the corpus), show caller IDs traced in the FTC letters or a spoofed
neighbour number, and read out a callback number.
"""

from __future__ import annotations

import string
from random import Random

from tracer.simulate import catalog, numbers
from tracer.simulate.corpus import Corpus
from tracer.simulate.numbers import City
from tracer.simulate.texts import ZH
from tracer.simulate.world import Centre

_SHORTENERS = ("t.cn", "dwz.cn", "url.cn", "suo.im", "c7.gg")
_SHORTENERS_EN = ("bit.ly", "tinyurl.com", "rb.gy", "t.ly", "is.gd")

# Per kind: (mean contacts per target, mean first gaps in days, SMS share, live share).
# Assumptions: partners are sales teams that call back persistently; scam crews burst; broker
# lists are dialled by many centres a few times each.
KINDS: dict[str, tuple[float, float, float, float]] = {
    "partner": (4.0, 2.0, 0.35, 0.9),
    "scam": (2.5, 1.0, 0.45, 0.7),
    "broker": (4.0, 3.0, 0.35, 0.8),
    "background": (1.0, 1.0, 0.4, 0.3),
}


def centre(
    rng: Random,
    *,
    ident: str,
    kind: str,
    topic: str,
    locale: str,
    city: City,
    brands: set[str],
    corpus: Corpus | None,
    used: set[str],
) -> Centre:
    """A new centre of `kind` on `topic`, with its numbers, templates and habits."""
    per_target, gap, sms, live = KINDS[kind]
    zh = locale.startswith("zh")
    scripts, callbacks, callers = (
        _zh_material(rng, topic, city) if zh else _en_material(rng, topic, city, corpus, used)
    )
    return Centre(
        id=ident,
        kind=kind,
        topic=topic,
        signature=catalog.brand(locale, topic, rng, brands),
        callers=callers,
        rotate=rng.uniform(1.5, 5.0),
        spoof=rng.uniform(0.05, 0.3) if zh else rng.uniform(0.3, 0.7),
        senders=tuple(
            numbers.service_sender(rng, locale)
            if zh and rng.random() < 0.7
            else numbers.mobile(rng, locale, city, spammy=True)
            for _ in range(rng.randint(1, 3))
        ),
        sms=min(0.9, max(0.05, rng.gauss(sms if zh else sms / 2, 0.1))),
        mail=rng.uniform(0.2, 0.6),
        callbacks=callbacks,
        callback_days=rng.uniform(20.0, 90.0),
        live=rng.random() < (live if zh else live / 2),
        scripts=scripts,
        per_target=per_target * rng.uniform(0.6, 1.5),
        gap=gap * rng.uniform(0.5, 1.5),
        url=_url(rng, locale),
        wx=_wechat(rng),
        batch_days=rng.uniform(5.0, 30.0) if kind == "broker" else 0.0,
    )


def _zh_material(
    rng: Random, topic: str, city: City
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...]]:
    templates = ZH.get(topic, ZH["shopping"])[0]
    picked = rng.sample(range(len(templates)), k=min(len(templates), rng.randint(1, 2)))
    callbacks = []
    for _ in range(rng.randint(1, 3)):
        roll = rng.random()
        if roll < 0.4:
            callbacks.append(numbers.hotline(rng))
        elif roll < 0.8:
            callbacks.append(numbers.spoken(numbers.mobile(rng, "zh_CN", city), "zh_CN"))
        else:
            other = rng.choice(numbers.CN_CITIES)
            callbacks.append(numbers.spoken(numbers.landline(rng, "zh_CN", other), "zh_CN"))
    home = city if rng.random() < 0.3 else rng.choice(numbers.CN_CITIES)
    callers = numbers.block(rng, "zh_CN", home, rng.randint(4, 40))
    return tuple(sorted(picked)), tuple(callbacks), tuple(callers)


def _en_material(
    rng: Random, topic: str, city: City, corpus: Corpus | None, used: set[str]
) -> tuple[tuple[int, ...], tuple[str, ...], tuple[str, ...]]:
    """Scripts and callback numbers not yet used by another centre while any remain: one
    recording and one callback line belong to one operation."""
    assert corpus is not None, "English worlds need the robocall corpus"
    pool = corpus.for_topic(topic)
    k = rng.randint(1, 3)
    fresh = [i for i in range(len(pool)) if pool[i].text not in used]
    picked = sorted(rng.sample(fresh if len(fresh) >= k else range(len(pool)), k=min(k, len(pool))))
    used.update(pool[i].text for i in picked)
    read_out = [n for i in picked for n in pool[i].callbacks]
    if not read_out:
        spare = [n for n in corpus.callbacks if n not in used] or list(corpus.callbacks)
        read_out = [rng.choice(spare)]
    used.update(read_out)
    known = corpus.callers_for(topic)
    callers = rng.sample(list(known), k=min(len(known), rng.randint(3, 10)))
    if not callers:
        callers = [numbers.us_number(rng, rng.choice(city.area_codes)) for _ in range(5)]
    spoken = tuple(numbers.spoken(n, "en_US") for n in dict.fromkeys(read_out))
    return tuple(picked), spoken, tuple(callers)


def _url(rng: Random, locale: str) -> str:
    hosts = _SHORTENERS if locale.startswith("zh") else _SHORTENERS_EN
    token = "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(6))
    return f"{rng.choice(hosts)}/{token}"


def _wechat(rng: Random) -> str:
    head = "".join(rng.choice(string.ascii_lowercase) for _ in range(rng.randint(3, 6)))
    return f"{head}{rng.randrange(100, 9999)}"
