"""Commands that rely on the evidence refuse (exit 3) a vault that fails verification, unless
`--unverified`, and then every output says so; a damaged vault file is exit 3, not a crash."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Cli

UNVERIFIED = "UNVERIFIED: this vault failed verification"


@pytest.fixture
def tampered(cli: Cli, filled_home: Path, sql: Callable[..., list[tuple]]) -> Cli:
    """The filled vault after someone deleted a contact row behind the ledger's back."""
    contact = sql(filled_home, "SELECT id FROM contacts LIMIT 1")[0][0]
    sql(filled_home, "DELETE FROM contacts WHERE id = ?", contact)
    return cli


@pytest.mark.parametrize(
    "args",
    [
        ("report",),
        ("report", "--format", "json"),
        ("platforms", "--json"),
        ("explain", "k_0000000000000000"),
        ("evidence", "StockPro"),
        ("complaint", "StockPro"),
    ],
)
def test_commands_refuse_a_vault_that_does_not_verify(tampered: Cli, args: tuple[str, ...]):
    code, stdout, stderr = tampered(*args)
    assert code == 3, stderr
    assert stdout == "" and "does not verify" in stderr and "--unverified" in stderr
    assert "Traceback" not in stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "html"])
def test_an_unverified_report_says_so_in_every_format(tampered: Cli, fmt: str):
    code, stdout, stderr = tampered("report", "--format", fmt, "--unverified")
    assert code == 0, stderr
    assert UNVERIFIED in stdout.split("\n", 30)[0] or (fmt == "html" and UNVERIFIED in stdout)


def test_an_unverified_json_report_carries_the_failure(tampered: Cli, tmp_path: Path):
    code, stdout, stderr = tampered("report", "--format", "json", "--unverified")
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["unverified"].startswith(UNVERIFIED) and "platforms" in doc
    out = tmp_path / "r.json"
    assert tampered("report", "--format", "json", "--unverified", "--out", out).code == 0
    assert "unverified" in json.loads(out.read_text(encoding="utf-8"))


def test_unverified_platforms_and_complaint_say_so(tampered: Cli):
    code, stdout, _ = tampered("platforms", "--unverified")
    assert code == 0 and UNVERIFIED in stdout
    code, stdout, _ = tampered("complaint", "StockPro", "--unverified")
    assert code == 0 and stdout.startswith(UNVERIFIED)


def test_a_clean_vault_reports_without_the_notice(cli: Cli):
    code, stdout, stderr = cli("report", "--format", "json")
    assert code == 0, stderr
    assert "unverified" not in json.loads(stdout)


def test_a_truncated_vault_file_is_exit_3(cli: Cli, filled_home: Path):
    db = filled_home / "vault.sqlite"
    db.write_bytes(db.read_bytes()[:3000])
    for wal in filled_home.glob("vault.sqlite-*"):
        wal.unlink()
    code, _, stderr = cli("verify")
    assert code == 3 and "damaged" in stderr and "internal error" not in stderr


def test_a_dropped_ledger_table_is_exit_3(cli: Cli, filled_home: Path, sql: Callable[..., list[tuple]]):
    sql(filled_home, "DROP TABLE ledger")
    for args in (("verify",), ("report",)):
        code, _, stderr = cli(*args)
        assert code == 3 and "ledger table is missing" in stderr, stderr
