"""Features held once per distinct (heard name, text) pair (`features.Features`) are, contact by
contact, what reading each contact alone gives; and campaign keys read through them are the keys a
frame of per-contact features gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.attribution.test_model import PRIMARY, T0, _inputs
from tracer.attribution import campaigns, features
from tracer.attribution.features import Features

_TEXTS = [
    None,
    "",
    "【股宝】欧阳先生您好，您的验证码是 482913，请勿告诉他人",
    "欧阳建国先生，我们这边是做配资的，回电 13911112222",
    "汪女士您好，车险到期了吗？详询 021-61234567",
    "Hi komira82, your loan is approved. Call 13911112222",
    "孙琴您好，1987-03-14 生日快乐，优惠贷款 95588",
]
_HEARD = [None, "", "欧阳先生", "汪丽", "sun qin", "Sir"]


def _contacts(picks: list[tuple[int, int]]) -> list[dict]:
    return [
        {"to": PRIMARY, "from": "+8613911110000", "at": T0 + n * 3600.0, "text": _TEXTS[t], "heard_name": _HEARD[h]}
        for n, (t, h) in enumerate(picks)
    ]


def _alone(row: dict) -> pd.Series:
    """The features of one contact read on its own."""
    return features.extract(_inputs([row])).frame().iloc[0]


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(_TEXTS) - 1), st.integers(0, len(_HEARD) - 1)), min_size=1, max_size=12))
def test_each_contact_has_the_features_of_its_own_texts(picks):
    rows = _contacts(picks)
    found = features.extract(_inputs(rows))
    assert len(found) == len(rows) and found.code.dtype == np.int32
    assert len(found.table) == len(set(((_HEARD[h] or ""), (_TEXTS[t] or "")) for t, h in picks))
    whole = found.frame()
    for n, row in enumerate(rows):
        assert whole.iloc[n].to_dict() == _alone(row).to_dict()


def test_a_missing_text_reads_as_an_empty_one():
    found = features.extract(_inputs(_contacts([(0, 0), (1, 1)])))
    assert found.code.tolist() == [0, 0] and len(found.table) == 1


def test_a_feature_column_is_per_contact_and_a_list_selects_features():
    found = features.extract(_inputs(_contacts([(2, 2), (3, 0), (2, 2)])))
    topic = found["topic"]
    assert isinstance(topic, pd.Series) and len(topic) == 3 and topic[0] == topic[2]
    assert found["verification"].tolist() == [True, False, True]
    assert list(found[["named", "topic"]].table.columns) == ["named", "topic"]


_NUMBER = st.sampled_from(["+8613911112222", "+8613911112333", "+8613800000001", "95588"])
_TEXT = st.tuples(st.lists(_NUMBER, max_size=3), st.one_of(st.none(), st.sampled_from(["tpl-a", "tpl-b"])))


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, min_size=1, max_size=6), st.lists(st.integers(0, 5), max_size=25), st.booleans())
def test_campaign_keys_through_codes_are_the_per_contact_keys(texts, picks, own_first):
    """Numbered in order of first appearance (as `extract` numbers them), the codes give the very
    table a per-contact frame gives; in any order, the same campaigns."""
    picks = [p % len(texts) for p in picks]
    table = pd.DataFrame(
        {"callbacks": pd.Series([t[0] for t in texts], dtype=object), "template": pd.Series([t[1] for t in texts], dtype=object)}
    )
    contacts = pd.DataFrame(
        {
            "id": [f"k_{n}" for n in range(len(picks))],
            "channel": ["sms"] * len(picks),
            "from": pd.Series([None] * len(picks), dtype=object),
            "to": ["+8613800000009"] * len(picks),
        }
    )
    own = {"+8613911112333"} if own_first else set()
    coded = Features(table, np.array(picks, dtype=np.int32))
    per_contact = coded.frame()
    assert campaigns.label(contacts, coded, own).tolist() == campaigns.label(contacts, per_contact, own).tolist()
    order = list(dict.fromkeys(picks))  # the texts renumbered in order of first appearance
    renumbered = Features(table.iloc[order].reset_index(drop=True), np.array([order.index(p) for p in picks], dtype=np.int32))
    assert campaigns.keys(contacts, renumbered, own).equals(campaigns.keys(contacts, per_contact, own))
