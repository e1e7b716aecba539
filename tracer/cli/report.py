"""`tracer report`, `tracer platforms`, `tracer explain`."""

from __future__ import annotations

import sys
from pathlib import Path

import typer
from rich.table import Table

from tracer import attribution, reports
from tracer.cli import common
from tracer.errors import InputError


def report(
    fmt: reports.ReportFormat = typer.Option(reports.ReportFormat.TABLE, "--format"),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
    redact: bool = typer.Option(
        None, "--redact/--no-redact", help="Hide real numbers and name (default: on, off for json)."
    ),
) -> None:
    """Attribute every contact and report which platforms' data reached callers."""
    result, real_name = _attribute()
    hide = redact if redact is not None else fmt != reports.ReportFormat.JSON
    if fmt == reports.ReportFormat.JSON and not hide:
        _stream_json(result, out)
        return
    doc = result.to_dict()
    text = reports.render(
        doc, fmt, redact=hide, real_name=real_name, width=common.console.width if out is None else 100
    )
    if out is None:
        common.console.file.write(text if text.endswith("\n") else text + "\n")
        return
    out.write_text(text, encoding="utf-8")
    common.note(f"Wrote {fmt.value} report to {out.resolve()}")


def platforms(as_json: bool = typer.Option(False, "--json")) -> None:
    """List every platform's verdict."""
    result, _ = _attribute()
    doc = {"platforms": result.to_dict_platforms()}
    if as_json:
        common.emit_json(doc["platforms"])
        return
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


def explain(contact_id: str, as_json: bool = typer.Option(False, "--json")) -> None:
    """Show the reasoning behind one contact's attribution."""
    result, _ = _attribute()
    found = next((c for c in result.rows if c["id"] == contact_id), None)
    if found is None:
        raise InputError(f"no contact {contact_id!r}", field="id", hint="see `tracer contacts list`")
    if as_json:
        common.emit_json(found)
        return
    who = found["platform"] or "no platform (background, first-party or ambiguous)"
    common.console.print(f"[bold]{found['id']}[/] {found['channel']} at {found['at']}")
    common.console.print(f"attributed to: [bold]{who}[/] (confidence {found['confidence']:.2f})")
    for cand in found["candidates"]:
        common.console.print(f"  candidate {cand['platform']}: p = {cand['p']:.3f}")
    for ev in found["evidence"]:
        common.console.print(f"  • [cyan]{ev['kind']}[/]: {ev['detail']}")


def _attribute() -> tuple[attribution.Report, str]:
    with common.vault() as vault:
        inputs = attribution.load(vault)
        real_name = vault.settings.real_name
    return attribution.attribute(inputs), real_name


def _stream_json(result: attribution.Report, out: Path | None) -> None:
    """The contract's JSON, written contact by contact (a large vault never sits in memory twice)."""
    if out is None:
        result.write_json(sys.stdout)
        return
    with out.open("w", encoding="utf-8") as handle:
        result.write_json(handle)
    common.note(f"Wrote json report to {out.resolve()}")
