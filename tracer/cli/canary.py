"""`tracer canary new|record|batch|list|show|retire`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer
from rich.markup import escape
from rich.table import Table

from tracer import i18n, times
from tracer.cli import common
from tracer.i18n import N_, _, ngettext

if TYPE_CHECKING:
    from tracer.models import Canary

app = typer.Typer(help="Canary identities: one per signup.", no_args_is_help=True)


def canary_doc(canary: Canary) -> dict[str, Any]:
    """The contract's `canary new --json` shape (plus extra fields after it)."""
    return {
        "id": canary.id,
        "platform": canary.platform,
        "category": canary.category,
        "issued_at": times.iso(canary.issued_at),
        "phone": canary.phone,
        "name": canary.name,
        "email": canary.email,
        "markers": canary.identity.markers,
        "real_name": canary.real_name,
        "signal": list(canary.signal),
        "warnings": list(canary.warnings),
        "retired_at": times.iso(canary.retired_at) if canary.retired_at else None,
    }


# What each field is called on a signup form (marker fields by their key).
_FIELDS = {"phone": N_("phone"), "name": N_("name"), "email": N_("email address"),
           "birthday": N_("birthday"), "address2": N_("address line 2"), "surname": N_("surname"),
           "marker": N_("marker")}  # fmt: skip
def _signal(fields: tuple[str, ...]) -> str:
    """The fields that tell a canary apart (`Canary.signal`), named for the reader."""
    return _(", ").join(_(_FIELDS.get(f, f)) for f in fields)


def _warn(warning: str) -> None:
    """A warning the canaries package wrote (kept in English with the canary), in the reader's words."""
    from canaries import WARNINGS  # loaded already: a warning comes from issuing or reading canaries

    common.warn(i18n.reword(warning, WARNINGS))


def _print(canary: Canary) -> None:
    common.console.print(
        _("{platform} ({id}) — type this into the form:").format(
            platform=f"[bold]{escape(canary.platform)}[/]", id=canary.id
        )
    )
    fields = [("phone", canary.phone), ("name", canary.name), ("email", canary.email)]
    rows = fields + list(canary.identity.markers.items())
    grid = Table.grid(padding=(0, 2), pad_edge=True)
    for key, value in rows:
        grid.add_row(_(_FIELDS[key]) if key in _FIELDS else escape(key), escape(value or "—"))
    common.console.print(grid)
    for warning in canary.warnings:
        _warn(warning)


@app.command("new")
def new(
    platform: str = typer.Option(..., "--platform", help="Where you are signing up."),
    category: str = typer.Option(None, "--category", help="stocks, loans, cars, …"),
    at: str = typer.Option(None, "--at", help="Signup time (ISO 8601); default now."),
    real_name: bool = typer.Option(False, "--real-name", help="The platform verifies identity."),
    seed: int = typer.Option(None, "--seed", help="Make the generated identity reproducible."),
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
) -> None:
    """Issue a fresh identity for one signup."""
    from tracer import identities  # canaries, faker and pypinyin load only here

    with common.vault() as vault:
        request = identities.Request(
            platform, category, common.parse_time(at, vault.settings.timezone), real_name
        )
        canary = identities.issue(vault, request, seed=seed)
    if as_json:
        common.emit_json(canary_doc(canary))
        for warning in canary.warnings:
            _warn(warning)
    else:
        _print(canary)


@app.command("record")
def record(
    platform: str = typer.Option(..., "--platform", help="The platform you gave the identity to."),
    phone: str = typer.Option(None, "--phone", help="The number you gave it."),
    name: str = typer.Option(None, "--name", help="The name you gave it."),
    email: str = typer.Option(None, "--email", help="The email address you gave it."),
    at: str = typer.Option(None, "--at", help="When it was given out (ISO 8601)."),
    category: str = typer.Option(None, "--category", help="stocks, loans, cars, …"),
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
) -> None:
    """Record an identity you already gave a platform in the past."""
    from tracer import identities

    with common.vault() as vault:
        canary = identities.record(
            vault,
            platform,
            phone=phone,
            name=name,
            email=email,
            category=category,
            at=common.parse_time(at, vault.settings.timezone),
        )
    if as_json:
        common.emit_json(canary_doc(canary))
    else:
        common.console.print(_("Recorded {id} for {platform}.").format(id=canary.id, platform=escape(canary.platform)))


@app.command("batch")
def batch(
    file: Path = typer.Argument(..., help="CSV with header platform,category,at,real_name."),
    seed: int = typer.Option(None, "--seed", help="Make the generated identities reproducible."),
    as_json: bool = typer.Option(True, "--json/--no-json", help="JSON lines (default)."),
) -> None:
    """Issue many identities in one transaction; prints one JSON line per canary."""
    from tracer import identities

    with common.vault() as vault:
        requests = list(identities.read_batch(file, vault.settings.timezone))
        issued = identities.issue_many(vault, requests, seed=seed)
    for canary in issued:
        if as_json:
            common.emit_json_line(canary_doc(canary))
    warnings = sorted({w for c in issued for w in c.warnings})
    for warning in warnings:
        _warn(warning)
    if not as_json:
        common.console.print(ngettext("Issued {n} canary.", "Issued {n} canaries.", len(issued)).format(n=len(issued)))


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
    active: bool = typer.Option(False, "--active", help="Hide retired canaries."),
) -> None:
    """List canaries and which fields tell each apart."""
    from tracer import identities

    with common.vault() as vault:
        found = identities.canaries_in(vault, include_retired=not active)
    if as_json:
        common.emit_json([canary_doc(c) for c in found])
        return
    # the id (to `show` or `retire` it), the day and the number are never cut
    columns = [
        ("id", [c.id for c in found], True),
        (_("platform"), [escape(c.platform) for c in found], False),
        (_("issued"), [c.issued_at.date().isoformat() for c in found], True),
        (_("phone"), [c.phone or "" for c in found], True),
        (_("name"), [escape(c.name or "") for c in found], False),
        (_("email"), [c.email or "" for c in found], False),
        (_("signal"), [_("retired") if c.retired_at else (_signal(c.signal) or f"[red]{_('none')}[/]")
                       for c in found], False),  # fmt: skip
    ]
    common.console.print(common.list_table(columns))


@app.command("show")
def show(canary_id: str, as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP)) -> None:
    """Show one canary."""
    from tracer import identities

    with common.vault() as vault:
        canary = identities.show(vault, canary_id)
    if as_json:
        common.emit_json(canary_doc(canary))
    else:
        _print(canary)
        common.console.print("  " + _("signal: {fields}").format(fields=_signal(canary.signal) or _("none")))


@app.command("retire")
def retire(canary_id: str, as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP)) -> None:
    """Retire a canary: kept forever, never reissued."""
    from tracer import identities

    with common.vault() as vault:
        canary = identities.retire(vault, canary_id)
    if as_json:
        common.emit_json(canary_doc(canary))
    else:
        common.console.print(_("Retired {id} ({platform}).").format(id=canary.id, platform=escape(canary.platform)))
