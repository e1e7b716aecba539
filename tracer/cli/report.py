"""`tracer report`, `tracer platforms`, `tracer explain`."""

from __future__ import annotations

import itertools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, TextIO, cast

import typer
from rich.markup import escape

from tracer import i18n, outputs, sanitize
from tracer.cli import choices, common
from tracer.errors import InputError
from tracer.i18n import _

if TYPE_CHECKING:
    from tracer import attribution

UNVERIFIED_HELP = "Use a vault that fails `tracer verify` (every output then says so)."


def report(
    fmt_name: choices.ReportFormat = typer.Option("table", "--format", help="table for the terminal, html for a browser, json or csv for programs."),
    out: Path = typer.Option(None, "--out", help="Write to this file instead of stdout."),
    redact: bool = typer.Option(
        None, "--redact/--no-redact", help="Hide real numbers and name (default: on, off for json)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the --out file if it exists."),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """Attribute every contact and report which platforms' data reached callers."""
    from tracer import reports

    fmt = reports.ReportFormat(fmt_name)
    guard = outputs.Guard(common.home(), (), force)
    if out is not None:
        outputs.check(out, guard)
    with _attribute(unverified) as (result, inputs, failure):  # the rows read the open vault
        hide = redact if redact is not None else fmt != reports.ReportFormat.JSON
        if fmt == reports.ReportFormat.JSON and not hide:
            _stream_json(result, out, guard, failure)
            return
        if fmt == reports.ReportFormat.CSV:
            _stream_csv(result, out, guard, failure, redact=hide, real_name=inputs.real_name)
            return
        doc = result.to_dict()
    text = reports.render(
        doc, fmt, redact=hide, real_name=inputs.real_name, identities=inputs.identities(),
        width=common.console.width if out is None else 100,
    )  # fmt: skip
    if failure is not None:
        text = outputs.stamp(text, fmt.value, failure)
    if out is None:
        common.write_text(text)
        return
    outputs.write(out, text, guard)
    common.note(_("Wrote {format} report to {path}").format(format=fmt.value, path=out.resolve()))


def platforms(
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """List every platform's verdict."""
    from tracer.reports import wording
    from tracer.reports.table import platform_table

    with _attribute(unverified) as (result, _inputs, failure):
        doc = {"platforms": result.to_dict_platforms()}
    if failure is not None:
        common.warn_unverified(failure)
    if as_json:
        common.emit_json(doc["platforms"])
        return
    if failure is not None:
        common.console.print(common.unverified(failure), markup=False)
    width = min(common.console.width, 100)
    common.console.print(platform_table(wording.sort_platforms(doc["platforms"]), width))
    common.console.print(_("Times are {zone}.").format(zone=wording.zone()), markup=False)


def explain(
    contact_id: str,
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
    unverified: bool = typer.Option(False, "--unverified", help=UNVERIFIED_HELP),
) -> None:
    """Show the reasoning behind one contact's attribution."""
    with _attribute(unverified) as (result, _inputs, failure):
        found = next((c for c in result.rows if c["id"] == contact_id), None)
    if found is None:
        raise InputError(_("no contact {contact_id!r}").format(contact_id=contact_id), field="id", hint=_("see `tracer contacts list`"))
    if as_json:
        common.emit_json(found if failure is None else {"unverified": failure, **found})
        return
    if failure is not None:
        common.console.print(common.unverified(failure), markup=False)
    for line in explanation(found):
        common.console.print(line, soft_wrap=True)


def explanation(contact: dict[str, Any]) -> list[str]:
    """`tracer explain` for a person: when (local time), what was said, who, why (rich markup)."""
    from tracer.reports import complaint, wording

    who = escape(contact["platform"]) if contact["platform"] else _(
        "no platform (background, first-party or ambiguous)"
    )
    lines = [
        _("{id} · {channel} · {time}").format(
            id=f"[bold]{contact['id']}[/]", channel=wording.channel_label(contact["channel"]),
            time=wording.stamp(contact["at"]),
        ),  # fmt: skip
        _("from {caller} to {callee}").format(
            caller=escape(contact["from"] or _("an unknown number")), callee=escape(contact["to"] or _("an unknown number"))
        ),
    ]
    said = complaint.summary(contact, limit=200)
    if said:
        lines.append(_("content: {text}").format(text=escape(said)))
    lines.append(_("attributed to: {platform} ({percent} sure)").format(
        platform=f"[bold]{who}[/]", percent=i18n.percent(contact["confidence"])))  # fmt: skip
    for cand in contact["candidates"]:
        lines.append("  " + _("candidate {platform}: {percent}").format(
            platform=escape(cand["platform"]), percent=i18n.percent(cand["p"])))  # fmt: skip
    for ev in contact["evidence"]:
        kind = wording.evidence_kind(ev["kind"])
        lines.append("  • " + _("{kind}: {detail}").format(kind=f"[cyan]{escape(kind)}[/]", detail=escape(str(ev["detail"]))))
    return lines


@contextmanager
def _attribute(unverified: bool) -> Iterator[tuple[attribution.Attribution, attribution.Inputs, str | None]]:
    """The attribution, its inputs, and why the vault failed verification (or None), with the
    vault open: the contacts' texts are read again from it as the rows are written, not held
    through the fit (`attribution.load(..., reread=True)`)."""
    from tracer import attribution, lifecycle  # pandas and the model load only here

    with common.vault() as vault:
        failure = lifecycle.require_verified(vault, unverified=unverified)
        inputs = attribution.load(vault, reread=True)
        yield attribution.attribute(inputs), inputs, failure


def _stream_csv(
    result: attribution.Attribution,
    out: Path | None,
    guard: outputs.Guard,
    failure: str | None,
    *,
    redact: bool,
    real_name: str | None,
) -> None:
    """The CSV report, written a block of contacts at a time, a column at a time
    (`csv_format.column_blocks`)."""
    from tracer.reports import csv_format

    head = outputs.stamp("", "csv", failure) if failure is not None else ""
    texts = csv_format.column_blocks(result.rows, redact=redact, real_name=real_name)
    if out is None:
        for text in itertools.chain([head], texts):
            common.console.file.write(sanitize.terminal(text))
        return
    with outputs.writing(out, guard) as handle:
        handle.write(head)
        for text in texts:
            handle.write(text)
    common.note(_("Wrote {format} report to {path}").format(format="csv", path=out.resolve()))


def _stream_json(
    result: attribution.Attribution, out: Path | None, guard: outputs.Guard, failure: str | None
) -> None:
    """The contract's JSON, written contact by contact (a large vault never sits in memory twice)."""
    if out is None:
        stdout = sanitize.JsonStream(sys.stdout)
        result.write_json(cast(TextIO, stdout if failure is None else outputs.StampedJson(stdout, failure)))
        return
    # a verified report goes to the file as the UTF-8 its lines are made in; the unverified
    # stamp is put into the document's text
    with outputs.writing(out, guard, binary=failure is None) as handle:
        result.write_json(cast(BinaryIO, handle) if failure is None else cast(TextIO, outputs.StampedJson(handle, failure)))
    common.note(_("Wrote {format} report to {path}").format(format="json", path=out.resolve()))
