"""The pages' behaviour in-process: what a form stores, what a bad field says, the language."""

from __future__ import annotations

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
    assert page.status_code == 400 and "field &#39;from&#39;" in page.text
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
    assert web.client.get("/contacts/k_0000000000000000").status_code == 404


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
