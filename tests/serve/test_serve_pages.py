"""The pages' behaviour in-process: what a form stores, what a bad field says, the language."""

from __future__ import annotations

import re
from pathlib import Path

from starlette.testclient import TestClient

from tests.conftest import ME, Filled
from tests.serve.conftest import Web
from tracer import contacts
from tracer.ledger import Ledger
from tracer.serve import Desk, Options, Pairing, actions, create_app
from tracer.vault import Vault


def test_a_logged_call_is_one_contact_and_one_ledger_entry(vault: Vault, filled: Filled):
    before_rows, (before_seq, _) = len(contacts.frame(vault)), Ledger(vault).head()
    form = actions.LogForm(channel="call", to="13900139001", sender="0755-2345 6789", heard_name="杨先生",
                           text="荐股", at="2026-03-05 10:00")  # fmt: skip
    contact, new = actions.log_contact(vault, form)
    assert new and contact.record.sender == "+8675523456789" and contact.record.to == "+8613900139001"
    assert contact.record.at.isoformat() == "2026-03-05T02:00:00+00:00"  # read in Asia/Shanghai
    assert len(contacts.frame(vault)) == before_rows + 1
    seq, _ = Ledger(vault).head()
    assert seq == before_seq + 1 and Ledger(vault).entry(seq).content["type"] == "contact.logged"
    again, new_again = actions.log_contact(vault, form)  # the same call sent twice adds nothing
    assert again.id == contact.id and not new_again and Ledger(vault).head()[0] == seq


def test_a_bad_caller_number_names_the_field_and_stores_nothing(web: Web, home: Path):
    token = web.pair()
    with Vault.open(home, ME.passphrase) as vault:
        before = len(contacts.frame(vault))
    page = web.client.post("/log", data={"csrf": token, "channel": "call", "sender": "12", "heard_name": "李"})
    assert page.status_code == 400
    error = re.search(r'<p class="error" role="alert" id="error">([^<]*)</p>', page.text)
    assert error and error.group(1).startswith("来电号码：") and "field" not in error.group(1)  # the form's label
    assert re.search(r'[\u4e00-\u9fff]', error.group(1).removeprefix("来电号码："))  # the reason in Chinese too
    assert re.search(r'<input name="sender" aria-invalid="true" aria-describedby="error" autofocus', page.text)
    assert 'value="李"' in page.text  # what was typed is kept for the retry
    as_json = web.client.post(
        "/log", data={"csrf": token, "channel": "fax", "sender": "+8617012345670"}, headers={"Accept": "application/json"}
    )
    assert as_json.status_code == 400 and as_json.json()["field"] == "channel"
    for when in ("0001-01-01T00:00", "1969-12-31T23:00"):  # out of range in the vault's zone, before 1970
        dated = web.client.post(
            "/log", data={"csrf": token, "channel": "call", "sender": "+8617012345670", "at": when},
            headers={"Accept": "application/json"},
        )  # fmt: skip
        assert dated.status_code == 400 and dated.json()["field"] == "at"
    with Vault.open(home, ME.passphrase) as vault:
        assert len(contacts.frame(vault)) == before


