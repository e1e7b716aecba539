"""Shared fixtures for importer tests: the fixture folder and readers that list what they yield."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tracer.ingest import Format, Options, read
from tracer.models import ContactRecord, Rejected

DATA = Path(__file__).resolve().parents[1] / "data" / "ingest"

Items = list[ContactRecord | Rejected]


@pytest.fixture
def data() -> Path:
    return DATA


@pytest.fixture
def load() -> Callable[..., Items]:
    """load(path, fmt="auto", **options) -> every item the importer yields, in order."""

    def run(path: Path, fmt: str = "auto", **options: Any) -> Items:
        return list(read(Path(path), Format(fmt), Options(**options)))

    return run


@pytest.fixture
def load_records(load: Callable[..., Items]) -> Callable[..., list[ContactRecord]]:
    """Like `load`, but fails the test on any Rejected and returns the records."""

    def run(path: Path, fmt: str = "auto", **options: Any) -> list[ContactRecord]:
        items = load(path, fmt, **options)
        bad = [i for i in items if isinstance(i, Rejected)]
        assert not bad, bad
        return [i for i in items if isinstance(i, ContactRecord)]

    return run
