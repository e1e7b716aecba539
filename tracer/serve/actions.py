"""What the web app does with the vault, as plain functions of an open `Vault`.

Each write is the library call the CLI makes (`contacts.log`, `identities.issue`): one
transaction and one ledger entry. Reads reuse attribution and the HTML report renderer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from tracer import attribution, contacts, identities, phones, pool, reports, times
from tracer.errors import InputError
from tracer.i18n import _
from tracer.models import Canary, Channel, Contact, ContactRecord
from tracer.vault import Vault


@dataclass(frozen=True)
class LogForm:
    """The "log a call or SMS" form as the browser sent it (all text, maybe blank)."""

    channel: str = "call"
    to: str = ""
    sender: str = ""
    heard_name: str = ""
    text: str = ""
    at: str = ""


def log_contact(vault: Vault, form: LogForm) -> tuple[Contact, bool]:
    """Store the form as one contact (InputError naming the bad field)."""
    settings = vault.settings
    try:
        channel = Channel(form.channel)
    except ValueError:
        raise InputError(_("must be call or sms"), field="channel") from None
    record = ContactRecord(
        channel=channel,
        at=_when(form.at, settings.timezone),
        to=phones.party(form.to, settings.region, field="to"),
        sender=phones.party(form.sender, settings.region, field="from"),
        heard_name=form.heard_name.strip() or None,
        text=form.text.strip() or None,
    )
    return contacts.log(vault, record)


def issue_canary(vault: Vault, platform: str, category: str = "", real_name: bool = False) -> Canary:
    """A fresh identity for one signup now."""
    if not platform.strip():
        raise InputError(_("give the platform's name"), field="platform")
    request = identities.Request(platform.strip(), category.strip() or None, None, real_name)
    return identities.issue(vault, request)


def my_numbers(vault: Vault) -> list[str]:
    """The user's active numbers, primary first (the "which of my numbers" choices)."""
    active = pool.numbers(vault, include_retired=False)
    return [n.e164 for n in sorted(active, key=lambda n: (not n.primary, n.control, n.e164))]


def report_html(vault: Vault, lang: str | None = None) -> str:
    """The live HTML report (redacted, as `tracer report --format html` writes it), in `lang`
    (default the vault's) and the vault's timezone."""
    inputs = attribution.load(vault)
    return reports.render(
        attribution.attribute(inputs).to_dict(), reports.ReportFormat.HTML, real_name=inputs.real_name,
        identities=inputs.identities(), lang=lang or vault.settings.locale, tz=vault.settings.timezone,
        back_to="/",  # a phone has no back button: the page leads back to the desk
    )  # fmt: skip


def recent_contacts(vault: Vault, limit: int = 50) -> list[dict[str, Any]]:
    """The newest contacts with their attributed platform, newest first."""
    rows = list(attribution.attribute_vault(vault).rows)
    rows.sort(key=lambda row: row["at"], reverse=True)
    return rows[:limit]


def explanation(vault: Vault, contact_id: str) -> dict[str, Any]:
    """One contact's report row (candidates and evidence), InputError when unknown."""
    found = next((r for r in attribution.attribute_vault(vault).rows if r["id"] == contact_id), None)
    if found is None:
        raise InputError(_("no contact {contact_id!r}").format(contact_id=contact_id), field="id")
    return dict(found)


def _when(raw: str, tz: str) -> Any:
    """The form's time, or now when left blank (the form says so)."""
    return times.given(raw, tz) if raw.strip() else times.now().replace(microsecond=0)
