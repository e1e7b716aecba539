"""Campaigns: contacts that share a caller number, a callback number or a text template.

Caller IDs rotate and are spoofed, callback numbers much less, templates hardly at all; any one
shared key joins two contacts, and connected components are campaigns. A campaign that reaches
canaries of several platforms links them: one broker, several sources.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def keys(contacts: pd.DataFrame, feats: pd.DataFrame, own: set[str]) -> pd.DataFrame:
    """Long table (contact, key): the shared things that can join contacts into a campaign."""
    idx = np.arange(len(contacts))
    caller = pd.DataFrame({"i": idx, "key": ("from:" + contacts["from"].fillna("")).to_numpy()})
    caller = caller[contacts["from"].notna().to_numpy() & ~contacts["from"].isin(own).to_numpy()]
    callbacks = pd.DataFrame({"i": idx, "key": feats["callbacks"].to_numpy()}).explode("key")
    callbacks = callbacks[callbacks["key"].notna()]
    callbacks = callbacks[~callbacks["key"].isin(own)].assign(key=lambda d: "cb:" + d["key"])
    template = pd.DataFrame({"i": idx, "key": ("tpl:" + feats["template"].fillna("")).to_numpy()})
    template = template[feats["template"].notna().to_numpy()]
    table = pd.concat([caller, callbacks, template], ignore_index=True)
    shared = table["key"].map(table["key"].value_counts()) >= 2
    return table[shared].drop_duplicates().reset_index(drop=True)


def components(n: int, links: pd.DataFrame) -> np.ndarray:
    """Label per contact (0..n-1): the smallest contact index in its connected component."""
    label = np.arange(n)
    if links.empty:
        return label
    i = links["i"].to_numpy(dtype=np.int64)
    key_codes, _ = pd.factorize(links["key"])
    while True:
        key_min = np.full(key_codes.max() + 1, n, dtype=np.int64)
        np.minimum.at(key_min, key_codes, label[i])
        new = label.copy()
        np.minimum.at(new, i, key_min[key_codes])
        new = new[new]  # pointer jumping speeds convergence on long chains
        if np.array_equal(new, label):
            return label
        label = new


def label(contacts: pd.DataFrame, feats: pd.DataFrame, own: set[str]) -> pd.Series:
    """Campaign id per contact ("g_…"), or None for contacts that share nothing."""
    links = keys(contacts, feats, own)
    comp = components(len(contacts), links)
    grouped = np.bincount(comp, minlength=len(contacts))[comp] >= 2
    ids = np.full(len(contacts), None, dtype=object)
    if grouped.any():  # named after each campaign's first contact, one string per campaign
        firsts, member = np.unique(comp[grouped], return_inverse=True)
        names = contacts["id"].iloc[firsts].astype(str).str.replace("k_", "g_", regex=False)
        ids[grouped] = names.to_numpy(dtype=object)[member]
    return pd.Series(ids, index=contacts.index, dtype=object)
