"""What callers say and what the user types keep (or lose) the canary's spoken surname."""

from __future__ import annotations

from collections import Counter
from random import Random

from canaries import forms, heard_surname, is_generic, spoken_key, surname_key
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


def test_typed_chinese_greetings_keep_a_spoken_form_of_the_surname() -> None:
    """Homophones (汪 for 王), pinyin ("yang xiansheng"), dropped titles, 老王, "Mr. Yang" and a
    compound cut to its first character (欧先生 for 欧阳娜) all read back to a surname form."""
    rng = Random(3)
    for name, gender in (("王芳", "female"), ("杨建国", "male"), ("欧阳娜", "female")):
        keys = {f.key for f in forms(name, "zh_CN") if f.part in ("surname", "cut")}
        typed = set()
        for _ in range(300):
            said = speech.say(rng, "zh_CN", name, gender, "title")
            typed.add(speech.typed(rng, "zh_CN", said))
        assert len(typed) >= 3, typed
        for text in typed:
            assert surname_key(heard_surname(text)) in keys, (name, text)


def test_compound_surnames_are_often_cut_and_names_mangled_in_known_ways() -> None:
    rng = Random(6)
    said = [speech.say(rng, "zh_CN", "欧阳建国", "male", "title") for _ in range(500)]
    parts = Counter(s.part for s in said)
    assert 0.3 < parts["cut"] / 500 < 0.5 and parts["surname"] > 0
    assert not any(s.text.startswith(("老欧阳", "小欧阳")) for s in said)  # familiar forms are one character
    en = [speech.say(rng, "en_US", "Robert Smith", "male", "given") for _ in range(400)]
    nicks = {s.text for s in en if s.part == "nick"}
    assert "Bob" in nicks and all(s.key for s in en if s.part == "nick")


def test_generic_address_carries_no_name_part() -> None:
    rng = Random(7)
    for locale in ("zh_CN", "en_US"):
        said = speech.say(rng, locale, "王芳", "female", "generic")
        assert said.part == "" and is_generic(said.text)


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


def test_chinese_callers_use_everyday_titles_ah_forms_and_traditional_characters() -> None:
    """王哥, 王老师, 王师傅 / 杨阿姨, 阿王, and 楊先生 typed on a phone set to traditional characters
    are said and typed too, and each reads back to the canary's surname: held-out callers say
    them, so the benchmark must."""
    rng = Random(8)
    typed: set[str] = set()
    for name, gender in (("王建国", "male"), ("杨芳", "female")):
        keys = {f.key for f in forms(name, "zh_CN") if f.part in ("surname", "cut")}
        for _ in range(3000):
            said = speech.say(rng, "zh_CN", name, gender, "title")
            text = speech.typed(rng, "zh_CN", said)
            typed.add(text)
            assert surname_key(heard_surname(text)) in keys, (name, text)
    assert {"王哥", "王老师", "王师傅", "阿王", "杨阿姨", "杨老师", "杨姐", "楊女士"} <= typed



def test_english_scripts_sometimes_put_the_title_before_the_given_name() -> None:
    """"Mr. Robert" for Robert Smith: said as the given name, whose key it carries."""
    rng = Random(10)
    said = [speech.say(rng, "en_US", "Robert Smith", "male", "title") for _ in range(3000)]
    titled = [s for s in said if s.text == "Mr. Robert"]
    assert 20 < len(titled) < 150 and all(s.part == "given" for s in titled)
    assert any(s.text == "Smith" for s in said) and any(s.text == "Mr. Smith" for s in said)
