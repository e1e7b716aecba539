"""Single-byte edits of the vault's rows and of a bundle's files are all detected (a sample of
bytes here; every byte: `python -m benchmarks.reliability --tamper 1`, docs/reliability.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import ME
from tests.reliability import tampering
from tracer import lifecycle
from tracer.reports import filing


def test_sampled_single_byte_edits_of_vault_rows_are_all_detected(filled_home: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    tally = tampering.vault_edits(filled_home, ME.passphrase, step=13)
    assert tally.edits > 300
    assert tally.missed == [], tally.missed[:10]


def test_sampled_single_byte_edits_of_a_bundle_are_all_detected(
    filled_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    with lifecycle.open_vault(filled_home, ME.passphrase) as vault:
        made = filing.bundle_platform(vault, "StockPro", tmp_path / "b.zip")
    tally = tampering.bundle_edits(made, tmp_path, step=61)
    assert tally.edits > 100
    assert tally.missed == [], tally.missed[:10]
    every = tampering.bundle_edits(made, tmp_path, only={"public_key.pem", "manifest.sig", "ledger/head.json"})
    assert every.edits > 200 and every.missed == [], every.missed[:10]  # a broken key is exit 3, not a crash