def test_an_sms_pasted_with_its_sender_is_stored_as_sms(web: Web):
    token = web.pair()
    body = "【快贷】欧阳先生您好,您有一笔20万额度待领取"
    answer = web.client.post(
        "/log", data={"csrf": token, "channel": "sms", "sender": "106900001234", "text": body},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    assert answer.status_code == 200 and answer.json()["new"] is True
    shown = web.client.get(f"/contacts/{answer.json()['id']}")
    assert shown.status_code == 200 and answer.json()["id"] in shown.text


def test_an_unknown_contact_is_a_404_page(web: Web):
    web.pair()
    page = web.client.get("/contacts/k_0000000000000000")
    assert page.status_code == 404 and "k_0000000000000000" in page.text
    assert "字段" not in page.text and "field" not in page.text  # no field code on a page with no form


def test_the_call_or_sms_choice_has_a_name_for_screen_readers(web: Web):
    web.pair()
    assert re.search(r'<fieldset class="toggle">\s*<legend class="sr-only">电话还是短信</legend>', web.client.get("/").text)


def test_a_canary_without_a_platform_is_refused(web: Web):
    token = web.pair()
    page = web.client.post("/canary", data={"csrf": token, "platform": "  "})
    assert page.status_code == 400 and 'id="identity"' not in page.text


def test_labels_follow_the_locale(filled: Filled, home: Path):
    for locale, save, lang in (("en_US", "Save", 'lang="en"'), ("zh_CN", "保存", 'lang="zh-CN"')):
        desk = Desk(home, ME.passphrase)
        pairing = Pairing()
        try:
            with TestClient(create_app(desk, pairing, Options(locale=locale)), base_url="http://127.0.0.1:8765") as client:
                page = client.get(f"/pair?code={pairing.code}")
                assert save in page.text and lang in page.text
        finally:
            desk.close()


def test_what_a_caller_said_is_escaped_on_every_page(web: Web):
    token = web.pair()
    evil = '<img src=x onerror="alert(1)">'
    retry = web.client.post("/log", data={"csrf": token, "channel": "call", "sender": "12", "heard_name": evil})
    assert evil not in retry.text and "&lt;img src=x" in retry.text
    ok = web.client.post(
        "/log", data={"csrf": token, "channel": "sms", "sender": "+8617012345670", "text": evil},
        headers={"Accept": "application/json"},
    )  # fmt: skip
    for path in ("/contacts", f"/contacts/{ok.json()['id']}"):
        assert "<img" not in web.client.get(path).text, path


def test_a_refused_canary_keeps_what_was_typed_and_the_category_reads_in_the_locale(web: Web):
    token = web.pair()
    page = web.client.post("/canary", data={"csrf": token, "platform": " ", "category": "loans", "real_name": "on"})
    assert page.status_code == 400 and "平台名称：" in page.text
    assert '<option value="loans" selected>贷款</option>' in page.text and 'name="real_name" checked' in page.text
    assert ">stocks<" not in page.text and ">loans<" not in page.text  # no raw category codes


def test_an_issued_canary_names_its_marker_fields_and_warnings_in_the_locale(web: Web):
    token = web.pair()
    pages = [web.client.post("/canary", data={"csrf": token, "platform": f"平台{i}"}).text for i in range(3)]
    assert all('id="identity"' in p for p in pages)
    shown = "".join(pages)
    assert ">生日</label>" in shown and ">birthday<" not in shown and ">address2<" not in shown
    warning = re.findall(r'<p class="warn">([^<]*)</p>', shown)
    assert warning and all(re.search(r"[\u4e00-\u9fff]", w) and "pool" not in w for w in warning)


def test_contacts_and_explanations_speak_the_locale_in_local_time(web: Web):
    token = web.pair()
    logged = web.client.post(
        "/log", data={"csrf": token, "channel": "sms", "sender": "+8617012345670", "text": "股票", "at": "2026-03-05T10:00"},
        headers={"Accept": "application/json"},
    ).json()["id"]  # fmt: skip
    listing = web.client.get("/contacts").text
    row = re.search(rf'<a href="/contacts/{logged}">(.*?)</a>', listing, re.S)
    assert row and "2026-03-05 10:00" in row.group(1) and "短信" in row.group(1) and ">sms<" not in row.group(1)
    assert "时间为北京时间" in listing
    explained = web.client.get(f"/contacts/{logged}").text
    assert "2026-03-05 10:00 (北京时间)" in explained and "T02:00:00Z" not in explained
    assert "+8617012345670" in row.group(1)  # the caller, so a person can tell the rows apart
    assert re.search(r'<p id="verdict">归因于：<strong>[^<]+</strong>', explained)  # markup kept, full-width colon
    kinds = re.findall(r'<span class="kind">([^<]*)</span>', explained)
    assert kinds and not {"identifier", "timing", "category", "name", "marker"} & set(kinds)


def test_nav_marks_the_current_page(web: Web):
    web.pair()
    assert '<a href="/canary" aria-current="page">' in web.client.get("/canary").text
    assert '<a href="/" aria-current="page">' in web.client.get("/").text


def test_a_second_tab_with_the_used_pairing_link_stays_paired(web: Web):
    url = f"/pair?code={web.pairing.code}"
    web.pair()
    again = web.client.get(url)  # the same link opened again in this browser: no "wrong code"
    assert again.status_code == 200 and again.url.path == "/" and 'id="log-form"' in again.text


def test_a_form_sent_after_the_session_ended_says_to_pair_again(web: Web):
    token = web.pair()
    web.client.cookies.clear()  # what a server restart or the 12-hour idle limit leaves the phone with
    sent = web.client.post("/log", data={"csrf": token, "channel": "call", "sender": "+8617012345670"})
    assert sent.status_code == 403 and "请重新配对" in sent.text and 'name="code"' in sent.text


def test_a_future_time_names_the_time_field_without_cli_advice(web: Web):
    token = web.pair()
    page = web.client.post("/log", data={"csrf": token, "channel": "call", "sender": "+8617012345670", "at": "2099-01-01T10:00"})
    assert page.status_code == 400 and "时间（留空即现在）：" in page.text
    assert "--allow-future" not in page.text and 'name="at" aria-invalid="true"' in page.text


def test_the_pair_page_says_where_the_code_is_and_focuses_its_field(web: Web):
    page = web.client.get("/pair").text
    assert "`" not in page and "tracer serve" in page
    assert re.search(r'<input name="code"[^>]* autofocus>', page)


def test_the_served_report_leads_back_to_the_desk_and_a_written_one_does_not(web: Web, vault: Vault):
    """A phone has no back button: the report `tracer serve` shows starts with a link to the desk;
    the same report written to a file has none (there is no desk to go back to)."""
    web.pair()
    served = web.client.get("/report").text
    assert re.search(r'<a href="/" class="back">', served)
    assert web.client.get("/").status_code == 200  # where the link leads
    from tracer import attribution, reports

    written = reports.render(attribution.attribute_vault(vault).to_dict(), reports.ReportFormat.HTML)
    assert 'class="back"' not in written
