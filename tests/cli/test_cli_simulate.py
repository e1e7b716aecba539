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


def test_simulate_writes_a_variant_world_and_names_an_unknown_one(run: Cli, tmp_path: Path) -> None:
    """--variant late: breaches and broker sales months after signup, over a year; a name that is
    no variant is one line naming the field, exit 1, nothing written."""
    import json

    done = run("simulate", "--out", str(tmp_path / "late"), "--seed", "5", "--platforms", "8", "--variant", "late")
    assert done.code == 0, done.stderr
    shape = json.loads((tmp_path / "late" / "world.json").read_text(encoding="utf-8"))["shape"]
    assert shape["leak_lag"] == 90.0 and shape["days"] == 365
    bad = run("simulate", "--out", str(tmp_path / "bad"), "--seed", "5", "--variant", "busier")
    assert bad.code == 1 and "variant" in bad.stderr and "busy" in bad.stderr
    assert "Traceback" not in bad.stderr and not (tmp_path / "bad").exists()
