"""Canary identities in the vault: issue, record, batch, list, retire.

Generation (names, aliases, markers, number choice) lives in the `canaries` package; this module
feeds it what the vault already holds and stores what it returns, one ledger entry per canary.
"""

from __future__ import annotations

import csv
import secrets
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

import canaries
from tracer import collector, identifiers, ledger, outputs, pool, times
from tracer.errors import InputError, RefusedError
from tracer.i18n import _
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


def issue(vault: Vault, request: Request, *, seed: int | None = None) -> Canary:
    return issue_many(vault, [request], seed=seed)[0]


def issue_many(vault: Vault, requests: Iterable[Request], *, seed: int | None = None) -> list[Canary]:
    """Issue one canary per request in a single transaction (all or none)."""
    with collector.paused():  # the batch keeps every canary's documents alive to its end
        return _issue_many(vault, requests, seed)


def _issue_many(vault: Vault, requests: Iterable[Request], seed: int | None) -> list[Canary]:
    settings = vault.settings
    with generation_errors():
        generator = canaries.Generator(
            settings.locale,
            settings.real_name,
            email_domain=settings.email_domain,
            plus_mailbox=settings.plus_mailbox,
            seed=seed,
        )
    issued: list[Stored] = []
    with vault.ledger.appending():  # one transaction; the ledger head is signed once, at the end
        stored = _stored(vault)
        taken, uses = _taken(stored, settings.locale)
        pool_numbers = [n for n in pool.numbers(vault, include_retired=False) if not n.primary]
        allocator = canaries.Allocator(
            [canaries.PoolNumber(n.e164, uses[n.e164], n.control) for n in pool_numbers], settings.phone or ""
        )
        store = _Store(vault)
        heard = _Heard(vault)
        cleaned: dict[str, str] = {}
        for request in requests:
            request = _check_platform(request, cleaned)
            with generation_errors():
                allocation = allocator.next()
            surnames, given = heard.on(allocation.phone)
            avoid = surnames - taken.surname_keys
            taken.surname_keys |= avoid  # never a name callers already use on this number
            taken.heard_given = given
            with generation_errors():
                ident = generator.issue(taken, real_name=request.real_name)
            taken.surname_keys -= avoid
            taken.heard_given = set()
            warnings = ident.warnings + ((allocation.warning,) if allocation.warning else ())
            identity = Identity(allocation.phone or None, ident.name, ident.email, dict(ident.markers))
            issued.append(store.canary(request, identity, ident.surname_key, warnings))
            taken.add(ident)
        store.flush()
        active = [(row[0], doc) for row, doc in stored if row[2] is None] + [(c.id, c.doc) for c in issued]
        current = _signals(vault, active)
    return [_canary(c.id, c.issued_at, None, c.real_name, c.doc, current.get(c.id, ())) for c in issued]


@contextmanager
def generation_errors() -> Iterator[None]:
    """The `canaries` package's errors as the vault's own (same message, field and hint, in the
    reader's language), so the CLI reports them in one line like any other."""
    try:
        yield
    except canaries.InputError as exc:
        raise InputError(_(exc.message), field=exc.field, hint=_(exc.hint) if exc.hint else None) from None
    except canaries.RefusedError as exc:
        raise RefusedError(_(exc.message), hint=_(exc.hint) if exc.hint else None) from None


