"""The report rows' arrays are taken from the Fit, not copied beside it, and the pairs' arrays are
chosen on their keys alone: each gives what the frame operations it replaced gave, row for row and
in the same order (ties included: the order decides which pair's evidence is shown)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import numpy as np
import pandas as pd
import pytest

from tracer.attribution import result
from tracer.attribution.inputs import interned


def _fit(seed: int, n: int = 400, n_p: int = 5) -> Any:
    """A Fit's pairs and `ip` as the EM makes them: several pairs per (contact, platform), in no
    particular order, posteriors and likelihood ratios with many ties."""
    rng = np.random.default_rng(seed)
    m = 3 * n
    pairs = pd.DataFrame(
        {
            "i": rng.integers(0, n, m),
            "j": rng.integers(0, 40, m),
            "p": rng.integers(0, n_p, m),
            "shared": rng.integers(1, 4, m),
            "published": rng.random(m) < 0.2,
            "via": pd.array(rng.choice(["sms", "email", "call"], m), dtype="str"),
            "token": rng.random(m) < 0.1,
            "name_kind": pd.array(rng.choice(["full", "surname", "other", "none"], m), dtype="str"),
            "key": pd.array(rng.choice(["杨", "li", "wang", "张"], m), dtype="str"),
            "lr": rng.choice([0.5, 1.0, 2.0, 8.0], m),  # few values: ties within a contact
        }
    )
    ip = pairs[["i", "p"]].drop_duplicates().sample(frac=1.0, random_state=seed).reset_index(drop=True)
    ip["lr"] = 1.0
    ip["post"] = rng.choice([0.001, 0.004, 0.005, 0.25, 0.5], len(ip))  # ties and ones kept out
    top = np.full(n, -1)
    best = ip.sort_values(["i", "post"], ascending=[True, False]).drop_duplicates("i")
    top[best["i"].to_numpy()] = best["p"].to_numpy()
    return SimpleNamespace(
        pairs=pairs, ip=ip, on_top=lambda: pairs["p"].to_numpy() == top[pairs["i"].to_numpy()]
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_candidates_are_the_merge_of_the_pairs_with_their_posteriors(seed: int) -> None:
    model = _fit(seed)
    merged = model.pairs[["i", "p"]].drop_duplicates().merge(model.ip, on=["i", "p"], how="left")
    merged = merged[merged["post"] >= 0.005].sort_values(["i", "post"], ascending=[True, False])
    cands = result._Candidates(model, SimpleNamespace(platforms=[f"P{n}" for n in range(5)]))  # type: ignore[arg-type]
    assert len(merged) > 100 and merged.duplicated(["i", "post"]).any()
    assert cands.i.tolist() == merged["i"].tolist() and cands.p.tolist() == merged["p"].tolist()
    assert cands.post.tolist() == merged["post"].tolist()
    assert cands.i.dtype == np.int32 and cands.p.dtype == np.int32


def test_a_pair_without_a_posterior_is_no_candidate() -> None:
    model = _fit(4)
    dropped = model.ip.iloc[0]
    model.ip = model.ip.iloc[1:]
    got = result._posteriors(model, 5)
    assert not ((got["i"] == dropped["i"]) & (got["p"] == dropped["p"])).any()
    assert len(got) and (got["post"] >= 0.005).all()


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_best_pairs_are_the_sorted_frames_best_pairs(seed: int) -> None:
    model = _fit(seed)
    columns = [*result._BestPairs.COLUMNS, "lr"]
    mine = model.pairs.loc[model.on_top(), columns]
    mine = mine.sort_values("lr", ascending=False).drop_duplicates("i").sort_values("i")
    best = result._BestPairs(model)
    tied = model.pairs.loc[model.on_top()].duplicated(["i", "lr"], keep=False)
    assert tied.any() and len(mine) > 100
    for col in result._BestPairs.COLUMNS:
        assert best.values[col].tolist() == mine[col].tolist(), col
    assert best.values["i"].dtype == np.int32 and best.values["via"].dtype == object


def test_each_campaign_is_shared_objects_with_its_number_of_contacts() -> None:
    campaign = pd.Series(["g1", None, "g2", "g1", None, "g1", "g3"], dtype="str")
    values, sizes = result._with_sizes(campaign)
    counted = campaign.map(campaign.value_counts()).fillna(0).to_numpy()
    assert sizes.tolist() == counted.tolist() == [3, 0, 1, 3, 0, 3, 1]
    assert sizes.dtype == np.int32
    assert [v if isinstance(v, str) else None for v in values.tolist()] == ["g1", None, "g2", "g1", None, "g1", "g3"]
    assert values[0] is values[3] is values[5]
    empty_values, empty_sizes = result._with_sizes(pd.Series([], dtype="str"))
    assert len(empty_values) == len(empty_sizes) == 0


def test_a_fits_object_column_is_taken_as_it_is_and_a_string_column_as_shared_objects() -> None:
    contacts = pd.DataFrame({"fp_platform": interned(pd.Series(["A", None, "A"], dtype="str"))})
    contacts["fp_reason"] = pd.Series(["why", None, "why"], dtype="str")
    taken = result._taken(contacts["fp_platform"])
    assert np.shares_memory(taken, contacts["fp_platform"].to_numpy())
    reasons = result._taken(contacts["fp_reason"])
    assert reasons.dtype == object and reasons[0] == "why" and reasons[0] is reasons[2]


def test_the_fit_keeps_a_stranger_code_per_contact_in_at_most_four_bytes(filled, vault) -> None:
    """The codes in the fewest bytes their range fits (a byte here: one or no stranger)."""
    from tracer import attribution
    from tracer.attribution.model import fit

    inputs = attribution.load(vault)
    stranger = fit(inputs).contacts["stranger"]
    assert stranger.dtype == np.int8 and len(stranger) == len(inputs.contacts) == 4
    assert (stranger >= -1).all()


def test_candidates_keyed_past_int32_are_still_told_apart() -> None:
    """Contacts and platforms as int32 (a Fit may narrow them): the key is int64 all the same."""
    model = _fit(5)
    n_p = 3_000  # contacts scaled up to 4M: their keys pass 2**31
    model.pairs = model.pairs.assign(i=(model.pairs["i"] * 10_000).astype(np.int32), p=model.pairs["p"].astype(np.int32))
    model.ip = model.ip.assign(i=(model.ip["i"] * 10_000).astype(np.int32), p=model.ip["p"].astype(np.int32))
    got = result._posteriors(model, n_p)
    merged = model.pairs[["i", "p"]].drop_duplicates().merge(model.ip, on=["i", "p"], how="left")
    merged = merged[merged["post"] >= 0.005]
    assert got["i"].tolist() == merged["i"].tolist() and got["p"].tolist() == merged["p"].tolist()
    assert got["i"].max() * n_p > 2**31
