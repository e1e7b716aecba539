"""What a command loads before it runs (benchmarks/startup.py, docs/benchmarks.md "Start-up,
round 10"): a command that only runs and prints a line loads no help renderer, and Typer's own
words around help and errors are still translated when they are shown, in a fresh process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
import typer.main
import typer.rich_utils

from tests.conftest import ME, create_vault
from tracer import i18n
from tracer.cli import app, help, usage

# What `tracer contacts log` must not load: Typer's help and error renderer and what it pulls in
# (rich's markdown, tracebacks, syntax highlighting), Pydantic (its options are strings and choices:
# tests/cli/test_cli_params.py), and the columnar stack (a logged contact is sealed on its own:
# tests/vault/test_vault_log_alone.py), and cryptography's key serialization (the vault's keys are raw).
UNNEEDED = (
    "typer.rich_utils",
    "rich.markdown",
    "rich.traceback",
    "rich.syntax",
    "pydantic",
    "pyarrow",
    "numpy",
    "pandas",
    "cryptography.hazmat.primitives.serialization",
)


def _process(
    argv: list[str], home: Path, cwd: Path, *, probe: tuple[str, ...] = (), lang: str = "en_US.UTF-8"
) -> subprocess.CompletedProcess[str]:
    """`tracer ARGV` in a process of its own; with `probe`, its last stderr line lists which of
    those modules it loaded."""
    code = (
        f"import runpy, sys\nsys.argv = ['tracer', *{argv!r}]\n"
        "try:\n    runpy.run_module('tracer', run_name='__main__')\n"
        "except SystemExit as exc:\n    status = exc.code\nelse:\n    status = 0\n"
        f"print(sorted(set({probe!r}) & set(sys.modules)), file=sys.stderr)\nsys.exit(status)\n"
    )
    env = {**os.environ, "TRACER_HOME": str(home), "TRACER_PASSPHRASE": ME.passphrase, "TRACER_SCRYPT_LOG_N": "10",
           "COLUMNS": "100", "LC_ALL": "", "LC_MESSAGES": lang, "LANG": ""}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=cwd, timeout=60
    )


@pytest.fixture
def vault_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    home = tmp_path / "vault"
    create_vault(home).close()
    return home


def test_logging_a_contact_loads_no_help_renderer(vault_home: Path, tmp_path: Path) -> None:
    argv = [
        "contacts",
        "log",
        "--at",
        "2026-03-01T09:30:00+08:00",
        "--to",
        "13800138000",
        "--heard-name",
        "杨先生",
    ]
    done = _process(argv, vault_home, tmp_path, probe=UNNEEDED)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Logged k_")
    assert done.stderr.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    ("lang", "help_words", "error_words"),
    [
        ("zh_CN", ("╭─ 选项", "╭─ 命令"), ("╭─ 错误", "运行 'tracer contacts log --help' 查看帮助。")),
        ("en_US", ("╭─ Options", "╭─ Commands"), ("╭─ Error", "Try 'tracer contacts log --help' for help.")),
    ],
)
def test_typers_words_around_help_and_errors_are_translated_in_a_fresh_process(
    vault_home: Path, tmp_path: Path, lang: str, help_words: tuple[str, ...], error_words: tuple[str, ...]
) -> None:
    helped = _process(["--lang", lang, "--help"], vault_home, tmp_path)
    assert helped.returncode == 0, helped.stderr
    assert all(word in helped.stdout for word in help_words), helped.stdout
    listed = {line.split()[1] for line in helped.stdout.splitlines() if line.startswith("│ ") and line[2] != " "}
    assert listed >= set(typer.main.get_command(app).commands)  # type: ignore[attr-defined]  # a Group
    grouped = _process(["--lang", lang, "contacts"], vault_home, tmp_path)  # a group without its command
    assert all(word in grouped.stdout + grouped.stderr for word in help_words)
    wrong = _process(
        ["--lang", lang, "contacts", "log", "--channel", "fax", "--at", "1"], vault_home, tmp_path
    )
    assert wrong.returncode == 2
    assert all(word in wrong.stderr for word in error_words), wrong.stderr


@pytest.mark.parametrize("raised", [typer.Abort, EOFError])
def test_an_abort_is_said_in_the_readers_words(
    monkeypatch: pytest.MonkeyPatch, raised: type[BaseException]
) -> None:
    """Typer says "Aborted." for an Abort and for the end of input at a prompt (EOFError)."""
    for name, text in help._PANELS.items():
        monkeypatch.setattr(typer.rich_utils, name, text)  # as Typer's module starts, whatever ran before
    with i18n.reading("zh_CN", "UTC"), pytest.raises(raised), usage.translated_errors():
        raise raised()
    assert typer.rich_utils.ABORTED_TEXT == "已中止。"


def test_help_loads_neither_the_vaults_crypto_nor_phone_numbers(vault_home: Path, tmp_path: Path) -> None:
    """`--help` reads the vault's language only (`tracer.vault.peek`): cryptography, the ledger
    and phonenumbers are for commands that open the vault or parse a number."""
    probe = ("cryptography", "tracer.vault.store", "tracer.ledger", "phonenumbers", "pydantic")
    for argv in (["--help"], ["contacts", "--help"], ["numbers", "list", "--help"]):
        done = _process(argv, vault_home, tmp_path, probe=probe, lang="")
        assert done.returncode == 0, done.stderr
        assert done.stdout.lstrip().startswith("用法：tracer")  # the vault's language, read without its keys
        assert done.stderr.strip().splitlines()[-1] == "[]", argv
