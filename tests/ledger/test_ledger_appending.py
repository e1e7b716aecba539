"""`Ledger.appending`: many entries in one transaction, the chain head signed once at the end."""

from __future__ import annotations

import pytest

from tracer.ledger import Ledger
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
