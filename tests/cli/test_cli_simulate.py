"""`tracer simulate` writes a world's files, the same bytes for the same seed."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import Cli


def test_simulate_is_deterministic_under_a_seed(run: Cli, tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for out in (first, second):
        done = run("simulate", "--out", str(out), "--seed", "5", "--platforms", "8", "--days", "60")
        assert done.code == 0, done.stderr
    names = sorted(p.name for p in first.iterdir())
    assert {"world.json", "truth.json", "calls.csv", "mail.mbox"} <= set(names)
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)
