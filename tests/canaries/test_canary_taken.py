"""`Taken` is filled one way: `add` for a canary just issued, `add_identity` for a stored one."""

from __future__ import annotations

from canaries import Issued, Taken, name_key


def test_a_stored_active_canary_reserves_its_surname_and_counts_its_use() -> None:
    taken = Taken()
    taken.add_identity("欧阳建国", "K7@mail.example.org", {"birthday": "1990-01-02"}, locale="zh_CN")
    taken.add_identity("欧阳明", None, {}, locale="zh_CN")
    key = name_key("欧阳建国", locale="zh_CN")
    assert taken.surname_keys == {key}
    assert taken.surname_uses == {key: 2}
    assert taken.names == {"欧阳建国", "欧阳明"}
    assert taken.emails == {"k7@mail.example.org"} and taken.markers == {"1990-01-02"}


def test_a_retired_canary_keeps_its_fields_but_frees_its_surname() -> None:
    taken = Taken()
    taken.add_identity("司马光", "a@x.org", {"address2": "Rm 5"}, locale="zh_CN", active=False)
    assert taken.surname_keys == set() and taken.surname_uses == {}
    assert taken.names == {"司马光"} and taken.emails == {"a@x.org"} and taken.markers == {"Rm 5"}


def test_a_canary_without_a_name_reserves_no_surname() -> None:
    taken = Taken()
    taken.add_identity(None, "b@x.org", {}, locale="en_US")
    assert taken.names == set() and taken.surname_keys == set() and taken.emails == {"b@x.org"}


def test_an_issued_canary_counts_like_a_stored_one() -> None:
    taken = Taken()
    key = name_key("Zoe Quill", locale="en_US")
    taken.add(Issued("Zoe Quill", None, {}, key))
    taken.add_identity("Zach Quill", None, {}, locale="en_US")  # the same surname
    assert taken.surname_keys == {key} and taken.surname_uses == {key: 2}
