"""The report's campaign sizes per contact, counted by codes, are what mapping each contact's
campaign id through the ids' counts gave (0 for a contact of no campaign)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from tracer.attribution.result import _sizes


def _by_map(campaign: pd.Series) -> np.ndarray:
    return campaign.map(campaign.value_counts()).fillna(0).to_numpy(dtype=float)


@given(st.lists(st.sampled_from([None, "g_a", "g_b", "g_c", "g_d"]), max_size=40))
def test_sizes_by_codes_are_the_counts_mapped(ids: list[str | None]):
    campaign = pd.Series(np.array(ids, dtype=object), dtype=object)
    assert np.array_equal(_sizes(campaign), _by_map(campaign))


def test_a_contact_of_no_campaign_has_size_zero_and_the_others_their_campaigns():
    campaign = pd.Series(np.array(["g_a", None, "g_a", "g_b"], dtype=object), dtype=object)
    assert _sizes(campaign).tolist() == [2.0, 0.0, 2.0, 1.0]
    assert _sizes(pd.Series([], dtype=object)).tolist() == []


def _listed_by_frame(campaign: pd.Series, callers: pd.Series, attributed: pd.Series) -> pd.DataFrame:
    """The campaigns list as it was built before: a frame of every contact, then filtered."""
    frame = pd.DataFrame({"id": campaign, "from": callers, "platform": attributed}).dropna(subset=["id"])
    frame = frame[frame["id"].isin(frame.loc[frame["platform"].notna(), "id"].unique())]
    rows = []
    for gid, group in frame.groupby("id", sort=True):
        platforms = sorted(group["platform"].dropna().unique())
        if platforms:
            callers_ = sorted(group["from"].dropna().unique())
            rows.append({"id": gid, "callers": callers_[:50], "platforms": platforms, "contacts": int(len(group))})
    return pd.DataFrame(rows, columns=["id", "callers", "platforms", "contacts"])


@given(
    st.lists(
        st.tuples(
            st.sampled_from([None, "g_a", "g_b", "g_c"]),
            st.sampled_from([None, "+1555", "+1666"]),
            st.sampled_from([None, "Shop", "Bank"]),
        ),
        max_size=30,
    )
)
def test_the_campaigns_listed_are_those_the_frame_of_every_contact_gave(rows: list[tuple[str | None, ...]]):
    from types import SimpleNamespace

    from tracer.attribution.result import _campaigns

    ids, callers, platforms = (pd.Series(np.array([r[n] for r in rows], dtype=object), dtype=object) for n in range(3))
    model = SimpleNamespace(contacts=pd.DataFrame({"campaign": ids}))
    inputs = SimpleNamespace(contacts=pd.DataFrame({"from": callers}))
    listed = _campaigns(model, inputs, platforms)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(listed, _listed_by_frame(ids, callers, platforms))
