"""Verify checkpoints: what the last successful verification proved, so that the next one (the
one every report runs first) proves again only what changed since (docs/threat-model.md).

A checkpoint is one sealed `meta` value (`verify_checkpoint`) holding:
- the ledger's `Mark`: the last verified entry, its header's hash, and the SHA-256 over every
  ledger row up to it (`ledger.fold`);
- `canaries`: the SHA-256 over the canary rows whose entries are up to it, the columns the canary
  check reads, in ledger order; `numbers`: the same over the number pool's rows;
- `state`: what the ledger up to it says the tables hold (`integrity.Expected`).
It is sealed with AES-256-GCM under a key derived from the vault's data key for this purpose alone
(`Keyring.seal_for`), so no one without the keys can write one that opens; whoever has the keys
can sign ledger entries anyway. One that does not open, or whose digests no longer match the
rows, is ignored: the verification then checks everything, as with no checkpoint at all.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import orjson
from cryptography.exceptions import InvalidTag

from tracer import integrity
from tracer.ledger import Mark, fold
from tracer.vault import Vault

VERSION = 1
_META = "verify_checkpoint"
_PURPOSE = b"tracer-verify-checkpoint-v1"
CANARY_COLUMNS = "id, issued_at, ledger_seq, phone_bi, email_bi, enc"  # what the canary check reads


@dataclass(frozen=True)
class Checkpoint:
    mark: Mark
    canaries: str
    numbers: str
    state: dict[str, Any]

    @property
    def seq(self) -> int:
        return self.mark.seq


def load(vault: Vault) -> Checkpoint | None:
    """The vault's checkpoint, or None when it has none or one that does not open as ours (edited,
    forged, from another vault or an unknown version): verify everything then."""
    blob = vault.meta(_META)
    if blob is None:
        return None
    try:
        doc = orjson.loads(vault.keys.open_for(_PURPOSE, blob))
        if doc["v"] != VERSION:
            return None
        mark = Mark(int(doc["seq"]), str(doc["head"]), str(doc["rows"]))
        return Checkpoint(mark, str(doc["canaries"]), str(doc["numbers"]), dict(doc["state"]))
    except (InvalidTag, orjson.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


def save(vault: Vault, checkpoint: Checkpoint, previous: Checkpoint | None = None) -> bool:
    """Keep `checkpoint` unless it is `previous` again. Written only when that waits for nothing
    (`Vault.put_meta_if_free`): a checkpoint saves time, it proves nothing by itself."""
    if checkpoint == previous:
        return False
    doc = {
        "v": VERSION,
        "seq": checkpoint.mark.seq,
        "head": checkpoint.mark.head,
        "rows": checkpoint.mark.rows,
        "canaries": checkpoint.canaries,
        "numbers": checkpoint.numbers,
        "state": checkpoint.state,
    }
    return vault.put_meta_if_free(_META, vault.keys.seal_for(_PURPOSE, orjson.dumps(doc)))


def numbers_digest(vault: Vault) -> str:
    """The SHA-256 over the number pool's rows as `integrity` reads them, in id order."""
    digest = hashlib.sha256()
    for row in vault.conn.execute(f"SELECT {integrity.NUMBER_COLUMNS} FROM numbers ORDER BY id"):
        fold(digest, row)
    return digest.hexdigest()
