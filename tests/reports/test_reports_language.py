"""Reports in the reader's language and zone: Chinese in Beijing time for a zh_CN user, English
for en_US; findings first, proving contacts strongest first, ready complaints one click away."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

from tracer import i18n
from tracer.reports import ReportFormat, complaint, forms, render


def _beijing(iso: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00")) + timedelta(hours=8)
    return moment.strftime("%Y-%m-%d %H:%M")


def _text(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", html))


def test_chinese_table_is_in_beijing_time_with_the_zone_named(report: dict) -> None:
    table = render(report, ReportFormat.TABLE, lang="zh_CN", tz="Asia/Shanghai", width=120)
    assert table.startswith(f"Leak Tracer 报告 · {_beijing(report['generated_at'])} 北京时间")
    assert "在 6 个平台中，提供给 3 个平台的信息到达了骚扰方；另有 1 个疑似。" in table
    assert "提供给「StockPro」的信息到达了骚扰方 — 置信度 97%" in table
    assert "时间为北京时间。" in table
    assert "Platform" not in table and "reached callers" not in table


def test_english_table_reads_english_in_its_zone(report: dict) -> None:
    table = render(report, ReportFormat.TABLE, lang="en_US", tz="America/New_York", width=120)
    assert "Data given to 3 of 6 platforms reached callers; 1 more is suspected." in table
    assert "Times are America/New_York." in table
    assert "北京时间" not in table and "平台" not in table.replace("招商理财", "")


def test_rendering_in_a_language_leaves_the_callers_language_alone(report: dict) -> None:
    render(report, ReportFormat.HTML, lang="zh_CN", tz="Asia/Shanghai")
    assert (i18n.current(), i18n.zone()) == ("en_US", "UTC")


def test_chinese_html_puts_findings_first_in_local_time(report: dict) -> None:
    html = render(report, ReportFormat.HTML, lang="zh_CN", tz="Asia/Shanghai")
    text = _text(html)
    assert '<html lang="zh-CN">' in html
    assert text.index("谁的信息到达了骚扰方") < text.index("联系时间分布") < text.index("联系记录及其证据")
    stock = next(p for p in report["platforms"] if p["platform"] == "StockPro")
    assert f"{_beijing(stock['first_contact_at'])} 北京时间" in text
    assert "When (UTC)" not in text and "(UTC)" not in text


def test_evidence_kinds_read_in_the_readers_language(report: dict) -> None:
    """The JSON keeps `identifier`, `timing`…; a person reads 号码/地址, 时间… in a Chinese page."""
    kinds = {e["kind"] for c in report["contacts"] for e in c["evidence"]}
    assert {"identifier", "timing"} <= kinds
    chinese = render(report, ReportFormat.HTML, lang="zh_CN", tz="Asia/Shanghai")
    english = render(report, ReportFormat.HTML, lang="en_US")
    for kind in kinds:
        assert f"<b>{kind}</b>" in english
        assert f"<b>{kind}</b>" not in chinese
    assert "<b>号码/地址</b>" in chinese and "<b>时间</b>" in chinese


def test_the_channel_filter_names_channels_in_the_readers_language(report: dict) -> None:
    """The filter's values stay the codes the page script compares; what a person reads is 来电."""
    channels = {c["channel"] for c in report["contacts"]}
    assert "call" in channels
    chinese = render(report, ReportFormat.HTML, lang="zh_CN", tz="Asia/Shanghai")
    assert '<option value="call">来电</option>' in chinese
    assert '<option value="call">call</option>' not in chinese


def test_a_category_code_reads_in_the_readers_language_and_a_typed_one_as_typed(report: dict) -> None:
    chinese = _text(render(report, ReportFormat.HTML, lang="zh_CN", tz="Asia/Shanghai"))
    english = _text(render(report, ReportFormat.HTML, lang="en_US"))
    assert " 股票 " in chinese and " 汽车 " in chinese  # StockPro's "stocks", CarDeals' "cars"
    assert " stocks " not in chinese and " stocks " in english
    assert " finance " in chinese  # not one of the model's categories: shown as the user typed it


