"""The CLI's help in the reader's language.

Help texts stay plain English in the source (command docstrings, `help=`), where a reader of the
code expects them. When the command tree is built, `command()` passes each one through the
catalog (`tracer.i18n`), with Typer's panel titles, the arguments' names and Click's own words
(`usage`); `texts()` lists them for the catalog (`scripts/i18n`), so a help text without a
translation fails the catalog test like any message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import typer
import typer.main

from tracer.cli import usage
from tracer.i18n import N_, _

# Typer's own words around our help (module settings of typer.rich_utils).
_PANELS = {
    "ARGUMENTS_PANEL_TITLE": N_("Arguments"),
    "OPTIONS_PANEL_TITLE": N_("Options"),
    "COMMANDS_PANEL_TITLE": N_("Commands"),
    "ERRORS_PANEL_TITLE": N_("Error"),
    "REQUIRED_LONG_STRING": N_("[required]"),
    "DEFAULT_STRING": N_("[default: {}]"),
    "ENVVAR_STRING": N_("[env var: {}]"),
    "DEPRECATED_STRING": N_("(deprecated) "),
    "ABORTED_TEXT": N_("Aborted."),
    "RICH_HELP": N_("Try [blue]'{command_path} {help_option}'[/] for help."),
}


# Arguments as the usage line and errors name them (`{file}`, "Missing argument 'file'.").
_ARGUMENTS = {
    "file": N_("file"), "number": N_("number"), "platform": N_("platform"), "contact_id": N_("contact_id"),
    "canary_id": N_("canary_id"), "target": N_("target"), "response": N_("response"),
}  # fmt: skip


def command(app: typer.Typer) -> Any:
    """The click command for `app`, every help text in the current language (Typer's own words
    when it renders help or an error: `panels`)."""
    root = typer.main.get_command(app)
    for node in _walk(root):
        usage.localize(node)
        if node.help:
            node.help = _(node.help)
        if getattr(node, "short_help", None):
            node.short_help = _(node.short_help)
        for param in getattr(node, "params", []):
            if getattr(param, "help", None):
                param.help = _(param.help)
            if param.param_type_name == "argument" and param.name in _ARGUMENTS and param.metavar is None:
                param.metavar = _(_ARGUMENTS[param.name])
    return root


def panels() -> None:
    """Typer's own words around our help and errors (module settings of `typer.rich_utils`) in the
    current language. Called just before Typer renders help or an error (`usage.Context`,
    `usage.translated_errors`), never at start-up: importing `typer.rich_utils` loads most of rich
    (markdown, tracebacks, syntax highlighting; 0.06 s), which a command that only runs never
    needs (docs/benchmarks.md, "Start-up, round 10")."""
    import typer.rich_utils

    for name, text in _PANELS.items():
        setattr(typer.rich_utils, name, _(text))


def texts(app: typer.Typer) -> list[str]:
    """Every help text in `app`, in order, once each."""
    root = typer.main.get_command(app)
    found: list[str] = list(_PANELS.values())
    for node in _walk(root):
        found.extend(t for t in (node.help, getattr(node, "short_help", None)) if t)
        found.extend(p.help for p in getattr(node, "params", []) if getattr(p, "help", None))
    return list(dict.fromkeys(found))


def _walk(node: Any) -> Iterator[Any]:
    yield node
    for child in getattr(node, "commands", {}).values():
        yield from _walk(child)
