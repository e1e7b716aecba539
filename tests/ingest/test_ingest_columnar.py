"""The CSV fast path (`ingest.columnar`, pyarrow's reader): the same batches as the row reader on
every file, real exports and the edge cases where the two could part (quoted line breaks, a bad
row in the middle, a BOM, blank lines, ragged rows, bytes that are not UTF-8); the window it
cannot prove good and the rest of the file go to the row reader, from the right line."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.errors import InputError
from tracer.ingest import Batch, Format, Options, columnar, read, read_batches
from tracer.ingest.batch import SIZE
from tracer.models import Rejected

REAL = Path(__file__).resolve().parents[1] / "data" / "real"
DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"
HEADER = "channel,at,to,from,heard_name,text,id\n"
WINDOW = 2 * SIZE  # small windows in these tests: a few thousand rows cross several


def row(i: int) -> str:
    kind = ("call", "sms", "email")[i % 3]
    sender = ("13900139001", "+8613700137000", "ads@example.com")[i % 3]
    text = "" if kind == "call" else f'"offer {i % 7}, reply Y"'
    return f"{kind},2026-03-01T09:{i % 60:02d}:{i % 59:02d}+08:00,138001{i % 97:05d},{sender},王先生,{text},row-{i}\n"


@pytest.fixture(autouse=True)
def small_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(columnar, "WINDOW", WINDOW)


class Taken:
    """Which rows the fast path read: it counts the records of each batch it yields."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.rows = 0
        original = columnar.batches

        def counting(*args: object) -> columnar.Read:
            return (yield from self._count(original(*args)))  # type: ignore[arg-type]

        monkeypatch.setattr(columnar, "batches", counting)

    def _count(self, reading: columnar.Read) -> columnar.Read:
        while True:
            try:
                batch = next(reading)
            except StopIteration as stop:
                return stop.value  # type: ignore[no-any-return]
            self.rows += len(batch)
            yield batch


def row_reader_only(monkeypatch: pytest.MonkeyPatch) -> None:
    def handed_back(path, checker, delimiter, first_line, progress):  # type: ignore[no-untyped-def]
        return first_line
        yield  # a generator that yields nothing

    monkeypatch.setattr(columnar, "batches", handed_back)


def both(path: Path, monkeypatch: pytest.MonkeyPatch, **options: object) -> tuple[list[Batch], list[Batch], int]:
    """The batches with the fast path, the batches of the row reader alone, and the records the
    fast path read itself."""
    taken = Taken(monkeypatch)
    fast = list(read_batches(path, Format.CSV, Options(**options)))  # type: ignore[arg-type]
    with monkeypatch.context() as patch:
        row_reader_only(patch)
        slow = list(read_batches(path, Format.CSV, Options(**options)))  # type: ignore[arg-type]
    return fast, slow, taken.rows


