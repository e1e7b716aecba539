"""`Ledger.verified`: signatures checked on worker threads a block ahead, the first bad entry named."""

from __future__ import annotations

import pytest

from tracer import ledger as ledger_module
from tracer.errors import IntegrityError
from tracer.vault import Vault


@pytest.fixture
def long_chain(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> Vault:
    """Twenty entries read three at a time: every block boundary is crossed."""
    monkeypatch.setattr(ledger_module, "_VERIFY_BLOCK", 3)
    with vault.ledger.appending():
        for n in range(20):
            vault.ledger.append("test.entry", {"n": n})
    return vault


def test_verified_returns_every_entry_decrypted_in_order(long_chain: Vault) -> None:
    found = long_chain.ledger.verified()
    assert [e.seq for e in found] == list(range(1, len(found) + 1))
    assert [(e.seq, e.content) for e in found] == [(e.seq, e.content) for e in long_chain.ledger.entries()]
    assert long_chain.ledger.verify() == len(found)


def test_the_first_bad_entry_is_named_whichever_check_finds_it(long_chain: Vault) -> None:
    """A forged signature at entry 8 and a broken chain at entry 15: entry 8 is named, although
    its signature was checked on another thread than the chain."""
    conn = long_chain.conn
    conn.execute("UPDATE ledger SET signature = ? WHERE seq = 8", (bytes(64),))
    conn.execute("UPDATE ledger SET header = CAST('{}' AS BLOB) WHERE seq = 15")
    with pytest.raises(IntegrityError, match="signature does not verify") as caught:
        long_chain.ledger.verify()
    assert caught.value.entry == 8
