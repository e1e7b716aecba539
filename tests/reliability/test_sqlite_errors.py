"""SQLite's own failures (disk full, read-only disk, a damaged page) reach the user as one line:
exit 1 for a file that cannot be written, exit 3 for a damaged one; never "internal error"."""

from __future__ import annotations

import sqlite3
import sys

import pytest

from tracer import cli
from tracer.cli import report


@pytest.mark.parametrize(
    ("error", "code", "words"),
    [
        (sqlite3.OperationalError("database or disk is full"), 1, "disk is full"),
        (sqlite3.OperationalError("attempt to write a readonly database"), 1, "readonly"),
        (sqlite3.DatabaseError("database disk image is malformed"), 3, "damaged"),
    ],
)
def test_sqlite_failures_are_one_clean_line(monkeypatch, capsys, error, code, words):  # type: ignore[no-untyped-def]
    def fail(*_: object, **__: object) -> None:
        raise error

    monkeypatch.setattr(report, "_attribute", fail)
    monkeypatch.setattr(sys, "argv", ["tracer", "report"])
    with pytest.raises(SystemExit) as exited:
        cli.main()
    stderr = capsys.readouterr().err
    assert exited.value.code == code
    assert words in stderr and "internal error" not in stderr and len(stderr.strip().splitlines()) == 1
