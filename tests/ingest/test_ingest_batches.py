"""`read_batches`: the same records and rejected rows as `read`, records held column by column;
the CSV importer's column-wise check agrees with its row-by-row reading on every row it accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.errors import InputError
from tracer.ingest import Batch, Format, Options, columns, csvfile, header, read, read_batches
from tracer.ingest.base import Context
from tracer.ingest.batch import SIZE, batched
from tracer.models import Channel, ContactRecord, Rejected

HEADER = "channel,at,to,from,heard_name,text,id\n"
GOOD_ROW = 'sms,2026-03-01T09:30:00+08:00,13800138000,13900139001,王先生,"hi, there",row-{i}\n'


def split(items: list[ContactRecord | Rejected]) -> tuple[list[ContactRecord], list[Rejected]]:
    return [i for i in items if isinstance(i, ContactRecord)], [i for i in items if isinstance(i, Rejected)]


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("calls.xml", {"to": "+8613800138000"}),
        ("sms.xml", {"to": "+8613800138000"}),
        ("three.mbox", {}),
        ("gbk_multipart.eml", {}),
        ("twilio.csv", {"preset": "twilio", "region": "US"}),
        ("carrier_bill_gbk.csv", {"preset": "cn-carrier", "to": "13800138000", "tz": "Asia/Shanghai"}),
        ("utf16.csv", {"tz": "Asia/Shanghai"}),
        ("google_voice", {"to": "+12025550100"}),
    ],
)
def test_batches_hold_the_same_records_and_rejections_as_read(data, name, options):
    records, rejected = split(list(read(data / name, Format.AUTO, Options(**options))))
    batches = list(read_batches(data / name, Format.AUTO, Options(**options)))
    assert [r for b in batches for r in b.records()] == records
    assert [r for b in batches for r in b.rejected] == rejected


def test_a_large_csv_comes_in_batches_of_batch_size_with_physical_lines(tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(HEADER + "".join(GOOD_ROW.format(i=i) for i in range(2 * SIZE + 100)), encoding="utf-8")
    batches = list(read_batches(path, Format.CSV, Options()))
    assert [len(b) for b in batches] == [SIZE, SIZE, 100]
    assert batches[1].line[0] == SIZE + 2 and batches[-1].line[-1] == 2 * SIZE + 101
    assert batches[0].headers[0] is None and batches[0].direction[0] == "in"


def test_csv_items_interleave_records_and_rejections_in_line_order(tmp_path, load):
    rows = [GOOD_ROW.format(i=i) for i in range(6000)]
    rows[2] = "call,not a time,13800138000,13900139001,,,bad-a\n"
    rows[5000] = "call,2026-03-01T09:30:00Z,13800138000,12,,,bad-b\n"
    path = tmp_path / "mixed.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    items = load(path)
    lines = [item.line for item in items]
    assert lines == sorted(lines) and len(items) == 6000
    assert [(i.line, i.field) for i in items if isinstance(i, Rejected)] == [(4, "at"), (5002, "from")]


def test_rows_read_before_an_unreadable_part_of_the_file_come_first(tmp_path):
    """A bad row, then undecodable bytes in the same batch (past the sample that detected the
    encoding): the rows before the bytes still arrive, then the error."""
    good = [GOOD_ROW.format(i=i) for i in range(SIZE - 100)]
    body = (
        HEADER + "".join(good[:-50]) + "call,not a time,13800138000,13900139001,,,bad\n" + "".join(good[-50:])
    )
    path = tmp_path / "broken.csv"
    path.write_bytes(body.encode() + b"call,2026-03-01T09:30:00Z,13800138000,13900139001,,\xff\xfe,z\n")
    seen: list[Batch] = []
    with pytest.raises(InputError, match="bytes that are not utf-8"):
        seen.extend(read_batches(path, Format.CSV, Options()))
    assert [(r.line, r.field) for b in seen for r in b.rejected] == [(SIZE - 148, "at")]
    assert sum(len(b) for b in seen) > SIZE - 200  # the decoder reads a little ahead of the rows


def test_batched_yields_the_partial_batch_before_the_error():
    def items():
        yield Rejected(3, "at", "bad")
        raise InputError("broken")

    batches = batched(items())
    assert next(batches).rejected == [Rejected(3, "at", "bad")]
    with pytest.raises(InputError, match="broken"):
        next(batches)


def test_batch_of_and_records_round_trip(data, load_records):
    records = load_records(data / "calls.xml", to="+8613800138000")
    assert list(Batch.of(records).records()) == records


# -- the column-wise check against the row-by-row reading -------------------------------------

NAMES = ["channel", "at", "to", "from", "heard_name", "text", "id", "duration", "direction"]
VALUES = {
    "channel": ["call", "sms", "SMS ", "email", "", "fax", "短信"],
    "at": [
        "2026-03-01T09:30:00+08:00",
        "2026-03-01T09:30:00Z",
        "2026-03-01 09:30",
        "2026-03-01T09:30:00.250",
        "2026/03/01 09:30",
        "2026年3月1日 9:30",
        "",
        "soon",
        "0001-01-01T00:00:00+01:00",
        "2026-03-08T02:30:00",
    ],
    "to": ["13800138000", "+86 138 0013 8000", "", "-1", "12", "K7@Mail.example.org", "bad@", "AMAZON"],
    "from": ["13900139001", "AMAZON", "", "anonymous", "99999999999999999", "x@y.org", "+12025550143"],
    "heard_name": ["", "王先生", "x" * 1025],
    "text": ["", "hi, there", "好" * 22_000, "line one\nline two"],
    "id": ["", "row-1", "y" * 1025],
    "duration": ["", "83", "1分23秒", "1:23", "soon"],
    "direction": ["in", "inbound", "被叫", "outbound", "主叫", "sideways"],
}
GOOD = {
    "channel": ["call", "sms", "SMS ", "email", "短信", ""],
    "at": ["2026-03-01T09:30:00+08:00", "2026-03-01T09:30:00Z", "2026-03-01 09:30", "2026-03-08T02:30:00"],
    "to": ["13800138000", "+86 138 0013 8000", "", "K7@Mail.example.org"],
    "from": ["13900139001", "AMAZON", "", "x@y.org", "+12025550143", "anonymous"],
    "heard_name": ["", "王先生"],
    "text": ["", "hi, there", "line one\nline two"],
    "id": ["", "row-1"],
    "duration": ["", "83", "1分23秒", "1:23"],
    "direction": ["in", "inbound", "被叫"],
}
# mostly good values, so that many batches pass the column check and are compared field by field
row_values = st.fixed_dictionaries({name: st.sampled_from(GOOD[name] * 8 + VALUES[name]) for name in NAMES})


def checker(names: list[str], to: str | None, tz: str) -> csvfile._Checker:
    ctx = Context.build(Path("t.csv"), Options(to=to, tz=tz, region="CN"), lambda done: None)
    preset = columns.Preset()
    return csvfile._Checker(header.plan(names, header.wanted(ctx, preset), ctx, preset), ctx)


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    rows=st.lists(row_values, min_size=1, max_size=6),
    width=st.sampled_from([7, 8, 9]),
    extra=st.lists(st.sampled_from([None] * 10 + [-1, 1]), min_size=6, max_size=6),
    to=st.sampled_from([None, "13800138000"]),
    tz=st.sampled_from(["UTC", "America/New_York"]),
)
def test_the_column_check_accepts_only_batches_the_row_reading_reads_the_same(rows, width, extra, to, tz):
    names = NAMES[:width]
    cells = []
    for values, change in zip(rows, extra, strict=False):
        row = [values[name] for name in names]
        if change == -1:
            row = row[:-1]
        elif change == 1:
            row.append("")
        cells.append(row)
    lines = list(range(2, 2 + len(cells)))
    check = checker(names, to, tz)
    fast = check.by_column([list(row) for row in cells], lines)
    slow = check.by_row([list(row) for row in cells], lines)
    if fast is not None:
        assert slow.rejected == [] and len(slow) == len(cells)
        assert fast == slow


def test_the_column_check_accepts_a_batch_of_ordinary_rows():
    rows = [
        ["call", "2026-03-01T09:30:00+08:00", "13800138000", "13900139001", "", "", "r1"],
        ["sms", "2026-03-01 09:31", "", "AMAZON", "王先生", "code 1234", "r2"],
        ["email", "2026-03-01T09:32:00Z", "k7@mail.example.org", "ads@x.com", "", "offer", ""],
    ]
    check = checker(NAMES[:7], "13800138000", "Asia/Shanghai")
    fast = check.by_column([list(r) for r in rows], [2, 3, 4])
    assert fast is not None and fast == check.by_row([list(r) for r in rows], [2, 3, 4])
    assert fast.channel == [Channel.CALL, Channel.SMS, Channel.EMAIL]
    assert fast.sender == ["+8613900139001", "AMAZON", "ads@x.com"]
    assert fast.to == ["+8613800138000", "+8613800138000", "k7@mail.example.org"]
