"""A fresh clone has everything it needs: the README's two commands, in essence, in a `git clone`
of this commit in a temporary folder (the installed packages are reused, the code and data are
the clone's own: a file read from outside the repository fails here)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if shutil.which("git") is None or not (REPO / ".git").exists():
        pytest.fail("the clean-clone test needs git and a git checkout")
    target = tmp_path_factory.mktemp("clone") / "leak-tracer"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(REPO), str(target)], check=True, timeout=120)
    return target


def in_clone(clone: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ, "PYTHONPATH": str(clone), "TRACER_SCRYPT_LOG_N": "10", "COLUMNS": "120",
        "TRACER_HOME": str(clone / "no-vault-here"), "PYTHONDONTWRITEBYTECODE": "1",
    }  # fmt: skip
    env.pop("TRACER_ROBOCALLS", None)
    return subprocess.run([sys.executable, *args], cwd=clone.parent, env=env, capture_output=True,
                          text=True, timeout=timeout)  # fmt: skip


def test_the_clone_runs_its_own_code(clone: Path):
    found = in_clone(clone, "-c", "import tracer, tracer.simulate.corpus as c; print(tracer.__file__, c.locate())")
    assert found.returncode == 0, found.stderr
    assert found.stdout.startswith(str(clone)) and str(clone) in found.stdout.split()[1]


@pytest.mark.parametrize("locale", ["en_US", "zh_CN"])
def test_the_demo_works_from_a_clean_clone(clone: Path, locale: str):
    done = in_clone(clone, "-m", "tracer", "demo", "--locale", locale, "--workdir", str(clone.parent / f"demo-{locale}"))
    assert done.returncode == 0, done.stderr[-2000:]
    assert "HTML report" in done.stdout


def test_the_corpus_tests_pass_in_a_clean_clone(clone: Path):
    done = in_clone(clone, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    str(clone / "tests" / "ingest" / "test_ingest_corpus.py"),
                    str(clone / "tests" / "cli" / "test_docs.py"))  # fmt: skip
    assert done.returncode == 0, done.stdout[-2000:]