def test_each_leaked_platform_lists_its_proving_contacts_with_their_text(report: dict) -> None:
    weak = {**report["contacts"][0], "id": "k_weak", "platform": "StockPro", "confidence": 0.99,
            "at": "2026-01-01T00:00:00Z", "text": "timing only",
            "evidence": [{"kind": "timing", "detail": "2 days after signup"}]}  # fmt: skip
    strong = {**weak, "id": "k_strong", "confidence": 0.6, "at": "2026-03-19T00:00:00Z", "text": "marker",
              "evidence": [{"kind": "marker", "detail": "the text repeats a marker given only to StockPro"}]}
    report["contacts"] += [weak, strong]
    html = render(report, ReportFormat.HTML, redact=False, lang="en_US", tz="UTC")
    card = html[html.index('id="p-StockPro"'):]
    card = unescape(card[: card.index("</article>")])
    mine = [c for c in report["contacts"] if c["platform"] == "StockPro"]
    assert all(c["text"] in card for c in mine if c.get("text"))
    assert card.count('<div class="proof-head">') == len(mine)
    where = {c["text"]: card.index(f'<div class="text">{c["text"]}</div>') for c in mine if c.get("text")}
    assert where["marker"] < where["timing only"]
    assert max(where, key=where.__getitem__) == "timing only", "timing alone comes last, however confident"


def test_background_contacts_wait_behind_show_the_rest(report: dict) -> None:
    html = render(report, ReportFormat.HTML, lang="en_US")
    rest = html[html.index('<details class="rest" id="rest">'):]
    background = [c for c in report["contacts"] if not c["platform"]]
    assert rest.count('<tr data-verdict="unattributed"') == len(background)
    attributed = html[html.index('<table class="contacts attributed">'):html.index('<details class="rest"')]
    assert 'data-verdict="unattributed"' not in attributed


def test_report_action_holds_12321_fields_and_the_sms_line_to_forward(report: dict) -> None:
    html = render(report, ReportFormat.HTML, redact=False, lang="zh_CN", tz="Asia/Shanghai")
    action = html[html.index('id="report-StockPro"'):]
    action = unescape(action[: action.index("</article>")])
    assert "12321 网络不良与垃圾信息举报受理中心" in action and "工业和信息化部电信用户申诉" in action
    callers = {c["from"] for c in report["contacts"] if c["platform"] == "StockPro" and c["channel"] != "email"}
    numbers_field = re.search(r"被举报号码</dt>\s*<dd><input id=\"[^\"]+\" readonly value=\"([^\"]*)\"", action)
    assert numbers_field and set(numbers_field.group(1).split(", ")) == callers
    assert 'data-copy="f-StockPro-12321-1"' in action
    sms = next(c for c in report["contacts"] if c["platform"] == "StockPro" and c["channel"] == "sms")
    assert f"{sms['from'].removeprefix('+86')}*{sms['text']}" in unescape(html)


def test_english_readers_get_the_ftc_and_the_access_request(report: dict) -> None:
    html = unescape(render(report, ReportFormat.HTML, redact=False, lang="en_US"))
    assert "FTC (United States)" in html and "Access request to the platform" in html
    assert "12321 网络" not in html
    assert "Forward to 7726 by SMS:" in html


def test_sms_forward_lines_follow_each_service_rule() -> None:
    sms = {"channel": "sms", "from": "+8610690000", "text": "内部牛股\n推荐 回电"}
    assert forms.forward_line(sms, "zh") == "10690000*内部牛股 推荐 回电"
    assert forms.forward_line(sms, "en") == "内部牛股 推荐 回电"
    assert forms.forward_line({**sms, "channel": "call"}, "zh") is None


def test_form_fields_say_what_the_draft_says(report: dict) -> None:
    facts = complaint.facts_from_report(
        report, "StockPro", identity_given={"phone": "+8613912345678"}, bundle_file="evidence-StockPro.zip"
    )
    with i18n.reading("zh_CN", "Asia/Shanghai"):
        fields = {f.label: f.value for f in forms.fields(facts, complaint.Authority.CN12321, "zh")}
        draft = complaint.draft(facts, complaint.Authority.CN12321, "zh")
    assert fields["您的接收号码"] == "+8613912345678"
    first = min(c["at"] for c in report["contacts"] if c["platform"] == "StockPro")
    assert fields["第一次收到的时间"] == f"{_beijing(first)} 北京时间"
    assert f"第一次在 {_beijing(first)} 北京时间" in draft
