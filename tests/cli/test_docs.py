"""Every command the typer app registers is documented in docs/cli.md as `tracer <command>`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import typer

from tracer.cli import app

CLI_DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def command_paths(group: typer.Typer, prefix: str = "") -> Iterator[str]:
    """'init', 'numbers', 'numbers add', … for every command and sub-group, depth first."""
    for command in group.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        yield f"{prefix}{name.replace('_', '-')}"
    for sub in group.registered_groups:
        name = sub.name or sub.typer_instance.info.name
        assert isinstance(name, str) and name, f"unnamed sub-app under '{prefix}'"
        yield f"{prefix}{name}"
        yield from command_paths(sub.typer_instance, f"{prefix}{name} ")


def test_the_app_registers_the_contract_commands():
    paths = set(command_paths(app))
    contract = {"init", "verify", "report", "numbers add", "numbers import", "numbers list",
                "canary new", "canary record", "canary batch", "canary list", "contacts log", "demo",
                "contacts import"}  # fmt: skip
    assert contract <= paths


def test_every_command_and_sub_command_is_documented_in_docs_cli_md():
    assert CLI_DOC.is_file(), f"{CLI_DOC} is missing: document every command there"
    text = CLI_DOC.read_text(encoding="utf-8")
    missing = [path for path in command_paths(app) if f"tracer {path}" not in text]
    assert missing == [], f"not documented in docs/cli.md: {missing}"
