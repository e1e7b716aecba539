"""The CSV fast path: pyarrow's CSV reader, each value checked once per distinct value.

A plain CSV file (UTF-8, one header line, no bill's sections) is parsed by pyarrow's reader, which
splits a million rows in well under a second where the csv module takes seconds, and each window
of `WINDOW` rows is checked column by column as `csvfile._Checker.by_column` checks a batch:
every distinct number, channel, duration, direction and name is read once (`dictionary_encode`),
and the window becomes `Batch`es of `SIZE` records, holding the same values `by_column` gives.

A window is only taken when it is *proved* to read as the row-by-row reader would read it: every
row a received record with good values, no value holding a line break (each row is then one
physical line, so its line number is its index plus the header's), no row pyarrow found the wrong
width (`invalid_row_handler`), no value too long for the csv module's field limit or the text
reader's line limit. At the first window that is not, this reader stops and says on which line:
the row-by-row reader (`csvfile`) reads the rest of the file from there, with its own verdicts
and messages. Windows are whole batches, so the batches (and the chunks an import seals from them)
are the same as the row reader's.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracer.ingest import columns
from tracer.ingest.base import MAX_SHORT, MAX_TEXT
from tracer.ingest.batch import SIZE, Batch
from tracer.ingest.textfile import MAX_LINE
from tracer.models import Channel

if TYPE_CHECKING:
    import pyarrow as pa

    from tracer.ingest.csvfile import _Checker

# rows checked at once: a whole number of batches (so the batches, and an import's chunks, fall
# where the row reader's do), enough that each distinct number is looked up once for many rows
WINDOW = 64 * SIZE
# bytes pyarrow parses at a time (~8,600 rows of the benchmark's CSV); it reads a few dozen ahead:
# 4 MiB blocks held ~50 MiB more for no measurable CPU (docs/benchmarks.md, round 12)
_BLOCK = 1 << 20
# A value the csv module would refuse (`field_size_limit`, 131,072 characters) or a row the text
# reader would (`MAX_LINE`) is left to the row reader; half of each, so quotes cannot matter.
_LONGEST_VALUE = csv.field_size_limit() // 2
_LONGEST_ROW = MAX_LINE // 2
_BREAKS = "[\r\n\x00]"  # a value holding one spans lines (or holds what the csv module may refuse)

Read = Generator[Batch, None, int | None]


def batches(
    path: Path, checker: _Checker, delimiter: str, first_line: int, progress: Callable[[int], None]
) -> Read:
    """The batches of `path`'s rows after its one header line (the first on `first_line`), as the
    row reader would make them; returns None when the whole file was read, else the line the row
    reader must go on from."""
    import pyarrow as pa

    invalid: list[int] = []
    try:  # pyarrow's own file: its reader reads ahead on a thread, which must not call into Python
        handle = pa.OSFile(str(path))
    except (pa.ArrowException, OSError):
        return first_line  # the row reader says why
    with handle:
        reader = _open(handle, checker.ncols, delimiter, invalid)
        if reader is None:
            return first_line
        try:
            return (yield from _read(reader, handle, checker, first_line, invalid, _Shown(progress)))
        finally:
            reader.close()  # its read-ahead stops before the file closes, however reading ended


def _read(reader: Any, handle: Any, checker: _Checker, first_line: int, invalid: list[int], shown: _Shown) -> Read:
    import pyarrow as pa

    done, pending = 0, None  # rows yielded; parsed rows not yet checked
    while True:
        try:
            block = reader.read_next_batch()
        except StopIteration:
            break
        except (pa.ArrowException, OSError, ValueError):  # bytes not UTF-8, a broken quote: the row reader says where
            return first_line + done
        if invalid:
            return first_line + done
        pending = _joined(pending, block)
        while pending.num_rows >= WINDOW:
            window, pending = pending.slice(0, WINDOW), pending.slice(WINDOW)
            if not (yield from _window(window, checker, first_line + done, shown.towards(handle.tell()))):
                return first_line + done
            done += WINDOW
    if invalid:
        return first_line + done
    last = shown.towards(handle.tell())
    if pending is not None and pending.num_rows and not (yield from _window(pending, checker, first_line + done, last)):
        return first_line + done
    shown.progress(handle.tell())
    return None


class _Shown:
    """The progress shown: bytes read so far, moved on batch by batch through each window (the
    reader reads megabytes at a time, a display moves as the batches go)."""

    def __init__(self, progress: Callable[[int], None]) -> None:
        self.progress, self.done = progress, 0

    def towards(self, reached: int) -> Callable[[float], None]:
        start = self.done

        def show(fraction: float) -> None:
            self.done = max(self.done, start + int((reached - start) * fraction))
            self.progress(self.done)

        return show


def _open(handle: Any, ncols: int, delimiter: str, invalid: list[int]) -> Any:
    """pyarrow's streaming reader of every column as text, or None when it cannot start."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    def refuse(row: Any) -> str:
        invalid.append(row.number)
        return "skip"

    names = [f"c{i}" for i in range(ncols)]
    try:
        return pacsv.open_csv(
            handle,
            read_options=pacsv.ReadOptions(skip_rows=1, column_names=names, use_threads=False, block_size=_BLOCK),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False, invalid_row_handler=refuse
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=dict.fromkeys(names, pa.string()), strings_can_be_null=False, quoted_strings_can_be_null=False
            ),
        )
    except (pa.ArrowException, OSError, ValueError):
        return None


