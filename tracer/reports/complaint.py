"""Complaint drafts in Markdown: to China's 12321 centre, the US FTC, the UK ICO, or a letter to
the platform itself asking whom it shared the data with (PIPL Art. 45 / GDPR Art. 15).

Drafts state what the evidence shows and no more: "data given to X reached these callers", with
the attribution confidence, never a claim about *how* the data left X (sale, sharing, breach or
an insider). A platform without evidence gets no complaint to a regulator, only the access
request, which anyone may send.

Whether the identity and caller numbers appear in full is the caller's choice: pass redacted
values for a draft to share, full ones for a draft to file (12321 needs the callers' numbers).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from tracer import i18n, sanitize, times
from tracer.errors import InputError, RefusedError
from tracer.i18n import _
from tracer.reports import templates, wording

LANGS = ("zh", "en")
_LOCALES = {"zh": "zh_CN", "en": "en_US"}
VERDICTS = ("leaked", "suspected", "no-evidence")
MAX_CONTACTS = 25


class Authority(StrEnum):
    CN12321 = "12321"
    MIIT = "miit"
    FTC = "ftc"
    ICO = "ico"
    GENERIC = "generic"


# Whom a user reading each language reports to, first the regulator, last the access request
# to the platform itself (which needs no evidence and which anyone may send).
AUTHORITIES = {
    "zh": (Authority.CN12321, Authority.MIIT, Authority.GENERIC),
    "en": (Authority.FTC, Authority.ICO, Authority.GENERIC),
}


@dataclass(frozen=True)
class BundleFacts:
    """What a verified evidence bundle holds (`tracer.evidence.bundle.verify`): all a draft may
    say about its evidence. A draft without one claims nothing about the bundle's contents."""

    file: str
    entries: int
    disclosed: int
    anchors: int


@dataclass(frozen=True)
class ComplaintFacts:
    """What a draft may say. Checked on construction; times are aware datetimes.

    `contacts` are dicts with `at` (datetime or ISO text), `channel`, `from` and `summary`
    (optionally `text`, `heard_name`, `caller_name`). `bundle`: the verified bundle the draft
    cites, or None when it names a bundle still to be made (`bundle_file`).
    """

    platform: str
    signup_at: datetime
    identity_given: Mapping[str, str | None]
    contacts: Sequence[Mapping[str, Any]]
    confidence: float
    verdict: str
    linked_platforms: Sequence[str] = ()
    bundle_file: str = ""
    user_name: str | None = None
    generated_at: datetime = field(default_factory=times.now)
    bundle: BundleFacts | None = None
    # the fields of `identity_given` whose value this platform alone was given (`given_only`);
    # None: not known, and the draft claims no field was
    given_only: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if not self.platform.strip():
            raise InputError(_("a complaint needs the platform's name"), field="platform")
        if self.signup_at.tzinfo is None or self.generated_at.tzinfo is None:
            raise InputError(_("times must carry a timezone"), field="signup_at")
        if self.verdict not in VERDICTS:
            raise InputError(_("unknown verdict {verdict!r}").format(verdict=self.verdict), field="verdict")
        if not 0.0 <= float(self.confidence) <= 1.0:
            raise InputError(_("confidence must be a probability between 0 and 1"), field="confidence")


def given_only(
    identities: Iterable[tuple[str, Mapping[str, str | None]]], own: Collection[str | None] = ()
) -> dict[str, frozenset[str]]:
    """Platform -> the identity fields (phone, name, email) whose value it alone was given, from
    every canary's (platform, identity) pair, as stored (not redacted): a value another platform
    was also given, or one of the user's own details (`own`: their number, real name, address),
    is not "given to no one else". A pool number shared by many signups, or a real-name (KYC)
    canary's name, is evidence only with the rest, and a draft must not say otherwise."""
    pairs = [(platform, dict(identity)) for platform, identity in identities]
    holders: dict[str, set[str]] = {}
    for platform, identity in pairs:
        for value in identity.values():
            if value:
                holders.setdefault(_same(value), set()).add(platform)
    mine = {_same(value) for value in own if value}
    unique: dict[str, dict[str, bool]] = {}  # platform -> field -> every value it was given is its alone
    for platform, identity in pairs:
        fields = unique.setdefault(platform, {})
        for key, value in identity.items():
            if value and key in _IDENTITY_FIELDS:
                alone = _same(value) not in mine and holders[_same(value)] == {platform}
                fields[key] = fields.get(key, True) and alone  # two canaries of one platform: both must be
    return {platform: frozenset(k for k, alone in fields.items() if alone) for platform, fields in unique.items()}


