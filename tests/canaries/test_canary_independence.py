"""`canaries` depends on nothing in `tracer` (tracer imports canaries; the reverse was a cycle)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import canaries

PACKAGE = Path(canaries.__file__).parent


def _imported(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


def test_no_module_of_canaries_imports_tracer() -> None:
    """Every import statement, at the top or inside a function, in every module of the package."""
    offenders = {
        f"{path.name}: {name}"
        for path in sorted(PACKAGE.glob("*.py"))
        for name in _imported(ast.parse(path.read_text(encoding="utf-8")))
        if name == "tracer" or name.startswith("tracer.")
    }
    assert offenders == set()


def test_canaries_issues_an_identity_with_tracer_unimportable() -> None:
    """With `tracer` blocked in sys.modules, the package still imports, issues and allocates."""
    probe = (
        "import sys; sys.modules['tracer'] = None\n"
        "import canaries\n"
        "g = canaries.Generator('zh_CN', '张伟', email_domain='example.org', seed=1)\n"
        "t = canaries.Taken(); issued = g.issue(t); t.add(issued)\n"
        "a = canaries.Allocator([canaries.PoolNumber('+8613900000011', 0)], '+8613800000001')\n"
        "print(issued.name, a.next().phone, a.next().exclusive)\n"
    )
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr[-500:]
    name, phone, exclusive = run.stdout.split()
    assert 2 <= len(name) <= 4  # a Chinese full name
    assert (phone, exclusive) == ("+8613900000011", "False")