def _joined(pending: pa.Table | None, block: pa.RecordBatch) -> pa.Table:
    import pyarrow as pa

    table = pa.Table.from_batches([block])
    return table if pending is None or not pending.num_rows else pa.concat_tables([pending, table])


def _window(
    table: pa.Table, checker: _Checker, first_line: int, show: Callable[[float], None]
) -> Generator[Batch, None, bool]:
    """Yield the window's batches and return True, or yield nothing and return False when the
    window is not proved good. `show(fraction)` after each batch."""
    found = _check(table, checker, first_line)
    if found is None:
        return False
    n = table.num_rows
    for start in range(0, n, SIZE):
        batch = Batch(**{name: values[start : start + SIZE] for name, values in found.items()})  # type: ignore[arg-type]
        show(min(start + SIZE, n) / n)
        yield batch
    return True


def _check(table: pa.Table, checker: _Checker, first_line: int) -> dict[str, list[Any]] | None:
    """The window's record columns (`Batch` fields), or None when a row is not a good received
    record written on one line; the same values and the same verdict as `by_column`."""
    import numpy as np
    import pyarrow.compute as pc

    n, ncols = table.num_rows, checker.ncols
    if not _plain(table):
        return None

    def column(i: int) -> pa.ChunkedArray | None:
        return table.column(i) if i < ncols else None

    if checker.i_dir < ncols and not all(map(columns.direction, _distinct(table.column(checker.i_dir)))):
        return None
    channels = _encoded_with(column(checker.i_ch), n, checker._channel)
    if channels is None:
        return None
    kinds, which = channels
    channel = list(map(kinds.__getitem__, which.tolist()))
    at = checker._times(tuple(table.column(checker.i_at).to_pylist()))
    if at is None:
        return None
    to = _parties(checker, column(checker.i_to), n, None)
    calls = None if column(checker.i_from) is None else np.array([kind is Channel.CALL for kind in kinds])[which]
    sender = _parties(checker, column(checker.i_from), n, calls)
    duration = _durations(column(checker.i_dur), n)
    if to is None or sender is None or duration is None:
        return None
    to = checker.received(to, sender)
    if to is None:
        return None
    for i in (checker.i_name, checker.i_id, checker.i_caller):
        if i < ncols and pc.max(pc.utf8_length(table.column(i))).as_py() > MAX_SHORT:
            return None
    if checker.i_text < ncols and pc.max(pc.binary_length(table.column(checker.i_text))).as_py() > MAX_TEXT:
        return None
    return {
        "channel": channel,
        "at": at,
        "to": to,
        "sender": sender,
        "heard_name": _or_none(column(checker.i_name), n),
        "text": _or_none(column(checker.i_text), n),
        "duration": duration,
        "direction": ["in"] * n,
        "external_id": _or_none(column(checker.i_id), n),
        "line": list(range(first_line, first_line + n)),
        "headers": [None] * n,
        "caller_name": _callers(column(checker.i_caller), n),
    }


