"""Locale realism: valid national numbers, Chinese templates, real robocall text in English."""

from __future__ import annotations

import re
from pathlib import Path

import phonenumbers
from simulate_readback import read, sms_key

from tracer.simulate.corpus import load as load_corpus

# What the simulator adds in front of a script: a greeting, a quoted marker.
PREFIXES = re.compile(
    r"^((Hi |Dear )?[^,]{1,40}, )?(Our records show[^.]*\. |Regarding the delivery to [^:]*: )?"
)


def _valid(e164: str, region: str) -> bool:
    number = phonenumbers.parse(e164, None)
    return (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == region
    )


def test_zh_world_numbers_are_valid_chinese_mobiles(zh_world: Path) -> None:
    files = read(zh_world)
    for number in files.world["numbers"]:
        assert number["e164"].startswith("+861") and _valid(number["e164"], "CN")
    callers = {row["from"] for row in files.calls if row["from"]}
    assert callers and all(_valid(c, "CN") for c in callers)


def test_en_world_numbers_and_caller_ids_are_valid_us_numbers(en_world: Path) -> None:
    files = read(en_world)
    assert files.world["user"]["region"] == "US"
    for number in files.world["numbers"]:
        assert _valid(number["e164"], "US")
    callers = {row["from"] for row in files.calls if row["from"]}
    assert callers and all(_valid(c, "US") for c in callers)


def test_en_spam_text_comes_from_the_robocall_corpus(en_world: Path) -> None:
    """Leak and background SMS and voicemail transcripts are real robocall transcripts."""
    files = read(en_world)
    truth = files.truth_by_key()
    scripts = [s.text for s in load_corpus().scripts]
    texts = [
        row["body"] for row in files.sms if truth[sms_key(row)]["cause"] in ("leak", "background")
    ]
    texts += [
        row["text"]
        for row in files.calls
        if truth[row["id"]]["cause"] in ("leak", "background") and len(row["text"]) > 60
    ]
    assert len(texts) > 20

    def from_corpus(text: str) -> bool:
        core = PREFIXES.sub("", text).split(" Call ")[0][:80]
        return any(core in script for script in scripts)

    assert all(from_corpus(t) for t in texts), [t for t in texts if not from_corpus(t)][:3]
    voicemails = [row for row in files.calls if len(row["text"]) > 60]
    assert voicemails, "robocalls leave voicemail transcripts"


def test_en_callback_numbers_come_from_the_corpus(en_world: Path) -> None:
    corpus = load_corpus()
    known = {n for s in corpus.scripts for n in s.callbacks} | set(corpus.callbacks)
    printed = set()
    for centre in read(en_world).truth["centres"]:
        for callback in centre["callbacks"]:
            printed.add("+1" + callback.replace("-", ""))
    assert printed and printed <= known


def test_zh_marketing_sms_carry_a_signature_and_an_opt_out(zh_world: Path) -> None:
    files = read(zh_world)
    truth = files.truth_by_key()
    spam = [row["body"] for row in files.sms if truth[sms_key(row)]["cause"] == "leak"]
    assert spam
    signed = [b for b in spam if b.startswith("【")]
    assert len(signed) / len(spam) > 0.7
    assert any("退订" in b or "回复R" in b for b in signed)
