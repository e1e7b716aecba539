"""The fields each receiving body's form asks for, filled from a complaint's facts.

The HTML report shows them with a copy button each, so reporting a leak is: open the form, copy,
paste. Values are the same facts the Markdown draft states (`tracer.reports.complaint`), never
more. Spam texts get the line to forward by SMS: to 12321 as `号码*内容` in China, to 7726
("SPAM") in the US and UK.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from tracer import i18n
from tracer.i18n import _
from tracer.reports import wording
from tracer.reports.complaint import Authority, ComplaintFacts, summary

MAX_CALLERS = 10
# Where each body takes reports; shown as text (the page makes no network requests).
WHERE = {
    Authority.CN12321: "https://www.12321.cn  ·  微信公众号「12321受理中心」",
    Authority.MIIT: "https://yhssglxt.miit.gov.cn",
    Authority.FTC: "https://reportfraud.ftc.gov  ·  https://www.donotcall.gov",
    Authority.ICO: "https://ico.org.uk/make-a-complaint/",
    Authority.GENERIC: "",
}
SMS_REPORT_NUMBER = {"zh": "12321", "en": "7726"}


@dataclass(frozen=True)
class Field:
    label: str
    value: str
    long: bool = False  # a paragraph (textarea) rather than one line


def fields(facts: ComplaintFacts, authority: Authority, lang: str) -> list[Field]:
    """The form fields `authority` asks for, in the reader's language, filled from `facts`."""
    callers = list(dict.fromkeys(
        str(c["from"]) for c in facts.contacts if c.get("from") and c.get("channel") in ("call", "sms")
    ))  # fmt: skip
    first = min((str(c["at"]) for c in facts.contacts if c.get("at")), default=None)
    received_on = facts.identity_given.get("phone") or ""
    kind = _kind(facts.contacts)
    story = narrative(facts)
    if authority is Authority.CN12321:
        return [
            Field(_("Report type"), kind),
            Field(_("Reported numbers"), ", ".join(callers[:MAX_CALLERS])),
            Field(_("Your number that received them"), received_on),
            Field(_("First received"), wording.stamp(first)),
            Field(_("Description"), story, long=True),
        ]
    if authority is Authority.MIIT:
        return [
            Field(_("Company complained about"), facts.platform),
            Field(_("Problem"), _("Personal information leaked and used for nuisance calls and texts")),
            Field(_("Description"), story, long=True),
            Field(_("What you ask for"), _(
                "Have the calling numbers dealt with, and check whether the company provided my "
                "personal information to others without my consent."
            ), long=True),  # fmt: skip
        ]
    if authority is Authority.FTC:
        return [
            Field(_("Your phone number"), received_on),
            Field(_("Date and time of the first call"), wording.stamp(first)),
            Field(_("Number on caller ID"), ", ".join(callers[:MAX_CALLERS])),
            Field(_("Company"), facts.platform),
            Field(_("Description"), story, long=True),
        ]
    if authority is Authority.ICO:
        return [
            Field(_("Organisation"), facts.platform),
            Field(_("What happened"), story, long=True),
        ]
    return [
        Field(_("To"), facts.platform),
        Field(_("Subject"), _("Access request: with whom did you share my personal data?")),
    ]


def narrative(facts: ComplaintFacts) -> str:
    """The finding in a few sentences for a form's description box."""
    contacts = [c for c in facts.contacts if c.get("at")]
    first = min((str(c["at"]) for c in contacts), default=None)
    parts = [
        _("On {date} I signed up with {platform} using contact details created for it alone.").format(
            date=wording.stamp(facts.signup_at), platform=facts.platform
        )
    ]
    if contacts and first:
        parts.append(
            _("Since then they received {n} unsolicited contacts, the first on {first}.").format(
                n=len(contacts), first=wording.stamp(first)
            )
        )
        parts.append(wording.finding({"platform": facts.platform, "verdict": facts.verdict}) + _("."))
        parts.append(_("Attribution confidence: {percent}.").format(percent=i18n.percent(facts.confidence)))
        samples = [summary(c, 60) for c in contacts[:3] if summary(c, 60)]
        if samples:
            parts.append(_("Examples: {texts}").format(texts=" / ".join(samples)))
    return " ".join(parts)


def forward_line(contact: Mapping[str, Any], lang: str) -> str | None:
    """The SMS to forward for a spam text: `sender*text` for 12321, the text itself for 7726."""
    if contact.get("channel") != "sms" or not contact.get("text"):
        return None
    text = " ".join(str(contact["text"]).split())
    if lang == "zh":
        sender = str(contact.get("from") or "").removeprefix("+86")
        return f"{sender}*{text}" if sender else None
    return text


def _kind(contacts: Any) -> str:
    channels = {str(c.get("channel")) for c in contacts}
    if channels == {"sms"}:
        return _("Spam text messages")
    if channels == {"email"}:
        return _("Spam email")
    if "call" in channels:
        return _("Nuisance calls") if channels == {"call"} else _("Nuisance calls and messages")
    return _("Nuisance messages")