def _plain(table: pa.Table) -> bool:
    """Whether every row is one physical line the csv module and the text reader read as pyarrow
    did: no value with a line break or NUL, none longer than their limits."""
    import pyarrow.compute as pc

    lengths = None
    for values in table.columns:
        if pc.any(pc.match_substring_regex(values, _BREAKS)).as_py():
            return False
        size = pc.binary_length(values)  # bytes: at least the characters the limits count
        if (pc.max(size).as_py() or 0) > _LONGEST_VALUE:
            return False
        lengths = size if lengths is None else pc.add(lengths, size)
    return lengths is None or (pc.max(lengths).as_py() or 0) + table.num_columns < _LONGEST_ROW


def _distinct(values: pa.ChunkedArray) -> list[str]:
    return values.unique().to_pylist()


def _encoded(values: pa.ChunkedArray) -> tuple[list[str], Any]:
    """The distinct values and each row's index among them (a numpy array)."""
    encoded = values.combine_chunks().dictionary_encode()
    return encoded.dictionary.to_pylist(), encoded.indices.to_numpy()


def _encoded_with(
    values: pa.ChunkedArray | None, n: int, read: Callable[[str], Any]
) -> tuple[list[Any], Any] | None:
    """`read` of each distinct value (an absent column is "") and each row's index among them;
    None when `read` returns None for one."""
    import numpy as np

    distinct, index = _encoded(values) if values is not None else ([""], np.zeros(n, dtype=np.int32))
    out = [read(value) for value in distinct]
    if any(value is None for value in out):
        return None
    return out, index


def _callers(values: pa.ChunkedArray | None, n: int) -> list[str | None]:
    """Each row's caller ID name, stripped, or None (stripped once per distinct name)."""
    if values is None:
        return [None] * n
    distinct, index = _encoded(values)
    stripped = [value.strip() or None for value in distinct]
    return list(map(stripped.__getitem__, index.tolist()))


def _or_none(values: pa.ChunkedArray | None, n: int) -> list[str | None]:
    """The values, None for an empty one (made null by Arrow before they become Python)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if values is None:
        return [None] * n
    return pc.if_else(pc.equal(values, ""), pa.scalar(None, pa.string()), values).to_pylist()  # type: ignore[no-any-return]


def _parties(
    checker: _Checker, values: pa.ChunkedArray | None, n: int, calls: Any | None
) -> list[str | None] | None:
    """Each number or address normalized, as `by_column` reads them (`_Checker._parties`); `calls`
    (a boolean array a row) is given for senders, which may be a name except on a call's row."""
    import numpy as np

    if values is None:
        return [None] * n
    if calls is not None and _rewritten(checker, values):
        return None  # a withheld caller's stand-in, a SIP address, a Twilio Client name: read row by row
    distinct, index = _encoded(values)
    names = checker.learn(set(distinct), senders=calls is not None)
    if names is None:
        return None
    known = checker._known
    if not names:
        found = list(map(known.__getitem__, distinct))
    else:
        named = np.fromiter((value in names for value in distinct), bool, len(distinct))
        if (named[index] & calls).any():
            return None  # a name where a call's number should be
        found = [names[value] if value in names else known[value] for value in distinct]
    return list(map(found.__getitem__, index.tolist()))


# A sender `csvfile._Checker._sender` rewrites (a SIP address, `--`) or a Twilio Client app user
# (`client:`): such a file is read row by row (a superset of what it rewrites; a preset's
# keypad-spelled withheld callers are looked for value by value)
_REWRITTEN = r"(?i)^\s*(?:sip:|client:)|^\s*(?:--|-|—|——)\s*$"


def _rewritten(checker: _Checker, values: pa.ChunkedArray) -> bool:
    import pyarrow.compute as pc

    if checker.plan.withheld:
        return not all(map(checker.plain_sender, _distinct(values)))
    return bool(pc.any(pc.match_substring_regex(values, _REWRITTEN)).as_py())


def _durations(values: pa.ChunkedArray | None, n: int) -> list[int | None] | None:
    from tracer.ingest.csvfile import _duration

    if values is None:
        return [None] * n
    distinct, index = _encoded(values)
    try:
        seconds = [_duration(value) for value in distinct]
    except ValueError:
        return None
    return list(map(seconds.__getitem__, index.tolist()))
