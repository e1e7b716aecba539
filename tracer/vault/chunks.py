"""A contact's sealed fields and how they are stored: the one place that knows the layout.

Contacts are sealed in chunks (schema 3): the sealed fields (`FIELDS`) of up to `ROWS` contacts of
one import, as one Parquet table (zstd), encrypted once with AES-256-GCM under the data key with
the chunk's identity as associated data (`store.binding("contact_chunks", id)`), so a chunk moved
to another id fails to open. Each contact row in SQLite keeps its plaintext metadata (dedupe key,
channel, time, blind indexes, batch, deletion) and points at its chunk and slot; the chunk holds
the row's id in its slot too, so a row pointed at another's slot is refused when read.
docs/design.md records why (one seal per row cost 12 s of a 1.5M-contact report).

A row may instead hold one sealed JSON list of its own (`LEGACY_DOCUMENT`, bound to the row's id):
rows written before schema 3 that a vault which did not verify kept (`integrity.upgrade`), and
contacts stored one at a time (`tracer contacts log`, a webhook: `document`), which then need no
Parquet writer (pyarrow and numpy are 0.16 s of a one-call `tracer contacts log`, docs/design.md).
`legacy_record` reads both.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidTag

from tracer.errors import IntegrityError
from tracer.i18n import _

if TYPE_CHECKING:
    import pyarrow as pa

    from tracer.vault.keys import Keyring

TABLE = "contact_chunks"
# contacts per chunk: 64k rows of contacts are ~1-3 MB sealed, big enough that one seal, one
# decryption and one Parquet decode per chunk cost nothing per row, small enough that a reader
# holds one chunk at a time (benchmarks/storage.py)
ROWS = 1 << 16
# The sealed fields of a contact, by name; `id` is the row's own id (the slot's owner).
FIELDS = (
    "id",
    "to",
    "from",
    "heard_name",
    "text",
    "duration",
    "direction",
    "external_id",
    "line",
    "headers",  # JSON object text (mail provenance headers), or null
    "source",  # the SHA-256 of the file it came from, or "manual"
    "caller_name",
)
_INTEGERS = frozenset({"duration", "line"})
# Columns whose values repeat (numbers, names, message templates, one source per import): Parquet
# dictionary-encodes these only. On the other columns (ids, external ids, lines) a dictionary is
# built and dropped for nothing, and no reader uses column statistics: a 64k-row chunk of the
# speed suite's contacts encodes in 34 ms instead of 51, decodes in 19 instead of 21, and is 15%
# smaller (docs/benchmarks.md, round 11). The decoded table is the same.
_REPEATING = ["to", "from", "heard_name", "text", "direction", "source", "caller_name"]
_INT64 = (-(2**63), 2**63 - 1)
# The sealed document of a row written before schema 3: a JSON list in this order, fields only
# ever appended (an older, shorter list reads its missing fields as None).
LEGACY_DOCUMENT = (
    "to",
    "from",
    "heard_name",
    "text",
    "duration",
    "direction",
    "external_id",
    "line",
    "headers",
    "source",
    "caller_name",
)


def schema() -> pa.Schema:
    import pyarrow as pa

    return pa.schema([(name, pa.int64() if name in _INTEGERS else pa.string()) for name in FIELDS])


def encode(columns: Mapping[str, Sequence[Any]], order: Sequence[int] | None = None) -> bytes:
    """The plaintext of a chunk: `columns` (every name in FIELDS, equal lengths) as Parquet, its
    rows taken in `order` when given (row i of the chunk is row `order[i]` of `columns`: an
    import's rows go in id order, and Arrow moves them faster than Python lists do).
    `headers` may hold dicts; they are stored as JSON text."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    data = dict(columns)
    if list(data["headers"]).count(None) != len(data["headers"]):  # most imports have none
        data["headers"] = [_headers_text(h) for h in data["headers"]]
    build = pa.array if len(data["id"]) > _FEW else _from_buffers
    table = pa.table({name: _column(build, data[name], field.type) for name, field in zip(FIELDS, schema(), strict=True)})
    if order is not None:
        table = table.take(pa.array(order, type=pa.int64()))
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="zstd", use_dictionary=_REPEATING, write_statistics=False)
    return bytes(sink.getvalue())


def document(record: Mapping[str, Any]) -> list[Any]:
    """The sealed document of a contact row stored on its own: its fields (FIELDS keys) in
    `LEGACY_DOCUMENT` order, as a chunk would hold them (headers as JSON text, integers within
    64 bits), so `legacy_record` reads back what a chunk would."""
    fields = dict(record)
    fields["headers"] = _headers_text(fields.get("headers"))
    for name in _INTEGERS:
        fields[name] = _bounded(fields.get(name))
    return [fields.get(name) for name in LEGACY_DOCUMENT]


def _column(build: Any, values: Sequence[Any], type: pa.DataType) -> pa.Array:  # noqa: A002 - as pa.array
    """One column as Arrow; integers beyond 64 bits become None (`_bounded`), looked for only
    when the column does not convert as it is."""
    try:
        return build(values, type=type)
    except OverflowError:
        import pyarrow as pa

        if not pa.types.is_integer(type):
            raise
        return build([_bounded(v) for v in values], type=type)


