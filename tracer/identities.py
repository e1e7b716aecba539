"""Canary identities in the vault: issue, record, batch, list, retire.

Generation (names, aliases, markers, number choice) lives in the `canaries` package; this module
feeds it what the vault already holds and stores what it returns, one ledger entry per canary.
"""

from __future__ import annotations

import csv
import heapq
import secrets
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import canaries
from canaries.pool import shared
from tracer import identifiers, outputs, pool, times
from tracer.errors import InputError, RefusedError
from tracer.ledger import Ledger
from tracer.models import Canary, Identity
from tracer.vault import Vault

_FUTURE_SLACK = 600.0  # seconds of clock skew allowed, as for contacts

@dataclass(frozen=True)
class Request:
    """One signup to issue an identity for (a row of `canary batch`)."""

    platform: str
    category: str | None = None
    at: datetime | None = None
    real_name: bool = False
    line: int | None = None


@dataclass
class _State:
    """What issuing must avoid: built once per command from the vault, updated as it issues."""

    taken: canaries.Taken
    uses: Counter[str] = field(default_factory=Counter)


def issue(vault: Vault, request: Request, *, seed: int | None = None) -> Canary:
    return issue_many(vault, [request], seed=seed)[0]


def issue_many(vault: Vault, requests: Iterable[Request], *, seed: int | None = None) -> list[Canary]:
    """Issue one canary per request in a single transaction (all or none)."""
    settings = vault.settings
    generator = canaries.Generator(
        settings.locale,
        settings.real_name,
        email_domain=settings.email_domain,
        plus_mailbox=settings.plus_mailbox,
        seed=seed,
    )
    issued = []
    with vault.transaction():
        state = _state(vault)
        pool_numbers = [n for n in pool.numbers(vault, include_retired=False) if not n.primary]
        allocator = _Allocator(pool_numbers, state.uses, settings.phone or "")
        heard: dict[str, tuple[set[str], set[str]]] = {}
        for request in requests:
            request = _check_platform(request)
            allocation = allocator.next()
            if allocation.phone not in heard:
                heard[allocation.phone] = _heard_keys(vault, allocation.phone)
            surnames, given = heard[allocation.phone]
            avoid = surnames - state.taken.surname_keys
            state.taken.surname_keys |= avoid  # never a name callers already use on this number
            state.taken.heard_given = given
            ident = generator.issue(state.taken, real_name=request.real_name)
            state.taken.surname_keys -= avoid
            state.taken.heard_given = set()
            warnings = ident.warnings + ((allocation.warning,) if allocation.warning else ())
            identity = Identity(allocation.phone or None, ident.name, ident.email, dict(ident.markers))
            canary = _store(vault, request, identity, ident.surname_key, warnings)
            state.taken.add(ident)
            state.uses[allocation.phone] += 1
            issued.append(canary)
        current = {c.id: c.signal for c in canaries_in(vault, include_retired=False)}
    return [replace(c, signal=current.get(c.id, ())) for c in issued]


class _Allocator:
    """Numbers for new canaries: each unused pool number in turn, then the least shared (a heap)."""

    def __init__(self, pool_numbers: list[Any], uses: Counter[str], primary: str) -> None:
        usable = [n.e164 for n in pool_numbers if not n.control]
        self.fresh = deque(e for e in usable if not uses[e])
        self.heap = [(uses[e], order, e) for order, e in enumerate(usable) if uses[e]]
        heapq.heapify(self.heap)
        self.primary = primary
        self.order = {e: order for order, e in enumerate(usable)}

    def next(self) -> canaries.Allocation:
        if self.fresh:
            phone = self.fresh.popleft()
            heapq.heappush(self.heap, (1, self.order[phone], phone))
            return canaries.Allocation(phone, exclusive=True, warning=None)
        if not self.heap:  # no pool number to give: the primary, with the package's warning
            return shared(self.primary)
        count, order, phone = heapq.heappop(self.heap)
        heapq.heappush(self.heap, (count + 1, order, phone))
        return shared(phone)


_TITLES = canaries.address.EN_TITLES


def _heard_keys(vault: Vault, phone: str) -> tuple[set[str], set[str]]:
    """Spoken keys of the surnames, and of the given names, callers already used on `phone` (a
    recycled number's previous owner): "Mr. Grant" gives a surname, "Zachary Grant" both."""
    if not phone:
        return set(), set()
    from tracer import contacts  # pandas and pyarrow: only when a canary needs its number's history

    locale = vault.settings.locale
    surnames, given = set(), set()
    for heard in contacts.heard_names(vault, phone):
        surname = canaries.heard_surname(heard) if heard else ""
        if surname:
            surnames.add(canaries.surname_key(surname, locale=locale))
        words = heard.split() if heard and not locale.startswith("zh") else []
        if words and words[0].strip(".,").lower() not in _TITLES and words[0].isalpha():
            given.add(canaries.spoken_key(words[0], locale=locale))  # a first name, or one alone
    return surnames, given


