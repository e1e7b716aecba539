"""iOS CallHistory.storedata: Core Data SQLite, read-only."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer.errors import InputError
from tracer.ingest import Format, Options, read
from tracer.ingest.ios_calls import APPLE_EPOCH
from tracer.ingest.sniff import sniff
from tracer.models import Channel, Rejected

SCHEMA = """
CREATE TABLE ZCALLRECORD (Z_PK INTEGER PRIMARY KEY, Z_ENT INTEGER, Z_OPT INTEGER,
  ZANSWERED INTEGER, ZCALLTYPE INTEGER, ZDISCONNECTED_CAUSE INTEGER, ZFACE_TIME_DATA INTEGER,
  ZNUMBER_AVAILABILITY INTEGER, ZORIGINATED INTEGER, ZREAD INTEGER, ZDATE TIMESTAMP,
  ZDURATION FLOAT, ZADDRESS VARCHAR, ZDEVICE_ID VARCHAR, ZISO_COUNTRY_CODE VARCHAR,
  ZLOCATION VARCHAR, ZNAME VARCHAR, ZSERVICE_PROVIDER VARCHAR, ZUNIQUE_ID VARCHAR);
"""


def seconds_2001(iso: str) -> float:
    return datetime.fromisoformat(iso).timestamp() - APPLE_EPOCH


def build(path: Path, rows: list[tuple]) -> Path:
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO ZCALLRECORD (Z_PK, ZANSWERED, ZORIGINATED, ZDATE, ZDURATION, ZADDRESS,"
        " ZISO_COUNTRY_CODE, ZSERVICE_PROVIDER, ZUNIQUE_ID) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.commit()
    conn.close()
    return path


@pytest.fixture
def storedata(tmp_path: Path) -> Path:
    tel, facetime = "com.apple.Telephony", "com.apple.FaceTime"
    return build(
        tmp_path / "CallHistory.storedata",
        [
            (
                1,
                1,
                0,
                seconds_2001("2026-03-01T01:30:00+00:00"),
                35.4,
                "13900139001",
                "cn",
                tel,
                "U1",
            ),
            (
                2,
                0,
                0,
                seconds_2001("2026-03-01T01:31:00+00:00"),
                0.0,
                "(202) 555-0143",
                "us",
                tel,
                "U2",
            ),
            (
                3,
                1,
                1,
                seconds_2001("2026-03-01T01:32:00+00:00"),
                61.0,
                "13800138001",
                "cn",
                tel,
                "U3",
            ),
            (
                4,
                1,
                0,
                seconds_2001("2026-03-01T01:33:00+00:00"),
                12.0,
                b"Spam@Example.COM",
                "",
                facetime,
                "U4",
            ),
        ],
    )


def test_incoming_calls_are_read_and_outgoing_skipped(storedata, load_records):
    calls = load_records(storedata, to="+8613800138000")
    assert [c.line for c in calls] == [1, 2, 4]
    first = calls[0]
    assert first.at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert (first.sender, first.duration, first.external_id) == ("+8613900139001", 35, "U1")
    assert first.to == "+8613800138000"


def test_numbers_are_read_in_the_records_own_country(storedata, load_records):
    calls = load_records(storedata, to="+8613800138000")
    assert calls[1].sender == "+12025550143"


def test_unanswered_calls_are_missed_and_facetime_addresses_lowercased(storedata, load_records):
    calls = load_records(storedata, to="+8613800138000")
    assert [c.headers["kind"] for c in calls] == ["incoming", "missed", "incoming"]
    assert calls[2].sender == "spam@example.com"
    assert calls[2].headers["service"] == "com.apple.FaceTime"


def test_the_database_is_opened_read_only_and_left_unchanged(storedata, load_records):
    before = hashlib.sha256(storedata.read_bytes()).hexdigest()
    load_records(storedata, to="+8613800138000")
    assert hashlib.sha256(storedata.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in storedata.parent.iterdir()) == ["CallHistory.storedata"]


def test_a_row_without_a_date_is_rejected_with_its_primary_key(tmp_path, load):
    path = build(tmp_path / "h.storedata", [(7, 1, 0, None, 1.0, "13900139001", "cn", "x", "U")])
    (bad,) = load(path, to="+8613800138000")
    assert isinstance(bad, Rejected) and (bad.line, bad.field) == (7, "ZDATE")


def test_a_file_that_is_not_sqlite_raises_input_error(tmp_path):
    path = tmp_path / "CallHistory.storedata"
    path.write_bytes(b"not a database at all")
    with pytest.raises(InputError, match="not an SQLite database"):
        list(read(path, Format.IOS_CALLS, Options()))


def test_a_corrupt_database_raises_input_error(storedata):
    raw = bytearray(storedata.read_bytes())
    raw[100:4096] = b"\xff" * (4096 - 100)
    storedata.write_bytes(bytes(raw))
    with pytest.raises(InputError):
        list(read(storedata, Format.IOS_CALLS, Options()))


def test_a_database_without_call_records_raises_input_error(tmp_path):
    path = tmp_path / "other.sqlite"
    sqlite3.connect(path).executescript("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
    with pytest.raises(InputError, match="ZCALLRECORD"):
        list(read(path, Format.IOS_CALLS, Options()))


def test_zname_is_the_caller_id_name_and_a_withheld_caller_takes_the_vaults_only_number(tmp_path, vault):
    """iOS keeps the caller ID name it showed in ZNAME; with one number in the vault, a withheld
    caller needs no --to (rows as an iPhone writes them: see tests/data/real/SOURCES.md)."""
    from tracer import contacts

    path = tmp_path / "CallHistory.storedata"
    conn = sqlite3.connect(path)
    conn.executescript(SCHEMA)
    conn.executemany(
        "INSERT INTO ZCALLRECORD (Z_PK, Z_ENT, Z_OPT, ZANSWERED, ZCALLTYPE, ZORIGINATED, ZREAD, ZDATE,"
        " ZDURATION, ZADDRESS, ZISO_COUNTRY_CODE, ZNAME, ZSERVICE_PROVIDER, ZUNIQUE_ID)"
        " VALUES (?, 2, 1, ?, 1, 0, 1, ?, ?, ?, 'cn', ?, 'com.apple.Telephony', ?)",
        [
            (7, 1, seconds_2001("2026-03-01T01:30:00+00:00"), 35.4, "+8613900139001", "贷款中心", "A1"),
            (8, 0, seconds_2001("2026-03-01T02:00:00+00:00"), 0.0, "", None, "A2"),
        ],
    )
    conn.commit()
    conn.close()
    named, withheld = read(path, Format.IOS_CALLS, Options())
    assert (named.sender, named.caller_name, named.line) == ("+8613900139001", "贷款中心", 7)
    assert isinstance(withheld, Rejected) and "--to" in withheld.reason
    result = contacts.import_file(vault, path)
    assert (result.new, result.to) == (2, "+8613800138000")
    frame = contacts.frame(vault)
    assert sorted(frame["caller_name"].dropna()) == ["贷款中心"]


# -- the schemas iOS backups hold (tests/data/real/iphone/*.sql, SOURCES.md) ---------------------

IPHONE = Path(__file__).resolve().parents[1] / "data" / "real" / "iphone"


def test_the_old_call_history_db_reads_received_calls_by_their_flags():
    """call_history.db (iOS 9 schema, built from the schema a backup tool dumped): flags bit 0
    set is a placed call (skipped); `answered` 0 is missed; `name` is the caller ID name; an
    empty address is a withheld caller; FaceTime (flags 16) received is kept."""
    found = list(read(IPHONE / "call_history.db", Format.AUTO, Options(region="US", to="+14155550100")))
    assert all(not isinstance(item, Rejected) for item in found)
    assert [(r.line, r.at, r.sender, r.duration, r.headers["kind"], r.caller_name) for r in found] == [
        (1, datetime(2016, 3, 1, 10, 0, tzinfo=UTC), "+14155551212", 83, "incoming", "Loan Center"),
        (2, datetime(2016, 3, 1, 11, 0, tzinfo=UTC), "+14155550123", 0, "missed", None),
        (4, datetime(2016, 3, 1, 13, 0, tzinfo=UTC), None, 0, "missed", None),
        (5, datetime(2016, 3, 1, 14, 0, tzinfo=UTC), "+442079460123", 300, "incoming", "Survey Team"),
    ]


def test_callhistory_storedata_as_ios_11_declares_it_reads_blob_addresses(tmp_path):
    """ZCALLRECORD exactly as iOS 11's schema declares it (ZADDRESS a BLOB, ZHANDLE_TYPE,
    ZCALL_CATEGORY): the address stored as bytes is read as text."""
    path = tmp_path / "CallHistory.storedata"
    conn = sqlite3.connect(path)
    conn.executescript((IPHONE / "callhistory_storedata_ios11_schema.sql").read_text())
    conn.execute(
        "INSERT INTO ZCALLRECORD (Z_PK, Z_ENT, Z_OPT, ZANSWERED, ZCALL_CATEGORY, ZCALLTYPE, ZHANDLE_TYPE,"
        " ZORIGINATED, ZREAD, ZDATE, ZDURATION, ZISO_COUNTRY_CODE, ZNAME, ZSERVICE_PROVIDER, ZUNIQUE_ID,"
        " ZADDRESS) VALUES (1, 2, 1, 1, 1, 1, 2, 0, 1, ?, 12.5, 'us', 'Loan Center', 'com.apple.Telephony',"
        " 'A1B2', ?)",
        (seconds_2001("2018-01-02T03:04:05+00:00"), b"+14155551212"),
    )
    conn.commit()
    conn.close()
    [call] = list(read(path, Format.AUTO, Options(region="CN", to="+14155550100")))
    assert (call.sender, call.at, call.duration, call.caller_name, call.external_id) == (
        "+14155551212", datetime(2018, 1, 2, 3, 4, 5, tzinfo=UTC), 12, "Loan Center", "A1B2",
    )  # fmt: skip


def test_sms_db_reads_received_messages_and_the_number_that_received_them():
    """sms.db built from iOS 11's schema: sent messages skipped; nanosecond dates; iMessage from
    an address; `destination_caller_id` is the receiving number or address (no --to needed);
    iOS 16+'s empty `text` with the words in `attributedBody`; subject before the text."""
    path = IPHONE / "sms.db"
    found = list(read(path, Format.AUTO, Options(region="US")))
    assert [(r.line, r.at, r.sender, r.to, r.text, r.external_id, r.headers["service"]) for r in found] == [
        (1, datetime(2019, 5, 1, 10, 0, tzinfo=UTC), "+14155551212", "+14155550100",
         "Congratulations! You won a prize, call 4155550123", "G-1", "SMS"),
        (3, datetime(2019, 5, 2, 8, 0, tzinfo=UTC), "promo@example.com", "me@icloud.example",
         "Offer\nExclusive offer for you", "G-3", "iMessage"),
        (4, datetime(2019, 5, 3, 12, 0, tzinfo=UTC), "22395", "+14155550100",
         "Your loan is approved, reply Y", "G-4", "SMS"),
    ]  # fmt: skip
    assert {r.channel for r in found} == {Channel.SMS}
    assert sniff(path) is Format.IOS_MESSAGES  # the import table names it as what it is
    assert sniff(IPHONE / "call_history.db") is Format.IOS_CALLS


