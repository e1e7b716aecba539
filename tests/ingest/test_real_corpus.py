"""Every real export in tests/data/real (written by the apps themselves; SOURCES.md) through
`tracer contacts import` on a fresh vault: new + known + rejected must equal the received
records the file holds, counted here without the importers (XML elements, pages and their
messages, CSV rows, one mail per SpamAssassin sample, the received records of a carrier's JSON
response), and every rejected item is the one expected, for the reason expected.

This is the measure docs/formats.md quotes ("N of M real files import completely"):
    .venv/bin/pytest tests/ingest/test_real_corpus.py -q -p no:randomly
Reconstructed fixtures (Twilio CSV logs, carrier bills, iOS call histories; SOURCES.md says why) are
not in it.
"""

from __future__ import annotations

import csv
import json
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)
_MESSAGE = re.compile(r'<div class="message">(.*?)</div>', re.DOTALL)
RECEIVED_CALL_PAGES = ("Missed call", "Received call", "Voicemail")


def google_voice_page(page: Path) -> int:
    """A call page is one record when the call came in; a text page holds one per message
    that is not the user's own ("Me")."""
    text = page.read_text(encoding="utf-8")
    title = (_TITLE.search(text) or ["", ""])[1].strip()
    if title.startswith(RECEIVED_CALL_PAGES):
        return 1
    if title.startswith("Placed call"):
        return 0
    return sum(">Me</abbr>" not in m for m in _MESSAGE.findall(text))


def google_voice(folder: Path) -> int:
    return sum(google_voice_page(p) for p in folder.rglob("*.html"))


def sms_backup(path: Path) -> int:
    """Received `<sms type="1">` and whole `<mms msg_box="1">…</mms>` elements."""
    text = path.read_text(encoding="utf-8")
    sms = re.findall(r"<sms [^>]*/>", text)
    mms = re.findall(r"<mms [^>]*>.*?</mms>", text, re.DOTALL)
    return sum(' type="1"' in s for s in sms) + sum(' msg_box="1"' in m.split(">", 1)[0] for m in mms)


def call_backup(path: Path) -> int:
    """`<call>` elements of any type but 2 (outgoing)."""
    return sum(' type="2"' not in c for c in re.findall(r"<call [^>]*/>", path.read_text(encoding="utf-8")))


def call_rows(path: Path) -> int:
    """CSV rows whose call type (iExplorer's column, iMazing's first field) is not outgoing."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    if rows[0][0] == "Contact":
        kind = rows[0].index("Call Type")
        return sum(row[kind] != "Outgoing" for row in rows[1:])
    return sum(row[0] != "Outgoing" for row in rows)


def carrier_response(path: Path) -> int:
    """A 10086 detail-list response (JSONP): the records whose `commMode` says received."""
    text = path.read_text(encoding="utf-8")
    document = json.loads(text[text.index("(") + 1 : text.rindex(")")])
    return sum(record["commMode"] in ("接受", "接收", "被叫") for record in document["data"])


def inbound_records(path: Path) -> int:
    """A page of Twilio's REST API: the records of its list whose `direction` is `inbound`."""
    document = json.loads(path.read_text(encoding="utf-8"))
    [listed] = [v for v in document.values() if isinstance(v, list)]
    return sum(record["direction"] == "inbound" for record in listed)


def received_messages(path: Path) -> int:
    """An iOS sms.db: its `message` rows not sent from the phone, counted with SQL."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM message WHERE NOT is_from_me").fetchone()[0])
    finally:
        conn.close()


def one_mail(path: Path) -> int:
    """The SpamAssassin corpus stores one message per file."""
    return 1


@dataclass(frozen=True)
class Case:
    path: str
    count: Callable[[Path], int]
    rejected: dict[str, str] = field(default_factory=dict)  # file -> what the reason says
    args: tuple[str, ...] = ()
    damage: int = 0  # rejected items that are a cut or a damaged stretch, not a record


CASES = [
    Case("google_voice", google_voice),
    Case("google_voice_merger", google_voice),
    Case("google_voice_moshekaplan", google_voice),
    Case("google_voice_psanford", google_voice),
    Case("sms_backup_restore/sms_small.xml", sms_backup),
    Case(
        "sms_backup_restore/sms_and_mms.xml",
        sms_backup,
        {"sms_and_mms.xml": "cut off or damaged here; the file holds 49 complete records"},
        ("--skip-bad", "{tmp}/bad.txt"),
        damage=1,
    ),
    Case("android_calls/calls-time-cockpit.xml", call_backup),
    Case("sms_backup_restore/memacs-sms.xml", sms_backup, args=("--to", "+436600000000")),
    Case("android_calls/memacs-calls.xml", call_backup, args=("--to", "+436600000000")),
    Case("iphone/mvt-sms.db", received_messages),
    Case("twilio_api/Calls.json", inbound_records),
    Case("twilio_api/SMS-Messages.json", inbound_records),
    Case("iphone/iexplorer-calls.csv", call_rows),
    Case("iphone/imazing-calls.csv", call_rows),
    Case("mail/spamassassin-sample-spam.eml", one_mail),
    Case("mail/memacs-thunderbird.mbox", one_mail),
    Case("cn_carrier_layouts/10086_sms_guangzhou.jsonp", carrier_response),
    Case("cn_carrier_layouts/10086_sms_anhui.jsonp", carrier_response),
    Case("cn_carrier_layouts/10086_calls_heilongjiang.jsonp", carrier_response),
]


def imported(run: Any, case: Case, tmp_path: Path) -> list[dict[str, Any]]:
    args = [a.replace("{tmp}", str(tmp_path)) for a in case.args]
    result = run("contacts", "import", REAL / case.path, "--json", *args)
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    return document.get("files", [document])


def test_every_spamassassin_sample_is_one_mail_in_the_vault(vault, run):
    """Per file of the folder: each sample is one contact (new or known), none unread."""
    vault.close()
    folder = REAL / "mail" / "spamassassin"
    result = run("contacts", "import", folder, "--json")
    assert result.code == 0, result.stderr
    document = json.loads(result.stdout)
    totals = {Path(f["file"]).name: f["new"] + f["known"] + f["rejected"] for f in document["files"]}
    assert totals == {p.name: 1 for p in folder.iterdir()}
    assert document["unread"] == []


@pytest.mark.parametrize("case", CASES, ids=[c.path for c in CASES])
def test_a_real_export_imports_completely(vault, run, tmp_path, case):
    vault.close()
    files = imported(run, case, tmp_path)
    stored = sum(f["new"] + f["known"] + f["rejected"] for f in files)
    assert stored == case.count(REAL / case.path) + case.damage
    rejected = {Path(f["file"]).name: f["rejected"] for f in files if f["rejected"]}
    assert rejected == {name: 1 for name in case.rejected}
    if case.rejected:
        reasons = (tmp_path / "bad.txt").read_text(encoding="utf-8")
        assert all(reason in reasons for reason in case.rejected.values()), reasons
