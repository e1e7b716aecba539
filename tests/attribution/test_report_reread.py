"""The report's second pass (`attribution.load(vault, reread=True)`): the contacts' texts, names and
external ids are not held through the fit but read again from the vault's chunks as the report is
written, and every output is the same as from the frame that held them."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from tests.conftest import sql
from tracer import attribution, contacts, reports
from tracer.attribution.inputs import ELEMENTWISE, REREAD, elementwise, is_elementwise
from tracer.errors import IntegrityError
from tracer.models import Channel, ContactRecord
from tracer.reports import csv_format
from tracer.vault import Vault


def _outputs(result: attribution.Attribution, real_name: str) -> dict[str, str]:
    streamed = io.StringIO()
    result.write_json(streamed)
    doc = result.to_dict()
    return {
        "json": streamed.getvalue().replace(result.generated_at, "T"),
        "csv": "".join(csv_format.column_blocks(result.rows, redact=True, real_name=real_name)),
        "csv-plain": "".join(csv_format.column_blocks(result.rows, redact=False, real_name=real_name)),
        "html": reports.render({**doc, "generated_at": "2026-03-05T00:00:00Z"}, "html", redact=True, real_name=real_name),
    }


def test_a_report_read_again_from_the_vault_is_the_report_held_in_memory(filled, vault: Vault):
    held = attribution.load(vault)
    reread = attribution.load(vault, reread=True)
    assert reread.reader is not None and held.reader is None
    assert "external_id" not in reread.contacts and "caller_name" not in reread.contacts
    assert "duration" not in reread.contacts and "duration" in held.contacts  # read by nothing in a report
    assert "batch_id" not in reread.contacts  # the reader keeps its codes, a byte a contact
    assert reread.reader.coded["batch_id"].type.index_type == pa.int8()
    again = _outputs(attribution.attribute(reread), reread.real_name)
    assert again == _outputs(attribution.attribute(held), held.real_name)
    assert "row-2" in again["json"] and "内部牛股推荐" in again["json"] and "杨女士" in again["csv-plain"]


def test_the_fit_gives_up_the_texts_only_of_a_frame_loaded_with_a_reader(filled, vault: Vault):
    reread, held = attribution.load(vault, reread=True), attribution.load(vault)
    attribution.attribute(reread)
    attribution.attribute(held)
    assert set(REREAD).isdisjoint(reread.contacts.columns)
    assert set(REREAD) <= set(held.contacts.columns)  # a frame without a reader has no other copy


def _interleaved(vault: Vault, *, logged: bool = False) -> None:
    """Contacts stored one at a time between the imported ones' times, so that the report's time
    order goes back and forth between chunks: a chunk each, or (`logged`) each sealed on its own
    as `contacts.log` stores a contact logged by hand."""
    for day in (1, 2, 3):
        record = ContactRecord(Channel.SMS, datetime(2026, 3, day, 3, 0, tzinfo=UTC), to="+8613900139001",
                               sender="+8613011112222", text=f"第{day}条", caller_name=f"caller {day}")  # fmt: skip
        if logged:
            contacts.log(vault, record)
        else:
            with vault.transaction():
                contacts.store_records(vault, [record], f"b_day{day}", "manual")


def test_rows_read_back_and_forth_between_chunks_are_each_their_own(filled, vault: Vault, monkeypatch):
    _interleaved(vault)
    monkeypatch.setattr(contacts, "_WINDOW", 1)  # every row read alone: its chunk decoded for it
    whole = contacts.frame(vault)
    frame, reader = contacts.frame_and_reader(vault, later=("text", "caller_name"), reread=("text", "caller_name"))
    assert reader is not None and "text" not in frame
    ids = whole["id"].tolist()
    read = [reader.read(n, n + 1, ("text", "caller_name"), _strings(ids[n : n + 1])) for n in range(len(ids))]
    for name in ("text", "caller_name"):
        assert [r[name].to_pylist()[0] for r in read] == _plain(whole[name])
    assert "caller 2" in _plain(whole["caller_name"])
    chunked = int((reader.chunk >= 0).sum())  # a contact logged by hand has no chunk to open
    assert len(set(reader.chunk.tolist())) > 2 and reader.opened == chunked


def _plain(column) -> list:
    return column.astype(object).where(column.notna(), None).tolist()


def _strings(values: list[str]):
    import pyarrow as pa

    return pa.array(values, type=pa.string())


def test_a_window_of_rows_opens_each_of_its_chunks_once_for_every_block_in_it(filled, vault: Vault, monkeypatch):
    _interleaved(vault)
    monkeypatch.setattr(contacts, "_WINDOW", 4)
    whole = contacts.frame(vault)
    frame, reader = contacts.frame_and_reader(vault, later=("text",), reread=("text",))
    assert reader is not None and len(frame) == 7
    ids = frame["id"].tolist()
    texts = [reader.read(a, min(a + 2, 7), ("text",), _strings(ids[a : a + 2]))["text"].to_pylist() for a in range(0, 7, 2)]
    assert sum(texts, []) == _plain(whole["text"])
    first, second = set(reader.chunk[:4].tolist()) - {-1}, set(reader.chunk[4:].tolist()) - {-1}
    assert len(first) > 1 and reader.opened == len(first) + len(second)


def test_a_chunk_altered_after_loading_is_refused_when_read_again(filled, vault: Vault, home: Path):
    inputs = attribution.load(vault, reread=True)
    result = attribution.attribute(inputs)
    sql(home, "UPDATE contact_chunks SET enc = CAST(zeroblob(64) AS BLOB)")
    with pytest.raises(IntegrityError, match="no longer decrypts"):
        result.to_dict()


def test_a_slot_holding_another_contact_is_refused_when_read_again(filled, vault: Vault):
    frame, reader = contacts.frame_and_reader(vault, later=("text",), reread=("text",))
    assert reader is not None
    ids = frame["id"].tolist()
    with pytest.raises(IntegrityError, match="points at another contact's slot"):
        reader.read(0, 2, ("text",), _strings(ids[1::-1]))


def test_rows_sealed_on_their_own_are_read_again_like_the_chunks_rows(filled, vault: Vault):
    """A row from before chunks, and every contact logged by hand (`contacts.log` seals each on
    its own), is opened from its own document when the writer reads it again: a vault where the
    user once logged a call keeps the second pass."""
    from tests.vault.test_vault_storage import legacy_rows, records

    with vault.transaction() as conn:  # one row as schema 2 stored it, its own sealed document
        conn.executemany(
            "INSERT INTO contacts(dedupe, channel, at, to_bi, from_bi, batch_id, enc) VALUES (?, ?, ?, ?, ?, ?, ?)",
            legacy_rows(vault, records(1)),
        )
    _interleaved(vault, logged=True)  # and three logged by hand, between the imported contacts' times
    frame, reader = contacts.frame_and_reader(vault, later=("external_id",), reread=("external_id", "text"))
    assert reader is not None and "external_id" not in frame.columns
    ids = _strings(frame["id"].astype(object).tolist())
    read = reader.read(0, len(frame), ("external_id", "text"), ids)
    whole = contacts.frame(vault)
    assert read["external_id"].to_pylist() == [None if v != v else v for v in whole["external_id"]]
    assert read["text"].to_pylist() == [None if v != v else v for v in whole["text"]]
    assert "row-0" in read["external_id"].to_pylist() and "第2条" in read["text"].to_pylist()
    inputs = attribution.load(vault, reread=True)
    assert inputs.reader is not None
    assert _outputs(attribution.attribute(inputs), inputs.real_name) == _outputs(
        attribution.attribute(attribution.load(vault)), inputs.real_name
    )


def test_the_verdicts_read_a_few_contacts_texts_again_in_any_order(filled, vault: Vault):
    """A list caller's guards read the words of a few contacts after the fit gave the texts up
    (`verdicts._words`): read again from the vault, in the order asked (rows repeated, out of
    order), they are the words the held frame has."""
    from tracer.attribution import verdicts

    reread, held = attribution.load(vault, reread=True), attribution.load(vault)
    attribution.attribute(reread)
    assert "text" not in reread.contacts
    n = len(held.contacts)
    rows = np.array([n - 1, 0, n - 1, n // 2])
    (heard_again, words_again), (heard, words) = verdicts._words(reread, rows), verdicts._words(held, rows)
    assert words_again == words and any(words)
    assert heard_again == [h if isinstance(h, str) else None for h in heard]  # a frame's NaN is None read again


def test_shared_columns_are_one_object_per_value_and_the_frame_elementwise_makes(filled, vault: Vault, monkeypatch):
    """`frame_and_reader(shared=…)` makes those columns Python objects from Arrow's codes of
    the values (the metadata's channel and batch id coded as read, callers and receivers coded
    by Arrow), a sealed field taken a few rows at a time: the frame `elementwise` makes of the
    plain frame, value for value, and its missing values NaN."""
    contacts.log(vault, ContactRecord(Channel.CALL, datetime(2026, 3, 2, 3, 0, tzinfo=UTC), to="+8613900139001"))
    _interleaved(vault)
    monkeypatch.setattr(contacts, "_TAKE", 2)  # each field taken in blocks of two rows
    plain = elementwise(contacts.frame(vault))
    frame, _ = contacts.frame_and_reader(vault, later=(), reread=("text",), shared=ELEMENTWISE)
    for name in ELEMENTWISE:
        assert frame[name].dtype == object and is_elementwise(frame[name])
        assert frame[name].tolist() == pytest.approx(plain[name].tolist(), nan_ok=True)
    assert frame["text"].tolist() == pytest.approx(plain["text"].tolist(), nan_ok=True)
    assert frame["from"].isna().any()  # the call logged with no caller
    ids = frame["batch_id"].tolist()
    assert len({id(value) for value in ids}) == len(set(ids))  # one object per batch
