"""HTML: one self-contained offline page (inline CSS, SVG and a small filter script).

The page makes no network requests: no external scripts, fonts, images or styles, and a
Content-Security-Policy (`default-src 'none'`, the script pinned by its SHA-256) that keeps it
that way even if a message text carried markup. Jinja autoescaping is on.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from typing import Any

from markupsafe import Markup

from tracer.reports import charts, templates, wording
from tracer.reports.formats import Options

MAX_CONTACT_ROWS = 5000
MAX_CARDS = 60


class HtmlRenderer:
    def render(self, report: Mapping[str, Any], options: Options) -> str:
        script = templates.asset("report.js")
        context = {
            "css": Markup(templates.asset("report.css")),
            "js": Markup(script),
            "csp": _csp(script),
            **summary(report, options),
            **contacts_table(report),
            "timeline": charts.timeline(report["platforms"], report["contacts"]),
            "delays": charts.delays(report["platforms"]),
            "graph": charts.campaigns(report["campaigns"], report["platforms"]),
            "campaigns": sorted(report["campaigns"], key=lambda g: -(g.get("contacts") or 0)),
            "channel_colors": charts.CHANNEL_COLOR,
            "verdict_colors": charts.VERDICT_COLOR,
        }
        return templates.environment().get_template("report.html.j2").render(context)


def summary(report: Mapping[str, Any], options: Options) -> dict[str, Any]:
    """Headline, counts and one card per platform whose data reached (or may have) callers."""
    platforms = wording.sort_platforms(report["platforms"])
    flagged = [p for p in platforms if p.get("verdict") in ("leaked", "suspected")]
    contacts = report["contacts"]
    return {
        "generated_at": wording.when(report.get("generated_at")),
        "headline": wording.headline(platforms),
        "privacy": _privacy(options),
        "redacted": options.redacted,
        "stats": [
            (len(platforms), "platforms watched"),
            (sum(1 for p in platforms if p.get("verdict") == "leaked"), "reached callers"),
            (len(flagged) - sum(1 for p in flagged if p.get("verdict") == "leaked"), "suspected"),
            (len(contacts), "contacts"),
            (sum(1 for c in contacts if c.get("platform")), "attributed"),
            (len(report["campaigns"]), "campaigns"),
        ],
        "cards": [_card(p) for p in flagged[:MAX_CARDS]],
        "cards_hidden": max(0, len(flagged) - MAX_CARDS),
        "platform_rows": [_card(p) for p in platforms],
        "confidence_note": wording.CONFIDENCE_NOTE,
    }


def contacts_table(report: Mapping[str, Any]) -> dict[str, Any]:
    """Rows for the filterable table, at most MAX_CONTACT_ROWS, attributed contacts first."""
    verdicts = {str(p.get("platform")): str(p.get("verdict")) for p in report["platforms"]}
    contacts = list(report["contacts"])
    kept = contacts
    if len(contacts) > MAX_CONTACT_ROWS:
        ranked = sorted(contacts, key=lambda c: (c.get("platform") is None, -(c.get("confidence") or 0)))
        kept = ranked[:MAX_CONTACT_ROWS]
    kept = sorted(kept, key=lambda c: str(c.get("at") or ""))
    rows = [_contact_row(c, verdicts) for c in kept]
    return {
        "contact_rows": rows,
        "contacts_total": len(contacts),
        "contacts_capped": len(contacts) > MAX_CONTACT_ROWS,
        "max_contact_rows": MAX_CONTACT_ROWS,
        "filter_platforms": sorted({r["platform"] for r in rows if r["platform"]}),
        "filter_channels": sorted({r["channel"] for r in rows}),
        "unattributed_label": wording.UNATTRIBUTED,
    }


def _card(row: Mapping[str, Any]) -> dict[str, Any]:
    confidence = row.get("confidence")
    return {
        "platform": row.get("platform"),
        "verdict": row.get("verdict"),
        "verdict_label": wording.VERDICT_LABEL.get(str(row.get("verdict")), row.get("verdict")),
        "finding": wording.finding(row),
        "percent": wording.percent(confidence),
        "bar": round(float(confidence or 0) * 100, 1),
        "contacts": row.get("contacts") or 0,
        "first_contact": wording.when(row.get("first_contact_at")),
        "delay": wording.delay(row.get("days_to_first_contact")),
        "linked": list(row.get("linked_platforms") or []),
        "category": row.get("category"),
        "signup": wording.when(row.get("signup_at")) if row.get("signup_at") else None,
        "leak_window": _window(row.get("leak_window")),
    }


def _window(window: Mapping[str, str] | None) -> tuple[str, str] | None:
    """A leaked platform's 90% window for when its data reached a caller, as display times."""
    return (wording.when(window["from"]), wording.when(window["to"])) if window else None


def _contact_row(contact: Mapping[str, Any], verdicts: dict[str, str]) -> dict[str, Any]:
    platform = contact.get("platform")
    others = [c for c in contact.get("candidates") or [] if c.get("platform") != platform]
    return {
        "id": contact.get("id"),
        "at": wording.when(contact.get("at")),
        "channel": str(contact.get("channel") or "call"),
        "from": contact.get("from") or "",
        "to": contact.get("to") or "",
        "platform": platform,
        "verdict": verdicts.get(str(platform), "unattributed") if platform else "unattributed",
        "percent": wording.percent(contact.get("confidence")) if platform else "",
        "others": [(c.get("platform"), wording.percent(c.get("p"))) for c in others[:3]],
        "evidence": [(e.get("kind"), e.get("detail", "")) for e in contact.get("evidence") or []],
        "heard_name": contact.get("heard_name"),
        "text": contact.get("text") or contact.get("summary"),
    }


def _privacy(options: Options) -> str:
    if not options.redacted:
        return "Not redacted: this page shows full phone numbers and names. Share it with care."
    name = "your real name, " if options.real_name_redacted else ""
    return (
        f"Redacted for sharing: {name}phone numbers (country code and last two digits kept) "
        "and mail addresses."
    )


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


RENDERER = HtmlRenderer()
