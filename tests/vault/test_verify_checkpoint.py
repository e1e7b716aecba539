"""Verify checkpoints (`tracer.checkpoint`): a report's verification goes on from the last one,
and still catches every edit, before or after the checkpoint; a checkpoint that does not open as
the vault's own is ignored (everything is verified), never trusted.

Tampering is done as an attacker with the file but without the keys would: sqlite3 on the closed
vault file, then `require_verified`, the check every report runs first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.conftest import Filled
from tracer import checkpoint, identities, lifecycle, pool
from tracer.errors import IntegrityError
from tracer.vault import Vault
from tracer.vault.store import DB_NAME

Reopen = Callable[..., Vault]


def tamper(home: Path, sql: str, params: tuple[object, ...] = ()) -> None:
    conn = sqlite3.connect(home / DB_NAME, isolation_level=None)
    try:
        assert conn.execute(sql, params).rowcount >= 1
    finally:
        conn.close()


def checkpointed(vault: Vault) -> lifecycle.Verified:
    """A full verification, which leaves the checkpoint; the vault is closed after it."""
    try:
        return lifecycle.verify(vault)
    finally:
        vault.close()


def report_check(reopen: Reopen) -> IntegrityError:
    """What a report's verification raises on the reopened vault (it must raise)."""
    with reopen() as vault, pytest.raises(IntegrityError) as caught:
        lifecycle.require_verified(vault)
    assert caught.value.exit_code == 3
    return caught.value


def test_a_report_goes_on_from_the_checkpoint_and_sees_the_same_vault(filled: Filled, vault: Vault, reopen: Reopen):
    full = checkpointed(vault)
    with reopen() as again:
        since = lifecycle.verify(again, full=False)
    assert since.resumed_from == full.entries > 0
    assert (since.entries, since.canaries, since.head, since.contacts) == (
        full.entries, full.canaries, full.head, full.contacts,
    )  # fmt: skip


def test_entries_after_the_checkpoint_are_verified_in_full(filled: Filled, vault: Vault, reopen: Reopen):
    first = checkpointed(vault)
    with reopen() as again:
        identities.issue(again, identities.Request("LaterShop", "shopping", datetime(2026, 2, 2, tzinfo=UTC)))
        pool.add(again, "13900139011", label="later")
        since = lifecycle.verify(again, full=False)
    assert since.resumed_from == first.entries
    assert since.entries == first.entries + 2
    assert since.canaries == first.canaries + 1


def test_an_explicit_verify_checks_everything(filled: Filled, vault: Vault, reopen: Reopen):
    checkpointed(vault)
    with reopen() as again:
        assert lifecycle.verify(again).resumed_from == 0


@pytest.mark.parametrize(
    ("sql", "what"),
    [
        ("UPDATE ledger SET signature = zeroblob(64) WHERE seq = 3", "signature does not verify"),
        ("UPDATE ledger SET enc = CAST(substr(enc, 1, 20) || x'00' || substr(enc, 22) AS BLOB) WHERE seq = 2", "no longer decrypts"),
        ("DELETE FROM ledger WHERE seq = 4", "missing"),
        ("UPDATE canaries SET email_bi = zeroblob(32) WHERE ledger_seq = (SELECT min(ledger_seq) FROM canaries)", "differs from ledger entry"),
        ("UPDATE numbers SET control = 1 - control WHERE is_primary = 0 AND id = (SELECT min(id) FROM numbers WHERE is_primary = 0)", "control or primary flag"),
        ("UPDATE contacts SET at = at + 1 WHERE rowid = 1", "differ from what it committed"),
    ],
    ids=["signature", "sealed-content", "deleted-entry", "canary-row", "pool-flag", "contact-row"],
)
def test_tampering_before_the_checkpoint_is_caught_by_a_report(
    filled: Filled, vault: Vault, reopen: Reopen, home: Path, sql: str, what: str
):
    checkpointed(vault)
    tamper(home, sql)
    assert what in report_check(reopen).message


def test_tampering_after_the_checkpoint_is_caught_by_a_report(filled: Filled, vault: Vault, reopen: Reopen, home: Path):
    first = checkpointed(vault)
    with reopen() as again:
        issued = identities.issue(again, identities.Request("LaterShop", "shopping", datetime(2026, 2, 2, tzinfo=UTC)))
    tamper(home, "UPDATE ledger SET signature = zeroblob(64) WHERE seq = ?", (first.entries + 1,))
    error = report_check(reopen)
    assert error.entry == first.entries + 1
    tamper(home, "DELETE FROM canaries WHERE id = ?", (issued.id,))  # and a row of a later entry
    assert report_check(reopen).entry == first.entries + 1


def test_a_canary_row_of_a_later_entry_is_compared_with_it(filled: Filled, vault: Vault, reopen: Reopen, home: Path):
    checkpointed(vault)
    with reopen() as again:
        issued = identities.issue(again, identities.Request("LaterShop", "shopping", datetime(2026, 2, 2, tzinfo=UTC)))
    tamper(home, "UPDATE canaries SET issued_at = issued_at + 1 WHERE id = ?", (issued.id,))
    assert f"canary {issued.id} differs" in report_check(reopen).message


