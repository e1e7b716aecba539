"""Marker spaces: unique values by random draw, a scan when nearly full, None when full."""

from __future__ import annotations

from random import Random

from canaries.markers import (
    BIRTHDAYS,
    EN_ADDRESSES,
    ZH_ADDRESSES,
    Markers,
    MarkerSpace,
    address2_en,
    address2_zh,
    birthday,
)


def test_birthday_space_runs_from_1960_to_2004() -> None:
    assert birthday(0) == "1960-01-01"
    assert birthday(BIRTHDAYS - 1) == "2004-12-31"


def test_address_spaces_render_distinct_values_in_house_formats() -> None:
    assert address2_zh(0) == "1栋101室" and address2_en(0) == "Apt 101"
    assert len({address2_zh(i) for i in range(ZH_ADDRESSES)}) == ZH_ADDRESSES
    assert len({address2_en(i) for i in range(EN_ADDRESSES)}) == EN_ADDRESSES


def test_nearly_full_space_still_finds_its_last_free_value() -> None:
    space = MarkerSpace("x", str, 1000)
    taken = {str(i) for i in range(1000) if i != 617}
    assert space.draw(Random(1), taken) == "617"


def test_full_space_gives_none() -> None:
    space = MarkerSpace("x", str, 10)
    assert space.draw(Random(1), {str(i) for i in range(10)}) is None


def test_space_found_full_is_rescanned_once_taken_shrinks() -> None:
    space = MarkerSpace("x", str, 10)
    assert space.draw(Random(1), {str(i) for i in range(10)}) is None
    assert space.draw(Random(1), {str(i) for i in range(9)}) == "9"


def test_exhausted_marker_space_is_reported_as_a_warning() -> None:
    markers = Markers("zh_CN")
    taken = {birthday(i) for i in range(BIRTHDAYS)}
    values, warnings = markers.make(Random(1), taken)
    assert values["birthday"] in taken
    assert warnings == ["birthday space exhausted: another canary shares this value"]
