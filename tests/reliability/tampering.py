"""Single-byte edits of the vault's evidence rows and of a bundle's files, each checked for
detection (`tracer verify` / `tracer evidence verify` raising IntegrityError).

Vault: every `step`-th byte of every column of every contact, number, canary, batch and ledger
row is flipped (REAL columns: the value's IEEE-754 bytes) through a second sqlite3 connection,
the open vault verifies, the byte is put back. Bundle: every `step`-th byte of every file in
the zip. Used by tests/reliability/test_tamper_bytes.py (sampled) and `python -m
benchmarks.reliability --tamper 1` (every byte).
"""

from __future__ import annotations

import sqlite3
import struct
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from tracer import lifecycle
from tracer.errors import IntegrityError, TracerError
from tracer.evidence import bundle
from tracer.vault.store import DB_NAME

TABLES = {
    "contacts": ("dedupe", "channel", "at", "to_bi", "from_bi", "batch_id", "chunk", "slot", "enc"),
    "contact_chunks": ("id", "enc"),
    "numbers": ("id", "phone_bi", "control", "is_primary", "retired_at", "enc"),
    "canaries": ("id", "issued_at", "retired_at", "phone_bi", "email_bi", "enc"),
    "batches": ("id", "enc"),
    "ledger": ("header", "signature", "enc"),
}


@dataclass
class Tally:
    edits: int = 0
    detected: int = 0
    missed: list[str] = field(default_factory=list)

    def count(self, label: str, caught: bool) -> None:
        self.edits += 1
        if caught:
            self.detected += 1
        else:
            self.missed.append(label)


def _flip(value: object, offset: int) -> tuple[object, int]:
    """`value` with byte `offset` changed, and its length in bytes."""
    if isinstance(value, float):
        raw = bytearray(struct.pack("<d", value))
        raw[offset % 8] ^= 0x01
        return struct.unpack("<d", bytes(raw))[0], 8
    if isinstance(value, int):
        return value ^ (1 << (offset % 8)), 1
    raw = bytearray(value.encode() if isinstance(value, str) else bytes(value))  # type: ignore[arg-type]
    raw[offset] ^= 0x01
    return (raw.decode("utf-8", "replace") if isinstance(value, str) else bytes(raw)), len(raw)


def vault_edits(home: Path, passphrase: str, step: int = 1) -> Tally:
    tally = Tally()
    conn = sqlite3.connect(home / DB_NAME, isolation_level=None)
    with lifecycle.open_vault(home, passphrase) as vault:
        lifecycle.verify(vault)  # clean before anything is edited
        for table, columns in TABLES.items():
            for rowid, *values in conn.execute(f"SELECT rowid, {', '.join(columns)} FROM {table}").fetchall():
                for column, value in zip(columns, values, strict=True):
                    if value is None:
                        continue
                    _, size = _flip(value, 0)
                    for offset in range(0, size, step):
                        edited, _ = _flip(value, offset)
                        conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (edited, rowid))
                        label = f"{table}.{column} row {rowid} byte {offset}"
                        try:
                            lifecycle.verify(vault)
                            caught = False
                        except TracerError:
                            caught = True
                        except Exception as exc:  # a crash is not a detection
                            caught, label = False, f"{label}: {type(exc).__name__}"
                        finally:
                            conn.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (value, rowid))
                        tally.count(label, caught)
    conn.close()
    return tally


def bundle_edits(path: Path, work: Path, step: int = 1, only: set[str] | None = None) -> Tally:
    """Single-byte edits of the bundle's files (`only` these, when given); anything but an
    IntegrityError (a pass, or another exception) counts as missed."""
    tally = Tally()
    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    bundle.verify(path)
    for name, data in files.items():
        if only is not None and name not in only:
            continue
        for offset in range(0, len(data), step):
            edited = bytearray(data)
            edited[offset] ^= 0x01
            target = work / "edited.zip"
            with zipfile.ZipFile(target, "w") as archive:
                for other, content in files.items():
                    archive.writestr(other, bytes(edited) if other == name else content)
            label = f"{name} byte {offset}"
            try:
                bundle.verify(target)
                caught = False
            except IntegrityError:
                caught = True
            except Exception as exc:  # a crash is not a detection
                caught, label = False, f"{label}: {type(exc).__name__}"
            tally.count(label, caught)
    return tally
