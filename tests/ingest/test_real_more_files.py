"""More real files (tests/data/real, sources in SOURCES.md): a forensic tool's iOS sms.db, the
attributedBody archives Apple's Messages wrote that an iMessage exporter keeps as test data, and
an old (2011) SMS Backup & Restore SMS and call backup a lifelogging tool tests with. Each is read
through the library and through `tracer contacts import`; a damaged copy of each is refused with
one line naming the file, the line and the field, and nothing is stored."""

from __future__ import annotations

import json
import shutil
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer import contacts
from tracer.errors import InputError
from tracer.ingest import Format, Options, read
from tracer.ingest.ios_messages import attributed
from tracer.ingest.sniff import sniff
from tracer.ingest.tree import units
from tracer.models import Channel, ContactRecord, Rejected

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
MVT_SMS = REAL / "iphone" / "mvt-sms.db"
BODIES = REAL / "iphone" / "attributed_body"
MEMACS_SMS = REAL / "sms_backup_restore" / "memacs-sms.xml"
MEMACS_CALLS = REAL / "android_calls" / "memacs-calls.xml"
MY_AT = "+436600000000"  # the receiving number the tests give (an Austrian mobile)


def records(path: Path, **options: object) -> list[ContactRecord]:
    items = list(read(path, Format.AUTO, Options(**options)))  # type: ignore[arg-type]
    bad = [i for i in items if isinstance(i, Rejected)]
    assert not bad, bad
    return [i for i in items if isinstance(i, ContactRecord)]


def imported(run, path: Path, *args: object) -> dict:
    result = run("contacts", "import", path, "--json", *args)
    assert result.code == 0, result.stderr
    return json.loads(result.stdout)


def refused(run, path: Path) -> str:
    """Import `path` expecting a refusal: exit 1, no stdout, one stderr line; the vault stays empty."""
    result = run("contacts", "import", path)
    assert (result.code, result.stdout) == (1, "")
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "Traceback" not in result.stderr
    listed = run("contacts", "list", "--json")
    assert listed.code == 0 and json.loads(listed.stdout) == []
    return result.stderr


# -- iOS sms.db: mvt's test backup ------------------------------------------------------------------


def test_mvt_sms_db_reads_the_text_from_an_alphanumeric_sender():
    """mvt's sms.db (an iOS 14-era schema): one received message from the sender ID `Apple`,
    its `date` in nanoseconds since 2001, no `destination_caller_id` (so `--to` is the receiver)."""
    assert sniff(MVT_SMS) is Format.IOS_MESSAGES
    [message] = records(MVT_SMS, region="US", to="+12025550100")
    assert (message.channel, message.at, message.sender, message.to, message.text, message.external_id) == (
        Channel.SMS,
        datetime(2019, 8, 29, 23, 13, 30, 539788, tzinfo=UTC),
        "apple",
        "+12025550100",
        "Please click here https://badbadbad.example.org/",
        "FDC6EC94-9D5A-434D-90FA-BF170E10A311",
    )


def test_mvt_sms_db_imports_with_the_vaults_only_number_and_keeps_utc(vault, run):
    """Through the CLI on a Beijing-time vault with one number: stored once, at the database's
    UTC instant (07:13:30 the next morning in Beijing), sender kept as written."""
    vault.close()
    document = imported(run, MVT_SMS)
    assert (document["new"], document["rejected"]) == (1, 0)
    [row] = json.loads(run("contacts", "list", "--json").stdout)
    assert (row["channel"], row["from"], row["to"]) == ("sms", "apple", "+8613800138000")
    assert row["at"].startswith("2019-08-29T23:13:30")
    assert imported(run, MVT_SMS)["known"] == 1  # the guid makes a second import a no-op


def test_a_cut_off_sms_db_is_refused_naming_the_file(run, vault, tmp_path):
    """The real sms.db cut after its third page: one line, naming the file and what to do."""
    vault.close()
    cut = tmp_path / "sms.db"
    cut.write_bytes(MVT_SMS.read_bytes()[: 3 * 4096 + 1000])
    stderr = refused(run, cut)
    assert "sms.db" in stderr and "damaged or cut off" in stderr and "-wal" in stderr


