"""Issuing canaries: distinct-sounding surnames, fresh aliases and markers, determinism."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import date

import pytest

from canaries import (
    PLUS_WARNING,
    SURNAME_WARNING,
    Generator,
    InputError,
    Issued,
    Taken,
    name_key,
    surname_key,
)
from canaries.namebook import distinctive, surname_groups

ZH_REAL = "杨伟"
EN_REAL = "John Smith"
ALIAS = re.compile(r"^([bdfgklmnprstvz][aeiou]){3,5}\d{2}$")


def issue_many(generator: Generator, count: int, taken: Taken | None = None) -> list[Issued]:
    """Issue `count` canaries, recording each in `taken` as the vault would."""
    taken = Taken() if taken is None else taken
    issued = []
    for _ in range(count):
        canary = generator.issue(taken)
        taken.add(canary)
        issued.append(canary)
    return issued


def zh(seed: int = 7, **kwargs: str) -> Generator:
    return Generator("zh_CN", ZH_REAL, email_domain="example.org", seed=seed, **kwargs)


def en(seed: int = 7) -> Generator:
    return Generator("en_US", EN_REAL, email_domain="example.org", seed=seed)


def test_zh_canaries_use_every_distinctive_surname_key_once_unlike_the_real_name() -> None:
    """Surname keys strangers say by chance (0.2% of people or more, homophones added up: 魏, 韦
    and 卫 are one "wei") are never issued; the ~150 others each once before any repeats."""
    available = sum(distinctive(group) for group in surname_groups("zh_CN"))
    keys = [canary.surname_key for canary in issue_many(zh(), available)]
    assert available >= 145  # 153 before the words of grammar (那, 但 …) were taken out
    assert len(set(keys)) == available
    assert surname_key("杨") not in keys
    assert not {"wei", "fang", "shi", "wang"} & set(keys)


def test_zh_surname_key_is_the_key_of_the_issued_names_surname() -> None:
    for canary in issue_many(zh(), 200):
        assert name_key(canary.name) == canary.surname_key


def test_200_en_canaries_have_distinct_metaphone_surname_keys() -> None:
    issued = issue_many(en(), 200)
    keys = [canary.surname_key for canary in issued]
    assert len(set(keys)) == 200
    assert name_key(EN_REAL, locale="en_US") not in keys
    assert all(name_key(c.name, locale="en_US") == c.surname_key for c in issued)


def test_en_canaries_vary_first_name_as_well_as_surname() -> None:
    first_names = {canary.name.split()[0] for canary in issue_many(en(), 200)}
    assert len(first_names) > 100
    assert "John" not in first_names


def test_en_canaries_never_take_a_given_name_callers_already_use_on_the_number() -> None:
    """A previous owner's "Zachary" on the number: no canary there may be a Zachary (or a
    name that sounds like it), or "Hi Zachary" would look like a leak."""
    from canaries import spoken_key

    free = {canary.name.split()[0] for canary in issue_many(en(), 300)}
    heard = {spoken_key(name, locale="en_US") for name in sorted(free)[:40]}
    taken = Taken(heard_given=heard)
    issued = issue_many(en(), 300, taken)
    assert all(spoken_key(c.name.split()[0], locale="en_US") not in heard for c in issued)


@pytest.mark.parametrize("make", [zh, en])
def test_every_pair_of_canaries_differs_in_email_and_each_marker(
    make: Callable[[], Generator],
) -> None:
    issued = issue_many(make(), 300)
    for a, b in itertools.combinations(issued, 2):
        assert a.email != b.email
        assert a.markers["birthday"] != b.markers["birthday"]
        assert a.markers["address2"] != b.markers["address2"]


def test_names_are_unique_and_never_the_real_name() -> None:
    names = [canary.name for canary in issue_many(zh(), 2000)]
    assert len(set(names)) == len(names)
    assert ZH_REAL not in names


def test_same_seed_and_calls_give_identical_canaries() -> None:
    assert issue_many(zh(seed=42), 50) == issue_many(zh(seed=42), 50)
    assert issue_many(en(seed=42), 50) == issue_many(en(seed=42), 50)


def test_different_seeds_give_different_canaries() -> None:
    assert issue_many(zh(seed=1), 20) != issue_many(zh(seed=2), 20)


def test_surname_space_exhaustion_still_issues_with_a_warning() -> None:
    issued = issue_many(zh(), 2000)
    warned = [SURNAME_WARNING in canary.warnings for canary in issued]
    first_warning = warned.index(True)
    assert not any(warned[:first_warning]) and all(warned[first_warning:])
    assert len({canary.surname_key for canary in issued[:first_warning]}) == first_warning
    # Faker's 399 surnames plus 复姓, fewer once homophones merge, minus the common (0.2% or more of
    # people, homophones added up: about 86 keys), the generic (帅, 阿) and those a compound is cut
    # to (欧阳 takes 欧's key too)
    assert first_warning > 120


def test_exhausted_space_reuses_the_least_used_key() -> None:
    taken = Taken()
    issue_many(zh(), 400, taken)
    before = dict(taken.surname_uses)
    canary = zh(seed=8).issue(taken)
    assert before[canary.surname_key] == min(before.values())


def test_exhausted_surnames_spread_evenly_over_keys() -> None:
    taken = Taken()
    issue_many(zh(), 1000, taken)
    uses = taken.surname_uses.values()
    assert max(uses) - min(uses) <= 1


def test_real_name_true_keeps_the_name_and_its_key_without_surname_warning() -> None:
    taken = Taken()
    issue_many(zh(), 2000, taken)
    canary = zh(seed=9).issue(taken, real_name=True)
    assert canary.name == ZH_REAL
    assert canary.surname_key == "yang"
    assert SURNAME_WARNING not in canary.warnings
    assert canary.email not in taken.emails


def test_real_name_true_without_a_real_name_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Generator("zh_CN", " ").issue(Taken(), real_name=True)


def test_alias_is_a_pronounceable_local_part_at_the_domain() -> None:
    for canary in issue_many(zh(), 100):
        assert canary.email is not None
        local, _, domain = canary.email.partition("@")
        assert ALIAS.match(local) and domain == "example.org"


def test_plus_mailbox_gives_plus_addresses_with_a_strip_warning() -> None:
    generator = Generator("zh_CN", ZH_REAL, plus_mailbox="Me@Gmail.com", seed=1)
    canary = generator.issue(Taken())
    assert canary.email is not None
    assert re.match(r"^me\+[a-z]+\d{2}@gmail\.com$", canary.email)
    assert PLUS_WARNING in canary.warnings


def test_no_email_option_gives_no_email_and_no_email_warning() -> None:
    canary = Generator("en_US", EN_REAL, seed=1).issue(Taken())
    assert canary.email is None
    assert PLUS_WARNING not in canary.warnings


def test_domain_and_plus_mailbox_together_are_rejected() -> None:
    with pytest.raises(InputError):
        Generator("zh_CN", ZH_REAL, email_domain="example.org", plus_mailbox="me@gmail.com")


def test_markers_are_a_plausible_adult_birthday_and_address_line() -> None:
    for canary in issue_many(zh(), 50) + issue_many(en(), 50):
        assert set(canary.markers) == {"birthday", "address2"}
        assert 1960 <= date.fromisoformat(canary.markers["birthday"]).year <= 2004
        assert re.match(r"^(\d+栋\d+室|(Apt|Unit|Suite) \d+)$", canary.markers["address2"])


def test_canaries_read_back_from_the_vault_are_not_reissued() -> None:
    stored = issue_many(zh(seed=3), 60)
    taken = Taken()
    for canary in stored:
        taken.add_identity(canary.name, canary.email, canary.markers, locale="zh_CN")
    for fresh in issue_many(zh(seed=3), 60, taken):
        assert fresh.surname_key not in {canary.surname_key for canary in stored}
        assert fresh.email not in {canary.email for canary in stored}


def test_unsupported_locale_is_an_input_error() -> None:
    with pytest.raises(InputError):
        Generator("fr_FR", "Jean Dupont")
