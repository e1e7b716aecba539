"""A report made by a real attribution over a real vault: every renderer shows what the caller said
(`heard_name`) and the message `text` of each contact, redacted where the report is; the JSON
writer, the CSV and the DataFrame view agree on every contact."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tracer import attribution, reports
from tracer.attribution.result import CONTACT_KEYS
from tracer.reports import dataframes


@pytest.fixture
def attributed(filled, vault):
    inputs = attribution.load(vault)
    return attribution.attribute(inputs), inputs


def test_the_csv_report_shows_heard_names_and_texts_of_a_real_attribution(attributed):
    result, inputs = attributed
    text = reports.render(result.to_dict(), "csv", redact=True, real_name=inputs.real_name)
    rows = {r["external_id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["row-1"]["heard_name"] == "欧阳先生"
    assert rows["row-2"]["text"] == "内部牛股推荐 回电"
    logged = [r for r in rows.values() if r["heard_name"] == "杨女士"]
    assert len(logged) == 1 and len(rows) == 4


def test_the_redacted_csv_hides_the_real_name_inside_what_the_caller_said(attributed):
    result, inputs = attributed
    doc = result.to_dict()
    doc["contacts"][0]["heard_name"] = inputs.real_name + "先生"  # a caller who knew the real name
    text = reports.render(doc, "csv", redact=True, real_name=inputs.real_name)
    assert inputs.real_name not in text and "[real name]" in text


def test_the_streamed_json_is_the_report_dict(attributed):
    result, _ = attributed
    out = io.StringIO()
    result.write_json(out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(result.to_dict()))


def test_the_dataframe_view_has_one_row_per_contact_with_what_was_said(attributed):
    result, _ = attributed
    _, contacts, _ = dataframes.frames(result.to_dict())
    assert len(contacts) == 4
    assert set(contacts["heard_name"].dropna()) == {"欧阳先生", "杨女士"}
    assert list(contacts["text"].dropna()) == ["内部牛股推荐 回电"]


def test_the_rendered_json_and_the_streamed_json_are_one_writers_same_document(attributed):
    result, _ = attributed
    streamed = io.StringIO()
    result.write_json(streamed)
    rendered = reports.render(result.to_dict(), "json", redact=False)
    assert rendered == streamed.getvalue()
    assert json.loads(rendered)["contacts"][1]["text"] == "内部牛股推荐 回电"


def test_each_contact_is_a_typed_result_whose_json_is_the_contract_row(attributed):
    result, _ = attributed
    typed = list(result.results())
    assert [r.to_json() for r in typed] == list(result.rows)
    texts = {r.external_id: r.text for r in typed}
    assert texts["row-2"] == "内部牛股推荐 回电"
    assert list(typed[0].to_json()) == list(CONTACT_KEYS) and "from" in CONTACT_KEYS


def test_rows_built_a_block_at_a_time_are_the_rows_built_one_by_one(attributed, monkeypatch):
    """Blocks of one, two or more contacts (the writer's block size shrunk) give every contact the
    same candidates, evidence and confidence as reading it alone."""
    from tracer.attribution import result as result_module

    result, _ = attributed
    alone = [result.rows.row(i) for i in range(len(result.rows))]
    assert any(row["candidates"] for row in alone) and any(row["evidence"] for row in alone)
    for size in (1, 2, 3):
        monkeypatch.setattr(result_module, "_LINES", size)
        assert list(result.rows) == alone
    streamed = io.StringIO()
    result.write_json(streamed)
    assert [c["id"] for c in json.loads(streamed.getvalue())["contacts"]] == [r["id"] for r in alone]


def test_the_contacts_are_read_in_time_then_id_order(filled, vault):
    """`contacts.frame`, which the report's order comes from: by time, then by id."""
    from tracer import contacts

    frame = contacts.frame(vault)
    keys = list(zip(frame["at"], frame["id"], strict=True))
    assert keys == sorted(keys) and len(keys) == 4
