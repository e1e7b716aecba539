"""kill -9 during an import, a canary batch and a passphrase change: all or nothing, the vault
verifies, nothing outlives the command (a few points here; the long run: `python -m
benchmarks.reliability --crash 20`, docs/reliability.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ME
from tests.reliability import crashing


def test_kill_9_at_a_few_points_leaves_a_whole_vault_and_no_orphan(
    template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    trials = crashing.run(template, tmp_path, ME.passphrase, points=3)
    assert [t.problems for t in trials if t.problems] == [], crashing.summary(trials)
    assert any(not t.finished for t in trials)  # at least some kills landed mid-command
