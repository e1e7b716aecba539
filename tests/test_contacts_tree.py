"""`tracer contacts import DIR|ZIP`: every file, format detected per file, one transaction per
file; and the receiving number taken from the vault when the file does not say."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest

from tracer import archives, contacts, pool
from tracer.errors import InputError

REAL = Path(__file__).resolve().parent / "data" / "real"
ME = "+8613800138000"  # the `vault` fixture's own number


@pytest.fixture
def exports(tmp_path: Path) -> Path:
    """A folder of real exports as a user collects them, with a picture and a vCard beside."""
    folder = tmp_path / "exports"
    shutil.copytree(REAL / "cn_carrier", folder / "bills")
    shutil.copytree(REAL / "google_voice", folder / "takeout")
    shutil.copy(REAL / "twilio" / "Calls.csv", folder / "Calls.csv")
    (folder / "takeout" / "Takeout" / "Voice" / "Phones.vcf").write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Me\nEND:VCARD\n")
    (folder / "bills" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(64))
    return folder


def test_a_folder_imports_every_file_in_its_own_format(vault, exports):
    found = archives.import_tree(vault, exports)
    rows = [(r.file, r.format, r.new, r.skipped) for r in found.results]
    assert rows == [
        ("exports/Calls.csv", "csv", 1, 0),
        ("exports/bills/china_mobile_calls.csv", "csv", 3, 2),
        ("exports/bills/china_mobile_sms_201609.csv", "csv", 1, 0),
        ("exports/takeout/Takeout/Voice/Calls", "google-voice", 6, 0),
    ]
    assert sorted(found.unread) == ["exports/bills/photo.jpg", "exports/takeout/Takeout/Voice/Phones.vcf"]
    again = archives.import_tree(vault, exports)
    assert [(r.new, r.known) for r in again.results] == [(0, 1), (0, 3), (0, 2), (0, 6)]
    assert found.results[2].known == 1  # 10086 lists one message twice: the same contact


def test_files_that_do_not_name_the_receiver_take_the_vaults_only_number(vault, exports):
    found = archives.import_tree(vault, exports)
    by_file = {r.file: r.to for r in found.results}
    assert by_file["exports/bills/china_mobile_calls.csv"] == ME
    frame = contacts.frame(vault)
    assert set(frame.loc[frame["channel"] == "call", "to"].dropna()) >= {ME, "+14155551212"}


def test_with_two_numbers_a_bill_asks_for_to(vault):
    pool.add(vault, "+8613900139000")
    with pytest.raises(InputError, match="--to"):
        contacts.import_file(vault, REAL / "cn_carrier" / "china_mobile_calls.csv")


def test_a_takeout_zip_is_unpacked_and_an_error_names_the_page_inside_it(vault, tmp_path):
    archive = tmp_path / "takeout-20260301.zip"
    calls = REAL / "google_voice" / "Takeout" / "Voice" / "Calls"
    with zipfile.ZipFile(archive, "w") as zf:
        for page in sorted(calls.iterdir()):
            zf.write(page, f"Takeout/Voice/Calls/{page.name}")
        bad = (calls / "- Missed - 2011-10-27T22_07_36Z.html").read_text().replace("2011-10-27T18:07:36.000-04:00", "later")
        zf.writestr("Takeout/Voice/Calls/+12025550143 - Missed - 2012-01-01T00_00_00Z.html", bad)
    with pytest.raises(InputError) as caught:
        archives.import_tree(vault, archive)
    where = "takeout-20260301.zip/Takeout/Voice/Calls/+12025550143 - Missed - 2012-01-01T00_00_00Z.html"
    assert caught.value.file == where
    assert str(caught.value).startswith(where + ":")
    assert "tracer-zip" not in str(caught.value)


def test_a_zip_member_pointing_outside_is_refused(vault, tmp_path):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../outside.csv", "at,from\n2026-03-01T00:00:00Z,+8613912345678\n")
    with pytest.raises(InputError, match="outside"):
        archives.import_tree(vault, archive)
    assert not (tmp_path / "outside.csv").exists()


def test_cli_prints_one_summary_table_and_says_where_the_receiver_came_from(run, exports):
    assert run("init", "--phone", ME, "--timezone", "Asia/Shanghai").code == 0
    result = run("contacts", "import", exports)
    assert result.code == 0, result.stderr
    lines = result.stdout.splitlines()
    # file, format, new, known, rejected, skipped
    assert any(line.split()[0].endswith("china_mobile_calls.csv") and line.split()[2:] == ["3", "0", "0", "2"] for line in lines)
    assert "the vault's only number" in result.stderr
    assert "2 files in no format" in result.stderr
    as_json = run("contacts", "import", exports, "--json")
    assert '"known": 3' in as_json.stdout and '"skipped": 2' in as_json.stdout


def test_a_cut_off_backup_imports_its_complete_records_with_skip_bad(vault, tmp_path):
    """A real backup that ends inside its 50th record (sms_and_mms.xml, SOURCES.md): its 27
    complete received messages (21 SMS, 6 MMS) go in, the cut is the one rejected item."""
    cut = REAL / "sms_backup_restore" / "sms_and_mms.xml"
    with pytest.raises(InputError, match="holds 49 complete records") as caught:
        contacts.import_file(vault, cut)
    assert caught.value.line == 136 and contacts.frame(vault).empty
    log = tmp_path / "rejects.txt"
    result = contacts.import_file(vault, cut, skip_bad=log)
    assert (result.new, result.rejected) == (27, 1)
    assert log.read_text().startswith("sms_and_mms.xml:136: field 'xml': not well-formed XML")


def test_caller_name_reaches_the_report_json_csv_and_contacts_show(run, tmp_path):
    """Twilio's CNAM is evidence: report contacts carry caller_name (null when none)."""
    assert run("init", "--phone", ME, "--timezone", "Asia/Shanghai").code == 0
    assert run("canary", "new", "--platform", "StockPro", "--at", "2010-08-01T00:00:00Z").code == 0
    assert run("contacts", "import", REAL / "twilio" / "Calls.csv").code == 0
    assert run("contacts", "import", REAL / "cn_carrier" / "china_mobile_calls.csv").code == 0
    report = run("report", "--format", "json")
    assert report.code == 0, report.stderr
    import json

    by_from = {c["from"]: c["caller_name"] for c in json.loads(report.stdout)["contacts"]}
    assert by_from["+15017122661"] == "Loan Center"
    assert by_from["+8613912345678"] is None
    csv_out = run("report", "--format", "csv")
    assert csv_out.stdout.splitlines()[0].startswith("id,external_id,channel,at,to,from,caller_name,")
    assert "Loan Center" in csv_out.stdout
    page = tmp_path / "report.html"
    assert run("report", "--format", "html", "--out", page).code == 0
    assert "caller ID “Loan Center”" in page.read_text(encoding="utf-8")
    [listed] = [c for c in json.loads(run("contacts", "list", "--json").stdout) if c["caller_name"]]
    shown = run("contacts", "show", listed["id"])
    assert "Loan Center" in shown.stdout and "caller_name" in shown.stdout


def test_a_file_naming_its_receivers_does_not_claim_the_vaults_number(vault):
    result = contacts.import_file(vault, REAL / "twilio" / "Calls.csv")
    assert (result.new, result.to) == (1, None)


def test_attribution_inputs_carry_caller_name(vault):
    from tracer.attribution import inputs

    contacts.import_file(vault, REAL / "twilio" / "Calls.csv")
    contacts.import_file(vault, REAL / "cn_carrier" / "china_mobile_calls.csv")
    frame = inputs.load(vault).contacts
    assert "caller_name" in frame.columns
    assert sorted(frame["caller_name"].dropna()) == ["Loan Center"]
