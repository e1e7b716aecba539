"""Every format renders the sample report; the entry point checks its inputs."""

from __future__ import annotations

import copy
import csv
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tracer.errors import InputError
from tracer.reports import ReportFormat, frames, render


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_every_format_renders_the_sample_report(report: dict, fmt: ReportFormat) -> None:
    out = render(report, fmt, real_name="李秀英")
    assert "StockPro" in out and "招商理财" in out


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_every_format_renders_a_report_with_no_contacts(fmt: ReportFormat) -> None:
    empty = {"generated_at": "2026-03-20T08:00:00Z", "contacts": [], "campaigns": [],
             "platforms": [{"platform": "Quiet", "verdict": "no-evidence", "confidence": 0.0,
                            "contacts": 0, "first_contact_at": None,
                            "days_to_first_contact": None, "linked_platforms": []}]}  # fmt: skip
    assert "Quiet" in render(empty, fmt) or fmt is ReportFormat.CSV


def test_render_accepts_the_format_as_plain_text(report: dict) -> None:
    assert render(report, "table") == render(report, ReportFormat.TABLE)


def test_render_does_not_modify_the_report_it_is_given(report: dict) -> None:
    before = copy.deepcopy(report)
    for fmt in ReportFormat:
        render(report, fmt, real_name="李秀英")
    assert report == before


def test_unknown_format_is_an_input_error_naming_the_choices(report: dict) -> None:
    with pytest.raises(InputError, match="unknown report format 'pdf'.*table, json, csv, html"):
        render(report, "pdf")


def test_report_missing_a_contract_key_is_an_input_error(report: dict) -> None:
    del report["campaigns"]
    with pytest.raises(InputError, match="missing campaigns"):
        render(report, ReportFormat.JSON)


def test_table_fits_80_columns_and_words_findings_as_data_reaching_callers(report: dict) -> None:
    out = render(report, ReportFormat.TABLE)
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "Data given to StockPro reached callers — 97% sure" in out
    assert "Data given to 安居房产 may have reached callers" in out
    assert "Data given to 3 of 6 platforms reached callers; 1 more is suspected." in out


def test_table_lists_every_platform_with_verdict_and_delay(report: dict) -> None:
    rows = {line.split()[0]: line for line in render(report, ReportFormat.TABLE).splitlines() if line}
    assert "no evidence" in rows["健康100"]
    assert "5 h" in rows["StockPro"] and "CarDeals" in rows["StockPro"]
    assert "2026-01-21" in rows["招商理财"]


def test_table_with_2000_long_platform_names_still_fits_80_columns() -> None:
    platforms = [{"platform": f"Platform-{i:04d}-with-a-rather-long-descriptive-name",
                  "verdict": "leaked" if i % 7 == 0 else "no-evidence", "confidence": 0.9,
                  "contacts": i, "first_contact_at": "2026-01-05T07:00:00Z",
                  "days_to_first_contact": 1.5, "linked_platforms": ["A", "B", "C"]}
                 for i in range(2000)]  # fmt: skip
    big = {"generated_at": "2026-03-20T08:00:00Z", "platforms": platforms, "contacts": [],
           "campaigns": []}  # fmt: skip
    out = render(big, ReportFormat.TABLE)
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert "Platform-1999" in out


def test_table_narrower_than_72_columns_keeps_the_platform_column(report: dict) -> None:
    out = render(report, ReportFormat.TABLE, width=50)
    assert max(cell_len(line) for line in out.splitlines()) <= 50
    assert re.search(r"^StockPro +reached callers", out, re.M)


def test_json_unredacted_is_the_report_itself_with_readable_unicode(report: dict) -> None:
    out = render(report, ReportFormat.JSON, redact=False)
    assert json.loads(out) == report
    assert "招商理财" in out and "\\u" not in out
    assert out.startswith('{\n  "generated_at"')


def test_json_redacted_keeps_the_contract_shape(report: dict) -> None:
    data = json.loads(render(report, ReportFormat.JSON, real_name="李秀英"))
    assert data.keys() == report.keys()
    assert [c["id"] for c in data["contacts"]] == [c["id"] for c in report["contacts"]]
    assert data["contacts"][0]["to"] == "+86•••••••••01"
    assert data["platforms"] == report["platforms"]


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_csv_has_one_flattened_row_per_contact(report: dict) -> None:
    rows = _csv_rows(render(report, ReportFormat.CSV, redact=False))
    assert len(rows) == len(report["contacts"])
    first = rows[0]
    assert list(first)[:6] == ["id", "external_id", "channel", "at", "to", "from"]
    assert re.fullmatch(r"StockPro:0\.\d\d", first["candidates"])
    assert first["evidence"].startswith("identifier: to +8613811110001")
    assert " | timing: " in first["evidence"]
    split = next(r for r in rows if r["platform"] == "安居房产")
    assert re.fullmatch(r"安居房产:0\.\d\d;招商理财:0\.\d\d", split["candidates"])


def test_csv_defuses_spreadsheet_formulas_but_not_phone_numbers(report: dict) -> None:
    rows = _csv_rows(render(report, ReportFormat.CSV, redact=False))
    texts = [r["text"] for r in rows if "HYPERLINK" in r["text"]]
    assert texts and all(t.startswith("'=HYPERLINK") for t in texts)
    assert all(r["from"].startswith("+") for r in rows if r["channel"] != "email")


