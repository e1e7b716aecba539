"""Concurrent writers on one vault: `writers` processes each log contacts (one transaction and
ledger entry each) for `seconds`; afterwards every acknowledged write is there exactly once, the
vault verifies, and the longest wait for the write lock is reported. Used by
tests/reliability/test_concurrency.py (short) and `python -m benchmarks.reliability
--concurrent 60` (2 and 4 writers for 60 s each)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tracer import lifecycle

WRITER = r"""
import json, sys, time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from tracer import contacts, lifecycle
from tracer.errors import TracerError
from tracer.models import Channel, ContactRecord
home, secret, me, seconds = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
done, refused, slowest, start, kinds = 0, 0, 0.0, time.monotonic(), {}
with lifecycle.open_vault(home, secret) as vault:
    while time.monotonic() - start < seconds:
        at = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(seconds=me * 1_000_000 + done + refused)
        record = ContactRecord(Channel.CALL, at, to="+8613900139001", sender=f"+86170{me:02d}{done:06d}")
        began = time.monotonic()
        try:
            contacts.log(vault, record)
            done += 1
        except TracerError as exc:  # a busy vault (VaultError) is a refusal the user sees; others are bugs
            refused += 1
            kinds[type(exc).__name__] = kinds.get(type(exc).__name__, 0) + 1
        slowest = max(slowest, time.monotonic() - began)
print(json.dumps({"done": done, "refused": refused, "slowest": slowest, "kinds": kinds}))
"""


@dataclass(frozen=True)
class Outcome:
    writers: int
    seconds: float
    acknowledged: int
    refused: int
    refusals: dict[str, int]
    stored: int
    slowest_wait: float
    verified: bool


def run(template: Path, work: Path, passphrase: str, writers: int, seconds: float) -> Outcome:
    home = work / f"vault-{writers}"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(template, home)
    with lifecycle.open_vault(home, passphrase) as vault:
        before = int(vault.conn.execute("SELECT count(*) FROM contacts").fetchone()[0])
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(home), passphrase, str(i), str(seconds)],
                         env=env, stdout=subprocess.PIPE, text=True)  # fmt: skip
        for i in range(writers)
    ]
    results = [json.loads(p.communicate(timeout=seconds + 120)[0]) for p in procs]
    with lifecycle.open_vault(home, passphrase) as vault:
        stored = int(vault.conn.execute("SELECT count(*) FROM contacts").fetchone()[0]) - before
        verified = lifecycle.verify(vault).contacts == stored + before
    return Outcome(
        writers, seconds, sum(r["done"] for r in results), sum(r["refused"] for r in results),
        {k: sum(r["kinds"].get(k, 0) for r in results) for r in results for k in r["kinds"]}, stored,
        max(r["slowest"] for r in results), verified,
    )  # fmt: skip


def summary(outcome: Outcome) -> str:
    return (
        f"concurrent: {outcome.writers} writers for {outcome.seconds:.0f}s: {outcome.acknowledged} writes "
        f"acknowledged, {outcome.stored} stored, {outcome.refused} refused {outcome.refusals or ''}, longest wait "
        f"{outcome.slowest_wait:.2f}s, verify {'passes' if outcome.verified else 'FAILS'}"
    )
