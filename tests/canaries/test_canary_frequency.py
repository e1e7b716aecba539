"""How often strangers say a name: surnames, and given names said alone."""

from __future__ import annotations

from canaries.frequency import TOO_COMMON, rare_given
from canaries.names import spoken_key


def _key(name: str) -> str:
    return spoken_key(name, locale="en_US")


def test_a_given_name_is_rare_by_its_share_of_people():
    """US Social Security Administration shares: Jessica and Michael are each about 1% of people or more, far commoner than
    any surname a canary may carry (TOO_COMMON); Reginald and Trish are a few in ten thousand,
    as rare as one. A Chinese given name has no share table and always counts as common."""
    assert not rare_given(_key("Jessica"), "en_US")
    assert not rare_given(_key("Michael"), "en_US")
    assert rare_given(_key("Reginald"), "en_US")
    assert rare_given(_key("Trish"), "en_US")
    assert not rare_given(spoken_key("建国"), "zh_CN")


def test_a_name_without_a_measured_share_counts_as_common():
    """A nickname or a spelling the table does not list ("Xyzzo") has no measured share: it is
    never taken for rare, whatever its letters."""
    assert not rare_given(_key("Xyzzo"), "en_US")
    assert not rare_given("", "en_US")


def test_sound_alike_given_names_add_up():
    """Homophones share one spoken key and their shares add up: "Catherine" and "Kathryn" are one
    key, commoner than either alone; so a sound-alike spelling is never rarer than its key."""
    assert _key("Catherine") == _key("Kathryn")
    assert not rare_given(_key("Kathryn"), "en_US")
    assert TOO_COMMON == 0.002
