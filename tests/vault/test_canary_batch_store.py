"""`identities.issue_many` (what `canary batch` runs): canary rows inserted a block at a time, the
garbage collector paused only while it runs."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

import pytest

from tracer import identities, ledger, lifecycle, pool
from tracer.errors import InputError
from tracer.vault import Vault


def requests(n: int) -> list[identities.Request]:
    return [identities.Request(f"Shop{i}", "shopping", datetime(2026, 2, 1, tzinfo=UTC)) for i in range(n)]


def test_a_batch_stored_in_blocks_keeps_every_canary_and_verifies(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ledger, "FLUSH_ROWS", 3)
    for i in range(4):
        pool.add(vault, f"1390013900{i}")
    issued = identities.issue_many(vault, requests(10), seed=3)
    stored = {c.id: c for c in identities.canaries_in(vault)}
    assert sorted(stored) == sorted(c.id for c in issued)
    assert [(c.phone, c.name, c.email) for c in issued] == [
        (stored[c.id].phone, stored[c.id].name, stored[c.id].email) for c in issued
    ]
    result = lifecycle.verify(vault)
    assert result.canaries == 10


def test_the_collector_is_back_on_after_a_batch_and_after_a_failed_one(vault: Vault) -> None:
    assert gc.isenabled()
    identities.issue_many(vault, requests(2), seed=1)
    assert gc.isenabled()
    future = identities.Request("Later", at=datetime(2999, 1, 1, tzinfo=UTC), line=3)
    with pytest.raises(InputError):
        identities.issue_many(vault, [*requests(2), future], seed=1)
    assert gc.isenabled()
    assert len(identities.canaries_in(vault)) == 2  # the failed batch left nothing


def test_a_collector_the_caller_turned_off_stays_off(vault: Vault) -> None:
    gc.disable()
    try:
        identities.issue_many(vault, requests(1), seed=1)
        assert not gc.isenabled()
    finally:
        gc.enable()
