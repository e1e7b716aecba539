"""`tracer numbers add|import|list|retire`."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape

from tracer import times
from tracer.cli import common
from tracer.i18n import N_, _
from tracer.models import Number

app = typer.Typer(help="Phone numbers you own (the pool canaries draw from).", no_args_is_help=True)


def _doc(number: Number) -> dict[str, object]:
    return {
        "number": number.e164,
        "label": number.label,
        "control": number.control,
        "primary": number.primary,
        "added_at": times.iso(number.added_at) if number.added_at else None,
        "retired_at": times.iso(number.retired_at) if number.retired_at else None,
    }


@app.command("add")
def add(
    number: str = typer.Argument(..., help="Any common spelling; stored as E.164."),
    label: str = typer.Option("", "--label", help="A note for you (which SIM, which phone)."),
    control: bool = typer.Option(False, "--control", help="Never hand out: measures background."),
    allow_unusual: bool = typer.Option(
        False, "--allow-unusual", help="Accept a number outside assigned ranges (test numbers)."
    ),
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
) -> None:
    """Add a number you own to the pool."""
    from tracer import pool

    with common.vault() as vault:
        added = pool.add(vault, number, label=label, control=control, allow_unusual=allow_unusual)
    if as_json:
        common.emit_json(_doc(added))
    else:
        said = _("Added control number {number}.") if control else _("Added number {number}.")
        common.console.print(said.format(number=added.e164))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="One number per line, or CSV number,label,control."),
    allow_unusual: bool = typer.Option(
        False, "--allow-unusual", help="Accept a number outside assigned ranges (test numbers)."
    ),
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
) -> None:
    """Add many numbers in one transaction (all or none)."""
    from tracer import pool

    with common.vault() as vault:
        added = pool.import_file(vault, file, allow_unusual=allow_unusual)
    if as_json:
        common.emit_json([_doc(n) for n in added])
    else:
        common.say(_("Added {n} numbers from {file}.").format(n=len(added), file=file.name))


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
    redact: bool = typer.Option(False, "--redact", help="Hide all but the last two digits."),
) -> None:
    """List the pool."""
    from tracer import phones, pool

    with common.vault() as vault:
        found = pool.numbers(vault)
    if as_json:
        common.emit_json([_doc(n) for n in found])
        return
    roles = [N_("primary") if n.primary else (N_("control") if n.control else N_("pool")) for n in found]
    columns = [
        (_("number"), [phones.redact(n.e164) if redact else n.e164 for n in found], True),
        (_("label"), [escape(n.label) for n in found], False),
        (_("role"), [_(role) for role in roles], True),
        (_("added"), [n.added_at.date().isoformat() if n.added_at else "" for n in found], True),
        (_("status"), [_("retired") if n.retired_at else _("active") for n in found], True),
    ]
    common.console.print(common.list_table(columns))


@app.command("retire")
def retire(number: str, as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP)) -> None:
    """Stop allocating a number (canaries that used it keep it)."""
    from tracer import pool

    with common.vault() as vault:
        retired = pool.retire(vault, number)
    if as_json:
        common.emit_json(_doc(retired))
    else:
        common.console.print(_("Retired {number}.").format(number=retired.e164))
