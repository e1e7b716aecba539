"""Reading a carrier bill in tests: its records, asserting nothing was rejected, and the rows the
importer skipped and counted (fee-only rows, repeated headers, data sessions, totals)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tracer.ingest import Format, Options, read_batches
from tracer.models import ContactRecord


def read_bill(path: Path, *, region: str, tz: str, to: str, **options: Any) -> tuple[list[ContactRecord], int]:
    records: list[ContactRecord] = []
    skipped = 0
    for batch in read_batches(path, Format.AUTO, Options(region=region, tz=tz, to=to, **options)):
        assert not batch.rejected, batch.rejected
        records.extend(batch.records())
        skipped += batch.skipped
    return records, skipped
