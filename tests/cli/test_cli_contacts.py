"""`tracer contacts log|import|list|show|delete`, `report`, `platforms`, `explain` through the
real entry point.

One scenario runs the commands in order on one vault whose canaries were issued (backdated)
before the contacts arrived; each test checks one step.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from tracer import contacts, identities, pool
from tracer.ledger import Ledger
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault

SIGNUP = datetime(2026, 2, 1, 2, 0, tzinfo=UTC)
GOOD = """channel,at,to,from,heard_name,text,id
call,2026-03-01T09:30:00+08:00,{stock},+86 170 1234 5671,{surname}先生,,row-1
sms,2026-03-01 10:00,{stock},17012345672,,内部牛股推荐，回电了解,row-2
,2026-03-02T10:00:00Z,{cars},+8602155501234,,,row-3
email,2026-03-03T10:00:00Z,{alias},offers@autoloans.example.com,,0% financing on your car,row-4
"""
BAD = """channel,at,to,from,heard_name,text,id
call,2026-03-04T09:30:00+08:00,{stock},17012345681,,,bad-1
call,2026-03-04T10:30:00+08:00,{cars},17012345682,,,bad-2
call,next tuesday,{stock},17099998888,,,bad-3
call,2026-03-04T11:30:00+08:00,{stock},17012345683,,,bad-4
"""
CONTACT_KEYS = {"id", "external_id", "channel", "at", "to", "from", "platform", "confidence",
                "candidates", "evidence"}  # fmt: skip
PLATFORM_KEYS = {"platform", "verdict", "confidence", "contacts", "first_contact_at",
                 "days_to_first_contact", "linked_platforms"}  # fmt: skip
EVIDENCE_KINDS = {"identifier", "name", "marker", "timing", "category", "campaign"}


@pytest.fixture(scope="module")
def story(tmp_path_factory, build_vault, runner, me, dump) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("contacts")
    home = build_vault(root / "vault")
    run = runner(home, root)
    with Vault.open(home, me.passphrase) as vault:
        for number in ("13900139001", "13900139002", "13900139003"):
            pool.add(vault, number)
        signups = (("StockPro", "stocks"), ("CarDeals", "cars"), ("FoodieGo", "food"))
        requests = [identities.Request(p, c, SIGNUP) for p, c in signups]
        stock, cars, _ = identities.issue_many(vault, requests, seed=3)
    values = {"stock": stock.phone, "cars": cars.phone, "alias": cars.email,
              "surname": (stock.name or "")[:1]}  # fmt: skip
    (root / "good.csv").write_text(GOOD.format(**values), encoding="utf-8")
    (root / "bad.csv").write_text(BAD.format(**values), encoding="utf-8")
    out: dict[str, Any] = {"home": home, "stock": stock, "cars": cars}
    out["log"] = run("contacts", "log", "--channel", "call", "--at", "2026-03-05T08:00:00+08:00",
                     "--to", "139 0013 9001", "--from", "170-1234-5679", "--heard-name", "杨先生",
                     "--json")  # fmt: skip
    out["import"] = run("contacts", "import", "good.csv", "--json")
    out["reimport"] = run("contacts", "import", "good.csv")
    sent_only = Path(__file__).resolve().parents[1] / "data" / "real" / "cn_carrier_layouts" / "10086_sms_anhui.jsonp"
    out["sent_only"] = run("contacts", "import", str(sent_only), "--to", "13900139001")
    out["dump_before_bad"] = dump(home)
    out["import_bad"] = run("contacts", "import", "bad.csv")
    out["dump_after_bad"] = dump(home)
    out["skip_bad"] = run("contacts", "import", "bad.csv", "--skip-bad", "rejects.txt")
    out["rejects"] = (root / "rejects.txt").read_text(encoding="utf-8")
    with Vault.open(home, me.passphrase) as vault:
        frame = contacts.frame(vault)
    out["ids"] = dict(zip(frame["external_id"].fillna("manual"), frame["id"], strict=True))
    logged = out["ids"]["manual"]
    out["list"], out["show"] = run.many(
        ("contacts", "list", "--json"), ("contacts", "show", logged, "--json")
    )
    out["delete"] = run("contacts", "delete", logged, "--reason", "my dentist")
    with Vault.open(home, me.passphrase) as vault:
        out["ledger"] = [e.content for e in Ledger(vault).entries()]
    out["report"], out["platforms"], out["explain"] = run.many(
        ("report", "--format", "json"),
        ("platforms", "--json"),
        ("explain", out["ids"]["row-1"], "--json"),
    )
    return out


def test_log_json_prints_the_new_contact_id(story, parse_json):
    code, stdout, stderr = story["log"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert doc["new"] is True
    assert doc["id"].startswith("k_")


def test_import_json_counts_every_contract_csv_row_as_new(story, parse_json):
    code, stdout, stderr = story["import"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert (doc["file"], doc["format"]) == ("good.csv", "csv")
    assert (doc["new"], doc["known"], doc["rejected"]) == (4, 0, 0)
    assert len(doc["sha256"]) == 64 and doc["batch_id"].startswith("b_")


def test_reimporting_the_same_file_adds_0_new(story):
    code, stdout, stderr = story["reimport"]
    assert code == 0, stderr
    assert "0 new" in stdout and "4 already known" in stdout


def test_a_file_of_only_sent_messages_says_why_nothing_came_of_it(story):
    code, stdout, stderr = story["sent_only"]  # a real 10086 answer listing four sent messages
    assert code == 0, stderr
    assert "0 new, 0 already known" in stdout
    assert "nothing received in it" in stderr and "messages you sent are not imported" in stderr
    assert "nothing received" not in story["reimport"].stderr  # 4 known: nothing to explain


def test_a_bad_time_on_line_4_exits_1_naming_file_line_and_field(story):
    code, stdout, stderr = story["import_bad"]
    assert code == 1
    assert stdout == ""
    assert "bad.csv:4" in stderr and "field 'at'" in stderr
    assert len(stderr.strip().splitlines()) == 1
    assert "17099998888" not in stderr and "next tuesday" not in stderr


def test_a_rejected_import_leaves_contacts_and_ledger_byte_identical(story):
    assert story["dump_after_bad"] == story["dump_before_bad"]
    assert any(line.startswith('INSERT INTO "contacts"') for line in story["dump_before_bad"])


def test_skip_bad_imports_the_other_rows_and_writes_the_rejects_file(story):
    code, stdout, stderr = story["skip_bad"]
    assert code == 0, stderr
    assert "3 new" in stdout and "1 rejected" in stdout
    assert story["rejects"].splitlines() == [story["rejects"].splitlines()[0]]
    assert story["rejects"].startswith("bad.csv:4: field 'at'")
    assert "bad-3" not in story["rejects"] and "17099998888" not in story["rejects"]


def test_list_json_is_strict_json_with_every_contact(story, parse_json):
    code, stdout, stderr = story["list"]
    assert code == 0, stderr
    docs = parse_json(stdout)  # strict: NaN is not JSON
    assert len(docs) == 8
    assert {d["external_id"] for d in docs} == {
        None,
        "row-1",
        "row-2",
        "row-3",
        "row-4",
        "bad-1",
        "bad-2",
        "bad-4",
    }
    logged = next(d for d in docs if d["external_id"] is None)
    assert logged["text"] is None


def test_show_json_returns_the_logged_contact(story, parse_json):
    code, stdout, stderr = story["show"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert (doc["channel"], doc["at"]) == ("call", "2026-03-05T00:00:00Z")
    assert (doc["to"], doc["from"]) == ("+8613900139001", "+8617012345679")
    assert doc["heard_name"] == "杨先生" and doc["deleted_at"] is None


def test_delete_records_a_ledger_entry_with_the_reason(story):
    code, _, stderr = story["delete"]
    assert code == 0, stderr
    deleted = [e for e in story["ledger"] if e["type"] == "contact.deleted"]
    assert deleted == [{**deleted[0], "contact_id": story["ids"]["manual"], "reason": "my dentist"}]


def test_a_deleted_contact_is_not_in_the_json_report(story, parse_json):
    code, stdout, stderr = story["report"]
    assert code == 0, stderr
    ids = {c["id"] for c in parse_json(stdout)["contacts"]}
    assert story["ids"]["manual"] not in ids
    assert ids == {v for k, v in story["ids"].items() if k != "manual"}


def test_json_report_has_the_contract_keys_and_every_registered_platform(story, parse_json):
    code, stdout, stderr = story["report"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert {"generated_at", "platforms", "contacts", "campaigns"} <= set(doc)
    assert doc["generated_at"].endswith("Z")
    assert {p["platform"] for p in doc["platforms"]} == {"StockPro", "CarDeals", "FoodieGo"}
    for platform in doc["platforms"]:
        assert set(platform) >= PLATFORM_KEYS
        assert platform["verdict"] in {"leaked", "suspected", "no-evidence"}
        assert 0.0 <= platform["confidence"] <= 1.0
        assert isinstance(platform["linked_platforms"], list)
    for contact in doc["contacts"]:
        assert set(contact) >= CONTACT_KEYS
        assert contact["at"].endswith("Z")
        assert contact["platform"] is None or contact["platform"] in {"StockPro", "CarDeals"}
        assert all({"platform", "p"} <= set(c) for c in contact["candidates"])
        assert all(e["kind"] in EVIDENCE_KINDS and e["detail"] for e in contact["evidence"])
    for campaign in doc["campaigns"]:
        assert {"id", "callers", "platforms", "contacts"} <= set(campaign)


def test_platforms_json_lists_every_platform_verdict(story, parse_json):
    code, stdout, stderr = story["platforms"]
    assert code == 0, stderr
    docs = parse_json(stdout)
    assert {p["platform"] for p in docs} == {"StockPro", "CarDeals", "FoodieGo"}
    assert all(set(p) >= PLATFORM_KEYS for p in docs)


def test_explain_json_shows_one_contact_with_its_evidence(story, parse_json):
    code, stdout, stderr = story["explain"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert doc["id"] == story["ids"]["row-1"]
    assert doc["external_id"] == "row-1"
    assert any(e["kind"] == "identifier" for e in doc["evidence"])


def test_report_works_when_every_contact_precedes_every_signup(vault, run, parse_json):
    """Contacts older than every canary (a backup imported on day one) pair with no canary."""
    pool.add(vault, "13900139001")
    identities.issue(vault, identities.Request("StockPro", "stocks"))
    record = ContactRecord(Channel.CALL, datetime(2025, 1, 1, tzinfo=UTC), to="+8613900139001",
                           sender="+8617012345671")  # fmt: skip
    contacts.log(vault, record)
    vault.close()
    code, stdout, stderr = run("report", "--format", "json")
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert [p["platform"] for p in doc["platforms"]] == ["StockPro"]
    assert len(doc["contacts"]) == 1 and doc["contacts"][0]["platform"] is None


def test_a_json_report_written_to_a_file_is_the_one_printed(vault, run, parse_json, tmp_path):
    """`--out` writes the document as UTF-8 bytes (the binary path), the same document stdout gets."""
    pool.add(vault, "13900139001")
    identities.issue(vault, identities.Request("StockPro", "stocks"))
    record = ContactRecord(Channel.SMS, datetime(2026, 6, 1, tzinfo=UTC), to="+8613900139001",
                           sender="+8617012345671", text='欧阳先生，"额度"已批\n回电')  # fmt: skip
    contacts.log(vault, record)
    vault.close()
    code, stdout, stderr = run("report", "--format", "json")
    assert code == 0, stderr
    out = tmp_path / "report.json"
    code, _, stderr = run("report", "--format", "json", "--out", str(out))
    assert code == 0, stderr
    printed, written = parse_json(stdout), parse_json(out.read_text(encoding="utf-8"))
    printed.pop("generated_at"), written.pop("generated_at")
    assert written == printed
    assert written["contacts"][0]["text"] == '欧阳先生，"额度"已批\n回电'


def test_a_call_logged_without_at_arrived_now(vault, run, parse_json):
    """`contacts log` is for the call just taken: left out, `--at` is the moment it was logged,
    so a call right after a signup pairs with that signup's canary."""
    pool.add(vault, "13900139001")
    canary = identities.issue(vault, identities.Request("StockPro", "stocks"))
    vault.close()
    before = datetime.now(UTC)
    code, stdout, stderr = run("contacts", "log", "--to", "13900139001", "--heard-name", "杨先生", "--json")
    after = datetime.now(UTC)
    assert code == 0, stderr
    logged = parse_json(stdout)["id"]
    code, stdout, stderr = run("contacts", "show", logged, "--json")
    assert code == 0, stderr
    at = datetime.fromisoformat(parse_json(stdout)["at"].replace("Z", "+00:00"))
    assert before.replace(microsecond=0) <= at <= after
    assert at >= canary.issued_at
    code, stdout, stderr = run("--lang", "en_US", "explain", logged)
    assert code == 0, stderr
    assert "from an unknown number to +86" in stdout  # no caller ID given


