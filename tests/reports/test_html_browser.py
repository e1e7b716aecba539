"""The HTML report in a real headless Chromium, driven over the DevTools protocol (a pipe).

Needs Debian's `chromium` package (`apt-get install chromium`); fails, never skips, without it.
Chromium runs with every host name mapped to NOTFOUND, and the test records every request the
page makes: anything but the file itself (or a data: URL) fails it. Screenshots go to
artifacts/report.png (1280×2000) and artifacts/report-full.png (whole page).
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import re
import select
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest

from tracer.reports import ReportFormat, render

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
NETWORK_REF = re.compile(
    r"""(?:src|href|action|poster|data)\s*=\s*["']?\s*(?:https?:)?//|url\(\s*["']?\s*(?:https?:)?//|@import""",
    re.I,
)


def chromium_binary() -> str:
    for candidate in (
        "/usr/bin/chromium",
        shutil.which("chromium"),
        shutil.which("chromium-browser"),
    ):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium not found: install Debian's chromium package (apt-get install -y chromium)")


class Chromium:
    """Just enough of the DevTools protocol over --remote-debugging-pipe (fds 3 and 4)."""

    def __init__(self, binary: str, profile: Path, log: Path) -> None:
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # runs in the child before exec: the protocol wants fds 3 and 4
            reads, writes = os.dup(to_browser_r), os.dup(from_browser_w)  # both above 4 now
            os.dup2(reads, 3)  # dup2 copies are inheritable, unlike os.pipe()'s own fds
            os.dup2(writes, 4)

        args = [
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--hide-scrollbars",
            f"--user-data-dir={profile}", "--host-resolver-rules=MAP * ~NOTFOUND",
            "--remote-debugging-pipe", "--enable-logging=stderr", "--v=0", "about:blank",
        ]  # fmt: skip
        self._log = log.open("wb")
        self.proc = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=self._log, stderr=self._log,
            preexec_fn=wire, close_fds=False,
        )  # fmt: skip
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict | None = None, session: str | None = None) -> dict:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._receive(timeout=30)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise AssertionError(f"{method} failed: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_for(self, method: str, timeout: float = 30) -> dict:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._receive(timeout=max(0.1, deadline - time.monotonic())))
        return next(e for e in self.events if e.get("method") == method)

    def evaluate(self, expression: str, session: str) -> Any:
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True}, session)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def close(self) -> None:
        with contextlib.suppress(AssertionError, OSError, TimeoutError):
            self.send("Browser.close")
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        self._log.close()

    def _receive(self, timeout: float) -> dict:
        while b"\0" not in self._buffer:
            ready, _, _ = select.select([self._from_browser], [], [], timeout)
            if not ready:
                raise TimeoutError("Chromium did not answer over the DevTools pipe")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise AssertionError("Chromium closed the DevTools pipe (did it crash?)")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(raw)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory, sample: Any) -> Any:
    """The sample report rendered, opened in Chromium; yields (browser, session, html)."""
    root = tmp_path_factory.mktemp("browser")
    html = render(sample(), ReportFormat.HTML, real_name="李秀英")
    path = root / "report.html"
    path.write_text(html, encoding="utf-8")
    browser = Chromium(chromium_binary(), root / "profile", root / "chromium.log")
    try:
        target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session=session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": 1280, "height": 2000, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        browser.send("Page.navigate", {"url": path.as_uri()}, session)
        browser.wait_for("Page.loadEventFired")
        yield browser, session, html
    finally:
        browser.close()


def test_html_has_no_network_references_in_src_href_or_css_urls(page: Any) -> None:
    _, _, html = page
    assert not NETWORK_REF.findall(html)
    assert "<link" not in html and "<img" not in html and "<iframe" not in html


def test_page_makes_no_network_requests(page: Any) -> None:
    browser, session, _ = page
    browser.evaluate("new Promise(r => setTimeout(r, 300))", session)
    urls = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert urls, "Chromium should at least report loading the file itself"
    assert all(u.startswith(("file:", "data:", "about:")) for u in urls), urls


def test_page_logs_no_console_errors_or_uncaught_exceptions(page: Any) -> None:
    browser, _, _ = page
    errors = [e for e in browser.events if e.get("method") == "Runtime.exceptionThrown"]
    errors += [
        e for e in browser.events
        if e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error"
    ]  # fmt: skip
    errors += [
        e for e in browser.events
        if e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] in ("error", "assert")
    ]  # fmt: skip
    assert not errors, errors


def test_rendered_dom_has_every_section_svg_charts_and_contact_rows(page: Any) -> None:
    browser, session, _ = page
    found = browser.evaluate(
        """({
          sections: ['summary','timeline','delays','campaigns','contacts']
             .filter(id => document.getElementById(id)).length,
          charts: document.querySelectorAll('svg.chart').length,
          marks: document.querySelectorAll('#timeline svg circle, #timeline svg rect[rx]').length,
          rows: document.querySelectorAll('table.contacts tbody tr').length,
          count: document.getElementById('f-count').textContent,
        })""",
        session,
    )
    assert found["sections"] == 5
    assert found["charts"] == 3
    assert found["marks"] > 50
    assert found["rows"] == 56
    assert found["count"] == "56 of 56 contacts", "the filter script ran on load"


def test_filters_hide_rows_by_text_verdict_and_platform(page: Any) -> None:
    browser, session, _ = page
    visible = """(() => {
      const set = (id, v) => { const el = document.getElementById(id); el.value = v;
        el.dispatchEvent(new Event('input')); };
      const shown = () => [...document.querySelectorAll('table.contacts tbody tr')]
        .filter(r => !r.hidden);
      const out = {};
      set('f-platform', 'StockPro'); out.platform = shown().every(r => r.dataset.platform === 'StockPro') && shown().length;
      set('f-platform', ''); set('f-verdict', 'suspected'); out.verdict = shown().length;
      set('f-verdict', ''); set('f-text', 'no-such-thing-anywhere'); out.none = shown().length;
      out.noneNote = !document.getElementById('f-none').hidden;
      set('f-text', '');  out.all = shown().length;
      return out;
    })()"""
    result = browser.evaluate(visible, session)
    assert result == {"platform": 16, "verdict": 6, "none": 0, "noneNote": True, "all": 56}


def test_screenshots_are_saved_as_artifacts(page: Any) -> None:
    browser, session, _ = page
    ARTIFACTS.mkdir(exist_ok=True)
    shot = browser.send("Page.captureScreenshot", {"format": "png"}, session)
    (ARTIFACTS / "report.png").write_bytes(base64.b64decode(shot["data"]))
    height = browser.evaluate("document.documentElement.scrollHeight", session)
    full = browser.send(
        "Page.captureScreenshot",
        {"format": "png", "captureBeyondViewport": True,
         "clip": {"x": 0, "y": 0, "width": 1280, "height": height, "scale": 1}},
        session,
    )  # fmt: skip
    (ARTIFACTS / "report-full.png").write_bytes(base64.b64decode(full["data"]))
    assert (ARTIFACTS / "report.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (ARTIFACTS / "report-full.png").stat().st_size > 10_000
