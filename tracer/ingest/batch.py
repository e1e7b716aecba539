"""Batches: consecutive items of one file, with the records held column by column.

A bulk import turns records into vault rows a batch at a time (`read_batches`), straight from the
columns: a file of millions of rows never pays for millions of `ContactRecord` objects. Every
importer can be read in batches; the CSV importer builds its batches column-wise from the start.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime
from operator import attrgetter
from typing import Any

from tracer.ingest.base import Item
from tracer.models import Channel, ContactRecord, Rejected

# records per batch: enough to spread the per-batch work thin, few enough that the rows built from
# several batches fit the import worker's pipe (1 MiB), so neither process waits on every batch
SIZE = 1024
# A batch holds one column per `ContactRecord` field, named alike: the record is defined once.
RECORD_FIELDS = tuple(f.name for f in fields(ContactRecord))
_values = attrgetter(*RECORD_FIELDS)


@dataclass
class Batch:
    """Records as columns (one list per `ContactRecord` field, all the same length, in
    `RECORD_FIELDS`; a test checks they match) and the rows rejected among them, in file order.
    A record without headers has None there."""

    channel: list[Channel] = field(default_factory=list)
    at: list[datetime] = field(default_factory=list)
    to: list[str | None] = field(default_factory=list)
    sender: list[str | None] = field(default_factory=list)
    heard_name: list[str | None] = field(default_factory=list)
    text: list[str | None] = field(default_factory=list)
    duration: list[int | None] = field(default_factory=list)
    direction: list[str] = field(default_factory=list)
    external_id: list[str | None] = field(default_factory=list)
    line: list[int | None] = field(default_factory=list)
    headers: list[dict[str, str] | None] = field(default_factory=list)
    caller_name: list[str | None] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: int = 0  # rows that hold no contact (a bill's fee-only rows, its repeated header)

    def __len__(self) -> int:
        """The number of records (rejected rows not counted)."""
        return len(self.at)

    def add(self, record: ContactRecord) -> None:
        for column, value in zip(self.columns(), _values(record), strict=True):
            column.append(value)
        self.headers[-1] = self.headers[-1] or None

    def columns(self) -> tuple[list[Any], ...]:
        """The record columns, in `ContactRecord`'s field order."""
        return tuple(getattr(self, name) for name in RECORD_FIELDS)

    def records(self) -> Iterator[ContactRecord]:
        """The records, in order, as the importer read them."""
        headers = RECORD_FIELDS.index("headers")
        for row in zip(*self.columns(), strict=True):
            values = list(row)
            values[headers] = values[headers] or {}
            yield ContactRecord(*values)

    def take(self, item: Item) -> None:
        """Add an importer's item: a record to the columns, a rejected row to `rejected`."""
        if isinstance(item, Rejected):
            self.rejected.append(item)
        else:
            self.add(item)

    @classmethod
    def of(cls, items: Iterable[Item]) -> Batch:
        """The batch of `items` (an importer's output, or a contact logged by hand)."""
        batch = cls()
        for item in items:
            batch.take(item)
        return batch


def batched(items: Iterable[Item], size: int = SIZE) -> Iterator[Batch]:
    """Items in batches of `size` records. When reading fails, the batch read so far comes first,
    so a bad row before the failure is still the first problem the consumer sees."""
    batch = Batch()
    try:
        for item in items:
            batch.take(item)
            if len(batch) >= size:
                yield batch
                batch = Batch()
    except Exception:
        yield batch
        raise
    if len(batch) or batch.rejected:
        yield batch
