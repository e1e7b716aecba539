"""The HTML page: self-contained, escaped, and still usable at 0 contacts or 2,000 platforms."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape

from tracer.reports import ReportFormat, render
from tracer.reports.html_format import MAX_CONTACT_ROWS

SECTIONS = ("summary", "timeline", "delays", "campaigns", "contacts")


def _html(report: dict, **kw) -> str:
    return render(report, ReportFormat.HTML, **kw)


def test_page_has_every_section_and_three_svg_charts(report: dict) -> None:
    html = _html(report)
    for section in SECTIONS:
        assert f'<section id="{section}"' in html
    assert html.count('<svg viewBox="0 0 960') == 3
    assert html.count("<tr data-verdict=") == len(report["contacts"])


def test_summary_words_findings_with_confidence(report: dict) -> None:
    html = _html(report)
    assert "Data given to 3 of 6 platforms reached callers; 1 more is suspected." in html
    assert "Data given to StockPro reached callers." in html
    assert "<strong>97%</strong> sure" in html


def test_page_loads_nothing_external(report: dict) -> None:
    html = _html(report)
    assert not re.search(r"(src|href)\s*=\s*[\"']?(https?:)?//", html, re.I)
    assert not re.search(r"url\(|@import|<link|<img|<iframe|<object|<embed", html, re.I)
    assert "default-src 'none'" in unescape(html)


def test_script_is_pinned_by_its_hash_in_the_content_security_policy(report: dict) -> None:
    html = _html(report)
    script = re.search(r"<script>(.*?)</script>", html, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in unescape(html)
    assert html.count("<script") == 1


def test_markup_in_report_values_is_escaped(report: dict) -> None:
    report["platforms"][0]["platform"] = "<script>alert(1)</script>"
    report["contacts"][0]["platform"] = "<script>alert(1)</script>"
    report["contacts"][0]["text"] = '"><img src=x onerror=alert(2)>'
    report["campaigns"][0]["platforms"] = ["<b>x</b>"]
    html = _html(report, redact=False)
    assert "<script>alert" not in html and "<img" not in html and "<b>x</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_page_with_no_contacts_explains_what_is_missing() -> None:
    empty = {"generated_at": "2026-03-20T08:00:00Z", "contacts": [], "campaigns": [],
             "platforms": [{"platform": "Quiet", "verdict": "no-evidence", "confidence": 0.0,
                            "contacts": 0, "first_contact_at": None,
                            "days_to_first_contact": None, "linked_platforms": []}]}  # fmt: skip
    html = _html(empty)
    assert "No contacts imported yet." in html
    assert "No campaign links platforms" in html
    assert "No platform's data has reached callers so far." in unescape(html)


def test_page_with_2000_platforms_caps_the_charts_and_lists_all_in_the_table() -> None:
    platforms = [{"platform": f"P{i:04d}", "verdict": "leaked" if i < 100 else "no-evidence",
                  "confidence": 0.95 if i < 100 else 0.01, "contacts": 1,
                  "first_contact_at": "2026-02-01T00:00:00Z", "days_to_first_contact": i / 10,
                  "linked_platforms": [], "signup_at": "2026-01-01T00:00:00Z"}
                 for i in range(2000)]  # fmt: skip
    contacts = [{"id": f"k_{i}", "external_id": None, "channel": "call",
                 "at": f"2026-02-{1 + i % 28:02d}T10:00:00Z", "to": "+8613800000000",
                 "from": "+8613900000000", "platform": f"P{i:04d}", "confidence": 0.9,
                 "candidates": [], "evidence": []} for i in range(2000)]  # fmt: skip
    campaigns = [{"id": f"g_{i}", "callers": ["+8613900000000"],
                  "platforms": [f"P{2 * i:04d}", f"P{2 * i + 1:04d}"], "contacts": i}
                 for i in range(500)]  # fmt: skip
    big = {"generated_at": "2026-03-20T08:00:00Z", "platforms": platforms,
           "contacts": contacts, "campaigns": campaigns}  # fmt: skip
    html = _html(big)
    assert "1,970 more platforms not drawn" in html
    assert "Showing the 30 largest of 500 linking campaigns." in html
    assert "40 more flagged platforms are listed in the table below." in html
    assert html.count("<tr><td>P") == 2000
    assert len(html) < 6_000_000


def test_more_than_5000_contacts_are_capped_with_a_note(report: dict) -> None:
    base = report["contacts"]
    report["contacts"] = [dict(base[i % len(base)], id=f"k_{i}") for i in range(6000)]
    html = _html(report)
    assert html.count("<tr data-verdict=") == MAX_CONTACT_ROWS
    assert "Showing 5,000 of 6,000 contacts (attributed ones first" in html
    assert "tracer report --format csv" in html


def test_unredacted_page_warns_that_it_shows_personal_data(report: dict) -> None:
    assert "Not redacted" in _html(report, redact=False)
    assert "Redacted for sharing: your real name," in _html(report, real_name="李秀英")


def test_campaign_graph_draws_only_campaigns_linking_two_or_more_platforms(report: dict) -> None:
    report["campaigns"].append(
        {"id": "g_solo", "callers": ["+8613100002222"], "platforms": ["安居房产"], "contacts": 40}
    )
    html = _html(report)
    graph = html[
        html.index('<section id="campaigns"') : html.index("</figure>", html.index('<section id="campaigns"'))
    ]
    assert "g_solo" not in graph and "(g_01)" in graph
    assert "<td>g_solo</td>" in html  # still listed in the campaign table


def test_single_platform_campaigns_alone_leave_the_graph_empty_with_a_reason(report: dict) -> None:
    for campaign in report["campaigns"]:
        campaign["platforms"] = campaign["platforms"][:1]
    html = _html(report)
    assert "The campaigns below each reached a single platform." in html
