"""Fixtures for the web app: an in-process client, a real `tracer serve` process, a Dovecot.

Everything listens on and talks to 127.0.0.1 only.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from benchmarks import serve as bench
from tests.conftest import ME, Filled
from tests.serve import imap_server
from tracer.serve import Desk, Options, Pairing, create_app

TWILIO_TOKEN = "0123456789abcdef0123456789abcdef"  # a made-up test auth token
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


class Served(bench.Served):
    """`benchmarks.serve.Served` plus waiting for the next pairing URL."""

    def next_pair_url(self, after: str, timeout: float = 10) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            urls = self.pair_urls()
            if urls and urls[-1] != after:
                return urls[-1]
            time.sleep(0.05)
        raise AssertionError("the server printed no new pairing URL")


def start_server(home: Path, *args: str, env: dict[str, str] | None = None) -> Served:
    """`python -m tracer serve --port FREE ARGS` on `home` (cheap scrypt); fails the test when it
    does not start. No locale in its environment: the pages speak the vault's language."""
    quiet = {"LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
    try:
        started = bench.start(home, ME.passphrase, *args, env={"TRACER_SCRYPT_LOG_N": "10", **quiet, **(env or {})})
    except RuntimeError as exc:
        pytest.fail(str(exc))
    served = Served(started.proc, started.base, started.pair_url, started.lines, started.errors)
    return served


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
