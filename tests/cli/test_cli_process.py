"""Smoke tests through a real process: the exit statuses the interpreter reports for
`python -m tracer` and the `tracer` console script, and the in-process runner (`run`, used by
every other CLI test) giving exactly what a subprocess gives."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ME, Cli, Filled, Process
from tracer.vault.store import DB_NAME

# What every other CLI test relies on `run` to show as a subprocess would: output on stdout,
# an error line on stderr, a translated usage error, help, a refusal without a terminal.
SAME_AS_A_PROCESS = [
    ("verify", "--json"),
    ("canary", "list", "--json"),
    ("--lang", "zh_CN", "platforms"),
    ("contacts", "log", "--channel", "call", "--at", "yesterday", "--to", ME.phone),
    ("--lang", "zh_CN", "no-such-command"),
    ("numbers", "--help"),
]


def test_exit_codes_through_python_m_tracer(run_process: Process, filled: Filled, tmp_path: Path) -> None:
    ok, bad_input, usage = run_process.many(
        ("verify",),
        ("contacts", "log", "--channel", "call", "--at", "yesterday", "--to", ME.phone),
        ("numbers", "add"),
    )
    assert (ok.code, bad_input.code, usage.code) == (0, 1, 2), (ok, bad_input, usage)
    assert ok.stdout.startswith("OK:")
    assert len(bad_input.stderr.strip().splitlines()) == 1 and "field 'at'" in bad_input.stderr
    assert "Traceback" not in bad_input.stderr + usage.stderr
    damaged = Process(tmp_path / "damaged", tmp_path)
    (tmp_path / "damaged").mkdir()
    (tmp_path / "damaged" / DB_NAME).write_bytes(b"not a database" * 300)
    code, stdout, stderr = damaged("verify")
    assert code == 3 and stdout == "" and "damaged" in stderr and "Traceback" not in stderr


def test_without_a_passphrase_or_a_terminal_a_process_refuses_in_one_line(
    run_process: Process, filled: Filled
) -> None:
    code, stdout, stderr = run_process("numbers", "list", extra_env={"TRACER_PASSPHRASE": None})
    assert code == 1 and stdout == ""
    assert "no passphrase" in stderr and len(stderr.strip().splitlines()) == 1


def test_the_console_script_runs_a_command(filled: Filled, home: Path, tmp_path: Path) -> None:
    script = Path(sys.executable).with_name("tracer")
    env = {**os.environ, **{k: v for k, v in Cli(home, tmp_path).environ().items() if v is not None}}
    done = subprocess.run([script, "verify", "--json"], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, timeout=120)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert '"ok": true' in done.stdout


@pytest.mark.parametrize("args", SAME_AS_A_PROCESS, ids=" ".join)
def test_the_in_process_runner_gives_what_a_process_gives(
    run: Cli, run_process: Process, filled: Filled, args: tuple[str, ...]
) -> None:
    assert run(*args) == run_process(*args)
