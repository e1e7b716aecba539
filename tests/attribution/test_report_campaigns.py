"""The report's campaigns (round 19): each listed campaign's contacts read as a run of one sort of
their indices list the same campaigns, callers, platforms and counts, in the same order, as the
frame of every chosen contact grouped by campaign id did."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import result


def _by_groupby(campaign: pd.Series, callers: pd.Series, attributed: pd.Series) -> pd.DataFrame:
    """`result._campaigns` as round 18 wrote it: a frame of the chosen contacts, grouped by id."""
    codes = pd.factorize(campaign, use_na_sentinel=True)[0]
    reached = np.unique(codes[(codes >= 0) & attributed.notna().to_numpy(dtype=bool)])
    chosen = np.flatnonzero(np.isin(codes, reached))
    frame = pd.DataFrame(
        {
            "id": campaign.take(chosen).reset_index(drop=True),
            "from": callers.take(chosen).reset_index(drop=True),
            "platform": attributed.take(chosen).reset_index(drop=True),
        }
    )
    rows = []
    for gid, group in frame.groupby("id", sort=True):
        platforms = sorted(group["platform"].dropna().unique())
        if not platforms:
            continue
        callers_ = sorted(group["from"].dropna().unique())
        rows.append({"id": gid, "callers": callers_[:50], "platforms": platforms, "contacts": int(len(group))})
    return pd.DataFrame(rows, columns=["id", "callers", "platforms", "contacts"])


contact = st.tuples(
    st.sampled_from((None, "g_k9", "g_k10", "g_a", "g_b")),
    st.sampled_from((None, "+8613800000001", "+8613800000002", "a@x.org")),
    st.sampled_from((None, "StockA", "CarsB")),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(contact, max_size=60))
def test_campaigns_by_runs_list_what_the_groupby_did(contacts):
    campaign, callers, platform = (pd.Series([row[n] for row in contacts], dtype=object) for n in range(3))
    expected = _by_groupby(campaign, callers, platform)
    fit = SimpleNamespace(contacts=pd.DataFrame({"campaign": campaign}))
    inputs = SimpleNamespace(contacts=pd.DataFrame({"from": callers}))
    got = result._campaigns(fit, inputs, platform)  # type: ignore[arg-type]
    assert got.to_dict("records") == expected.to_dict("records")
    assert all(type(n) is int for n in got["contacts"])


def test_campaigns_keep_fifty_callers_sorted_and_skip_the_unattributed():
    campaign = pd.Series(["g_b"] * 60 + ["g_a"] * 2 + ["g_c"] * 3, dtype=object)
    callers = pd.Series([f"+86138{n:08d}" for n in range(59, -1, -1)] + ["x", None] + ["y"] * 3, dtype=object)
    platform = pd.Series([None] * 59 + ["CarsB"] + ["StockA", None] + [None] * 3, dtype=object)
    fit = SimpleNamespace(contacts=pd.DataFrame({"campaign": campaign}))
    got = result._campaigns(fit, SimpleNamespace(contacts=pd.DataFrame({"from": callers})), platform)  # type: ignore[arg-type]
    assert got["id"].tolist() == ["g_a", "g_b"]  # g_c reached no attributed contact
    assert got["callers"][0] == ["x"] and got["callers"][1] == sorted(callers[:60])[:50]
    assert got["contacts"].tolist() == [2, 60] and got["platforms"].tolist() == [["StockA"], ["CarsB"]]
