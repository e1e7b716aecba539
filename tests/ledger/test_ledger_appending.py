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
    """Inside `appending`, entries are inserted a block at a time (`FLUSH_ROWS`), one block
    behind the one being signed, and the rest at the end: ten entries in blocks of three leave
    ten rows, in order, that verify (blocks after the first signed by the forked `Signer`)."""
    monkeypatch.setattr(ledger_module, "FLUSH_ROWS", 3)
    ledger = vault.ledger
    before = ledger.head()[0]
    with ledger.appending():
        entries = [ledger.append("test.batch", {"n": i}) for i in range(10)]
        stored = vault.conn.execute("SELECT count(*) FROM ledger WHERE seq > ?", (before,)).fetchone()[0]
        assert stored == 6  # three full blocks so far, the third still being signed; the tenth waits for the end
    assert ledger.verify() == before + 10
    assert [(e.seq, e.content) for e in ledger.entries()][before:] == [(e.seq, e.content) for e in entries]


def test_the_signer_signs_each_header_alike_here_and_in_its_worker(vault: Vault) -> None:
    """A `Signer`'s first block is signed in this process, later ones in its forked worker: each
    header gets the one signature the vault's key gives it, in order, either way."""
    key = vault.keys.signing_key
    headers = [f"header {i}".encode() for i in range(5)]
    with ledger_module.Signer(key) as signer:
        blocks = [signer.sign(headers[:2]).result(), signer.sign(headers[2:]).result()]
        assert signer._pool is not None  # the second block went to the worker
    assert blocks[0] + blocks[1] == [key.sign(h) for h in headers]
    for header, signature in zip(headers, blocks[0] + blocks[1], strict=True):
        vault.keys.public_key.verify(signature, header)  # raises when it does not verify


def test_a_signer_whose_worker_cannot_start_signs_here(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """No process left to fork (OSError from fork): every block is signed in this process, and
    the batch's entries verify as ever."""
    import multiprocessing.context

    def refuse(self: object) -> None:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(multiprocessing.context.ForkProcess, "start", refuse)
    monkeypatch.setattr(ledger_module, "FLUSH_ROWS", 2)
    ledger = vault.ledger
    before = ledger.head()[0]
    with ledger.appending():
        for i in range(7):
            ledger.append("test.batch", {"n": i})
        signer = ledger._signer
    assert signer is not None and signer._alone and signer._pool is None
    assert ledger.verify() == before + 7


def test_a_batch_that_fails_after_several_blocks_leaves_nothing(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    """Blocks already inserted (or still being signed) when the batch fails are rolled back with
    it, and the signer's worker is gone."""
    monkeypatch.setattr(ledger_module, "FLUSH_ROWS", 2)
    ledger = vault.ledger
    head, signed = ledger.head(), ledger.signed_head()
    with pytest.raises(RuntimeError), ledger.appending():
        for i in range(7):
            ledger.append("test.batch", {"n": i})
        signer = ledger._signer
        raise RuntimeError("half way")
    assert signer is not None and signer._pool is None
    assert ledger.head() == head and ledger.signed_head() == signed
    assert ledger.verify() == head[0]


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
