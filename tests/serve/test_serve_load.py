"""A bounded loopback load test: 200 concurrent loggers for a few seconds lose no contact.

The 30 s run is `python -m benchmarks.serve` (docs/benchmarks.md); this is its CI-sized twin.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from benchmarks import serve as bench
from tests.conftest import ME, Cli, Filled
from tests.serve.conftest import Served
from tracer import contacts
from tracer.vault import Vault

LOGGERS = 200
SECONDS = 3.0
MAX_PER_LOGGER = 15  # bounds the run on a fast machine too: at most 3,000 requests

pytestmark = pytest.mark.slow


def test_two_hundred_concurrent_loggers_lose_nothing_and_verify_stays_green(
    server: Served, home: Path, filled: Filled, run: Cli
):
    with Vault.open(home, ME.passphrase) as vault:
        before = len(contacts.frame(vault))
    load = asyncio.run(bench.hammer(server.pair_url, loggers=LOGGERS, seconds=SECONDS, max_per_logger=MAX_PER_LOGGER))
    server.stop()
    assert load.failures == []
    assert len(load.ids) >= LOGGERS  # every logger got at least one call through
    outcome = bench.check(home, ME.passphrase, before, load)
    assert outcome["missing"] == 0 and outcome["lost_none"], outcome
    assert run("verify").code == 0