_IDENTITY_FIELDS = ("phone", "name", "email")


def _same(value: str) -> str:
    return " ".join(value.casefold().split())


def draft(facts: ComplaintFacts, authority: Authority | str, lang: str = "zh", tz: str | None = None) -> str:
    """The Markdown draft for `authority` in `lang` ("zh" or "en"), times in IANA zone `tz`
    (default: the current `tracer.i18n` zone) with the zone named."""
    chosen = _authority(authority)
    if lang not in LANGS:
        raise InputError(_("unknown language {lang!r} (choose zh or en)").format(lang=lang), field="lang")
    if facts.verdict == "no-evidence" and chosen is not Authority.GENERIC:
        raise RefusedError(
            _("no contact has been attributed to {platform}, so there is nothing to report").format(platform=facts.platform),
            hint=_("the generic access request asking whom it shared your data with is still possible"),
        )
    name = f"complaint_{chosen.value}_{lang}.md.j2"
    # text from files (heard names, messages) cannot carry terminal controls into the draft
    with i18n.reading(_LOCALES[lang], tz):
        return templates.environment().get_template(name).render(sanitize.deep(_context(facts, lang)))


def language() -> str:
    """The draft language ("zh" or "en") matching the reader's language."""
    return "zh" if i18n.is_chinese() else "en"


def by_platform(report: Mapping[str, Any]) -> dict[str, list[Mapping[str, Any]]]:
    """The report's attributed contacts grouped by platform, in report order (read once)."""
    grouped: dict[str, list[Mapping[str, Any]]] = {}
    for contact in report.get("contacts", []):
        if contact.get("platform"):
            grouped.setdefault(str(contact["platform"]), []).append(contact)
    return grouped


def slug(name: str) -> str:
    """A file-name-safe form of a platform name (letters and digits of any script kept)."""
    return "".join(ch if ch.isalnum() else "-" for ch in name).strip("-")[:80] or "platform"


def facts_from_report(
    report: Mapping[str, Any],
    platform: str,
    *,
    identity_given: Mapping[str, str | None],
    bundle_file: str,
    user_name: str | None = None,
    signup_at: datetime | None = None,
    bundle: BundleFacts | None = None,
    contacts: Sequence[Mapping[str, Any]] | None = None,
    only: frozenset[str] | None = None,
) -> ComplaintFacts:
    """Facts for `platform` read from a report dict (its row and its attributed contacts).

    `contacts`: the platform's attributed contacts when the caller has grouped them already (a
    page or a folder of drafts for many platforms reads the report's contacts once, not once each).
    `only`: the fields of `identity_given` this platform alone was given (`given_only`).
    """
    row = next((p for p in report.get("platforms", []) if p.get("platform") == platform), None)
    if row is None:
        raise InputError(_("platform {platform!r} is not in the report").format(platform=platform), field="platform")
    signup = signup_at or (times.parse(row["signup_at"]) if row.get("signup_at") else None)
    if signup is None:
        raise InputError(_("the report has no signup time for this platform"), field="signup_at")
    if contacts is None:
        contacts = [c for c in report.get("contacts", []) if c.get("platform") == platform]
    mine = sorted(contacts, key=lambda c: str(c.get("at")))
    generated = report.get("generated_at")
    return ComplaintFacts(
        platform=platform,
        signup_at=signup,
        identity_given=identity_given,
        contacts=[_contact_fact(c) for c in mine],
        confidence=float(row.get("confidence") or 0.0),
        verdict=str(row.get("verdict")),
        linked_platforms=tuple(row.get("linked_platforms") or ()),
        bundle_file=bundle_file,
        user_name=user_name,
        generated_at=times.parse(generated) if generated else times.now(),
        bundle=bundle,
        given_only=only,
    )


def _contact_fact(contact: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "at": contact.get("at"),
        "channel": contact.get("channel"),
        "from": contact.get("from"),
        "heard_name": contact.get("heard_name"),
        "caller_name": contact.get("caller_name"),
        "text": contact.get("text"),
        "summary": summary(contact),
    }


