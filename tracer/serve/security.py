"""Response headers every page gets: a strict Content-Security-Policy and its companions.

Pages load only the app's own script and stylesheet files (no inline script or style), and may
be framed by nobody. A response that sets its own policy (the HTML report carries the hash of its
one inline script) keeps it; `frame-ancestors 'none'` is added to that too.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    # same-origin: no Referer to other sites; "no-referrer" would make browsers send `Origin: null`
    # on our own form posts, which the Origin check must refuse
    b"referrer-policy": b"same-origin",
    b"cache-control": b"no-store",  # identities and contacts stay out of the browser's cache
    b"cross-origin-opener-policy": b"same-origin",
    b"cross-origin-resource-policy": b"same-origin",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=(), payment=()",
}


class SecurityHeaders:
    """ASGI middleware adding `HEADERS` and the CSP to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = _secure(list(message.get("headers", [])))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _secure(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    names = {name.lower() for name, _ in headers}
    out = [(n, v) for n, v in headers if n.lower() != b"content-security-policy"]
    own = next((v for n, v in headers if n.lower() == b"content-security-policy"), None)
    policy = own + b"; frame-ancestors 'none'" if own else CSP.encode()
    out.append((b"content-security-policy", policy))
    out.extend((name, value) for name, value in HEADERS.items() if name not in names)
    return out


MAX_BODY = 256 * 1024  # bytes: a form or webhook is a few KiB; larger bodies are refused unread


class BodyLimit:
    """ASGI middleware: 413 for a request body over `limit` (Twilio's endpoints read the form
    before its signature can be checked, so an unauthenticated sender must not fill memory)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise _TooLarge
            return message

        try:
            await self.app(scope, counted, send)
        except _TooLarge:
            await _too_large(send)


class _TooLarge(Exception):
    pass


async def _too_large(send: Send) -> None:
    await send({"type": "http.response.start", "status": 413, "headers": [(b"content-type", b"text/plain")]})
    await send({"type": "http.response.body", "body": b"request body too large"})
