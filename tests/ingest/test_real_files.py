"""Real files other apps wrote (tests/data/real, sources in SOURCES.md): each imports completely,
with the right channel, UTC time, direction, numbers, text and caller ID name."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

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


def test_takeout_pages_renamed_by_a_parser_are_known_by_their_title():
    """moshekaplan's test pages are Takeout's XHTML under descriptive names (`Call - Missed with
    name.html`): the page's own <title> says what it is; placed and recorded calls are skipped."""
    found = records(REAL / "google_voice_moshekaplan", region="US", to=GV_ME)
    calls = [(r.headers["kind"], r.sender, r.caller_name) for r in found if r.channel is Channel.CALL]
    assert calls == [
        ("missed", "+11045550100", "Joe Smith"),
        ("missed", "+11015550111", None),
        ("incoming", "+11045550100", "Joe Smith"),
        ("incoming", "+11045550100", None),
        ("voicemail", None, None),
        ("voicemail", "+11025550122", None),
    ]
    assert [r.text for r in found if r.channel is Channel.CALL][4] == "Hello World Goodbye"
    assert sum(r.channel is Channel.SMS for r in found) == 11


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


def test_twilio_console_message_download_reads_sent_date_and_direction(tmp_path):
    """The header of the console's message-log download (named in two public scripts; no real
    file is public): `SentDate`, `Direction` (`outbound-reply` skipped), `Sid`."""
    path = tmp_path / "messages.csv"
    path.write_text(
        "From,To,Body,Status,SentDate,ApiVersion,NumSegments,ErrorCode,AccountSid,Sid,Direction,Price,PriceUnit\n"
        "+15017122661,+15558675310,Hi there,received,2016-08-31T18:31:21Z,2010-04-01,1,,AC1,SM1,inbound,-0.0075,USD\n"
        "+15558675310,+15017122661,Hello,delivered,2016-08-31T18:33:02Z,2010-04-01,1,,AC1,SM2,outbound-reply,-0.0075,USD\n"
    )
    [sms] = records(path, region="US", tz="Asia/Shanghai")
    assert (sms.channel, sms.at, sms.sender, sms.to, sms.external_id) == (
        Channel.SMS, utc(2016, 8, 31, 18, 31, 21), "+15017122661", "+15558675310", "SM1",
    )  # fmt: skip


# -- SMS Backup & Restore: a backup cut off mid-record ---------------------------------------------


def test_a_cut_off_sms_backup_gives_every_complete_message_then_the_damage():
    """sms_and_mms.xml (a real backup, SOURCES.md) ends inside an MMS: every complete received
    SMS and MMS comes first, with the caller ID name, then one Rejected naming the cut."""
    *found, cut = read(REAL / "sms_backup_restore" / "sms_and_mms.xml", Format.AUTO, Options(region="US", to=GV_ME))
    assert len(found) == 27 and all(isinstance(r, ContactRecord) for r in found)
    assert (found[0].sender, found[0].at, found[0].caller_name, found[0].text) == (
        "+15550000001", utc(2017, 12, 2, 14, 49, 27, 463000), "Contact A", "Body text 1",
    )  # fmt: skip
    mms = found[21]
    assert (mms.channel, mms.sender, mms.caller_name, mms.text) == (Channel.SMS, "+15550000006", "Contact D", "Body text 45")
    assert isinstance(cut, Rejected) and (cut.line, cut.field) == (136, "xml")
    assert "holds 49 complete records" in cut.reason


def test_a_whole_sms_backup_keeps_received_messages_only():
    found = records(REAL / "sms_backup_restore" / "sms_small.xml", region="US", to=GV_ME)
    assert [r.text for r in found] == [f"Body text {n}" for n in (1, 2, 3, 4, 6, 8, 9, 13)]
    assert {r.caller_name for r in found} == {"Contact A", "Contact B", "Contact C"}