def test_a_call_logged_at_a_clock_time_is_that_time_in_the_vault_s_zone(vault, run, parse_json):
    """`--at 15:30` is the latest 15:30 past, read in the vault's timezone."""
    zone = ZoneInfo(vault.settings.timezone)
    vault.close()
    two_hours_ago = (datetime.now(UTC) - timedelta(hours=2)).astimezone(zone).replace(second=0, microsecond=0)
    code, stdout, stderr = run("contacts", "log", "--at", f"{two_hours_ago:%H:%M}", "--to", "13800138000", "--json")
    assert code == 0, stderr
    code, stdout, stderr = run("contacts", "show", parse_json(stdout)["id"], "--json")
    assert code == 0, stderr
    assert datetime.fromisoformat(parse_json(stdout)["at"].replace("Z", "+00:00")) == two_hours_ago


def test_a_platform_named_with_brackets_is_printed_as_typed(run, filled):
    """Platform names are typed by the user: rich markup in one ("[/]") made `report` and
    `platforms` an internal error; both print it as typed, in the report's table."""
    issued = run("canary", "new", "--platform", "Shop[/]Fast [vip]", "--at", "2026-01-02T08:00:00Z")
    assert issued.code == 0, issued.stderr
    for args in (("report",), ("platforms",)):
        code, stdout, stderr = run(*args)
        assert code == 0, stderr
        assert "Shop[/]Fast [vip]" in stdout
    assert "Times are" in run("platforms").stdout


