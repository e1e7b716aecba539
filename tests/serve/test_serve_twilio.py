"""Twilio webhooks against a running `tracer serve --twilio`, signed with a test auth token."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import httpx2
from twilio.request_validator import RequestValidator

from tests.conftest import ME, Filled
from tests.serve.conftest import TWILIO_TOKEN, Served, Web
from tracer import contacts, lifecycle
from tracer.vault import Vault

POOL_NUMBER = "+8613900139001"
CALLER = "+8617055501234"


def signed(url: str, params: dict[str, str], token: str = TWILIO_TOKEN) -> dict[str, str]:
    return {"X-Twilio-Signature": RequestValidator(token).compute_signature(url, params)}


def sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


def post(server: Served, hook: str, params: dict[str, str], headers: dict[str, str] | None = None) -> httpx2.Response:
    url = f"{server.base}/twilio/{hook}"
    return httpx2.post(url, data=params, headers=signed(url, params) if headers is None else headers, timeout=30)


def stored(home: Path) -> dict[str, dict]:
    with Vault.open(home, ME.passphrase) as vault:
        frame = contacts.frame(vault)
    return {row["external_id"]: row for row in frame.to_dict("records") if row["external_id"]}


def test_signed_voice_and_sms_callbacks_become_contacts_and_the_vault_verifies(server: Served, home: Path, filled: Filled):
    call = {"CallSid": sid("CA"), "From": CALLER, "To": POOL_NUMBER, "CallerName": "ZHANG SAN",
            "CallStatus": "ringing", "Direction": "inbound"}  # fmt: skip
    sms = {"MessageSid": sid("SM"), "From": CALLER, "To": POOL_NUMBER, "Body": "【牛股】内部消息 回电 4008001234"}
    voice = post(server, "voice", call)
    assert voice.status_code == 200 and "<Response/>" in voice.text
    assert post(server, "sms", sms).status_code == 200
    server.stop()
    rows = stored(home)
    assert rows[call["CallSid"]]["channel"] == "call" and rows[call["CallSid"]]["from"] == CALLER
    assert rows[call["CallSid"]]["to"] == POOL_NUMBER
    assert rows[call["CallSid"]]["caller_name"] == "ZHANG SAN"
    assert rows[sms["MessageSid"]]["channel"] == "sms" and rows[sms["MessageSid"]]["text"] == sms["Body"]
    with Vault.open(home, ME.passphrase) as vault:
        assert lifecycle.verify(vault).entries > 0


def test_unsigned_forged_replayed_and_stale_requests_are_refused_and_logged_without_content(server: Served, home: Path):
    body = "SECRET-BODY-TEXT 借款"
    params = {"MessageSid": sid("SM"), "From": CALLER, "To": POOL_NUMBER, "Body": body}
    assert post(server, "sms", params, headers={}).status_code == 403  # unsigned
    forged = signed(f"{server.base}/twilio/sms", params, token="f" * 32)
    assert post(server, "sms", params, headers=forged).status_code == 403
    tampered = dict(params, Body="something else")
    url = f"{server.base}/twilio/sms"
    assert httpx2.post(url, data=tampered, headers=signed(url, params), timeout=30).status_code == 403
    assert post(server, "sms", params).status_code == 200
    assert post(server, "sms", params).status_code == 409  # the same MessageSid again
    old = format_datetime(datetime.now(UTC) - timedelta(hours=1))
    stale = {"CallSid": sid("CA"), "From": CALLER, "To": POOL_NUMBER, "CallStatus": "completed", "Timestamp": old}
    assert post(server, "voice", stale).status_code == 403
    server.stop()
    rows = stored(home)
    assert params["MessageSid"] in rows and stale["CallSid"] not in rows
    assert sum(1 for r in rows.values() if r["text"] == body) == 1
    log = "".join(server.errors)
    assert log.count("refused") == 5
    assert body not in log and "借款" not in log and CALLER not in log


def test_a_replay_is_refused_after_a_restart_too(web: Web):
    params = {"MessageSid": sid("SM"), "From": CALLER, "To": POOL_NUMBER, "Body": "hello"}
    url = "http://127.0.0.1:8765/twilio/sms"
    assert web.client.post(url, data=params, headers=signed(url, params)).status_code == 200
    from starlette.testclient import TestClient

    from tracer.serve import Options, Pairing, create_app

    with TestClient(create_app(web.desk, Pairing(), Options(twilio_token=TWILIO_TOKEN)),
                    base_url="http://127.0.0.1:8765") as fresh:  # fmt: skip
        assert fresh.post(url, data=params, headers=signed(url, params)).status_code == 409


def test_behind_a_tunnel_the_signature_covers_the_public_url(web: Web):
    from starlette.testclient import TestClient

    from tracer.serve import Options, Pairing, create_app

    public = "https://abc123.tunnel.example"
    app = create_app(web.desk, Pairing(), Options(twilio_token=TWILIO_TOKEN, public_url=public + "/"))
    params = {"MessageSid": sid("SM"), "From": CALLER, "To": POOL_NUMBER, "Body": "您的快递到了"}
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        local = signed("http://127.0.0.1:8765/twilio/sms", params)
        assert client.post("/twilio/sms", data=params, headers=local).status_code == 403
        assert client.post("/twilio/sms", data=params, headers=signed(f"{public}/twilio/sms", params)).status_code == 200
