"""Two and four writers at once for a few seconds: nothing lost or duplicated, the vault verifies, waits
bounded (the long run: `python -m benchmarks.reliability --concurrent 60`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ME
from tests.reliability import concurrency


@pytest.mark.parametrize("writers", [2, 4])
def test_concurrent_writers_lose_and_duplicate_nothing(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, writers: int
):
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    outcome = concurrency.run(template, tmp_path, ME.passphrase, writers=writers, seconds=2.0)
    assert outcome.acknowledged > 0 and outcome.refused == 0, concurrency.summary(outcome)
    assert outcome.stored == outcome.acknowledged, concurrency.summary(outcome)
    assert outcome.verified and outcome.slowest_wait < 10.0, concurrency.summary(outcome)
