"""How findings are worded: "data given to X reached callers", never more than the evidence says.

Every renderer and complaint draft takes its sentences and number formats from here, so the
table, the HTML page and a letter to a regulator say the same thing the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from tracer import times

VERDICT_ORDER = {"leaked": 0, "suspected": 1, "no-evidence": 2}
VERDICT_LABEL = {
    "leaked": "reached callers",
    "suspected": "suspected",
    "no-evidence": "no evidence",
}
UNATTRIBUTED = "(not attributed)"


def finding(row: Mapping[str, Any]) -> str:
    """One sentence for a platform row of the report: what reached whom, never why."""
    name = row.get("platform", "?")
    verdict = row.get("verdict")
    if verdict == "leaked":
        return f"Data given to {name} reached callers"
    if verdict == "suspected":
        return f"Data given to {name} may have reached callers"
    return f"No sign yet that data given to {name} reached callers"


def percent(confidence: float | None) -> str:
    """A probability as a percentage that never claims certainty: 1.0 and 0.996 show as >99%."""
    if confidence is None:
        return "—"
    value = round(float(confidence) * 100)
    if value >= 100:
        return ">99%"
    if value <= 0 < confidence:
        return "<1%"
    return f"{value}%"


def delay(days: float | None, *, short: bool = False) -> str:
    """Signup-to-first-contact delay: hours under a day, else days with one decimal."""
    if days is None:
        return "—"
    hours = float(days) * 24
    if hours < 1:
        return "<1 h"
    if hours < 24:
        return f"{hours:.0f} h"
    return f"{float(days):.1f} d" if short else f"{float(days):.1f} days"


def when(value: str | datetime | None, *, seconds: bool = False) -> str:
    """A report timestamp as `YYYY-MM-DD HH:MM` UTC (or `—`)."""
    if value is None or value == "":
        return "—"
    moment = value if isinstance(value, datetime) else times.parse(value)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")


def day(value: str | datetime | None) -> str:
    return when(value)[:10] if value else "—"


def sort_platforms(rows: list[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Leaked first, then suspected, then the rest; most confident and busiest first."""
    return sorted(
        rows,
        key=lambda r: (
            VERDICT_ORDER.get(str(r.get("verdict")), 3),
            -(r.get("confidence") or 0),
            -(r.get("contacts") or 0),
            str(r.get("platform", "")),
        ),
    )


def headline(platforms: list[Mapping[str, Any]]) -> str:
    """The report's first sentence, e.g. "Data given to 2 of 6 platforms reached callers"."""
    leaked = sum(1 for p in platforms if p.get("verdict") == "leaked")
    suspected = sum(1 for p in platforms if p.get("verdict") == "suspected")
    total = len(platforms)
    noun = "platform" if total == 1 else "platforms"
    text = f"Data given to {leaked} of {total} {noun} reached callers"
    if suspected:
        text += f"; {suspected} more {'is' if suspected == 1 else 'are'} suspected"
    return text + "."


CONFIDENCE_NOTE = (
    "Confidence is a calibrated probability, not certainty: of all findings reported at 90%, "
    "about nine in ten are right."
)
