"""JSON: the report dict itself, indented, UTF-8 kept readable (names stay 欧阳建国, not \\u…)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from tracer import times
from tracer.reports.formats import Options


class JsonRenderer:
    def render(self, report: Mapping[str, Any], options: Options) -> str:
        return json.dumps(report, indent=2, ensure_ascii=False, default=_default) + "\n"


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return times.iso(value)
    if isinstance(value, set | frozenset | tuple):
        return sorted(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


RENDERER = JsonRenderer()
