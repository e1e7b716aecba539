"""Spoken keys and name splitting: what a caller's greeting keeps of a name."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from canaries import heard_surname, name_key, names, split_name, spoken_key, surname_key


@pytest.mark.parametrize(
    ("a", "b", "key"), [("王", "汪", "wang"), ("张", "章", "zhang"), ("杨", "阳", "yang")]
)
def test_homophone_surnames_share_one_toneless_key(a: str, b: str, key: str) -> None:
    assert surname_key(a) == surname_key(b) == key


@pytest.mark.parametrize(
    ("surname", "reading"),
    [
        ("曾", "zeng"),
        ("单", "shan"),
        ("解", "xie"),
        ("区", "ou"),
        ("朴", "piao"),
        ("仇", "qiu"),
        ("查", "zha"),
        ("覃", "qin"),
        ("尉迟", "yuchi"),
        ("万俟", "moqi"),
        ("长孙", "zhangsun"),
    ],
)
def test_surnames_use_their_surname_reading_not_pypinyins_default(
    surname: str, reading: str
) -> None:
    assert surname_key(surname) == reading


def test_surname_reading_applies_only_to_the_leading_surname() -> None:
    assert spoken_key("曾伟") == "zengwei"
    assert spoken_key("王曾") == "wangceng"


@pytest.mark.parametrize(
    ("traditional", "simplified"), [("楊", "杨"), ("張", "张"), ("歐陽", "欧阳")]
)
def test_traditional_characters_key_like_simplified(traditional: str, simplified: str) -> None:
    assert surname_key(traditional) == surname_key(simplified)


@pytest.mark.parametrize("typed", ["Yang", "YANG", " yang ", "Ｙａｎｇ"])
def test_typed_pinyin_equals_the_character_key(typed: str) -> None:
    assert surname_key("杨") == spoken_key(typed) == "yang"


def test_typed_pinyin_u_umlaut_matches_pinyin_v() -> None:
    assert spoken_key("Lü") == spoken_key("Lv") == surname_key("吕") == "lv"


def test_english_surname_key_is_lowercase_metaphone() -> None:
    assert surname_key("Smith", locale="en_US") == surname_key("Smyth", locale="en_US") == "sm0"
    assert surname_key("SMITH", locale="en_US") == "sm0"


@pytest.mark.parametrize(
    ("name", "parts"),
    [
        ("杨伟", ("杨", "伟")),
        ("欧阳娜娜", ("欧阳", "娜娜")),
        ("歐陽娜娜", ("歐陽", "娜娜")),
        ("司马光", ("司马", "光")),
        ("诸葛亮", ("诸葛", "亮")),
        (" 王 芳 ", ("王", "芳")),
        ("John Smith", ("Smith", "John")),
        ("Smith, John", ("Smith", "John")),
        ("Martin Luther King Jr.", ("King", "Martin Luther")),
        ("Cher", ("Cher", "")),
        ("", ("", "")),
    ],
)
def test_split_name_returns_surname_then_given(name: str, parts: tuple[str, str]) -> None:
    assert split_name(name) == parts


def test_name_key_keys_the_surname_of_a_full_name() -> None:
    assert name_key("欧阳娜娜") == "ouyang"
    assert name_key("John Smyth", locale="en_US") == "sm0"


@pytest.mark.parametrize(
    ("greeting", "surname"),
    [
        ("杨先生", "杨"),
        ("欧阳女士", "欧阳"),
        ("王总", "王"),
        ("Mr Yang", "Yang"),
        ("Yang xiansheng", "Yang"),
    ],
)
def test_heard_surname_drops_honorifics(greeting: str, surname: str) -> None:
    assert heard_surname(greeting) == surname


def test_heard_surname_of_a_bare_honorific_is_empty() -> None:
    assert heard_surname("先生") == ""


NAME_TEXT = st.one_of(st.text(), st.text(st.characters(min_codepoint=0x3000, max_codepoint=0x9FFF)))


@settings(derandomize=True)
@given(NAME_TEXT)
def test_spoken_key_never_raises_and_gives_lowercase_letters(text: str) -> None:
    assert re.fullmatch(r"[a-z]*", spoken_key(text))


@settings(derandomize=True)
@given(NAME_TEXT)
def test_english_spoken_key_never_raises_and_gives_metaphone_characters(text: str) -> None:
    assert re.fullmatch(r"[a-z0-9]*", spoken_key(text, locale="en_US"))


@settings(derandomize=True)
@given(st.text())
def test_split_name_never_raises_on_arbitrary_text(text: str) -> None:
    surname, given_name = split_name(text)
    assert isinstance(surname, str) and isinstance(given_name, str)


_T2S_KEYS = sorted({key for _, _, table in names._T2S_TABLES or [] for key in table})


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.sampled_from(_T2S_KEYS), st.sampled_from("杨建国王欧阳 ，-a")), max_size=6).map("".join))
def test_simplify_is_what_opencc_converts(text: str) -> None:
    """A text none of whose pieces OpenCC lists is returned without OpenCC; every text comes out
    as OpenCC's own conversion (楊 -> 杨; 杨建国 unchanged)."""
    assert names.simplify(text) == names._T2S.convert(text)


def test_simplify_converts_listed_pieces_and_leaves_unlisted_names() -> None:
    assert names._T2S_TABLES, "OpenCC's t2s tables were read"
    assert names.simplify("楊建國") == "杨建国"
    assert names.simplify("杨建国") == "杨建国" and names._unlisted("杨建国")
    assert not names._unlisted("楊")
