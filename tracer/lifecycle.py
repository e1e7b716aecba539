"""Creating a vault and checking it: `init` and `verify`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracer import identifiers, integrity, pool, times
from tracer.errors import InputError, IntegrityError
from tracer.i18n import _
from tracer.vault import Settings, Vault

LOCALES = ("zh_CN", "en_US")


def init(
    home: Path,
    passphrase: str,
    *,
    name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    locale: str = "zh_CN",
    region: str = "CN",
    timezone: str | None = None,
    email_domain: str | None = None,
    allow_unusual: bool = False,
) -> Vault:
    """Create a vault at `home`. The primary number (if any) joins the pool, marked primary.

    Every identifier is checked first (`identifiers`): a real region, a valid number (unless
    `allow_unusual`), a parseable address and domain, a bounded name."""
    if locale not in LOCALES:
        raise InputError(_("unsupported locale {locale!r} (use {LOCALES})").format(locale=locale, LOCALES=' or '.join(LOCALES)), field="locale")
    tz = timezone or times.system_zone()
    try:
        times.zone(tz)
    except ValueError:
        raise InputError(_("unknown timezone {name!r}").format(name=tz), field="timezone") from None
    region = identifiers.region(region)
    e164 = identifiers.owned_number(phone, region, allow_unusual=allow_unusual, field="phone") if phone else None
    real_name = identifiers.name(name, field="name") if name is not None else _fake_name(locale)
    settings = Settings(
        real_name,
        e164,
        identifiers.email(email) if email is not None else None,
        locale,
        region,
        tz,
        identifiers.domain(email_domain) if email_domain is not None else None,
    )
    vault = Vault.create(home, passphrase, settings)
    created = {
        "public_key": vault.keys.public_bytes().hex(),
        "locale": locale,
        "region": settings.region,
        "commitments": integrity.COMMITMENTS,
    }
    with vault.transaction():  # the vault and its primary number, all or nothing
        with vault.record("vault.created", created):
            integrity.mark_committed(vault)
        if e164:
            pool.add(vault, e164, label="primary", primary=True, allow_unusual=True)
    return vault


def open_vault(home: Path, passphrase: str) -> Vault:
    """Open the vault at `home`, committing a schema-2 vault's rows to its ledger the first time
    (`integrity.upgrade`)."""
    vault = Vault.open(home, passphrase)
    try:
        integrity.upgrade(vault)
    except BaseException:
        vault.close()
        raise
    return vault


@dataclass(frozen=True)
class Verified:
    entries: int
    canaries: int
    head: str
    contacts: int = 0


def verify(vault: Vault) -> Verified:
    """Check the ledger, that every canary row is what its ledger entry says, then every contact,
    import batch, number and retirement against what the ledger committed (`integrity.check`).

    Raises IntegrityError naming the first bad entry or row.
    """
    ledger = vault.ledger
    verified = ledger.verified()
    count = len(verified)
    entries = {e.seq: e for e in verified}  # decrypted once, for every check below
    rows = vault.conn.execute(
        "SELECT id, issued_at, ledger_seq, phone_bi, email_bi, enc FROM canaries ORDER BY ledger_seq"
    )
    checked = 0
    for cid, issued_at, seq, phone_bi, email_bi, enc in rows:
        doc = vault.unseal("canaries", cid, bytes(enc))
        if int(seq) not in entries:
            raise IntegrityError(_("canary {cid} points at ledger entry {seq}, which does not exist").format(cid=cid, seq=seq), entry=int(seq))
        content = entries[int(seq)].content
        same = (
            content.get("canary_id") == cid
            and content.get("platform") == doc["platform"]
            and content.get("phone") == doc["phone"]
            and content.get("name") == doc["name"]
            and content.get("email") == doc["email"]
            and _same_instant(content.get("issued_at"), issued_at)
            and phone_bi == _blind(vault, "phone", doc["phone"])
            and email_bi == _blind(vault, "email", doc["email"])
        )
        if not same:
            raise IntegrityError(_("canary {cid} differs from ledger entry {seq}").format(cid=cid, seq=seq), entry=int(seq))
        checked += 1
    issued = {e.content["canary_id"] for e in entries.values() if e.content.get("type") == "canary.issued"}
    stored = {r[0] for r in vault.conn.execute("SELECT id FROM canaries")}
    if issued != stored:
        missing = sorted(issued - stored) or sorted(stored - issued)
        raise IntegrityError(_("canary {value} is in the ledger or the vault but not both").format(value=missing[0]))
    contacts = integrity.check(vault, entries.values())
    return Verified(count, checked, ledger.head()[1], contacts)


def _same_instant(iso: Any, epoch: Any) -> bool:
    """The ledger's ISO time and the row's epoch seconds name exactly the same instant."""
    try:
        return isinstance(iso, str) and times.parse(iso).timestamp() == float(epoch)
    except (TypeError, ValueError, OverflowError):
        return False


def _blind(vault: Vault, kind: str, value: str | None) -> bytes | None:
    return vault.blind(kind, value, remember=False) if value else None


def require_verified(vault: Vault, *, unverified: bool = False) -> str | None:
    """Verify before a command relies on the vault's evidence. Returns None when it verifies;
    raises IntegrityError (exit 3) when it does not, unless `unverified`, which returns the
    failure for the command to print on every output it writes."""
    try:
        verify(vault)
    except IntegrityError as exc:
        if not unverified:
            raise IntegrityError(
                _("the vault does not verify: {message}").format(message=exc.message),
                entry=exc.entry,
                hint=_("see `tracer verify`; pass --unverified to use it anyway"),
            ) from None
        return exc.message
    return None




def _fake_name(locale: str) -> str:
    """A Faker name for a user who gave none (Faker loads only for `init`)."""
    from faker import Faker

    return str(Faker(locale).name())