def _bounded(value: int | None) -> int | None:
    """A column's integer, or None beyond 64 bits (a "duration" of 10**30 seconds is no duration)."""
    return value if value is None or _INT64[0] <= value <= _INT64[1] else None


# A chunk of at most this many rows (`contacts log`, a webhook, a mail fetched) is built from its
# buffers: `pa.array` on Python values imports pandas the first time (0.25 s, most of a one-call
# `tracer contacts log`), while for an import's 64k rows it is 8x faster than this loop.
_FEW = 256


def _from_buffers(values: Sequence[Any], type: pa.DataType) -> pa.Array:  # noqa: A002 - as pa.array
    """`pa.array(values, type=type)` for strings or int64 with None for null, without pandas."""
    import array

    import pyarrow as pa

    n = len(values)
    validity = bytearray((n + 7) // 8)
    for i, value in enumerate(values):
        if value is not None:
            validity[i >> 3] |= 1 << (i & 7)
    nulls = sum(value is None for value in values)
    if pa.types.is_integer(type):
        data = array.array("q", [0 if value is None else value for value in values])
        return pa.Array.from_buffers(type, n, [pa.py_buffer(validity), pa.py_buffer(data)], nulls)
    encoded = [b"" if value is None else value.encode("utf-8") for value in values]
    offsets = array.array("i", [0])
    for text in encoded:
        offsets.append(offsets[-1] + len(text))
    return pa.StringArray.from_buffers(n, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded)), pa.py_buffer(validity), nulls)


def decode(plaintext: bytes, columns: Sequence[str] | None = None) -> pa.Table:
    """The chunk's table; only `columns` (in FIELDS order) when given. Read with `ParquetFile`
    on this thread: `pq.read_table` goes through the dataset layer and a thread pool (37-90 ms
    against 13 ms a 64k-row chunk alone, 1.7 s against 1.4 s for a 1.5M report's 23 chunks on
    a busy machine), and a report reads only the fields it shows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    file = pq.ParquetFile(pa.BufferReader(plaintext))
    if file.schema_arrow.names != list(FIELDS):
        raise ValueError("unexpected chunk columns")
    wanted = None if columns is None else [name for name in FIELDS if name in set(columns)]
    return file.read(columns=wanted, use_threads=False)


def seal(
    keys: Keyring, chunk_id: int, columns: Mapping[str, Sequence[Any]], order: Sequence[int] | None = None
) -> bytes:
    """A sealed chunk of `columns` (its rows in `order` when given, as `encode`), bound to `chunk_id`."""
    return keys.encrypt(encode(columns, order), binding(chunk_id))


def open_chunk(keys: Keyring, chunk_id: int, blob: bytes, columns: Sequence[str] | None = None) -> pa.Table:
    """The fields sealed in chunk `chunk_id` (only `columns` when given); IntegrityError when it
    was altered or moved."""
    try:
        return decode(keys.decrypt(bytes(blob), binding(chunk_id)), columns)
    except (InvalidTag, ValueError, OSError):
        raise IntegrityError(_("contact chunk {chunk_id} was altered: it no longer decrypts").format(chunk_id=chunk_id)) from None


def next_id(conn: Any) -> int:
    """The id the next chunk sealed in this vault takes."""
    return int(conn.execute(f"SELECT coalesce(max(id), 0) + 1 FROM {TABLE}").fetchone()[0])


def binding(chunk_id: int) -> bytes:
    from tracer.vault.store import binding as bind

    return bind(TABLE, str(chunk_id))


def digest(blob: bytes) -> bytes:
    """What every row of a chunk commits to in place of a sealed document of its own."""
    return hashlib.sha256(bytes(blob)).digest()


def place(chunk_digest: bytes, slot: int) -> bytes:
    """A row's sealed part as its ledger commitment hashes it: its chunk's digest and its slot."""
    return chunk_digest + slot.to_bytes(4, "little")


def places(chunk_digest: bytes, rows: int) -> list[bytes]:
    """`place` of slots 0..rows-1, in order."""
    return [place(chunk_digest, slot) for slot in range(rows)]


def headers(text: str | None) -> dict[str, str]:
    """A row's headers from their stored JSON text ({} when none)."""
    return json.loads(text) if text else {}


def legacy_record(document: list[Any]) -> dict[str, Any]:
    """A schema-2 row's sealed list by field name, as a chunk would hold it (headers as text)."""
    fields = {name: document[i] if i < len(document) else None for i, name in enumerate(LEGACY_DOCUMENT)}
    fields["headers"] = _headers_text(fields["headers"])
    return fields


def _headers_text(value: Any) -> str | None:
    if not value:
        return None
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)


def columns_of(records: Iterable[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """Row dicts (FIELDS keys) as columns."""
    out: dict[str, list[Any]] = {name: [] for name in FIELDS}
    for record in records:
        for name in FIELDS:
            out[name].append(record.get(name))
    return out
