"""The report as a person sees it in Chromium, in Chinese and in English: headings in the right
language, local times with the zone named, the contacts' text, and the Report action opening the
ready complaint. Screenshots go to artifacts/report-zh_CN.png and artifacts/report-en_US.png."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest

from tests.reports.test_html_browser import ARTIFACTS, Chromium, chromium_binary
from tracer.reports import ReportFormat, render

pytestmark = pytest.mark.browser

ZONES = {"zh_CN": ("Asia/Shanghai", 8, "北京时间"), "en_US": ("America/New_York", -5, "America/New_York")}
HEADINGS = {
    "zh_CN": ["谁的信息到达了骚扰方", "证明这一结论的联系", "联系时间分布", "联系记录及其证据"],
    "en_US": ["Whose data reached callers", "The contacts that prove it", "Contacts over time",
              "Contacts and their evidence"],
}  # fmt: skip


@pytest.fixture(scope="module", params=["zh_CN", "en_US"])
def shown(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, sample: Any) -> Iterator[Any]:
    lang = request.param
    report = sample()
    root = tmp_path_factory.mktemp(f"lang-{lang}")
    page = root / "report.html"
    page.write_text(render(report, ReportFormat.HTML, redact=False, lang=lang, tz=ZONES[lang][0]), "utf-8")
    browser = Chromium(chromium_binary(), root / "profile", root / "chromium.log")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime"):
            browser.send(f"{domain}.enable", session=session)
        browser.send("Emulation.setDeviceMetricsOverride",
                     {"width": 1280, "height": 1800, "deviceScaleFactor": 1, "mobile": False}, session)  # fmt: skip
        browser.send("Page.navigate", {"url": page.as_uri()}, session)
        browser.wait_for("Page.loadEventFired")
        yield lang, report, browser, session
    finally:
        browser.close()


def _visible(browser: Chromium, session: str) -> str:
    return str(browser.evaluate("document.body.innerText", session))


def test_headings_are_in_the_readers_language(shown: Any) -> None:
    lang, _, browser, session = shown
    text = _visible(browser, session)
    for heading in HEADINGS[lang]:
        assert heading in text
    assert browser.evaluate("document.documentElement.lang", session) == lang.replace("_", "-")


def test_times_are_local_with_the_zone_named(shown: Any) -> None:
    lang, report, browser, session = shown
    zone, offset, label = ZONES[lang]
    stock = next(p for p in report["platforms"] if p["platform"] == "StockPro")
    first = datetime.fromisoformat(stock["first_contact_at"].replace("Z", "+00:00")) + timedelta(hours=offset)
    assert f"{first:%Y-%m-%d %H:%M} {label}" in _visible(browser, session)


def test_the_contacts_text_is_shown(shown: Any) -> None:
    _, report, browser, session = shown
    text = _visible(browser, session)
    proving = [c["text"] for c in report["contacts"] if c["platform"] == "StockPro" and c.get("text")]
    assert any(t in text for t in proving[:5])


def test_report_opens_the_ready_complaint_and_screenshots_are_kept(shown: Any) -> None:
    lang, _, browser, session = shown
    opened = browser.evaluate(
        """(() => { const action = document.querySelector('details.report-action');
                    action.querySelector('summary').click();
                    action.scrollIntoView();
                    return action.open && action.innerText; })()""",
        session,
    )
    assert opened, "the Report action opens on click"
    assert ("12321 网络不良与垃圾信息举报受理中心" if lang == "zh_CN" else "FTC (United States)") in opened
    assert ("复制" if lang == "zh_CN" else "Copy") in opened
    ARTIFACTS.mkdir(exist_ok=True)
    shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
    path = ARTIFACTS / f"report-{lang}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


def test_copy_buttons_copy_the_field(shown: Any) -> None:
    _, _, browser, session = shown
    script = """(async () => {
         let got = null;
         if (navigator.clipboard) { navigator.clipboard.writeText = async (text) => { got = text; }; }
         document.execCommand = () => { got = document.activeElement.value; return true; };
         const button = document.querySelector('dl.form-fields button.copy');
         const field = document.getElementById(button.dataset.copy);
         button.click();
         await new Promise(r => setTimeout(r, 50));
         return {got: got, want: field.value, label: button.textContent};
       })()"""
    result = browser.send(
        "Runtime.evaluate", {"expression": script, "returnByValue": True, "awaitPromise": True}, session
    )
    copied = result["result"]["value"]
    assert copied["got"] == copied["want"] and copied["want"]
    assert copied["label"] in ("已复制", "Copied")
