"""Every importer by format, and reading a file with the one its format names: `read`,
`read_batches`. The package (`tracer.ingest`) loads this module on first use of these names.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from tracer.i18n import _
from tracer.ingest import android_calls, android_sms, csvfile, google_voice, ios_calls, mail, mbox, tables
from tracer.ingest.base import Context, Format, Importer, Item, Options
from tracer.ingest.batch import Batch, batched
from tracer.ingest.sniff import sniff

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
    if path.is_dir() and fmt is not Format.GOOGLE_VOICE:
        raise ctx.error(_("the {format} format reads a file").format(format=fmt.value), hint=_("check --format"))
    if fmt is Format.GOOGLE_VOICE and not path.is_dir() and not google_voice.has_markup(path):
        raise ctx.error(_("not a Google Voice page from Takeout"), hint=_("check --format"))
    return path, fmt, ctx


def total_bytes(path: Path) -> int:
    """The byte count `on_progress` counts towards: the file's size, or a folder's HTML files."""
    path = Path(path)
    if path.is_dir():
        return sum(p.stat().st_size for p in google_voice.pages(path))
    return path.stat().st_size


def _ignore(done: int) -> None:
    return None
