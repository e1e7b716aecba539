"""`tracer init`, `tracer passphrase change`, `tracer verify`."""

from __future__ import annotations

import os

import typer

from tracer.cli import common
from tracer.errors import VaultError
from tracer.i18n import _

passphrase_app = typer.Typer(help="Change the vault passphrase.", no_args_is_help=True)


def init(
    phone: str = typer.Option(None, "--phone", help="Your primary (real) number."),
    name: str = typer.Option(None, "--name", help="Your real name (a Faker name when omitted)."),
    email: str = typer.Option(None, "--email", help="Your mailbox (used for plus-addressing)."),
    locale: str = typer.Option("zh_CN", "--locale", help="zh_CN or en_US: how canary names look."),
    region: str = typer.Option(
        None, "--region", help="Default region for numbers without +code (else your --phone's country, else the locale's)."
    ),
    timezone: str = typer.Option(None, "--timezone", help="IANA zone for times without offset."),
    email_domain: str = typer.Option(None, "--email-domain", help="A catch-all domain you own."),
    as_json: bool = typer.Option(False, "--json", help="Print the vault summary as JSON."),
    allow_unusual: bool = typer.Option(
        False, "--allow-unusual", help="Accept a number outside assigned ranges (test numbers)."
    ),
    weak_passphrase: bool = typer.Option(
        False, "--weak-passphrase", help="Accept a passphrase the strength estimator calls weak."
    ),
) -> None:
    """Create a new encrypted vault."""
    from tracer import i18n, lifecycle, passphrases

    i18n.activate(i18n.choose(common.state.lang, locale))  # the new vault's language from the prompt on
    secret = common.passphrase(confirm=True)
    if not weak_passphrase:
        passphrases.require_strong(secret)
    vault = lifecycle.init(
        common.home(),
        secret,
        name=name,
        phone=phone,
        email=email,
        locale=locale,
        region=region,
        timezone=timezone,
        email_domain=email_domain,
        allow_unusual=allow_unusual,
    )
    with vault:
        settings = vault.settings
        summary = {
            "home": str(vault.home),
            "locale": settings.locale,
            "region": settings.region,
            "timezone": settings.timezone,
            "email_strategy": "catch-all"
            if settings.email_domain
            else ("plus-addressing" if settings.email else "none"),
        }
    if as_json:
        common.emit_json(summary)
        return
    common.say(
        _("Vault created at {home} ({locale}, region {region}, {timezone}).").format(
            home=summary["home"], locale=settings.locale, region=settings.region, timezone=settings.timezone
        )
    )
    if summary["email_strategy"] == "plus-addressing":
        common.warn(_("no --email-domain: aliases use +tags on your mailbox, which spammers can strip."))
    common.console.print(
        _("Next: `tracer numbers add NUMBER` for each spare number, then "
          "`tracer canary new --platform NAME` at each signup.")
    )


@passphrase_app.command("change")
def change(
    weak_passphrase: bool = typer.Option(
        False, "--weak-passphrase", help="Accept a passphrase the strength estimator calls weak."
    ),
) -> None:
    """Re-seal the vault's keys under a new passphrase (TRACER_NEW_PASSPHRASE or a prompt)."""
    from tracer import agent, passphrases
    from tracer.vault import Vault

    with common.vault() as vault:
        new = os.environ.get("TRACER_NEW_PASSPHRASE")
        if new is None:
            if not os.isatty(0):
                raise VaultError(_("no new passphrase"), hint=_("set TRACER_NEW_PASSPHRASE"))
            new = common.ask_secret(_("New passphrase"), confirm=True)
        if not weak_passphrase:
            passphrases.require_strong(new)
        vault.change_passphrase(new)
    Vault.open(common.home(), new).close()
    agent.lock(common.home())  # a key kept by `tracer unlock` opened the old passphrase's seal
    common.console.print(_("Passphrase changed."))


def verify(
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
    since_checkpoint: bool = typer.Option(
        False,
        "--since-checkpoint",
        help="Verify again only what changed since the last successful verification (as reports do).",
    ),
) -> None:
    """Check every ledger entry, signature and canary row. Exit 3 names the first bad entry."""
    from tracer import lifecycle

    with common.vault() as vault:
        result = lifecycle.verify(vault, full=not since_checkpoint)
    if as_json:
        common.emit_json(
            {
                "ok": True,
                "entries": result.entries,
                "canaries": result.canaries,
                "head": result.head,
                "resumed_from": result.resumed_from,
            }
        )
        return
    common.console.print(
        _("OK: {entries} ledger entries, {canaries} canaries, head {head}…").format(
            entries=result.entries, canaries=result.canaries, head=result.head[:16]
        )
    )
    if result.resumed_from:
        common.console.print(
            _("Went on from the checkpoint at entry {seq}: the rows up to it were hashed and matched, not verified again.").format(
                seq=result.resumed_from
            )
        )
