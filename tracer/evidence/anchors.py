"""Timestamp anchors for the vault's ledger: request over the chain head, import the answer."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from tracer import outputs, times
from tracer.errors import InputError
from tracer.evidence import timestamp
from tracer.vault import Vault


def request(vault: Vault, out: Path, *, force: bool = False) -> tuple[int, str]:
    """Write an RFC 3161 query for the current chain head; returns (seq, head hash)."""
    seq, head = vault.ledger.head()
    if seq == 0:
        raise InputError("the ledger is empty: nothing to anchor yet")
    with vault.transaction():
        vault.put_meta("anchor_request", json.dumps({"seq": seq, "head": head}).encode())
        outputs.write(out, timestamp.request(bytes.fromhex(head)), outputs.Guard(vault.home, (), force))
    return seq, head


def import_response(vault: Vault, response: Path, *, trusted: list[bytes] | None = None) -> timestamp.Anchor:
    """Validate a TSA response against a chain head that exists, then store it in the ledger."""
    data = outputs.read_bytes(response)
    ledger = vault.ledger
    pending = vault.meta("anchor_request")
    if pending is None:
        raise InputError("no timestamp was requested", hint="run `tracer anchor request` first")
    asked = json.loads(pending)
    found = timestamp.validate(data, bytes.fromhex(asked["head"]), trusted_certs=trusted)
    ledger.append(
        "anchor.imported",
        {
            "anchored_seq": asked["seq"],
            "head": asked["head"],
            "gen_time": times.iso(found.gen_time),
            "tsa": found.tsa_subject,
            "token": base64.b64encode(found.token_der).decode(),
        },
    )
    return found
