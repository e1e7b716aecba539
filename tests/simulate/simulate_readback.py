"""Read a written world the way an importer would, independent of the simulator's code."""

from __future__ import annotations

import csv
import json
import mailbox
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from functools import cache
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Files:
    world: dict[str, Any]
    truth: dict[str, Any]
    calls: list[dict[str, str]]
    sms: list[dict[str, str]]  # incoming SMS, with the receiving line as "to"
    sent: list[dict[str, str]]  # the user's own replies (type 2)
    mail: list[EmailMessage]

    def truth_by_key(self) -> dict[str, dict[str, Any]]:
        return {c["key"]: c for c in self.truth["contacts"]}


@cache
def read(out: Path) -> Files:
    """The files of a written world (cached: session worlds are read by many tests)."""
    world = json.loads((out / "world.json").read_text(encoding="utf-8"))
    truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
    with (out / "calls.csv").open(encoding="utf-8", newline="") as handle:
        calls = list(csv.DictReader(handle))
    sms: list[dict[str, str]] = []
    sent: list[dict[str, str]] = []
    for name, line in world["files"]["sms"].items():
        for item in ET.parse(out / name).getroot().iter("sms"):
            row = dict(item.attrib, to=line)
            (sms if row["type"] == "1" else sent).append(row)
    box = mailbox.mbox(out / "mail.mbox", create=False)
    mail = [_parse(m.as_bytes()) for m in box]
    return Files(world, truth, calls, sms, sent, mail)


def sms_key(row: dict[str, str]) -> str:
    at = datetime.fromtimestamp(int(row["date"]) // 1000, UTC).isoformat().replace("+00:00", "Z")
    return f"sms|{row['to']}|{at}|{row['address']}"


def message_id(message: EmailMessage) -> str:
    return str(message["Message-ID"]).strip().strip("<>")


def file_keys(files: Files) -> list[str]:
    keys = [row["id"] for row in files.calls]
    keys += [sms_key(row) for row in files.sms]
    keys += [message_id(m) for m in files.mail]
    return keys


def _parse(raw: bytes) -> EmailMessage:
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message