def test_explain_says_an_unknown_number_received_a_contact_logged_without_one(run, filled):
    run("numbers", "add", "139 0013 9078")  # two numbers: a contact logged without --to has none
    logged = run("contacts", "log", "--channel", "sms", "--from", "+86 139 0013 9079", "--text", "hi")
    assert logged.code == 0, logged.stderr
    contact_id = logged.stdout.split()[-1].rstrip(".")
    code, stdout, stderr = run("--lang", "en_US", "explain", contact_id)
    assert code == 0, stderr
    assert "to an unknown number" in stdout and "?" not in stdout.splitlines()[1]


def test_a_warning_and_a_note_quote_the_users_text_as_typed(run, filled, tmp_path):
    """Warnings and notes quote platforms and paths: "[/x]" in one was a rich MarkupError."""
    issued = run("canary", "new", "--platform", "Deals[/x]", "--at", "2026-01-02T08:00:00Z")
    assert issued.code == 0, issued.stderr
    again = run("canary", "new", "--platform", "More[/x]", "--at", "2026-01-03T08:00:00Z")
    assert again.code == 0 and "Traceback" not in again.stderr and "internal error" not in again.stderr
    out = tmp_path / "[bold]out"  # a path holds no "/" in a name, but a style tag is read as markup
    out.mkdir()
    code, _stdout, stderr = run("report", "--format", "json", "--out", str(out / "r.json"))
    assert code == 0, stderr
    assert "[bold]out" in stderr


