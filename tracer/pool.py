"""The number pool: phone numbers the user owns, normalized to E.164 and blind-indexed."""

from __future__ import annotations

import csv
import io
import secrets
from pathlib import Path

from tracer import identifiers, outputs, phones, times
from tracer.errors import InputError, RefusedError
from tracer.i18n import _
from tracer.models import Number
from tracer.vault import Vault


def normalize(
    vault: Vault, raw: str, *, file: str | None = None, line: int | None = None, allow_unusual: bool = True
) -> str:
    """E.164 in the vault's region, or InputError saying why (never echoing the whole number);
    without `allow_unusual`, only a number valid in an assigned range."""
    return identifiers.owned_number(
        raw, vault.settings.region, allow_unusual=allow_unusual, field="number", file=file, line=line
    )


def add(
    vault: Vault,
    raw: str,
    *,
    label: str = "",
    control: bool = False,
    primary: bool = False,
    file: str | None = None,
    line: int | None = None,
    allow_unusual: bool = False,
) -> Number:
    """Add one owned number (valid for its region unless `allow_unusual`); refuses duplicates.
    One ledger entry."""
    e164 = normalize(vault, raw, file=file, line=line, allow_unusual=allow_unusual)
    label = identifiers.clean_text(label)[: identifiers.MAX_NAME]
    bi = vault.blind("phone", e164)
    with vault.record("number.added") as change:
        conn = change.conn
        if conn.execute("SELECT 1 FROM numbers WHERE phone_bi = ?", (bi,)).fetchone():
            raise RefusedError(
                _("{e164} is already in the pool").format(e164=phones.redact(e164)), hint=_("each number is added once")
            )
        number_id = "n_" + secrets.token_hex(6)
        added = times.now()
        conn.execute(
            "INSERT INTO numbers(id, phone_bi, control, is_primary, added_at, enc) VALUES (?, ?, ?, ?, ?, ?)",
            (
                number_id,
                bi,
                int(control),
                int(primary),
                added.timestamp(),
                vault.seal("numbers", number_id, {"e164": e164, "label": label}),
            ),
        )
        change.content.update(
            {"number_id": number_id, "phone": e164, "label": label, "control": control, "primary": primary}
        )
    return Number(e164, label, control, primary, added)


def import_file(vault: Vault, path: Path, *, allow_unusual: bool = False) -> list[Number]:
    """Add every number in `path` (one per line, or CSV number,label,control) in one transaction,
    its ledger head signed once at the end (`Ledger.appending`, as `canary batch` does)."""
    try:
        text = outputs.read_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(_("cannot read: {name}").format(name=exc.__class__.__name__), file=str(path)) from None
    added: list[Number] = []
    with vault.ledger.appending():
        for line, row in enumerate(csv.reader(io.StringIO(text)), start=1):
            if not row or not row[0].strip() or row[0].strip().lower() in {"number", "#"}:
                continue
            label = row[1].strip() if len(row) > 1 else ""
            flag = row[2].strip().lower() if len(row) > 2 else ""
            control = flag == "control" or identifiers.boolean(flag, field="control", file=str(path), line=line)
            added.append(
                add(vault, row[0], label=label, control=control, file=str(path), line=line, allow_unusual=allow_unusual)
            )
    return added


def numbers(vault: Vault, *, include_retired: bool = True) -> list[Number]:
    rows = vault.conn.execute(
        "SELECT id, control, is_primary, added_at, retired_at, enc FROM numbers ORDER BY added_at, id"
    )
    found = []
    for number_id, control, primary, added_at, retired_at, enc in rows:
        if retired_at is not None and not include_retired:
            continue
        doc = vault.unseal("numbers", number_id, bytes(enc))
        found.append(
            Number(
                doc["e164"],
                doc["label"],
                bool(control),
                bool(primary),
                times.from_epoch(added_at),
                None if retired_at is None else times.from_epoch(retired_at),
            )
        )
    return found


def retire(vault: Vault, raw: str) -> Number:
    """Take a number out of allocation; canaries that used it keep it forever."""
    e164 = normalize(vault, raw)
    bi = vault.blind("phone", e164)
    with vault.record("number.retired") as change:
        conn = change.conn
        row = conn.execute("SELECT id, retired_at FROM numbers WHERE phone_bi = ?", (bi,)).fetchone()
        if row is None:
            raise RefusedError(_("{e164} is not in the pool").format(e164=phones.redact(e164)))
        if row[1] is not None:
            raise RefusedError(_("{e164} is already retired").format(e164=phones.redact(e164)))
        retired_at = times.now().timestamp()
        conn.execute("UPDATE numbers SET retired_at = ? WHERE id = ?", (retired_at, row[0]))
        change.content.update({"number_id": row[0], "phone": e164, "retired_at": retired_at})
    return next(n for n in numbers(vault) if n.e164 == e164)
