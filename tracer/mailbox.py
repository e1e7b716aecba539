"""IMAP for the canary alias mailbox: new mail in, imported like an mbox file, then marked.

`fetch(vault, account)` logs in over TLS (imap-tools), takes the folder's unseen messages, writes
them as one mboxrd file in a private RAM-backed temp folder, and imports that through the mail
importer (`contacts.import_file`, one transaction, one ledger entry). Only after the import has
committed are the messages marked seen (or moved to `move_to`): a failure leaves them unseen for the
next run, and a message imported twice adds nothing (the dedupe key; its Message-ID is the
external id). A message the importer rejects (no Date, say) stays unseen and is counted.

Credentials come from the environment or the OS keyring (`tracer.credentials`), never a file.
"""

from __future__ import annotations

import imaplib
import os
import re
import ssl
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from imap_tools import AND, MailBox, MailboxLoginError, MailMessage, MailMessageFlags

from tracer import contacts, credentials, ingest
from tracer.errors import InputError, TracerError
from tracer.i18n import _
from tracer.vault import Vault

PASSWORD_KEYRING = "imap-password"
LIMIT = 1000  # messages per run: a first fetch of a full mailbox goes in bounded steps
TIMEOUT = 60.0  # seconds for the connection and each command
_FROM_LINE = re.compile(rb"^(>*From )", re.M)
_REJECT_LINE = re.compile(r"^[^:]*:(\d+): ")


@dataclass(frozen=True)
class Account:
    """Where the alias mailbox is. `password` never appears in repr or messages."""

    host: str
    user: str
    password: str = field(repr=False)
    port: int = 993
    folder: str = "INBOX"
    move_to: str | None = None  # else mark imported messages seen
    cafile: str | None = None  # trust this CA too (a self-hosted server's own certificate)

    @classmethod
    def from_env(cls, **overrides: str | int | None) -> Account:
        """TRACER_IMAP_HOST/PORT/USER/FOLDER/MOVE_TO/CAFILE, password from TRACER_IMAP_PASSWORD or
        the keyring; non-None `overrides` win. InputError naming the missing setting."""
        given = {k: v for k, v in overrides.items() if v is not None}
        env = {
            key: os.environ.get(f"TRACER_IMAP_{key.upper()}") or None
            for key in ("host", "port", "user", "folder", "move_to", "cafile")
        }
        values = {k: v for k, v in env.items() if v is not None} | given
        for required in ("host", "user"):
            if not values.get(required):
                raise InputError(_("not set"), field=f"TRACER_IMAP_{required.upper()}")
        password = credentials.lookup("TRACER_IMAP_PASSWORD", PASSWORD_KEYRING)
        if not password:
            raise InputError(
                _("not set"), field="TRACER_IMAP_PASSWORD",
                hint=_("or store it: python -m keyring set {SERVICE} {PASSWORD_KEYRING}").format(SERVICE=credentials.SERVICE, PASSWORD_KEYRING=PASSWORD_KEYRING),
            )  # fmt: skip
        port = _port(values.pop("port", 993))
        return cls(password=password, port=port, **{k: str(v) for k, v in values.items()})


@dataclass(frozen=True)
class Fetched:
    """One run: messages taken from the server, new and known contacts, messages left unseen."""

    messages: int
    new: int
    known: int
    rejected: int
    batch_id: str | None


Importer = Callable[[Path, Path], contacts.ImportResult]  # (mbox file, rejects file) -> result


def fetch(vault: Vault, account: Account, *, include_seen: bool = False, limit: int = LIMIT) -> Fetched:
    """Import the folder's unseen (or all) messages; mark or move them once stored."""
    return collect(account, partial(import_mbox, vault), include_seen=include_seen, limit=limit)


def collect(account: Account, importer: Importer, *, include_seen: bool = False, limit: int = LIMIT) -> Fetched:
    """`fetch` with the vault step given as `importer` (the web app runs it on its vault thread
    while the IMAP conversation runs elsewhere)."""
    with _session(account) as box:
        criteria = AND(all=True) if include_seen else AND(seen=False)
        messages = list(box.fetch(criteria, mark_seen=False, bulk=True, limit=limit))
        if not messages:
            return Fetched(0, 0, 0, 0, None)
        with _spool() as folder:
            mbox, starts = _write_mbox(folder / f"imap-{_safe(account.folder)}.mbox", messages)
            rejects = folder / "rejected.txt"
            result = importer(mbox, rejects)
            bad = _rejected_lines(rejects)
        done = [uid for uid, line in starts if line not in bad]
        _settle(box, done, account.move_to)
    return Fetched(len(messages), result.new, result.known, result.rejected, result.batch_id)


def import_mbox(vault: Vault, mbox: Path, rejects: Path) -> contacts.ImportResult:
    """The spooled mailbox through the mail importer: one transaction; unreadable mail to `rejects`."""
    options = ingest.Options(region=vault.settings.region, tz=vault.settings.timezone)
    return contacts.import_file(vault, mbox, ingest.Format.MBOX, options=options, skip_bad=rejects)


@contextmanager
def _session(account: Account) -> Iterator[MailBox]:
    context = ssl.create_default_context(cafile=account.cafile)
    try:
        box = MailBox(account.host, account.port, timeout=TIMEOUT, ssl_context=context)
        with box.login(account.user, account.password, initial_folder=account.folder):
            yield box
    except MailboxLoginError:
        raise TracerError(_("IMAP login to {host} refused for {user}").format(host=account.host, user=account.user)) from None
    except ssl.SSLError as exc:
        raise TracerError(_("IMAP TLS with {host} failed: {value}").format(host=account.host, value=exc.reason or 'handshake')) from None
    except (TimeoutError, OSError, imaplib.IMAP4.error) as exc:
        raise TracerError(_("IMAP with {host}:{port} failed: {name}").format(host=account.host, port=account.port, name=type(exc).__name__)) from None


@contextmanager
def _spool() -> Iterator[Path]:
    """A private temp folder, in RAM where Linux offers /dev/shm: mail never rests on disk."""
    base = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    with tempfile.TemporaryDirectory(prefix="tracer-imap-", dir=base) as name:
        yield Path(name)


def _write_mbox(path: Path, messages: list[MailMessage]) -> tuple[Path, list[tuple[str, int]]]:
    """mboxrd (every `>*From ` body line gets one more `>`); (uid, From-line number) per message."""
    starts: list[tuple[str, int]] = []
    line = 1
    with path.open("wb") as out:
        for message in messages:
            body = message.obj.as_bytes().replace(b"\r\n", b"\n")
            body = _FROM_LINE.sub(rb">\1", body).rstrip(b"\n") + b"\n\n"
            out.write(b"From MAILER-DAEMON Thu Jan  1 00:00:00 1970\n" + body)
            starts.append((message.uid or "", line))
            line += 1 + body.count(b"\n")
    return path, starts


def _rejected_lines(rejects: Path) -> set[int]:
    if not rejects.exists():
        return set()
    found = (_REJECT_LINE.match(text) for text in rejects.read_text(encoding="utf-8").splitlines())
    return {int(m.group(1)) for m in found if m}


def _settle(box: MailBox, uids: list[str], move_to: str | None) -> None:
    if not uids:
        return
    if move_to:
        if not box.folder.exists(move_to):
            box.folder.create(move_to)
        box.move(uids, move_to)
    else:
        box.flag(uids, MailMessageFlags.SEEN, True)


def _port(raw: str | int) -> int:
    try:
        return int(raw)
    except ValueError:
        raise InputError(_("not a port number"), field="TRACER_IMAP_PORT") from None


def _safe(folder: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "_", folder)[:40] or "mail"
