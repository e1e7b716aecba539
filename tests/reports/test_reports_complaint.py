"""Complaint drafts: every authority and language states the facts, the confidence, no more."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tracer.errors import InputError, RefusedError
from tracer.reports import Authority, ComplaintFacts, draft, facts_from_report
from tracer.reports.complaint import given_only

IDENTITY = {"phone": "+8613811110001", "name": "欧阳建国", "email": None}
BUNDLE = "stockpro-2026-03-20.ltbundle"


@pytest.fixture
def facts(report: dict) -> ComplaintFacts:
    return facts_from_report(
        report, "StockPro", identity_given=IDENTITY, bundle_file=BUNDLE, user_name="李秀英"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("authority", list(Authority))
def test_draft_states_platform_signup_date_confidence_and_bundle(
    facts: ComplaintFacts, authority: Authority, lang: str
) -> None:
    text = draft(facts, authority, lang)
    assert "StockPro" in text
    assert "2026-01-05" in text
    assert "97%" in text
    assert BUNDLE in text
    assert "+8617012345672" in text  # the callers, as the caller chose to pass them
    assert text.startswith("# ")


@pytest.mark.parametrize("authority", list(Authority))
def test_english_drafts_say_data_reached_callers_and_do_not_allege_how(
    facts: ComplaintFacts, authority: Authority
) -> None:
    text = draft(facts, authority, "en")
    assert "data given to StockPro reached unsolicited callers" in text
    assert "I do not allege any particular one" in text
    assert "calibrated probability" in text


@pytest.mark.parametrize("authority", list(Authority))
def test_chinese_drafts_say_data_reached_callers_and_do_not_allege_how(
    facts: ComplaintFacts, authority: Authority
) -> None:
    text = draft(facts, authority, "zh")
    assert "提供给「StockPro」的信息到达了骚扰来电/发信方" in text
    assert "我不指控其中任何一种具体情形" in text


def test_suspected_platform_is_worded_as_may_have(report: dict) -> None:
    facts = facts_from_report(report, "安居房产", identity_given={}, bundle_file=BUNDLE)
    text = draft(facts, Authority.FTC, "en")
    assert "may have reached unsolicited callers" in text
    assert "marked *suspected*" in text


def test_regulators_get_no_complaint_without_evidence_but_the_platform_gets_a_request(
    report: dict,
) -> None:
    facts = facts_from_report(report, "健康100", identity_given=IDENTITY, bundle_file=BUNDLE)
    with pytest.raises(RefusedError, match="nothing to report"):
        draft(facts, Authority.ICO, "en")
    letter = draft(facts, Authority.GENERIC, "zh")
    assert "第四十五条" in letter and "健康100" in letter


def test_generic_letter_is_an_access_request_under_pipl_45_and_gdpr_15(
    facts: ComplaintFacts,
) -> None:
    en = draft(facts, Authority.GENERIC, "en")
    assert "Article 15" in en and "Articles 44 and 45" in en and "recipient" in en
    assert "《中华人民共和国个人信息保护法》第四十四条、第四十五条" in draft(facts, "generic", "zh")


def test_drafts_list_only_the_platforms_own_contacts(facts: ComplaintFacts, report: dict) -> None:
    mine = [c for c in report["contacts"] if c["platform"] == "StockPro"]
    assert len(facts.contacts) == len(mine) == 16
    assert "**16**" in draft(facts, Authority.CN12321, "zh")


def test_many_contacts_are_cut_to_25_rows_with_a_pointer_to_the_bundle(
    facts: ComplaintFacts,
) -> None:
    many = ComplaintFacts(**{**facts.__dict__, "contacts": list(facts.contacts) * 3})
    text = draft(many, Authority.FTC, "en")
    assert text.count("| call |") + text.count("| text message |") == 25
    assert "…and 23 more, all listed in the evidence bundle." in text


def test_table_cells_cannot_break_the_markdown_table(facts: ComplaintFacts) -> None:
    odd = {"at": "2026-02-01T00:00:00Z", "channel": "sms", "from": "x|y",
           "summary": "a | b\nc <script>"}  # fmt: skip
    text = draft(ComplaintFacts(**{**facts.__dict__, "contacts": [odd]}), "ftc", "en")
    row = next(line for line in text.splitlines() if line.startswith("| 2026-02-01"))
    assert row == "| 2026-02-01 00:00 | text message | x\\|y | a \\| b c \\<script> |"


def test_missing_user_name_leaves_a_placeholder(facts: ComplaintFacts) -> None:
    anonymous = ComplaintFacts(**{**facts.__dict__, "user_name": None})
    assert "[your name]" in draft(anonymous, "ico", "en")
    assert "[您的姓名]" in draft(anonymous, "ico", "zh")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"confidence": 1.5}, "probability"),
        ({"verdict": "guilty"}, "unknown verdict"),
        ({"signup_at": datetime(2026, 1, 5)}, "timezone"),
        ({"platform": " "}, "platform"),
    ],
)
def test_facts_check_their_invariants_on_construction(
    facts: ComplaintFacts, change: dict, message: str
) -> None:
    with pytest.raises(InputError, match=message):
        ComplaintFacts(**{**facts.__dict__, **change})


def test_unknown_authority_or_language_is_an_input_error(facts: ComplaintFacts) -> None:
    with pytest.raises(InputError, match="unknown authority"):
        draft(facts, "police", "en")
    with pytest.raises(InputError, match="unknown language"):
        draft(facts, Authority.FTC, "fr")


def test_facts_from_report_needs_a_known_platform_and_a_signup_time(report: dict) -> None:
    with pytest.raises(InputError, match="not in the report"):
        facts_from_report(report, "Nope", identity_given={}, bundle_file=BUNDLE)
    del report["platforms"][0]["signup_at"]
    with pytest.raises(InputError, match="no signup time"):
        facts_from_report(report, "StockPro", identity_given={}, bundle_file=BUNDLE)
    given = datetime(2026, 1, 5, 2, tzinfo=UTC)
    facts = facts_from_report(report, "StockPro", identity_given={}, bundle_file=BUNDLE, signup_at=given)
    assert facts.signup_at == given


def test_given_only_keeps_just_the_values_no_other_platform_and_not_the_user_had() -> None:
    own_phone, real_name = "+8613800138000", "李秀英"
    only = given_only(
        [
            ("StockPro", {"phone": "+8613811110001", "name": "欧阳建国", "email": "a1@mine.example.org"}),
            ("LoanNow", {"phone": "+8613811110001", "name": "司马 红", "email": "b2@mine.example.org"}),
            ("BankKYC", {"phone": own_phone, "name": real_name, "email": "c3@mine.example.org"}),
            ("LoanNow", {"phone": "+8613811110009", "name": "司马红", "email": None}),  # its second canary
        ],
        own=(own_phone, real_name, None),
    )
    assert only == {
        "StockPro": frozenset({"name", "email"}),  # the pool number went to LoanNow too
        # its two canaries share a name: still LoanNow's alone; its first number is StockPro's too,
        # so "phone" is not claimed although its second canary's number is its own
        "LoanNow": frozenset({"name", "email"}),
        "BankKYC": frozenset({"email"}),  # the user's own number and real name are no one's alone
    }


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_draft_says_given_to_no_one_else_only_of_the_fields_that_were(report: dict, lang: str) -> None:
    shared_phone = facts_from_report(
        report, "StockPro", identity_given=IDENTITY, bundle_file=BUNDLE, only=frozenset({"name"})
    )
    text = draft(shared_phone, Authority.GENERIC if lang == "zh" else Authority.FTC, lang)
    rows = {line.split(" | ")[0].strip("| "): line for line in text.splitlines() if line.startswith("| ")}
    phone, name = rows["手机号" if lang == "zh" else "Phone number"], rows["姓名" if lang == "zh" else "Name"]
    assert ("不止「StockPro」" if lang == "zh" else "not only StockPro") in phone
    assert ("仅「StockPro」" if lang == "zh" else "StockPro only") in name
    assert ("未提供给任何其他方" if lang == "zh" else "gave to no one else") in text  # of the marked ones

    nothing = facts_from_report(report, "StockPro", identity_given=IDENTITY, bundle_file=BUNDLE, only=frozenset())
    text = draft(nothing, Authority.GENERIC if lang == "zh" else Authority.FTC, lang)
    assert ("未提供给任何其他方" if lang == "zh" else "gave to no one else") not in text
    assert ("都不是只提供给「StockPro」的" if lang == "zh" else "None of these details was given to StockPro alone") in text


def test_a_draft_that_does_not_know_what_was_shared_claims_neither(facts: ComplaintFacts) -> None:
    for lang, words in (("en", ("no one else", "alone", " only")), ("zh", ("未提供给任何其他方", "只提供给", "仅「"))):
        text = draft(facts, Authority.GENERIC, lang)
        assert not any(word in text for word in words), (lang, text)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("authority", list(Authority))
def test_a_suspected_platform_with_no_contact_of_its_own_gets_no_list_it_lacks(
    report: dict, authority: Authority, lang: str
) -> None:
    """Suspected from contacts shared with other platforms: no "listed above" with nothing listed,
    no "no evidence" beside a 90% suspicion; the draft says what the suspicion rests on."""
    bare = {**report, "contacts": [c for c in report["contacts"] if c["platform"] != "安居房产"]}
    facts = facts_from_report(bare, "安居房产", identity_given=IDENTITY, bundle_file=BUNDLE)
    assert facts.verdict == "suspected" and not facts.contacts
    text = draft(facts, authority, lang)
    for claim in ("listed above", "上表所列", "no evidence so far", "没有证据"):
        assert claim not in text
    if authority is not Authority.GENERIC:
        said = "No contact has been attributed to 安居房产 alone" if lang == "en" else "单独归因到「安居房产」"
        assert said in text
        numbered = [line.split(".")[0] for line in text.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")]
        assert numbered == [str(i) for i in range(1, len(numbered) + 1)]