class _Heard:
    """What callers already said on each number (a recycled number's previous owner), read once
    per number. Whether any contact reached a number is one index probe each for the first
    numbers; a batch past `_PROBES` numbers reads the set of reached numbers once instead."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._keys: dict[str, tuple[set[str], set[str]]] = {}
        self._reached: set[bytes] | None = None

    def on(self, phone: str) -> tuple[set[str], set[str]]:
        """Spoken keys of the surnames, and of the given names, callers used on `phone`."""
        if phone not in self._keys:
            self._keys[phone] = _heard_keys(self.vault, phone) if phone and self._any(phone) else (set(), set())
        return self._keys[phone]

    def _any(self, phone: str) -> bool:
        bi = self.vault.blind("phone", phone)
        if self._reached is None and len(self._keys) >= _PROBES:
            rows = self.vault.conn.execute("SELECT DISTINCT to_bi FROM contacts WHERE deleted_at IS NULL")
            self._reached = {bytes(value) for (value,) in rows if value is not None}
        if self._reached is not None:
            return bi in self._reached
        probe = "SELECT 1 FROM contacts WHERE to_bi = ? AND deleted_at IS NULL LIMIT 1"
        return self.vault.conn.execute(probe, (bi,)).fetchone() is not None


_PROBES = 1000  # numbers probed one by one before reading every reached number at once


def _heard_keys(vault: Vault, phone: str) -> tuple[set[str], set[str]]:
    """Spoken keys of the surnames, and of the given names, callers already used on `phone` (a
    recycled number's previous owner): "Mr. Grant" gives a surname, "Zachary Grant" both."""
    if not phone:
        return set(), set()
    from tracer import contacts  # pandas and pyarrow: only when a canary needs its number's history

    locale = vault.settings.locale
    surnames: set[str] = set()
    given: set[str] = set()
    for heard in contacts.heard_names(vault, phone):
        said = canaries.read(heard)  # heard_names gives only names said
        if said.surname:
            surnames.add(canaries.surname_key(said.surname, locale=locale))
        if locale.startswith("zh"):
            continue  # Chinese callers address by surname and title (canaries.read)
        first = said.given.split()[0] if said.given else ""
        alone = said.surname if len(heard.split()) == 1 else ""  # "Ryan" alone: a first name too
        given.update(canaries.spoken_key(n, locale=locale) for n in (first, alone) if n.isalpha())
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
        raise InputError(_("give at least one of --phone, --name, --email"), field="identity")
    name = identifiers.name(name, field="name") if name is not None else None
    email = identifiers.email(email) if email else None
    request = _check_platform(Request(platform, category, at, real_name=name == vault.settings.real_name))
    e164 = pool.normalize(vault, phone) if phone else None
    with vault.transaction():
        if e164 and e164 != vault.settings.phone and not _known_number(vault, e164):
            pool.add(vault, e164, label="recorded with a canary")
        identity = Identity(e164, name, email.strip().lower() if email else None, markers or {})
        key = canaries.name_key(name, locale=vault.settings.locale) if name else ""
        stored = _Store(vault).canary(request, identity, key, ())
    return show(vault, stored.id)


def read_batch(path: Path, tz: str) -> Iterator[Request]:
    """Rows of a `canary batch` CSV (platform,category,at,real_name); InputError names the line."""
    outputs.readable(path)
    try:
        yield from _batch_rows(path, tz)
    except UnicodeDecodeError as exc:
        raise InputError(_("not UTF-8 text (byte {start})").format(start=exc.start), file=str(path)) from None
    except csv.Error as exc:
        raise InputError(_("not CSV ({exc})").format(exc=exc), file=str(path)) from None


def _batch_rows(path: Path, tz: str) -> Iterator[Request]:
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as exc:
        raise InputError(_("cannot read: {strerror}").format(strerror=exc.strerror), file=str(path)) from None
    with handle:
        reader = csv.DictReader(handle)
        if "platform" not in (reader.fieldnames or []):
            raise InputError(_("missing header column"), file=str(path), line=1, field="platform")
        names: dict[str, str] = {}  # a batch names each platform many times: clean each once
        for row in reader:
            line = reader.line_num
            raw = row.get("platform") or ""
            if raw not in names:
                names[raw] = identifiers.name(raw, field="platform", file=str(path), line=line)
            yield Request(
                platform=names[raw],
                category=(row.get("category") or "").strip() or None,
                at=_batch_time(row.get("at"), tz, str(path), line),
                real_name=identifiers.boolean(row.get("real_name"), field="real_name", file=str(path), line=line),
                line=line,
            )


def canaries_in(vault: Vault, *, include_retired: bool = True) -> list[Canary]:
    """Every canary, oldest first, with the fields that currently tell each apart."""
    stored = _stored(vault)
    signal = _signals(vault, [(r[0], d) for r, d in stored if r[2] is None])
    found = []
    for (cid, issued_at, retired_at, real_name, _doc_id), doc in stored:
        if retired_at is not None and not include_retired:
            continue
        found.append(_canary(cid, issued_at, retired_at, real_name, doc, signal.get(cid, ())))
    return found


def _stored(vault: Vault) -> list[tuple[Any, dict[str, Any]]]:
    """Every canary's row (id, issued_at, retired_at, real_name, enc) and document, oldest first."""
    rows = vault.conn.execute(
        "SELECT c.id, c.issued_at, c.retired_at, c.real_name, c.enc FROM canaries c"
        " ORDER BY c.issued_at, c.id"
    ).fetchall()
    return [(r, vault.unseal("canaries", r[0], bytes(r[4]))) for r in rows]


def show(vault: Vault, canary_id: str) -> Canary:
    for canary in canaries_in(vault):
        if canary.id == canary_id:
            return canary
    raise InputError(_("no canary {canary_id!r}").format(canary_id=canary_id), field="id", hint=_("see `tracer canary list`"))


def retire(vault: Vault, canary_id: str) -> Canary:
    """Stop using a canary. Its mapping stays forever and its identity is never reissued."""
    canary = show(vault, canary_id)
    if canary.retired_at is not None:
        raise RefusedError(_("canary {canary_id} is already retired").format(canary_id=canary_id))
    retired_at = times.now().timestamp()
    with vault.record("canary.retired", {"canary_id": canary_id, "retired_at": retired_at}) as change:
        change.conn.execute("UPDATE canaries SET retired_at = ? WHERE id = ?", (retired_at, canary_id))
    return show(vault, canary_id)


# -- internals -------------------------------------------------------------------------------


def _check_platform(request: Request, cleaned: dict[str, str] | None = None) -> Request:
    """The request with its platform name cleaned and bounded (`identifiers.name`, remembered in
    `cleaned` across a batch); a signup dated in the future is refused (the canary would look
    issued before it was)."""
    if request.at is not None and request.at.timestamp() > times.now().timestamp() + _FUTURE_SLACK:
        raise InputError(_("in the future: a signup cannot be dated later than now"), line=request.line, field="at")
    cleaned = {} if cleaned is None else cleaned
    if request.platform not in cleaned:
        cleaned[request.platform] = identifiers.name(request.platform, field="platform", line=request.line)
    platform = cleaned[request.platform]
    return request if platform == request.platform else replace(request, platform=platform)


def _batch_time(raw: str | None, tz: str, file: str, line: int) -> datetime | None:
    """A batch cell's signup time (`times.given`, as for `--at`); None when blank."""
    return times.given(raw, tz, "at", file=file, line=line) if raw and raw.strip() else None


def _known_number(vault: Vault, e164: str) -> bool:
    bi = vault.blind("phone", e164)
    return vault.conn.execute("SELECT 1 FROM numbers WHERE phone_bi = ?", (bi,)).fetchone() is not None


def _taken(stored: list[tuple[Any, dict[str, Any]]], locale: str) -> tuple[canaries.Taken, Counter[str]]:
    """What issuing must avoid (`Taken`: every canary's name, alias and markers forever; active
    canaries' surnames), and how many canaries use each phone."""
    taken, uses = canaries.Taken(), Counter[str]()
    for (_cid, _at, retired_at, real_name, _doc_id), doc in stored:
        active = retired_at is None and not real_name
        taken.add_identity(doc["name"], doc["email"], doc.get("markers") or {}, locale=locale, active=active)
        if doc["phone"]:
            uses[doc["phone"]] += 1
    return taken, uses


class Stored(NamedTuple):
    """A canary just stored: what `_canary` needs to show it once its signal is known."""

    id: str
    issued_at: float
    real_name: bool
    doc: dict[str, Any]


_INSERT_CANARY = (
    "INSERT INTO canaries(id, platform_id, issued_at, real_name, phone_bi, email_bi, ledger_seq, enc)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


class _Store:
    """Stores canaries inside the caller's transaction, each with its ledger entry (`Vault.record`);
    each platform is looked up (or registered) once per command, not once per canary."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault
        self._platforms: dict[str, tuple[str, str]] = {}
        self._rows: list[list[Any]] = []  # canaries not yet inserted (`flush`)

    def canary(
        self, request: Request, identity: Identity, surname_key: str, warnings: tuple[str, ...]
    ) -> Stored:
        """Store one canary (its row, sealed document and ledger entry)."""
        vault = self.vault
        canary_id = "c_" + secrets.token_hex(6)
        issued_at = (request.at or times.now()).replace(microsecond=0)
        platform_id, platform = self.platform(request.platform, request.category)
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
        issued = {"canary_id": canary_id, "issued_at": times.iso(issued_at), "real_name": request.real_name, **doc}
        with vault.record("canary.issued", issued) as change:
            row = [
                canary_id,
                platform_id,
                issued_at.timestamp(),
                int(request.real_name),
                vault.blind("phone", identity.phone) if identity.phone else None,
                vault.blind("email", identity.email) if identity.email else None,
                change.seq,
                doc,
            ]
            self._rows.append(row)
            if not vault.ledger.batching or len(self._rows) >= ledger.FLUSH_ROWS:
                self.flush()
        return Stored(canary_id, issued_at.timestamp(), request.real_name, doc)

    def flush(self) -> None:
        """Seal and insert the canaries held back (inside `Ledger.appending`, `canary batch`
        inserts them together at its end: one `executemany`, not a statement each)."""
        rows, self._rows = self._rows, []
        if not rows:
            return
        sealed = self.vault.seal_many("canaries", [row[0] for row in rows], [row[-1] for row in rows])
        for row, enc in zip(rows, sealed, strict=True):
            row[-1] = enc
        self.vault.conn.executemany(_INSERT_CANARY, rows)

    def platform(self, name: str, category: str | None) -> tuple[str, str]:
        """The platform's id and the name it was first registered under (names that differ only
        in case, width or invisible characters are the same platform); registered when new."""
        if name not in self._platforms:
            self._platforms[name] = self._find_or_register(name, category)
        return self._platforms[name]

    def _find_or_register(self, name: str, category: str | None) -> tuple[str, str]:
        vault = self.vault
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
    for _row, doc in active:
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
