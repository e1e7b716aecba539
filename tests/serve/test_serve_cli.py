"""`tracer serve` as a user starts it: what it prints, what it refuses, the mail it fetches."""

from __future__ import annotations

import io
import json
import time
from importlib import resources
from pathlib import Path

import httpx2
import pytest
import segno

from tests.conftest import ME, Filled, Process
from tests.serve.conftest import Served, start_server
from tests.serve.imap_server import Imap
from tests.serve.test_serve_mail import deliver, env, messages
from tracer import contacts, i18n
from tracer.errors import InputError
from tracer.serve import labels, server
from tracer.vault import Vault


def test_serve_binds_loopback_and_prints_a_fresh_code_after_each_pairing(server: Served):
    assert server.base.startswith("http://127.0.0.1:")
    first = server.pair_url
    with httpx2.Client() as client:
        assert client.get(first, follow_redirects=True).url.path == "/"
    second = server.next_pair_url(after=first)
    with httpx2.Client() as other:
        assert other.get(first, follow_redirects=False).status_code == 403  # used up
        assert other.get(second, follow_redirects=True).url.path == "/"
    assert ME.passphrase not in "".join(server.lines + server.errors)


def test_lan_announcement_carries_a_qr_code_of_the_pairing_url():
    out = io.StringIO()
    url = server.pairing_url("127.0.0.1", 8765, "abc")
    server._announce(url, True, out, first=True)
    text = out.getvalue()
    assert text.splitlines()[0] == f"Pair a device: open {url}"
    expected = io.StringIO()
    segno.make(url, error="m").terminal(out=expected, compact=True)
    assert expected.getvalue() in text and len(text.splitlines()) > 10


def test_lan_address_falls_back_to_the_route_when_the_host_name_is_loopback(monkeypatch):
    """/etc/hosts on Debian maps the host name to 127.0.1.1: --lan used to give up on such a machine."""
    monkeypatch.setattr(server.socket, "getaddrinfo", lambda *a: [(2, 2, 17, "", ("127.0.1.1", 0))])
    monkeypatch.setattr(server, "_routed_address", lambda: "192.168.1.23")
    assert server.lan_address() == "192.168.1.23"
    monkeypatch.setattr(server, "_routed_address", lambda: "")
    with pytest.raises(InputError, match="lan"):
        server.lan_address()


def test_the_pairing_line_is_in_the_vaults_language():
    out = io.StringIO()
    url = server.pairing_url("127.0.0.1", 8765, "abc")
    with i18n.reading("zh_CN"):
        server._announce(url, False, out, first=True)
        server._announce(url, False, out, first=False)
    assert out.getvalue().splitlines() == [f"配对设备：打开 {url}", f"已配对。下一台设备请打开 {url}"]


# A real process: if a refusal regressed, the server would start and hold the test suite's own
# process; a subprocess is ended by its timeout instead.
def test_twilio_without_an_auth_token_is_refused_in_one_line(run_process: Process, filled: Filled):
    result = run_process("serve", "--twilio", "--port", "1", extra_env={"TRACER_TWILIO_AUTH_TOKEN": None})
    assert result.code == 1
    assert "TRACER_TWILIO_AUTH_TOKEN" in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_wrong_passphrase_never_starts_the_server(run_process: Process, filled: Filled):
    result = run_process("serve", "--port", "1", extra_env={"TRACER_PASSPHRASE": "wrong"})
    assert result.code == 1 and "Traceback" not in result.stderr and result.stdout == ""


def test_serve_fetches_the_alias_mailbox_periodically(filled: Filled, home: Path, dovecot: Imap):
    deliver(dovecot, messages()[:1])
    imap_env = {k: v for k, v in env(dovecot).items() if v is not None}
    served = start_server(home, "--mail-every", "1", env=imap_env)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not any("mail: 1 messages, 1 new" in e for e in served.errors):
            time.sleep(0.2)
    finally:
        served.stop()
    assert any("mail: 1 messages, 1 new" in e for e in served.errors), served.errors
    with Vault.open(home, ME.passphrase) as vault:
        assert "<m1@cardeals.example.com>" in set(contacts.frame(vault)["external_id"].dropna())


def test_every_chip_word_is_a_topic_keyword_of_its_category():
    lexicon = json.loads(resources.files("tracer.attribution").joinpath("lexicon.json").read_text("utf-8"))
    for category, (zh, en) in labels.CHIPS.items():
        assert zh in lexicon["topics"][category]["zh"], (category, zh)
        assert en in lexicon["topics"][category]["en"], (category, en)


def test_both_languages_label_every_key():
    assert set(labels.labels("zh_CN")) == set(labels.labels("en_US"))
    assert labels.labels("zh_CN")["save"] == "保存" and labels.labels("en_US")["save"] == "Save"
