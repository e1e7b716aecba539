"""Real files other apps wrote (tests/data/real, sources in SOURCES.md): each imports completely,
with the right channel, UTC time, direction, numbers, text and caller ID name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer.errors import InputError
from tracer.ingest import Format, Options, read
from tracer.models import Channel, ContactRecord, Rejected

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
GV_ME = "+12025550100"


def records(path: Path, fmt: str = "auto", **options: object) -> list[ContactRecord]:
    items = list(read(path, Format(fmt), Options(**options)))  # type: ignore[arg-type]
    bad = [i for i in items if isinstance(i, Rejected)]
    assert not bad, bad
    return [i for i in items if isinstance(i, ContactRecord)]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


# -- Google Voice (Takeout) ------------------------------------------------------------------------


def test_google_voice_unknown_callers_are_calls_not_threads():
    """` - Missed - …` and ` - Received - …` pages (no contact in the name) are received calls."""
    found = records(REAL / "google_voice", region="US", to=GV_ME)
    calls = [(r.at, r.sender, r.headers["kind"], r.duration) for r in found if r.channel is Channel.CALL]
    assert calls == [
        (utc(2022, 3, 9, 8, 1, 50, 940000), "+17015550147", "voicemail", 22),
        (utc(2011, 10, 27, 22, 7, 36), None, "missed", None),
        (utc(2011, 11, 7, 0, 7, 43), None, "incoming", 14),
        (utc(2021, 3, 31, 20, 32, 17), "174074978", "missed", None),
    ]
    texts = [(r.sender, r.text) for r in found if r.channel is Channel.SMS]
    assert texts == [("+17015550147", "Testing 1"), ("+17015550147", "MMS Received")]
    assert {r.to for r in found} == {GV_ME}


def test_google_voice_page_error_names_the_page_file(tmp_path):
    calls = tmp_path / "Calls"
    calls.mkdir()
    source = REAL / "google_voice" / "Takeout" / "Voice" / "Calls" / "- Missed - 2011-10-27T22_07_36Z.html"
    page = calls / "+12025550143 - Missed - 2011-10-27T22_07_36Z.html"
    page.write_text(source.read_text().replace('title="2011-10-27T18:07:36.000-04:00"', 'title="soon"'))
    [bad] = list(read(tmp_path, Format.AUTO, Options(region="US", to=GV_ME)))
    assert isinstance(bad, Rejected)
    assert (bad.file, bad.field) == ("Calls/" + page.name, "published")


def test_google_voice_caller_id_name_is_kept(tmp_path):
    """The `span.fn` inside the caller's `a.tel` is the caller ID name (a saved contact)."""
    calls = tmp_path / "Calls"
    calls.mkdir()
    source = REAL / "google_voice" / "Takeout" / "Voice" / "Calls" / "+17015550147 - Voicemail - 2022-03-09T08_01_50Z.html"
    named = source.read_text().replace('<span class="fn"></span></a>', '<span class="fn">Susie Glow</span></a>')
    (calls / "Susie Glow - Voicemail - 2022-03-09T08_01_50Z.html").write_text(named)
    [record] = records(tmp_path, region="US", to=GV_ME)
    assert (record.sender, record.caller_name) == ("+17015550147", "Susie Glow")


# -- Twilio ---------------------------------------------------------------------------------------


def test_twilio_api_calls_csv_reads_start_time_direction_and_cnam():
    """`StartTime` (no separator), `Direction` outbound-api skipped, `CallerName` kept."""
    [call] = records(REAL / "twilio" / "Calls.csv", region="US", tz="Asia/Shanghai", preset="twilio")
    assert (call.channel, call.at, call.sender, call.to) == (
        Channel.CALL, utc(2010, 8, 31, 20, 36, 29), "+15017122661", "+14155551212",
    )  # fmt: skip
    assert (call.duration, call.external_id, call.caller_name) == (15, "CA" + "a" * 32, "Loan Center")


def test_twilio_messages_flags_give_the_direction_and_naive_times_are_utc():
    """`Flags` `[outbound]` is a sent message (skipped); `Date Sent` without offset is UTC."""
    [sms] = records(REAL / "twilio" / "Messages.csv", region="US", tz="Asia/Shanghai", preset="twilio")
    assert (sms.channel, sms.at, sms.sender, sms.to, sms.text) == (
        Channel.SMS, utc(2016, 8, 31, 18, 31, 21), "+15017122661", "+15558675310", "Hi there",
    )  # fmt: skip


# -- SMS Backup & Restore: a backup cut off mid-record ---------------------------------------------


def test_a_cut_off_sms_backup_gives_every_complete_message_then_the_damage():
    *found, cut = read(REAL / "sms_backup_restore" / "sms-cut.xml", Format.AUTO, Options(region="US", to=GV_ME))
    assert [(r.sender, r.at, r.caller_name) for r in found] == [
        ("31279", utc(2020, 2, 2, 16, 18, 31, 489000), None),
        ("+15551234567", utc(2025, 1, 1, 0, 1, 40), "Mom"),
        ("31279", utc(2020, 2, 7, 16, 18, 36, 254000), None),
    ]
    assert found[0].text.startswith("Today's beach condition in South Walton is: Yellow Flags")
    assert isinstance(cut, Rejected) and (cut.line, cut.field) == (9, "xml")
    assert "holds 4 complete records" in cut.reason
