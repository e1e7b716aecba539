"""Reading contacts from their chunks (`contacts.frame`, `show`): every row is taken from its own
slot in one vectorised step, and a row that points outside its chunk, at a missing chunk or at
another contact's slot is refused, whichever chunk it is in."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import sql
from tracer import contacts
from tracer.errors import IntegrityError
from tracer.vault import Vault


def test_each_row_gets_its_own_slots_fields(filled, vault: Vault):
    frame = contacts.frame(vault)
    assert len(frame) > 2 and frame["id"].is_unique
    for cid in frame["id"].sample(3, random_state=1):
        shown = contacts.show(vault, cid)
        row = frame.loc[frame["id"] == cid].iloc[0]
        assert shown["text"] == (None if row.isna()["text"] else row["text"])
        assert shown["to"] == (None if row.isna()["to"] else row["to"])


def test_a_row_pointing_past_its_chunk_is_refused(filled, vault: Vault, home: Path):
    [(chunk,)] = sql(home, "SELECT max(chunk) FROM contacts")
    sql(home, "UPDATE contacts SET slot = 1000000 WHERE rowid = (SELECT max(rowid) FROM contacts WHERE chunk = ?)", chunk)
    with pytest.raises(IntegrityError, match=f"contact chunk {chunk}: a row points past its end"):
        contacts.frame(vault)


def test_a_row_moved_to_another_chunks_slot_is_refused_naming_its_chunk(filled, vault: Vault, home: Path):
    [(cid, chunk, slot)] = sql(home, "SELECT id, chunk, slot FROM contacts WHERE slot > 0 ORDER BY rowid LIMIT 1")
    sql(home, "UPDATE contacts SET slot = ? WHERE id = ?", slot - 1, cid)  # type: ignore[operator]
    with pytest.raises(IntegrityError, match=f"contact chunk {chunk}: a row points at another contact's slot"):
        contacts.frame(vault)


def test_a_row_whose_chunk_is_gone_is_refused(filled, vault: Vault, home: Path):
    [(chunk,)] = sql(home, "SELECT min(chunk) FROM contacts")
    sql(home, "DELETE FROM contact_chunks WHERE id = ?", chunk)
    with pytest.raises(IntegrityError, match=f"contact chunk {chunk} is missing"):
        contacts.frame(vault)