def test_a_mangled_sms_db_is_refused_naming_the_file(run, vault, tmp_path):
    vault.close()
    raw = bytearray(MVT_SMS.read_bytes())
    raw[4096:8192] = b"\xff" * 4096  # a page of the message table overwritten
    mangled = tmp_path / "sms.db"
    mangled.write_bytes(bytes(raw))
    assert "damaged or cut off" in refused(run, mangled)


# -- attributedBody archives Apple's Messages wrote ------------------------------------------------

ARCHIVES = {
    "AttributedBodyTextOnly": "Noter test",
    "AttributedBodyTextOnly2": "Test 3",
    "URL": "https://github.com/ReagentX/Logria",
    "WeirdText": "𝖍𝖊𝖑𝖑𝖔 𝖜𝖔𝖗𝖑𝖉",
    "MultiPart": "test 1\ntest 2\ntest 3",  # three parts, each after an attachment's U+FFFC
    "ExtraData": "This is parsing",  # its length says 157 bytes; the string ends after 17
    "Blank": "",
}


@pytest.mark.parametrize("name", ARCHIVES)
def test_real_attributed_bodies_give_their_words(name):
    blob = (BODIES / name).read_bytes()
    assert "\ufffc" not in ARCHIVES[name]
    words = "\n".join(p.strip() for p in attributed(blob).split("\ufffc") if p.strip())
    assert words == ARCHIVES[name]


def test_an_sms_db_whose_texts_are_only_in_attributed_body_imports_every_word(tmp_path):
    """The real sms.db with the real archives as iOS 16+ stores messages (empty `text`): each
    message's words, attachments' stand-ins dropped, a blob whose length runs past its string cut
    at the string's end, a blank one stored without text."""
    path = tmp_path / "sms.db"
    shutil.copy(MVT_SMS, path)
    conn = sqlite3.connect(path)
    for row, name in enumerate(ARCHIVES, start=10):
        conn.execute(
            "INSERT INTO message (ROWID, guid, text, handle_id, date, is_from_me, attributedBody, service)"
            " VALUES (?, ?, NULL, 1, ?, 0, ?, 'iMessage')",
            (row, f"G-{name}", 700_000_000_000_000_000 + row, (BODIES / name).read_bytes()),
        )
    conn.commit()
    conn.close()
    found = {r.external_id: r.text for r in records(path, region="US", to="+12025550100")}
    assert found == {f"G-{name}": words or None for name, words in ARCHIVES.items()} | {
        "FDC6EC94-9D5A-434D-90FA-BF170E10A311": "Please click here https://badbadbad.example.org/"
    }


