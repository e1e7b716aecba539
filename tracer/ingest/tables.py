"""Tables that are not text: Excel workbooks (.xlsx, and the older .xls) and text-based PDF bills.

Chinese carriers hand out itemised bills as spreadsheet downloads and as PDF e-bills (China
Telecom). Their rows are read as cells (pandas with calamine, which reads both; pdfplumber's table finder,
page by page), written out as CSV lines and read by the CSV importer, so presets, `--map`, the
bill's period and every check apply unchanged. `line` is the row's place among all rows read
(sheets, or pages, in order). A PDF without a text layer (a scan) has no table to read.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import datetime, time, timedelta
from html.parser import HTMLParser
from itertools import chain
from pathlib import Path

from tracer.errors import InputError
from tracer.i18n import _
from tracer.ingest import csvfile, textfile
from tracer.ingest.base import Context, Item
from tracer.ingest.batch import Batch

XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PDF_MAGIC = b"%PDF-"


def read_excel(path: Path, ctx: Context) -> Iterator[Item]:
    for batch in excel_batches(path, ctx):
        yield from csvfile.in_file_order(batch)


def read_pdf(path: Path, ctx: Context) -> Iterator[Item]:
    for batch in pdf_batches(path, ctx):
        yield from csvfile.in_file_order(batch)


def excel_batches(path: Path, ctx: Context) -> Iterator[Batch]:
    """Each sheet is its own table (a 10086 workbook: calls, messages, data sessions, each with its
    own title rows and header). A sheet without a header row (notes) is skipped and its rows
    counted; when no sheet has one, the first sheet's error is raised."""
    size, offset, first, found = path.stat().st_size, 0, None, False
    for rows in _excel_sheets(path, ctx):
        batches = csvfile.from_lines(lines(rows), ctx, lambda: size, path.name, offset)
        try:
            batch = next(batches, None)  # a header-level error comes before the first batch
        except InputError as exc:
            first = first or exc
            yield Batch(skipped=sum(1 for row in rows if any(cell.strip() for cell in row)))
        else:
            found = True
            yield from chain([batch] if batch is not None else [], batches)
        offset += len(rows)
    if not found:
        raise first or ctx.error(_("an empty workbook"))


def pdf_batches(path: Path, ctx: Context) -> Iterator[Batch]:
    return _batches(_pdf_rows(path, ctx), path, ctx)


def _batches(rows: Iterable[list[str]], path: Path, ctx: Context) -> Iterator[Batch]:
    size = path.stat().st_size
    return csvfile.from_lines(lines(rows), ctx, lambda: size, path.name)


def lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """Each row as one CSV line (a cell's line breaks become spaces: one row, one line)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([" ".join(cell.split()) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def is_html(path: Path) -> bool:
    """Whether a workbook is a web page saved as .xls (its first byte, past a BOM, is `<`)."""
    with path.open("rb") as handle:
        return handle.read(HTML_SNIFF).lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


def _excel_sheets(path: Path, ctx: Context) -> Iterator[list[list[str]]]:
    if is_html(path):
        yield from html_tables(path, ctx)  # a web page saved as .xls: each <table> a sheet
        return
    import pandas as pd

    try:
        sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="calamine")
    except Exception as exc:  # openpyxl, xlrd and zipfile each raise their own errors on a bad workbook
        raise ctx.error(_("not a readable Excel workbook ({error})").format(error=type(exc).__name__)) from None
    for sheet in sheets.values():
        yield [[_cell(value) for value in values] for values in sheet.itertuples(index=False)]


HTML_SNIFF = 4096  # bytes read for the charset of an HTML table
_CHARSET = re.compile(rb"""charset\s*=\s*["']?([\w.-]+)""", re.IGNORECASE)


def html_tables(path: Path, ctx: Context) -> Iterator[list[list[str]]]:
    """The tables of an HTML page, as carriers' web "Excel" downloads are (a `<table>` in a file
    named .xls): one list of rows per table, a cell spanning columns followed by empty cells."""
    with ctx.open(path) as handle:
        raw = handle.read()
    found = _CHARSET.search(raw[:HTML_SNIFF])
    encoding = found[1].decode("ascii") if found else textfile.detect(raw[: textfile.SAMPLE]) or "utf-8"
    try:
        text = raw.decode(encoding, "replace")
    except LookupError:
        text = raw.decode("gb18030", "replace")
    parser = _Tables()
    parser.feed(text)
    parser.close()
    yield from (table for table in parser.tables if table)


class _Tables(HTMLParser):
    """Rows of cells of every table (nested tables are read as their own)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._open: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._open.append([])
        elif tag == "tr" and self._open:
            self._open[-1].append([])
        elif tag in ("td", "th") and self._open:
            self._cell, span = [], dict(attrs).get("colspan") or "1"
            self._span = int(span) if span.isdigit() else 1
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None and self._open:
            table = self._open[-1]
            if not table:
                table.append([])  # cells without a <tr>
            table[-1].extend([" ".join("".join(self._cell).split())] + [""] * (min(self._span, 64) - 1))
            self._cell = None
        elif tag == "table" and self._open:
            self.tables.append(self._open.pop())

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _cell(value: object) -> str:
    """A cell as the bill shows it: whole numbers without `.0`, times without microseconds."""
    if value is None or value != value:  # None or NaN: an empty cell
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, timedelta):  # a duration cell (`[h]:mm:ss`)
        return str(round(value.total_seconds()))
    if isinstance(value, datetime) and value.time() == time():
        return value.date().isoformat()  # a date cell (its time of day may be in the next cell)
    if hasattr(value, "isoformat"):
        return str(value).removesuffix(".000000")
    return str(value)


# An e-bill whose table has no ruling lines is found by the alignment of its words instead
_BY_TEXT = {"vertical_strategy": "text", "horizontal_strategy": "text"}


def _pdf_rows(path: Path, ctx: Context) -> Iterator[list[str]]:
    """Every table row on every page, by ruling lines; when no page has a ruled table, by the
    alignment of the words (a borderless e-bill)."""
    found = False
    for settings in (None, _BY_TEXT):
        for row in _pdf_tables(path, ctx, settings):
            found = True
            yield row
        if found:
            return
    raise ctx.error(_("no table with text in this PDF (a scanned bill cannot be read)"))


def _pdf_tables(path: Path, ctx: Context, settings: dict[str, str] | None) -> Iterator[list[str]]:
    import pdfplumber

    with _pdf_errors(ctx), pdfplumber.open(path) as pdf:
        pages = len(pdf.pages)
    for number in range(pages):
        with _pdf_errors(ctx, number + 1), pdfplumber.open(path, pages=[number + 1]) as pdf:
            tables = pdf.pages[0].extract_tables(settings)
        for table in tables:
            for row in table:
                if any(cell and cell.strip() for cell in row):
                    yield [cell or "" for cell in row]


@contextmanager
def _pdf_errors(ctx: Context, page: int | None = None) -> Iterator[None]:
    """pdfminer raises many kinds of error on a damaged PDF: each becomes one InputError."""
    try:
        yield
    except Exception as exc:
        message = _("not a readable PDF (page {page}): {error}") if page else _("not a readable PDF: {error}")
        raise ctx.error(message.format(page=page, error=type(exc).__name__)) from None
