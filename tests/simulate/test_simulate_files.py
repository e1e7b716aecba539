"""The written files parse with standard tools and follow the contract's layouts."""

from __future__ import annotations

import mailbox
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import UTC, datetime
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

from simulate_readback import read

from tracer.simulate import Contact, load
from tracer.simulate.files import CALL_COLUMNS, _row
from tracer.simulate.mbox import mbox_entry
from tracer.times import parse

ISO_WITH_OFFSET = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def test_calls_csv_has_contract_columns_unique_ids_and_offset_times(zh_world: Path) -> None:
    files = read(zh_world)
    header = (zh_world / "calls.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(CALL_COLUMNS)
    ids = [row["id"] for row in files.calls]
    assert len(ids) == len(set(ids)) and all(re.fullmatch(r"call-\d{6}", i) for i in ids)
    assert all(row["channel"] == "call" for row in files.calls)
    assert all(
        ISO_WITH_OFFSET.match(row["at"]) and row["at"].endswith("+08:00") for row in files.calls
    )
    numbers = {n["e164"] for n in files.world["numbers"]}
    assert {row["to"] for row in files.calls} <= numbers


def test_each_line_has_an_sms_backup_whose_count_matches(zh_world: Path) -> None:
    files = read(zh_world)
    names = files.world["files"]["sms"]
    assert sorted(names.values()) == sorted(n["e164"] for n in files.world["numbers"])
    for name, line in names.items():
        assert name == f"sms-{line[-4:]}.xml"
        text = (zh_world / name).read_text(encoding="utf-8")
        assert text.startswith("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>")
        root = ET.fromstring(text.encode("utf-8"))
        assert root.tag == "smses" and int(root.get("count", "-1")) == len(root.findall("sms"))
        for item in root.iter("sms"):
            assert item.get("type") in ("1", "2") and item.get("date", "").isdigit()


def test_sms_attributes_escape_markup_quotes_and_newlines() -> None:
    body = "a & b < c > \"d\" 'e'\nline 2"
    at = datetime(2026, 1, 5, 1, 2, 3, tzinfo=UTC)
    row = _row("+8613800138000", 1767574923000, 1, body, 0, at, ZoneInfo("Asia/Shanghai"))
    parsed = ET.fromstring(row)
    assert parsed.get("body") == body
    assert parsed.get("readable_date") == "Jan 5, 2026 9:02:03 AM"


def test_mbox_parses_and_every_message_has_ids_dates_and_alias_recipients(zh_world: Path) -> None:
    files = read(zh_world)
    assert files.mail, "a default world receives mail"
    domain = files.world["user"]["email_domain"]
    for message in files.mail:
        assert message["Message-ID"] and message["Date"] and message["From"]
        assert str(message["To"]).split("<")[-1].rstrip(">").endswith("@" + domain)
        assert message.get_content().strip()
    subjects = [str(m["Subject"]) for m in files.mail]
    assert any(re.search(r"[\u4e00-\u9fff]", s) for s in subjects), "Chinese subjects decode"
    raw = (zh_world / "mail.mbox").read_bytes()
    assert re.search(rb"^Subject: =\?(UTF-8|GBK)\?B\?", raw, re.MULTILINE)


def test_mbox_escapes_body_lines_starting_with_from(tmp_path: Path) -> None:
    contact = Contact(
        "email",
        datetime(2026, 1, 5, tzinfo=UTC),
        "komira82@mail.example.org",
        "x@spam.test",
        None,
        "background",
        text="Hello\nFrom the desk of the director\n>From quoted\n",
        subject="Offer",
        key="abc@spam.test",
    )
    path = tmp_path / "one.mbox"
    path.write_bytes(mbox_entry(contact, ZoneInfo("UTC"), "mx.mail.example.org"))
    raw = path.read_bytes()
    assert raw.startswith(b"From x@spam.test Mon Jan  5 00:00:00 2026\n")
    assert b"\n>From the desk" in raw and b"\n>>From quoted" in raw
    messages = list(mailbox.mbox(path, create=False))
    assert len(messages) == 1
    parsed = message_from_bytes(messages[0].as_bytes(), policy=policy.default)
    assert parsed["Message-ID"] == "<abc@spam.test>"
    assert "director" in parsed.get_content()


def test_chinese_headers_are_rfc2047_encoded_words_that_decode(tmp_path: Path) -> None:
    contact = Contact(
        "email",
        datetime(2026, 1, 5, tzinfo=UTC),
        "a@mail.example.org",
        "x@spam.test",
        None,
        "background",
        text="正文" * 40,
        subject="重要通知：您的专属福利已到账，请尽快查看并领取，过期作废",
        sender_name="鑫盈投顾",
        to_name="欧阳建国",
        key="k1@spam.test",
    )
    raw = mbox_entry(contact, ZoneInfo("Asia/Shanghai"), "mx.test")
    head = raw.split(b"\n\n")[0]
    assert head.isascii()
    assert all(len(line) <= 78 for line in head.splitlines() if b"=?" in line)
    parsed = message_from_bytes(raw.split(b"\n", 1)[1], policy=policy.default)
    assert str(parsed["Subject"]) == contact.subject
    assert parsed["From"].addresses[0].display_name == "鑫盈投顾"
    assert parsed["To"].addresses[0].display_name == "欧阳建国"
    assert parsed.get_content() == contact.text
    gbk = replace(contact, key="k2@spam.test")
    assert message_from_bytes(mbox_entry(gbk, ZoneInfo("UTC"), "mx.test"), policy=policy.default)


def test_world_json_describes_user_numbers_signups_and_files(zh_world: Path) -> None:
    doc = read(zh_world).world
    assert doc["version"] == 1 and doc["seed"] == 1
    assert set(doc["user"]) >= {
        "locale",
        "name",
        "phone",
        "email",
        "email_domain",
        "region",
        "timezone",
    }
    assert doc["numbers"][0] == {
        "e164": doc["user"]["phone"],
        "label": "primary",
        "primary": True,
        "control": False,
        "recycled": False,
    }
    assert len(doc["signups"]) == 30
    for signup in doc["signups"]:
        assert signup["at"].endswith("Z")
        assert set(signup) == {
            "platform",
            "category",
            "at",
            "real_name",
            "phone",
            "name",
            "email",
            "markers",
        }


def test_load_reads_back_the_world_signups_and_truth(zh_world: Path) -> None:
    world, signups, truth = load(zh_world)
    doc = read(zh_world).world
    assert world.user.phone == doc["user"]["phone"]
    assert [s.platform for s in signups] == [s["platform"] for s in doc["signups"]]
    assert all(s.at == parse(d["at"]) for s, d in zip(signups, doc["signups"], strict=True))
    assert truth["version"] == 1 and set(truth["platforms"]) == {s.platform for s in signups}
