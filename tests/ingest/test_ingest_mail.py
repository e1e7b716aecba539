"""Mail: one .eml, or an mbox streamed message by message; MIME and encoded-word decoding."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer.errors import InputError
from tracer.ingest import Format, Options, read
from tracer.ingest.mime import header_text, html_text
from tracer.models import Channel, Rejected

MINIMAL = (
    "From: Ads <ads@example.com>\r\nTo: k7m2qx@mail.example.org\r\n"
    "Subject: hi\r\nMessage-ID: <x@example.com>\r\n"
)


def eml(tmp_path: Path, data: bytes) -> Path:
    path = tmp_path / "m.eml"
    path.write_bytes(data)
    return path


def test_gbk_multipart_mail_decodes_subject_and_base64_plain_body(data, load_records):
    (mail,) = load_records(data / "gbk_multipart.eml")
    assert mail.channel is Channel.EMAIL
    subject, body = mail.text.split("\n", 1)
    assert subject == "【某某证券】您的专属理财顾问已就位"
    assert body.startswith("尊敬的欧阳建国先生：\n您的专属理财顾问已就位")
    assert "JVBERi" not in mail.text and "report.pdf" not in mail.text


def test_mail_parties_ids_and_time_come_from_headers(data, load_records):
    (mail,) = load_records(data / "gbk_multipart.eml")
    assert mail.to == "k7m2qx@mail.example.org"  # Delivered-To wins over To
    assert mail.sender == "service@example-stock.cn"
    assert mail.external_id == "<20260301093000.4f2a@example-stock.cn>"
    assert mail.at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)
    assert mail.line == 1


def test_mail_headers_keep_recipients_received_and_authentication_results(data, load_records):
    (mail,) = load_records(data / "gbk_multipart.eml")
    assert mail.headers["recipients"] == "k7m2qx@mail.example.org,other@example.net"
    received = mail.headers["Received"].split("\n")
    assert len(received) == 2 and received[0].startswith("from mx.example-stock.cn")
    assert "\t" not in mail.headers["Received"]
    assert "dkim=pass" in mail.headers["Authentication-Results"]


def test_html_only_mail_labelled_gb2312_with_gbk_characters_reads_as_text(tmp_path, load_records):
    html = "<html><head><style>p{}</style></head><body><p>朱镕基</p><p>理财&amp;股票</p></body>"
    raw = (
        MINIMAL + 'Date: Sun, 1 Mar 2026 09:30:00 +0800\r\nContent-Type: text/html; charset="gb2312"\r\n\r\n'
    ).encode() + html.encode("gbk")
    (mail,) = load_records(eml(tmp_path, raw))
    assert mail.text == "hi\n朱镕基\n理财&股票"


def test_undecodable_body_bytes_are_replaced_not_fatal(tmp_path, load_records):
    raw = (
        MINIMAL + "Date: Sun, 1 Mar 2026 09:30:00 +0800\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
    ).encode() + b"ok \xff\xfe end"
    (mail,) = load_records(eml(tmp_path, raw))
    assert mail.text.startswith("hi\nok ") and mail.text.endswith(" end")


def test_a_mail_cut_short_inside_a_content_type_parameter_is_read_not_a_crash(tmp_path, load_records):
    # CPython's MIME-parameter parser raises IndexError on `; c*` at the end of the input
    raw = (MINIMAL + "Date: Sun, 1 Mar 2026 09:30:00 +0800\r\nContent-Type: text/html; c*").encode()
    (mail,) = load_records(eml(tmp_path, raw))
    assert mail.external_id == "<x@example.com>" and mail.text == "hi"


def test_unknown_charset_falls_back_to_utf8_or_gb18030(tmp_path, load_records):
    raw = (
        MINIMAL + "Date: Sun, 1 Mar 2026 09:30:00 +0800\r\n"
        "Content-Type: text/plain; charset=x-made-up\r\n\r\n"
    ).encode() + "您好".encode("gb18030")
    (mail,) = load_records(eml(tmp_path, raw))
    assert mail.text == "hi\n您好"


def test_a_charset_label_with_a_nul_in_it_is_an_unknown_charset(tmp_path, load_records):
    # codecs.lookup raises ValueError, not LookupError, on "utf\0-8"; a raw 8-bit subject is
    # decoded with the body's charset as a hint, and that ValueError reached the user as an
    # internal error (the fuzz found it, round 17)
    raw = (
        b"From: Ads <ads@example.com>\r\nTo: k7m2qx@mail.example.org\r\nSubject: "
        + "您好".encode("gb18030")
        + b"\r\nMessage-ID: <x@example.com>\r\nDate: Sun, 1 Mar 2026 09:30:00 +0800\r\n"
        b'Content-Type: text/plain; charset="utf\x00-8"\r\n\r\n'
        + "理财".encode("gb18030")
    )
    (mail,) = load_records(eml(tmp_path, raw))
    assert mail.text == "您好\n理财"


def test_encoded_words_in_gbk_utf8_and_quoted_printable_decode():
    assert header_text("=?GBK?B?xPq6ww==?=") == "您好"
    assert header_text("=?utf-8?q?caf=C3=A9?= =?utf-8?q?_bar?=") == "café bar"
    assert header_text("=?gb2312?B?1uzpRrv5?=") == "朱镕基"  # GBK-only 镕 under a gb2312 label
    assert header_text("plain\r\n folded") == "plain folded"


def test_html_text_drops_scripts_and_keeps_block_breaks():
    assert html_text("<script>x()</script><div>a</div><div>b <b>c</b></div>") == "a\nb c"


def test_missing_date_is_rejected_with_field_date(tmp_path, load):
    (bad,) = load(eml(tmp_path, (MINIMAL + "\r\nbody").encode()))
    assert isinstance(bad, Rejected) and (bad.line, bad.field) == (1, "Date")


def test_unreadable_date_is_rejected_with_field_date(tmp_path, load):
    (bad,) = load(eml(tmp_path, (MINIMAL + "Date: the other day\r\n\r\nbody").encode()))
    assert isinstance(bad, Rejected) and bad.field == "Date"


def test_date_without_zone_is_read_in_the_timezone_option(tmp_path, load_records):
    raw = (MINIMAL + "Date: Sun, 1 Mar 2026 09:30:00\r\n\r\nbody").encode()
    (mail,) = load_records(eml(tmp_path, raw), tz="Asia/Shanghai")
    assert mail.at == datetime(2026, 3, 1, 1, 30, tzinfo=UTC)


def test_mail_without_recipient_headers_uses_the_to_option(tmp_path, load_records):
    raw = b"From: a@example.com\r\nDate: Sun, 1 Mar 2026 09:30:00 +0000\r\n\r\nx"
    (mail,) = load_records(eml(tmp_path, raw), fmt="eml", to="Me@Mail.Example.org")
    assert mail.to == "me@mail.example.org" and "recipients" not in mail.headers


def test_a_file_without_mail_headers_given_as_eml_raises_input_error(tmp_path):
    path = eml(tmp_path, b"\r\njust words, no headers\r\n")
    with pytest.raises(InputError, match="no mail headers"):
        list(read(path, Format.EML, Options()))


def test_mbox_yields_three_messages_with_their_from_line_numbers(data, load_records):
    mails = load_records(data / "three.mbox")
    assert [m.line for m in mails] == [1, 18, 33]
    assert [m.external_id for m in mails] == [
        "<m1@cardeals.example.com>",
        "<m2@loans.example.net>",
        "<m3@travel.example.org>",
    ]


def test_mbox_unescapes_one_level_of_from_quoting(data, load_records):
    first = load_records(data / "three.mbox")[0]
    lines = first.text.split("\n")
    assert "From the desk of our sales manager: you qualify." in lines
    assert ">From here on, quoted twice." in lines


def test_mbox_messages_decode_qp_html_base64_and_x_original_to(data, load_records):
    _, loans, travel = load_records(data / "three.mbox")
    assert loans.to == "q8w3er@mail.example.org" and loans.sender == "loans@loans.example.net"
    assert loans.text == "您的贷款已批准\n欧阳先生，您的贷款已批准\nCall 400-000-0000"
    assert travel.text == "Cheap flights\n你好，特价机票！"
    assert travel.headers["recipients"] == "r2t5yu@mail.example.org,friend@example.net"


def test_a_bad_message_in_an_mbox_is_rejected_and_the_rest_still_read(tmp_path, load):
    good = "From x Sun Mar  1 09:30:00 2026\n" + MINIMAL.replace("\r\n", "\n")
    path = tmp_path / "box.mbox"
    path.write_text(
        good
        + "Date: Sun, 1 Mar 2026 09:30:00 +0800\n\nbody\n\n"
        + good
        + "\nno date\n\n"
        + good
        + "Date: Mon, 2 Mar 2026 09:30:00 +0800\n\nbody\n"
    )
    items = load(path)
    assert [type(i).__name__ for i in items] == ["ContactRecord", "Rejected", "ContactRecord"]
    assert (items[1].line, items[1].field) == (10, "Date")


def test_a_file_that_is_not_an_mbox_given_as_mbox_raises_input_error(data):
    with pytest.raises(InputError, match="not an mbox"):
        list(read(data / "gbk_multipart.eml", Format.MBOX, Options()))