def test_an_android_call_log_keeps_missed_and_incoming_calls_with_the_caller_name():
    """The SMS Backup & Restore call log a time-tracking product documents (SOURCES.md)."""
    found = records(REAL / "android_calls" / "calls-time-cockpit.xml", region="AT", to="+43660000000")
    assert [(r.sender, r.at, r.duration, r.headers["kind"], r.caller_name) for r in found] == [
        ("+3133221115", utc(2017, 4, 28, 13, 58, 7, 228000), 0, "missed", None),
        ("+43699112233", utc(2017, 5, 2, 11, 39, 3, 465000), 139, "incoming", "Franz"),
    ]


# -- Mail -------------------------------------------------------------------------------------------


def test_spamassassin_sample_spam_twelve_hour_date_is_read_as_pm():
    """`DATE: 21 Jan 01 8:24:27 PM` (no zone): 20:24:27 in the vault's zone, not 08:24:27."""
    [mail] = records(REAL / "mail" / "spamassassin-sample-spam.eml", tz="UTC")
    assert (mail.channel, mail.at) == (Channel.EMAIL, utc(2001, 1, 21, 20, 24, 27))
    assert (mail.sender, mail.to) == ("xl6ety00v@fismat1.fcfm.buap.mx", "dev_null_sample_spam@netnoteinc.com")
    assert mail.text.startswith("Home Based Business for Grownups\n")
    assert "800-320-9895" in mail.text and mail.external_id == "<N1msdrbJXNPfV4wg9>"


SPAMASSASSIN = REAL / "mail" / "spamassassin"


def test_a_utf16_body_under_a_nested_unquoted_boundary_is_read():
    """Outlook Express spam (SpamAssassin's utf16.eml): a quoted multipart/related holds a
    multipart/alternative whose boundary `----=_NextPart…` is unquoted; its UTF-16 text part
    is the body."""
    [mail] = records(SPAMASSASSIN / "utf16.eml")
    assert mail.text.startswith("Design and manufacturing\n")
    assert "Dear potencial partner," in mail.text and "manufacturing in Shenzhen, China." in mail.text


def test_an_unescaped_from_header_inside_an_mbox_message_does_not_split_it():
    """spam-008: `From  :<tst1@example.com>` among the headers is no envelope line (no time,
    no year): the message keeps its DATE and From, one record."""
    [mail] = records(SPAMASSASSIN / "spam-008.mbox", tz="UTC")
    assert (mail.at, mail.sender, mail.to) == (utc(2001, 12, 7, 7, 1, 3), "tst2@example.com", "jenny33436@netscape.net")
    assert mail.text.startswith("via.gra\n") and mail.line == 1


@pytest.mark.parametrize("name", ["spam-015.eml", "spam-016.eml"])
def test_a_header_ended_by_a_space_line_or_by_the_first_delimiter_keeps_the_body(name):
    """spam-015 ends its header with a line holding one space, spam-016 with no blank line at
    all before `----9-274170048-9813316604=:18061`: either way the text/plain part is the body."""
    [mail] = records(SPAMASSASSIN / name)
    assert mail.text.startswith("no r-x req\nGood Day,\n")
    assert "Gotothis: http://xqr.benefitsanditsother.com/?a=552lr" in mail.text


@pytest.mark.parametrize(
    ("name", "subject"),
    [
        ("cjk-big5-base64-1.eml", "[SLAT-talk] 鉅靡6月17日新片又到.如有重複寄發.敬請原諒!"),
        ("cjk-gb2312-1.eml", "全新原装进口，送货上门，货到付款－台湾鑫龙商贸集团公司向您拜年!"),
        ("cjk-iso-2022-jp-1.eml", "MIME text/plain attach with Shift_JIS (CP932)"),
    ],
)
def test_real_chinese_and_japanese_mail_subjects_decode(name, subject):
    """A raw Big5 Subject (no encoded word), a GB2312 one, an ISO-2022-JP one."""
    [mail] = records(SPAMASSASSIN / name)
    assert mail.text.split("\n", 1)[0].startswith(subject)


@pytest.mark.parametrize(("clock", "hour"), [("12:29:13 AM", 0), ("12:29:13 PM", 12), ("1:05 pm", 13)])
def test_twelve_hour_mail_dates(tmp_path, clock, hour):
    path = tmp_path / "m.eml"
    path.write_text(f"From: a@example.com\nTo: b@example.org\nDate: 18 Feb 01 {clock}\nSubject: x\n\nhi\n")
    [mail] = records(path, tz="UTC")
    assert (mail.at.year, mail.at.hour) == (2001, hour)


