"""Phone numbers: any common spelling normalizes to one E.164 form (property tests)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer import phones
from tracer.errors import InputError

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


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("138 0013 8000", "+8613800138000"),
        ("Bob@Example.ORG", "bob@example.org"),
        ("138****8000", "138****8000"),  # a bill's masked number, kept as written
        ("withheld", None),
        ("  ", None),
    ],
)
def test_one_reader_of_a_party_given_by_a_person_or_a_file(raw: str, expected: str | None) -> None:
    assert phones.party(raw, "CN", field="from") == expected
    if raw.strip():
        assert phones.parse_party(raw, "CN") == (expected, None)


@pytest.mark.parametrize("raw", ["12", "not@an", "x" * 400])
def test_a_party_that_is_neither_number_nor_address_names_its_field(raw: str) -> None:
    assert phones.parse_party(raw, "CN")[1]
    with pytest.raises(InputError, match="field 'from'"):
        phones.party(raw, "CN", field="from")


def test_sender_ids_are_kept_only_where_senders_use_them() -> None:
    assert phones.parse_party("TX-BANK", "CN", sender_id=True) == ("TX-BANK", None)
    assert phones.parse_party("TX-BANK", "CN")[0] is None


def test_a_shared_party_hides_numbers_and_keeps_addresses() -> None:
    assert phones.redact_party("+8613912345678") == "+86•••••••••78"
    assert phones.redact_party("shop@example.org") == "shop@example.org"
    assert phones.redact_party(None) is None
