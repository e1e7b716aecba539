"""Fixtures for the web app: an in-process client, a real `tracer serve` process, a Dovecot.

Everything listens on and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.conftest import ME, Filled
from tests.serve import imap_server
from tracer.serve import Desk, Options, Pairing, create_app

TWILIO_TOKEN = "0123456789abcdef0123456789abcdef"  # a made-up test auth token
_PAIR_LINE = re.compile(r"open (http://127\.0\.0\.1:\d+/pair\?code=(\S+))")
_INPUT = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Web:
    """An in-process app over the `filled` vault, its pairing and its test client."""

    client: TestClient
    pairing: Pairing
    desk: Desk

    def pair(self) -> str:
        """Pair the client (session cookie set); returns the page's CSRF token."""
        response = self.client.get(f"/pair?code={self.pairing.code}")
        assert response.status_code == 200 and response.url.path == "/"
        return csrf_of(response.text)


def csrf_of(html: str) -> str:
    found = _INPUT.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


@pytest.fixture
def web(filled: Filled, home: Path) -> Iterator[Web]:
    desk = Desk(home, ME.passphrase)
    pairing = Pairing()
    app = create_app(desk, pairing, Options(twilio_token=TWILIO_TOKEN))
    with TestClient(app, base_url="http://127.0.0.1:8765") as client:
        yield Web(client, pairing, desk)
    desk.close()


@dataclass
class Served:
    """A `tracer serve` process: its base URL, first pairing URL and what it printed."""

    proc: subprocess.Popen[str]
    base: str
    pair_url: str
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def next_pair_url(self, after: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            urls = [m.group(1) for line in list(self.lines) if (m := _PAIR_LINE.search(line))]
            if urls and urls[-1] != after:
                return urls[-1]
            time.sleep(0.05)
        raise AssertionError("the server printed no new pairing URL")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _drain(stream, into: list[str]) -> None:  # type: ignore[no-untyped-def]
    for line in stream:
        into.append(line)


def start_server(home: Path, *args: str, env: dict[str, str] | None = None) -> Served:
    """`python -m tracer serve --port FREE ARGS` on `home`; returns once it answers."""
    port = imap_server.free_port()
    environ = {**os.environ, "TRACER_HOME": str(home), "TRACER_PASSPHRASE": ME.passphrase,
               "TRACER_SCRYPT_LOG_N": "10", "PYTHONIOENCODING": "utf-8", **(env or {})}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracer", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        encoding="utf-8", env=environ,
    )  # fmt: skip
    served = Served(proc, f"http://127.0.0.1:{port}", "")
    threading.Thread(target=_drain, args=(proc.stdout, served.lines), daemon=True).start()
    threading.Thread(target=_drain, args=(proc.stderr, served.errors), daemon=True).start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            time.sleep(0.2)
            pytest.fail(f"tracer serve exited {proc.returncode}: {''.join(served.errors)}")
        found = [m for line in list(served.lines) if (m := _PAIR_LINE.search(line))]
        if found and _listening(port):
            served.pair_url = found[0].group(1)
            return served
        time.sleep(0.1)
    served.stop()
    pytest.fail("tracer serve did not start within 60 s")


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.fixture
def server(filled: Filled, home: Path) -> Iterator[Served]:
    """`tracer serve --twilio` on the filled vault."""
    served = start_server(home, "--twilio", env={"TRACER_TWILIO_AUTH_TOKEN": TWILIO_TOKEN})
    yield served
    served.stop()


@pytest.fixture
def dovecot(tmp_path: Path) -> Iterator[imap_server.Imap]:
    imap, proc = imap_server.start(tmp_path / "dovecot")
    yield imap
    imap_server.stop(imap, proc)
