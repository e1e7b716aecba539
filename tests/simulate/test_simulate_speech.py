"""What callers say and what the user types keep (or lose) the canary's spoken surname."""

from __future__ import annotations

from collections import Counter
from random import Random

from canaries import heard_surname, spoken_key, surname_key
from tracer.simulate import speech


def test_chinese_callers_say_surname_and_title_full_name_or_nothing() -> None:
    rng = Random(1)
    styles = Counter(speech.style(rng, "zh_CN", live=True) for _ in range(4000))
    assert 0.35 < styles["none"] / 4000 < 0.45
    assert styles["title"] > styles["full"] > 0
    said = speech.say(rng, "zh_CN", "杨建国", "male", "title")
    assert said == speech.Said(said.text, "surname") and said.text.startswith("杨")


def test_recordings_never_say_a_name() -> None:
    rng = Random(2)
    assert {speech.style(rng, "en_US", live=False) for _ in range(100)} == {"none"}


def test_typed_chinese_greetings_keep_the_spoken_surname() -> None:
    """Homophones (汪 for 王), pinyin ("yang xiansheng") and dropped titles sound the same."""
    rng = Random(3)
    for name, gender in (("王芳", "female"), ("杨建国", "male"), ("欧阳娜", "female")):
        said = speech.say(rng, "zh_CN", name, gender, "title")
        key = surname_key(name[:2] if name.startswith("欧阳") else name[0])
        typed = {speech.typed(rng, "zh_CN", said) for _ in range(300)}
        assert len(typed) >= 3, typed
        for text in typed:  # "yang xs" (先生 abbreviated) is typed too; it still starts with yang
            assert spoken_key(text).startswith(key), (name, text)
        assert any(surname_key(heard_surname(text)) == key for text in typed if text != said.text)


def test_english_typing_mostly_keeps_the_name() -> None:
    rng = Random(4)
    said = speech.say(rng, "en_US", "John Smith", "male", "title")
    assert said.text == "Mr. Smith"
    typed = Counter(speech.typed(rng, "en_US", said) for _ in range(1000))
    assert typed["Mr. Smith"] > 600 and len(typed) > 3


def test_every_homophone_in_the_table_sounds_like_its_surname() -> None:
    for surname, typed in speech.ZH_HOMOPHONES.items():
        for char in typed:
            assert spoken_key(char) == surname_key(surname), (surname, char)
