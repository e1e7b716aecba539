"""CSV: one row per contact, flattened (candidates "A:0.93;B:0.05", evidence "kind: detail | …").

Message text and sender ids come from strangers, so a cell that a spreadsheet would run as a
formula (starting with = + - @, tab or CR) gets a leading apostrophe, as OWASP advises. Phone
numbers in E.164 and plain numbers are left alone.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from tracer.reports.dataframes import CONTACT_COLUMNS, contact_row
from tracer.reports.formats import Options

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN = re.compile(r"^[+-]?[\d.•]+$")


class CsvRenderer:
    def render(self, report: Mapping[str, Any], options: Options) -> str:
        rows = [contact_row(c) for c in report.get("contacts", [])]
        frame = pd.DataFrame.from_records(rows, columns=CONTACT_COLUMNS).map(defuse)
        return str(frame.to_csv(index=False, lineterminator="\n"))


def defuse(value: Any) -> Any:
    """Neutralise spreadsheet formulas in untrusted text; numbers and E.164 pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _PLAIN.match(value):
        return "'" + value
    return value


RENDERER = CsvRenderer()
