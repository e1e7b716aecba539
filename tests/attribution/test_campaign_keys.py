"""Campaign keys are integer codes per (kind, value), computed once per distinct caller and
dialled line: the same caller blocks and the same campaigns as the per-contact string keys."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import campaigns

_NUMBERS = st.one_of(
    st.none(),
    st.sampled_from(["", "95588", "106", "+86", "ann@mail.example.org"]),
    st.builds(lambda d: "+86138" + d, st.text("0123", min_size=5, max_size=9)),
)


def _string_blocks(callers: pd.Series, dialled: pd.Series, own: set[str]) -> pd.Series:
    """The definition as it was written per contact (strings per contact)."""
    caller, line = callers.fillna("").astype(str), dialled.fillna("").astype(str)
    usable = caller.str.startswith("+") & (caller.str.len() >= campaigns.MIN_BLOCK_LENGTH) & ~caller.isin(own)
    cut = -campaigns.NEIGHBOUR_DIGITS
    neighbour = caller.str[:cut].to_numpy() == line.str[:cut].to_numpy() if len(caller) else np.zeros(0, bool)
    return ("blk:" + caller.str[: -campaigns.BLOCK_DIGITS]).where(usable.to_numpy() & ~neighbour, None)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NUMBERS, _NUMBERS), max_size=30), st.integers(0, 2))
def test_blocks_per_distinct_number_match_the_per_contact_definition(rows, n_own):
    callers = pd.Series([c for c, _ in rows], dtype=object)
    dialled = pd.Series([d for _, d in rows], dtype=object)
    own = set(callers.dropna().head(n_own))
    found, expected = campaigns.blocks(callers, dialled, own), _string_blocks(callers, dialled, own)
    assert found.notna().tolist() == expected.notna().tolist()
    assert found.dropna().tolist() == expected.dropna().tolist()


def test_keys_are_integers_shared_only_within_a_kind():
    contacts = pd.DataFrame(
        {
            "id": ["k_1", "k_2", "k_3", "k_4"],
            "channel": ["call", "call", "sms", "sms"],
            "from": ["+8613911112222", "+8613911112222", None, None],
            "to": ["+8613800000001"] * 4,
        }
    )
    # the template text equals the caller's number: as strings of different kinds they never met
    feats = pd.DataFrame(
        {"callbacks": [[], [], [], []], "template": [None, None, "+8613911112222", "+8613911112222"]}
    )
    links = campaigns.keys(contacts, feats, own=set())
    assert links["key"].dtype.kind == "i"
    by_key = links.groupby("key")["i"].apply(sorted).tolist()
    assert [0, 1] in by_key and [2, 3] in by_key
    assert not any(set(group) & {0, 1} and set(group) & {2, 3} for group in by_key)
    assert campaigns.label(contacts, feats, own=set()).tolist() == ["g_1", "g_1", "g_3", "g_3"]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(_NUMBERS, _NUMBERS), max_size=30))
def test_neighbours_per_distinct_number_match_the_per_contact_definition(rows):
    callers = pd.Series([c for c, _ in rows], dtype=object)
    dialled = pd.Series([d for _, d in rows], dtype=object)
    caller, line = callers.fillna("").astype(str), dialled.fillna("").astype(str)
    cut = -campaigns.NEIGHBOUR_DIGITS
    expected = [
        a[:cut] == b[:cut] and len(a) >= campaigns.MIN_BLOCK_LENGTH and a != b for a, b in zip(caller, line, strict=True)
    ]
    assert campaigns.neighbours(callers, dialled).tolist() == expected
