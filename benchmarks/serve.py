"""Load on `tracer serve` over loopback: many phones logging calls at once, nothing lost.

    python -m benchmarks.serve                        # 200 concurrent loggers for 30 s
    python -m benchmarks.serve --loggers 50 --seconds 5

Creates a temporary vault, starts `tracer serve` on a free 127.0.0.1 port, pairs one session,
and runs `loggers` asyncio tasks that each POST the log form (JSON answer) as fast as the server
answers until `seconds` have passed or each has sent `--max-per-logger` requests. Then it stops
the server and checks that every contact the server acknowledged is in the vault, that the vault
gained exactly that many, and that the ledger verifies. Prints one JSON document; exit 1 when a
contact was lost or the vault does not verify. Talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import httpx2

PASSPHRASE = "benchmark passphrase"
_PAIR_LINE = re.compile(r"(http://127\.0\.0\.1:\d+/pair\?code=(\S+))")  # the line is in the vault's language
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Served:
    """A `tracer serve` process: its base URL, first pairing URL and what it printed."""

    proc: subprocess.Popen[str]
    base: str
    pair_url: str = ""
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def pair_urls(self) -> list[str]:
        return [m.group(1) for line in list(self.lines) if (m := _PAIR_LINE.search(line))]

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start(home: Path, passphrase: str, *args: str, env: dict[str, str] | None = None, timeout: float = 60) -> Served:
    """`python -m tracer serve --port FREE ARGS`; returns once it prints its URL and listens.
    RuntimeError (with what it printed on stderr) when it exits or does not start in time."""
    port = free_port()
    environ = {**os.environ, "TRACER_HOME": str(home), "TRACER_PASSPHRASE": passphrase,
               "PYTHONIOENCODING": "utf-8", **(env or {})}  # fmt: skip
    proc = subprocess.Popen(
        [sys.executable, "-m", "tracer", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
        encoding="utf-8", env=environ,
    )  # fmt: skip
    served = Served(proc, f"http://127.0.0.1:{port}")
    for stream, into in ((proc.stdout, served.lines), (proc.stderr, served.errors)):
        threading.Thread(target=_drain, args=(stream, into), daemon=True).start()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            time.sleep(0.2)
            raise RuntimeError(f"tracer serve exited {proc.returncode}: {''.join(served.errors)}")
        urls = served.pair_urls()
        if urls and _listening(port):
            served.pair_url = urls[0]
            return served
        time.sleep(0.1)
    served.stop()
    raise RuntimeError(f"tracer serve did not start within {timeout:.0f} s")


def _drain(stream: IO[str], into: list[str]) -> None:
    for line in stream:
        into.append(line)


def _listening(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


@dataclass
class Load:
    """What the loggers saw: acknowledged contact ids, failures, latencies (seconds)."""

    ids: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    seconds: float = 0.0

    def summary(self) -> dict[str, float | int]:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "requests": len(self.latencies), "acknowledged": len(self.ids), "failures": len(self.failures),
            "seconds": round(self.seconds, 2), "per_second": round(len(self.latencies) / max(self.seconds, 1e-9), 1),
            "p50_ms": round(1000 * ordered[len(ordered) // 2], 1),
            "p95_ms": round(1000 * ordered[int(len(ordered) * 0.95)], 1),
            "max_ms": round(1000 * ordered[-1], 1),
        }  # fmt: skip


async def hammer(pair_url: str, *, loggers: int, seconds: float, max_per_logger: int) -> Load:
    """Pair once, then `loggers` tasks log distinct calls until time or count runs out."""
    limits = httpx2.Limits(max_connections=loggers, max_keepalive_connections=loggers)
    async with httpx2.AsyncClient(limits=limits, timeout=60) as client:
        page = await client.get(pair_url, follow_redirects=True)
        found = _CSRF.search(page.text)
        if page.status_code != 200 or not found:
            raise RuntimeError(f"pairing failed: HTTP {page.status_code}")
        base = pair_url.split("/pair", 1)[0]
        load, started = Load(), time.monotonic()
        deadline = started + seconds
        await asyncio.gather(
            *(_logger(client, base, found.group(1), n, deadline, max_per_logger, load) for n in range(loggers))
        )
        load.seconds = time.monotonic() - started
    return load


async def _logger(
    client: httpx2.AsyncClient, base: str, csrf: str, n: int, deadline: float, most: int, load: Load
) -> None:
    for seq in range(most):
        if time.monotonic() >= deadline:
            return
        form = {"csrf": csrf, "channel": "call", "sender": f"+86170{n:04d}{seq:04d}",
                "heard_name": "王先生", "text": f"load test {n}-{seq}"}  # fmt: skip
        began = time.monotonic()
        try:
            answer = await client.post(f"{base}/log", data=form, headers={"Accept": "application/json"})
        except httpx2.HTTPError as exc:
            load.failures.append(type(exc).__name__)
            continue
        load.latencies.append(time.monotonic() - began)
        if answer.status_code == 200 and answer.json().get("new"):
            load.ids.append(answer.json()["id"])
        else:
            load.failures.append(f"HTTP {answer.status_code}")


def check(home: Path, passphrase: str, before: int, load: Load) -> dict[str, int | bool]:
    """Every acknowledged id stored, nothing else added, the ledger verifies."""
    from tracer import contacts, lifecycle
    from tracer.vault import Vault

    with Vault.open(home, passphrase) as vault:
        stored = set(contacts.frame(vault)["id"])
        entries = lifecycle.verify(vault).entries
    missing = [i for i in load.ids if i not in stored]
    return {"stored": len(stored) - before, "missing": len(missing), "ledger_entries": entries,
            "lost_none": not missing and len(stored) - before == len(set(load.ids))}  # fmt: skip


def run(loggers: int, seconds: float, max_per_logger: int) -> dict[str, object]:
    """The whole benchmark in a temporary vault."""
    from tracer import lifecycle

    with tempfile.TemporaryDirectory(prefix="tracer-serve-bench-") as tmp:
        home = Path(tmp) / "vault"
        lifecycle.init(home, PASSPHRASE, name="杨伟", phone="13800138000", timezone="Asia/Shanghai").close()
        served = start(home, PASSPHRASE)
        try:
            load = asyncio.run(hammer(served.pair_url, loggers=loggers, seconds=seconds, max_per_logger=max_per_logger))
        finally:
            served.stop()
        return {"loggers": loggers, **load.summary(), **check(home, PASSPHRASE, 0, load)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--loggers", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--max-per-logger", type=int, default=10_000)
    args = parser.parse_args(argv)
    result = run(args.loggers, args.seconds, args.max_per_logger)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["lost_none"] and not result["failures"] else 1


if __name__ == "__main__":
    sys.exit(main())
