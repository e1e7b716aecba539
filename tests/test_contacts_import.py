"""`contacts.import_file` with its worker process: failures there leave the vault as it was,
Ctrl-C leaves no process behind, bulk imports, and the sealed contact document's encoding."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tests.conftest import ME
from tracer import contacts, lifecycle
from tracer.errors import InputError
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault, chunks
from tracer.vault.store import DB_NAME

HEADER = "channel,at,to,from,heard_name,text,id\n"


def rows(n: int, start: int = 0) -> str:
    return "".join(
        f"sms,2026-03-01T09:{i // 60 % 60:02d}:{i % 60:02d}+08:00,13800138000,1390{i % 9999999:07d},,"
        f"内部牛股推荐 {i},row-{i}\n"
        for i in range(start, start + n)
    )


def write(path: Path, text: str | bytes) -> Path:
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def test_an_unreadable_part_of_the_file_stops_the_import_and_changes_nothing(vault, home, tmp_path, dump):
    contacts.import_file(vault, write(tmp_path / "first.csv", HEADER + rows(10)))
    before = dump(home)
    broken = write(tmp_path / "broken.csv", (HEADER + rows(9000, 10)).encode() + b"sms,2026-03-01,\xff\xfe\n")
    with pytest.raises(InputError) as caught:
        contacts.import_file(vault, broken)
    assert "broken.csv" in caught.value.message and "--encoding" in caught.value.diagnostics()
    assert dump(home) == before


def test_a_bad_row_is_reported_before_a_later_unreadable_part(vault, tmp_path):
    """Both in one batch of the worker (the bytes past the encoding sample and the decoder's
    read-ahead): the bad row comes first in the file, so it is the error."""
    text = HEADER + rows(800) + "call,next tuesday,13800138000,13900139001,,,bad\n" + rows(200)
    broken = write(tmp_path / "both.csv", text.encode() + b"sms,2026-03-01,\xff\xfe\n")
    with pytest.raises(InputError) as caught:
        contacts.import_file(vault, broken)
    assert (caught.value.line, caught.value.field) == (802, "at")


def test_a_failure_while_building_rows_in_the_worker_rolls_back(vault, home, tmp_path, dump, monkeypatch):
    contacts.import_file(vault, write(tmp_path / "first.csv", HEADER + rows(10)))
    before = dump(home)
    build = contacts._Rows.build

    def fail_on_the_second_batch(self, batch):
        if batch.line[0] > 2:
            raise ZeroDivisionError("a bug")
        return build(self, batch)

    monkeypatch.setattr(contacts._Rows, "build", fail_on_the_second_batch)
    with pytest.raises(ZeroDivisionError):
        contacts.import_file(vault, write(tmp_path / "big.csv", HEADER + rows(9000, 10)))
    assert dump(home) == before


def test_a_bulk_import_counts_new_and_known_rows_and_leaves_the_vault_in_wal_mode(
    vault, tmp_path, monkeypatch
):
    monkeypatch.setattr(contacts, "_BULK_BYTES", 0)
    path = write(tmp_path / "bulk.csv", HEADER + rows(5000) + rows(10))  # the last 10 repeat the first
    first = contacts.import_file(vault, path)
    again = contacts.import_file(vault, path)
    assert (first.new, first.known, again.new, again.known) == (5000, 10, 0, 5010)
    assert vault.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_rows_are_stored_in_id_order_and_a_repeated_row_keeps_its_first_occurrence(vault, tmp_path, monkeypatch):
    """Each chunk's rows go in id order (the id index is then written forward, not at random);
    the order is stable, so of two rows that are the same contact, the file's first is kept."""
    monkeypatch.setattr(chunks, "ROWS", 700)  # several chunks
    repeat = "sms,2026-03-01T10:00:00+08:00,13800138000,13912345678,{name},还款提醒,{id}\n"
    text = HEADER + repeat.format(name="张先生", id="first") + rows(1500) + repeat.format(name="李先生", id="second")
    result = contacts.import_file(vault, write(tmp_path / "order.csv", text))
    assert (result.new, result.known) == (1501, 1)
    stored = vault.conn.execute("SELECT id, chunk, slot FROM contacts WHERE batch_id = ? ORDER BY rowid", (result.batch_id,)).fetchall()
    for chunk in {c for _, c, _ in stored}:
        in_chunk = [(slot, contact_id) for contact_id, c, slot in stored if c == chunk]
        assert [slot for slot, _ in in_chunk] == sorted({slot for slot, _ in in_chunk})  # rowid order is slot order
        assert [i for _, i in in_chunk] == sorted(i for _, i in in_chunk)  # … and id order
    [kept] = [row for row in contacts.frame(vault).itertuples() if row.external_id in ("first", "second")]
    assert (kept.external_id, kept.heard_name) == ("first", "张先生")
    assert lifecycle.verify(vault).contacts == 1501