def write(tmp_path: Path, text: str, name: str = "c.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def test_a_file_of_good_rows_is_read_by_pyarrow_as_the_row_reader_reads_it(tmp_path, monkeypatch):
    n = 3 * WINDOW + 100
    fast, slow, taken = both(write(tmp_path, HEADER + "".join(map(row, range(n)))), monkeypatch)
    assert taken == n
    assert fast == slow
    assert [len(b) for b in fast] == [SIZE] * (n // SIZE) + [n % SIZE]
    assert fast[-1].line[-1] == n + 1 and fast[0].line[0] == 2
    assert fast[0].sender[:3] == ["+8613900139001", "+8613700137000", "ads@example.com"]


@pytest.mark.parametrize(
    "name",
    sorted(str(p.relative_to(REAL)) for p in REAL.rglob("*.csv")) + sorted(p.name for p in DATA.glob("*.csv")),
)
def test_every_real_and_fixture_csv_gives_the_same_batches(name, monkeypatch):
    path = REAL / name if (REAL / name).exists() else DATA / name
    options = {"to": "13800138000", "region": "US" if "twilio" in name else "CN"}
    try:
        fast, slow, _ = both(path, monkeypatch, **options)
    except InputError as exc:  # a file needing other options: the same refusal either way
        with monkeypatch.context() as patch, pytest.raises(InputError) as again:
            row_reader_only(patch)
            list(read_batches(path, Format.CSV, Options(**options)))  # type: ignore[arg-type]
        assert str(again.value) == str(exc)
        return
    assert fast == slow


@pytest.mark.parametrize("name", ["twilio/Messages.csv", "twilio_layouts/messages_console.csv"])
def test_the_received_rows_of_real_twilio_logs_are_taken_by_the_fast_path(name, tmp_path, monkeypatch):
    """A real export's header and its received rows, repeated past a window: pyarrow reads
    them all, as the row reader does (the fixture's outgoing rows would send their window to the
    row reader, as the test above checks)."""
    head, *rows = (REAL / name).read_text(encoding="utf-8").splitlines(keepends=True)
    received = [line for line in rows if "inbound" in line]
    path = write(tmp_path, head + "".join(received * (WINDOW // len(received) + 5)))
    fast, slow, taken = both(path, monkeypatch, region="US", preset="twilio")
    assert taken == sum(map(len, fast)) > WINDOW
    assert fast == slow


def test_a_quoted_line_break_hands_its_window_and_the_rest_to_the_row_reader(tmp_path, monkeypatch):
    rows = [row(i) for i in range(2 * WINDOW + 300)]
    rows[WINDOW + 5] = 'sms,2026-03-01T09:30:00+08:00,13800138000,13900139001,,"line one\nline two",multi\n'
    fast, slow, taken = both(write(tmp_path, HEADER + "".join(rows)), monkeypatch)
    assert taken == WINDOW  # the first window only
    assert fast == slow
    lines = [line for b in fast for line in b.line]
    assert lines[-1] == len(rows) + 2  # one row spans two lines: every later row one further down
    multi = [b.text[b.external_id.index("multi")] for b in fast if "multi" in b.external_id]
    assert multi == ["line one\nline two"]


def test_a_bad_row_in_the_middle_is_rejected_on_its_line_as_the_row_reader_says(tmp_path, monkeypatch):
    rows = [row(i) for i in range(3 * WINDOW)]
    rows[WINDOW + 10] = "call,not a time,13800138000,13900139001,,,bad\n"
    path = write(tmp_path, HEADER + "".join(rows))
    fast, slow, taken = both(path, monkeypatch)
    assert taken == WINDOW
    assert fast == slow
    assert [(bad.line, bad.field) for b in fast for bad in b.rejected] == [(WINDOW + 12, "at")]


def test_a_bom_a_blank_line_and_no_final_newline(tmp_path, monkeypatch):
    rows = [row(i) for i in range(WINDOW + 50)]
    bom = write(tmp_path, HEADER + "".join(rows), "bom.csv", "utf-8-sig")
    fast, slow, taken = both(bom, monkeypatch)
    assert fast == slow and taken == WINDOW + 50

    rows[WINDOW + 3] = "\n"  # a blank line: the row reader skips it, and counts it as a line
    fast, slow, taken = both(write(tmp_path, HEADER + "".join(rows), "blank.csv"), monkeypatch)
    assert fast == slow and taken == WINDOW
    assert fast[-1].line[-1] == len(rows) + 1

    last = write(tmp_path, HEADER + "".join(rows[:10]).rstrip("\n"), "last.csv")
    fast, slow, taken = both(last, monkeypatch)
    assert fast == slow and taken == 10


def test_ragged_rows_and_extra_columns_are_left_to_the_row_reader(tmp_path, monkeypatch):
    rows = [row(i) for i in range(WINDOW + 20)]
    rows[3] = "call,2026-03-01T09:30:00Z,13800138000\n"
    rows[7] = "call,2026-03-01T09:30:00Z,13800138000,13900139001,,,r7,,\n"
    fast, slow, taken = both(write(tmp_path, HEADER + "".join(rows)), monkeypatch)
    assert taken == 0
    assert fast == slow
    assert [(bad.line, bad.field) for b in fast for bad in b.rejected] == [(5, "row")]  # trailing empties: read


def test_bytes_that_are_not_utf8_stop_the_import_where_the_row_reader_says(tmp_path, monkeypatch):
    body = (HEADER + "".join(row(i) for i in range(WINDOW + 40))).encode()
    path = tmp_path / "broken.csv"
    path.write_bytes(body + b"call,2026-03-01T09:30:00Z,13800138000,13900139001,,\xff\xfe,z\n")
    errors = []
    for fast in (True, False):
        with monkeypatch.context() as patch:
            if not fast:
                row_reader_only(patch)
            with pytest.raises(InputError) as caught:
                list(read_batches(path, Format.CSV, Options()))
            errors.append(str(caught.value))
    assert errors[0] == errors[1] and "not utf-8" in errors[0]


def test_a_withheld_caller_spelled_on_the_keypad_is_read_as_withheld(tmp_path, monkeypatch):
    """Twilio logs a withheld caller as ANONYMOUS typed on a keypad; `From` without its `+`
    would pass as a sender name: both paths leave it to the row reader, which reads no sender."""
    head = "Sid,From,To,Body,Status,Direction,DateSent\n"
    rows = "".join(
        f"SM{i:032d},{'266696687' if i == 5 else '+14155550100'},+14155550199,hi {i},received,inbound,"
        f"2026-03-01T09:{i % 60:02d}:00Z\n"
        for i in range(40)
    )
    fast, slow, _ = both(write(tmp_path, head + rows), monkeypatch, preset="twilio", region="US")
    assert fast == slow
    assert [r.sender for b in fast for r in b.records()][5] is None


def test_items_through_read_keep_file_order_with_the_fast_path(tmp_path, load):
    rows = [row(i) for i in range(WINDOW + 30)]
    rows[WINDOW + 1] = "call,2026-03-01T09:30:00Z,13800138000,12,,,bad\n"
    items = list(read(write(tmp_path, HEADER + "".join(rows)), Format.CSV, Options()))
    lines = [item.line for item in items]
    assert lines == sorted(lines) and len(items) == len(rows)
    assert [(i.line, i.field) for i in items if isinstance(i, Rejected)] == [(WINDOW + 3, "from")]


def test_a_reading_left_half_way_closes_cleanly_even_at_interpreter_exit(tmp_path):
    """pyarrow reads ahead on a thread: a reading given up after one batch (an import stopped by
    a bad row, Ctrl-C) closes its reader, the file reads again from the start, and a process
    that leaves a reading half-way exits cleanly."""
    path = write(tmp_path, HEADER + "".join(map(row, range(3 * WINDOW))))
    reading = read_batches(path, Format.CSV, Options())
    assert len(next(reading)) == SIZE
    reading.close()
    assert sum(map(len, read_batches(path, Format.CSV, Options()))) == 3 * WINDOW
    script = (
        "import sys; from pathlib import Path; from tracer.ingest import Format, Options, read_batches; "
        "reading = read_batches(Path(sys.argv[1]), Format.CSV, Options()); next(reading); print('read')"
    )
    done = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, timeout=120)
    assert (done.returncode, done.stdout.strip(), done.stderr) == (0, "read", "")


# a cell as written: bare (stray quotes, spaces, tabs) or quoted (commas, doubled quotes inside)
CELL = st.text('ab" \t', max_size=5) | st.text('ab", \t', max_size=5).map(lambda s: '"' + s.replace('"', '""') + '"') | st.text('ab", \t', max_size=5).map(lambda s: '"' + s + '"')


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.lists(CELL, min_size=3, max_size=3).map(",".join) | st.text('ab," \t', min_size=1, max_size=12), min_size=1, max_size=4))
def test_rows_pyarrow_reads_as_single_lines_are_the_rows_the_csv_module_reads(lines):
    """What the fast path rests on: a window whose rows pyarrow reads at the right width, with no
    line break in a value (`_plain`), holds the values the csv module reads from the same lines
    (quotes, doubled quotes, spaces and tabs around them)."""
    text = "h0,h1,h2\n" + "".join(line + "\n" for line in lines)
    invalid: list[int] = []
    reader = columnar._open(pa.BufferReader(text.encode()), 3, ",", invalid)
    try:
        table = reader.read_all()
    except pa.ArrowException:
        return  # the row reader reads such a file
    if invalid or not table.num_rows or not columnar._plain(table):
        return
    assert [list(row.values()) for row in table.to_pylist()] == list(csv.reader(io.StringIO(text)))[1:]
