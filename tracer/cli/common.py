"""What every command shares: where the vault is, the passphrase, and how output is written."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import platformdirs
import typer

from tracer import i18n, sanitize
from tracer.errors import StaleKeyError, VaultError
from tracer.i18n import _

if TYPE_CHECKING:
    from rich.table import Table

    from tracer.vault import Vault
    from tracer.vault.keys import Derived

JSON_HELP = "Print one JSON document instead of text."  # every --json (docs/cli.md)
console = sanitize.SafeConsole(highlight=False)  # what reaches a terminal is neutralised (sanitize)
err_console = sanitize.SafeConsole(stderr=True, highlight=False)


def write_text(text: str) -> None:
    """Rendered text (a report, a draft) on stdout, neutralised for the terminal, newline-ended."""
    text = sanitize.json_text(text) if text.lstrip().startswith("{") else sanitize.terminal(text)
    console.file.write(text if text.endswith("\n") else text + "\n")


@dataclass
class State:
    home: Path | None = None
    verbose: bool = False
    lang: str | None = None


state = State()


def home() -> Path:
    """--home, else $TRACER_HOME, else the platform's user data directory."""
    if state.home is not None:
        return state.home
    env = os.environ.get("TRACER_HOME")
    return Path(env) if env else Path(platformdirs.user_data_dir("leak-tracer", appauthor=False))


def passphrase(*, confirm: bool = False) -> str:
    """$TRACER_PASSPHRASE, else a hidden prompt. Never echoed, never logged."""
    env = os.environ.get("TRACER_PASSPHRASE")
    if env is not None:
        return env
    if not sys.stdin.isatty():
        raise VaultError(_("no passphrase"), hint=_("set TRACER_PASSPHRASE, run in a terminal, or run `tracer unlock` in one first"))
    return ask_secret(_("Vault passphrase"), confirm=confirm)


def secret() -> str | Derived:
    """What opens the vault: $TRACER_PASSPHRASE, else the key `tracer unlock` keeps for it, else
    a hidden prompt."""
    if os.environ.get("TRACER_PASSPHRASE") is None:
        from tracer import agent

        kept = agent.derived(home())
        if kept is not None:
            return kept
    return passphrase()


def ask_secret(question: str, *, confirm: bool = False) -> str:
    """A hidden answer to `question`, typed twice when `confirm` (Click's own confirmation speaks
    only English)."""
    while True:
        secret = str(typer.prompt(question, hide_input=True))
        if not confirm or str(typer.prompt(_("Repeat for confirmation"), hide_input=True)) == secret:
            return secret
        err_console.print(_("The two entered values do not match."))


def use_language(explicit: str | None, *, folder: str | Path | None = None) -> None:
    """Speak `explicit` (--lang), else the environment's language, else the vault's (in `folder`,
    default the vault folder `home()`)."""
    from tracer.vault.peek import peek_locale

    i18n.activate(i18n.choose(explicit, peek_locale(Path(folder) if folder else home())))


def reader_language(*, fallback: str) -> str:
    """The language of whoever runs a command that opens no vault of theirs (`demo`): --lang, the
    environment, the vault in `home()` when there is one, else `fallback`."""
    from tracer.vault.peek import peek_locale

    return i18n.choose(state.lang, peek_locale(home()) or fallback)


@contextmanager
def vault() -> Iterator[Vault]:
    """The vault in `home()`, opened with the passphrase, speaking its language and timezone.

    The library loads here, not at import: `tracer --help` never pays for it (docs/benchmarks.md).
    """
    from tracer import agent, lifecycle

    try:
        opened = lifecycle.open_vault(home(), secret())
    except StaleKeyError:  # kept by `tracer unlock` for a passphrase changed since: forget it, ask
        agent.lock(home())
        opened = lifecycle.open_vault(home(), passphrase())
    with opened:
        i18n.activate(i18n.choose(state.lang, opened.settings.locale))
        i18n.set_zone(opened.settings.timezone)
        yield opened


def emit_json(doc: Any) -> None:
    """One JSON document on stdout, nothing else."""
    sys.stdout.write(sanitize.json_text(json.dumps(doc, ensure_ascii=False, indent=2)) + "\n")


def emit_json_line(doc: Any) -> None:
    """One compact JSON document on one line (orjson: `canary batch` writes one per canary)."""
    import orjson

    sys.stdout.write(sanitize.json_text(orjson.dumps(doc).decode()) + "\n")


def list_table(columns: list[tuple[str, list[str], bool]]) -> Table:
    """A listing's table, one (title, cells, whole) per column, cells already escaped: a whole
    column (an id a command takes, a time, a number) is never cut, a column no row fills is left
    out, the rest fold; the report's light style."""
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table

    kept = [c for c in columns if c[2] or any(c[1])]
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    for title, cells, whole in kept:
        widest = max(map(cell_len, cells), default=0)
        table.add_column(title, overflow="fold", no_wrap=whole, min_width=widest if whole else min(widest, 8))
    for n in range(len(kept[0][1]) if kept else 0):
        table.add_row(*(cells[n] for _title, cells, _whole in kept))
    return table


def warn(message: str) -> None:
    """One warning line; `message` is printed as written (it may quote the user's text)."""
    from rich.markup import escape  # loaded with rich's console already

    prefix = _("warning:")
    err_console.print(f"[yellow]{prefix}[/] {escape(message)}", soft_wrap=True)


def unverified(failure: str) -> str:
    """What output from a vault that failed verification says first, in the reader's language."""
    from tracer import outputs

    return _(outputs.UNVERIFIED).format(reason=failure)


def warn_unverified(failure: str) -> None:
    warn(unverified(failure))


def say(message: str) -> None:
    """A result line on stdout, printed as written: it may quote a file name, a path, a platform
    or a folder the user chose, and "[bold]x.csv" is a name, not markup."""
    console.print(message, markup=False)


def note(message: str) -> None:
    """A line for the person at the terminal, printed as written (paths and names are the user's)."""
    err_console.print(message, soft_wrap=True, markup=False)


def parse_time(raw: str | None, tz: str, field: str = "at") -> Any:
    """An ISO 8601 option value as an aware UTC datetime (`times.given`), or None when omitted."""
    from tracer import times

    return None if raw is None else times.given(raw, tz, field)
