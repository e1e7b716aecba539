"""`pipeline.forked`: a producer in a forked child, its items and its failure in the parent."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections.abc import Iterator

import pytest

from tracer.errors import InputError
from tracer.ingest import pipeline


def numbers(count: int, then: BaseException | None = None) -> Iterator[int]:
    yield from range(count)
    if then is not None:
        raise then


def children() -> set[int]:
    """Our own child processes still running (not zombies)."""
    me = os.getpid()
    found = set()
    for task in os.listdir(f"/proc/{me}/task"):
        with open(f"/proc/{me}/task/{task}/children") as handle:
            found |= {int(pid) for pid in handle.read().split()}
    return {pid for pid in found if _state(pid) not in ("Z", None)}


def _state(pid: int) -> str | None:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return None


def test_items_arrive_in_order_from_another_process():
    def produce() -> Iterator[tuple[int, int]]:
        for i in range(2000):
            yield i, os.getpid()

    with pipeline.forked(produce) as items:
        got = list(items)
    assert [i for i, _ in got] == list(range(2000))
    assert {pid for _, pid in got} != {os.getpid()}


def test_a_failure_in_the_child_is_raised_after_the_items_before_it():
    failure = InputError("bad bytes", file="f.csv", line=7)
    seen = []
    with pytest.raises(InputError) as caught, pipeline.forked(lambda: numbers(5, failure)) as items:
        for item in items:
            seen.append(item)
    assert seen == [0, 1, 2, 3, 4]
    assert (caught.value.file, caught.value.line, caught.value.message) == ("f.csv", 7, "f.csv:7: bad bytes")
    assert any("worker process" in note for note in caught.value.__notes__)


def test_an_exception_that_cannot_be_pickled_arrives_as_a_runtime_error_naming_its_type():
    class Unpicklable(Exception):
        def __init__(self) -> None:
            super().__init__("holds a lock")
            self.lock = threading.Lock()

    with (
        pytest.raises(RuntimeError, match="Unpicklable in the worker process"),
        pipeline.forked(lambda: numbers(1, Unpicklable())) as items,
    ):
        list(items)


def test_a_child_that_dies_is_reported_with_its_exit_code():
    def produce() -> Iterator[int]:
        yield 1
        os._exit(3)

    with pytest.raises(RuntimeError, match="exit code 3"), pipeline.forked(produce) as items:
        list(items)


def test_leaving_early_ends_the_child():
    def produce() -> Iterator[int]:
        while True:
            yield 1

    before = children()
    with pipeline.forked(produce) as items:
        next(items)
        assert len(children() - before) == 1
    assert children() == before


def test_an_error_in_the_parent_ends_a_child_blocked_on_sending():
    def produce() -> Iterator[bytes]:
        while True:
            yield b"x" * 1_000_000  # fills the pipe: the child blocks in send

    before = children()
    with pytest.raises(ValueError), pipeline.forked(produce) as items:
        next(items)
        time.sleep(0.2)
        raise ValueError("stop")
    assert children() == before


def test_without_fork_the_producer_runs_in_this_process(monkeypatch):
    monkeypatch.setattr(multiprocessing, "get_all_start_methods", lambda: ["spawn"])
    with pipeline.forked(lambda: (os.getpid() for _ in range(3))) as items:
        assert list(items) == [os.getpid()] * 3
