"""Names and tokens found through the digit-masked texts (`phrases.full_names(..., masked)`: only
texts whose masked form may hold a phrase are read) are the ones found by reading every text;
and a contact's campaign key lookups against the user's own numbers (`campaigns._isin`) answer as
pandas' `isin` does."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import campaigns, phrases

PHRASES = ["Platform00012", "58同城", "360借条", "王伟", "abc12", "Shop 7", "x9y", "ｖｉｐ８", "欧阳建国", "zz"]
PIECES = st.sampled_from(list("Platform0123456789 同城借条王伟abcxyzSHOP７８９ｖｉｐ①②\t\n-.【】") + ["欧阳建国", "58同城", "Platform00", "abc"])
TEXTS = st.lists(PIECES, max_size=12).map("".join)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.none() | TEXTS, min_size=1, max_size=12), st.sets(st.sampled_from(PHRASES), min_size=1))
def test_reading_only_what_the_masked_texts_allow_finds_the_same(texts, names):
    series = pd.Series(texts, dtype=object)
    names = sorted(names)
    every = phrases.full_names(series, names).tolist()
    masked = phrases.full_names(series, names, phrases.masked(series)).tolist()
    assert masked == every


def test_a_masked_text_that_cannot_hold_a_name_is_not_read(monkeypatch):
    texts = pd.Series(["your code 123456", "your code 654321", "58同城 call 4000", None], dtype=object)
    read: list[str] = []
    matcher = phrases._matcher(("58同城", "王伟"))
    find = matcher.find
    monkeypatch.setattr(matcher, "find", lambda text: read.append(text) or find(text))
    found = phrases.full_names(texts, ["58同城", "王伟"], phrases.masked(texts))
    assert found.tolist() == [[], [], ["58同城"], []]
    assert read == ["58同城 call 4000"]


def test_own_numbers_are_found_in_arrow_and_python_strings_alike():
    own = {"+8613800138000", "+8613911112222"}
    values = ["+8613800138000", None, "+8613700000000", "+8613911112222", ""]
    for dtype in ("str", object):
        series = pd.Series(values, dtype=dtype)
        expected = series.isin(own).to_numpy(dtype=bool)
        assert np.array_equal(campaigns._isin(series, own), expected)
    assert campaigns._isin(pd.Series(values, dtype="str"), set()).tolist() == [False] * 5


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, blacklist_categories=()), max_size=30) | TEXTS)
def test_masking_the_bytes_writes_every_digit_1_to_9_as_0_and_keeps_the_rest(text):
    """`mask_digits` (the UTF-8 bytes 0x31-0x39 translated) is `str.translate(DIGIT_MASK)` for any
    text: other characters, wide digits (７), lone surrogates and all, come back as they were."""
    assert phrases.mask_digits(text) == text.translate(phrases.DIGIT_MASK)


def test_masking_keeps_wide_digits_and_surrogates():
    assert phrases.mask_digits("验证码 123 ７８ \ud800 90") == "验证码 000 ７８ \ud800 00"
