"""JSON: the report dict itself, through the one report JSON writer (`attribution.result.write_json`):
the head indented, one contact per line, UTF-8 kept readable (names stay 欧阳建国, not \\u…)."""

from __future__ import annotations

import io
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tracer import times
from tracer.attribution.result import write_json
from tracer.reports.formats import Options


class JsonRenderer:
    def render(self, report: Mapping[str, Any], options: Options) -> str:
        head = {k: v for k, v in report.items() if k not in ("contacts", "campaigns")}
        out = io.StringIO()
        write_json(head, report["contacts"], list(report["campaigns"]), out, default=_default)
        return out.getvalue()


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return times.iso(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


RENDERER = JsonRenderer()
