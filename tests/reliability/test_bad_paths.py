"""Every command that takes a path, given a missing folder, a folder, a FIFO, a device, a binary
file or a place nothing can be written: one clean line, exit 1 (3 for a bundle that is not one),
never "internal error", a traceback or a hang."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import Cli

KINDS = ("missing", "folder", "fifo", "device", "binary", "unwritable")


@pytest.fixture
def bad(tmp_path: Path) -> dict[str, Path]:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes(range(256)) * 64)
    return {
        "missing": tmp_path / "no-such-folder" / "file.csv",
        "folder": tmp_path,
        "fifo": fifo,
        "device": Path("/dev/zero"),
        "binary": blob,
        "unwritable": Path("/proc/tracer-cannot-write-here"),
    }


INPUTS = {
    "numbers import": ("numbers", "import", "{}"),
    "canary batch": ("canary", "batch", "{}"),
    "contacts import": ("contacts", "import", "{}"),
    "evidence verify": ("evidence", "verify", "{}"),
    "anchor import": ("anchor", "import", "{}"),
    "evidence --trusted-tsa": ("evidence", "verify", "{}", "--trusted-tsa", "{}"),
    "complaint --bundle": ("complaint", "StockPro", "--bundle", "{}"),
}
OUTPUTS = {
    "report --out": ("report", "--out", "{}"),
    "report json --out": ("report", "--format", "json", "--no-redact", "--out", "{}"),
    "evidence --out": ("evidence", "StockPro", "--out", "{}"),
    "anchor request --out": ("anchor", "request", "--out", "{}"),
    "complaint --out": ("complaint", "StockPro", "--out", "{}"),
    "contacts import --skip-bad": ("contacts", "import", "{input}", "--skip-bad", "{}"),
}
FOLDERS = {
    "demo --workdir": ("demo", "--workdir", "{}"),
    "simulate --out": ("simulate", "--out", "{}", "--platforms", "3", "--days", "10"),
    "init --home": ("--home", "{}", "init"),
    "verify --home": ("--home", "{}", "verify"),
}


def fill(args: tuple[str, ...], path: Path, source: Path) -> list[str]:
    return [a.format(path, input=source) if "{" in a else a for a in args]


def check(results: list[tuple[str, tuple[int, str, str]]], allowed: tuple[int, ...] = (1, 3)) -> None:
    for label, (code, _, stderr) in results:
        assert "internal error" not in stderr and "Traceback" not in stderr, (label, stderr)
        assert code in allowed, (label, code, stderr)
        assert len(stderr.strip().splitlines()) == 1, (label, stderr)


def run_all(cli: Cli, calls: dict[str, list[str]]) -> list[tuple[str, tuple[int, str, str]]]:
    labels = list(calls)
    results = []
    for start in range(0, len(labels), 4):  # four at a time: the machine has two cores
        chunk = labels[start : start + 4]
        results += list(zip(chunk, cli.many(*(tuple(calls[k]) for k in chunk)), strict=True))
    return results


@pytest.mark.parametrize("kind", [k for k in KINDS if k != "unwritable"])
def test_bad_input_paths(cli: Cli, bad: dict[str, Path], kind: str, template: Path):
    calls = {name: fill(args, bad[kind], template.parent / "calls.csv") for name, args in INPUTS.items()}
    check(run_all(cli, calls))


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo", "device", "unwritable"])
def test_bad_output_paths(cli: Cli, bad: dict[str, Path], kind: str, template: Path):
    calls = {name: fill(args, bad[kind], template.parent / "calls.csv") for name, args in OUTPUTS.items()}
    check(run_all(cli, calls))


@pytest.mark.parametrize("kind", ["fifo", "device", "binary", "unwritable"])
def test_bad_folders(cli: Cli, bad: dict[str, Path], kind: str, template: Path):
    calls = {name: fill(args, bad[kind], template.parent / "calls.csv") for name, args in FOLDERS.items()}
    check(run_all(cli, calls))


@pytest.mark.parametrize("year", ["0001", "1000", "1969", "9999"])
def test_years_far_from_now_are_one_clean_line(cli: Cli, year: str):
    calls = {
        "canary new": ["canary", "new", "--platform", f"Y{year}", "--at", f"{year}-01-01"],
        "contacts log": ["contacts", "log", "--at", f"{year}-12-31T23:59:59", "--to", "+8613900139001"],
    }
    check(run_all(cli, calls))