def test_a_text_column_with_attachment_stand_ins_keeps_the_words_between_them(tmp_path):
    path = tmp_path / "sms.db"
    shutil.copy(MVT_SMS, path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE message SET text = ?", ("\ufffcLook at this\ufffc and this \ufffc",))
    conn.commit()
    conn.close()
    [message] = records(path, region="US", to="+12025550100")
    assert message.text == "Look at this\nand this"


def test_a_chats_own_notices_in_sms_db_are_no_contacts(tmp_path):
    """Rows iOS writes for a group's events (`item_type` 1 a member added, 2 the group renamed,
    3 its photo changed; no text, often no handle) hold no contact: skipped like sent messages,
    where before each became a message from nobody."""
    path = tmp_path / "sms.db"
    shutil.copy(MVT_SMS, path)
    conn = sqlite3.connect(path)
    for row, (item_type, handle, title) in enumerate([(1, 1, None), (2, 0, "Deals"), (3, 0, None)], start=20):
        conn.execute(
            "INSERT INTO message (ROWID, guid, text, handle_id, date, is_from_me, item_type, group_title)"
            " VALUES (?, ?, NULL, ?, ?, 0, ?, ?)",
            (row, f"N-{row}", handle, 700_000_000_000_000_000 + row, item_type, title),
        )
    conn.commit()
    conn.close()
    [message] = records(path, region="US", to="+12025550100")
    assert message.external_id == "FDC6EC94-9D5A-434D-90FA-BF170E10A311"


# -- SMS Backup & Restore, 2011 (Memacs) ----------------------------------------------------------


def test_an_old_sms_backup_keeps_the_one_received_message():
    """2011's attributes (`toa`, `sc_toa`, no `readable_date` or `contact_name`): the received
    message is kept at its UTC instant; the three sent ones are skipped."""
    [sms] = records(MEMACS_SMS, region="AT", to=MY_AT, tz="Asia/Shanghai")
    assert (sms.channel, sms.at, sms.sender, sms.to, sms.text, sms.caller_name) == (
        Channel.SMS,
        datetime(2011, 8, 4, 10, 5, 53, tzinfo=UTC),
        "+436812314123",
        MY_AT,
        "did you see the new sms memacs module?",
        None,
    )


def test_an_old_call_backup_keeps_received_missed_and_withheld_calls():
    """Type 1 and 3 kept, 2 (outgoing) skipped; the withheld caller (`-1`) is a call from nobody,
    not dropped; epoch milliseconds are UTC whatever the vault's zone."""
    found = records(MEMACS_CALLS, region="AT", to=MY_AT, tz="Asia/Shanghai")
    assert [(r.line, r.sender, r.at, r.duration, r.headers["kind"]) for r in found] == [
        (4, "+43691234123", datetime(2011, 8, 5, 17, 5, 6, 92000, tzinfo=UTC), 59, "incoming"),
        (6, None, datetime(2011, 8, 5, 7, 51, 31, 81000, tzinfo=UTC), 382, "incoming"),
        (7, "+4312341234", datetime(2011, 8, 4, 18, 25, 27, 195000, tzinfo=UTC), 289, "incoming"),
        (8, "+4366412341234", datetime(2011, 8, 4, 16, 45, 34, 59000, tzinfo=UTC), 70, "incoming"),
        (10, "+436612341234", datetime(2011, 8, 4, 15, 21, 40, 72000, tzinfo=UTC), 0, "missed"),
    ]
    assert {r.channel for r in found} == {Channel.CALL} and {r.to for r in found} == {MY_AT}


def test_the_old_backups_import_through_the_cli_with_the_withheld_call(vault, run):
    vault.close()
    assert imported(run, MEMACS_CALLS, "--to", "+8613800138000")["new"] == 5
    assert imported(run, MEMACS_SMS)["new"] == 1  # the vault's only number receives it
    rows = json.loads(run("contacts", "list", "--json").stdout)
    assert sum(r["from"] is None for r in rows) == 1  # the withheld caller
    assert {r["channel"] for r in rows} == {"call", "sms"}


def test_a_cut_off_old_call_backup_is_refused_with_file_line_and_field(vault, run, tmp_path):
    """Cut inside its fourth `<call>`: one line naming the file, the line and the field `xml`, the
    number of complete records before it, and nothing stored; `--skip-bad` imports those."""
    vault.close()
    cut = tmp_path / "calls.xml"
    cut.write_bytes(MEMACS_CALLS.read_bytes()[:400])
    stderr = refused(run, cut)
    assert "calls.xml:7:" in stderr and "'xml'" in stderr and "3 complete records" in stderr
    document = imported(run, cut, "--skip-bad", tmp_path / "bad.txt")
    assert (document["new"], document["rejected"]) == (2, 1)  # the third record is outgoing


def test_a_mangled_date_in_an_old_call_backup_names_its_line_and_field(vault, run, tmp_path):
    vault.close()
    bad = tmp_path / "calls.xml"
    bad.write_text(MEMACS_CALLS.read_text().replace('date="1312482327195"', 'date="13124x"'))
    stderr = refused(run, bad)
    assert "calls.xml:7:" in stderr and "'date'" in stderr


def test_library_import_of_a_cut_backup_raises_and_stores_nothing(vault, tmp_path):
    cut = tmp_path / "sms.xml"
    cut.write_bytes(MEMACS_SMS.read_bytes()[:200])
    with pytest.raises(InputError) as caught:
        contacts.import_file(vault, cut)
    assert (caught.value.line, caught.value.field) == (3, "xml")
    assert contacts.frame(vault).empty


# -- Twilio: pages of the REST API's Calls and SMS lists (2010-2011) ------------------------------

TWILIO = REAL / "twilio_api"


def test_a_real_twilio_calls_page_reads_every_inbound_call_in_utc():
    """The API's own `Calls.json` page (twilio-python's test resource): start_time in RFC 2822
    UTC, whatever the vault's zone; calls made under the 2008 API version read alike."""
    found = records(TWILIO / "Calls.json", region="CN", tz="Asia/Shanghai")
    assert len(found) == 12 and {r.channel for r in found} == {Channel.CALL}
    first = found[0]
    assert (first.at, first.sender, first.to, first.duration, first.external_id) == (
        datetime(2011, 2, 15, 4, 21, tzinfo=UTC), "+14155550193", "+14155550193", 102,
        "CA24388be8ed59a5733d2c1c1c69a83a28",
    )  # fmt: skip
    assert found[3].at == datetime(2011, 2, 7, 18, 37, 20, tzinfo=UTC)  # api_version 2008-08-01
    assert {r.to for r in found} == {"+14155550192", "+14155550193"}


def test_a_real_twilio_sms_page_keeps_inbound_messages_only():
    """The API's `SMS/Messages.json` page: 14 of its 50 messages came in; outbound-api,
    outbound-reply and outbound-call ones are skipped, not rejected."""
    found = records(TWILIO / "SMS-Messages.json", region="CN", tz="Asia/Shanghai")
    assert len(found) == 14 and {r.channel for r in found} == {Channel.SMS}
    assert (found[0].at, found[0].sender, found[0].to, found[0].text) == (
        datetime(2010, 1, 13, 7, 28, 22, tzinfo=UTC), "+14155550190", "+14155550193", "Did you want fish with that?",
    )  # fmt: skip
    assert found[-1].text == "O" and found[-1].sender == "+14155550199"


def test_the_twilio_pages_import_through_the_cli(vault, run):
    vault.close()
    assert imported(run, TWILIO / "Calls.json")["new"] == 12
    assert imported(run, TWILIO / "SMS-Messages.json")["new"] == 14
    assert imported(run, TWILIO / "Calls.json")["known"] == 12  # each Sid once


def test_a_cut_off_twilio_page_names_the_line_column_and_field(vault, run, tmp_path):
    vault.close()
    cut = tmp_path / "Calls.json"
    cut.write_bytes((TWILIO / "Calls.json").read_bytes()[:5000])
    stderr = refused(run, cut)
    assert "Calls.json:1:" in stderr and "'json'" in stderr and "cut off" in stderr and "column" in stderr


def test_a_bad_start_time_in_a_twilio_page_names_its_record_and_field(vault, run, tmp_path):
    vault.close()
    bad = tmp_path / "Calls.json"
    bad.write_text(
        (TWILIO / "Calls.json").read_text().replace("Sun, 13 Feb 2011 02:11:02", "Sun, 13 Feb 2011 02:61:02")
    )
    stderr = refused(run, bad)
    assert "Calls.json:2:" in stderr and "'start_time'" in stderr


def test_json_lines_cut_inside_a_record_name_that_line(tmp_path):
    """One record per line (BulkExport's shape) with the last line cut: line 3, field `json`."""
    path = tmp_path / "Messages.json"
    lines = [
        json.dumps(r) for r in json.loads((TWILIO / "SMS-Messages.json").read_text())["sms_messages"][:3]
    ]
    path.write_text("\n".join([*lines[:2], lines[2][:40]]) + "\n")
    with pytest.raises(InputError) as caught:
        list(read(path, Format.AUTO, Options(region="US")))
    assert (caught.value.line, caught.value.field) == (3, "json")


# -- Thunderbird mbox (Memacs) --------------------------------------------------------------------


def test_a_thunderbird_mbox_entry_without_recipient_or_body_is_one_mail():
    """Thunderbird's `From - Sun Mar 11 14:36:41 2012` envelope (a dash, no sender), a news
    article saved to a folder: no To, no body. One mail from its From, at its Date in UTC, its
    Subject as text; the receiving address is --to."""
    [mail] = records(REAL / "mail" / "memacs-thunderbird.mbox", tz="Asia/Shanghai", to="me@mail.example.org")
    assert (mail.channel, mail.at, mail.sender, mail.to, mail.text, mail.external_id) == (
        Channel.EMAIL, datetime(2012, 2, 20, 11, 27, 50, tzinfo=UTC), "foo.bob@gmail.com",
        "me@mail.example.org", "Re: Thats a Test", "<foo.bob@gmail.com>",
    )  # fmt: skip


# -- Google Voice pages and a 10086 response, cut short ---------------------------------------------

MERGER = REAL / "google_voice_merger" / "Calls"


def takeout_with(tmp_path: Path, page: Path, cut: int) -> Path:
    """A Takeout folder holding `page` cut after `cut` bytes and one whole page beside it."""
    calls = tmp_path / "Takeout" / "Voice" / "Calls"
    calls.mkdir(parents=True)
    (calls / page.name).write_bytes(page.read_bytes()[:cut])
    whole = MERGER / "- Missed - 2011-10-27T22_07_36Z.html"
    shutil.copy(whole, calls / whole.name)
    return tmp_path / "Takeout"


def test_a_cut_off_voicemail_page_is_refused_naming_the_page(vault, run, tmp_path):
    """A real voicemail page cut inside its markup (an unzip that stopped): one line naming the
    page and the field `file`, exit 1, nothing stored, the whole page beside it not stored either."""
    vault.close()
    page = MERGER / "+17015550147 - Voicemail - 2022-03-09T08_01_50Z.html"
    stderr = refused(run, takeout_with(tmp_path, page, 1500))
    assert page.name in stderr and "'file'" in stderr and "cut off" in stderr


def test_a_cut_off_thread_gives_its_whole_messages_then_the_cut(tmp_path):
    """A real thread of three received texts cut inside the third: the first two (each ended
    before the next began), then one Rejected for the page."""
    page = MERGER / "+16055550153 - Text - 2022-03-09T08_13_29Z.html"
    cut = page.read_bytes().index(b"MMS Received")
    items = list(
        read(takeout_with(tmp_path, page, cut), Format.AUTO, Options(region="US", to="+12025550100"))
    )
    texts = [i.text for i in items if isinstance(i, ContactRecord) and i.channel is Channel.SMS]
    assert texts == ["Test", "Test 2"]
    [rejected] = [i for i in items if isinstance(i, Rejected)]
    assert (Path(rejected.file or "").name, rejected.field) == (page.name, "file")
    assert "cut off" in rejected.reason


def test_every_real_takeout_page_is_whole():
    """The rule's premise on the real pages: each one closes its `</html>` (psanford's edited
    missedcall.html too, though a `~` follows it), so none is taken for a cut one."""
    pages = sorted((REAL).glob("google_voice*/**/*.html"))
    assert len(pages) == 60
    assert all(b"</html>" in p.read_bytes()[-64:] for p in pages)


def test_a_cut_off_jsonp_response_names_the_line_and_column_in_the_file(tmp_path):
    """A real 10086 response (JSONP) cut short: the column counts from the file's start, the
    callback included."""
    whole = (REAL / "cn_carrier_layouts" / "10086_sms_anhui.jsonp").read_text(encoding="utf-8")
    path = tmp_path / "10086.jsonp"
    path.write_text(whole[:300], encoding="utf-8")
    with pytest.raises(InputError) as caught:
        list(read(path, Format.AUTO, Options(region="CN")))
    assert (caught.value.line, caught.value.field) == (1, "json")
    column = int(str(caught.value).split("column ")[1].split()[0])
    assert whole[column - 1] == '"' and column > whole.index("(")


# -- iMazing's message exports: the header variants public converters test with -------------------
# Laid out, not real files: each header is one an iMazing converter's tests carry; the rows are
# written here (valid numbers), as the only real export seen was a private person's chat.

IMAZING_VARIANTS = {
    "reactions": "Chat Session,Message Date,Service,Type,Sender ID,Sender Name,Status,Replying to,Subject,Text,Reactions,Attachment,Attachment type",
    "no_edited_date": "Chat Session,Message Date,Delivered Date,Read Date,Service,Type,Sender ID,Sender Name,Status,Replying to,Subject,Text,Attachment,Attachment type",
    "whatsapp": "Chat Session,Message Date,Sent Date,Type,Sender ID,Sender Name,Status,Forwarded,Replying to,Text,Reactions,Attachment,Attachment type,Attachment info",
}


def imazing_row(header: str, **cells: str) -> str:
    names = header.split(",")
    return ",".join(cells.get(name.replace(" ", "_").lower(), "") for name in names)


@pytest.mark.parametrize("variant", IMAZING_VARIANTS)
def test_imazing_message_header_variants_read_incoming_rows(tmp_path, variant):
    header = IMAZING_VARIANTS[variant]
    rows = [
        imazing_row(header, chat_session="Loan Desk", message_date="2023-12-03 13:16:06", type="Incoming",
                    sender_id="+34600000000", sender_name="Loan Desk", text='"Pre-approved loan, reply YES"'),
        imazing_row(header, chat_session="Loan Desk", message_date="2023-12-03 13:20:00", type="Outgoing", text="who is this?"),
    ]  # fmt: skip
    path = tmp_path / "Messages - Loan Desk.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    [message] = records(path, region="ES", tz="Europe/Madrid", to="+34600000001")
    assert (message.channel, message.at, message.sender, message.caller_name, message.text) == (
        Channel.SMS, datetime(2023, 12, 3, 12, 16, 6, tzinfo=UTC), "+34600000000", "Loan Desk", "Pre-approved loan, reply YES",
    )  # fmt: skip


def test_a_whatsapp_chats_notification_rows_are_skipped_not_rejected(vault, run, tmp_path):
    """WhatsApp through iMazing opens every chat with a `Notification` row (the encryption
    notice): no contact, so skipped and counted; before, it was 'not a known direction' and the
    whole chat was refused."""
    vault.close()
    header = IMAZING_VARIANTS["whatsapp"]
    path = tmp_path / "WhatsApp - Loan Desk.csv"
    path.write_text(
        "\n".join([
            header,
            imazing_row(header, chat_session="Loan Desk", message_date="2023-12-03 12:33:30", type="Notification",
                        text="Messages to this chat and calls are now secured with end-to-end encryption"),
            imazing_row(header, chat_session="Loan Desk", message_date="2023-12-03 13:16:06", sent_date="2023-12-03 13:19:15",
                        type="Incoming", sender_id="+34600000000", sender_name="Loan Desk", status="Read",
                        text='"Pre-approved loan,\nreply YES"'),
        ]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    document = imported(run, path, "--to", "+8613800138000")
    assert (document["new"], document["rejected"], document["skipped"]) == (1, 0, 1)
    [row] = json.loads(run("contacts", "list", "--json").stdout)
    assert (row["from"], row["text"]) == ("+34600000000", "Pre-approved loan,\nreply YES")


# -- Google Voice: the account's own number from Takeout's Voice/Phones.vcf -----------------------
# Phones.vcf as Takeout writes it, in the layout several Takeout parsers quote in their tests
# (`item1.TEL` labelled `Google Voice` by `item1.X-ABLabel`, linked phones as `TEL;TYPE=CELL`);
# the numbers here are 555 numbers, not theirs.
PHONES_VCF = (
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\r\nN:;;;;\r\nitem1.TEL:+12025550100\r\n"
    "item1.X-ABLabel:Google Voice\r\nTEL;TYPE=CELL:+12025550111\r\nEND:VCARD\r\n"
)


def voice_folder(tmp_path: Path, *names: str, card: str | None = PHONES_VCF) -> Path:
    calls = tmp_path / "Takeout" / "Voice" / "Calls"
    calls.mkdir(parents=True)
    for name in names:
        shutil.copy(MERGER / name, calls / name)
    if card is not None:
        (calls.parent / "Phones.vcf").write_text(card, encoding="utf-8")
    return tmp_path / "Takeout"


def test_phones_vcf_names_the_number_the_pages_were_received_on(tmp_path):
    """Without --to, every call and text of the Takeout is received on the account's Google
    Voice number (the unknown caller too); the linked cell phone is not it."""
    root = voice_folder(
        tmp_path, "- Missed - 2011-10-27T22_07_36Z.html", "+16055550153 - Text - 2022-03-09T08_13_29Z.html"
    )
    found = records(root, region="US")
    assert {r.to for r in found} == {"+12025550100"} and len(found) == 4
    assert any(r.sender is None for r in found)  # the caller Google did not know, kept
    given = records(root, region="US", to="+12025550199")
    assert {r.to for r in given} == {"+12025550199"}  # --to wins


def test_phones_vcf_from_the_calls_folder_and_through_a_vault_with_two_numbers(vault, run, tmp_path):
    """Given the Calls folder itself, the card beside it still counts; a vault with two numbers
    needs no --to for a withheld caller then."""
    vault.close()
    assert run("numbers", "add", "+12025550100").code == 0
    root = voice_folder(tmp_path, "- Missed - 2011-10-27T22_07_36Z.html")
    document = imported(run, root / "Voice" / "Calls")
    assert [f["new"] for f in document.get("files", [document])] == [1]
    [row] = json.loads(run("contacts", "list", "--json").stdout)
    assert (row["to"], row["from"]) == ("+12025550100", None)


def test_a_card_without_a_google_voice_label_changes_nothing(tmp_path):
    card = "BEGIN:VCARD\r\nVERSION:3.0\r\nTEL;TYPE=CELL:+12025550111\r\nEND:VCARD\r\n"
    root = voice_folder(tmp_path, "+16055550153 - Text - 2022-03-09T08_13_29Z.html", card=card)
    assert {r.to for r in records(root, region="US")} == {None}


def test_a_takeout_zip_with_phones_vcf_needs_no_to_in_a_vault_with_two_numbers(vault, run, tmp_path):
    """The whole archive, as downloaded: the Calls folder is one unit, and the card beside it
    gives the receiving number of the unknown caller's missed call."""
    import zipfile

    vault.close()
    assert run("numbers", "add", "+12025550100").code == 0
    root = voice_folder(tmp_path / "unpacked", "- Missed - 2011-10-27T22_07_36Z.html")
    archive = tmp_path / "takeout-20260301.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for path in sorted(root.rglob("*")):
            out.write(path, Path("Takeout") / path.relative_to(root))
    document = imported(run, archive)
    assert sum(f["new"] for f in document["files"]) == 1
    [row] = json.loads(run("contacts", "list", "--json").stdout)
    assert (row["to"], row["from"]) == ("+12025550100", None)


# -- every real file, damaged anywhere ---------------------------------------------------------------

REAL_EXPORTS = sorted(u.path for u in units(REAL, "real") if u.fmt is not None)
CUTS = (0.1, 0.3, 0.5, 0.7, 0.9, 0.97)


def damaged(data: bytes, fraction: float, splice: bool) -> bytes:
    at = int(len(data) * fraction)
    return data[:at] + b'\x00\xff<"&;,\n' + data[at + 8 :] if splice else data[:at]


@pytest.mark.parametrize("export", REAL_EXPORTS, ids=lambda p: str(p.relative_to(REAL)))
def test_a_real_export_cut_or_spliced_anywhere_never_crashes(tmp_path, export):
    """Each real export (a Takeout folder: its first three pages) cut at six points, or with eight
    bytes overwritten there: records and Rejected items, or one InputError naming the file;
    never another exception (a traceback to the user)."""
    pages = sorted(export.glob("*.html"))[:3] if export.is_dir() else [export]
    for page in pages:
        data = page.read_bytes()
        for fraction in CUTS:
            for splice in (False, True):
                folder = tmp_path / f"{page.stem}-{fraction}-{splice}"
                target = (
                    folder / "Takeout" / "Voice" / "Calls" / page.name
                    if export.is_dir()
                    else folder / page.name
                )
                target.parent.mkdir(parents=True)
                target.write_bytes(damaged(data, fraction, splice))
                given = folder / "Takeout" if export.is_dir() else target
                try:
                    items = list(read(given, Format.AUTO, Options(to="+8613800138000", tz="Asia/Shanghai")))
                except InputError as exc:
                    assert exc.file and Path(exc.file).name in (page.name, "Takeout"), exc
                    continue
                assert all(isinstance(i, ContactRecord | Rejected) for i in items)


# -- Gmail's Takeout mbox: its envelope lines, as Takeout parsers quote them ------------------------
# `From 1654953015393719153@xxx Mon Jan 06 04:49:45 +0000 2020` (a zone before the year) and the
# older `From 1457861861978585811@xxx Tue Jan 21 05:30:14 2014`, then X-GM-THRID and
# X-Gmail-Labels (raw UTF-8) before the message's own headers, lines ending in CRLF. Messages
# written here: no real Takeout mbox is public.


def takeout_message(
    envelope: str, labels: str, sender: str, subject: str, date: str, body: str, mid: str
) -> str:
    return (
        f"{envelope}\r\nX-GM-THRID: 1654835874621973951\r\nX-Gmail-Labels: {labels}\r\n"
        f"Delivered-To: me@mail.example.org\r\nMessage-ID: <{mid}@example.com>\r\nFrom: {sender}\r\n"
        f"To: me@mail.example.org\r\nSubject: {subject}\r\nDate: {date}\r\n"
        f'Content-Type: text/plain; charset="UTF-8"\r\n\r\n{body}\r\n\r\n'
    )


def test_a_gmail_takeout_mbox_splits_on_both_envelope_styles(tmp_path):
    path = tmp_path / "All mail Including Spam and Trash.mbox"
    path.write_bytes(
        (
            takeout_message("From 1654953015393719153@xxx Mon Jan 06 04:49:45 +0000 2020",
                            "Inbox,Important,Opened,Category Forums", "Loans <offers@loans.example.com>",
                            "Pre-approved", "Mon, 06 Jan 2020 04:49:40 +0000",
                            "Reply STOP to end.\r\n>From the desk of the manager", "a1")
            + takeout_message("From 1457861861978585811@xxx Tue Jan 21 05:30:14 2014", "Spam,Category Promotions,已读",
                              "Deals <deals@shop.example.com>", "=?UTF-8?B?5rWL6K+V?=", "Tue, 21 Jan 2014 05:30:10 +0000",
                              "Buy now", "a2")
        ).encode("utf-8")
    )  # fmt: skip
    first, second = records(path, tz="Asia/Shanghai")
    assert (first.line, first.at, first.sender, first.to, first.text) == (
        1, datetime(2020, 1, 6, 4, 49, 40, tzinfo=UTC), "offers@loans.example.com", "me@mail.example.org",
        "Pre-approved\nReply STOP to end.\nFrom the desk of the manager",
    )  # fmt: skip
    assert (second.line, second.sender, second.text, second.external_id) == (
        15,
        "deals@shop.example.com",
        "测试\nBuy now",
        "<a2@example.com>",
    )


def test_an_mms_text_part_starting_with_a_line_break_is_read_without_it(tmp_path):
    """A received MMS as a Windows Phone wrote it into an SMS Backup & Restore file (the record
    Signal's XmlBackup.java quotes, its picture part left out, number made valid): its text part is
    `&#13;&#10;derpy alpaca.`; the text is the words, not a leading CRLF."""
    path = tmp_path / "sms-20140730.xml"
    path.write_text(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n"
        '<mms text_only="0" sub="null" retr_st="null" date="1406695762000" ct_cls="null" sub_cs="null" read="1"'
        ' ct_l="null" tr_id="null" st="null" msg_box="1" address="0491570156" m_cls="personal" d_tm="null"'
        ' read_status="null" ct_t="application/vnd.wap.multipart.related" retr_txt_cs="null" d_rpt="129"'
        ' m_id="mcG91w-iGJVjJh5EIgcp00@mmsc.mdata.net.au" date_sent="0" seen="0" m_type="132" v="18" exp="null"'
        ' pri="129" rr="129" resp_txt="null" rpt_a="null" locked="0" retr_txt="null" resp_st="null" m_size="null"'
        ' readable_date="30 Jul 2014 14:49:22" contact_name="B">\n  <parts>\n'
        '    <part seq="0" ct="text/plain" name="Text_0.txt" chset="106" cd="null" fn="null" cid="&lt;313&gt;"'
        ' cl="Text_0.txt" ctt_s="null" ctt_t="null" text="&#13;&#10;derpy alpaca." />\n  </parts>\n</mms>\n</smses>\n',
        encoding="utf-8",
    )
    [mms] = records(path, region="AU", to="+61491570110")
    assert (mms.sender, mms.text, mms.caller_name, mms.at) == (
        "+61491570156", "derpy alpaca.", "B", datetime(2014, 7, 30, 4, 49, 22, tzinfo=UTC),
    )  # fmt: skip
