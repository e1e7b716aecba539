"""Android "SMS Backup & Restore" XML: calls, SMS and MMS, dual SIM, and refused XML."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer.errors import InputError
from tracer.ingest import Format, Options, read
from tracer.ingest.xmlstream import CharRefs
from tracer.models import Channel, ContactRecord, Rejected

SIMS = {"1": "+8613800138000", "2": "+8613800138002"}


def calls_file(tmp_path: Path, *calls: str, root: str = "calls") -> Path:
    path = tmp_path / "calls.xml"
    body = "\n".join(f"  <call {c} />" for c in calls)
    path.write_text(
        f"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<{root}>\n{body}\n</{root}>\n"
    )
    return path


def test_every_received_call_type_is_kept_and_outgoing_is_skipped(data, load_records):
    calls = load_records(data / "calls.xml", sim_map=SIMS)
    kinds = [c.headers["kind"] for c in calls]
    assert kinds == [
        "incoming",
        "missed",
        "voicemail",
        "rejected",
        "blocked",
        "missed",
        "incoming",
        "answered-elsewhere",
    ]
    assert all(c.channel is Channel.CALL for c in calls)
    assert "+8613800138000" not in {c.sender for c in calls}  # the outgoing call's callee


def test_call_fields_are_read_from_attributes(data, load_records):
    first = load_records(data / "calls.xml", sim_map=SIMS)[0]
    assert first.at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert (first.sender, first.duration, first.to) == ("+8613900139001", 35, "+8613800138000")


def test_records_carry_the_line_their_element_starts_on(data, load_records):
    calls = load_records(data / "calls.xml", sim_map=SIMS)
    assert [c.line for c in calls] == [5, 6, 8, 9, 10, 11, 12, 13]


def test_withheld_numbers_and_restricted_presentation_give_no_sender(data, load_records):
    calls = load_records(data / "calls.xml", sim_map=SIMS)
    assert [c.sender for c in calls[5:7]] == [None, None]


def test_dual_sim_calls_are_attributed_to_the_mapped_number_else_to_option(data, load_records):
    calls = load_records(data / "calls.xml", sim_map={"2": "138 0013 8002"}, to="+8613800138000")
    assert [c.to for c in calls] == [
        "+8613800138000",
        "+8613800138002",
        "+8613800138000",
        "+8613800138002",
        "+8613800138000",
        "+8613800138000",
        "+8613800138002",
        "+8613800138000",
    ]


def test_surrogate_pair_character_references_decode_as_emoji(data, load_records):
    calls = load_records(data / "calls.xml", sim_map=SIMS)
    assert calls[3].headers["contact_name"] == "骚扰电话 😠"


def test_unknown_call_type_and_bad_date_are_rejected_with_line_and_field(tmp_path, load):
    path = calls_file(
        tmp_path,
        'number="13900139001" date="1772328600000" type="9"',
        'number="13900139001" date="yesterday" type="1"',
        'number="13900139001" date="1772328600000" type="1" duration="-4"',
        'number="12" date="1772328600000" type="1"',
        'number="13900139001" date="1772328600000" type="1"',
    )
    items = load(path, to="+8613800138000")
    bad = [(i.line, i.field) for i in items if isinstance(i, Rejected)]
    assert bad == [(3, "type"), (4, "date"), (5, "duration"), (6, "number")]
    assert len(items) == 5


def test_withheld_call_without_a_receiving_number_is_rejected(tmp_path, load):
    path = calls_file(tmp_path, 'number="-1" date="1772328600000" type="3" presentation="2"')
    (bad,) = load(path)
    assert isinstance(bad, Rejected) and "--to" in bad.reason


def test_billion_laughs_is_refused_with_input_error(data):
    with pytest.raises(InputError, match="DTD or entities"):
        list(read(data / "billion_laughs.xml", Format.ANDROID_CALLS, Options()))


def test_external_entities_are_refused(tmp_path):
    path = tmp_path / "xxe.xml"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE calls [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        '<calls><call number="&x;" date="1" type="1"/></calls>\n'
    )
    with pytest.raises(InputError, match="refused"):
        list(read(path, Format.ANDROID_CALLS, Options()))


def test_a_messages_file_given_as_calls_raises_input_error(data):
    with pytest.raises(InputError, match="not <calls>"):
        list(read(data / "sms.xml", Format.ANDROID_CALLS, Options()))


def test_truncated_xml_yields_what_was_complete_then_a_rejected_xml_with_the_line(tmp_path, data):
    """A cut-off backup keeps its complete records; the cut is one Rejected saying how many."""
    text = (data / "calls.xml").read_text()
    path = tmp_path / "cut.xml"
    path.write_text(text[: text.index("<call", text.index('type="4"'))] + "<call number=")
    *items, cut = read(path, Format.ANDROID_CALLS, Options(to="+8613800138000"))
    assert len(items) == 3 and all(isinstance(i, ContactRecord) for i in items)
    assert isinstance(cut, Rejected) and (cut.line, cut.field) == (9, "xml")
    assert "not well-formed" in cut.reason and "holds 4 complete records" in cut.reason


def test_received_sms_only_with_sender_ids_kept_and_body_as_text(data, load_records):
    messages = load_records(data / "sms.xml", sim_map=SIMS)
    first, second = messages[:2]
    assert (first.sender, first.to) == ("1069012345678", "+8613800138000")
    assert first.text.startswith("【某某证券】尊敬的欧阳先生")
    assert (second.sender, second.to) == ("JD", "+8613800138002")
    assert second.text == "Your order shipped 😀 reply TD to stop"
    assert all(m.channel is Channel.SMS for m in messages)


def test_mms_sender_is_addr_137_and_text_is_its_plain_parts(data, load_records):
    mms = load_records(data / "sms.xml", sim_map=SIMS)[2]
    assert mms.sender == "+8613900139006"
    assert mms.text == "欧阳建国您好，恭喜获得新车购置补贴\n详询 400-000-0000"
    assert mms.headers["recipients"] == "+8613800138002"
    assert mms.at == datetime(2026, 3, 3, 12, 0, tzinfo=UTC)


def test_sent_mms_is_skipped_and_group_mms_goes_to_the_users_own_recipient(data, load_records):
    messages = load_records(data / "sms.xml", to="+8613800138002")
    assert len(messages) == 4
    group = messages[3]
    assert group.sender == "+8613900139007"
    assert group.to == "+8613800138002"
    assert group.headers["recipients"] == "+8613800138002,+8613900139008"
    assert group.text == "抽奖\n群发：您已中奖"


def test_sms_body_over_64_kib_is_rejected(tmp_path, load):
    path = tmp_path / "big.xml"
    body = "广告" * 12_000
    path.write_text(f'<smses><sms address="10690000" date="1772328600000" type="1" body="{body}"/></smses>')
    (bad,) = load(path, to="+8613800138000")
    assert isinstance(bad, Rejected) and bad.field == "body"


def test_thousands_of_records_stream_through(tmp_path, load):
    calls = [f'number="1390013{i:04d}" date="{1772328600000 + i}" type="1"' for i in range(5000)]
    path = calls_file(tmp_path, *calls)
    items = load(path, to="+8613800138000")
    assert len(items) == 5000 and items[-1].line == 5002


@pytest.mark.parametrize("size", [1, 2, 3, 7, 16, 17, 33, 16384])
def test_character_references_are_rewritten_the_same_whatever_the_read_size(size):
    unit = b"x &#55357;&#56832; &amp; &#xD83D;&#xDE00;z&#1;&#55357;a&#56832;&#xdbff;&#xdfff; "
    expected = b"x &#x1F600; &amp; &#x1F600;z&#xFFFD;&#xFFFD;a&#xFFFD;&#x10FFFF; "
    reader = CharRefs(io.BytesIO(unit * 300))
    out = b"".join(iter(lambda: reader.read(size), b""))
    assert out == expected * 300


def test_emoji_spanning_read_chunks_in_a_large_backup_parse(tmp_path, load):
    calls = [
        f'number="1390013{i:04d}" date="1772328600000" type="1" contact_name="x &#55357;&#56832;"'
        for i in range(3000)
    ]
    items = load(calls_file(tmp_path, *calls), to="+8613800138000")
    assert len(items) == 3000 and {i.headers["contact_name"] for i in items} == {"x 😀"}


def test_an_xml_declaration_with_an_unknown_encoding_raises_input_error(tmp_path):
    path = tmp_path / "calls.xml"
    path.write_bytes(b"<?xml version='1.0' encoding='a' standalone='yes'?><calls></calls>")
    with pytest.raises(InputError, match="unknown text encoding"):
        list(read(path, Format.ANDROID_CALLS, Options(to="+8613800138000")))
