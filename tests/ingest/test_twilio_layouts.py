"""Twilio's other export layouts (tests/data/real/twilio_layouts, SOURCES.md): the API's Messages
and Calls lists as `.csv`, the console's message-log download, and twilio-cli's TSV output.

Twilio writes UTC (RFC 2822, or ISO 8601 with or without a zone); only `inbound` and
`trunking-originating` rows came in; a withheld caller is logged as ANONYMOUS or as the word typed
on the keypad (+266696687); a Twilio Client caller (`client:alice`) has a name, not a number.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from tests.conftest import create_vault
from tracer.ingest import Format, Options, read
from tracer.ingest.columns import keypad
from tracer.models import Channel, ContactRecord, Rejected

LAYOUTS = Path(__file__).resolve().parents[1] / "data" / "real" / "twilio_layouts"


def records(name: str) -> list[ContactRecord]:
    """A Shanghai vault in the US: Twilio's times must still be read as UTC."""
    items = list(read(LAYOUTS / name, Format.AUTO, Options(region="US", tz="Asia/Shanghai")))
    assert not [i for i in items if isinstance(i, Rejected)]
    return [i for i in items if isinstance(i, ContactRecord)]


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_api_messages_csv_keeps_inbound_and_alphanumeric_senders():
    """`DateSent` in RFC 2822; `outbound-reply` and `outbound-api` skipped; a sender ID kept."""
    found = records("Messages_api.csv")
    assert [(r.channel, r.at, r.sender, r.to, r.text) for r in found] == [
        (Channel.SMS, utc(2010, 8, 13, 1, 16, 24), "+15017122661", "+15558675310",
         "Your account is locked, verify at example.com"),
        (Channel.SMS, utc(2010, 8, 14, 9, 0, 0), "Vet Clinic", "+15558675310", "Reminder: appointment tomorrow"),
    ]  # fmt: skip
    assert found[0].external_id == "SM1f0e8ae6ade43cb3c0ce4525424e404f"


def test_api_calls_csv_reads_withheld_trunk_and_client_callers():
    found = records("Calls_api.csv")
    assert [(r.external_id, r.at, r.sender, r.caller_name, r.duration) for r in found] == [
        ("CA1", utc(2010, 8, 31, 20, 36, 29), None, None, 15),  # +266696687: ANONYMOUS on the keypad
        ("CA2", utc(2023, 3, 7, 10, 0, 1), None, None, 29),  # ANONYMOUS as Twilio now logs it
        ("CA3", utc(2023, 3, 8, 11, 0, 1), "+12025550147", "SUPPORT DESK", 119),  # trunking-originating
        ("CA4", utc(2023, 3, 8, 12, 0, 1), None, "alice", 29),  # client:alice
    ]
    assert {r.to for r in found} == {"+14155551212"}


def test_console_message_download_reads_naive_and_zoned_iso_times_as_twilio_wrote_them():
    found = records("messages_console.csv")
    assert [(r.at, r.external_id) for r in found] == [
        (utc(2021, 2, 10, 21, 14, 13), "SMa1"),  # no zone: UTC, not the vault's Shanghai
        (utc(2021, 2, 11, 16, 0, 0), "SMa3"),  # -08:00 kept
    ]


def test_twilio_cli_tsv_output_with_camel_case_properties():
    [call] = records("calls_twilio_cli.tsv")
    assert (call.at, call.sender, call.caller_name, call.duration) == (
        utc(2023, 3, 9, 10, 0, 0), "+12025550147", "LOAN CENTER", 61,
    )  # fmt: skip


def test_bulkexport_day_file_is_gzip_json_lines():
    """BulkExport: one JSON object per line, gzip, snake_case keys, ISO 8601 UTC; `line` is the
    record's own line in the file."""
    [sms] = records("Messages-2023-03-09.json.gz")
    assert (sms.at, sms.sender, sms.to, sms.text, sms.external_id, sms.line) == (
        utc(2023, 3, 9, 10, 0, 1), "+12025550147", "+14155551212",
        "Your package is waiting, confirm at example.com", "SM1", 1,
    )  # fmt: skip


def test_twilio_cli_json_output_is_a_list_of_records():
    [call] = records("calls_twilio_cli.json")
    assert (call.at, call.sender, call.caller_name, call.duration) == (
        utc(2023, 3, 9, 12, 0, 0), "+12025550147", "LOAN CENTER", 61,
    )  # fmt: skip


