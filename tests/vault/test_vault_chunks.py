"""Contacts sealed in chunks (schema 3): the layout round-trips any values, every byte of a chunk
is committed, a row cannot borrow another's slot, and a schema-2 vault written by the previous
version is moved into chunks when opened, in one transaction with one ledger entry."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import sql
from tracer import contacts, lifecycle
from tracer.errors import IntegrityError
from tracer.ingest.batch import Batch
from tracer.ledger import Ledger
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault, chunks, schema
from tracer.vault.store import DB_NAME

SCHEMA2 = Path(__file__).parents[1] / "data" / "vaults" / "schema2-committed.sqlite"
SCHEMA2_PASSPHRASE = "schema two vault"

texts = st.none() | st.text(alphabet=st.characters(exclude_categories=["Cs"]))
integers = st.none() | st.integers(min_value=-(2**63), max_value=2**63 - 1)
headers = st.none() | st.dictionaries(st.text(max_size=8), st.text(max_size=20), min_size=1, max_size=3)


def row_of(integers: st.SearchStrategy) -> st.SearchStrategy:
    """A contact's sealed fields, with `integers` for its duration and line."""
    return st.fixed_dictionaries(
        {
            **{name: texts for name in chunks.FIELDS if name not in ("duration", "line", "headers")},
            "duration": integers,
            "line": integers,
            "headers": headers,
        }
    )


row = row_of(integers)



@settings(max_examples=200, deadline=None, derandomize=True)
@given(rows=st.lists(row, min_size=1, max_size=6))
def test_a_chunk_decodes_to_exactly_the_values_encoded(rows):
    table = chunks.decode(chunks.encode(chunks.columns_of(rows)))
    for name in chunks.FIELDS:
        want = [r[name] for r in rows]
        got = table.column(name).to_pylist()
        if name == "headers":
            got = [chunks.headers(text) or None for text in got]
        assert got == want, name


def test_an_integer_beyond_64_bits_is_kept_as_null_not_a_crash():
    rows = [{name: None for name in chunks.FIELDS} | {"duration": 10**30, "line": 7}]
    table = chunks.decode(chunks.encode(chunks.columns_of(rows)))
    assert table.column("duration").to_pylist() == [None] and table.column("line").to_pylist() == [7]


# -- a vault written by the previous version (schema 2, rows committed) ---------------------------


@pytest.fixture
def schema2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    (tmp_path / "old").mkdir()
    shutil.copy(SCHEMA2, tmp_path / "old" / DB_NAME)
    return tmp_path / "old"


def test_opening_a_schema_2_vault_moves_its_contacts_into_chunks_with_one_entry(schema2: Path):
    assert sql(schema2, "PRAGMA user_version") == [(2,)]
    before = sql(schema2, "SELECT count(*) FROM ledger")[0][0]
    with Vault.open(schema2, SCHEMA2_PASSPHRASE) as vault:
        frame = contacts.frame(vault, include_deleted=True)
        mail = contacts.show(vault, frame.loc[frame["channel"] == "email", "id"].item())
        entries = list(Ledger(vault).entries())
        assert lifecycle.verify(vault).contacts == 5
    assert sql(schema2, "PRAGMA user_version") == [(schema.LATEST,)]
    assert sql(schema2, "SELECT count(*) FROM contacts WHERE enc IS NOT NULL OR chunk IS NULL") == [(0,)]
    assert len(entries) == before + 1
    upgraded = entries[-1].content
    assert upgraded["type"] == "vault.upgraded" and upgraded["storage"] == schema.LATEST
    assert sum(b["rows"] for b in upgraded["batches"].values()) == 5 and len(upgraded["deleted"]) == 1
    assert len(frame) == 5 and set(frame["heard_name"].dropna()) == {"欧阳先生", "杨女士"}
    assert "内部牛股推荐 回电" in set(frame["text"])
    assert mail["headers"]["recipients"] == "oldshop7q@mail.example.org"
    assert mail["external_id"] == "<m1@cardeals.example.com>" and mail["deleted_at"] is None
    with lifecycle.open_vault(schema2, SCHEMA2_PASSPHRASE) as vault:  # once only
        assert Ledger(vault).head()[0] == before + 1
        assert contacts.frame(vault, include_deleted=True).equals(frame)


def test_a_schema_2_vault_edited_before_the_upgrade_keeps_its_rows_and_still_fails_verify(schema2: Path):
    sql(schema2, "UPDATE contacts SET at = at + 60 WHERE rowid = 2")
    before = sql(schema2, "SELECT count(*) FROM ledger")[0][0]
    with Vault.open(schema2, SCHEMA2_PASSPHRASE) as vault:
        assert len(contacts.frame(vault)) == 4  # still readable, for --unverified
        with pytest.raises(IntegrityError) as caught:
            lifecycle.verify(vault)
        assert Ledger(vault).head()[0] == before  # nothing laundered into a new entry
    assert caught.value.entry is not None
    assert sql(schema2, "SELECT count(*) FROM contacts WHERE enc IS NULL") == [(0,)]


