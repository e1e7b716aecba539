"""Readings the fit makes from codes among distinct values, or a block at a time, instead of a
contact-long column of strings, answer exactly as the per-contact readings they replaced:
first-party's mentions and mail domains, the own-line evidence's callers, the candidate pairs."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import firstparty, model, phrases
from tracer.attribution.inputs import Inputs

PLATFORMS = ["StockPro", "CarDeals", "58同城", "360借条", "平安好车", "X", "HomeLink2"]
PIECES = st.sampled_from(["stockpro", "STOCKPRO ", "58同城", "59同城", "360借条", "car deals", "CarDeals", "homelink2", "homelink3", " ", "您好", "123"])
TEXTS = st.lists(PIECES, max_size=6).map("".join)


def _plain(found: pd.Series) -> list[object]:
    """Values, a missing one (None or NaN, as pandas infers the column) as None."""
    return [None if pd.isna(x) else x for x in found.tolist()]


def _mentions_per_contact(texts: pd.Series, platforms: list[str]) -> list[object]:
    """What first-party read before: every contact's text and its masked form (`tokens_in`)."""
    names = [p for p in platforms if len(p) >= 2]
    by_fold = {p.casefold(): p for p in names}
    hits = phrases.tokens_in(texts, names, phrases.masked(texts))
    return [by_fold.get(found[0].casefold()) if len(found) else None for found in hits]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.none() | TEXTS, min_size=1, max_size=20), st.integers(1, 4))
def test_mentions_read_a_block_of_distinct_texts_at_a_time_find_what_each_text_names(texts, block):
    series = pd.Series(texts, dtype=object)
    expected = _mentions_per_contact(series, PLATFORMS)
    saved = phrases.BLOCK
    phrases.BLOCK = block  # blocks of 1-4 distinct texts: every boundary is crossed
    try:
        found = firstparty.mentions(series, PLATFORMS)
    finally:
        phrases.BLOCK = saved
    assert _plain(found) == expected
    assert found.index.equals(series.index)


def test_mentions_of_arrow_strings_and_of_no_platform_names():
    texts = pd.Series(["call 58同城 now", None, "stockpro: 123456", "nothing"], dtype="str")
    assert _plain(firstparty.mentions(texts, PLATFORMS)) == ["58同城", None, "StockPro", None]
    assert firstparty.mentions(texts, ["X"]).isna().all()


def test_mail_domains_are_read_for_mail_only_once_per_sender():
    senders = pd.Series(["a@stockpro.com", "a@stockpro.com", "+8613800138000", np.nan, "b@car-deals.cn", ""], dtype=object)
    mail = np.array([True, False, False, True, True, True])
    found = firstparty._domains(senders, mail, PLATFORMS)
    assert found.tolist() == ["StockPro", None, None, None, "CarDeals", None]
    assert found.dtype == object


def test_callers_are_told_apart_by_codes_and_none_or_empty_is_no_caller():
    callers = pd.Series(["+861", np.nan, "+862", "", "+861", None], dtype=object)
    codes = model._caller_codes(callers)
    assert codes[0] == codes[4] and codes[0] != codes[2] and codes[0] >= 0 and codes[2] >= 0
    assert codes[1] == codes[3] == codes[5] == -1


def test_candidate_pairs_keep_each_column_dtype_and_drop_other_channels_and_early_contacts():
    k = pd.DataFrame({"phone": ["+861", "+862", None], "email": [None, "a@m.example", "a@m.example"],
                      "issued_at": [10.0, 0.0, 50.0], "platform": ["P", "Q", "R"]})  # fmt: skip
    c = pd.DataFrame({
        "to": pd.Series(["+861", "+861", "a@m.example", "+862", "a@m.example"], dtype=object),
        "at": [5.0, 20.0, 30.0, 40.0, 60.0],
        "channel": pd.Series(["call", "sms", "email", "email", "email"], dtype=object),
    })  # fmt: skip
    inputs = Inputs(canaries=k, contacts=c, primary="+862", platforms=["P", "Q", "R"])
    pairs = model._pairs(c, k, np.array([False, False, False, False, True]), inputs)
    assert list(zip(pairs["i"], pairs["j"], strict=True)) == [(1, 0), (2, 1)]  # too early, wrong channel, first-party
    assert pairs["to"].dtype == object and pairs["channel"].dtype == object
    assert pairs["shared"].tolist() == [1, 1] and pairs["p"].tolist() == [0, 1]
    assert pairs.index.equals(pd.RangeIndex(2))


def test_masked_texts_of_one_template_are_one_string():
    """The features' digit-masked texts: equal masked forms share one string object (a
    template's many texts), and each reads as `phrases.mask_digits` of its text."""
    from tracer.attribution import features

    texts = pd.Series(["code 123456", "code 654321", "您的验证码 7788", "code 123456", ""], dtype="str")
    masked = features._mask_digits(texts)
    assert masked.tolist() == [phrases.mask_digits(t) for t in texts]
    assert masked.iloc[0] is masked.iloc[1] is masked.iloc[3]


def test_callback_numbers_read_a_block_at_a_time_find_what_each_text_writes():
    """Only the texts whose masked form may hold a number are read (`per_unique`'s `where`),
    each as `_numbers_in` reads it; the others write none (one shared empty list)."""
    from tracer.attribution import content

    texts = pd.Series(["call 13800138000 now", "code 123456", None, "call 13800138000 now", "热线 021-6888 8888"], dtype="str")
    found = content.callback_numbers(texts, "CN", phrases.masked(texts))
    expected = [content._numbers_in(t, "CN") if isinstance(t, str) else [] for t in texts]
    assert found.tolist() == expected
    assert found.iloc[0] == ["+8613800138000"] and found.iloc[1] == [] and found.iloc[1] is found.iloc[2]
