"""Batches: consecutive items of one file, with the records held column by column.

A bulk import turns records into vault rows a batch at a time (`read_batches`), straight from the
columns: a file of millions of rows never pays for millions of `ContactRecord` objects. Every
importer can be read in batches; the CSV importer builds its batches column-wise from the start.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime

from tracer.ingest.base import Item
from tracer.models import Channel, ContactRecord, Rejected

# records per batch: enough to spread the per-batch work thin, few enough that the rows built from
# several batches fit the import worker's pipe (1 MiB), so neither process waits on every batch
SIZE = 1024


@dataclass
class Batch:
    """Records as columns (one list per `ContactRecord` field, all the same length) and the
    rows rejected among them, in file order. A record without headers has None there."""

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
        self.channel.append(record.channel)
        self.at.append(record.at)
        self.to.append(record.to)
        self.sender.append(record.sender)
        self.heard_name.append(record.heard_name)
        self.text.append(record.text)
        self.duration.append(record.duration)
        self.direction.append(record.direction)
        self.external_id.append(record.external_id)
        self.line.append(record.line)
        self.headers.append(record.headers or None)
        self.caller_name.append(record.caller_name)

    def records(self) -> Iterator[ContactRecord]:
        """The records, in order, as the importer read them."""
        columns = (self.channel, self.at, self.to, self.sender, self.heard_name, self.text)
        more = (self.duration, self.direction, self.external_id, self.line, self.headers, self.caller_name)
        for channel, at, to, sender, name, text, duration, direction, ext, line, headers, caller in zip(
            *columns, *more, strict=True
        ):
            yield ContactRecord(
                channel=channel,
                at=at,
                to=to,
                sender=sender,
                heard_name=name,
                text=text,
                duration=duration,
                direction=direction,
                external_id=ext,
                line=line,
                headers=headers or {},
                caller_name=caller,
            )

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
