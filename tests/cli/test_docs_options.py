"""Every option of every command (its first spelling, e.g. `--force`, `--redact`) appears in
docs/cli.md, so an option added without documentation fails here."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import typer

from tracer.cli import app

CLI_DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def options(command: Any, path: str = "") -> Iterator[tuple[str, str]]:
    subcommands = getattr(command, "commands", None)
    if subcommands:
        for name, sub in subcommands.items():
            yield from options(sub, f"{path} {name}".strip())
        return
    for param in command.params:
        for spelling in param.opts:
            if spelling.startswith("--"):
                yield path, spelling


def test_every_option_is_documented_in_docs_cli_md():
    text = CLI_DOC.read_text(encoding="utf-8")
    found = list(options(typer.main.get_command(app)))
    assert len(found) > 60  # the walk reaches every command
    missing = sorted({f"tracer {path} {option}" for path, option in found if option not in text})
    assert missing == [], f"not documented in docs/cli.md: {missing}"
