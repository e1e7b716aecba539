"""CSV parse throughput: `python tests/ingest/bench_csv.py [ROWS]` (not collected by pytest).

Writes a contract CSV of ROWS rows (default 1,000,000; 20,000 distinct callers, 50 receiving
numbers, mixed offsets and naive times) to a temporary file, then times `tracer.ingest.read`
over it, parsing only (no vault). Prints rows/s.
"""

from __future__ import annotations

import csv
import random
import sys
import tempfile
import time
from pathlib import Path

from tracer.ingest import Format, Options, read
from tracer.models import ContactRecord


def write(path: Path, rows: int, seed: int = 7) -> None:
    rnd = random.Random(seed)
    callers = [f"+86{rnd.choice('3456789')}{rnd.randrange(10**8, 10**9)}" for _ in range(20_000)]
    receivers = [f"1{rnd.choice('3589')}{rnd.randrange(10**8, 10**9)}" for _ in range(50)]
    texts = ["", "您好，这里是某某理财，最近有一支股票…", "Your parcel is waiting, press 1", ""]
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\n")
        out.writerow(["channel", "at", "to", "from", "heard_name", "text", "id"])
        for i in range(rows):
            stamp = 1_770_000_000 + i * 7
            day, sec = divmod(stamp % 31_536_000, 86_400)
            date = f"2026-{1 + day // 31 % 12:02d}-{1 + day % 28:02d}"
            at = f"{date}T{sec // 3600:02d}:{sec // 60 % 60:02d}:{sec % 60:02d}"
            at += "+08:00" if i % 3 else ""
            channel = "sms" if i % 5 == 0 else "call"
            name = "王先生" if i % 11 == 0 else ""
            text = texts[i % len(texts)]
            to, caller = rnd.choice(receivers), rnd.choice(callers)
            out.writerow([channel, at, to, caller, name, text, f"row-{i}"])


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "contacts.csv"
        write(path, rows)
        options = Options(region="CN", tz="Asia/Shanghai")
        for attempt in range(2):
            started = time.perf_counter()
            good = sum(isinstance(r, ContactRecord) for r in read(path, Format.CSV, options))
            elapsed = time.perf_counter() - started
            rate = rows / elapsed
            print(f"run {attempt + 1}: {good:,} records in {elapsed:.2f}s = {rate:,.0f} rows/s")


if __name__ == "__main__":
    main()
