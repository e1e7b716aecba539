"""Markers written back in a text are found by shape, in any common spelling."""

from __future__ import annotations

import pandas as pd

from tracer.attribution import quoted


def test_birthdays_aliases_and_addresses_are_found_in_any_spelling() -> None:
    texts = pd.Series(
        [
            "您的生日1987年3月14日已登记",
            "born 3/14/1987",
            "Dear mugodokuna51, hello",
            "地址 24栋1004室",
            "APT 7004 is yours",
            "nothing here",
            None,
        ]
    )
    known = ["1987-03-14", "mugodokuna51", "24栋1004室", "Apt 7004"]
    assert quoted.found(texts, known).tolist() == [
        ["1987-03-14"],
        ["1987-03-14"],
        ["mugodokuna51"],
        ["24栋1004室"],
        ["apt7004"],
        [],
        [],
    ]


def test_a_marker_of_another_shape_is_matched_literally() -> None:
    found = quoted.found(pd.Series(["code ZX-91 confirmed", "code ZX-92"]), ["ZX-91"])
    assert found.tolist() == [["zx-91"], []]


def test_unknown_dates_and_words_are_not_reported() -> None:
    assert quoted.found(pd.Series(["1990-01-01 and hello"]), ["1987-03-14"]).tolist() == [[]]