def outlook_express_mail(subject: bytes, body: str) -> bytes:
    """A message laid out as Outlook Express wrote them: an unquoted boundary with '=' in it, a
    raw 8-bit Subject in the body's charset, and a UTF-16 text part."""
    import base64

    boundary = b"----=_NextPart_000_0007_01C2E1A5.4B1E1C80"
    return (
        b"From: sales@example.com.tw\nTo: user@example.org\nDate: Mon, 3 Mar 2003 10:00:00 +0800\n"
        b"Subject: " + subject + b"\nMIME-Version: 1.0\n"
        b"Content-Type: multipart/alternative; boundary=" + boundary + b"\n\n"
        b"This is a multi-part message in MIME format.\n\n--" + boundary + b"\n"
        b'Content-Type: text/plain; charset="utf-16"\nContent-Transfer-Encoding: base64\n\n'
        + base64.encodebytes(body.encode("utf-16")) + b"\n--" + boundary + b"--\n"
    )


def test_utf16_body_under_an_unquoted_boundary_and_a_raw_big5_subject(tmp_path):
    path = tmp_path / "oe.eml"
    path.write_bytes(outlook_express_mail("貸款優惠，請回電".encode("big5"), "您的帳戶已開通，請撥打 0800-000-123"))
    [mail] = records(path)
    assert mail.text == "貸款優惠，請回電\n您的帳戶已開通，請撥打 0800-000-123"
    assert mail.at == utc(2003, 3, 3, 2, 0, 0)


def test_a_raw_gbk_subject_stays_gbk(tmp_path):
    path = tmp_path / "gb.eml"
    path.write_bytes(outlook_express_mail("贷款优惠，请回电".encode("gbk"), "hi"))
    assert records(path)[0].text.startswith("贷款优惠，请回电\n")


# -- iPhone call logs from desktop tools -------------------------------------------------------------

SE = {"region": "SE", "tz": "Europe/Stockholm", "to": "+46701234567"}


def test_iexplorer_call_log_is_recognised_without_a_map():
    [call] = records(REAL / "iphone" / "iexplorer-calls.csv", **SE)
    assert (call.channel, call.at, call.sender, call.duration) == (
        Channel.CALL, utc(2017, 6, 2, 7, 45, 48), "+46879111111", 103,
    )  # fmt: skip
    assert (call.caller_name, call.line) == ("Bob Smith", 2)


def test_imazing_header_less_call_log_is_recognised_and_lines_are_the_files_own():
    [call] = records(REAL / "iphone" / "imazing-calls.csv", **SE)
    assert (call.at, call.sender, call.duration, call.caller_name, call.line) == (
        utc(2017, 6, 2, 7, 45), "+46879111111", 103, "Bob Smith", 1,
    )  # fmt: skip


def test_imazing_dates_follow_the_region_unless_a_part_is_over_twelve(tmp_path):
    path = tmp_path / "calls.csv"
    path.write_text("Incoming,02/06/17 09:45,00:01:43,+12025550143,\nMissed,06/13/17 9:45 PM,00:00:00,+12025550143,\n")
    first, second = records(path, region="US", tz="UTC", to="+12025550100")
    assert (first.at, second.at) == (utc(2017, 2, 6, 9, 45), utc(2017, 6, 13, 21, 45))
    assert first.caller_name is None


IMAZING_CALLS = "Call type,Date,Duration,Number,Contact,Location,Service\n"
IMAZING_MESSAGES = (
    "Chat Session,Message Date,Delivered Date,Read Date,Edited Date,Service,Type,Sender ID,Sender Name,"
    "Status,Replying to,Subject,Text,Attachment,Attachment type\n"
)


