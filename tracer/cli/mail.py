"""`tracer mail fetch`: new mail of the canary alias mailbox, over IMAP, into the vault."""

from __future__ import annotations

import typer

from tracer.cli import common
from tracer.i18n import _

app = typer.Typer(help="The canary alias mailbox (IMAP).", no_args_is_help=True)


@app.command("fetch")
def fetch(
    host: str = typer.Option(None, "--host", help="IMAP server (else $TRACER_IMAP_HOST)."),
    port: int = typer.Option(None, "--port", help="IMAPS port (else $TRACER_IMAP_PORT, else 993)."),
    user: str = typer.Option(None, "--user", help="Login (else $TRACER_IMAP_USER)."),
    folder: str = typer.Option(None, "--folder", help="Folder to read (else INBOX)."),
    move_to: str = typer.Option(None, "--move-to", help="Move imported mail here instead of marking it seen."),
    cafile: str = typer.Option(None, "--cafile", help="Also trust this CA certificate (a self-hosted server)."),
    include_seen: bool = typer.Option(False, "--all", help="Also messages already marked seen."),
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
) -> None:
    """Import the mailbox's new messages (password from $TRACER_IMAP_PASSWORD or the keyring)."""
    from tracer import mailbox  # imap-tools loads only for this command

    account = mailbox.Account.from_env(
        host=host, port=port, user=user, folder=folder, move_to=move_to, cafile=cafile
    )
    with common.vault() as vault:
        got = mailbox.fetch(vault, account, include_seen=include_seen)
    doc = {"messages": got.messages, "new": got.new, "known": got.known, "rejected": got.rejected,
           "batch_id": got.batch_id}  # fmt: skip
    if as_json:
        common.emit_json(doc)
        return
    common.say(
        _("{folder}: {messages} messages, {new} new, {known} already known").format(
            folder=account.folder, messages=got.messages, new=got.new, known=got.known)
        + (_(", {n} left unseen (unreadable)").format(n=got.rejected) if got.rejected else "")
    )
