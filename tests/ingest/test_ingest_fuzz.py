"""Property: whatever the bytes, an importer yields records or Rejected, or raises InputError.

Inputs are random bytes, random text after a valid header, and the fixtures cut short or with
bytes spliced in, fed to every format (and to sniffing).
"""

from __future__ import annotations

import sqlite3
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracer.errors import InputError
from tracer.ingest import Format, Options, read
from tracer.models import ContactRecord, Rejected

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
FIXTURES = [
    "calls.xml",
    "sms.xml",
    "billion_laughs.xml",
    "gbk_multipart.eml",
    "three.mbox",
    "twilio.csv",
    "carrier_bill_gbk.csv",
    "utf16.csv",
]
OPTIONS = Options(to="+8613800138000", sim_map={"1": "+8613800138001"}, tz="Asia/Shanghai")
GV_PAGE = "+12025550143 - {kind} - 2026-03-01T14_30_00Z.html"


def _ios_seed() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "h.storedata"
        conn = sqlite3.connect(path)
        conn.executescript(
            "CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, ZDATE, ZADDRESS, ZORIGINATED,"
            " ZDURATION, ZANSWERED, ZISO_COUNTRY_CODE);"
            "INSERT INTO ZCALLRECORD VALUES (1, 794021400.0, '13900139001', 0, 3.5, 1, 'cn');"
            "INSERT INTO ZCALLRECORD VALUES (2, 'x', X'FF00', 0, 'y', NULL, 7);"
        )
        conn.commit()
        conn.close()
        return path.read_bytes()


def _gv_seed() -> bytes:
    folder = DATA / "google_voice" / "Takeout" / "Voice" / "Calls"
    return (folder / "Robo Caller - Voicemail - 2026-03-02T16_00_00Z.html").read_bytes()


SEEDS = [(DATA / name).read_bytes() for name in FIXTURES] + [_ios_seed(), _gv_seed()]


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    seed = draw(st.sampled_from(SEEDS))
    cut = draw(st.integers(0, len(seed)))
    data = seed[:cut]
    if data and draw(st.booleans()):
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=16)) + data[at:]
    return data


csv_rows = st.text(alphabet=st.sampled_from(list(',"\n\r\t 0123456789+-:TZ/年月日@abc中文\x00')))
payloads = st.one_of(
    st.binary(max_size=4096),
    damaged(),
    csv_rows.map(lambda t: ("channel,at,to,from,heard_name,text,id\n" + t).encode("utf-8")),
)


def run(fmt: Format, payload: bytes, kind: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if fmt is Format.GOOGLE_VOICE:
            path = Path(tmp)
            (path / GV_PAGE.format(kind=kind)).write_bytes(payload)
        else:
            path = Path(tmp) / "input"
            path.write_bytes(payload)
        try:
            for item in read(path, fmt, OPTIONS):
                assert isinstance(item, ContactRecord | Rejected)
        except InputError as exc:
            assert exc.message and str(tmp) not in exc.message.replace(str(path), "")


@settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    fmt=st.sampled_from(list(Format)),
    payload=payloads,
    kind=st.sampled_from(["Missed", "Voicemail", "Text", "Placed", "Odd"]),
)
def test_any_bytes_give_only_records_rejected_or_input_error(fmt, payload, kind):
    run(fmt, payload, kind)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payload=damaged())
def test_truncated_fixtures_read_as_their_own_format_never_crash(payload):
    for fmt in (Format.AUTO, Format.CSV, Format.ANDROID_SMS, Format.MBOX, Format.IOS_CALLS):
        run(fmt, payload, "Text")


def test_a_schema_whose_names_are_no_utf8_is_a_damaged_database() -> None:
    """A byte that is no UTF-8 in a table's CREATE statement (found by the property above): Python
    decodes PRAGMA table_info's names itself and raised UnicodeDecodeError, which reached the user
    as "internal error"; it is a damaged database, said as such."""
    seed = _ios_seed()
    at = seed.index(b"CREATE TABLE ZCALLRECORD") + len(b"CREATE TABLE")
    cut = seed.index(b"ZISO_COUNTRY_CODE") + len(b"ZISO_COUNTRY_CODE")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "CallHistory.storedata"
        path.write_bytes(seed[:at] + b"'\x80" + seed[at:cut])
        for fmt in (Format.AUTO, Format.IOS_CALLS):
            try:
                list(read(path, fmt, OPTIONS))
            except InputError as exc:
                assert "the database is damaged or cut off" in exc.message
            else:
                raise AssertionError(f"{fmt}: read a damaged database without a word")