def test_a_crash_during_the_upgrade_leaves_the_schema_2_vault_as_it_was(
    schema2: Path, monkeypatch: pytest.MonkeyPatch
):
    def crash(*_args: object) -> None:
        raise RuntimeError("power lost")

    monkeypatch.setattr(Ledger, "append", crash)
    with pytest.raises(RuntimeError):
        Vault.open(schema2, SCHEMA2_PASSPHRASE)
    assert sql(schema2, "PRAGMA user_version") == [(2,)]
    assert "contact_chunks" not in {r[0] for r in sql(schema2, "SELECT name FROM sqlite_master")}
    monkeypatch.undo()
    with lifecycle.open_vault(schema2, SCHEMA2_PASSPHRASE) as vault:
        assert lifecycle.verify(vault).contacts == 5


# -- tampering with chunks -------------------------------------------------------------------------


@pytest.fixture
def imported(filled, vault) -> Vault:
    return vault


def test_every_sampled_byte_of_a_sealed_chunk_is_committed(imported: Vault, home: Path):
    [(chunk_id, blob)] = sql(home, "SELECT id, enc FROM contact_chunks ORDER BY id LIMIT 1")
    assert isinstance(blob, bytes)
    for offset in range(0, len(blob), max(1, len(blob) // 40)):
        edited = bytearray(blob)
        edited[offset] ^= 0x01
        sql(home, "UPDATE contact_chunks SET enc = ? WHERE id = ?", bytes(edited), chunk_id)
        with pytest.raises(IntegrityError):
            lifecycle.verify(imported)
    sql(home, "UPDATE contact_chunks SET enc = ? WHERE id = ?", blob, chunk_id)
    lifecycle.verify(imported)


def test_a_row_pointed_at_another_contacts_slot_is_refused_when_read(imported: Vault, home: Path):
    sql(home, "UPDATE contacts SET slot = 1 - slot WHERE chunk = (SELECT min(chunk) FROM contacts) AND slot < 2")
    with pytest.raises(IntegrityError, match="another contact's slot"):
        contacts.frame(imported)


def test_an_extra_chunk_no_row_points_at_fails_verify(imported: Vault, home: Path):
    sql(home, "INSERT INTO contact_chunks(id, enc) SELECT 999, enc FROM contact_chunks LIMIT 1")
    with pytest.raises(IntegrityError, match="chunk 999 belongs to no contact row"):
        lifecycle.verify(imported)


# -- a contact is defined once -------------------------------------------------------------------


def test_a_batch_has_one_column_per_contact_record_field_and_round_trips_records():
    names = [f.name for f in dataclasses.fields(ContactRecord)]
    assert [f.name for f in dataclasses.fields(Batch)][: len(names)] == names
    record = ContactRecord(Channel.EMAIL, datetime(2026, 3, 1, tzinfo=UTC), to="a@b.example", headers={"x": "y"})
    bare = ContactRecord(Channel.CALL, datetime(2026, 3, 2, tzinfo=UTC), sender="+8617012345671")
    assert list(Batch.of([record, bare]).records()) == [record, bare]


def test_every_contact_record_field_is_sealed_or_kept_in_clear_by_design():
    clear = {"channel", "at"}  # metadata the model and the dedupe need (docs/design.md)
    sealed = {"from" if f.name == "sender" else f.name for f in dataclasses.fields(ContactRecord)} - clear
    assert sealed <= set(chunks.FIELDS)
    assert set(chunks.LEGACY_DOCUMENT) <= set(chunks.FIELDS)


def test_a_few_rows_are_built_from_buffers_as_pa_array_builds_them() -> None:
    import pyarrow as pa

    from tracer.vault.chunks import _from_buffers

    texts = ["中文", None, "", "a\x00b", "🙂" * 3, None, "x" * 1000, "last"]
    numbers = [0, None, -(2**63), 2**63 - 1, None, 7, 12, None, 1]
    for values, kind in ((texts, pa.string()), (numbers, pa.int64()), ([], pa.string()), ([None], pa.int64())):
        built = _from_buffers(values, type=kind)
        assert built.equals(pa.array(values, type=kind)), values
        assert built.to_pylist() == values


def test_logging_one_contact_does_not_load_pandas(tmp_path: Path) -> None:
    """`pa.array` imports pandas on first use: 0.25 s of a one-call `tracer contacts log`."""
    import subprocess
    import sys

    code = (
        "import sys; from tracer.vault import chunks; "
        "cols = {n: [None] for n in chunks.FIELDS}; cols['id'] = ['k_1']; cols['text'] = ['荐股']; "
        "chunks.decode(chunks.encode(cols)); print('pandas' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=tmp_path)
    assert out.stdout.strip() == "False"