def test_csv_with_no_contacts_is_just_the_header(report: dict) -> None:
    report["contacts"] = []
    assert render(report, ReportFormat.CSV).splitlines() == [
        "id,external_id,channel,at,to,from,caller_name,heard_name,text,platform,confidence,candidates,evidence"
    ]


def test_frames_give_platforms_contacts_and_campaigns_with_utc_times(report: dict) -> None:
    platforms, contacts, campaigns = frames(report)
    assert len(platforms) == 6 and len(contacts) == len(report["contacts"]) and len(campaigns) == 2
    assert str(contacts["at"].dtype).startswith("datetime64") and str(contacts["at"].dt.tz) == "UTC"
    assert "category" in platforms.columns  # extra keys become extra columns
    assert platforms.set_index("platform").loc["StockPro", "linked_platforms"] == ["CarDeals"]
    assert campaigns.loc[0, "callers"] == ["+8617012345671"]


def test_frames_of_an_empty_report_have_the_contract_columns() -> None:
    platforms, contacts, campaigns = frames(
        {"generated_at": "2026-03-20T08:00:00Z", "platforms": [], "contacts": [], "campaigns": []}
    )
    assert list(platforms.columns)[:2] == ["platform", "verdict"] and platforms.empty
    assert "evidence" in contacts.columns and contacts.empty
    assert list(campaigns.columns) == ["id", "callers", "platforms", "contacts"]


@pytest.mark.parametrize(
    ("confidence", "shown"), [(1.0, ">99%"), (0.996, ">99%"), (0.97, "97%"), (0.004, "<1%"), (0.0, "0%")]
)
def test_confidence_is_never_shown_as_certainty(confidence: float, shown: str) -> None:
    from tracer.i18n import percent

    assert percent(confidence) == shown


def test_frames_stays_callable_after_the_csv_renderer_loads(report: dict) -> None:
    from tracer import reports

    render(report, ReportFormat.CSV)
    assert len(reports.frames(report)[1]) == len(report["contacts"])


_cell = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["=1+1", "-3", "+8613800138000", "@x", "\tx"]))


@settings(max_examples=60, deadline=None, derandomize=True)
@given(
    cells=st.lists(st.tuples(_cell, _cell, st.floats(0, 1)), min_size=0, max_size=5),
)
def test_the_column_wise_csv_is_the_row_wise_one(cells) -> None:
    """The CSV renderer builds columns; it writes what the row dicts through `defuse` wrote
    (extra keys left out, formulas defused, line ends made \\n, floats and nulls as before)."""
    import pandas as pd

    from tracer.reports import csv_format, dataframes

    contacts = [
        {"id": f"k_{n}", "text": text, "from": sender, "confidence": p, "campaign": "g_1",
         "candidates": [{"platform": text or "P", "p": p}], "evidence": [{"kind": "name", "detail": sender or ""}]}
        for n, (text, sender, p) in enumerate(cells)
    ]  # fmt: skip
    report = {"contacts": contacts}
    rows = [dataframes.contact_row(c) for c in contacts]
    expected = pd.DataFrame.from_records(rows, columns=dataframes.CONTACT_COLUMNS).map(lambda v: csv_format.defused([v])[0])
    want = expected.to_csv(index=False, lineterminator="\n")
    assert csv_format.RENDERER.render(report, csv_format.Options()) == want


def test_a_carriage_return_inside_a_value_does_not_end_the_csv_row() -> None:
    """Old Mac texts and CRLFs cut in two: a strict reader (the csv module, a spreadsheet) takes a
    lone unquoted \\r for the end of the row."""
    import csv
    import io

    from tracer.reports import csv_format

    texts = ["old Mac\rline", "CRLF\r\nline", "\rstarts"]
    report = {"contacts": [{"id": f"k_{n}", "text": t, "evidence": [], "candidates": []} for n, t in enumerate(texts)]}
    text = csv_format.RENDERER.render(report, csv_format.Options())
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert [r["id"] for r in rows] == ["k_0", "k_1", "k_2"]
    assert [r["text"] for r in rows] == ["old Mac\nline", "CRLF\nline", "'\nstarts"]


def test_table_at_80_columns_cuts_the_linked_column_before_a_platform_name() -> None:
    linked = ["LearnHub", "StockNow", "TutorPath", "ClipCast"]
    platforms = [{"platform": name, "verdict": "leaked", "confidence": 0.999, "contacts": 4,
                  "first_contact_at": "2026-03-11T07:00:00Z", "days_to_first_contact": 23.7,
                  "linked_platforms": linked} for name in ("HavenDirect", "中国平安人寿保险")]  # fmt: skip
    out = render({"generated_at": "2026-03-20T08:00:00Z", "platforms": platforms, "contacts": [],
                  "campaigns": []}, ReportFormat.TABLE, width=80)  # fmt: skip
    assert max(cell_len(line) for line in out.splitlines()) <= 80
    assert re.search(r"^HavenDirect +reached callers", out, re.M)
    assert re.search(r"^中国平安人寿保险 +reached callers", out, re.M)
