"""Importers: files in, a stream of `ContactRecord` (or `Rejected` for a bad row) out.

One module per format, each a function `read(path, ctx)` (see `base.Importer`). The vault
consumes `read(...)` inside one transaction; nothing here touches the database.

    for item in read(Path("calls.xml"), Format.AUTO, Options(to="+8613800138000")):
        ...  # ContactRecord, or Rejected(line, field, reason)

Bulk imports read the same in `Batch`es, records column by column (`read_batches`).

File-level problems (wrong format, undecodable text, XML with entity declarations) raise
`InputError`; checks of the options and the format happen before the first item.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from tracer.i18n import _
from tracer.ingest import android_calls, android_sms, csvfile, google_voice, ios_calls, mail, mbox, tables
from tracer.ingest.base import Context, Format, Importer, Item, Options
from tracer.ingest.batch import Batch, batched
from tracer.ingest.sniff import sniff
from tracer.ingest.tree import is_tree
from tracer.models import ContactRecord, Rejected

__all__ = [
    "IMPORTERS",
    "Batch",
    "ContactRecord",
    "Format",
    "Item",
    "Options",
    "Rejected",
    "read",
    "read_batches",
    "is_tree",
    "sniff",
    "total_bytes",
]

IMPORTERS: dict[Format, Importer] = {
    Format.CSV: csvfile.read,
    Format.ANDROID_CALLS: android_calls.read,
    Format.ANDROID_SMS: android_sms.read,
    Format.GOOGLE_VOICE: google_voice.read,
    Format.IOS_CALLS: ios_calls.read,
    Format.IOS_MESSAGES: ios_calls.read,
    Format.EML: mail.read,
    Format.MBOX: mbox.read,
    Format.EXCEL: tables.read_excel,
    Format.PDF: tables.read_pdf,
}


def read(
    path: Path,
    fmt: Format = Format.AUTO,
    options: Options | None = None,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[Item]:
    """The received contacts in `path`, in file order. `on_progress(bytes_done)` is called now
    and then (compare with `total_bytes(path)`) so a caller can draw a progress bar."""
    path, fmt, ctx = _start(path, fmt, options, on_progress)
    return IMPORTERS[fmt](path, ctx)


def read_batches(
    path: Path,
    fmt: Format = Format.AUTO,
    options: Options | None = None,
    *,
    on_progress: Callable[[int], None] | None = None,
) -> Iterator[Batch]:
    """`read` in batches of records held column by column: the same records and rejected rows,
    cheaper to turn into rows by the million. CSV files are checked a column at a time."""
    path, fmt, ctx = _start(path, fmt, options, on_progress)
    if fmt is Format.CSV:
        return csvfile.batches(path, ctx)
    if fmt is Format.EXCEL:
        return tables.excel_batches(path, ctx)
    if fmt is Format.PDF:
        return tables.pdf_batches(path, ctx)
    return batched(IMPORTERS[fmt](path, ctx))


def _start(
    path: Path, fmt: Format, options: Options | None, on_progress: Callable[[int], None] | None
) -> tuple[Path, Format, Context]:
    """The checked options and the format, before the first item is read."""
    path = Path(path)
    ctx = Context.build(path, options or Options(), on_progress or _ignore)
    if not path.exists():
        raise ctx.error(_("no such file or folder"))
    fmt = sniff(path) if Format(fmt) is Format.AUTO else Format(fmt)
    if path.is_dir() != (fmt is Format.GOOGLE_VOICE):
        wanted = _("the {format} format reads a folder") if fmt is Format.GOOGLE_VOICE else _("the {format} format reads a file")
        raise ctx.error(wanted.format(format=fmt.value), hint=_("check --format"))
    return path, fmt, ctx


def total_bytes(path: Path) -> int:
    """The byte count `on_progress` counts towards: the file's size, or a folder's HTML files."""
    path = Path(path)
    if path.is_dir():
        return sum(p.stat().st_size for p in google_voice.pages(path))
    return path.stat().st_size


def _ignore(done: int) -> None:
    return None
