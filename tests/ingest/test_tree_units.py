"""A folder's files and the format of each (`ingest.tree.units`): text that holds no table we read
is listed as unread, so a README or a schema beside the exports never stops a folder import."""

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
    found = {unit.name: unit.fmt for unit in units(tmp_path, "x")}
    assert found == {
        "x/README.md": None,
        "x/schema.sql": None,
        "x/bill.csv": Format.CSV,
        "x/records.json": Format.CSV,
    }


def test_every_real_export_folder_has_no_unreadable_table():
    """Only SOURCES.md and the schema dumps are unread in tests/data/real."""
    unread = sorted(unit.name for unit in units(REAL, "real") if unit.fmt is None)
    assert unread == [
        "real/SOURCES.md",
        "real/iphone/call_history_ios9_schema.sql",
        "real/iphone/callhistory_storedata_ios11_schema.sql",
        "real/iphone/sms_db_ios11_schema.sql",
    ]
