"""Importers: files in, a stream of `ContactRecord` (or `Rejected` for a bad row) out.

One module per format, each a function `read(path, ctx)` (see `base.Importer`). The vault
consumes `read(...)` inside one transaction; nothing here touches the database.

    for item in read(Path("calls.xml"), Format.AUTO, Options(to="+8613800138000")):
        ...  # ContactRecord, or Rejected(line, field, reason)

Bulk imports read the same in `Batch`es, records column by column (`read_batches`).

File-level problems (wrong format, undecodable text, XML with entity declarations) raise
`InputError`; checks of the options and the format happen before the first item.

The names that need the importers (`read`, `read_batches`, `IMPORTERS`, `sniff`, `is_tree`,
`total_bytes`) are loaded on first use (PEP 562): a command that logs one contact needs `Batch`
and `Options` only, and every format's module (XML, mail, spreadsheets, zip files) cost it
~0.03 s of start-up (docs/benchmarks.md).
"""

from __future__ import annotations

import sys
import types
from importlib import import_module
from typing import TYPE_CHECKING, Any

from tracer.ingest.base import Format, Item, Options
from tracer.ingest.batch import Batch
from tracer.models import ContactRecord, Rejected

if TYPE_CHECKING:
    from tracer.ingest.formats import IMPORTERS, read, read_batches, total_bytes
    from tracer.ingest.sniff import sniff
    from tracer.ingest.tree import is_tree

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

# the module of this package each lazily loaded name lives in
_LAZY = {
    "IMPORTERS": "formats",
    "read": "formats",
    "read_batches": "formats",
    "total_bytes": "formats",
    "sniff": "sniff",
    "is_tree": "tree",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{_LAZY[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """This package, whose `sniff` stays the function: loading the submodule of the same name
    (`tracer.ingest.sniff`, whichever module imports it first) sets the package's attribute to
    the submodule, which would leave `ingest.sniff(path)` calling a module."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "sniff" and isinstance(value, types.ModuleType):
            value = value.sniff
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
