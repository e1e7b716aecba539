"""The name evidence's arrays (round 19): the callers who named somebody else compared through
integer codes of (campaign, canary), not a string per pair; the background's ratio looked up a
block of pairs at a time; one shared string per name kind. Each gives what the per-pair strings and
the whole arrays gave, value for value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import model

KINDS = ("none", "given", "surname", "full", "other")


def _by_strings(kind, i, j, campaign, real, namesake):
    """`_callers_of_someone_else` as round 18 wrote it: "g_…" and "g_…|j" strings per pair."""
    has = pd.notna(campaign)
    if not (has & ((kind == "given") | namesake)).any():
        return kind
    code = pd.Series(campaign, dtype=object).astype(str)
    unit = code + "|" + pd.Series(j).astype(str)
    names_here = np.isin(i, i[np.isin(kind, model.NAMING_KINDS)])
    elsewhere = set(unit[has & (kind == "other") & ~names_here])
    list_workers = set(code[has & np.isin(kind, ("surname", "full")) & ~real])
    demote = has & (kind == "given") & unit.isin(elsewhere).to_numpy() & ~code.isin(list_workers).to_numpy()
    namesakes = set(unit[has & namesake])
    demote |= has & np.isin(kind, ("surname", "given")) & unit.isin(namesakes).to_numpy()
    return np.where(demote, "other", kind)


pair = st.tuples(
    st.sampled_from(KINDS),
    st.integers(0, 5),  # contact
    st.integers(0, 3),  # canary
    st.sampled_from((None, "g_k1", "g_k2", "g_k3")),
    st.booleans(),
    st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(pair, max_size=40))
def test_callers_of_someone_else_by_codes_demotes_what_the_strings_did(rows):
    kind, i, j, campaign, real, namesake = (np.array(col, dtype=object) for col in zip(*rows, strict=True)) if rows else (
        np.array([], dtype=object) for _ in range(6)
    )
    i, j = i.astype(np.int64), j.astype(np.int64)
    real, namesake = real.astype(bool), namesake.astype(bool) & (kind == "other")  # as `match` sets it
    expected = _by_strings(kind, i, j, campaign, real, namesake)
    got = model._callers_of_someone_else(kind.copy(), i, j, campaign, real, namesake)
    assert got.tolist() == expected.tolist()


def test_callers_of_someone_else_demotes_a_given_name_of_a_caller_who_asked_for_somebody_else():
    """The case the rule is for, spelled out: campaign g_a said "other" to canary 0's number from
    contact 0 and "William" (given, canary 0) from contact 1; g_b's given name stays."""
    kind = np.array(["other", "given", "given"], dtype=object)
    out = model._callers_of_someone_else(
        kind, np.array([0, 1, 2]), np.array([0, 0, 0]), np.array(["g_a", "g_a", "g_b"], dtype=object),
        np.zeros(3, dtype=bool), np.zeros(3, dtype=bool),
    )
    assert out.tolist() == ["other", "other", "given"]
    assert kind.tolist() == ["other", "given", "given"]  # the caller's array is left as it was


def test_looked_up_a_few_labels_at_a_time_is_the_map(monkeypatch: pytest.MonkeyPatch):
    values = pd.Series([0.5, np.nan, 1.0, 0.25], index=[2, 5, 7, 11])
    at = np.array([0, 2, 5, 7, 11, 3, 2, 11, 12, 7], dtype=np.int64)
    monkeypatch.setattr(model, "BLOCK", 3)
    got = model._looked_up(values, at)
    np.testing.assert_array_equal(got, pd.Series(at).map(values).to_numpy(dtype=float))
    assert np.isnan(got[[0, 2, 5, 8]]).all() and got[1] == 0.5


def test_filled_shares_one_string():
    kinds = model._filled(1000, "none")
    assert len({id(k) for k in kinds}) == 1 and kinds[999] == "none"
