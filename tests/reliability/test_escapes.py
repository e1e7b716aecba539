"""Text from files is neutralised wherever tracer shows it: terminal escapes, C1 controls and
bidi overrides in an imported message never reach the terminal raw; JSON stays the same data."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import Cli
from tracer import sanitize

HOSTILE = "买股票\x1b]0;pwned\x07\x1b[2J\x9b31m\u202eevil"
RAW = ("\x1b", "\x07", "\x9b", "\u202e")


def test_sanitizers_show_controls_as_escapes_and_keep_json_meaning():
    assert sanitize.terminal(HOSTILE) == "买股票\\x1b]0;pwned\\x07\\x1b[2J\\x9b31m\\u202eevil"
    assert sanitize.terminal("line one\n\tline two") == "line one\n\tline two"
    doc = {"text": HOSTILE}
    assert json.loads(sanitize.json_text(json.dumps(doc, ensure_ascii=False))) == doc
    assert sanitize.markdown("[click](http://x) **b**") == "\\[click\\]\\(http://x\\) \\*\\*b\\*\\*"


def test_an_imported_hostile_text_never_reaches_stdout_raw(cli: Cli, tmp_path: Path):
    calls = tmp_path / "hostile.csv"
    calls.write_text(
        "channel,at,to,from,heard_name,text,id\n"
        f'sms,2026-03-05T10:00:00Z,+8613900139001,+8617012345679,"{HOSTILE}","{HOSTILE}",evil-1\n',
        encoding="utf-8",
    )
    code, _, stderr = cli("contacts", "import", calls)
    assert code == 0, stderr
    listed = cli("contacts", "list", "--json")
    contact = next(c for c in json.loads(listed.stdout) if c.get("external_id") == "evil-1")
    for args in (
        ("contacts", "show", contact["id"]),
        ("contacts", "show", contact["id"], "--json"),
        ("contacts", "list"),
        ("report",),
        ("report", "--format", "csv"),
        ("report", "--format", "json", "--no-redact"),
        ("explain", contact["id"]),
    ):
        code, stdout, stderr = cli(*args)
        assert code == 0, (args, stderr)
        assert not any(ch in stdout for ch in RAW), args
    shown = json.loads(cli("contacts", "show", contact["id"], "--json").stdout)
    assert shown["text"] == HOSTILE  # the evidence itself is kept exactly