def record(
    vault: Vault,
    platform: str,
    *,
    phone: str | None = None,
    name: str | None = None,
    email: str | None = None,
    at: datetime | None = None,
    category: str | None = None,
    markers: dict[str, str] | None = None,
) -> Canary:
    """Store an identity the user already gave out (backdated with `at`)."""
    if not (phone or name or email):
        raise InputError("give at least one of --phone, --name, --email", field="identity")
    name = identifiers.name(name, field="name") if name is not None else None
    email = identifiers.email(email) if email else None
    request = _check_platform(Request(platform, category, at, real_name=name == vault.settings.real_name))
    e164 = pool.normalize(vault, phone) if phone else None
    with vault.transaction():
        if e164 and e164 != vault.settings.phone and not _known_number(vault, e164):
            pool.add(vault, e164, label="recorded with a canary")
        identity = Identity(e164, name, email.strip().lower() if email else None, markers or {})
        key = canaries.name_key(name, locale=vault.settings.locale) if name else ""
        canary = _store(vault, request, identity, key, ())
    return show(vault, canary.id)


def read_batch(path: Path, tz: str) -> Iterator[Request]:
    """Rows of a `canary batch` CSV (platform,category,at,real_name); InputError names the line."""
    outputs.readable(path)
    try:
        yield from _batch_rows(path, tz)
    except UnicodeDecodeError as exc:
        raise InputError(f"not UTF-8 text (byte {exc.start})", file=str(path)) from None
    except csv.Error as exc:
        raise InputError(f"not CSV ({exc})", file=str(path)) from None


def _batch_rows(path: Path, tz: str) -> Iterator[Request]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", file=str(path)) from None
    with handle:
        reader = csv.DictReader(handle)
        if "platform" not in (reader.fieldnames or []):
            raise InputError("missing header column", file=str(path), line=1, field="platform")
        for row in reader:
            line = reader.line_num
            yield Request(
                platform=identifiers.name(row.get("platform") or "", field="platform", file=str(path), line=line),
                category=(row.get("category") or "").strip() or None,
                at=_batch_time(row.get("at"), tz, str(path), line),
                real_name=identifiers.boolean(row.get("real_name"), field="real_name", file=str(path), line=line),
                line=line,
            )


def canaries_in(vault: Vault, *, include_retired: bool = True) -> list[Canary]:
    """Every canary, oldest first, with the fields that currently tell each apart."""
    rows = vault.conn.execute(
        "SELECT c.id, c.issued_at, c.retired_at, c.real_name, c.enc FROM canaries c"
        " ORDER BY c.issued_at, c.id"
    ).fetchall()
    docs = [(r, vault.unseal("canaries", r[0], bytes(r[4]))) for r in rows]
    signal = _signals(vault, [(r[0], d) for r, d in docs if r[2] is None])
    found = []
    for (cid, issued_at, retired_at, real_name, _), doc in docs:
        if retired_at is not None and not include_retired:
            continue
        found.append(_canary(cid, issued_at, retired_at, real_name, doc, signal.get(cid, ())))
    return found


def show(vault: Vault, canary_id: str) -> Canary:
    for canary in canaries_in(vault):
        if canary.id == canary_id:
            return canary
    raise InputError(f"no canary {canary_id!r}", field="id", hint="see `tracer canary list`")


def retire(vault: Vault, canary_id: str) -> Canary:
    """Stop using a canary. Its mapping stays forever and its identity is never reissued."""
    canary = show(vault, canary_id)
    if canary.retired_at is not None:
        raise RefusedError(f"canary {canary_id} is already retired")
    with vault.transaction() as conn:
        retired_at = times.now().timestamp()
        conn.execute("UPDATE canaries SET retired_at = ? WHERE id = ?", (retired_at, canary_id))
        Ledger(vault).append("canary.retired", {"canary_id": canary_id, "retired_at": retired_at})
    return show(vault, canary_id)


# -- internals -------------------------------------------------------------------------------


def _check_platform(request: Request) -> Request:
    """The request with its platform name cleaned and bounded (`identifiers.name`); a signup
    dated in the future is refused (the canary would look issued before it was)."""
    if request.at is not None and request.at.timestamp() > times.now().timestamp() + _FUTURE_SLACK:
        raise InputError("in the future: a signup cannot be dated later than now", line=request.line, field="at")
    return replace(request, platform=identifiers.name(request.platform, field="platform", line=request.line))


def _batch_time(raw: str | None, tz: str, file: str, line: int) -> datetime | None:
    if not raw or not raw.strip():
        return None
    try:
        value = times.parse(raw, tz)
    except ValueError as exc:
        raise InputError(str(exc), file=file, line=line, field="at") from None
    except OverflowError:
        raise InputError("out of the range of dates", file=file, line=line, field="at") from None
    if value.year < 1970:
        raise InputError("before 1970: not a date tracer can record", file=file, line=line, field="at")
    return value


