"""The public API: Shape validation, and generate() driven by identities issued elsewhere."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tracer.errors import InputError
from tracer.simulate import Shape, corpus, generate, issue_locally, plan


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"locale": "fr_FR"}, "locale"),
        ({"pool": 0}, "pool"),
        ({"leak_share": 1.5}, "leak_share"),
        ({"platforms": 0}, "platforms"),
        ({"start": "soon"}, "start"),
    ],
)
def test_shape_refuses_values_that_describe_no_world(fields: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as caught:
        Shape(**fields)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_pool_of_zero_puts_every_canary_on_the_primary() -> None:
    world = plan(Shape(seed=3, platforms=8, pool=0, controls=0, recycled=0))
    signups = issue_locally(world)
    assert {s.phone for s in signups} == {world.user.phone}


def test_generate_uses_only_the_signup_fields_it_is_given() -> None:
    """The demo issues identities through the vault: other names reach the traffic."""
    world = plan(Shape(seed=6, platforms=10))
    signups = [
        replace(s, name="诸葛" + s.name[-1] if not s.real_name else s.name)
        for s in issue_locally(world)
    ]
    traffic = generate(world, signups)
    said = " ".join(c.heard_name + c.text for c in traffic.contacts)
    assert "诸葛" in said
    assert {c.platform for c in traffic.contacts if c.platform} <= {s.platform for s in signups}


def test_generate_refuses_a_signup_on_a_number_the_user_does_not_own() -> None:
    world = plan(Shape(seed=6, platforms=3))
    signups = issue_locally(world)
    signups[0] = replace(signups[0], phone="+8613800138000")
    with pytest.raises(ValueError, match="not one of the world's numbers"):
        generate(world, signups)


def test_english_worlds_say_where_to_put_the_robocall_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(corpus.ENV, str(tmp_path))
    with pytest.raises(InputError, match="metadata.csv"):
        corpus.locate()
