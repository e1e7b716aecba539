"""`tracer serve`: the local web app (and Twilio webhooks, and the periodic mail fetch)."""

from __future__ import annotations

import os

import typer

from tracer import i18n
from tracer.cli import common
from tracer.errors import InputError
from tracer.i18n import _


def serve(
    port: int = typer.Option(8765, "--port", min=1, max=65535, help="TCP port (binds 127.0.0.1 unless --lan)."),
    lan: bool = typer.Option(False, "--lan", help="Bind the LAN address; print a pairing URL and QR code."),
    twilio: bool = typer.Option(False, "--twilio", help="Accept Twilio voice/SMS webhooks (signed)."),
    public_url: str = typer.Option(None, "--public-url", help="Base URL Twilio calls (a tunnel's)."),
    mail_every: float = typer.Option(
        300.0, "--mail-every", help="Seconds between IMAP fetches when TRACER_IMAP_HOST is set (0: never)."
    ),
) -> None:
    """Serve pages for the phone: log a call or SMS, issue a canary, see the report."""
    from tracer import mailbox
    from tracer.serve import Options, run  # the web stack loads only for this command

    options = Options(
        twilio_token=_twilio_token() if twilio else None,
        public_url=public_url,
        mail=mailbox.Account.from_env() if os.environ.get("TRACER_IMAP_HOST") and mail_every > 0 else None,
        mail_every=mail_every,
        locale=i18n.preferred(common.state.lang),  # else the vault's
    )
    run(common.home(), common.secret(), port=port, lan=lan, options=options)


def _twilio_token() -> str:
    from tracer import credentials
    from tracer.serve.twilio_hooks import AUTH_TOKEN_ENV, AUTH_TOKEN_KEYRING

    token = credentials.lookup(AUTH_TOKEN_ENV, AUTH_TOKEN_KEYRING)
    if not token:
        raise InputError(
            _("not set"), field=AUTH_TOKEN_ENV,
            hint=_("or store it: python -m keyring set {SERVICE} {AUTH_TOKEN_KEYRING}").format(SERVICE=credentials.SERVICE, AUTH_TOKEN_KEYRING=AUTH_TOKEN_KEYRING),
        )  # fmt: skip
    return token
