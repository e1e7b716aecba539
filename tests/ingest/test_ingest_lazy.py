"""`tracer.ingest` loads its importers on first use (PEP 562): logging a contact needs `Batch` and
`Options` only."""

from __future__ import annotations

import subprocess
import sys

import pytest

import tracer.ingest as ingest

FORMAT_MODULES = ("csvfile", "android_calls", "xmlstream", "mail", "mime", "tables", "tree", "sniff", "formats")


def _run(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_importing_the_package_loads_no_importer() -> None:
    code = (
        "import sys, tracer.ingest as ingest; ingest.Batch, ingest.Options, ingest.Format;"
        f"print(sorted(m for m in {FORMAT_MODULES!r} if 'tracer.ingest.' + m in sys.modules))"
    )
    assert _run(code) == "[]"


def test_a_lazy_name_loads_its_module_and_is_the_same_object() -> None:
    code = (
        "import tracer.ingest as ingest; from tracer.ingest import formats;"
        "print(ingest.read is formats.read, ingest.read_batches is formats.read_batches,"
        " ingest.IMPORTERS is formats.IMPORTERS, ingest.total_bytes is formats.total_bytes)"
    )
    assert _run(code) == "True True True True"


def test_sniff_stays_the_function_when_its_module_is_imported_first() -> None:
    """Importing `tracer.ingest.sniff` (as `tracer.ingest.tree` does) would otherwise set the
    package's `sniff` to the module."""
    code = (
        "import tracer.ingest as ingest; import tracer.ingest.tree;"
        "from tracer.ingest import sniff; from tracer.ingest.sniff import sniff as function;"
        "print(ingest.sniff is function, sniff is function)"
    )
    assert _run(code) == "True True"


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError):
        ingest.no_such_importer  # noqa: B018 - the attribute access is the test
