"""`tracer contacts log|import|list|show|delete`."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.markup import escape
from rich.table import Table

from tracer.cli import choices, common
from tracer.errors import InputError
from tracer.i18n import N_, _
from tracer.models import Channel, ContactRecord

if TYPE_CHECKING:
    from rich.progress import Progress

    from tracer import archives, contacts

app = typer.Typer(help="Calls, SMS and mail you received.", no_args_is_help=True)


@app.command("log")
def log(
    channel: Channel = typer.Option(Channel.CALL, "--channel", help="How it came: a call, an SMS or an email."),
    at: str = typer.Option(
        None, "--at", help="When it arrived: ISO 8601, or a clock time (15:30: the latest 15:30 past); now if left out."
    ),
    to: str = typer.Option(None, "--to", help="Your number or alias that received it."),
    sender: str = typer.Option(None, "--from", help="Caller ID, SMS sender or mail From."),
    heard_name: str = typer.Option(None, "--heard-name", help="What the caller called you."),
    text: str = typer.Option(None, "--text", help="What was said or written."),
    allow_future: bool = typer.Option(False, "--allow-future", help="Accept contacts dated in the future."),
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
) -> None:
    """Log a call you just took ("he asked for Mr Yang, about stocks"); `--at` if not just now."""
    from tracer import contacts, phones, times

    with common.vault() as vault:
        settings = vault.settings
        record = ContactRecord(
            channel=channel,
            at=times.now() if at is None else times.given_lately(at, settings.timezone),
            to=phones.party(to, settings.region, field="to"),
            sender=phones.party(sender, settings.region, field="from"),
            heard_name=heard_name,
            text=text,
        )
        contact, new = contacts.log(vault, record, allow_future=allow_future)
    if as_json:
        common.emit_json({"id": contact.id, "new": new})
    else:
        said = _("Logged {id}.") if new else _("Already known as {id}.")
        common.console.print(said.format(id=contact.id))


@app.command("import")
def import_(
    file: Path = typer.Argument(..., help="A file, a folder of exports or a .zip (Google Takeout)."),
    fmt: choices.ImportFormat = typer.Option("auto", "--format", help="The file's format (auto: told from its content)."),
    to: str = typer.Option(None, "--to", help="Your number or address the file's contacts reached."),
    sim: list[str] = typer.Option([], "--sim", help="Dual-SIM: SUBSCRIPTION_ID=NUMBER (repeat)."),
    mapping: str = typer.Option(None, "--map", help="CSV: our=theirs,… column names."),
    preset: str = typer.Option(None, "--preset", help="CSV preset: twilio or cn-carrier."),
    encoding: str = typer.Option(None, "--encoding", help="Override text encoding detection."),
    year: int = typer.Option(None, "--year", help="The year of a bill whose times have none."),
    skip_bad: Path = typer.Option(None, "--skip-bad", help="Import good rows; write rejects here."),
    force: bool = typer.Option(False, "--force", help="Replace the --skip-bad file if it exists."),
    allow_future: bool = typer.Option(False, "--allow-future", help="Accept contacts dated in the future."),
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
) -> None:
    """Import contacts from a file, all or nothing; re-importing adds nothing twice. A folder or
    .zip imports every file in it, each in its own format and transaction."""
    from tracer import archives, contacts, ingest, phones

    with common.vault() as vault:
        settings = vault.settings
        options = ingest.Options(
            region=settings.region,
            tz=settings.timezone,
            to=phones.party(to, settings.region, field="to"),
            sim_map=_sim_map(sim, settings.region),
            mapping=_mapping(mapping),
            preset=preset,
            encoding=encoding,
            year=year,
        )
        if fmt == ingest.Format.AUTO and ingest.is_tree(file):
            with _files_progress(enabled=not as_json) as on_file:
                found = archives.import_tree(
                    vault, file, options=options, skip_bad=skip_bad, on_file=on_file, force=force,
                    allow_future=allow_future,
                )  # fmt: skip
            _show_tree(found, as_json)
            return
        with _progress(file, enabled=not as_json) as advance:
            result = contacts.import_file(
                vault, file, ingest.Format(fmt), options=options, skip_bad=skip_bad, on_progress=advance, force=force,
                allow_future=allow_future,
            )
    if as_json:
        common.emit_json(_result_doc(result))
        return
    common.say(
        _("{file}: {new} new, {known} already known").format(file=result.file, new=result.new, known=result.known)
        + (_(", {n} rejected (see {log})").format(n=result.rejected, log=skip_bad) if result.rejected else "")
        + (_(", {n} rows without a contact skipped").format(n=result.skipped) if result.skipped else "")
        + f" [{result.format}]"
    )
    _say_empty([result])
    _say_receiver([result])


def _result_doc(result: contacts.ImportResult) -> dict[str, object]:
    return {
        "file": result.file,
        "sha256": result.sha256,
        "format": result.format,
        "new": result.new,
        "known": result.known,
        "rejected": result.rejected,
        "skipped": result.skipped,
        "to_inferred": result.to,
        "batch_id": result.batch_id,
    }


def _show_tree(found: archives.TreeResult, as_json: bool) -> None:
    if as_json:
        common.emit_json({"files": [_result_doc(r) for r in found.results], "unread": found.unread})
        return
    rows = found.results
    common.console.print(
        common.list_table([
            (_("file"), [escape(r.file) for r in rows], False),
            (_("format"), [r.format for r in rows], True),
            (_("new"), [str(r.new) for r in rows], True),
            (_("known"), [str(r.known) for r in rows], True),
            (_("rejected"), [str(r.rejected) for r in rows], True),
            (_("skipped"), [str(r.skipped) for r in rows], True),
        ])
    )  # fmt: skip
    if found.unread:
        common.note(_("{n} files in no format Leak Tracer reads were left alone").format(n=len(found.unread)))
    if any(r.rejected for r in found.results):
        common.note(_("rejected rows are listed in {log}").format(log=found.rejected_log))
    _say_empty(found.results)
    _say_receiver(found.results)


def _say_empty(results: list[contacts.ImportResult]) -> None:
    """Say why a file gave nothing at all: its rows were the user's own calls and messages (a
    bill or backup of sent SMS), which are read and left out without a word."""
    for r in results:
        if not (r.new or r.known or r.rejected or r.skipped):
            common.note(
                _("{file}: nothing received in it; calls you placed and messages you sent are not imported").format(
                    file=r.file
                )
            )


def _say_receiver(results: list[contacts.ImportResult]) -> None:
    """Say when the receiving number came from the vault rather than the file or --to."""
    from tracer import phones

    taken = {r.to for r in results if r.to}
    for number in sorted(taken):
        common.note(
            _("received on {number}, the vault's only number (pass --to to choose)").format(
                number=phones.redact(number)
            )
        )


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
    limit: int = typer.Option(50, "--limit", help="Rows in the table (JSON lists all)."),
) -> None:
    """List imported contacts, newest first."""
    from tracer import contacts, phones, times

    with common.vault() as vault:
        frame = contacts.frame(vault)
    frame = frame.sort_values("at", ascending=False)
    frame = frame.astype(object).where(frame.notna(), None)
    docs = [
        {
            "id": r["id"],
            "channel": r["channel"],
            "at": times.iso(times.from_epoch(r["at"])),
            "to": r["to"],
            "from": r["from"],
            "caller_name": r["caller_name"],
            "heard_name": r["heard_name"],
            "text": r["text"],
            "external_id": r["external_id"],
        }
        for r in frame.to_dict("records")
    ]
    if as_json:
        common.emit_json(docs)
        return
    from tracer.reports import wording

    shown = docs[:limit]
    # (title, cells, whole): the id (to `explain` or `delete` it), channel and time are never cut;
    # a column no shown row fills (caller ID, on most phones) is left out; the text goes first.
    columns = [
        ("id", [d["id"] for d in shown], True),
        (_("channel"), [wording.channel_label(d["channel"]) for d in shown], True),
        (_("at ({zone})").format(zone=wording.zone()), [wording.when(d["at"]) for d in shown], True),
        (_("to"), [escape(phones.redact_party(d["to"]) or "") for d in shown], False),
        (_("from"), [escape(d["from"] or "") for d in shown], False),
        (_("caller ID"), [escape(d["caller_name"] or "") for d in shown], False),
        (_("heard"), [escape(d["heard_name"] or "") for d in shown], False),
        (_("text"), [escape(" ".join((d["text"] or "").split())[:60]) for d in shown], False),
    ]
    common.console.print(common.list_table(columns))
    if len(docs) > limit:
        common.note(_("{n} more (use --limit or --json)").format(n=len(docs) - limit))


@app.command("show")
def show(contact_id: str, as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP)) -> None:
    """Show one contact with its source."""
    from tracer import contacts

    with common.vault() as vault:
        doc = contacts.show(vault, contact_id)
    if as_json:
        common.emit_json(doc)
        return
    from tracer.reports import wording

    shown = {**doc, "channel": wording.channel_label(doc["channel"]), "at": wording.stamp(doc["at"])}
    if doc.get("deleted_at"):
        shown["deleted_at"] = wording.stamp(doc["deleted_at"])
    grid = Table.grid(padding=(0, 2))
    for key, value in shown.items():
        if value not in (None, "", {}):
            grid.add_row(f"[bold]{_(_LABELS[key]) if key in _LABELS else key}[/]", escape(str(value)))
    common.console.print(grid)


# `contacts show` names each field of the contact by its JSON key, in English as written (scripts
# read it) and in the reader's words otherwise (zh_CN: 来电显示 for caller_name).
_LABELS = {
    "channel": N_("channel"), "at": N_("at"), "to": N_("to"), "from": N_("from"),
    "caller_name": N_("caller_name"), "heard_name": N_("heard_name"), "text": N_("text"),
    "duration": N_("duration"), "direction": N_("direction"), "external_id": N_("external_id"),
    "line": N_("line"), "source_sha256": N_("source_sha256"), "headers": N_("headers"),
    "batch_id": N_("batch_id"), "deleted_at": N_("deleted_at"),
}


@app.command("delete")
def delete(contact_id: str, reason: str = typer.Option("", "--reason", help="Why (kept in the ledger).")) -> None:
    """Hide a contact from attribution (recorded in the ledger; the row is kept)."""
    from tracer import contacts

    with common.vault() as vault:
        contacts.delete(vault, contact_id, reason=reason)
    common.console.print(_("Deleted {id} (kept in the ledger).").format(id=contact_id))


def _sim_map(pairs: list[str], region: str) -> dict[str, str]:
    from tracer import phones

    out = {}
    for pair in pairs:
        sub, _sep, number = pair.partition("=")
        if not number:
            raise InputError(_("use SUBSCRIPTION_ID=NUMBER"), field="sim")
        out[sub.strip()] = phones.party(number, region, field="sim") or ""
    return out


def _mapping(raw: str | None) -> dict[str, str]:
    if not raw:
        return {}
    out = {}
    for part in raw.split(","):
        ours, _sep, theirs = part.partition("=")
        if not theirs:
            raise InputError(_("'{part}' is not our=theirs").format(part=part), field="map")
        out[ours.strip()] = theirs.strip()
    return out


class _files_progress:
    """A file-count progress bar for a folder or archive import, on a terminal."""

    def __init__(self, *, enabled: bool) -> None:
        self.enabled = enabled and common.err_console.is_terminal
        self.bar: Progress | None = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if not self.enabled:
            return None
        from rich.progress import BarColumn, MofNCompleteColumn, Progress

        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            MofNCompleteColumn(),
            console=common.err_console,
            transient=True,
        )
        self.bar.start()
        task = self.bar.add_task("files", total=None)
        bar = self.bar

        def advance(name: str, done: int, total: int) -> None:
            bar.update(task, description=name[-40:], completed=done, total=total)

        return advance

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()


class _progress:
    """A byte progress bar on a terminal; silent elsewhere."""

    def __init__(self, file: Path, *, enabled: bool) -> None:
        self.file, self.enabled = file, enabled and common.err_console.is_terminal
        self.bar: Progress | None = None

    def __enter__(self):  # type: ignore[no-untyped-def]
        if not self.enabled or not self.file.exists():
            return None
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        self.bar = Progress(
            "[progress.description]{task.description}",
            BarColumn(),
            DownloadColumn(),
            TimeRemainingColumn(),
            console=common.err_console,
            transient=True,
        )
        self.bar.start()
        from tracer import ingest

        task = self.bar.add_task(self.file.name, total=ingest.total_bytes(self.file))
        bar = self.bar
        return lambda done: bar.update(task, completed=done)

    def __exit__(self, *exc: object) -> None:
        if self.bar:
            self.bar.stop()
