"""Round 20: what the fit holds through the EM and after it, narrower, reads the same. Object
columns held as codes come back as the same values (the same missing object); the pairs' strings
as categoricals compare, take and convert as the Arrow strings did; codes in the fewest bytes
keep their values; the contacts' reader keeps its chunk numbers and slots in the fewest bytes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer import contacts
from tracer.attribution import model, result
from tracer.attribution.inputs import interned

words = st.sampled_from(("full", "surname", "given", "other", "none", "phone", "email", "练", "smith"))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(words, st.none()), max_size=40), st.sampled_from((None, np.nan)))
def test_a_held_column_comes_back_value_for_value(values: list, missing: object) -> None:
    column = pd.Series(np.array([missing if v is None else v for v in values], dtype=object), dtype=object)
    back = model._Held.of(column).series()
    assert back.dtype == object and back.index.equals(column.index)
    assert all(a is b or a == b for a, b in zip(back.tolist(), column.tolist(), strict=True))
    # the missing values are the very object the column held (None stays None, NaN stays NaN)
    assert all((a is None) == (b is None) for a, b in zip(back.tolist(), column.tolist(), strict=True))
    held = model._Held.of(column)
    assert held.whole is not None or held.codes.dtype == np.int8


def test_a_column_with_two_kinds_of_missing_is_held_as_it_is() -> None:
    column = pd.Series(np.array(["a", None, np.nan, "a"], dtype=object), dtype=object)
    held = model._Held.of(column)
    assert held.whole is column and held.series() is column


def test_interned_platforms_held_keep_their_one_nan() -> None:
    column = interned(pd.Series(["A", None, "B", None, "A"], dtype=object))
    back = model._Held.of(column).series().to_numpy()
    assert back[1] is back[3] and pd.isna(back[1]) and back[0] is back[4] and back[0] == "A"


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(words, st.none()), min_size=1, max_size=40), st.lists(st.integers(0, 39), max_size=20))
def test_pair_strings_as_categoricals_read_as_the_arrow_strings(values: list, taken: list) -> None:
    arrow = pd.Series(values, dtype="str")
    coded = model._categorical(arrow)
    assert isinstance(coded.dtype, pd.CategoricalDtype) and coded.cat.categories.dtype == object
    for word in ("full", "email", "given", "missing-word"):
        assert ((coded == word).to_numpy() == (arrow == word).to_numpy()).all()
        assert (model._is(coded, word) == model._is(arrow, word)).all()
    assert (coded.isin(model.NAMING_KINDS).to_numpy() == arrow.isin(model.NAMING_KINDS).to_numpy()).all()
    as_objects, before = coded.to_numpy(), arrow.to_numpy()
    assert [None if pd.isna(x) else x for x in as_objects] == [None if pd.isna(x) else x for x in before]
    rows = np.array([t % len(values) for t in taken], dtype=np.int64)
    got, want = result._narrow(coded.take(rows)), result._narrow(arrow.take(rows))
    assert got.dtype == want.dtype == object
    assert [None if pd.isna(x) else x for x in got] == [None if pd.isna(x) else x for x in want]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-(2**31), 2**31 - 1), max_size=30), st.integers(0, 3))
def test_codes_in_the_fewest_bytes_keep_their_values(values: list, scale: int) -> None:
    codes = np.array([v >> (8 * scale) for v in values], dtype=np.int64)
    narrow = model._narrowest(codes)
    assert narrow.dtype in (np.int8, np.int16, np.int32) and (narrow.astype(np.int64) == codes).all()
    if len(codes) and codes.min() >= -128 and codes.max() <= 127:
        assert narrow.dtype == np.int8


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-(2**40), 2**40), max_size=30), st.booleans())
def test_a_readers_chunks_and_slots_keep_their_values(values: list, signed: bool) -> None:
    """Whatever a damaged vault holds (a slot past 2^16, a negative one): the same values, so the
    reader's checks see what the vault holds."""
    raw = np.array(values, dtype=np.int64)
    narrow = contacts._fewest_bytes(raw, signed=signed)
    assert (narrow.astype(np.int64) == raw).all()
    if signed:
        assert narrow.dtype.kind == "i"
    if len(raw) and raw.min() >= 0 and raw.max() <= 65535 and not signed:
        assert narrow.itemsize <= 2


def _as_before(monkeypatch) -> None:
    """Round 19's layout: the pairs' strings left Arrow strings, codes int32, labels held whole."""
    monkeypatch.setattr(model, "_categorical", lambda column: column)
    monkeypatch.setattr(model, "_narrowest", model.narrow_index)
    monkeypatch.setattr(model._Held, "of", classmethod(lambda cls, c: cls(np.zeros(0), np.zeros(0), c.index, c.name, c)))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Every column as Python objects or int64, missing values None: what each reader reads."""
    out = {}
    for name, column in frame.items():
        if column.dtype.kind in "iu":
            out[name] = column.astype(np.int64)
        elif column.dtype.kind in "fb":
            out[name] = column
        else:
            out[name] = pd.Series([None if pd.isna(x) else x for x in column.tolist()], dtype=object)
    return pd.DataFrame(out)


@pytest.mark.parametrize("two_on_one_number", [False, True])
def test_the_fit_in_its_narrow_layout_is_the_fit_as_before(monkeypatch: pytest.MonkeyPatch, two_on_one_number: bool):
    from tests.attribution.test_em_blocks import _inputs

    now = model.fit(_inputs(two_on_one_number))
    _as_before(monkeypatch)
    before = model.fit(_inputs(two_on_one_number))
    # the world has what the layout changes: campaigns, strangers or none, name kinds and keys
    assert now.contacts["campaign"].notna().any() and now.pairs["key"].notna().any()
    assert isinstance(now.pairs["name_kind"].dtype, pd.CategoricalDtype)
    assert not isinstance(before.pairs["name_kind"].dtype, pd.CategoricalDtype)
    for name in ("contacts", "pairs", "platforms", "ip"):
        pd.testing.assert_frame_equal(_plain(getattr(now, name)), _plain(getattr(before, name)), check_exact=True)
    # the labels' missing values are the objects they were: None for no campaign or reason, NaN
    # for no first-party platform
    for column in ("campaign", "fp_reason", "fp_platform"):
        got, want = now.contacts[column].tolist(), before.contacts[column].tolist()
        assert [type(x) for x in got] == [type(x) for x in want]
