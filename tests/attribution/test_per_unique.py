"""`phrases.per_unique` runs a computation once per distinct text, and remembers a column's
distinct texts only while that column lives."""

from __future__ import annotations

import gc

import pandas as pd
import pytest

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


def test_list_results_stay_one_object_per_text_and_other_values_get_missing():
    """Results are spread as objects, never broadcast into an array (equal-length lists stay
    lists); a value that is not a string gets `missing` and is not computed."""
    lists = phrases.per_unique(pd.Series(["ab", "cd", "ab"], dtype=object), lambda s: [list(x) for x in s], [])
    assert lists.tolist() == [["a", "b"], ["c", "d"], ["a", "b"]]
    assert lists.iloc[0] is lists.iloc[2]  # one result object per distinct text, shared
    seen: list[str] = []
    mixed = phrases.per_unique(pd.Series(["x", 7, None, "x"], dtype=object), lambda s: seen.extend(s) or [1] * len(s), 0)
    assert mixed.tolist() == [1, 0, 0, 1] and seen == ["x"]


def test_a_computation_that_answers_too_few_values_is_refused():
    with pytest.raises(ValueError, match="1 results for 2 values"):
        phrases.per_unique(pd.Series(["a", "b"], dtype=object), lambda s: s[:1], None)
