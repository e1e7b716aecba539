"""A filled, closed vault built once per module, copied for each test that may change it."""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import conftest
from tests.conftest import ME, Cli

_copies = itertools.count()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, build_filled) -> Path:  # type: ignore[no-untyped-def]
    return build_filled(tmp_path_factory.mktemp("reliability-template"), ME.passphrase)  # type: ignore[no-any-return]


@pytest.fixture
def filled_home(template: Path, tmp_path: Path) -> Path:
    """A copy of the filled vault (its import file, calls.csv, sits beside it in the template)."""
    target = tmp_path / f"vault{next(_copies)}"
    shutil.copytree(template, target)
    return target


@pytest.fixture
def cli(filled_home: Path, tmp_path: Path) -> Cli:
    return Cli(filled_home, tmp_path)


@pytest.fixture
def sql() -> Callable[..., list[tuple]]:
    return conftest.sql
