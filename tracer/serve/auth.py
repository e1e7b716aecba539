"""Who may use the web app: one-time pairing codes, sessions, CSRF tokens, attempt limits.

A browser becomes a session by presenting the pairing code `tracer serve` printed in the
terminal (in a URL or typed). The code works once; the terminal then gets a fresh one for the next
device. A session cookie is 32 random bytes; the server keeps only its SHA-256, so a memory dump
of the table cannot be replayed as a cookie. Each session has its own CSRF token, required on every
form. Failed pairing attempts are limited per client address and in total.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

COOKIE = "tracer_session"
SESSION_IDLE = 12 * 3600  # seconds: a phone left paired overnight must pair again
# 5 wrong codes a minute from one address, 20 from all: a 128-bit code is never guessed, and
# these stop a script from hammering the server for it
ATTEMPTS_PER_CLIENT = 5
ATTEMPTS_TOTAL = 20
ATTEMPT_WINDOW = 60.0


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


@dataclass
class Session:
    csrf: str
    last_seen: float

    def csrf_ok(self, presented: str | None) -> bool:
        return presented is not None and hmac.compare_digest(self.csrf.encode(), presented.encode())


class Pairing:
    """The current one-time pairing code; `on_renew(code)` hears each new one."""

    def __init__(self, on_renew: Callable[[str], None] | None = None) -> None:
        self._lock = threading.Lock()
        self._on_renew = on_renew
        self.code = self._fresh()

    def redeem(self, presented: str) -> bool:
        """True once for the current code; then a new code is made (and announced)."""
        with self._lock:
            if not hmac.compare_digest(_digest(self.code), _digest(presented)):
                return False
            self.code = self._fresh()
        if self._on_renew is not None:
            self._on_renew(self.code)
        return True

    @staticmethod
    def _fresh() -> str:
        return secrets.token_urlsafe(16)


@dataclass
class Sessions:
    """Live sessions keyed by the SHA-256 of their cookie."""

    idle: float = SESSION_IDLE
    clock: Callable[[], float] = time.monotonic
    _table: dict[bytes, Session] = field(default_factory=dict)

    def open(self) -> str:
        """A new session; returns the cookie value (kept nowhere on the server)."""
        cookie = secrets.token_urlsafe(32)
        self._table[_digest(cookie)] = Session(secrets.token_urlsafe(32), self.clock())
        return cookie

    def get(self, cookie: str | None) -> Session | None:
        if not cookie:
            return None
        key = _digest(cookie)
        session = self._table.get(key)
        now = self.clock()
        if session is None or now - session.last_seen > self.idle:
            self._table.pop(key, None)
            return None
        session.last_seen = now
        return session

    def close(self, cookie: str | None) -> None:
        if cookie:
            self._table.pop(_digest(cookie), None)


@dataclass
class Attempts:
    """Sliding-window limit on failed attempts, per client and in total."""

    per_client: int = ATTEMPTS_PER_CLIENT
    total: int = ATTEMPTS_TOTAL
    window: float = ATTEMPT_WINDOW
    clock: Callable[[], float] = time.monotonic
    _failures: deque[tuple[float, str]] = field(default_factory=deque)

    def allowed(self, client: str) -> bool:
        self._expire()
        mine = sum(1 for _, who in self._failures if who == client)
        return mine < self.per_client and len(self._failures) < self.total

    def failed(self, client: str) -> None:
        self._failures.append((self.clock(), client))

    def _expire(self) -> None:
        cutoff = self.clock() - self.window
        while self._failures and self._failures[0][0] < cutoff:
            self._failures.popleft()
