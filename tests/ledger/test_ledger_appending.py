"""`Ledger.appending`: many entries in one transaction, the chain head signed once at the end."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tracer import ledger as ledger_module
from tracer.ledger import Ledger, canonical
from tracer.vault import Vault


def test_a_batch_of_appends_leaves_a_chain_that_verifies_with_its_head_signed(vault: Vault) -> None:
    ledger = Ledger(vault)
    before = ledger.head()[0]
    with ledger.appending():
        entries = [ledger.append("test.batch", {"n": i}) for i in range(5)]
    assert [e.seq for e in entries] == list(range(before + 1, before + 6))
    assert ledger.verify() == before + 5
    assert f'"seq":{before + 5}' in ledger.signed_head()["head"]


def test_a_batch_that_fails_leaves_neither_entries_nor_a_new_head(vault: Vault) -> None:
    ledger = Ledger(vault)
    head, signed = ledger.head(), ledger.signed_head()
    with pytest.raises(RuntimeError), ledger.appending():
        ledger.append("test.batch", {"n": 1})
        raise RuntimeError("half way")
    assert ledger.head() == head and ledger.signed_head() == signed
    ledger.append("test.after", {})  # and appending one at a time works again
    assert ledger.verify() == head[0] + 1


def test_entries_held_back_in_blocks_all_land_in_the_chain(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """Inside `appending`, entries are inserted a block at a time (`FLUSH_ROWS`) and the rest at
    the end: ten entries in blocks of three leave ten rows, in order, that verify."""
    monkeypatch.setattr(ledger_module, "FLUSH_ROWS", 3)
    ledger = vault.ledger
    before = ledger.head()[0]
    with ledger.appending():
        entries = [ledger.append("test.batch", {"n": i}) for i in range(10)]
        stored = vault.conn.execute("SELECT count(*) FROM ledger WHERE seq > ?", (before,)).fetchone()[0]
        assert stored == 9  # three full blocks so far; the tenth waits for the end
    assert ledger.verify() == before + 10
    assert [(e.seq, e.content) for e in ledger.entries()][before:] == [(e.seq, e.content) for e in entries]


@given(
    seq=st.integers(min_value=1, max_value=2**63 - 1),
    prev=st.binary(min_size=32, max_size=32).map(bytes.hex),
    commitment=st.binary(min_size=32, max_size=32).map(bytes.hex),
)
def test_the_spelled_out_header_is_the_canonical_one(seq: int, prev: str, commitment: str) -> None:
    """Old ledgers verify and new headers hash as before: the header written by hand is byte
    for byte what `canonical` writes for the same fields."""
    doc = {"v": ledger_module.VERSION, "seq": seq, "prev": prev, "commitment": commitment}
    assert ledger_module._header(seq, prev, commitment) == canonical(doc)
