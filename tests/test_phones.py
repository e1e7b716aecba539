"""Phone numbers: any common spelling normalizes to one E.164 form (property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer import phones

mobile = st.integers(min_value=3, max_value=9).flatmap(
    lambda second: st.integers(min_value=0, max_value=10**9 - 1).map(lambda rest: f"1{second}{rest:09d}")
)


@given(mobile)
def test_cn_mobile_spellings_normalize_to_one_e164(local: str) -> None:
    e164 = phones.normalize(local, "CN")
    spaced = f"{local[:3]} {local[3:7]} {local[7:]}"
    assert e164 == "+86" + local
    assert phones.normalize(spaced, "CN") == phones.normalize(f"+86-{local}", "US") == e164
    assert phones.normalize(f"0086 {local}", "CN") == e164


@given(st.text(max_size=30))
def test_normalize_never_raises_anything_but_value_error(raw: str) -> None:
    try:
        result = phones.normalize(raw, "CN")
    except ValueError:
        return
    assert phones.looks_e164(result)


@pytest.mark.parametrize("raw", ["123", "", "abc", "+86 12"])
def test_impossible_numbers_are_refused(raw: str) -> None:
    with pytest.raises(ValueError):
        phones.normalize(raw, "CN")


def test_redaction_keeps_country_code_and_last_two_digits() -> None:
    assert phones.redact("+8613912345678") == "+86•••••••••78"
