"""`tracer mail fetch` against a real Dovecot (TLS, self-signed certificate) on 127.0.0.1.

The mailbox holds the mails of tests/data/ingest (three.mbox: mboxo escapes, RFC 2047 headers,
HTML; gbk_multipart.eml: GBK multipart with provenance headers), appended over IMAP.
"""

from __future__ import annotations

import mailbox as stdlib_mailbox
import ssl
from pathlib import Path

import pytest
from imap_tools import AND, MailBox, MailMessageFlags

from tests.conftest import Cli, Filled, strict_json
from tests.serve.imap_server import Imap
from tracer import mailbox
from tracer.errors import InputError

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
NO_DATE = b"From: a@spam.example\r\nTo: zz9@mail.example.org\r\nSubject: undated\r\nMessage-ID: <nd@spam.example>\r\n\r\nhi\r\n"


def messages() -> list[bytes]:
    box = stdlib_mailbox.mbox(DATA / "three.mbox", create=False)
    found = [message.as_bytes() for message in box]
    box.close()
    return [*found, (DATA / "gbk_multipart.eml").read_bytes()]


def client(imap: Imap) -> MailBox:
    context = ssl.create_default_context(cafile=imap.cafile)
    return MailBox(imap.host, imap.port, ssl_context=context).login(imap.user, imap.password)


def deliver(imap: Imap, raws: list[bytes]) -> None:
    with client(imap) as box:
        for raw in raws:
            box.append(raw, "INBOX")


def env(imap: Imap, **extra: str) -> dict[str, str | None]:
    return {"TRACER_IMAP_HOST": imap.host, "TRACER_IMAP_PORT": str(imap.port), "TRACER_IMAP_USER": imap.user,
            "TRACER_IMAP_PASSWORD": imap.password, "TRACER_IMAP_CAFILE": imap.cafile, **extra}  # fmt: skip


def test_fetch_imports_new_mail_once_and_marks_it_seen(run: Cli, filled: Filled, dovecot: Imap):
    deliver(dovecot, messages())
    first = run("mail", "fetch", "--json", extra_env=env(dovecot))
    assert first.code == 0, first.stderr
    assert strict_json(first.stdout) | {"batch_id": None} == {"messages": 4, "new": 4, "known": 0,
                                                             "rejected": 0, "batch_id": None}  # fmt: skip
    with client(dovecot) as box:
        assert all(MailMessageFlags.SEEN in m.flags for m in box.fetch(mark_seen=False))
    again = run("mail", "fetch", "--json", extra_env=env(dovecot))
    assert strict_json(again.stdout)["messages"] == 0
    everything = run("mail", "fetch", "--all", "--json", extra_env=env(dovecot))  # seen ones too
    assert strict_json(everything.stdout) | {"batch_id": None} == {"messages": 4, "new": 0, "known": 4,
                                                                  "rejected": 0, "batch_id": None}  # fmt: skip
    listed = strict_json(run("contacts", "list", "--json").stdout)
    ids = {c["external_id"] for c in listed if c["channel"] == "email"}
    assert {"<m1@cardeals.example.com>", "<m2@loans.example.net>", "<m3@travel.example.org>"} <= ids
    assert run("verify").code == 0


def test_move_to_takes_imported_mail_out_of_the_inbox(run: Cli, filled: Filled, dovecot: Imap):
    deliver(dovecot, messages()[:2])
    done = run("mail", "fetch", "--move-to", "Tracer", "--json", extra_env=env(dovecot))
    assert done.code == 0, done.stderr
    assert strict_json(done.stdout)["new"] == 2
    with client(dovecot) as box:
        assert list(box.fetch(AND(all=True), mark_seen=False)) == []
        box.folder.set("Tracer")
        assert len(list(box.fetch(AND(all=True), mark_seen=False))) == 2


def test_an_unreadable_message_stays_unseen_and_the_rest_is_imported(run: Cli, filled: Filled, dovecot: Imap):
    deliver(dovecot, [messages()[0], NO_DATE])
    done = run("mail", "fetch", "--json", extra_env=env(dovecot))
    assert done.code == 0, done.stderr
    got = strict_json(done.stdout)
    assert (got["messages"], got["new"], got["rejected"]) == (2, 1, 1)
    with client(dovecot) as box:
        unseen = list(box.fetch(AND(seen=False), mark_seen=False))
    assert [m.subject for m in unseen] == ["undated"]


def test_a_wrong_password_is_one_line_without_the_password(run: Cli, filled: Filled, dovecot: Imap):
    bad = run("mail", "fetch", extra_env=env(dovecot, TRACER_IMAP_PASSWORD="not-the-password-xyz"))
    assert bad.code == 1
    assert len(bad.stderr.strip().splitlines()) == 1 and "login" in bad.stderr
    assert "not-the-password-xyz" not in bad.stderr + bad.stdout


def test_an_untrusted_certificate_is_refused(run: Cli, filled: Filled, dovecot: Imap):
    bad = run("mail", "fetch", extra_env={**env(dovecot), "TRACER_IMAP_CAFILE": None})
    assert bad.code == 1 and "TLS" in bad.stderr and "Traceback" not in bad.stderr


def test_missing_settings_name_the_variable(monkeypatch: pytest.MonkeyPatch):
    for name in ("HOST", "USER", "PASSWORD", "PORT", "FOLDER", "MOVE_TO", "CAFILE"):
        monkeypatch.delenv(f"TRACER_IMAP_{name}", raising=False)
    with pytest.raises(InputError, match="TRACER_IMAP_HOST"):
        mailbox.Account.from_env()
    monkeypatch.setenv("TRACER_IMAP_HOST", "127.0.0.1")
    monkeypatch.setenv("TRACER_IMAP_USER", "u")
    with pytest.raises(InputError, match="TRACER_IMAP_PASSWORD"):
        mailbox.Account.from_env()
    monkeypatch.setenv("TRACER_IMAP_PASSWORD", "pw-secret")
    account = mailbox.Account.from_env(port=1993)
    assert account.port == 1993 and "pw-secret" not in repr(account)
