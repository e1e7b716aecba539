"""The web app's words in the vault's language: the catalogs' messages (`tracer.i18n`) by key.

Category chips put a word into "what they wanted" that the attribution lexicon reads as that
category's topic (tests/serve/test_labels.py holds every chip word to the lexicon).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from tracer import i18n
from tracer.i18n import N_, _

_MESSAGES = {
    "title": N_("Leak Tracer"),
    "nav_log": N_("Log"),
    "nav_canary": N_("Canary"),
    "nav_report": N_("Report"),
    "nav_contacts": N_("Calls and texts"),
    "log_heading": N_("A call or SMS you just got"),
    "channel": N_("Call or SMS"),
    "channel_call": N_("Call"),
    "channel_sms": N_("SMS"),
    "my_number": N_("Which of my numbers"),
    "caller": N_("Caller number"),
    "heard_name": N_("Name they called me"),
    "wanted": N_("What they wanted"),
    "sms_text": N_("SMS text (paste)"),
    "at": N_("Time (blank = now)"),
    "save": N_("Save"),
    "logged": N_("Logged {id}"),
    "known": N_("Already logged as {id}"),
    "canary_heading": N_("An identity for a signup"),
    "platform": N_("Platform name"),
    "category": N_("Category"),
    "real_name": N_("Platform checks my real name"),
    "issue": N_("Issue"),
    "issued": N_("Type this into the {platform} form:"),
    "phone": N_("Phone"),
    "name": N_("Name"),
    "email": N_("Email"),
    "copy": N_("Copy"),
    "copied": N_("Copied"),
    "copied_field": N_("{field} copied"),
    "contacts_heading": N_("Recent calls and messages"),
    "explain_heading": N_("Why this attribution"),
    "attributed_to": N_("Attributed to"),
    "nobody": N_("No platform (background, first-party or too little evidence)"),
    "confidence": N_("confidence"),
    "candidate": N_("candidate"),
    "open_report": N_("Open the full report"),
    "pair_heading": N_("Pair this device"),
    "pair_help": N_(
        "Open the pairing link that tracer serve shows in its terminal (with --lan, scan its QR code), "
        "or type the code from the end of that link."
    ),
    "pair_code": N_("Pairing code"),
    "pair": N_("Pair"),
    "pair_failed": N_("That pairing code is wrong or already used."),
    "too_many": N_("Too many attempts; wait a minute and try again."),
    "bad_form": N_("This form expired; send it again."),
    "logout": N_("Log out"),
    "none": N_("none"),
    "nav": N_("Pages"),
    "expired": N_("This device's session has ended (or the server restarted): pair it again."),
    "field_error": N_("{label}: {reason}"),
    "open_explanation": N_("see why"),
    "no_category": N_("(none)"),
    "times_in": N_("Times in {zone}."),
}

# What each canary field is called on a signup form (the same messages as `tracer canary new`)
_FIELDS = {"birthday": N_("birthday"), "address2": N_("address line 2"), "surname": N_("surname"),
           "marker": N_("marker")}  # fmt: skip
# Evidence kinds the report JSON carries (`evidence[].kind`)
_KINDS = ("identifier", "name", "marker", "timing", "category", "campaign")
# Which label names a form field an InputError names (`field=`), per form
FIELD_LABELS = MappingProxyType({"from": "caller", "to": "my_number", "at": "at", "heard_name": "heard_name",
                                 "text": "wanted", "platform": "platform", "category": "category"})  # fmt: skip

# category -> (zh chip word, en chip word); each word is a topic keyword of that category
CHIPS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "stocks": ("股票", "stocks"),
        "loans": ("贷款", "personal loan"),
        "debt": ("催收", "debt relief"),
        "real-estate": ("房产", "real estate"),
        "cars": ("车险", "car warranty"),
        "insurance": ("保险", "insurance"),
        "education": ("培训", "tutoring"),
        "beauty": ("医美", "beauty"),
        "jobs": ("招聘", "jobs"),
        "travel": ("旅游", "vacation"),
    }
)


def labels(locale: str) -> Mapping[str, str]:
    """The label table for `locale`, from the message catalogs (`tracer.i18n`)."""
    with i18n.reading(locale):
        return MappingProxyType({key: _(message) for key, message in _MESSAGES.items()})


@dataclass(frozen=True)
class Terms:
    """Codes the pages show (channels, evidence kinds, categories, canary fields, warnings) in
    one language, looked up once: a page renders without touching the process-wide language."""

    channels: Mapping[str, str]
    kinds: Mapping[str, str]
    categories: Mapping[str, str]
    fields: Mapping[str, str]
    zone: str
    unattributed: str

    def channel(self, code: str | None) -> str:
        return self.channels.get(str(code), str(code or ""))

    def kind(self, code: str | None) -> str:
        return self.kinds.get(str(code), str(code or ""))

    def category(self, code: str | None) -> str:
        return self.categories.get(str(code), str(code or ""))

    def field(self, key: str) -> str:
        return self.fields.get(key, key)


def terms(locale: str, tz: str) -> Terms:
    """The `Terms` for `locale`, times named as in zone `tz` (北京时间 in Chinese)."""
    from tracer.attribution.content import CATEGORIES
    from tracer.reports import wording

    with i18n.reading(locale, tz):
        return Terms(
            channels=MappingProxyType({c: wording.channel_label(c) for c in ("call", "sms", "email")}),
            kinds=MappingProxyType({k: wording.evidence_kind(k) for k in _KINDS}),
            categories=MappingProxyType({c: wording.category_label(c) for c in CATEGORIES}),
            fields=MappingProxyType({k: _(m) for k, m in _FIELDS.items()}),
            zone=i18n.zone_label(tz),
            unattributed=wording.unattributed(),
        )


def warning(text: str, locale: str) -> str:
    """A warning the canaries package wrote (kept in English with the canary) in `locale`."""
    from canaries import WARNINGS

    with i18n.reading(locale):
        return i18n.reword(text, WARNINGS)


def chips(locale: str) -> list[tuple[str, str]]:
    """(category, word) chips in the locale's language."""
    index = 0 if is_chinese(locale) else 1
    return [(category, words[index]) for category, words in CHIPS.items()]


def is_chinese(locale: str) -> bool:
    """Whether `locale` reads the Chinese catalog (as `tracer.i18n` maps it: zh_TW too)."""
    return (i18n.normalize(locale) or "").startswith("zh")
