"""A contact logged by hand is stored with its own sealed document, not a one-row chunk: no
Parquet writer is loaded (pyarrow and numpy were 0.16 s of a one-call `tracer contacts log`), and
the row keeps every promise a chunked row keeps: sealed, bound to its place, committed by the
ledger, read back field for field, stored once however often it is logged or imported."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import ME, create_vault, sql
from tests.vault.test_vault_chunks import row_of
from tracer import contacts, lifecycle
from tracer.errors import IntegrityError
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault, chunks

CALLER = "+8613912345678"


def _call(minute: int, **fields: object) -> ContactRecord:
    at = datetime(2026, 3, 1, 9, minute, tzinfo=UTC)
    return ContactRecord(Channel.CALL, at, to="+8613800138000", sender=CALLER, **fields)  # type: ignore[arg-type]


def test_a_logged_contact_holds_its_own_sealed_document_and_reads_back_every_field(vault: Vault, home: Path):
    record = _call(1, heard_name="杨先生", text="内部牛股推荐", duration=42)
    contact, new = contacts.log(vault, record)
    assert new
    [(chunk, slot, enc)] = sql(home, "SELECT chunk, slot, enc FROM contacts WHERE id = ?", contact.id)
    assert chunk is None and slot is None and isinstance(enc, bytes)
    assert sql(home, "SELECT count(*) FROM contact_chunks") == [(0,)]
    assert "杨先生".encode() not in enc and b"+8613912345678" not in enc  # sealed, not merely stored
    row = contacts.frame(vault).set_index("id").loc[contact.id]
    assert (row["from"], row["heard_name"], row["text"], row["duration"]) == (
        CALLER,
        "杨先生",
        "内部牛股推荐",
        42,
    )
    assert contacts.show(vault, contact.id)["heard_name"] == "杨先生"
    lifecycle.verify(vault)


def test_logging_a_contact_again_or_importing_it_stores_it_once(vault: Vault, tmp_path: Path, home: Path):
    first, new = contacts.log(vault, _call(2))
    again, new_again = contacts.log(vault, _call(2))
    assert new and not new_again and again.id == first.id
    csv = tmp_path / "calls.csv"
    csv.write_text(
        f"channel,at,to,from\ncall,2026-03-01T09:02:00Z,+8613800138000,{CALLER}\n", encoding="utf-8"
    )
    result = contacts.import_file(vault, csv)
    assert (result.new, result.known) == (0, 1)
    assert sql(home, "SELECT count(*) FROM contacts") == [(1,)]
    lifecycle.verify(vault)


def test_a_logged_document_moved_to_another_row_is_refused(vault: Vault, home: Path):
    one, _ = contacts.log(vault, _call(3, heard_name="杨先生"))
    two, _ = contacts.log(vault, _call(4, heard_name="王女士"))
    sql(
        home, "UPDATE contacts SET enc = (SELECT enc FROM contacts WHERE id = ?) WHERE id = ?", one.id, two.id
    )
    with pytest.raises(IntegrityError, match=two.id):
        contacts.frame(vault)
    with pytest.raises(IntegrityError):
        lifecycle.verify(vault)


def test_every_sampled_byte_of_a_logged_document_is_committed(vault: Vault, home: Path):
    contact, _ = contacts.log(vault, _call(5, text="荐股"))
    [(blob,)] = sql(home, "SELECT enc FROM contacts WHERE id = ?", contact.id)
    for offset in range(0, len(blob), max(1, len(blob) // 20)):
        edited = bytearray(blob)
        edited[offset] ^= 0x01
        sql(home, "UPDATE contacts SET enc = ? WHERE id = ?", bytes(edited), contact.id)
        with pytest.raises(IntegrityError):
            lifecycle.verify(vault)
    sql(home, "UPDATE contacts SET enc = ? WHERE id = ?", blob, contact.id)
    lifecycle.verify(vault)


row = row_of(st.none() | st.integers(min_value=-(2**70), max_value=2**70))  # beyond 64 bits too


@settings(max_examples=200, deadline=None, derandomize=True)
@given(record=row)
def test_a_document_reads_back_as_its_one_row_chunk_reads(record):
    """The same values whichever way a row is stored, integers beyond 64 bits null in both."""
    from tracer.vault.store import decode, encode

    table = chunks.decode(chunks.encode(chunks.columns_of([record])))
    as_chunk = {name: table.column(name)[0].as_py() for name in chunks.FIELDS}
    alone = chunks.legacy_record(decode(encode(chunks.document(record))))
    assert alone == {name: as_chunk[name] for name in chunks.LEGACY_DOCUMENT}


def test_logging_a_contact_loads_neither_pyarrow_numpy_nor_pandas(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The whole `tracer contacts log` command, in a process of its own (a test session has
    loaded them all already): what it imports is what a user's run pays for."""
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    home = tmp_path / "vault"
    create_vault(home).close()
    code = (
        "import runpy, sys\n"
        "sys.argv = ['tracer', 'contacts', 'log', '--at', '2026-03-01T09:30:00+08:00', '--to', '13800138000',"
        " '--from', '+8613912345678', '--heard-name', '杨先生', '--json']\n"
        "try:\n    runpy.run_module('tracer', run_name='__main__')\nexcept SystemExit as exc:\n    assert not exc.code, exc.code\n"
        "heavy = {'pyarrow', 'numpy', 'pandas'} & {name.split('.')[0] for name in sys.modules}\n"
        "print(sorted(heavy), file=sys.stderr)\n"
    )
    env = {
        **os.environ,
        "TRACER_HOME": str(home),
        "TRACER_PASSPHRASE": ME.passphrase,
        "TRACER_SCRYPT_LOG_N": "10",
    }
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert '"new": true' in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "[]"


def test_a_report_holds_logged_and_imported_contacts_alike(
    run, vault: Vault, tmp_path: Path, parse_json
) -> None:
    """Readers take both layouts in one vault: contacts logged on their own beside an import's
    chunk, every field as it was given (`tracer report --format json`, the contract's shape)."""
    vault.close()
    csv = tmp_path / "calls.csv"
    csv.write_text(
        "channel,at,to,from,text\nsms,2026-03-01T08:00:00Z,13800138000,+8613911112222,导入的短信\n",
        encoding="utf-8",
    )
    assert run("contacts", "import", csv).code == 0
    for minute, said in ((10, "杨先生"), (11, "王女士")):
        logged = run("contacts", "log", "--at", f"2026-03-01T09:{minute}:00Z", "--to", "13800138000",
                     "--from", CALLER, "--heard-name", said, "--text", f"荐股 {minute}")  # fmt: skip
        assert logged.code == 0, logged.stderr
    result = run("report", "--format", "json")
    assert result.code == 0, result.stderr
    found = {c["text"]: c for c in parse_json(result.stdout)["contacts"]}
    assert set(found) == {"导入的短信", "荐股 10", "荐股 11"}
    assert found["荐股 11"]["from"] == CALLER and found["荐股 11"]["heard_name"] == "王女士"
    assert found["导入的短信"]["from"] == "+8613911112222"
