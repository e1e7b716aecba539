"""`model._keys_per_contact` is pandas' `groupby(i).agg(list)` (which the strangers' codes used),
without a Series per contact."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution.model import _keys_per_contact


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.tuples(st.integers(0, 30), st.sampled_from(["wang", "li", "张", "zhang", ""])), max_size=60))
def test_keys_per_contact_are_the_groupbys_lists(rows):
    i = np.array([r[0] for r in rows], dtype=np.int64)
    keys = pd.Series([r[1] for r in rows], dtype="str")
    per = pd.DataFrame({"i": i, "key": keys}).groupby("i")["key"].agg(list)
    contacts, lists = _keys_per_contact(i, keys.to_numpy(dtype=object))
    assert contacts.tolist() == per.index.tolist()
    assert lists == list(per)
