"""A folder or a .zip of exports (a phone backup folder, a Google Takeout archive): the files in it
that Leak Tracer reads, each with its format, for one import per file.

Formats are told from each file's content (`sniff`). A folder of Google Voice pages is one
unit, as `google-voice` reads it; the recordings and pictures beside the pages are part of it.
Files in no format we read (pictures, vCards, Takeout's index page, text without a header row we
know: a README, an SQL schema) are listed with `fmt` None.
A .zip is unpacked into a private temporary folder first, refusing members that would land
outside it and archives that unpack to more than `MAX_UNPACKED` bytes.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path, PurePosixPath

from tracer.errors import InputError
from tracer.i18n import _
from tracer.ingest import google_voice, header, records, tables, textfile
from tracer.ingest.base import Context, Format, Options
from tracer.ingest.sniff import inflate, sniff

MAX_UNPACKED = 16 << 30  # bytes: a Takeout archive of years of voicemail fits; a zip bomb does not
MAX_MEMBERS = 200_000


@dataclass(frozen=True)
class Unit:
    """One import: a file (or a Google Voice folder), its name inside the tree, its format."""

    path: Path
    name: str
    fmt: Format | None


def is_tree(path: Path) -> bool:
    """Whether `path` is a folder or a .zip archive (a workbook is a zip too, but not a tree)."""
    if path.is_dir():
        return True
    return path.is_file() and zipfile.is_zipfile(path) and _sniffed(path) is None


@contextmanager
def opened(path: Path) -> Iterator[Path]:
    """The folder to walk: `path` itself, or a .zip unpacked into a temporary folder."""
    if path.is_dir():
        yield path
        return
    with tempfile.TemporaryDirectory(prefix="tracer-zip-") as folder:
        _unpack(path, Path(folder))
        yield Path(folder)


def units(root: Path, label: str) -> Iterator[Unit]:
    """Every file under `root` in name order, as units named `label/relative/path`."""
    for folder, files in _folders(root):
        pages = {f for f in files if google_voice.is_page(f)}
        if pages:
            yield Unit(folder, _name(label, root, folder), Format.GOOGLE_VOICE)
        for file in files:
            if file not in pages:
                yield Unit(file, _name(label, root, file), _sniffed(file))


def _folders(root: Path) -> Iterator[tuple[Path, list[Path]]]:
    """Each folder with its files, folders in name order, hidden files and folders left out."""
    for folder in sorted([root, *(p for p in root.rglob("*") if p.is_dir())]):
        if any(part.startswith(".") for part in folder.relative_to(root).parts):
            continue
        files = sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))
        if files:
            yield folder, files


def _sniffed(path: Path) -> Format | None:
    try:
        found = sniff(path)
    except InputError:
        return None
    if found is Format.CSV:
        return found if _text_has_header(path) else None
    if found is Format.EXCEL and tables.is_html(path):
        return found if _html_has_header(path) else None
    return found


def _text_has_header(path: Path) -> bool:
    """Whether delimited text has a header row we read (or is JSON records): a README or a notes
    file beside the exports is listed as unread instead of stopping the whole import."""
    with path.open("rb") as handle:
        sample = inflate(handle.read(textfile.SAMPLE))
    encoding = textfile.detect(sample)
    if encoding is None:
        return False
    head = sample.decode(encoding, "replace").lstrip("\ufeff").splitlines(keepends=True)[: header.SEARCH]
    return bool(head) and (records.starts_json(head[0]) or header.headerless(head) or _names_columns(path, head))


def _html_has_header(path: Path) -> bool:
    """Whether a web page has a table with a header row we read (a Takeout index page has none)."""
    ctx = _context(path)
    return any(_names_columns(path, list(islice(tables.lines(rows), header.SEARCH))) for rows in tables.html_tables(path, ctx))


def _names_columns(path: Path, head: list[str]) -> bool:
    ctx = _context(path)
    try:
        preset = header.guess(head, ctx)
        header.find(head, header.wanted(ctx, preset)["at"], ctx)
    except InputError:
        return False
    return True


def _context(path: Path) -> Context:
    return Context.build(path, Options(), lambda done: None)


def _name(label: str, root: Path, path: Path) -> str:
    relative = path.relative_to(root).as_posix()
    return label if relative == "." else f"{label}/{relative}"


def _unpack(archive: Path, target: Path) -> None:
    try:
        with zipfile.ZipFile(archive) as zf:
            members = [m for m in zf.infolist() if not m.is_dir()]
            if len(members) > MAX_MEMBERS or sum(m.file_size for m in members) > MAX_UNPACKED:
                raise InputError(_("the archive unpacks to too much to be an export"), file=str(archive))
            for member in members:
                parts = PurePosixPath(member.filename.replace("\\", "/")).parts
                if member.filename.startswith("/") or ".." in parts:
                    raise InputError(_("member {filename!r} points outside the archive").format(filename=member.filename), file=str(archive))
                zf.extract(member, target)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise InputError(_("not a readable .zip archive ({exc})").format(exc=exc), file=str(archive)) from None
