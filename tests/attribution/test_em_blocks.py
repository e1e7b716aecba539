"""The EM's steps a block at a time (`model.BLOCK` rows: the bursts' and the excess' kernel sums by
whole platforms or lines, the pairs' likelihood ratios, the campaign tilts, the other callers'
shares) fit what the whole arrays did, to the last bit: with blocks of three rows every boundary
inside a platform's, a line's and a campaign's rows is crossed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.attribution.small_world import ALIASES, CONTROL, DAY, POOL, PRIMARY, T0, three_platforms
from tracer.attribution import Inputs, model


def _inputs(two_on_one_number: bool) -> Inputs:
    """Three platforms on a shared primary and a pool number, 240 contacts from 23 callers (so
    campaigns) naming canaries or not, and mail to the aliases; with `two_on_one_number` LoanC has
    a second canary on the pool number, so two pairs make one (contact, platform) candidate."""
    more = (("c_4", "LoanC", "loans", T0 + 9 * DAY, POOL, "tavemi20@x.org", "钱芳", "qian", False, ()),)
    rng = np.random.default_rng(5)
    contacts = [
        {
            "at": T0 + float(rng.uniform(-20, 200)) * DAY,
            "to": (PRIMARY, POOL, CONTROL)[n % 3],
            "from": f"+86136000{n % 23:05d}",
            "heard_name": ("欧阳先生", "汪女士", "孙女士", None, None, "钱女士")[n % 6],
        }
        for n in range(240)
    ]
    contacts += [
        {"channel": "email", "at": T0 + (10 + 7 * n) * DAY, "to": ALIASES[n % 3], "from": f"deals{n % 4}@shop.example"}
        for n in range(24)
    ]
    return three_platforms(contacts, more if two_on_one_number else ())


@pytest.mark.parametrize("two_on_one_number", [False, True])
def test_the_em_a_few_rows_at_a_time_fits_the_same_bits(monkeypatch: pytest.MonkeyPatch, two_on_one_number: bool):
    whole = model.fit(_inputs(two_on_one_number))
    monkeypatch.setattr(model, "BLOCK", 3)
    blocked = model.fit(_inputs(two_on_one_number))
    # the world has what the blocks cut through: candidates on every platform, and two pairs in
    # one candidate where LoanC has two canaries on the pool number
    assert set(whole.ip["p"]) == {0, 1, 2}
    assert (len(whole.ip) < len(whole.pairs)) == two_on_one_number
    for name in ("contacts", "pairs", "platforms", "ip"):
        pd.testing.assert_frame_equal(getattr(blocked, name), getattr(whole, name), check_exact=True)
