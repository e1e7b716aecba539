"""HTML: one self-contained offline page (inline CSS, SVG and a small script), findings first.

The page makes no network requests: no external scripts, fonts, images or styles, and a
Content-Security-Policy (`default-src 'none'`, the script pinned by its SHA-256) that keeps it
that way even if a message text carried markup. Jinja autoescaping is on.

What a person came for comes first: each platform whose data reached callers, the contacts
that prove it (strongest evidence first) and a "Report" action holding the ready complaints with
a copy button per form field; the background is one click away, below.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from markupsafe import Markup

from tracer import i18n, times
from tracer.i18n import _
from tracer.reports import charts, complaint, forms, templates, wording
from tracer.reports.formats import Options

MAX_CONTACT_ROWS = 5000
MAX_CARDS = 60
PROOF_SHOWN = 5  # proving contacts shown on a card before "show all"
PROOF_MAX = 50
# Evidence that excludes the background ranks first: an alias or marker only one platform had,
# then a name said, then a shared campaign, then timing and topic.
_STRENGTH = {"identifier": 0, "marker": 0, "name": 1, "campaign": 2, "category": 3, "timing": 4}


class HtmlRenderer:
    def render(self, report: Mapping[str, Any], options: Options) -> str:
        script = templates.asset("report.js")
        context = {
            "css": Markup(templates.asset("report.css")),
            "js": Markup(script),
            "csp": _csp(script),
            "html_lang": i18n.current().replace("_", "-"),
            "zone": wording.zone(),
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
    by_platform = complaint.by_platform(report)
    leaked = sum(1 for p in platforms if p.get("verdict") == "leaked")
    return {
        "generated_at": wording.stamp(report.get("generated_at")),
        "headline": wording.headline(platforms),
        "privacy": _privacy(options),
        "redacted": options.redacted,
        "back_to": options.back_to,
        "unverified": bool(report.get("unverified")),
        "stats": [
            (wording.count(len(platforms)), _("platforms watched")),
            (wording.count(leaked), _("reached callers")),
            (wording.count(len(flagged) - leaked), _("suspected")),
            (wording.count(len(contacts)), _("contacts")),
            (wording.count(sum(1 for c in contacts if c.get("platform"))), _("attributed")),
            (wording.count(len(report["campaigns"])), _("campaigns")),
        ],
        "cards": [
            _finding_card(p, by_platform.get(str(p.get("platform")), []), report, options)
            for p in flagged[:MAX_CARDS]
        ],
        "cards_hidden": max(0, len(flagged) - MAX_CARDS),
        "platform_rows": [_card(p) for p in platforms],
        "confidence_note": wording.confidence_note(),
    }


def contacts_table(report: Mapping[str, Any]) -> dict[str, Any]:
    """Rows for the filterable tables: attributed contacts, then the rest (background, first-party
    or ambiguous) behind "show the rest"; at most MAX_CONTACT_ROWS, attributed ones kept first."""
    verdicts = {str(p.get("platform")): str(p.get("verdict")) for p in report["platforms"]}
    contacts = list(report["contacts"])
    kept = contacts
    if len(contacts) > MAX_CONTACT_ROWS:
        ranked = sorted(contacts, key=lambda c: (c.get("platform") is None, -(c.get("confidence") or 0)))
        kept = ranked[:MAX_CONTACT_ROWS]
    kept = sorted(kept, key=lambda c: str(c.get("at") or ""))
    rows = [_contact_row(c, verdicts) for c in kept]
    return {
        "attributed_rows": [r for r in rows if r["platform"]],
        "rest_rows": [r for r in rows if not r["platform"]],
        "contacts_total": len(contacts),
        "contacts_capped": len(contacts) > MAX_CONTACT_ROWS,
        "max_contact_rows_text": wording.count(MAX_CONTACT_ROWS),
        "contacts_total_text": wording.count(len(contacts)),
        "filter_platforms": sorted({r["platform"] for r in rows if r["platform"]}),
        "filter_channels": [(name, wording.channel_label(name)) for name in sorted({r["channel"] for r in rows})],
        "unattributed_label": wording.unattributed(),
    }


def _card(row: Mapping[str, Any]) -> dict[str, Any]:
    confidence = row.get("confidence")
    window = row.get("leak_window") or {}
    return {
        "platform": row.get("platform"),
        "verdict": row.get("verdict"),
        "verdict_label": wording.verdict_label(row.get("verdict")),
        "finding": wording.finding(row),
        "percent": i18n.percent(confidence),
        "bar": round(float(confidence or 0) * 100, 1),
        "contacts": row.get("contacts") or 0,
        "first_contact": wording.when(row.get("first_contact_at")),
        "delay": wording.delay(row.get("days_to_first_contact")),
        "linked": list(row.get("linked_platforms") or []),
        "category": wording.category_label(row.get("category")) if row.get("category") else None,
        "signup": wording.when(row.get("signup_at")) if row.get("signup_at") else None,
        "leak_window": (wording.when(window["from"]), wording.when(window["to"]))
        if window.get("from") and window.get("to")
        else None,
    }


def _finding_card(
    row: Mapping[str, Any], mine: list[Mapping[str, Any]], report: Mapping[str, Any], options: Options
) -> dict[str, Any]:
    """A flagged platform: its card, the contacts that prove it, and its ready complaints."""
    proof = sorted(mine, key=_strength)[:PROOF_MAX]
    lang = complaint.language()
    card = _card(row)
    card["slug"] = complaint.slug(str(row.get("platform")))
    rows = [_proof_row(c, lang) for c in proof]
    card["proof"], card["proof_more"] = rows[:PROOF_SHOWN], rows[PROOF_SHOWN:]
    card["reports"] = _reports(row, mine, report, options, lang)
    return card


def _strength(contact: Mapping[str, Any]) -> tuple[int, float, str]:
    kinds = [str(e.get("kind")) for e in contact.get("evidence") or []]
    best = min((_STRENGTH.get(k, 5) for k in kinds), default=6)
    return best, -float(contact.get("confidence") or 0), str(contact.get("at") or "")


def _proof_row(contact: Mapping[str, Any], lang: str) -> dict[str, Any]:
    return {
        **_shown(contact),
        "percent": i18n.percent(contact.get("confidence")),
        "forward": forms.forward_line(contact, lang),
        "forward_to": forms.SMS_REPORT_NUMBER[lang],
    }


def _shown(contact: Mapping[str, Any]) -> dict[str, Any]:
    """What every row shows of a contact: when, how, from whom, what was said, the evidence."""
    return {
        "id": contact.get("id"),
        "at": wording.when(contact.get("at")),
        "channel": str(contact.get("channel") or "call"),
        "channel_label": wording.channel_label(contact.get("channel")),
        "from": contact.get("from") or "",
        "evidence": [(wording.evidence_kind(e.get("kind")), e.get("detail", "")) for e in contact.get("evidence") or []],
        "heard_name": contact.get("heard_name"),
        "caller_name": contact.get("caller_name"),
        "text": contact.get("text") or contact.get("summary"),
    }


def _reports(
    row: Mapping[str, Any], mine: list[Mapping[str, Any]], report: Mapping[str, Any], options: Options, lang: str
) -> list[dict[str, Any]]:
    """Each body this reader reports to: where, the form's fields, and the full draft."""
    platform = str(row.get("platform"))
    facts = _facts(row, mine, report, options)
    if facts is None:
        return []
    out = []
    for authority in complaint.AUTHORITIES[lang]:
        out.append(
            {
                "key": authority.value,
                "title": _AUTHORITY_TITLE[authority](),
                "where": forms.WHERE[authority],
                "fields": forms.fields(facts, authority, lang),
                "draft": complaint.draft(facts, authority, lang),
                "file": f"complaint-{complaint.slug(platform)}-{authority.value}-{lang}.md",
            }
        )
    return out


