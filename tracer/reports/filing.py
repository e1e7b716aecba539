"""Filing: evidence bundles with their rendered report, and complaint drafts that cite them.

    bundle_platform(vault, "StockPro", Path("evidence-stockpro.zip"))   # tracer evidence
    filed = file_all(vault, Path("complaints"), lang="zh")               # tracer complaint --all

For every platform whose data reached callers (or may have), `file_all` writes its evidence
bundle, verifies it as a third party would, and drafts one complaint per receiving body for the
reader's language, each citing that bundle and claiming only what it holds (`BundleFacts`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracer import attribution, identities, outputs, phones
from tracer.errors import InputError
from tracer.evidence import bundle
from tracer.i18n import _
from tracer.reports import complaint
from tracer.reports.formats import ReportFormat, render
from tracer.reports.redaction import REAL_NAME_TAG
from tracer.vault import Vault


@dataclass(frozen=True)
class Filed:
    platform: str
    verdict: str
    bundle: Path
    drafts: tuple[Path, ...]


def bundle_facts(path: Path, platform: str, *, trusted_tsa: list[bytes] | None = None) -> complaint.BundleFacts:
    """Verify the bundle at `path` (IntegrityError, exit 3, if it does not hold; InputError if it
    is about another platform) and say what it proves."""
    checked = bundle.check_attachment(path, platform, trusted_tsa=trusted_tsa)
    return complaint.BundleFacts(path.name, checked.entries, checked.disclosed, checked.anchors)


def file_all(
    vault: Vault,
    folder: Path,
    *,
    lang: str,
    redact: bool = False,
    tz: str | None = None,
    force: bool = False,
    unverified: str | None = None,
) -> list[Filed]:
    """Bundle, verify and draft every complaint for each flagged platform into `folder`.

    Nothing is written into the vault's folder or over an existing file unless `force`;
    `unverified` (why the vault failed verification) is stated on every bundle and draft."""
    report = attribution.attribute_vault(vault).to_dict()
    flagged = [p for p in report["platforms"] if p["verdict"] in ("leaked", "suspected")]
    if not flagged:
        return []
    guard = outputs.Guard(vault.home, (), force)
    outputs.check_folder(folder, guard)
    canaries = identities.canaries_in(vault)
    given = {c.platform: c.identity for c in reversed(canaries)}
    only = _given_only(vault, canaries)
    attributed = complaint.by_platform(report)
    filed = []
    for row in flagged:
        name = row["platform"]
        target = folder / f"evidence-{complaint.slug(name)}.zip"
        path = bundle_platform(
            vault, name, target, redact=redact, force=force, unverified=unverified, report=report
        )  # one attribution serves every platform's bundle
        facts = complaint.facts_from_report(
            report, name, identity_given=_identity(given[name], redact), bundle_file=path.name,
            user_name=None if redact else vault.settings.real_name, bundle=bundle_facts(path, name),
            contacts=attributed.get(name, []), only=only.get(name, frozenset()),
        )  # fmt: skip
        drafts = []
        for authority in complaint.AUTHORITIES[lang]:
            out = folder / f"complaint-{complaint.slug(name)}-{authority.value}-{lang}.md"
            text = complaint.draft(facts, authority, lang, tz=tz)
            drafts.append(outputs.write(out, outputs.stamp(text, "md", unverified) if unverified else text, guard))
        filed.append(Filed(name, row["verdict"], path, tuple(drafts)))
    return filed


def bundle_platform(
    vault: Vault,
    platform: str,
    out: Path,
    *,
    redact: bool = True,
    force: bool = False,
    unverified: str | None = None,
    report: dict[str, Any] | None = None,
) -> Path:
    """Attribute (unless `report`, the vault's attribution as `to_dict()`, is given), then bundle
    what proves that data given to `platform` reached callers.

    With `redact` (the default) the user's own numbers and real name are masked in
    attribution.json and the summaries; callers' numbers stay, they are the evidence. The disclosed
    ledger entries keep the identity given to `platform`: that identity is what they prove.
    `out` is written through `outputs` (never into the vault, never over a file unless `force`);
    `unverified`: why the vault failed verification, stated in the manifest and both summaries.
    """
    guard = outputs.Guard(vault.home, (), force)
    outputs.check(out, guard)
    report = report if report is not None else attribution.attribute_vault(vault).to_dict()
    doc = bundle.platform_report(report, platform)
    if redact:
        doc = _mask_own(doc, vault.settings.real_name)
    html = render(
        {
            **report,
            "platforms": [doc["platform"]],
            "contacts": doc["contacts"],
            "campaigns": [g for g in report["campaigns"] if platform in g["platforms"]],
        },
        ReportFormat.HTML,
        redact=True,
        real_name=vault.settings.real_name,
    )
    summary = bundle.summarize(doc, platform)
    if unverified is not None:
        summary, html = outputs.stamp(summary, "md", unverified), outputs.stamp(html, "html", unverified)
    return bundle.build(vault.ledger, platform, doc, summary, html, out, guard=guard, unverified=unverified)


def _mask_own(doc: dict[str, Any], real_name: str) -> dict[str, Any]:
    """The user's receiving numbers and real name masked; everything else kept."""
    contacts = []
    for contact in doc["contacts"]:
        contacts.append({**contact, "to": phones.redact_party(contact.get("to"))})
    text = json.dumps({**doc, "contacts": contacts}, ensure_ascii=False)
    if real_name:
        text = text.replace(real_name, REAL_NAME_TAG)
    return json.loads(text)  # type: ignore[no-any-return]


def complaint_facts(vault: Vault, platform: str, *, bundle_file: str, redact: bool = False) -> Any:
    """The facts a complaint about `platform` states: its canary, what arrived, how sure we are."""
    canaries = identities.canaries_in(vault)
    given = [c for c in canaries if c.platform == platform]
    if not given:
        raise InputError(_("no canary was issued to {platform!r}").format(platform=platform), field="platform")
    ident = given[0].identity
    report = attribution.attribute_vault(vault).to_dict()
    identity = _identity(ident, redact)
    return complaint.facts_from_report(
        report,
        platform,
        identity_given=identity,
        bundle_file=bundle_file,
        user_name=None if redact else vault.settings.real_name,
        only=_given_only(vault, canaries).get(platform, frozenset()),
    )


def _given_only(vault: Vault, canaries: list[Any]) -> dict[str, frozenset[str]]:
    """Platform -> the identity fields it alone was given (`complaint.given_only`), the user's own
    number, name and address never among them."""
    settings = vault.settings
    pairs = ((c.platform, _identity(c.identity, redact=False)) for c in canaries)
    return complaint.given_only(pairs, own=(settings.phone, settings.real_name, settings.email))


def _identity(identity: Any, redact: bool) -> dict[str, str | None]:
    return {
        "phone": phones.redact(identity.phone) if redact and identity.phone else identity.phone,
        "name": identity.name,
        "email": identity.email,
    }
