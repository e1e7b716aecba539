"""`campaigns.keys` built from arrays is the table its DataFrame definition made (every contact's
callbacks exploded, the whole table deduplicated), row for row, with callbacks said twice by one
contact, own numbers, and keys shared across kinds."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import campaigns

_NUMBER = st.sampled_from(["+8613911112222", "+8613911112333", "+8613800000001", "95588", "+12125550100"])


def _defined(contacts: pd.DataFrame, feats: pd.DataFrame, own: set[str]) -> pd.DataFrame:
    """The table as `keys` was written before: a DataFrame exploded and `drop_duplicates`."""
    idx = np.arange(len(contacts))
    caller = contacts["from"].notna().to_numpy() & ~contacts["from"].isin(own).to_numpy()
    block = campaigns.blocks(contacts["from"], contacts["to"], own)
    in_block = block.notna().to_numpy() & (contacts["channel"] == "call").to_numpy()
    callbacks = pd.DataFrame({"i": idx, "key": feats["callbacks"].to_numpy()}).explode("key")
    callbacks = callbacks[callbacks["key"].notna()]
    callbacks = callbacks[~callbacks["key"].isin(own)]
    template = feats["template"].notna().to_numpy()
    kinds = [
        (idx[caller], contacts["from"].to_numpy()[caller]),
        (idx[in_block], block[in_block]),
        (callbacks["i"].to_numpy(dtype=np.int64), callbacks["key"].to_numpy()),
        (idx[template], feats["template"].to_numpy()[template]),
    ]
    i, key, offset = [], [], 0
    for members, values in kinds:
        codes, uniques = pd.factorize(values)
        i.append(members)
        key.append(codes + offset)
        offset += len(uniques)
    table = pd.DataFrame({"i": np.concatenate(i), "key": np.concatenate(key)})
    shared = np.bincount(table["key"].to_numpy(), minlength=offset)[table["key"].to_numpy()] >= 2
    return table[shared].drop_duplicates().reset_index(drop=True)


_ROW = st.tuples(
    st.sampled_from(["call", "sms"]),
    st.one_of(st.none(), _NUMBER),
    st.lists(_NUMBER, max_size=3),  # a text may write one number twice
    st.one_of(st.none(), st.sampled_from(["tpl-a", "tpl-b", "+8613911112222"])),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ROW, max_size=25), st.booleans())
def test_keys_from_arrays_are_the_exploded_and_deduplicated_table(rows, own_first):
    contacts = pd.DataFrame(
        {
            "id": [f"k_{n}" for n in range(len(rows))],
            "channel": [r[0] for r in rows],
            "from": pd.Series([r[1] for r in rows], dtype=object),
            "to": ["+8613800000009"] * len(rows),
        }
    )
    feats = pd.DataFrame(
        {"callbacks": pd.Series([r[2] for r in rows], dtype=object), "template": pd.Series([r[3] for r in rows], dtype=object)}
    )
    own = {"+8613911112333"} if own_first else set()
    found, expected = campaigns.keys(contacts, feats, own), _defined(contacts, feats, own)
    assert found.equals(expected)


def test_a_callback_written_twice_links_its_contact_once():
    contacts = pd.DataFrame({"id": ["k_1", "k_2"], "channel": ["sms", "sms"], "from": [None, None], "to": ["+8613800000009"] * 2})
    feats = pd.DataFrame({"callbacks": [["+8613911112222", "+8613911112222"], ["+8613911112222"]], "template": [None, None]})
    links = campaigns.keys(contacts, feats, set())
    assert links["i"].tolist() == [0, 1] and links["key"].nunique() == 1