def summary(contact: Mapping[str, Any], limit: int = 90) -> str:
    """What a contact said, in one line: the caller ID name, the name said, the text."""
    said = [
        f"[{contact['caller_name']}]" if contact.get("caller_name") else "",
        f"“{contact['heard_name']}”" if contact.get("heard_name") else "",
        " ".join(str(contact.get("text") or "").split()),
    ]
    text = " ".join(s for s in said if s).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _authority(value: Authority | str) -> Authority:
    try:
        return Authority(value)
    except ValueError:
        choices = ", ".join(a.value for a in Authority)
        raise InputError(_("unknown authority {value!r} (choose {choices})").format(value=value, choices=choices)) from None


_WORDS: dict[str, dict[str, Any]] = {
    "zh": {
        "channel": {"call": "来电", "sms": "短信", "email": "邮件"},
        "identity": {"phone": "手机号", "name": "姓名", "email": "邮箱"},
        "leaked": "提供给「{p}」的信息到达了骚扰来电/发信方",
        "suspected": "提供给「{p}」的信息可能已到达骚扰来电/发信方",
        "no-evidence": "目前没有证据表明提供给「{p}」的信息到达了骚扰来电/发信方",
        "hours": "{n:.0f} 小时",
        "days": "{n:.1f} 天",
        "under_hour": "不到 1 小时",
        "user": "[您的姓名]",
        "only": "仅「{p}」",
        "shared": "不止「{p}」",
        "unknown": "—",
        "list_sep": "、",
    },
    "en": {
        "channel": {"call": "call", "sms": "text message", "email": "email"},
        "identity": {"phone": "Phone number", "name": "Name", "email": "Email address"},
        "leaked": "data given to {p} reached unsolicited callers",
        "suspected": "data given to {p} may have reached unsolicited callers",
        "no-evidence": "there is no evidence so far that data given to {p} reached callers",
        "hours": "{n:.0f} hours",
        "days": "{n:.1f} days",
        "under_hour": "less than an hour",
        "user": "[your name]",
        "only": "{p} only",
        "shared": "not only {p}",
        "unknown": "—",
        "list_sep": ", ",
    },
}


def _context(facts: ComplaintFacts, lang: str) -> dict[str, Any]:
    words = _WORDS[lang]
    contacts = [_contact_row(c, words) for c in facts.contacts]
    first = min((c["moment"] for c in contacts if c["moment"]), default=None)
    return {
        "platform": facts.platform,
        "signup_date": wording.day(facts.signup_at),
        "signup_time": wording.stamp(facts.signup_at),
        "generated_date": wording.day(facts.generated_at),
        "zone": wording.zone(),
        "identity": [
            (words["identity"].get(key, key), value, _given_to(key, facts, words))
            for key, value in facts.identity_given.items()
            if value
        ],
        "only_known": facts.given_only is not None,
        "any_only": bool(facts.given_only and facts.given_only & {k for k, v in facts.identity_given.items() if v}),
        "contacts": contacts[:MAX_CONTACTS],
        "contacts_total": len(contacts),
        "contacts_more": max(0, len(contacts) - MAX_CONTACTS),
        "channels": words["list_sep"].join(dict.fromkeys(c["channel"] for c in contacts if c["channel"])),
        "first_contact": wording.stamp(first) if first else None,
        "delay": _delay(first - facts.signup_at, words) if first else None,
        "finding": words[facts.verdict].format(p=facts.platform),
        "percent": i18n.percent(facts.confidence),
        "verdict": facts.verdict,
        "linked": words["list_sep"].join(facts.linked_platforms),
        "bundle_file": (facts.bundle.file if facts.bundle else facts.bundle_file) or "(evidence bundle)",
        "bundle": facts.bundle,
        "user_name": facts.user_name or words["user"],
    }


def _given_to(key: str, facts: ComplaintFacts, words: Mapping[str, Any]) -> str:
    if facts.given_only is None:
        return str(words["unknown"])
    return str(words["only" if key in facts.given_only else "shared"]).format(p=facts.platform)


def _contact_row(contact: Mapping[str, Any], words: Mapping[str, Any]) -> dict[str, Any]:
    at = contact.get("at")
    moment = at if isinstance(at, datetime) else (times.parse(str(at)) if at else None)
    channel = str(contact.get("channel") or "")
    return {
        "moment": moment,
        "at": wording.when(moment),
        "channel": words["channel"].get(channel, channel),
        "from": contact.get("from") or "—",
        "summary": contact.get("summary") or "",
    }


def _delay(gap: Any, words: Mapping[str, Any]) -> str:
    hours = gap.total_seconds() / 3600
    if hours < 1:
        return str(words["under_hour"])
    if hours < 48:
        return str(words["hours"]).format(n=hours)
    return str(words["days"]).format(n=hours / 24)