def _facts(
    row: Mapping[str, Any], mine: list[Mapping[str, Any]], report: Mapping[str, Any], options: Options
) -> Any:
    platform = str(row.get("platform"))
    given = options.identities.get(platform)
    if given is None:
        reached = [c["to"] for c in mine if c.get("to")]
        given = {"phone": max(set(reached), key=reached.count) if reached else None}
    signup = row.get("signup_at") or row.get("first_contact_at")
    if not signup:
        return None
    return complaint.facts_from_report(
        report, platform, identity_given=given, bundle_file=f"evidence-{complaint.slug(platform)}.zip",
        signup_at=_moment(signup), contacts=mine, only=options.given_only.get(platform),
    )  # fmt: skip


_AUTHORITY_TITLE = {
    complaint.Authority.CN12321: lambda: _("12321 (spam calls and texts, China)"),
    complaint.Authority.MIIT: lambda: _("MIIT telecom user complaint (China)"),
    complaint.Authority.FTC: lambda: _("FTC (United States)"),
    complaint.Authority.ICO: lambda: _("ICO (United Kingdom)"),
    complaint.Authority.GENERIC: lambda: _("Access request to the platform (PIPL Art. 45 / GDPR Art. 15)"),
}


def _contact_row(contact: Mapping[str, Any], verdicts: dict[str, str]) -> dict[str, Any]:
    platform = contact.get("platform")
    others = [c for c in contact.get("candidates") or [] if c.get("platform") != platform]
    return {
        **_shown(contact),
        "to": contact.get("to") or "",
        "platform": platform,
        "verdict": verdicts.get(str(platform), "unattributed") if platform else "unattributed",
        "percent": i18n.percent(contact.get("confidence")) if platform else "",
        "others": [(c.get("platform"), i18n.percent(c.get("p"))) for c in others[:3]],
    }


def _privacy(options: Options) -> str:
    if not options.redacted:
        return _("Not redacted: this page shows full phone numbers and names. Share it with care.")
    if options.real_name_redacted:
        return _(
            "Redacted for sharing: your real name, phone numbers (country code and last two digits "
            "kept) and mail addresses."
        )
    return _("Redacted for sharing: phone numbers (country code and last two digits kept) and mail addresses.")


def _moment(value: str | datetime) -> datetime:
    return value if isinstance(value, datetime) else times.parse(value)


def _csp(script: str) -> str:
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


RENDERER = HtmlRenderer()
