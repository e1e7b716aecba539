"""Redaction: no real number or real name survives in a redacted report, in any format."""

from __future__ import annotations

import re

import pytest

from tracer.reports import REAL_NAME_TAG, ReportFormat, redact, render
from tracer.reports.redaction import text

FORMATS = list(ReportFormat)
SHOWS_CONTACTS = [ReportFormat.JSON, ReportFormat.CSV, ReportFormat.HTML]


def _leaks(out: str, numbers: set[str]) -> list[str]:
    squeezed = re.sub(r"[\s\-()]", "", out)  # catch 138-1111-0001 and 138 1111 0001 as well
    return [n for n in numbers if n in out or n in squeezed]


@pytest.mark.parametrize("fmt", FORMATS)
def test_redacted_output_contains_no_real_number_or_real_name(
    report: dict, numbers: set[str], real_name: str, fmt: ReportFormat
) -> None:
    out = render(report, fmt, real_name=real_name)
    assert _leaks(out, numbers) == []
    assert real_name not in out


@pytest.mark.parametrize("fmt", SHOWS_CONTACTS)
def test_unredacted_output_shows_numbers_and_real_name(
    report: dict, real_name: str, fmt: ReportFormat
) -> None:
    out = render(report, fmt, redact=False, real_name=real_name)
    assert "+8613811110001" in out
    assert real_name in out


@pytest.mark.parametrize("fmt", SHOWS_CONTACTS)
def test_redacted_output_marks_where_the_real_name_was(
    report: dict, real_name: str, fmt: ReportFormat
) -> None:
    assert REAL_NAME_TAG in render(report, fmt, real_name=real_name)


def test_phone_fields_keep_country_code_and_last_two_digits(report: dict) -> None:
    contact = redact(report)["contacts"][0]
    assert contact["to"] == "+86•••••••••01"
    assert re.fullmatch(r"\+86•{9}\d\d", contact["from"])


def test_real_name_is_redacted_in_evidence_details_and_text(report: dict, real_name: str) -> None:
    red = redact(report, real_name)
    kyc = [c for c in red["contacts"] if c["platform"] == "招商理财"]
    details = " ".join(e["detail"] for c in kyc for e in c["evidence"])
    assert "caller used the name [real name]" in details
    assert any(REAL_NAME_TAG in (c.get("text") or "") for c in kyc)


def test_ids_times_and_platform_names_are_never_rewritten(report: dict, real_name: str) -> None:
    red = redact(report, real_name)
    assert [(c["id"], c["at"], c["platform"]) for c in red["contacts"]] == [
        (c["id"], c["at"], c["platform"]) for c in report["contacts"]
    ]
    assert red["platforms"] == report["platforms"]


def test_free_text_numbers_in_any_spelling_are_masked_but_dates_and_codes_kept() -> None:
    out = text("回电13800138000 or +86 138 0013 8001 or 138-0013-8002 on 2026-03-01 09:30, code 483920")
    assert out == "回电•••••••••00 or +86•••••••••01 or •••••••••02 on 2026-03-01 09:30, code 483920"


def test_mail_addresses_keep_first_letter_and_domain() -> None:
    assert text("write to k7m2qx@mail.example.org now") == "write to k•••@mail.example.org now"


@pytest.mark.parametrize(
    "written", ["Emily Carter", "emily carter", "Carter Emily", "CARTER, EMILY", "Emily  Carter"]
)
def test_latin_real_name_is_found_in_any_case_spacing_or_order(written: str) -> None:
    red = redact({"text": f"Dear {written}, hello"}, "Emily Carter")
    assert red["text"] == "Dear [real name], hello"


def test_latin_real_name_does_not_match_inside_other_words() -> None:
    assert redact({"text": "Emily Carterson"}, "Emily Carter")["text"] == "Emily Carterson"


def test_chinese_real_name_is_found_with_spaces_between_characters() -> None:
    assert redact({"text": "李 秀 英女士"}, "李秀英")["text"] == "[real name]女士"
