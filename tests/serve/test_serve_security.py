"""Pairing, sessions, CSRF and security headers of the web app, driven in-process."""

from __future__ import annotations

import re

from tests.serve.conftest import Web, csrf_of
from tracer.serve import auth
from tracer.serve.security import CSP


def test_every_page_needs_a_session_and_pairing_redirects_there(web: Web):
    for path in ("/", "/canary", "/contacts", "/report"):
        response = web.client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"] == "/pair"
    assert web.client.post("/log", data={"csrf": "x"}).status_code == 403


def test_a_pairing_code_works_once_and_the_cookie_is_httponly_and_strict(web: Web):
    code = web.pairing.code
    response = web.client.get(f"/pair?code={code}", follow_redirects=False)
    assert response.status_code == 303
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{auth.COOKIE}=") and "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert web.pairing.code != code  # the next device gets a fresh code
    web.client.cookies.clear()
    again = web.client.get(f"/pair?code={code}", follow_redirects=False)
    assert again.status_code == 403 and "set-cookie" not in again.headers


def test_wrong_pairing_codes_are_rate_limited_per_client(web: Web):
    statuses = [web.client.post("/pair", data={"code": f"wrong-{n}"}).status_code for n in range(7)]
    assert statuses[: auth.ATTEMPTS_PER_CLIENT] == [403] * auth.ATTEMPTS_PER_CLIENT
    assert statuses[auth.ATTEMPTS_PER_CLIENT :] == [429, 429]
    # even the right code waits out the window now: a guesser cannot get lucky within it
    assert web.client.get(f"/pair?code={web.pairing.code}").status_code == 429


def test_forms_without_the_sessions_csrf_token_are_refused_and_store_nothing(web: Web):
    token = web.pair()
    before = web.client.get("/contacts").text.count("/contacts/k_")
    form = {"channel": "call", "sender": "+8617012345679", "heard_name": "王先生"}
    assert web.client.post("/log", data=form).status_code == 403
    tampered = token[:-1] + ("B" if token.endswith("A") else "A")  # never the token itself
    assert web.client.post("/log", data={**form, "csrf": tampered}).status_code == 403
    assert web.client.get("/contacts").text.count("/contacts/k_") == before
    ok = web.client.post("/log", data={**form, "csrf": token}, follow_redirects=False)
    assert ok.status_code == 303 and re.match(r"/\?logged=k_[0-9a-f]{16}$", ok.headers["location"])


def test_a_cross_site_post_is_refused_even_with_the_cookie_and_token(web: Web):
    token = web.pair()
    response = web.client.post(
        "/canary", data={"csrf": token, "platform": "EvilCorp"}, headers={"Origin": "http://evil.example"}
    )
    assert response.status_code == 403
    assert "EvilCorp" not in web.client.get("/contacts").text


def test_pages_carry_a_strict_csp_and_the_companion_headers(web: Web):
    web.pair()
    for path in ("/", "/canary", "/contacts", "/pair", "/static/app.js"):
        headers = web.client.get(path).headers
        assert headers["content-security-policy"] == CSP, path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"
    assert "'unsafe-inline'" not in CSP and "script-src 'self'" in CSP


def test_pages_have_no_inline_script_or_handler(web: Web):
    web.pair()
    for path in ("/", "/canary", "/contacts"):
        html = web.client.get(path).text
        assert re.findall(r"<script(?![^>]*\bsrc=)", html) == [], path
        assert not re.search(r"\son[a-z]+\s*=", html), path
        assert "style=" not in html, path


def test_the_report_keeps_its_own_hashed_script_policy_and_cannot_be_framed(web: Web):
    web.pair()
    response = web.client.get("/report")
    assert response.status_code == 200 and "<html" in response.text
    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'sha256-[A-Za-z0-9+/=]+'", policy)
    assert policy.endswith("frame-ancestors 'none'")


def test_logout_ends_the_session(web: Web):
    token = web.pair()
    assert web.client.post("/logout", data={"csrf": token}, follow_redirects=False).status_code == 303
    assert web.client.get("/", follow_redirects=False).headers["location"] == "/pair"


def test_sessions_expire_after_idling(web: Web):
    now = [0.0]
    sessions = auth.Sessions(idle=10, clock=lambda: now[0])
    cookie = sessions.open()
    now[0] = 9
    assert sessions.get(cookie) is not None
    now[0] = 20  # 11 s after the last use
    assert sessions.get(cookie) is None


def test_csrf_token_differs_per_session(web: Web):
    first = web.pair()
    web.client.cookies.clear()
    second = web.pair()
    assert first != second and csrf_of(web.client.get("/canary").text) == second


def test_an_oversized_body_is_refused_before_it_is_read(web: Web):
    from tracer.serve.security import MAX_BODY

    big = {"MessageSid": "SM" + "0" * 32, "Body": "x" * (MAX_BODY + 1)}
    response = web.client.post("/twilio/sms", data=big)
    assert response.status_code == 413 and response.headers["x-frame-options"] == "DENY"
    token = web.pair()
    assert web.client.post("/log", data={"csrf": token, "text": "y" * (MAX_BODY + 1)}).status_code == 413
