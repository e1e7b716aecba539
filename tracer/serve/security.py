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
