"""Worlds written once per session: the default zh_CN world, an en_US world, a long world."""

from __future__ import annotations

from pathlib import Path

import pytest

from tracer.simulate import Shape, simulate


@pytest.fixture(scope="session")
def zh_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("zh")
    simulate(out, Shape())
    return out


@pytest.fixture(scope="session")
def en_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("en")
    simulate(out, Shape(seed=5, locale="en_US"))
    return out


@pytest.fixture(scope="session")
def busy_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """More platforms and numbers: exclusive numbers, several brokers, two recycled lines."""
    out = tmp_path_factory.mktemp("busy")
    simulate(out, Shape(seed=11, platforms=120, pool=6, controls=2, recycled=2, days=240))
    return out


@pytest.fixture(scope="session")
def long_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six years of few platforms: enough background to measure its rate."""
    out = tmp_path_factory.mktemp("long")
    simulate(out, Shape(seed=3, platforms=4, days=2190, pool=4, controls=3, recycled=0))
    return out
