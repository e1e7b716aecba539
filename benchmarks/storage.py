"""How to seal contacts: one AES-GCM seal per row (schema 2) against one per chunk of columns.

`python -m benchmarks.storage [--rows 200000] [--chunk 65536]` builds synthetic contact
columns (numbers, names, SMS texts like the attribution benchmark's) and times, per layout,
sealing them (encode + encrypt) and opening them again (decrypt + decode into columns), with the
bytes stored. In-process and single-threaded: it compares layouts, it does not time `tracer`.
Results and the choice they led to: docs/design.md ("Contacts are sealed in column chunks").
"""

from __future__ import annotations

import argparse
import json
import os
import random
import time
from collections.abc import Callable
from typing import Any

import pyarrow as pa
import pyarrow.ipc as ipc
import pyarrow.parquet as pq
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def columns(n: int, seed: int = 1) -> dict[str, list[Any]]:
    rng = random.Random(seed)
    numbers = [f"+86139{rng.randrange(10**8):08d}" for _ in range(66_000)]
    callers = [f"+86170{rng.randrange(10**8):08d}" for _ in range(50_000)]
    texts = ["【某某证券】内部牛股推荐，回电 400-{:04d}", "王先生您好，您的车险即将到期 {}", None, None]
    return {
        "to": [rng.choice(numbers) for _ in range(n)],
        "from": [rng.choice(callers) for _ in range(n)],
        "heard_name": [rng.choice([None, None, "王先生", "欧阳女士"]) for _ in range(n)],
        "text": [(t.format(rng.randrange(9999)) if t else None) for t in (rng.choice(texts) for _ in range(n))],
        "duration": [rng.choice([None, 12, 40]) for _ in range(n)],
        "direction": ["in"] * n,
        "external_id": [f"row-{i}" for i in range(n)],
        "line": list(range(2, n + 2)),
        "headers": [None] * n,
        "source": ["f" * 64] * n,
        "caller_name": [None] * n,
    }


def per_row(cols: dict[str, list[Any]], aead: AESGCM) -> tuple[float, float, int]:
    names = list(cols)
    start = time.perf_counter()
    sealed = []
    for i, row in enumerate(zip(*cols.values(), strict=True)):
        nonce = os.urandom(12)
        sealed.append(nonce + aead.encrypt(nonce, _encode(list(row)).encode(), f"contacts:k_{i}".encode()))
    sealing = time.perf_counter() - start
    start = time.perf_counter()
    out: dict[str, list[Any]] = {name: [] for name in names}
    for i, blob in enumerate(sealed):
        doc = json.loads(aead.decrypt(blob[:12], blob[12:], f"contacts:k_{i}".encode()))
        for name, value in zip(names, doc, strict=True):
            out[name].append(value)
    return sealing, time.perf_counter() - start, sum(map(len, sealed))


def chunked(
    cols: dict[str, list[Any]], aead: AESGCM, size: int, write: Callable[[pa.Table], bytes],
    read: Callable[[bytes], pa.Table],
) -> tuple[float, float, int]:
    n = len(cols["to"])
    start = time.perf_counter()
    sealed = []
    for first in range(0, n, size):
        table = pa.table({k: v[first : first + size] for k, v in cols.items()})
        nonce = os.urandom(12)
        sealed.append(nonce + aead.encrypt(nonce, write(table), f"contact_chunks:{first}".encode()))
    sealing = time.perf_counter() - start
    start = time.perf_counter()
    tables = [
        read(aead.decrypt(b[:12], b[12:], f"contact_chunks:{i * size}".encode())) for i, b in enumerate(sealed)
    ]
    pa.concat_tables(tables).to_pandas()
    return sealing, time.perf_counter() - start, sum(map(len, sealed))


def _ipc(compression: str | None) -> tuple[Callable[[pa.Table], bytes], Callable[[bytes], pa.Table]]:
    def write(table: pa.Table) -> bytes:
        sink = pa.BufferOutputStream()
        with ipc.new_stream(sink, table.schema, options=ipc.IpcWriteOptions(compression=compression)) as w:
            w.write_table(table)
        return bytes(sink.getvalue())

    return write, lambda blob: ipc.open_stream(blob).read_all()


def _parquet(compression: str) -> tuple[Callable[[pa.Table], bytes], Callable[[bytes], pa.Table]]:
    def write(table: pa.Table) -> bytes:
        sink = pa.BufferOutputStream()
        pq.write_table(table, sink, compression=compression)
        return bytes(sink.getvalue())

    return write, lambda blob: pq.read_table(pa.BufferReader(blob))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--chunk", type=int, default=65_536)
    args = parser.parse_args(argv)
    cols, aead = columns(args.rows), AESGCM(AESGCM.generate_key(256))
    layouts: dict[str, Callable[[], tuple[float, float, int]]] = {
        "per-row JSON + AES-GCM (schema 2)": lambda: per_row(cols, aead),
        "Arrow IPC, uncompressed": lambda: chunked(cols, aead, args.chunk, *_ipc(None)),
        "Arrow IPC, lz4": lambda: chunked(cols, aead, args.chunk, *_ipc("lz4")),
        "Arrow IPC, zstd": lambda: chunked(cols, aead, args.chunk, *_ipc("zstd")),
        "Parquet, snappy": lambda: chunked(cols, aead, args.chunk, *_parquet("snappy")),
        "Parquet, zstd": lambda: chunked(cols, aead, args.chunk, *_parquet("zstd")),
    }
    print(f"{args.rows:,} contacts, chunks of {args.chunk:,} rows")
    print(f"{'layout':36} {'seal s':>8} {'open s':>8} {'MiB':>8}")
    for name, run in layouts.items():
        seal, open_, size = run()
        print(f"{name:36} {seal:8.2f} {open_:8.2f} {size / 2**20:8.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
