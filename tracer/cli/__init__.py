"""The `tracer` command: typer sub-apps over the library, and one error handler."""

from __future__ import annotations

import sqlite3
import sys
import traceback
from pathlib import Path

import typer
from rich.markup import escape

from tracer.cli import canary, common, contacts, demo, evidence, numbers, report, setup
from tracer.errors import IntegrityError, TracerError, VaultError

app = typer.Typer(
    name="tracer",
    help="Leak Tracer: canary identities that show which platform leaked your number.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _global(
    home: Path = typer.Option(None, "--home", help="Vault folder (else $TRACER_HOME)."),
    verbose: bool = typer.Option(False, "--verbose", help="Show tracebacks on errors."),
) -> None:
    common.state.home = home
    common.state.verbose = verbose


app.command("init")(setup.init)
app.command("verify")(setup.verify)
app.add_typer(setup.passphrase_app, name="passphrase")
app.add_typer(numbers.app, name="numbers")
app.add_typer(canary.app, name="canary")
app.add_typer(contacts.app, name="contacts")
app.command("report")(report.report)
app.command("platforms")(report.platforms)
app.command("explain")(report.explain)
app.command("evidence")(evidence.evidence)
app.add_typer(evidence.anchor_app, name="anchor")
app.command("complaint")(evidence.complaint_cmd)
app.command("demo")(demo.demo)
app.command("simulate")(demo.simulate)


def main() -> None:
    """Console entry point: TracerErrors become one line on stderr and their exit code."""
    try:
        try:
            app()
        except sqlite3.OperationalError as exc:  # locked, read-only, full disk: SQLite's words only
            raise VaultError(f"the vault could not be read or written: {exc}") from exc
        except sqlite3.DatabaseError as exc:  # a damaged or truncated file
            raise IntegrityError(f"the vault file is damaged: {exc}") from exc
    except TracerError as exc:
        if common.state.verbose:
            traceback.print_exception(exc)
        common.err_console.print(f"[red]error:[/] {escape(exc.diagnostics())}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug: say so in one line; the message may hold data, so omit it
        if common.state.verbose:
            raise
        common.err_console.print(
            f"[red]internal error:[/] {type(exc).__name__} (run again with --verbose for details)"
        )
        sys.exit(1)
