"""`tracer contacts import` through the CSV fast path (`ingest.columnar`): a bad row past the
windows pyarrow reads is still one clean line naming the file, the line and the field, exit 1,
nothing written; the same file with the row fixed imports every row, and a second import adds
nothing (idempotent)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tracer.ingest import columnar
from tracer.ingest.batch import SIZE

HEADER = "channel,at,to,from,heard_name,text,id\n"
WINDOW = 2 * SIZE


def rows(n: int) -> list[str]:
    return [
        f"sms,2026-03-01T09:{i // 60 % 60:02d}:{i % 60:02d}+08:00,1380013{i % 50:04d},1390{i:07d},,\"回复 {i % 9}, 退订\",row-{i}\n"
        for i in range(n)
    ]


def test_a_bad_row_after_the_fast_windows_is_one_line_and_changes_nothing(
    cli: Cli, filled_home: Path, tmp_path: Path, dump, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(columnar, "WINDOW", WINDOW)
    lines = rows(3 * WINDOW)
    lines[2 * WINDOW + 7] = "call,2026-03-01T09:30:00+08:00,13800130001,12,,,short-number\n"
    (tmp_path / "big.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    before = dump(filled_home)
    code, stdout, stderr = cli("contacts", "import", "big.csv")
    assert (code, stdout) == (1, "")
    [line] = stderr.strip().splitlines()
    assert f"big.csv:{2 * WINDOW + 9}" in line and "field 'from'" in line
    assert dump(filled_home) == before

    lines[2 * WINDOW + 7] = "sms,2026-03-01T09:30:00+08:00,13800130001,13912345678,,,fixed\n"
    (tmp_path / "big.csv").write_text(HEADER + "".join(lines), encoding="utf-8")
    first, again = cli("contacts", "import", "big.csv", "--json"), cli("contacts", "import", "big.csv", "--json")
    assert first.code == 0 and again.code == 0, (first.stderr, again.stderr)
    assert (json.loads(first.stdout)["new"], json.loads(again.stdout)["new"]) == (3 * WINDOW, 0)
    assert cli("verify").code == 0