def test_a_pool_change_after_the_checkpoint_is_compared_again(filled: Filled, vault: Vault, reopen: Reopen, home: Path):
    checkpointed(vault)
    with reopen() as again:
        pool.retire(again, "13900139001")
        assert lifecycle.verify(again, full=False).resumed_from > 0
    tamper(home, "UPDATE numbers SET retired_at = NULL WHERE retired_at IS NOT NULL")
    assert "retirement differs" in report_check(reopen).message


@pytest.mark.parametrize("edit", ["flip", "truncate", "other-vault", "garbage"])
def test_a_checkpoint_that_does_not_open_is_ignored_and_everything_verified(
    filled: Filled, vault: Vault, reopen: Reopen, home: Path, tmp_path: Path, build_vault, edit: str
):
    """An edited or forged checkpoint cannot vouch for anything: the verification starts from the
    first entry, as if there were none, and still finds what was tampered with."""
    checkpointed(vault)
    if edit == "other-vault":
        other = build_vault(tmp_path / "other")
        with Vault.open(other, "correct horse battery staple") as stranger:
            lifecycle.verify(stranger)
            forged = stranger.meta("verify_checkpoint")
        tamper(home, "UPDATE meta SET value = ? WHERE key = 'verify_checkpoint'", (forged,))
    else:
        changes = {
            "flip": "UPDATE meta SET value = CAST(substr(value, 1, 30) || x'ff' || substr(value, 32) AS BLOB) WHERE key = 'verify_checkpoint'",
            "truncate": "UPDATE meta SET value = substr(value, 1, 40) WHERE key = 'verify_checkpoint'",
            "garbage": "UPDATE meta SET value = x'00' WHERE key = 'verify_checkpoint'",
        }
        tamper(home, changes[edit])
    with reopen() as again:
        assert checkpoint.load(again) is None
        assert lifecycle.verify(again, full=False).resumed_from == 0
    tamper(home, "UPDATE ledger SET signature = zeroblob(64) WHERE seq = 2")
    assert report_check(reopen).entry == 2


def test_a_checkpoint_from_an_older_copy_only_costs_time(filled: Filled, vault: Vault, reopen: Reopen, home: Path):
    """Replaying an older (genuine) checkpoint: its entries are a prefix of the chain, so the
    verification goes on from there and checks the rest in full."""
    first = checkpointed(vault)
    with reopen() as again:
        old = again.meta("verify_checkpoint")
        identities.issue(again, identities.Request("LaterShop", "shopping", datetime(2026, 2, 2, tzinfo=UTC)))
        lifecycle.verify(again)
    tamper(home, "UPDATE meta SET value = ? WHERE key = 'verify_checkpoint'", (old,))
    with reopen() as again:
        assert lifecycle.verify(again, full=False).resumed_from == first.entries
    tamper(home, "UPDATE ledger SET signature = zeroblob(64) WHERE seq = ?", (first.entries + 1,))
    assert report_check(reopen).entry == first.entries + 1


def test_a_stale_checkpoint_falls_back_to_the_whole_chain(filled: Filled, vault: Vault, reopen: Reopen, home: Path):
    """The checkpoint opens but its rows changed: the error named is the one a full verification
    names (the first bad entry), not a complaint about the checkpoint."""
    checkpointed(vault)
    tamper(home, "UPDATE ledger SET signature = zeroblob(64) WHERE seq IN (2, 5)")
    assert report_check(reopen).entry == 2


def test_no_checkpoint_is_written_while_another_process_holds_the_vault(filled: Filled, vault: Vault, home: Path):
    other = sqlite3.connect(home / DB_NAME, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        result = lifecycle.verify(vault)  # does not wait for the lock
        assert result.entries > 0
        assert vault.meta("verify_checkpoint") is None
    finally:
        other.execute("ROLLBACK")
        other.close()
    lifecycle.verify(vault)
    assert checkpoint.load(vault) is not None


@pytest.mark.parametrize("slot", ["-1", "4294967296", "1.5", "'1'"])
def test_a_contact_slot_out_of_range_or_of_another_type_is_an_integrity_error(
    filled: Filled, vault: Vault, reopen: Reopen, home: Path, slot: str
):
    vault.close()
    tamper(home, f"UPDATE contacts SET slot = {slot} WHERE rowid = 1")
    with reopen() as again, pytest.raises(IntegrityError, match="differ from what it committed"):
        lifecycle.verify(again)


def test_tracer_report_refuses_a_vault_edited_before_its_checkpoint(filled: Filled, vault: Vault, home: Path, run):
    """End to end: `tracer verify` leaves the checkpoint, a signature before it is zeroed, and
    `tracer report` (which goes on from the checkpoint) still exits 3 naming that entry."""
    vault.close()
    assert run("verify").code == 0
    tamper(home, "UPDATE ledger SET signature = zeroblob(64) WHERE seq = 3")
    code, stdout, stderr = run("report", "--format", "json")
    assert code == 3
    assert stdout == ""
    assert "ledger entry 3" in stderr and "signature does not verify" in stderr