def _known_number(vault: Vault, e164: str) -> bool:
    bi = vault.blind("phone", e164)
    return vault.conn.execute("SELECT 1 FROM numbers WHERE phone_bi = ?", (bi,)).fetchone() is not None


def _state(vault: Vault) -> _State:
    """Taken fields: active canaries' surnames; every canary's name, alias and markers forever."""
    taken = canaries.Taken(surname_keys=set(), emails=set(), markers=set(), names=set())
    uses: Counter[str] = Counter()
    for canary in canaries_in(vault):
        doc = canary.identity
        if doc.email:
            taken.emails.add(doc.email)
        if doc.name:
            taken.names.add(doc.name)
        taken.markers.update(doc.markers.values())
        if canary.retired_at is None and doc.name and not canary.real_name:
            taken.surname_keys.add(canaries.name_key(doc.name, locale=vault.settings.locale))
        if doc.phone:
            uses[doc.phone] += 1
    return _State(taken, uses)


def _platform(vault: Vault, name: str, category: str | None) -> tuple[str, str]:
    """The platform's id and the name it was first registered under (names that differ only in
    case, width or invisible characters are the same platform); registered when new."""
    bi = vault.blind("platform", identifiers.platform_key(name))
    row = vault.conn.execute("SELECT id, enc FROM platforms WHERE name_bi = ?", (bi,)).fetchone()
    if row:
        return str(row[0]), str(vault.unseal("platforms", str(row[0]), bytes(row[1]))["name"])
    platform_id = "p_" + secrets.token_hex(6)
    vault.conn.execute(
        "INSERT INTO platforms(id, name_bi, enc) VALUES (?, ?, ?)",
        (platform_id, bi, vault.seal("platforms", platform_id, {"name": name.strip(), "category": category})),
    )
    return platform_id, name.strip()


def _store(
    vault: Vault, request: Request, identity: Identity, surname_key: str, warnings: tuple[str, ...]
) -> Canary:
    canary_id = "c_" + secrets.token_hex(6)
    issued_at = (request.at or times.now()).replace(microsecond=0)
    platform_id, platform = _platform(vault, request.platform, request.category)
    doc: dict[str, Any] = {
        "platform": platform,
        "category": request.category,
        "phone": identity.phone,
        "name": identity.name,
        "email": identity.email,
        "markers": identity.markers,
        "surname_key": surname_key,
        "warnings": list(warnings),
    }
    entry = Ledger(vault).append(
        "canary.issued",
        {"canary_id": canary_id, "issued_at": times.iso(issued_at), "real_name": request.real_name, **doc},
    )
    vault.conn.execute(
        "INSERT INTO canaries(id, platform_id, issued_at, real_name, phone_bi, email_bi, ledger_seq, enc)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            canary_id,
            platform_id,
            issued_at.timestamp(),
            int(request.real_name),
            vault.blind("phone", identity.phone) if identity.phone else None,
            vault.blind("email", identity.email) if identity.email else None,
            entry.seq,
            vault.seal("canaries", canary_id, doc),
        ),
    )
    return _canary(canary_id, issued_at.timestamp(), None, request.real_name, doc, ())


def _canary(
    cid: str,
    issued_at: float,
    retired_at: float | None,
    real_name: int | bool,
    doc: dict[str, Any],
    signal: tuple[str, ...],
) -> Canary:
    identity = Identity(doc["phone"], doc["name"], doc["email"], dict(doc.get("markers") or {}))
    return Canary(
        cid,
        doc["platform"],
        doc.get("category"),
        times.from_epoch(issued_at),
        identity,
        bool(real_name),
        None if retired_at is None else times.from_epoch(retired_at),
        signal,
        tuple(doc.get("warnings") or ()),
    )


def _signals(vault: Vault, active: list[tuple[str, dict[str, Any]]]) -> dict[str, tuple[str, ...]]:
    """Per active canary id, the fields no other active canary shares (what a caller repeats)."""
    real_key = _real_surname_key(vault)
    counts: dict[str, Counter[Any]] = {f: Counter() for f in ("phone", "surname_key", "email")}
    for _, doc in active:
        for name, counter in counts.items():
            counter[doc.get(name)] += 1
    signal: dict[str, tuple[str, ...]] = {}
    for cid, doc in active:
        fields = []
        if doc["phone"] and counts["phone"][doc["phone"]] == 1 and doc["phone"] != vault.settings.phone:
            fields.append("phone")
        key = doc.get("surname_key")
        if key and counts["surname_key"][key] == 1 and key != real_key:
            fields.append("surname")
        if doc["email"] and counts["email"][doc["email"]] == 1:
            fields.append("email")
        if doc.get("markers"):
            fields.append("marker")
        signal[cid] = tuple(fields)
    return signal


def _real_surname_key(vault: Vault) -> str:
    name = vault.settings.real_name
    return canaries.name_key(name, locale=vault.settings.locale) if name else ""
