"""The CLI's enum options are spelled as Literals (tracer/cli/choices.py) so that `--help` loads
no library package; they must stay equal to the enums the library reads them into."""

from __future__ import annotations

import subprocess
import sys
from typing import get_args

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
