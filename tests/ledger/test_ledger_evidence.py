"""The ledger commits to the evidence itself: contact rows, import batches, deletions, retirements
and the number pool. Edits made with sqlite3 on the closed file, without the keys, fail verify
(exit 3) naming the entry they contradict; a schema-2 vault is committed once on upgrade.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import sql
from tracer import contacts, integrity, lifecycle, pool
from tracer.errors import IntegrityError
from tracer.ledger import Ledger
from tracer.vault import Vault
from tracer.vault.store import DB_NAME

PASSPHRASE = "evidence tests"
LEGACY = Path(__file__).parents[1] / "data" / "legacy" / "schema2-vault.sqlite"
LEGACY_PASSPHRASE = "legacy vault"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, build_filled) -> Path:
    """A filled vault with a deleted contact and a retired number as well."""
    home = build_filled(tmp_path_factory.mktemp("evidence-template"), PASSPHRASE)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TRACER_SCRYPT_LOG_N", "10")
        with Vault.open(home, PASSPHRASE) as vault:
            contacts.delete(vault, str(contacts.frame(vault)["id"][0]), reason="mine")
            pool.retire(vault, "13900139001")
    return home


_copies = itertools.count()


@pytest.fixture
def home(template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    target = tmp_path / f"copy{next(_copies)}"
    shutil.copytree(template, target)
    return target



def verify(home: Path, passphrase: str = PASSPHRASE) -> lifecycle.Verified:
    with lifecycle.open_vault(home, passphrase) as vault:
        return lifecycle.verify(vault)


def detected(home: Path) -> IntegrityError:
    with pytest.raises(IntegrityError) as caught:
        verify(home)
    assert caught.value.exit_code == 3
    return caught.value


def entry_of(home: Path, kind: str) -> int:
    with Vault.open(home, PASSPHRASE) as vault:
        return next(e.seq for e in Ledger(vault).entries() if e.content["type"] == kind)


def test_a_clean_vault_verifies_and_counts_its_contacts(home: Path):
    result = verify(home)
    assert result.contacts == 4


def test_every_import_and_logged_contact_commits_its_rows(home: Path):
    with Vault.open(home, PASSPHRASE) as vault:
        entries = [e.content for e in Ledger(vault).entries()]
        batches = [c for c in entries if c["type"] in ("import.batch", "contact.logged")]
        assert [c["rows"] for c in batches] == [3, 1]
        for content in batches:
            assert content["root"] == integrity.batch_root(vault, content["batch_id"]).hex()


Tamper = Callable[[Path], None]
CONTACT_EDITS: dict[str, Tamper] = {
    "a row deleted": lambda h: sql(h, "DELETE FROM contacts WHERE rowid = (SELECT max(rowid) FROM contacts)"),
    "a time shifted": lambda h: sql(h, "UPDATE contacts SET at = at + 86400 WHERE rowid = 2"),
    "a channel changed": lambda h: sql(h, "UPDATE contacts SET channel = 'email' WHERE rowid = 1"),
    "a link removed": lambda h: sql(h, "UPDATE contacts SET from_bi = NULL WHERE rowid = 1"),
    "a document swapped": lambda h: sql(
        h, "UPDATE contacts SET slot = (SELECT slot FROM contacts WHERE rowid = 2) WHERE rowid = 3"
    ),
    "a row pointed at another chunk": lambda h: sql(
        h, "UPDATE contacts SET chunk = (SELECT chunk FROM contacts WHERE rowid = 4) WHERE rowid = 1"
    ),
    "a sealed chunk edited": lambda h: sql(
        h, "UPDATE contact_chunks SET enc = substr(enc, 1, 20) || x'00' || substr(enc, 22) WHERE id = 1"
    ),
    "a sealed chunk removed": lambda h: sql(h, "DELETE FROM contact_chunks WHERE id = 1"),
    "a row moved to another batch": lambda h: sql(
        h, "UPDATE contacts SET batch_id = (SELECT batch_id FROM contacts WHERE rowid = 4) WHERE rowid = 1"
    ),
    "a row copied": lambda h: sql(
        h,
        "INSERT INTO contacts(dedupe, channel, at, to_bi, from_bi, batch_id, chunk, slot) SELECT"
        " randomblob(32), channel, at, to_bi, from_bi, batch_id, chunk, slot FROM contacts WHERE rowid = 1",
    ),
    "a time made text": lambda h: sql(h, "UPDATE contacts SET at = 'soon' WHERE rowid = 1"),
}


@pytest.mark.parametrize("edit", CONTACT_EDITS, ids=list(CONTACT_EDITS))
def test_editing_contact_rows_fails_verify_naming_the_batch_entry(home: Path, edit: str):
    CONTACT_EDITS[edit](home)
    error = detected(home)
    assert error.entry in (entry_of(home, "import.batch"), entry_of(home, "contact.logged"))


def test_setting_deleted_at_behind_the_ledgers_back_is_detected(home: Path):
    # the first row not deleted: an import stores its rows in id order (keyed, so it differs
    # from vault to vault), and the contact the template deleted can be any row
    sql(home, "UPDATE contacts SET deleted_at = 1.0 WHERE rowid = (SELECT min(rowid) FROM contacts WHERE deleted_at IS NULL)")
    assert "deleted without a ledger entry" in detected(home).message


def test_undeleting_or_redating_a_deletion_is_detected(home: Path):
    sql(home, "UPDATE contacts SET deleted_at = deleted_at + 1 WHERE deleted_at IS NOT NULL")
    assert detected(home).entry == entry_of(home, "contact.deleted")
    sql(home, "UPDATE contacts SET deleted_at = NULL")
    assert "no longer marked deleted" in detected(home).message


def test_unretiring_or_retiring_a_canary_is_detected(home: Path, template: Path):
    sql(home, "UPDATE canaries SET retired_at = NULL")
    assert detected(home).entry == entry_of(home, "canary.retired")
    shutil.rmtree(home)
    shutil.copytree(template, home)
    sql(home, "UPDATE canaries SET retired_at = 5.0 WHERE retired_at IS NULL")
    assert "retired without a ledger entry" in detected(home).message


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE numbers SET control = 1 - control",
        "UPDATE numbers SET is_primary = 1 WHERE is_primary = 0",
        "UPDATE numbers SET retired_at = NULL",
        "UPDATE numbers SET retired_at = 7.0 WHERE retired_at IS NULL",
        "DELETE FROM numbers WHERE control = 1",
        "UPDATE numbers SET enc = (SELECT enc FROM numbers LIMIT 1)",
    ],
)
def test_changing_the_number_pool_is_detected(home: Path, statement: str):
    sql(home, statement)
    detected(home)


def test_removing_or_renaming_an_import_batch_is_detected(home: Path):
    sql(home, "DELETE FROM batches")
    assert detected(home).entry == entry_of(home, "import.batch")


def test_an_import_that_skipped_known_rows_commits_only_the_rows_it_stored(
    home: Path, template: Path, tmp_path: Path
):
    with Vault.open(home, PASSPHRASE) as vault:
        lines = (template.parent / "calls.csv").read_text(encoding="utf-8").splitlines()
        again = tmp_path / "again.csv"
        again.write_text("\n".join([*lines, lines[1].replace("row-1", "row-9").replace("09:30", "09:31")]))
        result = contacts.import_file(vault, again)
        assert (result.new, result.known) == (1, 3)
        assert lifecycle.verify(vault).contacts == 5


def test_the_cli_verify_exits_3_after_a_contact_is_deleted(home: Path, run):
    sql(home, "DELETE FROM contacts WHERE rowid = 1")
    code, _, stderr = run("--home", home, "verify", extra_env={"TRACER_PASSPHRASE": PASSPHRASE})
    assert code == 3, stderr
    assert "ledger entry" in stderr and "Traceback" not in stderr


# -- a vault written before commitments --------------------------------------------------------


@pytest.fixture
def legacy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    (tmp_path / "legacy").mkdir()
    shutil.copy(LEGACY, tmp_path / "legacy" / DB_NAME)
    return tmp_path / "legacy"


def test_a_schema_2_vault_is_upgraded_by_one_entry_committing_its_rows(legacy: Path):
    with Vault.open(legacy, LEGACY_PASSPHRASE) as vault:
        before = Ledger(vault).head()[0]
        assert not any(e.content.get("commitments") for e in Ledger(vault).entries())
    result = verify(legacy, LEGACY_PASSPHRASE)
    assert result.entries == before + 1 and result.contacts == 4
    with Vault.open(legacy, LEGACY_PASSPHRASE) as vault:
        upgraded = Ledger(vault).entry(before + 1).content
    assert upgraded["type"] == "vault.upgraded"
    assert sum(b["rows"] for b in upgraded["batches"].values()) == 4
    assert len(upgraded["deleted"]) == 1 and len(upgraded["retired"]) == 1
    assert verify(legacy, LEGACY_PASSPHRASE).entries == before + 1  # upgraded once


def test_edits_after_the_upgrade_are_detected_and_not_recommitted(legacy: Path):
    verify(legacy, LEGACY_PASSPHRASE)
    sql(legacy, "UPDATE contacts SET deleted_at = NULL")
    sql(legacy, "DELETE FROM meta WHERE key = 'commitments'")  # try to make tracer commit it again
    with pytest.raises(IntegrityError):
        verify(legacy, LEGACY_PASSPHRASE)


def test_a_legacy_vault_whose_chain_fails_is_not_upgraded(legacy: Path):
    sql(legacy, "DELETE FROM ledger WHERE seq = 3")
    with pytest.raises(IntegrityError) as caught:
        verify(legacy, LEGACY_PASSPHRASE)
    assert caught.value.entry == 3
    assert sql(legacy, "SELECT count(*) FROM meta WHERE key = 'commitments'") == [(0,)]
