"""Any valid shape yields a consistent world: hypothesis draws small, odd shapes."""

from __future__ import annotations

import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from simulate_readback import file_keys, read

from tracer.simulate import Shape, simulate


@st.composite
def shapes(draw: st.DrawFn) -> Shape:
    pool = draw(st.integers(0, 4))
    return Shape(
        seed=draw(st.integers(0, 10_000)),
        platforms=draw(st.integers(1, 25)),
        days=draw(st.integers(7, 120)),
        locale=draw(st.sampled_from(("zh_CN", "en_US"))),
        pool=pool,
        controls=draw(st.integers(0, pool)),
        recycled=draw(st.integers(0, pool)),
        leak_share=draw(st.sampled_from((0.0, 0.3, 0.5, 1.0))),
        signup_span=draw(st.sampled_from((0.1, 0.6, 1.0))),
        partners_share=draw(st.sampled_from((0.0, 1.0))),
        breach_share=draw(st.sampled_from((0.0, 1.0))),
        broker_share=1.0,
    )


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shape=shapes())
def test_any_shape_writes_files_that_match_their_truth(shape: Shape) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder)
        simulate(out, shape)
        files = read(out)
        read.cache_clear()
        keys = file_keys(files)
        assert Counter(keys) == Counter(c["key"] for c in files.truth["contacts"])
        platforms = files.truth["platforms"]
        assert len(platforms) == shape.platforms
        leaked = Counter(c["platform"] for c in files.truth["contacts"] if c["cause"] == "leak")
        assert sum(doc["leaked"] for doc in platforms.values()) == round(
            shape.leak_share * shape.platforms
        )
        for name, doc in platforms.items():
            assert (leaked[name] > 0) == doc["leaked"], name
        controls = {n["e164"] for n in files.world["numbers"] if n["control"]}
        assert not any(s["phone"] in controls for s in files.world["signups"])


def test_a_titled_or_suffixed_name_still_gives_the_user_a_valid_mail_address() -> None:
    """Faker's en_US names include "Mrs. Ann Lee" and "Jack Higgins DDS": the user's address is
    made of the name's words alone (a title once made "mrs..annlee", which init refuses)."""
    from tracer import identifiers
    from tracer.simulate.planner import _name_words, plan

    assert _name_words("Mrs. Ann Lee") == ("ann", "lee")
    assert _name_words("Jack Higgins DDS") == ("jack", "higgins")
    assert _name_words("Dr. Mary-Jo O'Neil Jr.") == ("maryjo", "oneil")
    users = [plan(Shape(seed=seed, locale="en_US")).user for seed in range(80)]
    assert any(u.name.startswith(("Mr", "Ms", "Dr")) for u in users)  # titled users are among them
    for user in users:
        assert identifiers.email(user.email) == user.email, user.name
