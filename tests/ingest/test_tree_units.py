"""A folder's files and the format of each (`ingest.tree.units`): text or a web page that holds no
table we read is listed as unread, so a README, a schema or an index page beside the exports never
stops a folder import."""

from __future__ import annotations

from pathlib import Path

from tracer.ingest import Format
from tracer.ingest.tree import units

REAL = Path(__file__).resolve().parents[1] / "data" / "real"


def test_notes_and_schemas_beside_exports_are_unread(tmp_path):
    (tmp_path / "README.md").write_text("# My exports\n\nCalls, texts, and bills, as downloaded.\nSee also: notes, below.\n")
    (tmp_path / "schema.sql").write_text((REAL / "iphone" / "call_history_ios9_schema.sql").read_text())
    (tmp_path / "bill.csv").write_text("起始时间,通信方式,对方号码,通信时长\n2019-09-01 10:00:00,被叫,13912345678,10\n")
    (tmp_path / "records.json").write_text('[{"startTime": "2023-03-09T10:00:00Z", "from": "+12025550147", "to": "+14155551212"}]')
    (tmp_path / "index.html").write_text("<html><body><table><tr><td>Voice</td><td>3 files</td></tr></table></body></html>")
    (tmp_path / "bill.xls").write_text(
        "<html><body><table><tr><th>起始时间</th><th>通信方式</th><th>对方号码</th></tr>"
        "<tr><td>2019-09-01 10:00:00</td><td>被叫</td><td>13912345678</td></tr></table></body></html>",
        encoding="utf-8",
    )
    found = {unit.name: unit.fmt for unit in units(tmp_path, "x")}
    assert found == {
        "x/README.md": None,
        "x/schema.sql": None,
        "x/bill.csv": Format.CSV,
        "x/records.json": Format.CSV,
        "x/index.html": None,  # a table, but none of a bill's or a log's columns
        "x/bill.xls": Format.EXCEL,
    }


def test_every_real_export_folder_has_no_unreadable_table():
    """Only SOURCES.md, the schema dumps and the attributedBody archives (a column's value, not
    an export) are unread in tests/data/real."""
    unread = sorted(unit.name for unit in units(REAL, "real") if unit.fmt is None)
    archives = ("AttributedBodyTextOnly", "AttributedBodyTextOnly2", "Blank", "ExtraData", "MultiPart", "URL", "WeirdText")
    assert unread == [
        "real/SOURCES.md",
        *(f"real/iphone/attributed_body/{name}" for name in archives),
        "real/iphone/call_history_ios9_schema.sql",
        "real/iphone/callhistory_storedata_ios11_schema.sql",
        "real/iphone/sms_db_ios11_schema.sql",
    ]
