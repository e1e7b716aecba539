"""`Vault.record`: a change and its ledger entry, all or nothing; nested transactions are
SAVEPOINTs."""

from __future__ import annotations

import pytest

from tracer.vault import Vault


def _meta_rows(vault: Vault) -> int:
    return int(vault.conn.execute("SELECT count(*) FROM meta WHERE key LIKE 'test.%'").fetchone()[0])


def test_a_recorded_change_and_its_entry_land_together(vault: Vault) -> None:
    before = vault.ledger.head()[0]
    with vault.record("test.changed", {"why": "a test"}) as change:
        change.conn.execute("INSERT INTO meta(key, value) VALUES ('test.a', x'01')")
        change.content["rows"] = 1
    assert change.entry is not None and change.entry.seq == before + 1
    assert change.entry.content["type"] == "test.changed"
    assert (change.entry.content["why"], change.entry.content["rows"]) == ("a test", 1)
    assert _meta_rows(vault) == 1
    assert vault.ledger.verify() == before + 1


def test_a_failed_change_leaves_neither_rows_nor_entry(vault: Vault) -> None:
    before = vault.ledger.head()
    with pytest.raises(RuntimeError), vault.record("test.changed") as change:
        change.conn.execute("INSERT INTO meta(key, value) VALUES ('test.a', x'01')")
        raise RuntimeError("disk full")
    assert vault.ledger.head() == before and _meta_rows(vault) == 0


def test_a_skipped_change_writes_no_entry(vault: Vault) -> None:
    before = vault.ledger.head()
    with vault.record("test.changed") as change:
        change.skip()
    assert change.entry is None and vault.ledger.head() == before


def test_a_nested_failure_undoes_only_its_own_writes(vault: Vault) -> None:
    with vault.transaction() as conn:
        conn.execute("INSERT INTO meta(key, value) VALUES ('test.outer', x'01')")
        with pytest.raises(RuntimeError), vault.transaction() as inner:
            inner.execute("INSERT INTO meta(key, value) VALUES ('test.inner', x'01')")
            raise RuntimeError("inner step failed")
    keys = {row[0] for row in vault.conn.execute("SELECT key FROM meta WHERE key LIKE 'test.%'")}
    assert keys == {"test.outer"}
