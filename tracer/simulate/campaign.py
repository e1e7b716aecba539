"""What a centre sends: its SMS texts, what the user notes about its calls, its spam mail.

Chinese text comes from the centre's templates (`texts.ZH`); English text is the centre's real
robocall script from the corpus, trimmed to SMS length where needed.
"""

from __future__ import annotations

import re
from datetime import datetime
from random import Random

from tracer.simulate import texts
from tracer.simulate.corpus import Script
from tracer.simulate.scene import Scene
from tracer.simulate.world import Centre

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_SPAM_TLDS = (".com", ".top", ".xyz", ".net", ".info", ".shop", ".cn", ".club")


def sms_text(
    scene: Scene, rng: Random, centre: Centre, at: datetime, greet: str, extra: str = ""
) -> str:
    """An SMS from `centre` at `at`: its template (or script) with greeting and extras."""
    callback = scene.callback(centre, at)
    if scene.zh:
        template = texts.ZH.get(centre.topic, texts.ZH["shopping"])[0]
        body = texts.fill(
            template[rng.choice(centre.scripts)],
            rng,
            sig=centre.signature,
            greet=greet + extra,
            cb=callback,
            url=centre.url,
            wx=centre.wx,
            city=scene.user.city,
        )
        return body
    script = _script(scene, rng, centre)
    text = excerpt(script.text, 300)
    if callback and not script.callbacks:
        text += f" Call {callback}."
    return f"{greet}{extra}{text}".strip()


def call_text(scene: Scene, rng: Random, centre: Centre) -> str:
    """What the call log's text says: a voicemail transcript, the user's note, or nothing."""
    if not scene.zh and not centre.live:
        return _script(scene, rng, centre).text[:1000] if rng.random() < 0.6 else ""
    if rng.random() >= 0.35:
        return ""
    return note(scene, rng, centre.topic)


def note(scene: Scene, rng: Random, topic: str, **values: str) -> str:
    """A short note the user types about a call on `topic`."""
    if scene.zh:
        return texts.fill(rng.choice(texts.ZH.get(topic, texts.ZH["shopping"])[1]), rng, **values)
    return rng.choice(texts.EN_NOTES.get(topic, ("sales call",)))


def mail(
    scene: Scene, rng: Random, centre: Centre, at: datetime, greet: str, extra: str = ""
) -> tuple[str, str, str]:
    """(subject, body, sender address) of a spam mail from `centre`'s operation."""
    if scene.zh:
        subject = texts.fill(rng.choice(texts.ZH_SPAM_SUBJECTS), rng, greet=greet.rstrip("，"))
        body = sms_text(scene, rng, centre, at, greet, extra)
        body += "\n\n如不希望再收到此类邮件，请回复TD退订。\n"
    else:
        script = _script(scene, rng, centre)  # the subject follows what the script is about
        options = texts.EN_SPAM_SUBJECTS.get(script.topic, texts.EN_SPAM_SUBJECTS["other"])
        subject = texts.fill(rng.choice(options), rng, stock=rng.choice(texts.US_STOCKS))
        body = f"{greet}{extra}{script.text}\n\nTo unsubscribe reply STOP.\n"
    return subject.strip() or "通知", body, spam_address(scene, rng)


def spam_address(scene: Scene, rng: Random) -> str:
    """A throwaway sender: spam operations rotate domains with nearly every message."""
    word = scene.fake.domain_word()
    local = rng.choice(("service", "info", "noreply", "vip", "notice", scene.fake.user_name()))
    return f"{local}@{word}{rng.randrange(10, 999)}{rng.choice(_SPAM_TLDS)}"


def excerpt(text: str, limit: int) -> str:
    """Whole leading sentences of `text` up to about `limit` characters."""
    kept = ""
    for sentence in _SENTENCE.split(text):
        if kept and len(kept) + len(sentence) > limit:
            break
        kept = f"{kept} {sentence}".strip()
    return kept[:limit]


def _script(scene: Scene, rng: Random, centre: Centre) -> Script:
    assert scene.corpus is not None
    pool = scene.corpus.for_topic(centre.topic)
    return pool[rng.choice(centre.scripts) % len(pool)]
