"""Nothing a command writes clobbers the vault, an input or an existing file; a refused or failed
write leaves no file and no ledger entry; bad output paths are one clean line, exit 1."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Cli
from tracer import outputs
from tracer.errors import InputError, RefusedError


def clean(stderr: str) -> None:
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    assert len(stderr.strip().splitlines()) == 1, stderr


def ledger_size(sql: Callable[..., list[tuple]], home: Path) -> int:
    return int(sql(home, "SELECT count(*) FROM ledger")[0][0])


def test_report_out_onto_the_vault_is_refused_and_the_vault_still_verifies(cli: Cli, filled_home: Path):
    before = (filled_home / "vault.sqlite").read_bytes()
    code, _, stderr = cli("report", "--format", "csv", "--out", filled_home / "vault.sqlite", "--force")
    assert code == 1 and "inside the vault's folder" in stderr
    clean(stderr)
    assert (filled_home / "vault.sqlite").read_bytes() == before
    assert cli("verify").code == 0


def test_report_out_refuses_an_existing_file_unless_forced(cli: Cli, tmp_path: Path):
    out = tmp_path / "report.csv"
    out.write_text("mine\n")
    code, _, stderr = cli("report", "--format", "csv", "--out", out)
    assert code == 1 and "exists" in stderr and "--force" in stderr
    assert out.read_text() == "mine\n"
    assert cli("report", "--format", "csv", "--out", out, "--force").code == 0
    assert out.read_text() != "mine\n" and "StockPro" in out.read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


@pytest.mark.parametrize("where", ["missing/report.html", "."], ids=["missing folder", "a folder"])
def test_report_out_into_a_missing_folder_or_onto_a_folder_is_one_clean_line(cli: Cli, tmp_path: Path, where: str):
    code, stdout, stderr = cli("report", "--format", "html", "--out", tmp_path / where)
    assert code == 1 and stdout == ""
    clean(stderr)


def test_skip_bad_onto_the_import_itself_is_refused_and_the_file_kept(
    cli: Cli, template: Path, tmp_path: Path
):
    source = tmp_path / "calls.csv"
    source.write_bytes((template.parent / "calls.csv").read_bytes() + b"call,not a time,,,,,bad\n")
    before = source.read_bytes()
    code, _, stderr = cli("contacts", "import", source, "--skip-bad", source)
    assert code == 1 and "input of this command" in stderr
    clean(stderr)
    assert source.read_bytes() == before


def test_skip_bad_writes_its_log_only_when_the_import_commits(cli: Cli, template: Path, tmp_path: Path):
    source = tmp_path / "more.csv"
    source.write_text("channel,at,to,from\ncall,2026-03-09T10:00:00Z,+8613900139001,+8617000000001\n"
                      "call,never,+8613900139001,+8617000000002\n", encoding="utf-8")  # fmt: skip
    log = tmp_path / "rejects.txt"
    code, _, stderr = cli("contacts", "import", source, "--skip-bad", log)
    assert code == 0, stderr
    assert "more.csv:3" in log.read_text(encoding="utf-8")
    assert stat.S_IMODE(log.stat().st_mode) == 0o600


def test_evidence_into_a_missing_folder_leaves_no_ledger_entry(
    cli: Cli, filled_home: Path, tmp_path: Path, sql: Callable[..., list[tuple]]
):
    before = ledger_size(sql, filled_home)
    code, _, stderr = cli("evidence", "StockPro", "--out", tmp_path / "missing" / "b.zip")
    assert code == 1
    clean(stderr)
    assert ledger_size(sql, filled_home) == before


def test_evidence_and_anchor_request_refuse_existing_files(cli: Cli, tmp_path: Path):
    taken = tmp_path / "taken.zip"
    taken.write_bytes(b"keep")
    for args in (("evidence", "StockPro", "--out", taken), ("anchor", "request", "--out", taken)):
        code, _, stderr = cli(*args)
        assert code == 1 and "exists" in stderr, args
        clean(stderr)
    assert taken.read_bytes() == b"keep"


def test_complaint_with_a_garbage_bundle_is_refused(cli: Cli, tmp_path: Path):
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(os.urandom(512))
    code, stdout, stderr = cli("complaint", "StockPro", "--bundle", garbage)
    assert code == 3 and stdout == ""
    clean(stderr)


@pytest.mark.parametrize("command", ["demo --workdir", "simulate --out"])
def test_demo_and_simulate_onto_a_file_are_one_clean_line(cli: Cli, tmp_path: Path, command: str):
    target = tmp_path / "a-file"
    target.write_text("x")
    code, _, stderr = cli(*command.split(), target)
    assert code == 1 and "is a file, not a folder" in stderr
    clean(stderr)


def test_the_writer_refuses_fifos_even_with_force(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(RefusedError, match="not a regular file"):
        outputs.write(fifo, "x", outputs.Guard(force=True))


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path):
    out = tmp_path / "out.txt"
    out.write_text("old")
    with pytest.raises(ZeroDivisionError), outputs.writing(out, outputs.Guard(force=True)) as handle:
        handle.write("half")
        raise ZeroDivisionError
    assert out.read_text() == "old" and [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_folder_nothing_can_be_created_in_is_one_clean_error():
    """/proc refuses new files even to root (CI runs as root, so a chmod 0500 folder would not)."""
    with pytest.raises(InputError, match="cannot write"):
        outputs.write(Path("/proc/tracer-test.txt"), "x", outputs.Guard())


def test_vault_files_are_the_owners_alone(cli: Cli, tmp_path: Path):
    home = tmp_path / "fresh"
    code, _, stderr = cli("--home", home, "init", "--phone", "13800138000")
    assert code == 0, stderr
    assert stat.S_IMODE(home.stat().st_mode) == 0o700
    assert stat.S_IMODE((home / "vault.sqlite").stat().st_mode) == 0o600
