"""The CLI's enum options are spelled as Literals (tracer/cli/choices.py) so that `--help` loads
no library package; they must stay equal to the enums the library reads them into."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import get_args

import pytest

from tracer import lifecycle
from tracer.cli import choices
from tracer.ingest import Format
from tracer.reports import ReportFormat
from tracer.reports.complaint import Authority

# What building the command tree must not load: each is only for the commands that use it.
HEAVY = ("pandas", "pyarrow", "numpy", "pypinyin", "faker", "babel", "jinja2", "canaries",
         "tracer.attribution", "tracer.reports", "tracer.ingest", "tracer.identities", "tracer.demo",
         "tracer.simulate", "tracer.contacts", "tracer.lifecycle")  # fmt: skip


def test_import_formats_are_the_importers_formats() -> None:
    assert get_args(choices.ImportFormat) == tuple(f.value for f in Format)


def test_report_formats_are_the_renderers_formats() -> None:
    assert get_args(choices.ReportFormat) == tuple(f.value for f in ReportFormat)


def test_authorities_are_the_complaint_authorities() -> None:
    assert get_args(choices.Authority) == tuple(a.value for a in Authority)


def test_building_the_command_tree_loads_no_library_package() -> None:
    """`tracer --help` builds every command; a heavy import there costs every command (benchmarks/startup.py)."""
    probe = (
        "import sys; from tracer.cli import app, help; help.command(app); "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == ""


def test_help_opens_no_vault_and_asks_for_no_passphrase(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--help` and `demo --help` derive no key: with a vault present, no passphrase anywhere and
    stdin not a terminal, they still succeed (opening the vault would fail with "no passphrase")."""
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    lifecycle.init(tmp_path, "correct horse battery staple 42", name="张伟", locale="zh_CN", region="CN",
                   timezone="Asia/Shanghai").close()  # fmt: skip
    env = {k: v for k, v in os.environ.items() if k != "TRACER_PASSPHRASE"} | {"TRACER_HOME": str(tmp_path)}
    for argv in (["--help"], ["demo", "--help"], ["--lang", "zh_CN", "canary", "--help"]):
        done = subprocess.run([sys.executable, "-m", "tracer", *argv], env=env, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True, check=False)  # fmt: skip
        assert done.returncode == 0, done.stderr
        assert ("用法：" if "zh_CN" in argv else "Usage:") in done.stdout  # the suite's environment reads English
