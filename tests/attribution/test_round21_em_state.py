"""The EM's step state, narrower (round 21, issue 12): each array the EM now makes in place, or does
not keep, gives the bits main 6cb8fac's gave. The references below are that main's code."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import model
from tracer.attribution.model import (
    OTHER_CALLERS_PSEUDO,
    OWN_WINDOW_DAYS,
    _Coded,
    _Excess,
    _Groups,
    _OtherCallers,
)

DAY = 86400.0


def _other_before(source, n_sources, member, by_campaign, source_of, weight):  # type: ignore[no-untyped-def]
    """`_OtherCallers._other` as main 6cb8fac wrote it: a source-long array of factors."""
    total = np.bincount(source, weights=weight, minlength=n_sources)
    weighed = weight[member]
    per_campaign = np.bincount(by_campaign, weights=weighed, minlength=len(source_of))
    in_campaigns = np.bincount(source_of, weights=per_campaign, minlength=n_sources)
    other = np.empty(len(weighed))
    weighed_sum = weighed.sum()
    blocks = model._member_blocks(member)
    for lo, hi, a, b in blocks:
        of = source[lo:hi][member[lo:hi]]
        share = in_campaigns[of].astype(float, copy=False)
        share -= per_campaign[by_campaign[a:b]]
        np.maximum(share, 0.0, out=other[a:b])
        clamped = total[of].astype(float, copy=False)
        np.maximum(clamped, 1e-9, out=clamped)
        weighed[a:b] *= other[a:b]
        weighed[a:b] /= clamped
    pooled = float(weighed.sum() / max(weighed_sum, 1e-9))
    out = np.ones(len(source))
    for lo, hi, a, b in blocks:
        whole = total[source[lo:hi][member[lo:hi]]].astype(float, copy=False)
        share = other[a:b]
        share += OTHER_CALLERS_PSEUDO * pooled
        whole += OTHER_CALLERS_PSEUDO
        share /= whole
        np.subtract(1, share, out=share)
        out[lo:hi][member[lo:hi]] = share
    return out


def _problem(seed: int, n: int, n_pairs: int, n_p: int) -> dict:
    rng = np.random.default_rng(seed)
    i = np.sort(rng.integers(0, n, n_pairs))
    p = rng.integers(0, n_p, n_pairs)
    return {
        "rng": rng,
        "i": i,
        "p": p,
        "camp": rng.integers(-1, max(n // 4, 1), n),
        "line": rng.integers(0, 5, n),
        "first_party": rng.random(n) < 0.1,
        "post_b": rng.random(n),
        "post_ip": rng.random(n_pairs),
        "at": np.sort(rng.random(n)) * 90 * DAY,
    }


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 40), st.integers(1, 60), st.integers(1, 4))
def test_the_other_callers_factors_multiplied_in_are_the_factors_main_made(seed: int, n: int, n_pairs: int, n_p: int) -> None:
    """Both factors, multiplied into a weight, are the weight times main's factor array, bit for bit."""
    d = _problem(seed, n, n_pairs, n_p)
    ip = _Groups(d["i"], d["p"], n_p)
    callers = _OtherCallers(d["camp"], d["line"], d["first_party"], ip, 5, n_p)
    weight_b, weight_l = d["rng"].random(n), d["rng"].random(ip.n)
    post_ip = d["rng"].random(ip.n)
    want_b = weight_b * _other_before(callers.line, 5, callers.member, callers.by_line, callers.line_of, d["post_b"])
    want_l = weight_l * _other_before(callers.ip_p, n_p, callers.member_ip, callers.by_leak, callers.leak_of, post_ip)
    callers.background(d["post_b"], into=weight_b)
    callers.leaks(post_ip, into=weight_l)
    assert weight_b.tobytes() == want_b.tobytes()
    assert weight_l.tobytes() == want_l.tobytes()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 300))
