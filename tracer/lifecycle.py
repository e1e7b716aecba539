"""Creating a vault and checking it: `init` and `verify`."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tracer import checkpoint, identifiers, integrity, pool, times
from tracer.errors import InputError, IntegrityError
from tracer.i18n import _
from tracer.ledger import Entry, Stale, fold
from tracer.vault import Settings, Vault
from tracer.vault.keys import Derived

LOCALES = ("zh_CN", "en_US")


def init(
    home: Path,
    passphrase: str,
    *,
    name: str | None = None,
    phone: str | None = None,
    email: str | None = None,
    locale: str = "zh_CN",
    region: str | None = None,
    timezone: str | None = None,
    email_domain: str | None = None,
    allow_unusual: bool = False,
) -> Vault:
    """Create a vault at `home`. The primary number (if any) joins the pool, marked primary.

    Every identifier is checked first (`identifiers`): a real region, a valid number (unless
    `allow_unusual`), a parseable address and domain, a bounded name. Without a `region`, numbers
    without a country code are read in the primary number's country (`home_region`)."""
    if locale not in LOCALES:
        raise InputError(_("unsupported locale {locale!r} (use {LOCALES})").format(locale=locale, LOCALES=' or '.join(LOCALES)), field="locale")
    tz = timezone or times.system_zone()
    try:
        times.zone(tz)
    except ValueError:
        raise InputError(_("unknown timezone {name!r}").format(name=tz), field="timezone") from None
    region = identifiers.region(region) if region else home_region(phone, locale)
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


def home_region(phone: str | None, locale: str) -> str:
    """The country of `phone` when it starts with its +code (+1 415 … is US), else the locale's
    (zh_CN: CN, en_US: US): an American who gives `--phone +1…` must not have every number
    without a +code read as Chinese."""
    import phonenumbers  # only here: most commands never parse a number

    text = (phone or "").strip()
    if text.startswith("+"):
        try:
            found = phonenumbers.region_code_for_number(phonenumbers.parse(text, None))
        except phonenumbers.NumberParseException:
            found = None
        if found in phonenumbers.SUPPORTED_REGIONS:
            return str(found)
    return locale.partition("_")[2] or "CN"


def open_vault(home: Path, passphrase: str | Derived) -> Vault:
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
    resumed_from: int = 0  # the checkpoint's entry this verification went on from; 0: everything


def verify(vault: Vault, *, full: bool = True) -> Verified:
    """Check the ledger, that every canary row is what its ledger entry says, then every contact,
    import batch, number and retirement against what the ledger committed (`integrity.check`),
    and keep what was proved as the vault's checkpoint (`tracer.checkpoint`).

    `full=False` goes on from that checkpoint when it opens and the rows it covers are unchanged:
    the ledger rows up to it and the canary rows of its entries are hashed, not verified again,
    and the pool is compared again only if it changed. Contacts, import batches and retirements
    are always compared with the ledger's state. A checkpoint that does not hold is ignored.

    Raises IntegrityError naming the first bad entry or row.
    """
    with vault.snapshot():  # one state, also for the checkpoint it leaves
        start = None if full else checkpoint.load(vault)
        try:
            verified, done = _verify(vault, start)
        except Stale:
            start = None
            verified, done = _verify(vault, None)
    checkpoint.save(vault, done, start)
    return verified


def _verify(vault: Vault, start: checkpoint.Checkpoint | None) -> tuple[Verified, checkpoint.Checkpoint]:
    """One verification, from `start` or from the beginning; `Stale` when `start` no longer holds."""
    entries, mark = vault.ledger.verified_since(start.mark if start else None)
    checked, canaries = _check_canaries(vault, {e.seq: e for e in entries}, start)
    state = integrity.Expected.from_json(start.state) if start else integrity.Expected()
    for entry in entries:
        state.read(entry)
    numbers = checkpoint.numbers_digest(vault)
    same_pool = start is not None and not state.numbers_read and numbers == start.numbers
    contacts = integrity.check_state(vault, state, numbers_checked=same_pool)
    resumed = start.seq if start else 0
    done = checkpoint.Checkpoint(mark, canaries, numbers, state.to_json())
    return Verified(mark.seq, checked, mark.head, contacts, resumed), done


def _check_canaries(
    vault: Vault, entries: dict[int, Entry], start: checkpoint.Checkpoint | None
) -> tuple[int, str]:
    """Check each canary row against its ledger entry, in ledger order, and that the ledger issued
    exactly the canaries stored. Rows of entries up to `start` are hashed instead, and must hash
    to what it recorded (else `Stale`). Returns the rows and the digest of them all."""
    since = start.seq if start else 0
    digest, resumed = hashlib.sha256(), start is None
    stored: set[str] = set()
    issued = {e.content["canary_id"] for e in entries.values() if e.content.get("type") == "canary.issued"}
    rows = vault.conn.execute(f"SELECT {checkpoint.CANARY_COLUMNS} FROM canaries ORDER BY ledger_seq, id")
    for row in rows:
        old = isinstance(row[2], int) and row[2] <= since
        if not old and not resumed:
            _resume(digest, start)
            resumed = True
        if old:
            issued.add(row[0])  # the checkpoint proved the ledger issued exactly its rows
        else:
            _check_canary(vault, row, entries)
        stored.add(row[0])
        fold(digest, row)
    if not resumed:
        _resume(digest, start)
    if issued != stored:
        missing = sorted(issued - stored) or sorted(stored - issued)
        raise IntegrityError(_("canary {value} is in the ledger or the vault but not both").format(value=missing[0]))
    return len(stored), digest.hexdigest()


def _resume(digest: Any, start: checkpoint.Checkpoint | None) -> None:
    if start is not None and digest.hexdigest() != start.canaries:
        raise Stale("canary rows of checkpointed entries changed")


def _check_canary(vault: Vault, row: tuple[Any, ...], entries: dict[int, Entry]) -> None:
    cid, issued_at, seq, phone_bi, email_bi, enc = row
    doc = vault.unseal("canaries", cid, bytes(enc))
    if seq not in entries:
        raise IntegrityError(_("canary {cid} points at ledger entry {seq}, which does not exist").format(cid=cid, seq=seq), entry=seq if isinstance(seq, int) else None)
    content = entries[seq].content
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
        raise IntegrityError(_("canary {cid} differs from ledger entry {seq}").format(cid=cid, seq=seq), entry=seq)


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
        verify(vault, full=False)
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
