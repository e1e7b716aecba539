"""kill -9 of a writing `tracer` process at chosen moments: afterwards the vault verifies, holds
all or nothing of the operation, and no process of the killed command is left.

Operations: a contacts import (with its forked worker), a canary batch, a passphrase change.
Each trial copies a small vault, starts the command in its own process group, sends SIGKILL to
the command's process only (its worker must die by itself) after `delay` seconds, then checks.
Used by tests/reliability/test_crash.py (a few points) and `python -m benchmarks.reliability
--crash N` (N points per operation).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from tracer import lifecycle
from tracer.errors import TracerError
from tracer.vault.store import DB_NAME

NEW_PASSPHRASE = "orchid lantern crash test"


@dataclass
class Trial:
    operation: str
    delay: float
    finished: bool  # the command ended before the kill
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Operation:
    name: str
    args: tuple[str, ...]
    count: Callable[[Path], int]  # what the operation adds, counted in the file
    env: tuple[tuple[str, str], ...] = ()


def _count(table: str) -> Callable[[Path], int]:
    def count(home: Path) -> int:
        conn = sqlite3.connect(home / DB_NAME)
        try:
            return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
        finally:
            conn.close()

    return count


def operations(inputs: Path, rows: int = 20_000, canaries: int = 200) -> list[Operation]:
    """The operations, with their input files written into `inputs`."""
    calls = inputs / "crash-calls.csv"
    with calls.open("w", encoding="utf-8") as handle:
        handle.write("channel,at,to,from,text\n")
        for i in range(rows):
            handle.write(f"call,2026-02-{1 + i % 27:02d}T{i % 24:02d}:{i % 60:02d}:00Z,+8613900139001,"
                         f"+86170{i:08d},text {i}\n")  # fmt: skip
    batch = inputs / "crash-batch.csv"
    batch.write_text("platform,category,at,real_name\n" + "".join(f"Shop{i},shop,,no\n" for i in range(canaries)))
    return [
        Operation("contacts import", ("contacts", "import", str(calls)), _count("contacts")),
        Operation("canary batch", ("canary", "batch", str(batch)), _count("canaries")),
        Operation("passphrase change", ("passphrase", "change", "--weak-passphrase"), _count("ledger"),
                  (("TRACER_NEW_PASSPHRASE", NEW_PASSPHRASE),)),  # fmt: skip
    ]


def trial(template: Path, work: Path, op: Operation, delay: float, passphrase: str) -> Trial:
    home = _fresh(template, work)
    before = op.count(home)
    env = _env(home, passphrase, op)
    process = subprocess.Popen([sys.executable, "-m", "tracer", *op.args], env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    time.sleep(delay)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait()
    result = Trial(op.name, delay, finished)
    if not _group_empty(process.pid):
        result.problems.append("a process of the killed command outlived it")
        _kill_group(process.pid)
    _check_vault(home, op, before, passphrase, result)
    return result


def _fresh(template: Path, work: Path) -> Path:
    home = work / "vault"
    shutil.rmtree(home, ignore_errors=True)
    shutil.copytree(template, home)
    return home


def _env(home: Path, passphrase: str, op: Operation) -> dict[str, str]:
    return {**os.environ, "TRACER_HOME": str(home), "TRACER_PASSPHRASE": passphrase,
            "TRACER_SCRYPT_LOG_N": os.environ.get("TRACER_SCRYPT_LOG_N", "10"), **dict(op.env)}  # fmt: skip


def _check_vault(home: Path, op: Operation, before: int, passphrase: str, result: Trial) -> None:
    for secret in (passphrase, NEW_PASSPHRASE):
        try:
            with lifecycle.open_vault(home, secret) as vault:
                lifecycle.verify(vault)
            break
        except TracerError as exc:
            last = exc.message
    else:
        result.problems.append(f"the vault no longer opens and verifies: {last}")
        return
    after = op.count(home)
    if op.name != "passphrase change" and after != before and after != _complete(op, before):
        result.problems.append(f"partly applied: {before} -> {after} rows")


def _complete(op: Operation, before: int) -> int:
    path = Path(op.args[2])
    return before + sum(1 for _ in path.open(encoding="utf-8")) - 1


def _group_empty(pgid: int, wait: float = 10.0) -> bool:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return True
        time.sleep(0.05)
    return False


def _kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def run(template: Path, work: Path, passphrase: str, points: int, span: float | None = None) -> list[Trial]:
    """`points` kills per operation, spread evenly over its duration (timed by one full run
    first), or over the first `span` seconds when given."""
    trials = []
    for op in operations(work):
        length = span if span is not None else _duration(template, work, op, passphrase)
        for i in range(points):
            trials.append(trial(template, work, op, length * (i + 0.5) / points, passphrase))
    return trials


def _duration(template: Path, work: Path, op: Operation, passphrase: str) -> float:
    """Seconds one uninterrupted run of `op` takes on a copy of the template."""
    home = _fresh(template, work)
    began = time.monotonic()
    subprocess.run([sys.executable, "-m", "tracer", *op.args], env=_env(home, passphrase, op),
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=600, check=False)  # fmt: skip
    return time.monotonic() - began


def summary(trials: list[Trial]) -> str:
    lines = []
    for name in dict.fromkeys(t.operation for t in trials):
        mine = [t for t in trials if t.operation == name]
        killed = sum(not t.finished for t in mine)
        bad = [t for t in mine if t.problems]
        lines.append(f"crash: {name}: {len(mine)} kill points ({killed} killed mid-run, "
                     f"{len(mine) - killed} already done), {len(bad)} with problems")  # fmt: skip
        lines += [f"  at {t.delay:.2f}s: {'; '.join(t.problems)}" for t in bad]
    return "\n".join(lines)