def test_imazing_call_history_with_its_current_header_is_recognised(tmp_path):
    """iMazing's current call export (the header an open-source iMazing converter's test data
    carries; its rows with valid numbers): `Call type` Outgoing skipped, `Contact` kept."""
    path = tmp_path / "Call History - 2025-12-07 07 00 00.csv"
    path.write_text(
        IMAZING_CALLS
        + "Outgoing,2024-03-15 14:30:00,00:02:45,+12025550190,John Doe,United States,Phone: +12025550190\n"
        + "Incoming,2024-03-15 15:45:30,00:01:20,+442079460018,Jane Smith,United Kingdom,Phone: +442079460018\n"
    )
    [call] = records(path, region="US", tz="UTC", to=GV_ME)
    assert (call.channel, call.at, call.sender, call.duration, call.caller_name) == (
        Channel.CALL, utc(2024, 3, 15, 15, 45, 30), "+442079460018", 80, "Jane Smith",
    )  # fmt: skip


def test_imazing_messages_export_reads_incoming_texts_and_sender_ids(tmp_path):
    """iMazing's message export: `Message Date`, `Type` Incoming/Outgoing, `Sender ID` (a number
    or a sender name such as `Bank`), `Text`; outgoing rows are skipped."""
    path = tmp_path / "messages.csv"
    path.write_text(
        IMAZING_MESSAGES
        + "Bank,2024-06-02 09:30:00,,2024-06-02 09:35:00,,SMS,Incoming,Bank,,Read,,,Your account balance is $1234.56,,\n"
        + "+12025550190,2024-06-03 14:15:00,2024-06-03 14:15:05,,,SMS,Outgoing,,,Sent,,,Thanks for the update!,,\n"
        + "+12025550190,2024-06-03 14:20:00,,,,iMessage,Incoming,+12025550190,John Doe,Read,,,Loan offer inside,,\n"
    )
    bank, john = records(path, region="US", tz="UTC", to=GV_ME)
    assert (bank.channel, bank.at, bank.sender, bank.text) == (
        Channel.SMS, utc(2024, 6, 2, 9, 30), "Bank", "Your account balance is $1234.56",
    )  # fmt: skip
    assert (john.sender, john.caller_name, john.text) == ("+12025550190", "John Doe", "Loan offer inside")


def test_twilio_console_export_is_recognised_without_a_preset(tmp_path):
    """A header with `Date` and `Call Sid` is Twilio's, not an iPhone log: the outbound row goes."""
    path = tmp_path / "calls.csv"
    path.write_text(
        "Date,Direction,From,To,Type,Status,Duration,Price,Call Sid\n"
        "2026-03-01 09:30:00,Incoming,+15017122661,+14155551212,Phone,Completed,15,-0.0085,CA1\n"
        "2026-03-01 09:40:00,Outgoing Dial,+14155551212,+15017122661,Phone,Completed,20,-0.013,CA2\n"
    )
    [call] = records(path, region="US", tz="Asia/Shanghai")
    assert (call.at, call.sender, call.external_id) == (utc(2026, 3, 1, 9, 30), "+15017122661", "CA1")


def test_google_voice_spam_folder_is_read_from_the_takeout_root(tmp_path):
    voice = tmp_path / "Takeout" / "Voice"
    calls = REAL / "google_voice" / "Takeout" / "Voice" / "Calls"
    (voice / "Spam").mkdir(parents=True)
    (voice / "Calls").mkdir()
    page = "+17015550147 - Voicemail - 2022-03-09T08_01_50Z.html"
    (voice / "Spam" / page).write_text((calls / page).read_text())
    [spam] = records(tmp_path, region="US", to=GV_ME)
    assert (spam.sender, spam.headers["kind"]) == ("+17015550147", "voicemail")


def test_google_voice_file_name_gives_the_caller_name_when_the_page_has_none(tmp_path):
    calls = tmp_path / "Calls"
    calls.mkdir()
    source = REAL / "google_voice" / "Takeout" / "Voice" / "Calls" / "+17015550147 - Voicemail - 2022-03-09T08_01_50Z.html"
    (calls / "Susie Glow - Voicemail - 2022-03-09T08_01_50Z.html").write_text(source.read_text())
    (calls / "+17015550147 - Missed - 2022-03-10T08_01_50Z.html").write_text(source.read_text())
    numbered, named = records(tmp_path, region="US", to=GV_ME)  # name order: "+1…" before "Susie…"
    assert (numbered.caller_name, named.caller_name) == (None, "Susie Glow")
