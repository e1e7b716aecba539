"""The values of the CLI's enum options, spelled out so that building the command tree does not
import the packages that define the enums.

Typer reads every option's type when it builds the tree, for `--help` too; typing `--format` as
`ingest.Format` or `reports.ReportFormat` loaded the importers and the report renderers (jinja2)
on every start, about 0.2 s. A `Literal` reads and shows like the enum (`<table|json|csv|html>`);
each command turns the string back into its enum (`ReportFormat(fmt)`), and
tests/cli/test_cli_choices.py checks these against the enums.
"""

from __future__ import annotations

from typing import Literal

# tracer.ingest.Format
ImportFormat = Literal[
    "auto", "csv", "android-calls", "android-sms", "google-voice", "ios-calls", "ios-messages", "eml", "mbox", "excel", "pdf"
]
ReportFormat = Literal["table", "json", "csv", "html"]  # tracer.reports.ReportFormat
Authority = Literal["12321", "miit", "ftc", "ico", "generic"]  # tracer.reports.complaint.Authority
