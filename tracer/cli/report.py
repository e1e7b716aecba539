"""`tracer report`, `tracer platforms`, `tracer explain`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO, cast

import typer
from rich.table import Table

from tracer import attribution, lifecycle, outputs, reports, sanitize
from tracer.cli import common
from tracer.errors import InputError

UNVERIFIED_HELP = "Use a vault that fails `tracer verify` (every output then says so)."


def report(
    fmt: reports.ReportFormat = typer.Option(reports.ReportFormat.TABLE, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
    redact: bool = typer.Option(
        None, "--redact/--no-redact", help="Hide real numbers and name (default: on, off for json)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the --out file if it exists."),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """Attribute every contact and report which platforms' data reached callers."""
    guard = outputs.Guard(common.home(), (), force)
    if out is not None:
        outputs.check(out, guard)
    result, real_name, failure = _attribute(unverified)
    hide = redact if redact is not None else fmt != reports.ReportFormat.JSON
    if fmt == reports.ReportFormat.JSON and not hide:
        _stream_json(result, out, guard, failure)
        return
    doc = result.to_dict()
    text = reports.render(
        doc, fmt, redact=hide, real_name=real_name, width=common.console.width if out is None else 100
    )
    if failure is not None:
        text = outputs.stamp(text, fmt.value, failure)
    if out is None:
        common.write_text(text)
        return
    outputs.write(out, text, guard)
    common.note(f"Wrote {fmt.value} report to {out.resolve()}")


def platforms(
    as_json: bool = typer.Option(False, "--json"),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """List every platform's verdict."""
    result, _, failure = _attribute(unverified)
    doc = {"platforms": result.to_dict_platforms()}
    if failure is not None:
        common.warn(outputs.UNVERIFIED.format(reason=failure))
    if as_json:
        common.emit_json(doc["platforms"])
        return
    if failure is not None:
        common.console.print(outputs.UNVERIFIED.format(reason=failure), markup=False)
    table = Table("platform", "verdict", "confidence", "contacts", "first contact", "linked")
    for p in doc["platforms"]:
        style = {"leaked": "red", "suspected": "yellow"}.get(p["verdict"], "green")
        table.add_row(
            p["platform"],
            f"[{style}]{p['verdict']}[/]",
            f"{p['confidence']:.2f}",
            str(p["contacts"]),
            (p["first_contact_at"] or "")[:10],
            ", ".join(p["linked_platforms"]),
        )
    common.console.print(table)


def explain(
    contact_id: str,
    as_json: bool = typer.Option(False, "--json"),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """Show the reasoning behind one contact's attribution."""
    result, _, failure = _attribute(unverified)
    found = next((c for c in result.rows if c["id"] == contact_id), None)
    if found is None:
        raise InputError(f"no contact {contact_id!r}", field="id", hint="see `tracer contacts list`")
    if as_json:
        common.emit_json(found if failure is None else {"unverified": failure, **found})
        return
    if failure is not None:
        common.console.print(outputs.UNVERIFIED.format(reason=failure), markup=False)
    who = found["platform"] or "no platform (background, first-party or ambiguous)"
    common.console.print(f"[bold]{found['id']}[/] {found['channel']} at {found['at']}")
    common.console.print(f"attributed to: [bold]{who}[/] (confidence {found['confidence']:.2f})")
    for cand in found["candidates"]:
        common.console.print(f"  candidate {cand['platform']}: p = {cand['p']:.3f}")
    for ev in found["evidence"]:
        common.console.print(f"  • [cyan]{ev['kind']}[/]: {ev['detail']}")


def _attribute(unverified: bool) -> tuple[attribution.Report, str, str | None]:
    """The attribution, the user's real name, and why the vault failed verification (or None)."""
    with common.vault() as vault:
        failure = lifecycle.require_verified(vault, unverified=unverified)
        inputs = attribution.load(vault)
        real_name = vault.settings.real_name
    return attribution.attribute(inputs), real_name, failure


def _stream_json(
    result: attribution.Report, out: Path | None, guard: outputs.Guard, failure: str | None
) -> None:
    """The contract's JSON, written contact by contact (a large vault never sits in memory twice)."""
    if out is None:
        stdout = sanitize.JsonStream(sys.stdout)
        result.write_json(cast(TextIO, stdout if failure is None else outputs.StampedJson(stdout, failure)))
        return
    with outputs.writing(out, guard) as handle:
        result.write_json(cast(TextIO, handle if failure is None else outputs.StampedJson(handle, failure)))
    common.note(f"Wrote json report to {out.resolve()}")