def test_an_empty_or_unknown_file_is_one_line_in_the_readers_language(run, filled, tmp_path):
    empty = tmp_path / "bill.csv"
    empty.write_bytes(b"")
    picture = tmp_path / "photo.png"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    said = run("--lang", "en_US", "contacts", "import", str(empty))
    assert said.code == 1 and said.stderr.strip().splitlines() == [f"error: {empty}: the file is empty"]
    said = run("--lang", "zh_CN", "contacts", "import", str(picture))
    assert said.code == 1 and len(said.stderr.strip().splitlines()) == 1
    assert "不是 Leak Tracer 能读取的格式" in said.stderr and "请加 --format" in said.stderr


def test_a_file_name_with_brackets_is_printed_as_written(run, filled, tmp_path):
    """A file named "calls[bold]x.xml", in a folder "phone[red]", was shown as "callsx.xml" and
    "phone/callsx.xml" (read as rich markup), in bold and red."""
    real = Path(__file__).resolve().parents[1] / "data" / "real" / "android_calls" / "memacs-calls.xml"
    folder = tmp_path / "phone[red]"
    folder.mkdir()
    (folder / "calls[bold]x.xml").write_bytes(real.read_bytes())
    code, stdout, stderr = run("contacts", "import", str(folder / "calls[bold]x.xml"), "--to", "+12025550100")
    assert code == 0, stderr
    assert stdout.startswith("calls[bold]x.xml: 5 new") and "[android-calls]" in stdout
    code, stdout, stderr = run("contacts", "import", str(folder), "--to", "+12025550100")
    assert code == 0, stderr
    assert "phone[red]/calls[bold]x.xml" in stdout and "android-calls" in stdout
