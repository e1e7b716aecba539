"""Data flows one way: export files -> importers -> contacts in the vault -> attribution -> reports
and evidence -> the CLI and the web desk. A module never imports (at the top or inside a function)
a module of a higher layer; docs/architecture.md draws the same picture."""

from __future__ import annotations

import ast
from pathlib import Path

import tracer

ROOT = Path(tracer.__file__).parent

# Each unit of `tracer` (a top-level module or a subpackage) and its layer, lowest first.
LAYERS: dict[str, int] = {
    # 0: plain values and helpers that know nothing of the vault
    **dict.fromkeys(
        ("errors", "i18n", "times", "phones", "identifiers", "models", "outputs", "sanitize",
         "passphrases", "collector", "credentials", "forks"), 0,
    ),  # fmt: skip
    "ingest": 1,  # files in, records out: never the vault
    **dict.fromkeys(("vault", "ledger", "integrity", "checkpoint"), 2),  # the store and what it commits to
    **dict.fromkeys(("pool", "contacts", "identities", "archives", "lifecycle", "agent", "mailbox"), 3),
    **dict.fromkeys(("attribution", "evidence"), 4),  # evidence never needs a report
    **dict.fromkeys(("reports", "simulate"), 5),
    **dict.fromkeys(("demo", "serve", "cli", "__main__", "__init__"), 6),
}
# Upward imports that are the design, not a slip: the vault records every change through its
# ledger (`Vault.record`), and upgrades a schema-2 vault's storage on open (`integrity`, imported
# inside `Vault.open` only when a migration needs the keys).
ALLOWED = {("vault", "ledger"), ("vault", "integrity")}


def _unit(path: Path) -> str:
    first = path.relative_to(ROOT).parts[0]
    return first.removesuffix(".py")


def _imported_units(path: Path) -> set[str]:
    """The `tracer` units `path` imports anywhere in it (relative imports resolved)."""
    package = ["tracer", *path.relative_to(ROOT).parent.parts]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names = [module, *(f"{module}.{alias.name}" for alias in node.names)]
        for name in names:
            parts = name.split(".")
            if parts[0] == "tracer" and len(parts) > 1 and parts[1] in LAYERS:
                found.add(parts[1])
    return found


def test_every_unit_of_tracer_has_a_layer() -> None:
    units = {_unit(path) for path in ROOT.rglob("*.py")}
    assert units - set(LAYERS) == set(), "give the new module a layer in LAYERS"


def test_no_module_imports_a_higher_layer() -> None:
    upward = []
    for path in sorted(ROOT.rglob("*.py")):
        unit = _unit(path)
        for imported in _imported_units(path):
            if LAYERS[imported] > LAYERS[unit] and (unit, imported) not in ALLOWED:
                upward.append(f"{path.relative_to(ROOT.parent)} imports tracer.{imported}")
    assert upward == []


def test_the_walk_finds_imports_inside_functions() -> None:
    """Where a slip would hide: an import inside a function (the CLI loads most of the library
    that way)."""
    nested = ROOT / "ingest" / "csvfile.py"
    assert _imported_units(nested) <= {unit for unit, layer in LAYERS.items() if layer <= 1}
    assert "reports" in _imported_units(ROOT / "cli" / "report.py")
    assert "integrity" in _imported_units(ROOT / "vault" / "store.py")  # lazy, inside Vault.open
    assert "contacts" in _imported_units(ROOT / "attribution" / "inputs.py")
