"""`phrases.per_unique` runs a computation once per distinct text, and remembers a column's
distinct texts only while that column lives."""

from __future__ import annotations

import gc

import pandas as pd

from tracer.attribution import phrases


def test_each_distinct_text_is_computed_once_and_spread_back():
    seen: list[str] = []

    def upper(strings: list[str]) -> list[str]:
        seen.extend(strings)
        return [s.upper() for s in strings]

    texts = pd.Series(["a", None, "b", "a"], dtype="str")
    assert phrases.per_unique(texts, upper, "-").tolist() == ["A", "-", "B", "A"]
    assert phrases.per_unique(texts, lambda s: [x * 2 for x in s], "").tolist() == ["aa", "", "bb", "aa"]
    assert seen == ["a", "b"]


def test_a_columns_factorization_is_forgotten_when_the_column_dies():
    texts = pd.Series(["x", "y", "x"], dtype="str")
    phrases.per_unique(texts, lambda s: s, None)
    key = id(texts)
    assert key in phrases._FACTORIZED
    del texts
    gc.collect()
    assert key not in phrases._FACTORIZED
    other = pd.Series(["p", "q", "q"], dtype="str")  # a new column is read afresh, whatever its id
    assert phrases.per_unique(other, lambda s: [x + "!" for x in s], None).tolist() == ["p!", "q!", "q!"]
