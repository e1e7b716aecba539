"""Canaries never take a name callers already use on the number they are given."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import canaries
from tests.conftest import create_vault
from tracer import contacts, identities, pool
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault

NUMBER = "+12064637261"
REQUESTS = [identities.Request(f"P{n}", "shopping", datetime(2026, 2, 1, tzinfo=UTC)) for n in range(20)]


def _heard_on_number(home: Path, heard: tuple[str, ...]) -> Vault:
    """An en_US vault whose pool holds NUMBER, on which callers already said `heard`."""
    vault = create_vault(
        home, name="Carlos Williamson", phone="2065550100", locale="en_US", region="US",
        timezone="America/Los_Angeles", email_domain="mail.example.org",
    )  # fmt: skip
    pool.add(vault, NUMBER)
    for n, name in enumerate(heard):
        when = datetime(2026, 1, 5 + n, 17, 0, tzinfo=UTC)
        contacts.log(vault, ContactRecord(Channel.CALL, when, to=NUMBER, heard_name=name))
    return vault


def _issue(home: Path, heard: tuple[str, ...]) -> list[str]:
    with _heard_on_number(home, heard) as vault:
        issued = identities.issue_many(vault, REQUESTS, seed=5)
    assert all(c.phone == NUMBER for c in issued)  # the pool's only number: all share it
    return [c.name or "" for c in issued]


def test_a_previous_owners_first_name_and_surname_are_never_issued_on_that_number(tmp_path: Path):
    """The names this seed would issue on a quiet number are then heard there before issuing:
    "Zachary Grant" and "Mr. Grant" style calls for a previous owner."""
    quiet = _issue(tmp_path / "quiet", ())
    given, surname = quiet[0].split()[0], quiet[1].split()[-1]
    names = _issue(tmp_path / "recycled", (f"{given} Someone", f"Mr. {surname}", given))
    key = canaries.spoken_key(given, locale="en_US")
    assert all(canaries.spoken_key(n.split()[0], locale="en_US") != key for n in names)
    assert all(canaries.surname_key(n.split()[-1], locale="en_US") != canaries.surname_key(surname, locale="en_US")
               for n in names)  # fmt: skip


def test_a_large_batch_reading_every_reached_number_at_once_avoids_the_same_names(tmp_path: Path, monkeypatch):
    """Past `_PROBES` numbers a batch reads the set of reached numbers once instead of probing
    each: it must avoid the heard names just as the probing does."""
    quiet = _issue(tmp_path / "quiet", ())
    heard = (f"{quiet[0].split()[0]} Someone", f"Mr. {quiet[1].split()[-1]}")
    probed = _issue(tmp_path / "probed", heard)
    monkeypatch.setattr(identities, "_PROBES", 0)
    assert _issue(tmp_path / "read-at-once", heard) == probed != quiet


def test_what_callers_said_is_read_by_the_one_greeting_reader(tmp_path: Path):
    """`canaries.read` decides: "Dear John" names John (not a given name "Dear"), "Hi Michael" a
    given name, "Mr. Grant" only a surname, and a word said alone may be either."""
    with _heard_on_number(tmp_path, ("Dear John", "Hi Michael", "Mr. Grant", "Ryan", "Zachary Reid")) as vault:
        surnames, given = identities._heard_keys(vault, NUMBER)
    key = lambda name: canaries.spoken_key(name, locale="en_US")  # noqa: E731
    assert given == {key("John"), key("Michael"), key("Ryan"), key("Zachary")}
    assert key("Dear") not in given and key("Grant") not in given
    assert {canaries.surname_key(s, locale="en_US") for s in ("Grant", "Ryan", "Reid")} <= surnames
