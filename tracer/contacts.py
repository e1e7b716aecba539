"""Contacts in the vault: log one by hand, import files (one transaction each), list, delete.

Each contact has a dedupe key, a keyed hash of (channel, second, to, from, text): importing the
same file twice, or an overlapping newer backup, adds nothing twice. Its id is "k_" + the key's
first 8 bytes in hex.

An import reads, hashes and seals rows in a forked worker process (`ingest.pipeline`) while this
process stores them, so the two halves of the work share two cores.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from tracer import ingest, integrity, outputs, pool, times
from tracer.collector import release_memory
from tracer.errors import InputError, IntegrityError, RefusedError
from tracer.i18n import _
from tracer.ingest import pipeline
from tracer.models import Channel, Contact, ContactRecord, Rejected
from tracer.vault import Keyring, Vault, chunks
from tracer.vault.store import index_rebuilt

if TYPE_CHECKING:  # pandas loads only where contacts are read: logging one stays quick
    import pandas as pd
    import pyarrow as pa

# `Channel.X.value` goes through a Python-level descriptor; rows read the plain names from here
_CHANNEL_NAMES = {channel: channel.value for channel in Channel}
FUTURE_SLACK = 600.0  # seconds a contact may lie ahead of this clock (clock skew) before it is refused
_BULK_BYTES = 32 << 20  # files this large are imported as a bulk transaction (see Vault.transaction)
_REMEMBER = 1 << 17  # blind indexes of distinct numbers and addresses a worker keeps (each <= 320 chars)
_INSERT = (
    "INSERT OR IGNORE INTO contacts(dedupe, channel, at, to_bi, from_bi, batch_id, chunk, slot)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_ALONE = (
    "INSERT OR IGNORE INTO contacts(dedupe, channel, at, to_bi, from_bi, batch_id, enc) VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_INSERT_CHUNK = f"INSERT INTO {chunks.TABLE}(id, enc) VALUES (?, ?)"
COLUMNS = (
    "id",
    "channel",
    "at",
    "to",
    "from",
    "heard_name",
    "text",
    "external_id",
    "duration",
    "batch_id",
    "caller_name",
)
# The sealed fields and their layout: `tracer.vault.chunks` (FIELDS, LEGACY_DOCUMENT).


@dataclass(frozen=True)
class ImportResult:
    file: str
    sha256: str
    format: str
    new: int
    known: int
    rejected: int
    batch_id: str | None
    skipped: int = 0  # rows that hold no contact: a bill's fee-only rows and repeated headers
    to: str | None = None  # the receiving number taken from the vault (its only one), if it was


def log(vault: Vault, record: ContactRecord, *, allow_future: bool = False) -> tuple[Contact, bool]:
    """Store one contact the user just took; returns it and whether it was new. A time in the
    future is refused unless `allow_future` (it would be attributed as if it had happened)."""
    if not (record.to or record.sender):
        raise InputError(_("give --to or --from"), field="to")
    if not allow_future and record.at.timestamp() > times.now().timestamp() + FUTURE_SLACK:
        raise InputError(_("in the future"), field="at", hint=_("check the time zone, or pass --allow-future"))
    batch_id = "b_" + secrets.token_hex(6)
    with vault.record("contact.logged") as change:
        [contact_id], digests, stored = store_alone(vault, [record], batch_id, "manual")
        new = stored > 0
        root = integrity.Root()
        root.add(digests)
        change.content.update(
            contact_id=contact_id, channel=record.channel.value, at=times.iso(record.at), batch_id=batch_id,
            **root.commitment(),
        )  # fmt: skip
        if not new:
            change.skip()  # already in the vault: nothing changed, nothing to record
    return Contact(contact_id, record, batch_id), new


def import_file(
    vault: Vault,
    path: Path,
    fmt: ingest.Format = ingest.Format.AUTO,
    *,
    options: ingest.Options | None = None,
    skip_bad: Path | None = None,
    on_progress: Callable[[int], None] | None = None,
    rejects: RejectLog | None = None,
    display: str | None = None,
    force: bool = False,
    allow_future: bool = False,
) -> ImportResult:
    """Import every contact in `path` in one transaction, or nothing (InputError on a bad row).

    When the file does not say which of the user's numbers received it and `options.to` is not
    given, the vault's only number is used (`ImportResult.to` says so); with several, the
    importer asks for `--to` where a row needs it.
    `skip_bad`: log rejected rows there and import the rest; it is written only when the import
    commits, never onto `path` or into the vault's folder, never over a file unless `force`
    (`rejects`: a log shared by several imports, e.g. a folder's files, instead).
    A contact dated in the future stops the import unless `allow_future`.
    `on_progress(bytes_read)` is called now and then; compare with `ingest.total_bytes(path)`.
    """
    options = options or ingest.Options(region=vault.settings.region, tz=vault.settings.timezone)
    if not path.exists():
        raise InputError(_("no such file"), file=str(path))
    if not (path.is_file() or path.is_dir()):
        raise InputError(_("not a regular file (a FIFO or device)"), file=str(path))
    fmt = ingest.sniff(path) if fmt == ingest.Format.AUTO else fmt
    options, inferred = _receiver(vault, options, fmt)
    not_after = None if allow_future else times.now().timestamp() + FUTURE_SLACK
    if rejects is not None:
        result = _import(vault, path, fmt, options, rejects, on_progress, display or path.name, not_after)
    else:
        with rejects_to(skip_bad, outputs.Guard(vault.home, (path,), force)) as log:
            result = _import(vault, path, fmt, options, log, on_progress, display or path.name, not_after)
    return replace(result, to=inferred if result.to else None, file=display or result.file)


def _receiver(vault: Vault, options: ingest.Options, fmt: ingest.Format) -> tuple[ingest.Options, str | None]:
    """`options` with the vault's only number as `to` when none was given (phone formats only)."""
    if options.to or options.sim_map or fmt in (ingest.Format.EML, ingest.Format.MBOX):
        return options, None
    if vault.conn.execute("SELECT count(*) FROM numbers").fetchone()[0] > 1:
        return options, None  # two distinct numbers (phone_bi is unique): a pool of 66,000 is not opened to see that
    owned = {number.e164 for number in pool.numbers(vault)}
    owned.update([vault.settings.phone] if vault.settings.phone else [])
    if len(owned) != 1:
        return options, None
    [only] = owned
    return replace(options, to=only), only


def _import(
    vault: Vault,
    path: Path,
    fmt: ingest.Format,
    options: ingest.Options,
    rejects: RejectLog | None,
    on_progress: Callable[[int], None] | None,
    name: str,
    not_after: float | None,
) -> ImportResult:
    digest = file_sha256(path)
    batch_id = "b_" + secrets.token_hex(6)
    rows = _Rows(vault.keys, batch_id, digest, _alias_index(vault))
    produce = partial(_parts, path, fmt, options, rows, not_after)
    bulk = ingest.total_bytes(path) >= _BULK_BYTES
    rejected_before, skipped, to_used = (rejects.count if rejects else 0), 0, 0
    with vault.record("import.batch", bulk=bulk) as change:
        conn = change.conn
        rows.next_chunk = chunks.next_id(conn)  # the worker numbers the chunks it seals from here
        with _receivers_indexed_after(conn, path) if bulk else nullcontext(), pipeline.forked(produce) as parts:
            new, total, root = 0, 0, integrity.Root()
            for part in parts:
                _check(part.rejected, path, name, rejects)
                new += _store(conn, part)
                total += len(part.columns[0])
                skipped += part.skipped
                to_used += part.to_used
                root.add_joined(part.digests())
                if on_progress is not None and part.progress is not None:
                    on_progress(part.progress)
        rejected = (rejects.count if rejects else 0) - rejected_before
        if not new:
            change.skip()  # every row was known: nothing changed, nothing to record
        else:
            if new != total:  # rows already known were skipped: commit to the rows stored
                root = integrity.batch_root(vault, batch_id)
            conn.execute(
                "INSERT INTO batches(id, at, ledger_seq, enc) VALUES (?, ?, ?, ?)",
                (
                    batch_id,
                    times.now().timestamp(),
                    change.seq,
                    vault.seal("batches", batch_id, {"file": path.name, "sha256": digest}),
                ),
            )
            change.content.update(
                batch_id=batch_id,
                file=path.name,
                sha256=digest,
                format=fmt.value,
                new=new,
                known=total - new,
                rejected=rejected,
                **root.commitment(),
            )
    return ImportResult(
        path.name, digest, fmt.value, new, total - new, rejected, batch_id if new else None, skipped,
        options.to if to_used else None,
    )  # fmt: skip


# bytes of a CSV row of the speed suite's contacts (~122): a file's size over this is about its rows
_ROW_BYTES = 128


def _receivers_indexed_after(conn: Any, path: Path) -> AbstractContextManager[None]:
    """The receivers' index (`contacts_to`) built once after the rows, when the file brings about
    as many rows as the vault holds: building costs about 1.4 us a row of the table, inserting
    into it 2.5 us a new row (600k rows, docs/benchmarks.md, round 12)."""
    held = conn.execute("SELECT coalesce(max(rowid), 0) FROM contacts").fetchone()[0]
    if ingest.total_bytes(path) // _ROW_BYTES < held:
        return nullcontext()
    return index_rebuilt(conn, "contacts_to")


def frame(vault: Vault, *, include_deleted: bool = False) -> pd.DataFrame:
    """All contacts as a DataFrame (decrypted), one row per contact, columns `COLUMNS`, ordered
    by time then id."""
    return _frame(vault, include_deleted, COLUMNS, ())[0]


def frame_and_reader(
    vault: Vault, *, later: tuple[str, ...], reread: tuple[str, ...], shared: tuple[str, ...] = ()
) -> tuple[pd.DataFrame, Reader | None]:
    """`frame(vault)` without its columns `later`, and a `Reader` that reads the sealed fields
    `reread` (those left out among them) of the frame's rows again, a block at a time, while the
    vault stays open: what only a report's writer reads need not be held through the fit. A row
    with no chunk (a contact logged by hand, a schema-2 row) is read again from its own document.
    Columns `shared` come as Python objects, one shared object per distinct value, missing values
    NaN (what readers that go element by element take), made from Arrow's codes of the values."""
    read = _frame(vault, False, COLUMNS, reread, later, shared)
    _shrink(vault)
    return read


def _shrink(vault: Vault) -> None:
    """Give back SQLite's page cache (up to `store._CACHE`, 64 MiB, of the pages just read):
    a vault kept open through a report's fit would otherwise hold it beside the fit."""
    vault.conn.execute("PRAGMA shrink_memory")


def _frame(
    vault: Vault,
    include_deleted: bool,
    names: tuple[str, ...],
    reread: tuple[str, ...],
    later: tuple[str, ...] = (),
    shared: tuple[str, ...] = (),
) -> tuple[pd.DataFrame, Reader | None]:
    import pandas as pd

    where = "" if include_deleted else " WHERE deleted_at IS NULL"
    meta = _metadata(vault.conn.execute(f"SELECT {', '.join(_META)} FROM contacts{where}"))
    if not meta.num_rows:
        return pd.DataFrame(columns=list(names), dtype=object), None
    release_memory()  # the rows fetched and the unsorted table: the sealed fields' peak sits on them
    legacy = _legacy_documents(vault, where) if meta.column("chunk").null_count else {}
    reader = Reader(vault, meta, reread, legacy) if reread else None
    kept = tuple(name for name in names if reader is None or name not in later)
    columns = {name: meta.column(name) for name in ("id", "channel", "at", "batch_id")}
    columns.update(_sealed(vault, meta, tuple(c for c in chunks.FIELDS if c in kept and c != "id"), legacy))
    del meta, legacy
    # one column converted at a time, its Arrow copy dropped once converted
    out = pd.DataFrame(index=pd.RangeIndex(len(columns["id"])))
    for name in kept:
        column = columns.pop(name)
        if name in shared:  # object dtype said: pandas would infer `str` from the strings
            out[name] = pd.Series(_objects(column), index=out.index, dtype=object)
        else:
            out[name] = _plain(column).to_pandas()
        del column
        release_memory()  # Arrow's pool keeps what it freed; the next column is NumPy's
    return out, reader


def _plain(column: pa.ChunkedArray) -> pa.ChunkedArray:
    """`column` with dictionary-encoded values (the metadata's channel and batch id) decoded."""
    import pyarrow as pa

    return column.cast(column.type.value_type) if pa.types.is_dictionary(column.type) else column


def _objects(column: pa.ChunkedArray) -> Any:
    """`column`'s values as a NumPy array of Python objects, equal values one shared object,
    missing values NaN: each distinct value made a Python object once, from the column's
    dictionary (its codes taken as they are, or found by Arrow), never a string per row."""
    import numpy as np
    import pyarrow as pa

    whole = column.combine_chunks() if isinstance(column, pa.ChunkedArray) else column
    coded = whole if pa.types.is_dictionary(whole.type) else whole.dictionary_encode()
    del whole
    codes = coded.indices.fill_null(-1).to_numpy()
    values = np.append(coded.dictionary.to_numpy(zero_copy_only=False), np.nan)
    return values[codes]


# rows a `Reader` reads at once: each chunk a window's rows are in is decoded once for the window.
# A report's (time, id) order may visit every chunk in any block of rows (an import whose file is
# not in time order, several files of one period); a window of 2^19 rows holds ~60 MB of texts
# (about 120 bytes a contact in the benchmark vaults) whatever the vault's size, and a vault of
# n contacts in no time order at all decodes about n / 2^19 times each chunk (docs/benchmarks.md).
_WINDOW = 1 << 19
_ALONE = -1  # a `Reader`'s chunk number for a row sealed on its own


class Reader:
    """The sealed `fields` of a frame's rows, read again from their chunks in the frame's order
    (`read`, called for blocks of rows in order): each row's (chunk, slot) is kept (8 bytes a
    row), and the fields of a window of `_WINDOW` rows are read at once, each chunk the window
    needs decoded once. The slots' ids are compared with the frame's, as `frame` does. A row
    sealed on its own (a contact logged by hand, a row from before chunks: no chunk) is opened
    from its document in `legacy` (id -> sealed document), kept for those rows only. A field
    stored beside the chunks (`_CODED`: the import batch) is kept as its codes instead, a byte
    or two a row (a Python object column held 8 bytes a row through the whole fit)."""

    def __init__(self, vault: Vault, meta: pa.Table, fields: tuple[str, ...], legacy: dict[str, Any]) -> None:
        import pyarrow.compute as pc

        self.vault, self.fields, self.legacy = vault, fields, legacy
        self.coded = {name: _narrow(meta.column(name)) for name in fields if name in _CODED}
        self.sealed = tuple(name for name in fields if name not in self.coded)
        # in the fewest bytes their values fit (a chunk's number a byte or two, a slot two bytes):
        # 8 bytes a row were held from the load to the last row written
        self.chunk = _fewest_bytes(pc.fill_null(meta.column("chunk"), _ALONE).to_numpy(), signed=True)
        self.slot = _fewest_bytes(pc.fill_null(meta.column("slot"), 0).to_numpy(), signed=False)
        alone = (self.chunk == _ALONE).nonzero()[0]
        self.alone_ids = dict(zip(alone.tolist(), meta.column("id").take(alone).to_pylist(), strict=True))
        self.opened = 0  # chunks decoded so far
        self._start, self._window = 0, None  # the rows read last, from row `_start`

    def __len__(self) -> int:
        return len(self.chunk)

    def read(self, a: int, b: int, names: tuple[str, ...], ids: pa.Array) -> dict[str, pa.ChunkedArray]:
        """Fields `names` of rows a..b-1 (whose ids are `ids`); IntegrityError when a row points
        past its chunk or at another contact's slot."""
        window = self._window
        if window is None or not self._start <= a <= b <= self._start + window.num_rows:
            window = self._window = None  # the last window goes before the next is read
            window = self._window = self._read_window(a, max(b, min(a + _WINDOW, len(self))))
            self._start = a
        rows = window.slice(a - self._start, b - a)
        _check_ids(rows.column("id"), ids, self.chunk[a:b])
        return {
            name: self.coded[name][a:b].dictionary_decode() if name in self.coded else rows.column(name)
            for name in names
        }

    def _read_window(self, a: int, b: int) -> pa.Table:
        """Rows a..b-1's fields and ids: each chunk they are in decoded once, its rows taken, then
        each field put in the rows' order, its pieces dropped once it is (the pieces and the
        window at once held the window twice over)."""
        import numpy as np
        import pyarrow as pa

        chunk_of, slot = self.chunk[a:b], self.slot[a:b]
        grouped = np.argsort(chunk_of, kind="stable")  # the window's rows, chunk by chunk
        edges = np.flatnonzero(np.diff(chunk_of[grouped])) + 1
        names = ("id", *self.sealed)
        pieces: dict[str, list[Any]] = {name: [] for name in names}
        types = chunks.schema()
        for rows in np.split(grouped, edges):
            chunk_id = int(chunk_of[rows[0]])
            if chunk_id == _ALONE:
                ids = [self.alone_ids[row] for row in (a + rows).tolist()]
                taken = _alone_table(self.vault, ids, self.legacy, names)
            else:
                table = _open_chunk(self.vault, chunk_id, names)
                self.opened += 1
                taken = table.take(pa.array(_places(chunk_of[rows], slot[rows], np.array([chunk_id]), [table.num_rows])))
                del table
            for name in names:
                pieces[name].extend(taken.column(name).chunks)
            del taken
        back = np.empty(len(grouped), dtype="int64")
        back[grouped] = np.arange(len(grouped))  # where each row is among the pieces
        order = pa.array(back)
        _shrink(self.vault)  # the chunks' pages, read once per window
        return pa.table({name: _take_joined(pieces.pop(name), order, types.field(name).type) for name in names})


_META = ("id", "channel", "at", "batch_id", "chunk", "slot")
_CODED = ("channel", "batch_id")  # `_META`'s columns read as codes: a vault has few of each


def _narrow(column: pa.ChunkedArray) -> pa.DictionaryArray:
    """A dictionary-encoded column as one array whose codes take the fewest bytes they fit in."""
    import pyarrow as pa

    whole = column.combine_chunks()
    size = len(whole.dictionary)
    narrow = pa.int8() if size < 1 << 7 else pa.int16() if size < 1 << 15 else pa.int32()
    return pa.DictionaryArray.from_arrays(whole.indices.cast(narrow), whole.dictionary)

# rows read from SQLite at a time: a million rows' Python tuples at once were most of the peak
# memory of reading the contacts (about 400 bytes a row); each block becomes columns right away
_FETCH = 1 << 16


def _metadata(cursor: Any) -> pa.Table:
    """The `_META` columns of the selected contact rows ordered by time then id, each block of
    rows converted to Arrow columns by Arrow (rows as structs: no Python loop per row) and sorted
    by Arrow. Sorting here, before the sealed fields are read, lets those be taken in order once."""
    import pyarrow as pa
    import pyarrow.compute as pc

    coded = pa.dictionary(pa.int32(), pa.string())  # a vault's channels and batches are few
    row = pa.struct(
        [("id", pa.string()), ("channel", coded), ("at", pa.float64()), ("batch_id", coded),
         ("chunk", pa.int64()), ("slot", pa.int64())]
    )  # fmt: skip
    blocks = [pa.array(rows, type=row) for rows in iter(partial(cursor.fetchmany, _FETCH), [])]
    table = pa.Table.from_struct_array(pa.chunked_array(blocks, type=row)).unify_dictionaries()
    del blocks
    order = pc.sort_indices(table, sort_keys=[("at", "ascending"), ("id", "ascending")])
    # a column at a time, each unsorted column dropped once taken: the whole table taken at once
    # held it twice
    columns = dict(zip(table.column_names, table.columns, strict=True))
    del table
    return pa.table({name: columns.pop(name).take(order) for name in list(columns)})


def _legacy_documents(vault: Vault, where: str) -> dict[str, Any]:
    """The sealed document of each selected row stored before schema 3 (no chunk), by id."""
    condition = f"{where} AND chunk IS NULL" if where else " WHERE chunk IS NULL"
    return dict(vault.conn.execute(f"SELECT id, enc FROM contacts{condition}").fetchall())


def sealed_fields(
    vault: Vault, rows: pd.DataFrame, fields: tuple[str, ...] = chunks.FIELDS[1:]
) -> pd.DataFrame:
    """The sealed `fields` of contact `rows` (columns id, chunk, slot, enc as stored), aligned
    with them (missing values NaN, as pandas reads them); see `_sealed`."""
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    if not len(rows):
        return pd.DataFrame(index=rows.index, columns=list(fields), dtype=object)
    chunked = rows["chunk"].notna().to_numpy()
    numbers = {
        name: pa.array(np.where(chunked, pd.to_numeric(rows[name]).fillna(0), 0).astype("int64"), mask=~chunked)
        for name in ("chunk", "slot")
    }
    place = pa.table({"id": pa.array(rows["id"].astype(object).tolist(), type=pa.string()), **numbers})
    legacy: dict[str, Any] = dict(rows.loc[~chunked, ["id", "enc"]].itertuples(index=False))
    out = pd.DataFrame(index=rows.index)
    for name, column in _sealed(vault, place, fields, legacy).items():
        out[name] = column.to_pandas().set_axis(rows.index)
    return out


def _sealed(vault: Vault, rows: pa.Table, fields: tuple[str, ...], legacy: dict[str, Any]) -> dict[str, Any]:
    """The sealed `fields` of contact `rows` (id, chunk, slot as stored) as Arrow columns aligned
    with them. Every row's place in the chunks is worked out at once from the chunks' ids, and the
    slots' ids are compared with the rows' in one vectorised comparison (IntegrityError when a row
    points past its chunk or at another contact's slot); then each field is read on its own, from
    every chunk, and taken in `rows`' order before the next is read: every field's decoded chunks
    at once (about 300 MB at 1.5M contacts) were most of reading's peak, and a chunk opened again
    for one column costs its decryption and that column's decode (a few ms). Rows stored before
    schema 3 are opened one by one from `legacy` (id -> document)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    chunk = rows.column("chunk")
    chunked = chunk.is_valid().to_numpy(zero_copy_only=False)
    chunk_of = pc.fill_null(chunk, 0).to_numpy()[chunked]
    slot = pc.fill_null(rows.column("slot"), -1).to_numpy()[chunked]
    opened = np.unique(chunk_of).tolist()
    ids = rows.column("id")
    alone = None
    if not chunked.all():
        alone = _alone_table(vault, ids.filter(pa.array(~chunked)).to_pylist(), legacy, ("id", *fields))

    def pieces(name: str) -> list[pa.ChunkedArray]:
        """Field `name` of each chunk opened, in order, then of the rows sealed on their own."""
        found = [_open_chunk(vault, chunk_id, (name,)).column(name) for chunk_id in opened]
        return found if alone is None else [*found, alone.column(name)]

    def taken_from(parts: list[pa.ChunkedArray], name: str) -> pa.ChunkedArray:
        """Field `name`'s rows taken in `rows`' order from its parts, which are dropped first."""
        flat = [piece for part in parts for piece in part.chunks]
        parts.clear()
        return _take_joined(flat, taken, chunks.schema().field(name).type)

    slot_ids = pieces("id")
    per_chunk = [len(part) for part in slot_ids[: len(opened)]]
    where = np.empty(rows.num_rows, dtype="int64")
    where[chunked] = _places(chunk_of, slot, np.array(opened, dtype="int64"), per_chunk)
    if alone is not None:
        where[~chunked] = sum(per_chunk) + np.arange(alone.num_rows)
    taken = pa.array(where)
    del where
    _check_ids(taken_from(slot_ids, "id"), ids, pc.fill_null(chunk, 0).to_numpy())
    read = {}
    for name in fields:
        read[name] = taken_from(pieces(name), name)
        release_memory()  # the field's decoded chunks: Arrow's pool would keep them for the next
    return read


def _take_joined(pieces: list[pa.Array], rows: pa.Array, type: pa.DataType) -> pa.ChunkedArray:
    """`rows` of `pieces` joined into one array, the pieces dropped (the list emptied) and freed
    memory given back before the rows are taken, _TAKE at a time: a take from the pieces as a
    chunked array joined them itself and held the pieces, the joined copy and the growing result
    at once (the texts three times over and more at the load's peak). What `_sealed` and a
    `Reader`'s window both do with a field's decoded chunks."""
    import pyarrow as pa

    joined = pa.concat_arrays(pieces) if pieces else pa.array([], type=type)
    pieces.clear()
    release_memory()
    return pa.chunked_array([joined.take(rows[a : a + _TAKE]) for a in range(0, len(rows), _TAKE)], type=type)


# rows taken at once from a field's decoded chunks (`_take_joined`): each block's result made at its size
_TAKE = 1 << 20


def _alone_table(vault: Vault, ids: list[str], legacy: dict[str, Any], names: tuple[str, ...]) -> pa.Table:
    """Columns `names` (with "id") of the rows `ids` sealed on their own (a contact logged by
    hand, a row from before chunks), each opened from its document in `legacy` (bound to its id)."""
    import pyarrow as pa

    records = [chunks.legacy_record(_unseal_legacy(vault, cid, legacy.get(cid))) for cid in ids]
    schema = chunks.schema()
    return pa.table({"id": pa.array(ids, type=pa.string()), **{
        name: pa.array([r[name] for r in records], type=schema.field(name).type) for name in names if name != "id"
    }})  # fmt: skip


def _fewest_bytes(values: Any, *, signed: bool) -> Any:
    """Integers `values` in the fewest bytes that hold every one of them (signed types only, or
    unsigned ones too): the same values, whatever a damaged vault holds."""
    import numpy as np

    kinds = ("int8", "int16", "int32") if signed else ("int8", "uint8", "int16", "uint16", "int32")
    low, high = (int(values.min()), int(values.max())) if len(values) else (0, 0)
    for kind in kinds:
        if np.iinfo(kind).min <= low and high <= np.iinfo(kind).max:
            return values.astype(kind)
    return values.astype("int64")


def _places(chunk_of: Any, slot: Any, opened: Any, rows: list[int]) -> Any:
    """Each row's position among the chunks `opened` (in order, concatenated; `rows` in each),
    from its chunk and slot; IntegrityError when a row points past its chunk's end."""
    import numpy as np

    sizes = np.array(rows, dtype="int64")
    starts = np.concatenate([[0], np.cumsum(sizes)]).astype("int64")
    which = np.searchsorted(opened, chunk_of)
    outside = (slot < 0) | (slot >= sizes[which])
    if outside.any():
        bad = int(chunk_of[np.argmax(outside)])
        raise IntegrityError(_("contact chunk {chunk_id}: a row points past its end").format(chunk_id=bad))
    return starts[which] + slot


def _check_ids(found: Any, ids: Any, chunk_of: Any) -> None:
    """IntegrityError, naming the row's chunk, when the id a slot holds (`found`) is not its row's."""
    import numpy as np
    import pyarrow.compute as pc

    other = pc.fill_null(pc.not_equal(found, ids), True).to_numpy(zero_copy_only=False)
    if other.any():
        bad = int(chunk_of[np.argmax(other)])
        raise IntegrityError(_("contact chunk {chunk_id}: a row points at another contact's slot").format(chunk_id=bad))


def _open_chunk(vault: Vault, chunk_id: int, columns: tuple[str, ...]) -> Any:
    row = vault.conn.execute(
        f"SELECT CAST(enc AS BLOB) FROM {chunks.TABLE} WHERE id = ?", (chunk_id,)
    ).fetchone()
    if row is None:
        raise IntegrityError(_("contact chunk {chunk_id} is missing").format(chunk_id=chunk_id))
    return chunks.open_chunk(vault.keys, chunk_id, row[0], columns)


def _unseal_legacy(vault: Vault, cid: str, enc: Any) -> list[Any]:
    if enc is None:
        raise IntegrityError(_("contacts row {cid} has no sealed fields").format(cid=cid))
    doc = vault.unseal("contacts", cid, bytes(enc))
    if not isinstance(doc, list):
        raise IntegrityError(_("contacts row {cid} was altered").format(cid=cid))
    return doc


def show(vault: Vault, contact_id: str) -> dict[str, Any]:
    row = vault.conn.execute(
        "SELECT id, channel, at, batch_id, deleted_at, chunk, slot, enc FROM contacts WHERE id = ?",
        (contact_id,),
    ).fetchone()
    if row is None:
        raise InputError(_("no contact {contact_id!r}").format(contact_id=contact_id), field="id", hint=_("see `tracer contacts list`"))
    import pandas as pd

    place = pd.DataFrame([{"id": row[0], "chunk": row[5], "slot": row[6], "enc": row[7]}])
    doc = {k: None if pd.isna(v) else v for k, v in sealed_fields(vault, place).iloc[0].to_dict().items()}
    return {
        "id": row[0],
        "channel": row[1],
        "at": times.iso(times.from_epoch(row[2])),
        "to": doc["to"],
        "from": doc["from"],
        "caller_name": doc["caller_name"],
        "heard_name": doc["heard_name"],
        "text": doc["text"],
        "duration": _integer(doc["duration"]),
        "direction": doc["direction"],
        "external_id": doc["external_id"],
        "line": _integer(doc["line"]),
        "source_sha256": doc["source"],
        "headers": chunks.headers(doc["headers"]) or None,
        "batch_id": row[3],
        "deleted_at": None if row[4] is None else times.iso(times.from_epoch(row[4])),
    }


def heard_names(vault: Vault, phone: str) -> list[str]:
    """What callers said (`heard_name`) on the user's `phone`, over its contacts not deleted: the
    accessor `identities` reads a recycled number's previous owner from."""
    import pandas as pd

    rows = vault.conn.execute(
        "SELECT id, chunk, slot, enc FROM contacts WHERE to_bi = ? AND deleted_at IS NULL",
        (vault.blind("phone", phone),),
    ).fetchall()
    found = sealed_fields(
        vault, pd.DataFrame.from_records(rows, columns=["id", "chunk", "slot", "enc"]), ("heard_name",)
    )
    return [name for name in found["heard_name"] if isinstance(name, str) and name]


def _integer(value: Any) -> int | None:
    return None if value is None or value != value else int(value)


def delete(vault: Vault, contact_id: str, *, reason: str = "") -> None:
    """Hide a contact from attribution. The row stays and the ledger records why."""
    contact = show(vault, contact_id)
    if contact["deleted_at"]:
        raise RefusedError(_("contact {contact_id} is already deleted").format(contact_id=contact_id))
    deleted_at = times.now().timestamp()
    entry = {"contact_id": contact_id, "reason": reason, "deleted_at": deleted_at}
    with vault.record("contact.deleted", entry) as change:
        change.conn.execute("UPDATE contacts SET deleted_at = ? WHERE id = ?", (deleted_at, contact_id))


def file_sha256(path: Path) -> str:
    """SHA-256 of a file, or of a folder's files in name order (Google Takeout)."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with file.open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


# -- internals -------------------------------------------------------------------------------


class RejectLog:
    def __init__(self, handle: IO[str]) -> None:
        self.handle, self.count = handle, 0

    def write(self, file: str, bad: Rejected) -> None:
        self.count += 1
        field = _("field '{field}': ").format(field=bad.field)
        self.handle.write(f"{file}:{bad.line}: {field}{_(bad.reason)}\n")  # the reader's words, as on stderr


@contextmanager
def rejects_to(path: Path | None, guard: outputs.Guard) -> Iterator[RejectLog | None]:
    """The --skip-bad log (checked before anything is read, in place when the block succeeds)."""
    if path is None:
        yield None
        return
    with outputs.writing(path, guard) as handle:
        yield RejectLog(handle)


@dataclass(frozen=True)
class _Part:
    """What the import worker sends: up to one chunk of rows ready to insert, column by column (a
    list per column pickles and unpickles faster than a tuple per row), their sealed chunk, the
    rows it rejected, the bytes read."""

    columns: tuple[list[Any], ...]  # the `_INSERT` columns
    chunk: tuple[int, bytes] | None  # (id, sealed fields) of the rows in `columns`
    rejected: list[Rejected]
    progress: int | None
    skipped: int = 0
    to_used: int = 0  # records received on `options.to` (the given or inferred receiver)

    def digests(self) -> list[bytes]:
        """Each row's `integrity.row_digest`, for the import's ledger commitment. Made where the
        part is stored: the worker is the import's slower half (it reads, hashes and seals),
        and this process waits on it with time to spare (docs/design.md, round 11)."""
        if self.chunk is None:
            return []
        dedupes, channels, ats, to_bis, from_bis = self.columns[:5]
        places = chunks.places(chunks.digest(self.chunk[1]), len(dedupes))
        return list(map(integrity.row_digest, dedupes, channels, ats, to_bis, from_bis, places))


class _Pending:
    """Rows built from several batches, until they fill a chunk."""

    def __init__(self) -> None:
        self.index: tuple[list[Any], ...] = tuple([] for _ in range(6))
        self.fields: dict[str, list[Any]] = {name: [] for name in chunks.FIELDS}
        self.rejected: list[Rejected] = []
        self.skipped = self.to_used = 0

    def __len__(self) -> int:
        return len(self.index[0])

    def add(self, built: tuple[tuple[list[Any], ...], dict[str, list[Any]]]) -> None:
        index, fields = built
        for mine, theirs in zip(self.index, index, strict=True):
            mine.extend(theirs)
        for name, values in fields.items():
            self.fields[name].extend(values)

    def in_id_order(self) -> list[int]:
        """Put the index columns in the order of their ids (ties in file order) and return that
        order, for the sealed fields (`chunks.seal` takes them in it). Stored in that order,
        each import chunk's inserts walk the id index forward instead of touching its pages at
        random, which is what a large vault's import spends its time on (docs/design.md)."""
        import numpy as np

        dedupes = self.index[0]
        if not dedupes:
            return []
        # a row's id is "k_" + the hex of its dedupe key's first 8 bytes: as a big-endian integer
        # they sort as the ids do; a stable sort keeps equal ids in file order
        ids = np.frombuffer(b"".join(dedupes), dtype=">u8").reshape(len(dedupes), -1)[:, 0]
        order: list[int] = np.argsort(ids, kind="stable").tolist()
        self.index = tuple(_taken(column, order) for column in self.index)
        return order

    def part(self, rows: _Rows, progress: int | None) -> _Part:
        """The pending rows as one part, in id order, their chunk sealed (numbered by `rows`)."""
        order = self.in_id_order()
        n = len(self)
        chunk = None
        if n:
            chunk_id = rows.next_chunk
            rows.next_chunk += 1
            chunk = (chunk_id, chunks.seal(rows.keys, chunk_id, self.fields, order))
        columns = (*self.index, [chunk[0] if chunk else None] * n, list(range(n)))
        return _Part(columns, chunk, self.rejected, progress, self.skipped, self.to_used)


def _taken(column: list[Any], order: list[int]) -> list[Any]:
    """`[column[i] for i in order]`; a column of one value repeated (a batch id) as it is."""
    if column and column.count(column[0]) == len(column):
        return column
    return list(map(column.__getitem__, order))


def store_records(
    vault: Vault, records: list[ContactRecord], batch_id: str, source: str
) -> tuple[_Part, int]:
    """Store `records` as one chunk of batch `batch_id` inside the caller's transaction, without a
    ledger entry (the caller appends it); returns the part stored and how many rows were new."""
    rows = _Rows(vault.keys, batch_id, source)
    rows.next_chunk = chunks.next_id(vault.conn)
    pending = _Pending()
    pending.add(rows.build(ingest.Batch.of(records)))
    part = pending.part(rows, None)
    return part, _store(vault.conn, part)


def store_alone(
    vault: Vault, records: list[ContactRecord], batch_id: str, source: str
) -> tuple[list[str], list[bytes], int]:
    """Store `records` as rows of batch `batch_id` that each hold their own sealed document
    (`chunks.document`, bound to the row's id) instead of a chunk, inside the caller's
    transaction, without a ledger entry (the caller appends it). For a contact or two at a time
    (`log`): no Parquet writer to load (docs/design.md). Returns the rows' ids, their
    `integrity.row_digest`s (for the caller's commitment) and how many were new."""
    index, fields = _Rows(vault.keys, batch_id, source).build(ingest.Batch.of(records))
    ids = fields["id"]
    documents = [chunks.document({name: fields[name][i] for name in chunks.FIELDS}) for i in range(len(ids))]
    sealed = vault.seal_many("contacts", ids, documents)
    digests = list(map(integrity.row_digest, *index[:5], sealed))
    before = vault.conn.total_changes
    vault.conn.executemany(_INSERT_ALONE, zip(*index, sealed, strict=True))
    return ids, digests, int(vault.conn.total_changes - before)


def _store(conn: Any, part: _Part) -> int:
    """Insert a part's rows, and its chunk when any of them was new; returns how many were."""
    before = conn.total_changes
    conn.executemany(_INSERT, zip(*part.columns, strict=True))
    new = int(conn.total_changes - before)
    if new and part.chunk is not None:
        conn.execute(_INSERT_CHUNK, part.chunk)
    return new


class _Progress:
    """The latest byte count an importer reported (in the worker, sent along with each part)."""

    def __init__(self) -> None:
        self.done: int | None = None

    def __call__(self, done: int) -> None:
        self.done = done


def _parts(
    path: Path, fmt: ingest.Format, options: ingest.Options, rows: _Rows, not_after: float | None
) -> Iterator[_Part]:
    """The import worker: read `path`, build its rows a batch at a time and seal them a chunk at a
    time, in file order. When reading fails, the rows read before come first (a bad row among
    them is the first problem the importer reports)."""
    progress = _Progress()
    pending = _Pending()
    try:
        for batch in ingest.read_batches(path, fmt, options, on_progress=progress):
            if not_after is not None:
                _refuse_future(batch, not_after, path)
            rows.pick_aliases(batch)
            pending.add(rows.build(batch))
            pending.rejected.extend(batch.rejected)
            pending.skipped += batch.skipped
            pending.to_used += sum(to == options.to for to in batch.to) if options.to else 0
            if len(pending) >= chunks.ROWS:
                yield pending.part(rows, progress.done)
                pending = _Pending()
            else:  # the progress alone, so that a display moves between chunks
                yield _Part(tuple([] for _ in range(8)), None, [], progress.done)
    except Exception:
        if pending.rejected:
            yield pending.part(rows, progress.done)
        raise
    yield pending.part(rows, progress.done)


def _refuse_future(batch: ingest.Batch, not_after: float, path: Path) -> None:
    if not batch.at or max(batch.at).timestamp() <= not_after:
        return  # nothing in the future: one comparison a row, no timestamp each
    for at, line in zip(batch.at, batch.line, strict=True):
        if at.timestamp() > not_after:
            raise InputError(_("in the future"), file=str(path), line=line, field="at",
                             hint=_("check the file's time zone, or pass --allow-future"))  # fmt: skip


def _check(rejected: list[Rejected], path: Path, name: str, rejects: RejectLog | None) -> None:
    """Log rejected rows with --skip-bad; without it, the first one stops the import."""
    for bad in rejected:
        file = str(path / bad.file) if bad.file else str(path)
        if rejects is None:
            raise InputError(
                _(bad.reason),  # a catalog message where the importer marked it (N_)
                file=file,
                line=bad.line,
                field=bad.field,
                hint=_("fix the row, or pass --skip-bad FILE to import the rest"),
            )
        rejects.write(f"{name}/{bad.file}" if bad.file else name, bad)


def _alias_index(vault: Vault) -> set[bytes]:
    return {
        bytes(r[0]) for r in vault.conn.execute("SELECT email_bi FROM canaries WHERE email_bi IS NOT NULL")
    }


def _contact_id(dedupe: bytes) -> str:
    """The id users see: the schema derives the same from the stored dedupe key."""
    return "k_" + dedupe[:8].hex()


class _Rows:
    """Contact rows ready to insert, built from the keys alone (no connection), so the import
    worker can build them: blind indexes, the dedupe key and the sealed document. Numbers repeat,
    so their blind indexes are remembered (up to `_REMEMBER` of them)."""

    def __init__(self, keys: Keyring, batch_id: str, source: str, aliases: set[bytes] | None = None):
        self.keys, self.batch_id, self.source, self.aliases = keys, batch_id, source, aliases or set()
        self.next_chunk = 1  # the id of the next chunk sealed (set from the vault in its transaction)
        self._tokens: dict[str | None, bytes | None] = {}

    def pick_aliases(self, batch: ingest.Batch) -> None:
        """A mail's `to` becomes the recipient that is a canary alias, when one is."""
        for i, headers in enumerate(batch.headers):
            candidates = headers.get("recipients") if headers else None
            if batch.channel[i] != Channel.EMAIL or not candidates:
                continue
            for address in candidates.split(","):
                if address and self.keys.blind("email", address) in self.aliases:
                    batch.to[i] = address
                    break

    def build(self, batch: ingest.Batch) -> tuple[tuple[list[Any], ...], dict[str, list[Any]]]:
        """The plaintext columns of the rows (dedupe, channel, at, to_bi, from_bi, batch_id) and
        their sealed fields (`chunks.FIELDS`), not yet sealed."""
        channels = [_CHANNEL_NAMES[channel] for channel in batch.channel]
        ats = [at.timestamp() for at in batch.at]
        dedupes = self.keys.blind_many("contact", _dedupe_keys(channels, ats, batch))
        to_bis = _remembered(self._tokens, batch.to, self._blind_party)
        from_bis = _remembered(self._tokens, batch.sender, self._blind_party)
        index = (dedupes, channels, ats, to_bis, from_bis, [self.batch_id] * len(dedupes))
        fields: dict[str, list[Any]] = {
            "id": [_contact_id(dedupe) for dedupe in dedupes],
            "to": batch.to,
            "from": batch.sender,
            "heard_name": batch.heard_name,
            "text": batch.text,
            "duration": batch.duration,
            "direction": batch.direction,
            "external_id": batch.external_id,
            "line": batch.line,
            "headers": batch.headers,
            "source": [self.source] * len(dedupes),
            "caller_name": batch.caller_name,
        }
        return index, fields

    def _blind_party(self, value: str | None) -> bytes | None:
        if not value:
            return None
        return self.keys.blind("email" if "@" in value else "phone", value)


def _remembered(cache: dict[Any, Any], values: list[Any], compute: Callable[[Any], Any]) -> list[Any]:
    """`[compute(value) for value in values]`, computing each value once while `cache` holds it."""
    missing = set(values).difference(cache)
    if len(cache) + len(missing) > _REMEMBER:
        cache.clear()
        missing = set(values)
    for value in missing:
        cache[value] = compute(value)
    return list(map(cache.__getitem__, values))


def _dedupe_keys(channels: list[str], ats: list[float], batch: ingest.Batch) -> list[str]:
    """What makes a contact the same contact: channel, second, parties and a hash of the text
    (hashed once per distinct text: most calls have none, and templated messages repeat)."""
    hashed = {text: _text_hash(text) for text in set(batch.text)}
    fields = zip(channels, ats, batch.to, batch.sender, map(hashed.__getitem__, batch.text), strict=True)
    return [f"{channel}|{int(at)}|{to}|{sender}|{digest}" for channel, at, to, sender, digest in fields]


def _text_hash(text: str | None) -> str:
    return hashlib.sha256((text or "").encode("utf-8", "replace")).hexdigest()[:32]
