"""Same Shape, same bytes; another seed, another world."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tracer.simulate import Shape, simulate

ROOT = Path(__file__).resolve().parents[2]


def _contents(out: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(out.iterdir())}


def _simulate_in_subprocess(out: Path, hash_seed: str, locale: str) -> None:
    code = (
        "import sys; from pathlib import Path; from tracer.simulate import Shape, simulate; "
        f"simulate(Path(sys.argv[1]), Shape(seed=4, locale={locale!r}, platforms=12))"
    )
    env = dict(os.environ, PYTHONHASHSEED=hash_seed)
    subprocess.run([sys.executable, "-c", code, str(out)], check=True, cwd=ROOT, env=env)


def test_same_seed_writes_byte_identical_files(tmp_path: Path) -> None:
    simulate(tmp_path / "a", Shape(seed=9))
    simulate(tmp_path / "b", Shape(seed=9))
    first, second = _contents(tmp_path / "a"), _contents(tmp_path / "b")
    assert list(first) == list(second)
    assert first == second


def test_same_seed_is_identical_across_processes_with_different_hash_seeds(tmp_path: Path) -> None:
    """No dependence on set or dict-of-str iteration order, which PYTHONHASHSEED changes."""
    for locale in ("zh_CN", "en_US"):
        _simulate_in_subprocess(tmp_path / f"{locale}-1", "1", locale)
        _simulate_in_subprocess(tmp_path / f"{locale}-2", "2", locale)
        assert _contents(tmp_path / f"{locale}-1") == _contents(tmp_path / f"{locale}-2")


def test_different_seed_writes_different_files(tmp_path: Path) -> None:
    simulate(tmp_path / "a", Shape(seed=1))
    simulate(tmp_path / "b", Shape(seed=2))
    first, second = _contents(tmp_path / "a"), _contents(tmp_path / "b")
    for name in ("world.json", "calls.csv", "mail.mbox", "truth.json"):
        assert first[name] != second[name], name
