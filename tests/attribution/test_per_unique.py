"""`phrases.per_unique` runs a computation once per distinct text, and remembers a column's
distinct texts only while that column lives."""

from __future__ import annotations

import gc

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


def test_only_the_rows_asked_are_read_and_the_others_get_missing():
    """`where`: the texts of the other rows are never computed, even where the same text is
    asked for in another row (that row gets its result)."""
    seen: list[str] = []
    texts = pd.Series(["a", "b", None, "a", "c"], dtype="str")
    where = np.array([False, True, True, True, False])
    found = phrases.per_unique(texts, lambda s: seen.extend(s) or [x.upper() for x in s], "-", where=where)
    assert found.tolist() == ["-", "B", "-", "A", "-"]
    assert sorted(seen) == ["a", "b"]


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.none() | st.sampled_from(["x", "y", "zz", "0", ""]), max_size=12), st.integers(1, 4))
def test_a_block_at_a_time_answers_as_all_at_once(texts, block):
    """`block`: each call sees at most `block` distinct strings, and the results are the same
    (and spread as the same one object per distinct text) as computing all at once."""
    series = pd.Series(texts, dtype=object)
    sizes: list[int] = []

    def lengths(strings: list[str]) -> list[list[int]]:
        sizes.append(len(strings))
        return [[len(s)] for s in strings]

    whole = phrases.per_unique(series, lambda s: [[len(x)] for x in s], [])
    blocked = phrases.per_unique(series, lengths, [], block=block)
    assert blocked.tolist() == whole.tolist()
    assert all(size <= block for size in sizes)
    assert sum(sizes) == len({t for t in texts if isinstance(t, str)})
    firsts = {t: n for n, t in reversed(list(enumerate(texts)))}
    assert all(blocked.iloc[n] is blocked.iloc[firsts[t]] for n, t in enumerate(texts) if isinstance(t, str))
