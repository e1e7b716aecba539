"""Filing: complaint drafts that cite a verified evidence bundle, one platform or all at once.

    filed = file_all(vault, Path("complaints"), lang="zh")   # tracer complaint --all

For every platform whose data reached callers (or may have), `file_all` writes its evidence
bundle, verifies it as a third party would, and drafts one complaint per receiving body for the
reader's language, each citing that bundle and claiming only what it holds (`BundleFacts`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracer import outputs, phones
from tracer.reports import bundle, complaint
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
    from tracer import attribution, identities

    report = attribution.attribute_vault(vault).to_dict()
    flagged = [p for p in report["platforms"] if p["verdict"] in ("leaked", "suspected")]
    if not flagged:
        return []
    guard = outputs.Guard(vault.home, (), force)
    outputs.check_folder(folder, guard)
    given = {c.platform: c.identity for c in reversed(identities.canaries_in(vault))}
    attributed = complaint.by_platform(report)
    filed = []
    for row in flagged:
        name = row["platform"]
        target = folder / f"evidence-{complaint.slug(name)}.zip"
        path = bundle.create(vault, name, target, redact=redact, force=force, unverified=unverified)
        facts = complaint.facts_from_report(
            report, name, identity_given=_identity(given[name], redact), bundle_file=path.name,
            user_name=None if redact else vault.settings.real_name, bundle=bundle_facts(path, name),
            contacts=attributed.get(name, []),
        )  # fmt: skip
        drafts = []
        for authority in complaint.AUTHORITIES[lang]:
            out = folder / f"complaint-{complaint.slug(name)}-{authority.value}-{lang}.md"
            text = complaint.draft(facts, authority, lang, tz=tz)
            drafts.append(outputs.write(out, outputs.stamp(text, "md", unverified) if unverified else text, guard))
        filed.append(Filed(name, row["verdict"], path, tuple(drafts)))
    return filed


def _identity(identity: Any, redact: bool) -> dict[str, str | None]:
    return {
        "phone": phones.redact(identity.phone) if redact and identity.phone else identity.phone,
        "name": identity.name,
        "email": identity.email,
    }
