"""Departures from the default world (`tracer.simulate.variants`): each changes what it says it
changes, and a default Shape writes what it wrote before the knobs existed."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import datetime
from random import Random

import pytest

from tracer.errors import InputError
from tracer.simulate import Shape, generate, issue_locally, plan, speech, variants
from tracer.simulate.shape import DEPARTURES

BASE = Shape(seed=21, locale="en_US", platforms=16, days=200, pool=2, controls=0, recycled=1)


def _traffic(shape: Shape):  # type: ignore[no-untyped-def]
    world = plan(shape)
    signups = issue_locally(world)
    return world, signups, generate(world, signups)


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def test_departures_at_their_defaults_stay_out_of_world_json_and_round_trip() -> None:
    assert not set(DEPARTURES) & set(Shape().to_dict())
    changed = Shape(leak_lag=30.0, own_senders=3)
    doc = changed.to_dict()
    assert doc["leak_lag"] == 30.0 and doc["own_senders"] == 3 and "mangle" not in doc
    assert Shape.from_dict(json.loads(json.dumps(doc))) == changed


@pytest.mark.parametrize(("field", "value"), [("resale_waves", 0), ("own_senders", 0), ("leak_lag", -1.0)])
def test_a_departure_that_cannot_describe_a_world_is_refused(field: str, value: float) -> None:
    with pytest.raises(InputError) as caught:
        Shape(**{field: value})
    assert caught.value.field == field


def test_every_variant_changes_the_shape_and_is_documented() -> None:
    for name, variant in variants.VARIANTS.items():
        assert variant.apply(BASE) != BASE, name
        assert len(variant.why) > 20, name
    assert variants.apply(BASE, "") == BASE


def test_late_leaks_reach_callers_months_after_signup() -> None:
    def delays(shape: Shape) -> list[float]:
        truth = _traffic(shape)[2].truth["platforms"]
        return [
            (_at(p["leak_moment"]) - _at(p["signup_at"])).days
            for p in truth.values()
            if p["behaviour"] in ("broker", "breach") and p["leak_moment"]
        ]

    late = delays(replace_shape(leak_lag=90.0, days=400))
    assert late and min(late) >= 90
    assert max(delays(replace_shape(days=400))) < 90


def test_brokers_reselling_in_waves_reach_records_more_often_and_for_longer() -> None:
    def brokered(shape: Shape) -> tuple[int, float]:
        traffic = _traffic(shape)[2]
        sold = {p for p, v in traffic.truth["platforms"].items() if v["behaviour"] == "broker"}
        times: dict[str, list[datetime]] = defaultdict(list)
        for c in traffic.contacts:
            if c.cause == "leak" and c.platform in sold and c.channel != "email":
                times[c.platform].append(c.at)
        spans = sorted((max(t) - min(t)).days for t in times.values())
        return sum(map(len, times.values())), spans[len(spans) // 2]

    shape = replace_shape(broker_share=1.0, partners_share=0.0, breach_share=0.0, leak_share=0.5, days=365)
    once, waves = brokered(shape), brokered(replace_shape_of(shape, resale_waves=3))
    assert waves[0] > 1.3 * once[0] and waves[1] > once[1]


def test_fresh_caller_ids_show_a_new_number_on_nearly_every_centre_call() -> None:
    def repeats(shape: Shape) -> float:
        calls = [c for c in _traffic(shape)[2].contacts if c.channel == "call" and c.centre and c.sender]
        return 1 - len({c.sender for c in calls}) / len(calls)

    assert repeats(replace_shape(fresh_caller_ids=True)) < 0.05 < repeats(BASE)


def test_platforms_with_several_own_senders_text_from_all_of_them() -> None:
    def senders(shape: Shape) -> Counter[str]:
        world, _, traffic = _traffic(shape)
        own = defaultdict(set)
        for c in traffic.contacts:
            if c.cause == "first-party" and c.channel == "sms":
                own[c.platform].add(c.sender)
        return Counter(len(s) for s in own.values())

    assert set(senders(BASE)) == {1}
    assert max(senders(replace_shape(own_senders=4))) > 1


def test_mangle_scales_how_often_names_are_said_and_written_wrong() -> None:
    def wrong(mangle: float) -> float:
        rng = Random(5)
        said = [speech.say(rng, "zh_CN", "欧阳建国", "male", "title", mangle) for _ in range(2000)]
        typed = [speech.typed(rng, "zh_CN", s, mangle) for s in said]
        cut = sum(s.part == "cut" for s in said) / len(said)
        changed = sum(t != s.text for t, s in zip(typed, said, strict=True)) / len(said)
        return cut + changed

    assert wrong(0.0) == 0.0
    assert wrong(2.0) > 1.5 * wrong(1.0) > 0
    assert speech._bounds((0.65, 0.8, 0.92), 1.0) == (0.65, 0.8, 0.92)
    assert speech._bounds((0.7, 0.8, 0.9), 2.0) == pytest.approx((0.4, 0.6, 0.8))


def replace_shape(**changes: object) -> Shape:
    return replace_shape_of(BASE, **changes)


def replace_shape_of(shape: Shape, **changes: object) -> Shape:
    return Shape.from_dict({**shape.to_dict(), **changes})
