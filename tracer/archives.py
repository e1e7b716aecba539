"""Folders and archives of exports (a phone backup folder, a Google Takeout .zip) imported file by
file: each file in its own format and transaction (`contacts.import_file`), one rejected-rows log.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tracer import contacts, ingest, outputs
from tracer.errors import InputError
from tracer.i18n import _, ngettext
from tracer.ingest import tree
from tracer.vault import Vault


@dataclass(frozen=True)
class TreeResult:
    """A folder or archive imported file by file: a result per file read, the files skipped."""

    results: list[contacts.ImportResult]
    unread: list[str]  # files in no format Leak Tracer reads (pictures, vCards, index pages)
    rejected_log: Path | None = None


def import_tree(
    vault: Vault,
    path: Path,
    *,
    options: ingest.Options | None = None,
    skip_bad: Path | None = None,
    on_file: Callable[[str, int, int], None] | None = None,
    force: bool = False,
    allow_future: bool = False,
) -> TreeResult:
    """Import every file in a folder or a .zip (a Google Takeout archive), each in its own
    transaction and format. A bad file stops the import with an error naming it inside the
    folder or archive; the files before it stay imported (importing again adds nothing twice).
    `on_file(name, done, total)` is called before each file."""
    results: list[contacts.ImportResult] = []
    guard = outputs.Guard(vault.home, (path,), force)
    with tree.opened(path) as root, contacts.rejects_to(skip_bad, guard) as log:
        found = list(tree.units(root, path.name))
        readable = [(unit, unit.fmt) for unit in found if unit.fmt is not None]
        unread = [unit.name for unit in found if unit.fmt is None]
        for done, (unit, fmt) in enumerate(readable):
            if on_file is not None:
                on_file(unit.name, done, len(readable))
            with _named(unit.path, unit.name, len(results)):
                result = contacts.import_file(
                    vault, unit.path, fmt, options=options, rejects=log, display=unit.name,
                    allow_future=allow_future,
                )  # fmt: skip
            results.append(result)
    return TreeResult(results, unread, skip_bad)


@contextmanager
def _named(actual: Path, name: str, done: int) -> Iterator[None]:
    """Errors about a file inside a tree name it as the user knows it, not its unpacked path,
    and say that the `done` files before it were imported."""
    try:
        yield
    except InputError as exc:
        if exc.file is None or not exc.file.startswith(str(actual)):
            raise
        shown = name + exc.file[len(str(actual)) :]
        before = ngettext(
            "the file before it was imported", "the {n} files before it were imported", done
        ).format(n=done)
        hint = _("; ").join(part for part in (exc.hint, before if done else "") if part)
        renamed = InputError(exc.message.replace(exc.file, shown, 1), hint=hint or None)
        renamed.file, renamed.line, renamed.field = shown, exc.line, exc.field
        raise renamed from None


