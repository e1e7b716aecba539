"""A bulk import builds the receivers' index (`contacts_to`) once after its rows, inside its own
transaction: the index is there afterwards with its own SQL and finds the rows; a failed import
leaves it as it was; a vault holding more rows than the file brings keeps it through the import."""

from __future__ import annotations

import pytest

from tracer import contacts, lifecycle
from tracer.errors import InputError
from tracer.vault import store

HEADER = "channel,at,to,from,heard_name,text,id\n"


def rows(n: int, start: int = 0) -> str:
    return "".join(
        f"call,2026-03-01T09:{i // 60 % 60:02d}:{i % 60:02d}+08:00,1380013{i % 50:04d},1390{i:07d},,,row-{i}\n"
        for i in range(start, start + n)
    )


def index_sql(vault) -> list[str]:  # type: ignore[no-untyped-def]
    return [r[0] for r in vault.conn.execute("SELECT sql FROM sqlite_master WHERE name = 'contacts_to'")]


@pytest.fixture
def bulk(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every import is a bulk one; returns the indexes rebuilt, by name."""
    monkeypatch.setattr(contacts, "_BULK_BYTES", 0)
    rebuilt: list[str] = []
    original = store.index_rebuilt

    def spy(conn, name):  # type: ignore[no-untyped-def]
        rebuilt.append(name)
        return original(conn, name)

    monkeypatch.setattr(contacts, "index_rebuilt", spy)
    return rebuilt


def test_a_bulk_import_into_a_small_vault_rebuilds_the_index_that_then_finds_its_rows(vault, tmp_path, bulk):
    before = index_sql(vault)
    path = tmp_path / "calls.csv"
    path.write_text(HEADER + rows(3000), encoding="utf-8")
    result = contacts.import_file(vault, path)
    assert bulk == ["contacts_to"] and result.new == 3000
    assert index_sql(vault) == before and before
    to_bi = vault.blind("phone", "+8613800130007")
    plan = " ".join(r[-1] for r in vault.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM contacts WHERE to_bi = ?", (to_bi,)))
    assert "contacts_to" in plan
    assert vault.conn.execute("SELECT count(*) FROM contacts WHERE to_bi = ?", (to_bi,)).fetchone()[0] == 60
    assert vault.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert lifecycle.verify(vault).contacts == 3000


def test_a_failed_bulk_import_leaves_the_index_and_the_rows_as_they_were(vault, tmp_path, bulk, dump, home):
    first = tmp_path / "first.csv"
    first.write_text(HEADER + rows(10), encoding="utf-8")
    contacts.import_file(vault, first)
    before = dump(home)
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + rows(3000, 10) + "call,not a time,13800138000,13900139001,,,bad\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        contacts.import_file(vault, bad)
    assert (caught.value.line, caught.value.field) == (3002, "at")
    assert bulk == ["contacts_to", "contacts_to"]
    assert dump(home) == before and index_sql(vault)


def test_a_vault_holding_more_rows_than_the_file_keeps_its_index_through_the_import(vault, tmp_path, bulk, monkeypatch):
    big = tmp_path / "big.csv"
    big.write_text(HEADER + rows(3000), encoding="utf-8")
    contacts.import_file(vault, big)
    small = tmp_path / "small.csv"
    small.write_text(HEADER + rows(20, 5000), encoding="utf-8")
    assert contacts.import_file(vault, small).new == 20
    assert bulk == ["contacts_to"]  # the first import only: 20 rows' worth of bytes < 3,000 rows held
    assert lifecycle.verify(vault).contacts == 3020
