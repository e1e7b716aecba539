"""One reader of "the name the caller said": `canaries.read` (a heard_name a person typed) and
the recogniser that finds addressed names inside texts (`attribution.addressed`) agree."""

from __future__ import annotations

import pandas as pd
import pytest

import canaries
from tracer.attribution import addressed

GREETINGS = {
    "杨先生": "杨", "小王": "王", "老李": "李", "老关": "关", "大哥": "", "帅哥": "", "美女您好": "",
    "欧阳女士": "欧阳", "王总": "王", "羊总": "羊", "李姐": "李", "陈经理您好": "陈", "小张你好": "张",
    "张老师": "张", "建国你好": "", "Dear Sir": "", "Mr. Smith": "Smith", "Mr Grant": "Grant",
    "Dear John Smith": "Smith", "yang xiansheng": "yang", "Mrs. Li Na": "Li",
    "xiao teng": "teng", "lao li": "li",  # 小滕, 老李 typed in pinyin: no 肖 or 劳
}  # fmt: skip


@pytest.mark.parametrize(("greeting", "surname"), GREETINGS.items())
def test_both_readers_hear_the_same_surname(greeting: str, surname: str) -> None:
    assert canaries.read(greeting).surname == surname
    found = addressed.addressed_surnames(pd.Series([greeting])).iloc[0]
    assert found == ([surname] if surname else [])


@pytest.mark.parametrize(
    ("greeting", "heard"),
    [
        ("建国你好", canaries.Heard(given="建国")),  # a given name greeted alone: no surname 建
        ("Hi Michael", canaries.Heard(given="Michael")),
        ("Dear John Smith", canaries.Heard(surname="Smith", given="John")),
        ("Wang Xiuying", canaries.Heard(surname="Wang", given="Xiuying")),  # pinyin, surname first
        ("Mark Wang", canaries.Heard(surname="Wang", given="Mark")),  # an English name is not
        ("xiao wang", canaries.Heard(surname="wang")),  # 小王 typed in pinyin
        ("王峰你好", canaries.Heard(surname="王", given="峰")),
    ],
)
def test_what_a_greeting_names(greeting: str, heard: canaries.Heard) -> None:
    assert canaries.read(greeting) == heard
