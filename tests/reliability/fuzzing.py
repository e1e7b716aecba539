"""Bounded mutation fuzzing of every importer over the fixture files in tests/data.

Each fixture is read once to learn its format; then `n` seeded mutations of its bytes (bit flips,
byte insertions and deletions, truncation, repeated or dropped lines, random bytes) go through
`ingest.read_batches` in this process, each under a time limit. A mutation may be rejected with
a TracerError (one clean line) or read; anything else is an internal error, and running past
the limit is a hang. Used by tests/reliability/test_fuzz.py (bounded) and by
`python -m benchmarks.reliability --fuzz N` (the documented long run).
"""

from __future__ import annotations

import random
import signal
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from tracer import ingest
from tracer.errors import TracerError

DATA = Path(__file__).resolve().parents[1] / "data"
LIMIT_SECONDS = 10  # a fixture is a few KiB: any read this long is stuck
_SKIP = {".py", ".md", ".sqlite"}  # generators, notes and the legacy vault are not import inputs


@dataclass
class Outcome:
    runs: int = 0
    rejected: int = 0
    read: int = 0
    hangs: list[str] = field(default_factory=list)
    internal: list[str] = field(default_factory=list)
    by_format: Counter[str] = field(default_factory=Counter)


class _Hang(Exception):
    pass


def fixtures() -> Iterator[tuple[Path, ingest.Format]]:
    """Every importable file under tests/data (whatever helpers have added), with its format."""
    for path in sorted(DATA.rglob("*")):
        if not path.is_file() or path.suffix in _SKIP or "google_voice" in path.parts:
            continue
        try:
            yield path, ingest.sniff(path)
        except TracerError:
            continue  # not a format tracer recognises (e.g. a deliberately broken sample)


def mutate(data: bytes, rng: random.Random) -> bytes:
    buf = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        kind = rng.randrange(7)
        at = rng.randrange(len(buf) + 1)
        if kind == 0 and buf:
            buf[min(at, len(buf) - 1)] ^= 1 << rng.randrange(8)
        elif kind == 1:
            buf[at:at] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 16)))
        elif kind == 2:
            del buf[at : at + rng.randint(1, 64)]
        elif kind == 3:
            del buf[at:]
        elif kind == 4:
            lines = bytes(buf).split(b"\n")
            i = rng.randrange(len(lines))
            lines.insert(i, lines[i] * rng.randint(1, 3))
            buf = bytearray(b"\n".join(lines))
        elif kind == 5:
            lines = bytes(buf).split(b"\n")
            del lines[rng.randrange(len(lines))]
            buf = bytearray(b"\n".join(lines))
        else:
            buf[at:at] = rng.choice([b"\x00", b"\xff\xfe", b'"', b",", b"<", b"]]>", b"\r", "\u202e".encode()])
    return bytes(buf)


def run(n: int, seed: int = 0) -> Outcome:
    """`n` mutations of every fixture; the outcome counts."""
    outcome = Outcome()
    options = ingest.Options(region="CN", tz="Asia/Shanghai", to="+8613800138000")
    with tempfile.TemporaryDirectory(prefix="tracer-fuzz-") as folder:
        for path, fmt in fixtures():
            data = path.read_bytes()
            for i in range(n):
                rng = random.Random(f"{seed}:{path.name}:{i}")
                target = Path(folder) / f"case{path.suffix}"
                target.write_bytes(mutate(data, rng))
                _one(target, fmt, options, f"{path.relative_to(DATA)} #{i}", outcome)
    return outcome


def _one(target: Path, fmt: ingest.Format, options: ingest.Options, label: str, outcome: Outcome) -> None:
    outcome.runs += 1
    outcome.by_format[fmt.value] += 1
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(LIMIT_SECONDS)
    try:
        for _ in ingest.read_batches(target, fmt, options):
            pass
        outcome.read += 1
    except TracerError:
        outcome.rejected += 1
    except _Hang:
        outcome.hangs.append(label)
    except Exception as exc:  # what the fuzz looks for: anything that is not a clean error
        outcome.internal.append(f"{label}: {type(exc).__name__}")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def _alarm(*_: object) -> None:
    raise _Hang


def summary(outcome: Outcome) -> str:
    formats = ", ".join(f"{k} {v}" for k, v in sorted(outcome.by_format.items()))
    lines = [
        f"fuzz: {outcome.runs} mutated inputs ({formats}): {outcome.read} read, "
        f"{outcome.rejected} rejected cleanly, {len(outcome.internal)} internal errors, {len(outcome.hangs)} hangs"
    ]
    lines += [f"  internal error: {item}" for item in outcome.internal[:20]]
    lines += [f"  hang: {item}" for item in outcome.hangs[:20]]
    return "\n".join(lines)
