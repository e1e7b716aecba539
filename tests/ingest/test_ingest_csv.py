"""CSV import: contract columns, --map, presets, encodings, and row-level rejections."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer.errors import InputError
from tracer.ingest import Format, Options, read
from tracer.ingest.columns import seconds
from tracer.models import Channel, ContactRecord, Rejected

HEADER = "channel,at,to,from,heard_name,text,id\n"


def write(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "c.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_contract_csv_yields_every_column_with_its_physical_line(tmp_path, load_records):
    path = write(
        tmp_path,
        HEADER
        + "call,2026-03-01T09:30:00+08:00,+8613800138000,139 0013 9001,王先生,推荐股票,row-1\n"
        + 'sms,2026-03-01T09:31:00+08:00,13800138000,10690000123,,"hi, there",row-2\n',
    )
    first, second = load_records(path)
    assert first == ContactRecord(
        channel=Channel.CALL,
        at=datetime(2026, 3, 1, 1, 30, tzinfo=UTC),
        to="+8613800138000",
        sender="+8613900139001",
        heard_name="王先生",
        text="推荐股票",
        external_id="row-1",
        line=2,
    )
    assert (second.channel, second.text, second.line) == (Channel.SMS, "hi, there", 3)


def test_only_at_and_one_party_are_required_and_channel_defaults_to_call(tmp_path, load_records):
    path = write(tmp_path, "at,from\n2026-03-01T09:30:00Z,13900139001\n")
    (only,) = load_records(path)
    assert (only.channel, only.to, only.sender, only.text) == (
        Channel.CALL,
        None,
        "+8613900139001",
        None,
    )


def test_to_option_fills_rows_without_a_receiver(tmp_path, load_records):
    path = write(tmp_path, "at,from\n2026-03-01T09:30:00Z,13900139001\n")
    (only,) = load_records(path, to="138 0013 8000")
    assert only.to == "+8613800138000"


@pytest.mark.parametrize(
    "spelling",
    ["2026-03-01 09:30:00", "2026/03/01 09:30", "2026-03-01T09:30", "2026年3月1日 9:30"],
)
def test_naive_time_spellings_are_read_in_the_given_timezone(tmp_path, load_records, spelling):
    path = write(tmp_path, f"at,from\n{spelling},13900139001\n")
    (only,) = load_records(path, tz="Asia/Shanghai")
    assert only.at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)


def test_times_with_offsets_ignore_the_timezone_option(tmp_path, load_records):
    path = write(tmp_path, "at,from\n2026-03-01T09:30:00Z,13900139001\n")
    (only,) = load_records(path, tz="Asia/Shanghai")
    assert only.at == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize("placeholder", ["", "-1", "-2", "Unknown", "anonymous", "PRIVATE"])
def test_withheld_caller_placeholders_become_no_sender(tmp_path, load_records, placeholder):
    path = write(tmp_path, f"at,to,from\n2026-03-01T09:30:00Z,13800138000,{placeholder}\n")
    (only,) = load_records(path)
    assert only.sender is None and only.to == "+8613800138000"


def test_email_parties_are_kept_lowercased(tmp_path, load_records):
    path = write(tmp_path, HEADER + "email,2026-03-01T09:30:00Z,K7M2QX@Mail.Example.org,Ads@X.COM,,,\n")
    (only,) = load_records(path)
    assert (only.channel, only.to, only.sender) == (
        Channel.EMAIL,
        "k7m2qx@mail.example.org",
        "ads@x.com",
    )


def test_sms_sender_ids_that_are_not_numbers_are_kept_as_written(tmp_path, load_records):
    path = write(tmp_path, HEADER + "sms,2026-03-01T09:30:00Z,13800138000,AMAZON,,code 1234,\n")
    (only,) = load_records(path)
    assert only.sender == "AMAZON"


def test_bad_rows_mid_file_yield_rejected_with_line_and_field_and_the_rest_still_parse(tmp_path, load):
    path = write(
        tmp_path,
        HEADER
        + "call,2026-03-01T09:30:00Z,13800138000,13900139001,,,a\n"
        + "call,not a time,13800138000,13900139001,,,b\n"
        + "call,2026-03-01T09:32:00Z,13800138000,12,,,c\n"
        + "call,2026-03-01T09:33:00Z,13800138000\n"
        + "fax,2026-03-01T09:34:00Z,13800138000,13900139001,,,e\n"
        + "call,2026-03-01T09:35:00Z,,,,,f\n"
        + "call,2026-03-01T09:36:00Z,13800138000,13900139001,,,g\n",
    )
    items = load(path)
    bad = [(i.line, i.field) for i in items if isinstance(i, Rejected)]
    assert bad == [(3, "at"), (4, "from"), (5, "row"), (6, "channel"), (7, "to")]
    assert [i.external_id for i in items if isinstance(i, ContactRecord)] == ["a", "g"]


def test_rejected_reasons_never_repeat_the_number_or_row(tmp_path, load):
    path = write(tmp_path, HEADER + "call,2026-03-01T09:30:00Z,13800138000,99999999999999999,,,x\n")
    (bad,) = load(path)
    assert isinstance(bad, Rejected) and bad.field == "from"
    assert "99999" not in bad.reason


def test_rejected_field_is_the_files_own_header_name(tmp_path, load):
    path = write(tmp_path, "When,Caller\nyesterday,13900139001\n")
    (bad,) = load(path, mapping={"at": "When", "from": "Caller"})
    assert (bad.line, bad.field) == (2, "When")


def test_quoted_multiline_text_counts_physical_lines(tmp_path, load_records):
    path = write(
        tmp_path,
        HEADER
        + 'sms,2026-03-01T09:30:00Z,13800138000,13900139001,,"line one\nline two",a\n'
        + "sms,2026-03-01T09:31:00Z,13800138000,13900139001,,next,b\n",
    )
    first, second = load_records(path)
    assert (first.text, first.line, second.line) == ("line one\nline two", 2, 4)


def test_text_longer_than_64_kib_is_rejected(tmp_path, load):
    big = "好" * 22_000  # 66,000 bytes of UTF-8
    path = write(tmp_path, HEADER + f"sms,2026-03-01T09:30:00Z,13800138000,13900139001,,{big},a\n")
    (bad,) = load(path)
    assert isinstance(bad, Rejected) and (bad.line, bad.field) == (2, "text")


def test_blank_and_all_empty_rows_are_skipped_silently(tmp_path, load_records):
    path = write(tmp_path, HEADER + "\n,,,,,,\ncall,2026-03-01T09:30:00Z,,13900139001,,,\n\n")
    (only,) = load_records(path)
    assert only.line == 4


def test_map_names_the_headers_that_fill_our_columns(tmp_path, load_records):
    path = write(tmp_path, "When,Caller,What\n2026-03-01T09:30:00Z,13900139001,hello\n")
    (only,) = load_records(path, mapping={"at": "When", "from": "caller", "text": "What"})
    assert (only.sender, only.text) == ("+8613900139001", "hello")


def test_map_naming_a_header_the_file_lacks_raises_input_error(tmp_path):
    path = write(tmp_path, "at,from,body\n2026-03-01T09:30:00Z,13900139001,x\n")
    with pytest.raises(InputError, match="no column 'Transcript'"):
        list(read(path, Format.CSV, Options(mapping={"text": "Transcript"})))


def test_map_to_an_unknown_column_of_ours_raises_input_error(tmp_path):
    path = write(tmp_path, "at,from\n2026-03-01T09:30:00Z,13900139001\n")
    with pytest.raises(InputError, match="cannot map 'colour'"):
        list(read(path, Format.CSV, Options(mapping={"colour": "x"})))


def test_a_file_without_the_time_header_raises_input_error_naming_it(tmp_path):
    path = write(tmp_path, "when,from\n2026-03-01T09:30:00Z,13900139001\n")
    with pytest.raises(InputError) as caught:
        list(read(path, Format.CSV, Options()))
    assert str(path) in caught.value.message and "'at'" in caught.value.message


def test_a_file_with_neither_to_nor_from_column_raises_input_error(tmp_path):
    path = write(tmp_path, "at,text\n2026-03-01T09:30:00Z,hi\n")
    with pytest.raises(InputError, match="'to' or 'from'"):
        list(read(path, Format.CSV, Options()))


def test_twilio_preset_keeps_inbound_calls_and_skips_outbound_silently(data, load_records):
    calls = load_records(data / "twilio.csv", preset="twilio", region="US")
    assert [c.external_id[:3] for c in calls] == ["CA0", "CA2", "CA4"]
    first, withheld, uk = calls
    assert first.at == datetime(2026, 3, 1, 14, 30, 2, tzinfo=UTC)  # RFC 2822 start_time
    assert (first.to, first.sender, first.duration) == ("+12025550100", "+12025550143", 63)
    assert withheld.sender is None and uk.sender == "+442079460958"


def test_twilio_message_logs_read_as_sms(tmp_path, load_records):
    path = write(
        tmp_path,
        "sid,date_sent,to,from,direction,body\n"
        "SM1,2026-03-01T09:30:00Z,+12025550100,+12025550143,inbound,Win a cruise\n"
        "SM2,2026-03-01T09:31:00Z,+12025550143,+12025550100,outbound-reply,STOP\n",
    )
    (only,) = load_records(path, preset="twilio", region="US")
    assert (only.channel, only.text, only.external_id) == (Channel.SMS, "Win a cruise", "SM1")


def test_unknown_direction_value_is_rejected(tmp_path, load):
    path = write(tmp_path, "at,from,direction\n2026-03-01T09:30:00Z,13900139001,sideways\n")
    (bad,) = load(path)
    assert isinstance(bad, Rejected) and bad.field == "direction"


def test_carrier_bill_preset_reads_gbk_skips_preamble_and_outgoing_calls(data, load_records):
    calls = load_records(
        data / "carrier_bill_gbk.csv", preset="cn-carrier", to="13800138000", tz="Asia/Shanghai"
    )
    assert [c.line for c in calls] == [5, 7, 8, 9]  # line 6 is 主叫 (placed)
    assert [c.duration for c in calls] == [83, 45, 3723, 0]
    assert {c.to for c in calls} == {"+8613800138000"}
    assert calls[1].sender == "+862168880000"
    assert calls[0].at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)


def test_carrier_bill_without_the_own_number_raises_input_error(data):
    with pytest.raises(InputError, match="own number"):
        list(read(data / "carrier_bill_gbk.csv", Format.CSV, Options(preset="cn-carrier")))


def test_unknown_preset_raises_input_error(data):
    with pytest.raises(InputError, match="unknown preset"):
        list(read(data / "twilio.csv", Format.CSV, Options(preset="verizon")))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("83", 83),
        ("45秒", 45),
        ("1分23秒", 83),
        ("1小时2分3秒", 3723),
        ("2分钟", 120),
        ("1:23", 83),
        ("01:02:03", 3723),
        ("1m 23s", 83),
        ("PT22S", 22),
        ("PT1H1M", 3660),
    ],
)
def test_durations_read_seconds_clock_and_chinese_units(text, expected):
    assert seconds(text) == expected


@pytest.mark.parametrize("text", ["", "soon", "分秒", "1:2:3:4", "PT"])
def test_durations_that_are_not_durations_raise_value_error(text):
    with pytest.raises(ValueError):
        seconds(text)


def test_utf16_csv_with_bom_is_detected(data, load_records):
    calls = load_records(data / "utf16.csv", tz="Asia/Shanghai")
    assert [c.heard_name for c in calls] == ["欧阳先生", None]
    assert calls[1].text == "验证码 123456, 请勿泄露"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030", "gbk", "utf-16-le", "utf-16-be"])
def test_encodings_are_detected_without_being_told(tmp_path, load_records, encoding):
    body = HEADER + "sms,2026-03-01T09:30:00Z,13800138000,13900139001,欧阳,您好，欢迎,a\n" * 3
    (path := tmp_path / "e.csv").write_bytes(body.encode(encoding))
    calls = load_records(path)
    assert [c.text for c in calls] == ["您好，欢迎"] * 3


def test_encoding_option_overrides_detection(tmp_path, load_records):
    body = HEADER + "sms,2026-03-01T09:30:00Z,13800138000,13900139001,,Größe,a\n"
    (path := tmp_path / "l.csv").write_bytes(body.encode("latin-1"))
    (only,) = load_records(path, encoding="latin-1")
    assert only.text == "Größe"


def test_unknown_encoding_option_raises_input_error(data):
    with pytest.raises(InputError, match="unknown text encoding"):
        list(read(data / "twilio.csv", Format.CSV, Options(preset="twilio", encoding="base64")))


def test_bytes_undecodable_in_the_detected_encoding_raise_input_error_naming_the_file(tmp_path):
    good = (HEADER + "call,2026-03-01T09:30:00Z,13800138000,13900139001,,ok,a\n" * 3000).encode()
    path = tmp_path / "mixed.csv"
    path.write_bytes(good + b"call,2026-03-01T09:30:00Z,13800138000,13900139001,,\xff\xfe\x80,z\n")
    with pytest.raises(InputError) as caught:
        list(read(path, Format.CSV, Options()))
    assert str(path) in caught.value.message and "--encoding" in caught.value.diagnostics()


def test_tab_and_semicolon_separated_exports_are_read(tmp_path, load_records):
    for sep in ("\t", ";"):
        path = write(tmp_path, f"at{sep}from{sep}text\n2026-03-01T09:30:00Z{sep}13900139001{sep}a,b\n")
        (only,) = load_records(path)
        assert only.text == "a,b"


def test_headers_match_case_and_spacing_insensitively(tmp_path, load_records):
    path = write(tmp_path, "\ufeffAt, From ,Heard Name\n2026-03-01T09:30:00Z,13900139001,Mr Ouyang\n")
    (only,) = load_records(path)
    assert only.heard_name == "Mr Ouyang"


def test_trailing_empty_cells_beyond_the_header_are_tolerated(tmp_path, load_records):
    path = write(tmp_path, "at,from\n2026-03-01T09:30:00Z,13900139001,,\n")
    assert len(load_records(path)) == 1


def test_progress_reports_growing_byte_counts_up_to_the_file_size(tmp_path):
    rows = "".join(f"call,2026-03-01T09:30:00Z,13800138000,13900139001,,,r{i}\n" for i in range(9000))
    path = write(tmp_path, HEADER + rows)
    seen: list[int] = []
    items = list(read(path, Format.CSV, Options(), on_progress=seen.append))
    assert len(items) == 9000
    assert seen == sorted(seen) and len(seen) >= 3 and seen[-1] == path.stat().st_size
