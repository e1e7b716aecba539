"""Reports: one renderer per format, DataFrames for notebooks, complaint drafts.

    from tracer.reports import ReportFormat, render
    html = render(report, ReportFormat.HTML, real_name="李秀英")   # redacted by default

`report` is the `tracer report --format json` dict (docs/cli.md). Evidence bundles live in
`tracer.evidence.bundle`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracer.reports.complaint import Authority, ComplaintFacts, draft, facts_from_report
from tracer.reports.formats import Options, Renderer, ReportFormat, check, render, renderer
from tracer.reports.redaction import REAL_NAME_TAG, redact

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "REAL_NAME_TAG",
    "Authority",
    "ComplaintFacts",
    "Options",
    "Renderer",
    "ReportFormat",
    "check",
    "draft",
    "facts_from_report",
    "frames",
    "redact",
    "render",
    "renderer",
]


def frames(report: dict[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(platforms, contacts, campaigns) DataFrames; see `tracer.reports.dataframes`."""
    from tracer.reports.dataframes import frames as build  # pandas loads only when asked for

    return build(report)