def test_the_channels_naming_shares_sum_the_named_weights_as_main_did(seed: int, n: int) -> None:
    """`_naming` over the named contacts alone gives main's sums over every contact times 0 or 1."""
    rng = np.random.default_rng(seed)
    channel = rng.integers(0, len(model.CHANNELS), n).astype(np.int8)
    named = rng.random(n) < 0.3
    weight = rng.random(n) * (rng.random(n) < 0.8)  # posteriors, some exactly 0
    total = np.bincount(channel, weight, minlength=len(model.CHANNELS))
    said = np.bincount(channel, weight * named, minlength=len(model.CHANNELS))
    want = (said + 1 + model.NAMING_PSEUDO * 0.2) / (total + 2 + model.NAMING_PSEUDO)
    assert model._naming(channel, named, weight, 0.2).tobytes() == want.tobytes()


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(0, 200))
def test_a_factor_held_as_codes_gives_every_value_back(seed: int, n: int) -> None:
    """`own_line` through the EM: a byte a pair for a few factors, the same values back."""
    rng = np.random.default_rng(seed)
    factor = rng.choice([0.0, model.ROTATING, 0.37, 1.0], n)
    held = _Coded.of(factor)
    assert held.codes.dtype == np.int8
    assert held.whole().tobytes() == factor.tobytes()
    assert np.array_equal(held.values[held.codes] >= 1.0, factor >= 1.0)


def _fresh_before(pairs: pd.DataFrame, k: pd.DataFrame, ip: _Groups, end: float) -> np.ndarray:
    """`_fresh` as main 6cb8fac wrote it (eight pair-long arrays at once)."""
    issued = k["issued_at"].to_numpy(dtype=float)[pairs["j"].to_numpy()]
    age = np.maximum(pairs["at"].to_numpy(dtype=float) - issued, 0.0) / DAY
    span = np.maximum((end - issued) / DAY, 1.0)
    tau = OWN_WINDOW_DAYS
    kernel = (span / tau) * np.exp(-age / tau) / -np.expm1(-span / tau)
    telling = pairs["name_kind"].isin(model.NAMING_KINDS).to_numpy() | model.alone(pairs)
    out = np.zeros(ip.n)
    np.maximum.at(out, ip.of_pairs(), np.where(telling, (1 - model.FRESH_SHARE) + model.FRESH_SHARE * kernel, 1.0))
    return out


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 2**31), st.integers(1, 40), st.integers(1, 60), st.integers(1, 4))
def test_the_fresh_leads_and_the_lines_excess_are_mains_bits(seed: int, n: int, n_pairs: int, n_p: int) -> None:
    """`_fresh` and `_Excess`'s kernel sums, made in place, are main's arrays bit for bit."""
    d = _problem(seed, n, n_pairs, n_p)
    rng = d["rng"]
    k = pd.DataFrame({"issued_at": rng.random(6) * 60 * DAY})
    kinds = ["full", "surname", "given", "other", "none"]
    pairs = pd.DataFrame(
        {
            "i": d["i"],
            "p": d["p"],
            "j": rng.integers(0, 6, n_pairs),
            "at": d["at"][d["i"]],
            "name_kind": pd.Categorical(rng.choice(kinds, n_pairs)),
            "shared": rng.integers(1, 3, n_pairs).astype(np.int32),
            "published": rng.random(n_pairs) < 0.2,
        }
    )
    ip = _Groups(d["i"], d["p"], n_p)
    end = float(d["at"].max()) + DAY
    assert model._fresh(pairs, k, ip, end).tobytes() == _fresh_before(pairs, k, ip, end).tobytes()
    chosen = rng.random(ip.n) < 0.7
    at_ip = d["at"][ip.i] / DAY
    excess = _Excess(pairs, k, ip, chosen, d["line"], at_ip, end / DAY)
    # main's: near / inside of the same kernel sums, the own decay as it was
    order = excess.order
    issued = np.full(ip.n, np.inf)
    np.minimum.at(issued, ip.of_pairs(), k["issued_at"].to_numpy(dtype=float)[pairs["j"].to_numpy()] / DAY)
    t, issued = at_ip[order], issued[order]
    group = d["line"][ip.i[order]].astype(np.int64) * (int(ip.p.max()) + 1) + ip.p[order]
    starts, stops = model._runs(group)
    lo = np.repeat(np.minimum.reduceat(issued, starts), stops - starts) if len(order) else issued
    h = model.EXCESS_DAYS
    near = model._near_in_runs(t, np.ones(len(t)), group, h)
    inside = np.maximum(1 - 0.5 * np.exp(-np.maximum(t - lo, 0) / h) - 0.5 * np.exp(-np.maximum(end / DAY - t, 0) / h), 0.5)
    assert excess.near.tobytes() == (near / inside).tobytes()
    assert excess.own_decay.tobytes() == np.exp(-np.maximum(t - issued, 0.0) / OWN_WINDOW_DAYS).tobytes()