def test_api_json_list_page_reads_its_calls():
    """The REST API's JSON page (`{"calls": [...], "next_page_uri": …}`, the API reference's
    example Call): snake_case keys, RFC 2822 times, a nested `subresource_uris`."""
    [call] = records("Calls_api_page.json")
    assert (call.at, call.sender, call.to, call.caller_name, call.external_id) == (
        utc(2010, 8, 31, 20, 36, 29), "+15017122661", "+14155551212", "LOAN CENTER", "CA" + "a" * 32,
    )  # fmt: skip


def test_a_damaged_gzip_file_is_one_clear_error(tmp_path):
    import pytest

    from tracer.errors import InputError

    whole = (LAYOUTS / "Messages-2023-03-09.json.gz").read_bytes()
    path = tmp_path / "cut.json.gz"
    path.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(InputError, match="cut.json.gz"):
        list(read(path, Format.AUTO, Options(region="US")))


def test_keypad_spellings_of_withheld_callers():
    assert [keypad(w) for w in ("anonymous", "restricted", "blocked", "unavailable")] == [
        "266696687", "7378742833", "2562533", "86282452253",
    ]  # fmt: skip


def test_the_keypad_digits_are_withheld_only_in_a_twilio_log(tmp_path):
    """Elsewhere `+2562533` is whatever it is (here: not a possible number, so rejected)."""
    path = tmp_path / "calls.csv"
    path.write_text("at,from,to\n2023-03-01T10:00:00Z,+2562533,+14155551212\n")
    [item] = list(read(path, Format.AUTO, Options(region="US")))
    assert isinstance(item, Rejected) and item.field == "from"


def test_each_twilio_layout_imports_completely_through_the_cli(env, home, runner, tmp_path):
    """Like a judge: a fresh vault in Shanghai, the folder through `tracer contacts import`."""
    create_vault(home).close()
    run = runner(home, tmp_path)
    result = run("contacts", "import", LAYOUTS, "--json")
    assert result.code == 0, result.stderr
    files = {Path(f["file"]).name: (f["new"], f["rejected"]) for f in json.loads(result.stdout)["files"]}
    assert files == {
        "Messages_api.csv": (2, 0),
        "Calls_api.csv": (4, 0),
        "messages_console.csv": (2, 0),
        "calls_twilio_cli.tsv": (1, 0),
        "calls_twilio_cli.json": (1, 0),
        "Messages-2023-03-09.json.gz": (1, 0),
        "Calls_api_page.json": (1, 0),
    }
    listed = json.loads(run("contacts", "list", "--json").stdout)
    assert {c["at"] for c in listed} >= {"2021-02-10T21:14:13Z", "2010-08-31T20:36:29Z"}
    assert {c["caller_name"] for c in listed} >= {"SUPPORT DESK", "LOAN CENTER", "alice"}


def test_a_sip_caller_is_read_as_its_number(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text(
        "Sid,From,To,StartTime,Duration,Direction\n"
        "CA1,sip:+12025550147@trunk.example.sip.twilio.com;transport=udp,+14155551212,2023-03-01T10:00:00Z,5,inbound\n"
        "CA2,sip:alice@example.com,+14155551212,2023-03-01T11:00:00Z,5,inbound\n"
    )
    first, second = list(read(path, Format.AUTO, Options(region="US")))
    assert isinstance(first, ContactRecord) and first.sender == "+12025550147"
    assert isinstance(second, ContactRecord) and second.sender == "sip:alice@example.com"


def test_times_written_with_words_as_a_us_console_shows_them(tmp_path):
    """A month name, AM/PM and a US zone's abbreviation: each read as written (PST is -08:00)."""
    path = tmp_path / "calls.csv"
    path.write_text(
        "Sid,From,To,Start Time,Duration,Direction\n"
        "CA1,+12025550147,+14155551212,2021-02-10 13:14:13 PST,5,inbound\n"
        'CA2,+12025550147,+14155551212,"Feb 10, 2021 1:14:13 PM",5,inbound\n'
        'CA3,+12025550147,+14155551212,"February 10, 2021 at 1:14 PM EST",5,inbound\n'
        "CA4,+12025550147,+14155551212,2021-02-10 12:05:00 AM,5,inbound\n"
    )
    found = [r for r in read(path, Format.AUTO, Options(region="US")) if isinstance(r, ContactRecord)]
    assert [r.at for r in found] == [
        utc(2021, 2, 10, 21, 14, 13), utc(2021, 2, 10, 13, 14, 13), utc(2021, 2, 10, 18, 14), utc(2021, 2, 10, 0, 5),
    ]  # fmt: skip