def test_progress_reaches_the_file_size_through_the_worker(vault, tmp_path):
    path = write(tmp_path / "p.csv", HEADER + rows(9000))
    seen: list[int] = []
    contacts.import_file(vault, path, on_progress=seen.append)
    assert seen == sorted(seen) and len(seen) >= 3 and seen[-1] == path.stat().st_size


@pytest.mark.slow
def test_ctrl_c_during_an_import_rolls_back_and_leaves_no_process(vault, home, tmp_path, dump):
    vault.close()
    before = dump(home)
    path = write(tmp_path / "big.csv", HEADER + rows(400_000))
    env = {**os.environ, "TRACER_HOME": str(home), "TRACER_PASSPHRASE": ME.passphrase}
    process = subprocess.Popen(
        [sys.executable, "-m", "tracer", "contacts", "import", str(path)],
        env={**env, "TRACER_SCRYPT_LOG_N": "10"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal's foreground job
        preexec_fn=_interruptible,
    )
    worker = _wait_for_child(process.pid)
    time.sleep(0.5)
    os.killpg(process.pid, signal.SIGINT)  # what a terminal sends the whole foreground group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0, stderr
    assert _running(worker) is False
    assert dump(home) == before


def _interruptible() -> None:
    """In the child before exec: Ctrl-C's default action, as a terminal's foreground job has it.
    A test run started in the background by a non-interactive shell (`cmd &`, as CI scripts and
    job runners do) inherits SIGINT ignored, and an ignored signal stays ignored across exec, so
    the import would never see the Ctrl-C this test sends."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _wait_for_child(pid: int) -> int:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        if children:
            return int(children[0])
        time.sleep(0.02)
    raise AssertionError("the import never started its worker")


def _running(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


# -- the sealed contact document ----------------------------------------------------------------

texts = st.none() | st.text(alphabet=st.characters(exclude_categories=["Cs"]))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=texts, text=texts, second=st.integers(0, 10**8))
def test_a_stored_contact_shows_exactly_what_was_sealed(vault, name, text, second):
    at = datetime(2026, 3, 1, tzinfo=UTC) + timedelta(seconds=second)  # one vault serves every example
    parties = {"to": "+8613900139001", "sender": "+8617012345671"}
    record = ContactRecord(Channel.SMS, at, **parties, heard_name=name, text=text, duration=7, line=3)
    contact, new = contacts.log(vault, record, allow_future=True)  # seconds reach into 2029
    assume(new)
    shown = contacts.show(vault, contact.id)
    assert (shown["heard_name"], shown["text"], shown["duration"], shown["line"]) == (name, text, 7, 3)


def test_the_vault_file_holds_the_contacts_only_sealed(vault, home, tmp_path):
    contacts.import_file(vault, write(tmp_path / "s.csv", HEADER + rows(50)))
    vault.close()
    raw = (home / DB_NAME).read_bytes() + _wal(home)
    assert "内部牛股推荐".encode() not in raw and b"13900000001" not in raw
    with Vault.open(home, ME.passphrase) as again:
        assert len(contacts.frame(again)) == 50


def _wal(home: Path) -> bytes:
    path = home / f"{DB_NAME}-wal"
    return path.read_bytes() if path.exists() else b""


def test_a_document_sealed_before_caller_name_existed_still_reads():
    """Vault rows written by older versions lack the appended caller_name: it reads as None."""
    old = ["+8613800138000", "+8613900139000", None, "hi", 12, "in", "x1", 3, None, "abc"]
    doc = chunks.legacy_record(old)
    assert doc["caller_name"] is None
    assert doc["text"] == "hi" and doc["source"] == "abc" and doc["duration"] == 12


def test_a_chunk_read_for_some_fields_holds_those_fields_with_the_same_values():
    """`chunks.decode(columns=…)`: a report reads only the fields it shows, in FIELDS order."""
    rows = [{name: None for name in chunks.FIELDS} | {"id": f"k_{i}", "text": f"内部 {i}", "line": i} for i in range(3)]
    plain = chunks.encode(chunks.columns_of(rows))
    some = chunks.decode(plain, ("text", "id"))
    assert some.column_names == ["id", "text"]
    assert some.equals(chunks.decode(plain).select(["id", "text"]))


def test_with_a_pool_of_numbers_a_file_without_receivers_is_given_none(vault, tmp_path):
    """With several numbers of the user's own, a file that does not say which received it is not
    given one (the pool is counted, not opened); with the vault's only number, it is."""
    from tracer import pool

    path = write(tmp_path / "c.csv", "channel,at,from,text\nsms,2026-03-01T09:00:00+08:00,13912345678,hi\n")
    assert contacts.import_file(vault, path).to == ME.phone
    pool.add(vault, "+8613900000001")
    pool.add(vault, "+8613900000002")
    again = write(tmp_path / "d.csv", "channel,at,from,text\nsms,2026-03-01T10:00:00+08:00,13912345678,hi\n")
    assert contacts.import_file(vault, again).to is None
    assert contacts.frame(vault)["to"].isna().tolist() == [False, True]