def test_sms_db_before_ios_11_counts_seconds_and_takes_to_from_the_option(tmp_path):
    path = tmp_path / "sms.db"
    conn = sqlite3.connect(path)
    conn.executescript(
        "CREATE TABLE handle (ROWID INTEGER PRIMARY KEY, id TEXT);"
        "CREATE TABLE message (ROWID INTEGER PRIMARY KEY, guid TEXT, text TEXT, handle_id INTEGER,"
        " date INTEGER, is_from_me INTEGER);"
    )
    conn.execute("INSERT INTO handle VALUES (1, '+8613912345678')")
    conn.execute("INSERT INTO message VALUES (1, 'G', 'hi', 1, ?, 0)", (int(seconds_2001("2014-01-02T03:04:05+00:00")),))
    conn.execute("INSERT INTO message VALUES (2, 'H', 'no sender', 0, ?, 0)", (int(seconds_2001("2014-01-02T03:04:05+00:00")),))
    conn.commit()
    conn.close()
    first, second = list(read(path, Format.AUTO, Options(region="CN", to="+8613800138000")))
    assert (first.at, first.sender, first.to) == (datetime(2014, 1, 2, 3, 4, 5, tzinfo=UTC), "+8613912345678", "+8613800138000")
    assert (second.sender, second.to) == (None, "+8613800138000")
    rejected = list(read(path, Format.AUTO, Options(region="CN")))[1]
    assert isinstance(rejected, Rejected) and rejected.field == "handle.id"


def test_a_long_attributed_body_has_a_two_byte_length():
    from tracer.ingest.ios_messages import attributed

    words = "x" * 300
    blob = b"\x84\x08NSString\x01\x94\x84\x01+\x81" + len(words).to_bytes(2, "little") + words.encode() + b"\x86"
    assert attributed(blob) == words
