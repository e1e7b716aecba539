"""How findings are worded: "data given to X reached callers", never more than the evidence says.

Every renderer and complaint draft takes its sentences and number formats from here, so the
table, the HTML page and a letter to a regulator say the same thing the same way, in the reader's
language (`tracer.i18n`) and with times in the reader's zone, named beside them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from tracer import i18n, times
from tracer.i18n import N_, _, ngettext

VERDICT_ORDER = {"leaked": 0, "suspected": 1, "no-evidence": 2}
_VERDICT_LABEL = {
    "leaked": N_("reached callers"),
    "suspected": N_("suspected"),
    "no-evidence": N_("no evidence"),
}
_CHANNEL_LABEL = {"call": N_("call"), "sms": N_("SMS"), "email": N_("email")}
# Evidence kinds (report JSON `evidence[].kind`) as a person reads them
_EVIDENCE_KIND = {
    "identifier": N_("identifier"), "name": N_("name"), "marker": N_("marker"), "timing": N_("timing"),
    "category": N_("category"), "campaign": N_("campaign"),
}  # fmt: skip


def verdict_label(verdict: str | None) -> str:
    """`leaked` as a person reads it: "reached callers" / "已到达骚扰方"."""
    label = _VERDICT_LABEL.get(str(verdict))
    return _(label) if label else str(verdict)


def channel_label(channel: str | None) -> str:
    label = _CHANNEL_LABEL.get(str(channel))
    return _(label) if label else str(channel or "")


def evidence_kind(kind: str | None) -> str:
    """An evidence item's kind in the reader's language: `identifier` / "标识"."""
    label = _EVIDENCE_KIND.get(str(kind))
    return _(label) if label else str(kind or "")


def category_label(category: str | None) -> str:
    """A category code (`insurance`, one of the model's CATEGORIES) in the reader's language;
    any other text (a category the user typed) as it is."""
    from tracer.attribution.content import CATEGORY_LABELS

    label = CATEGORY_LABELS.get(str(category))
    return _(label) if label else str(category or "")


def unattributed() -> str:
    return _("(not attributed)")


def confidence_note() -> str:
    return _(
        "Confidence is a calibrated probability, not certainty: of all findings reported at 90%, "
        "about nine in ten are right."
    )


def finding(row: Mapping[str, Any]) -> str:
    """One sentence for a platform row of the report: what reached whom, never why."""
    name = row.get("platform", "?")
    verdict = row.get("verdict")
    if verdict == "leaked":
        return _("Data given to {platform} reached callers").format(platform=name)
    if verdict == "suspected":
        return _("Data given to {platform} may have reached callers").format(platform=name)
    return _("No sign yet that data given to {platform} reached callers").format(platform=name)


def delay(days: float | None, *, short: bool = False) -> str:
    """Signup-to-first-contact delay: hours under a day, else days with one decimal."""
    if days is None:
        return "—"
    hours = float(days) * 24
    if hours < 1:
        return _("<1 h")
    if hours < 24:
        return _("{n} h").format(n=f"{hours:.0f}")
    if short:
        return _("{n} d").format(n=f"{float(days):.1f}")
    return ngettext("{n} day", "{n} days", round(float(days))).format(n=f"{float(days):.1f}")


def when(value: str | datetime | None, *, seconds: bool = False) -> str:
    """A report timestamp as `YYYY-MM-DD HH:MM` in the reader's zone (or `—`); see `zone()`."""
    if value is None or value == "":
        return "—"
    moment = value if isinstance(value, datetime) else times.parse(value)
    return i18n.local_time(moment, seconds=seconds)


def stamp(value: str | datetime | None, *, seconds: bool = False) -> str:
    """`when(value)` followed by the zone's name: `2026-05-16 03:07 北京时间`."""
    text = when(value, seconds=seconds)
    return text if text == "—" else f"{text} {zone()}"


def zone() -> str:
    """The name of the zone every `when` is in: 北京时间, UTC or the IANA name."""
    return i18n.zone_label()


def day(value: str | datetime | None) -> str:
    return when(value)[:10] if value else "—"


def count(n: int) -> str:
    """A count with the reader's digit grouping."""
    return i18n.number(n)


def sort_platforms(rows: Sequence[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
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
    text = ngettext(
        "Data given to {leaked} of {total} platform reached callers",
        "Data given to {leaked} of {total} platforms reached callers",
        total,
    ).format(leaked=leaked, total=total)
    if suspected:
        text += ngettext(
            "; {n} more is suspected", "; {n} more are suspected", suspected
        ).format(n=suspected)
    return text + _(".")
