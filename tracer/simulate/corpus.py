"""Real robocall text for en_US worlds: FTC "Point of No Entry" transcripts and caller IDs.

The tables are a public-domain copy shipped in the package, `tracer/simulate/data/robocalls/`
(see its README for source commits and licence): Whisper
transcripts of real robocalls (`metadata.csv`) and the numbers found in the FTC letters and in
those transcripts (`caller_ids.csv`). Nobody on this project wrote a word of them, which is the
point: text written by the people who also write the matcher would flatter the matcher.

Looked up in `$TRACER_ROBOCALLS` (another copy), else in the package: a fresh clone or an
installed wheel has everything `tracer demo --locale en_US` needs.
"""

from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import phonenumbers

from tracer.errors import InputError
from tracer.i18n import _

ENV = "TRACER_ROBOCALLS"
PACKAGED = Path(__file__).resolve().parent / "data" / "robocalls"

# First match wins; the patterns were checked against the 826 distinct English transcripts.
_TOPICS: tuple[tuple[str, str], ...] = (
    ("education", r"student loan"),
    ("used-cars", r"warranty|vehicle|\bcar\b|\bauto\b"),
    ("government", r"social security|\bssa\b|\birs\b|legal|lawsuit|\bwarrant\b|customs|federal"),
    ("utility", r"electric|utility|power bill|disconnect"),
    ("insurance", r"medicare|insurance|health plan"),
    ("loans", r"credit card|interest rate|debt|\bloan"),
    ("stocks", r"invest|crypto|bitcoin|stock"),
    ("real-estate", r"solar|your home|property|energy"),
    ("lifestyle", r"hotel|vacation|cruise|travel|directv|discount"),
    ("shopping", r"amazon|order|purchase|apple|iphone|paypal|account"),
    ("delivery", r"parcel|package|express"),
)
_CATEGORY_TOPICS: tuple[tuple[str, str], ...] = (
    ("education", r"studentloan|student loan"),
    ("used-cars", r"warranty"),
    ("shopping", r"amazon|apple|paypal|order|purchase|brandimpers|cashapp"),
    ("utility", r"utility"),
    ("loans", r"ccirr|creditcard|debt|reduction|financial"),
    ("insurance", r"medicare|insurance"),
    ("lifestyle", r"hotel|travel|directv|discount|marriot|hilton"),
    ("real-estate", r"solar|home services"),
    ("government", r"ssa|govt|irs|legal|administration|agency|cbp|fedreserv|law"),
)


@dataclass(frozen=True)
class Script:
    """One real transcript and the callback numbers it reads out (E.164)."""

    text: str
    topic: str
    callbacks: tuple[str, ...]


@dataclass(frozen=True)
class Corpus:
    scripts: tuple[Script, ...]
    callers: dict[str, tuple[str, ...]]  # topic -> caller IDs from FTC traceback letters
    callbacks: tuple[str, ...]  # numbers read out in transcripts

    def for_topic(self, topic: str) -> tuple[Script, ...]:
        """Scripts on `topic`; scripts of the sales topics when none is about it."""
        found = tuple(s for s in self.scripts if s.topic == topic)
        if found:
            return found
        return tuple(s for s in self.scripts if s.topic in ("shopping", "lifestyle", "loans"))

    def callers_for(self, topic: str) -> tuple[str, ...]:
        return self.callers.get(topic) or self.callers.get("", ())


def locate() -> Path:
    """The corpus folder, or InputError saying where it was looked for."""
    if os.environ.get(ENV):
        found = Path(os.environ[ENV])
        if (found / "metadata.csv").is_file():
            return found
        raise InputError(_("{ENV}={found} has no metadata.csv").format(ENV=ENV, found=found), field=ENV)
    if (PACKAGED / "metadata.csv").is_file():
        return PACKAGED
    raise InputError(
        _("the robocall corpus is missing from the installed package ({PACKAGED})").format(PACKAGED=PACKAGED),
        hint=_("reinstall tracer, or set {ENV} to the folder holding metadata.csv and caller_ids.csv").format(ENV=ENV),
    )


@cache
def load(folder: Path | None = None) -> Corpus:
    """The English scripts (deduplicated, in file order) and numbers, read once per process."""
    root = folder or locate()
    with open(root / "metadata.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    seen: set[str] = set()
    scripts = []
    for row in rows:
        text = " ".join(row["transcript"].split())
        if row["language"] != "en" or len(text) < 40 or text in seen:
            continue
        seen.add(text)
        scripts.append(Script(text, topic_of(text), tuple(numbers_in(text))))
    callers, callbacks = _numbers(root / "caller_ids.csv")
    return Corpus(tuple(scripts), callers, callbacks)


def topic_of(text: str) -> str:
    lowered = text.lower()
    for topic, pattern in _TOPICS:
        if re.search(pattern, lowered):
            return topic
    return "other"


def numbers_in(text: str) -> list[str]:
    """Valid US numbers a transcript reads out, as E.164, in order, without repeats."""
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(text, "US"):
        e164 = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(match.number) and e164 not in found:
            found.append(e164)
    return found


def _numbers(path: Path) -> tuple[dict[str, tuple[str, ...]], tuple[str, ...]]:
    callers: dict[str, list[str]] = {}
    callbacks: list[str] = []
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            number = row["phone_e164"]
            if row["likely_admin"] == "yes" or not _valid(number):
                continue
            if row["first_source"].startswith("transcript:"):
                callbacks.append(number)
            else:
                callers.setdefault(_category_topic(row["scam_category"]), []).append(number)
    return {k: tuple(v) for k, v in sorted(callers.items())}, tuple(callbacks)


def _category_topic(label: str) -> str:
    lowered = label.lower()
    for topic, pattern in _CATEGORY_TOPICS:
        if re.search(pattern, lowered):
            return topic
    return ""


def _valid(e164: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False
