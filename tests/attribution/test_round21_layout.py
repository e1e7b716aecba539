"""Round 21's layout (issue 12) reads the same as round 20's: the fit's two campaign groupings from
one reading of the keys (`campaigns.groupings`) are what two readings made; `_works_a_list` in
narrow arrays counts what its int64 arrays counted; the Fit's `ip` as int32 and its first-party
reasons as a categorical give the report's rows the same values."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import campaigns, model, result, verdicts
from tracer.attribution.features import Features
from tracer.attribution.inputs import interned

DAY = 86400.0


# -- round 20's campaigns: every grouping read the keys again, as int64 ---------------------------


def _keys_before(contacts: pd.DataFrame, feats: pd.DataFrame, own: set[str], block_gap: float | None) -> pd.DataFrame:
    """`campaigns.keys` as round 20 wrote it (main 80e3aa8)."""
    c = campaigns
    coded = Features(feats, np.arange(len(feats)))
    idx = np.arange(len(contacts))
    callers = c._Distinct(contacts["from"])
    unusable = np.append(c._isin(callers.values, own), True)
    caller_code = np.where(unusable[callers.code], -1, callers.code)
    caller = caller_code >= 0
    block_code = c._block_codes(callers, c._Distinct(contacts["to"]), own)
    in_block = (block_code >= 0) & (contacts["channel"] == "call").to_numpy()
    if block_gap is not None:
        block_code = c._in_use(block_code, in_block, contacts["at"].to_numpy(dtype=float), block_gap)
    kinds = [
        (idx[caller], *c._factorized(caller_code[caller])),
        (idx[in_block], *c._factorized(block_code[in_block])),
        c._callbacks(coded, own),
        c._templates(coded),
    ]
    i, key, first, offset = [], [], [], 0
    for members, codes, distinct in kinds:
        i.append(members)
        key.append(codes + offset)
        first.append(c._first_of_each(members, codes))
        offset += distinct
    members, codes = np.concatenate(i), np.concatenate(key)
    keep = (np.bincount(codes, minlength=offset)[codes] >= 2) & np.concatenate(first)
    return pd.DataFrame({"i": members[keep], "key": codes[keep]})


def _components_before(n: int, links: pd.DataFrame) -> np.ndarray:
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
        new = new[new]
        if np.array_equal(new, label):
            return label
        label = new


def _codes_before(contacts: pd.DataFrame, feats: pd.DataFrame, own: set[str], block_gap: float | None) -> np.ndarray:
    comp = _components_before(len(contacts), _keys_before(contacts, feats, own, block_gap))
    grouped = np.bincount(comp, minlength=len(contacts))[comp] >= 2
    out = np.full(len(contacts), -1, dtype=np.int64)
    out[grouped] = np.unique(comp[grouped], return_inverse=True)[1]
    return out


# callers of a few rented blocks (and the user's own line, a short code, a neighbour of the line),
# dialled lines, channels, days apart enough for a block to fall silent, callbacks and templates
CALLERS = (None, "+8613911112222", "+8613911112999", "+8613911113001", "+8613800000123", "+8613800000009", "10690", "+15551230001")
LINES = ("+8613800000009", "+8613800000777", "a@x.org")
contact = st.tuples(
    st.sampled_from(CALLERS),
    st.sampled_from(LINES),
    st.sampled_from(("call", "call", "sms", "email")),
    st.integers(0, 200),
    st.lists(st.sampled_from(("+8640012345", "+8613911112222", "+8613800000009")), max_size=2),
    st.sampled_from((None, None, "T1", "T2")),
)


def _world(rows: list[tuple]) -> tuple[pd.DataFrame, pd.DataFrame]:
    contacts = pd.DataFrame(
        {
            "id": [f"k_{n:04d}" for n in range(len(rows))],
            "from": pd.Series([r[0] for r in rows], dtype=object),
            "to": pd.Series([r[1] for r in rows], dtype=object),
            "channel": pd.Series([r[2] for r in rows], dtype=object),
            "at": np.array([r[3] * DAY for r in rows], dtype=float),
        }
    )
    feats = pd.DataFrame(
        {"callbacks": pd.Series([r[4] for r in rows], dtype=object), "template": pd.Series([r[5] for r in rows], dtype=object)}
    )
    return contacts, feats


@settings(max_examples=300, deadline=None)
@given(st.lists(contact, max_size=50), st.sampled_from((1.0, 30.0, 100.0)), st.booleans())
def test_both_groupings_from_one_reading_are_two_readings(rows, gap_days, own_line):
    contacts, feats = _world(rows)
    own = {"+8613800000009"} if own_line else set()
    whole, in_use = campaigns.groupings(contacts, feats, own, (None, gap_days * DAY))
    assert whole.tolist() == _codes_before(contacts, feats, own, None).tolist()
    assert in_use.tolist() == _codes_before(contacts, feats, own, gap_days * DAY).tolist()
    links = campaigns.keys(contacts, feats, own, block_gap=gap_days * DAY)
    assert links.equals(_keys_before(contacts, feats, own, gap_days * DAY))


def test_a_grouping_that_links_something_is_checked():
    """The property above meets campaigns of every kind: here a rented block cut by its silence."""
    rows = [("+8613911112222", LINES[0], "call", 0, [], None), ("+8613911112999", LINES[0], "call", 1, [], None),
            ("+8613911112001", LINES[0], "call", 90, [], None), ("+8613911112002", LINES[0], "call", 91, [], None)]
    contacts, feats = _world(rows)
    whole, in_use = campaigns.groupings(contacts, feats, set(), (None, 30 * DAY))
    assert whole.tolist() == [0, 0, 0, 0] and in_use.tolist() == [0, 0, 1, 1]
    assert campaigns.named(contacts, whole).tolist() == ["g_0000"] * 4


# -- round 20's `_works_a_list`: the campaigns factorized as intp, every index int64 --------------


def _works_a_list_before(fit, inputs, eligible, distinct):  # type: ignore[no-untyped-def]
    pairs = fit.pairs
    out = np.zeros(len(pairs), dtype=np.int64)
    campaign = pd.factorize(fit.contacts["campaign"].to_numpy(), use_na_sentinel=True)[0]
    i, p = pairs["i"].to_numpy(), pairs["p"].to_numpy().astype(np.int64)
    g = campaign[i]
    if not (eligible & (g >= 0)).any():
        return out
    n_g = int(campaign.max()) + 1
    span = int(p.max()) + 1
    key = g.astype(np.int64) * span + p
    named = np.unique(key[distinct & (g >= 0)])
    others = np.bincount(named // span, minlength=n_g)[np.maximum(g, 0)] - np.isin(key, named)
    member = campaign >= 0
    stranger = fit.contacts["stranger"].to_numpy()[member] >= 0
    strangers = np.bincount(campaign[member], weights=stranger, minlength=n_g)
    rows = np.flatnonzero(eligible & (g >= 0) & (others > 0) & (strangers[np.maximum(g, 0)] == 0))
    if not len(rows):
        return out
    heard, words = verdicts._words(inputs, i[rows])
    theirs = np.isin(key, named)
    kept = ~verdicts._misread(heard, pairs["key"].to_numpy()[rows], inputs.locale)
    kept &= ~verdicts._names_another_record(pairs, inputs, rows, words, theirs)
    out[rows] = np.where(kept, others[rows], 0)
    return out


NAMES = ("欧阳建国", "汪丽", "孙芳", "钱芳")
pair = st.tuples(st.integers(0, 11), st.integers(0, 3), st.booleans(), st.booleans(), st.sampled_from(("ouyang", "wang", "sun", "qian")))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(pair, min_size=1, max_size=40),
    st.lists(st.sampled_from((None, "g_a", "g_b", "g_c")), min_size=12, max_size=12),
    st.lists(st.sampled_from((-1, -1, 0)), min_size=12, max_size=12),
    st.lists(st.sampled_from((None, "欧阳先生", "汪女士", "孙芳女士")), min_size=12, max_size=12),
)
def test_works_a_list_in_narrow_arrays_counts_as_before(pair_rows, campaign, stranger, heard):
    pairs = pd.DataFrame(
        {
            "i": np.array([r[0] for r in pair_rows], dtype=np.int32),
            "j": np.array([r[1] for r in pair_rows], dtype=np.int32),
            "p": np.array([r[1] for r in pair_rows], dtype=np.int32),  # a platform per canary
            "key": pd.Series([r[4] for r in pair_rows], dtype=object),
        }
    )
    eligible = np.array([r[2] for r in pair_rows])
    distinct = np.array([r[3] for r in pair_rows])
    fit = SimpleNamespace(
        pairs=pairs,
        contacts=pd.DataFrame({"campaign": pd.Series(campaign, dtype=object), "stranger": np.array(stranger, dtype=np.int8)}),
    )
    inputs = SimpleNamespace(
        contacts=pd.DataFrame({"heard_name": pd.Series(heard, dtype=object), "text": pd.Series([None] * 12, dtype=object)}),
        canaries=pd.DataFrame({"name": pd.Series(NAMES, dtype=object)}),
        locale="zh_CN",
        real_name="王桂花",
    )
    got = verdicts._works_a_list(fit, inputs, eligible, distinct)  # type: ignore[arg-type]
    assert got.tolist() == _works_a_list_before(fit, inputs, eligible, distinct).tolist()


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-5, 40), max_size=30), st.lists(st.integers(-5, 40), max_size=10))
def test_among_is_isin_for_distinct_sorted_values(values, found):
    values, found = np.array(values, dtype=np.int64), np.unique(np.array(found, dtype=np.int64))
    assert verdicts._among(values, found).tolist() == np.isin(values, found).tolist()


# -- the Fit: `ip` int32, first-party reasons a categorical ---------------------------------------


def test_the_fits_ip_and_reasons_are_narrow_and_read_as_before():
    from tests.attribution.small_world import ALIASES, POOL, T0, three_platforms

    # callers naming canaries or not, and the platforms' own codes and signed texts (first party)
    contacts = [
        {"at": T0 + (n + 1) * DAY, "to": POOL, "from": f"+86136000{n % 5:05d}", "heard_name": ("孙女士", None)[n % 2]}
        for n in range(30)
    ]
    contacts += [
        {"channel": "sms", "at": T0 + 2 * DAY, "to": POOL, "from": "10690001", "text": "【LoanC】您的验证码是 482913"},
        {"channel": "email", "at": T0 + 3 * DAY, "to": ALIASES[0], "from": "news@stocka.example", "text": "StockA weekly"},
    ]
    fit = model.fit(three_platforms(contacts))
    assert fit.ip["i"].dtype == np.int32 and fit.ip["p"].dtype == np.int32
    reason = fit.contacts["fp_reason"]
    assert isinstance(reason.dtype, pd.CategoricalDtype)
    first_party = fit.contacts["first_party"].to_numpy()
    assert first_party.any() and not first_party.all()
    # what the rows read: the reasons as shared Python strings, NaN where none; round 20 read
    # the same from an Arrow string column through `interned`
    taken = result._taken(reason)
    before = interned(pd.Series(reason.astype(object).to_numpy(), dtype="str")).to_numpy()
    assert [a if isinstance(a, str) else None for a in taken.tolist()] == [
        b if isinstance(b, str) else None for b in before.tolist()
    ]
    assert all(isinstance(r, str) for r in taken[first_party].tolist())


# -- round 20's `_chance_surname` layout: a frame of every contact's line, a per-contact map (with
# s21-B's window: a spare's month, the published number's week) ----------------------------------


def _chance_surname_before(fit, inputs):  # type: ignore[no-untyped-def]
    pairs = fit.pairs
    c = inputs.contacts.reset_index(drop=True)
    i, j = pairs["i"].to_numpy(), pairs["j"].to_numpy()
    stranger = fit.contacts["stranger"].to_numpy()
    to = c["to"].to_numpy()
    said = pd.DataFrame({"to": to, "who": stranger})[stranger >= 0]
    times = said.groupby(["to", "who"]).size()
    once = times[times == 1].groupby(level="to").size()
    lines, distinct = pd.factorize(to, use_na_sentinel=False)
    strangers = pd.Series(distinct).map(once).fillna(0).to_numpy()[lines]
    age = (c["at"].to_numpy(dtype=float)[i] - inputs.canaries["issued_at"].to_numpy(dtype=float)[j]) / DAY
    published = pairs["published"].to_numpy(bool)
    window = np.where(published, verdicts.CORROBORATING_DAYS, verdicts.PUBLISHED_CORROBORATING_DAYS)
    heard = (strangers[i] >= verdicts.STRANGERS) & (age > window)
    unheard = published & (age > verdicts.PUBLISHED_CORROBORATING_DAYS)
    return (pairs["shared"].to_numpy() >= 2) & (heard | unheard)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 9), st.integers(0, 2), st.booleans(), st.integers(1, 3)), min_size=1, max_size=30),
    st.lists(st.tuples(st.sampled_from((None, "+8613800000009", "+8613800000777")), st.integers(-1, 3), st.floats(0, 90)), min_size=10, max_size=10),
)
def test_chance_surname_per_distinct_line_is_as_before(pair_rows, contact_rows):
    pairs = pd.DataFrame(
        {
            "i": np.array([r[0] for r in pair_rows], dtype=np.int32),
            "j": np.array([r[1] for r in pair_rows], dtype=np.int32),
            "published": [r[2] for r in pair_rows],
            "shared": np.array([r[3] for r in pair_rows], dtype=np.int32),
        }
    )
    fit = SimpleNamespace(pairs=pairs, contacts=pd.DataFrame({"stranger": np.array([r[1] for r in contact_rows], dtype=np.int8)}))
    inputs = SimpleNamespace(
        contacts=pd.DataFrame({"to": pd.Series([r[0] for r in contact_rows], dtype=object), "at": [r[2] * DAY for r in contact_rows]}),
        canaries=pd.DataFrame({"issued_at": [0.0, 20 * DAY, 45 * DAY]}),
    )
    got = verdicts._chance_surname(fit, inputs)  # type: ignore[arg-type]
    assert got.tolist() == _chance_surname_before(fit, inputs).tolist()


# -- round 20's `_pairs`: a merge of a frame of every kept contact's identifier ------------------


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from((None, "+8613800000009", "+8613800000777", "a@x.org", "b@x.org", "+8613911112222")), max_size=40),
    st.lists(st.tuples(st.sampled_from((None, "+8613800000009", "+8613800000777")), st.sampled_from((None, "a@x.org", "b@x.org"))), max_size=8),
    st.lists(st.booleans(), min_size=40, max_size=40),
)
def test_the_join_on_identifiers_is_the_merge(to, canaries, first_party):
    contacts = pd.Series(to, dtype=object)
    k = pd.DataFrame({"phone": pd.Series([c[0] for c in canaries], dtype="str"), "email": pd.Series([c[1] for c in canaries], dtype="str")})
    ident = pd.concat(
        [
            pd.DataFrame({"j": k.index, "to": k["phone"], "via": "phone"}),
            pd.DataFrame({"j": k.index, "to": k["email"], "via": "email"}),
        ]
    ).dropna(subset=["to"])
    kept = np.flatnonzero(~np.array(first_party[: len(to)], dtype=bool))
    merged = pd.DataFrame({"i": kept, "to": contacts.take(kept).reset_index(drop=True)}).merge(ident, on="to")
    i, r = model._joined(contacts, kept, ident["to"])
    assert i.tolist() == merged["i"].tolist()
    assert ident["j"].to_numpy()[r].tolist() == merged["j"].tolist()
    assert ident["via"].to_numpy()[r].tolist() == merged["via"].tolist()
    assert contacts.to_numpy()[i].tolist() == merged["to"].tolist()


def test_held_labels_keep_no_index_array_and_give_the_same_values_back():
    """First-party's frame has an index of integers 0…n-1: the held labels keep a RangeIndex
    instead of that array through the EM, and give back the same values at the same places."""
    column = pd.Series(np.array(["a", None, "b", None, "a"], dtype=object), index=pd.Index(np.arange(5, dtype=np.int64)))
    held = model._Held.of(column)
    assert isinstance(held.index, pd.RangeIndex) and len(held.index) == 5
    back = held.series()
    assert back.index.equals(column.index) and back.tolist() == column.tolist()
    shifted = pd.Series(column.to_numpy(), index=pd.Index(np.arange(1, 6, dtype=np.int64)))
    assert model._Held.of(shifted).index.equals(shifted.index)  # any other index is kept as it is
