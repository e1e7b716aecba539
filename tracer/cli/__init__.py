"""The `tracer` command: typer sub-apps over the library, and one error handler."""

from __future__ import annotations

import sqlite3
import sys
import traceback
from pathlib import Path

import typer
from rich.markup import escape

from tracer.cli import (
    canary,
    common,
    contacts,
    demo,
    evidence,
    help,
    mail,
    numbers,
    params,
    report,
    serve,
    setup,
    unlock,
    usage,
)
from tracer.errors import IntegrityError, TracerError, VaultError
from tracer.i18n import _

params.install()  # str and choice options convert without Pydantic (tracer/cli/params.py)

app = typer.Typer(
    name="tracer",
    help="Leak Tracer: canary identities that show which platform leaked your number.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    cls=usage.Group,  # Click's usage errors in the reader's language
)


@app.callback()
def _global(
    home: Path = typer.Option(None, "--home", help="Vault folder (else $TRACER_HOME)."),
    verbose: bool = typer.Option(False, "--verbose", help="Show tracebacks on errors."),
    lang: str = typer.Option(
        None, "--lang", help="Language: zh_CN or en_US (else LC_ALL/LC_MESSAGES/LANG, else the vault's)."
    ),
) -> None:
    common.state.home = home
    common.state.verbose = verbose
    common.state.lang = lang
    common.use_language(lang)


app.command("init")(setup.init)
app.command("verify")(setup.verify)
app.command("unlock")(unlock.unlock)
app.command("lock")(unlock.lock)
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
app.command("serve")(serve.serve)
app.add_typer(mail.app, name="mail")


def main() -> None:
    """Console entry point: TracerErrors become one line on stderr and their exit code.

    The language is chosen before the command tree is built, so that help is translated too:
    from `--lang` and `--home` as written on the command line, the environment, and the vault.
    """
    common.use_language(_argument(sys.argv[1:], "--lang"), folder=_argument(sys.argv[1:], "--home"))
    try:
        try:
            help.command(app)(prog_name="tracer")
        except sqlite3.OperationalError as exc:  # locked, read-only, full disk: SQLite's words only
            raise VaultError(_("the vault could not be read or written: {exc}").format(exc=exc)) from exc
        except sqlite3.DatabaseError as exc:  # a damaged or truncated file
            raise IntegrityError(_("the vault file is damaged: {exc}").format(exc=exc)) from exc
    except TracerError as exc:
        if common.state.verbose:
            traceback.print_exception(exc)
        prefix = _("error:")
        common.err_console.print(f"[red]{prefix}[/] {escape(_diagnostics(exc))}", soft_wrap=True)
        sys.exit(exc.exit_code)
    except Exception as exc:  # a bug: say so in one line; the message may hold data, so omit it
        if common.state.verbose:
            raise
        prefix = _("internal error:")
        common.err_console.print(
            f"[red]{prefix}[/] " + _("{name} (run again with --verbose for details)").format(name=type(exc).__name__)
        )
        sys.exit(1)


def _diagnostics(exc: TracerError) -> str:
    """`exc.diagnostics()` punctuated for the reader's language (a Chinese hint in full-width brackets)."""
    if not exc.hint:
        return exc.message
    return _("{message} ({hint})").format(message=exc.message, hint=exc.hint)


_VALUED = ("--home", "--lang")  # the global options that take a value


def _argument(argv: list[str], option: str) -> str | None:
    """The value of a global option as written before the command (`--lang zh_CN`, `--lang=…`)."""
    words = iter(argv)
    for word in words:
        if word == option:
            return next(words, None)
        if word.startswith(option + "="):
            return word.split("=", 1)[1]
        if word in _VALUED:
            next(words, None)
        elif not word.startswith("-"):
            return None  # the command: what follows is its own
    return None
