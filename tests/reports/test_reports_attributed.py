"""Every renderer shows every field of a real attribution: a filled vault (`fill`), attributed
and rendered the way `tracer report` does it. A renderer that drops a contact's field (what the
caller said, the text, a number) fails here; the hand-built sample (conftest) only holds what its
author thought of, which is how empty report columns once went unnoticed."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from tests.conftest import CALLERS, ME, POOL
from tracer import attribution, lifecycle
from tracer.reports import ReportFormat, frames, redact, render

# What `fill` put in the vault that a report must carry to the reader.
HEARD = {"row-1": "欧阳先生", None: "杨女士"}  # by external_id (the logged contact has none)
TEXTS = {"row-2": "内部牛股推荐 回电"}
# The contact fields a CSV row and the contacts DataFrame hold as they are (not flattened).
SCALARS = ("id", "external_id", "channel", "at", "to", "from", "caller_name", "heard_name", "text",
           "platform", "confidence")  # fmt: skip


@dataclass(frozen=True)
class Attributed:
    """The `tracer report --format json --no-redact` document of a filled vault, and what
    `tracer report` passes every renderer beside it."""

    doc: dict[str, Any]
    real_name: str | None
    identities: dict[str, Any]

    def render(self, fmt: ReportFormat, *, redacted: bool) -> str:
        return render(self.doc, fmt, redact=redacted, real_name=self.real_name,
                      identities=self.identities, width=100)  # fmt: skip


@pytest.fixture(scope="module")
def attributed(tmp_path_factory: pytest.TempPathFactory, build_filled: Any) -> Attributed:
    home: Path = build_filled(tmp_path_factory.mktemp("attributed"), ME.passphrase)
    with lifecycle.open_vault(home, ME.passphrase) as vault:
        inputs = attribution.load(vault)
    return Attributed(attribution.attribute(inputs).to_dict(), inputs.real_name, inputs.identities())


def _cell(value: Any) -> str:
    """A scalar as the CSV writes it."""
    return "" if value is None else str(value)


def _csv(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def test_the_attribution_carries_every_contact_and_what_was_said(attributed: Attributed) -> None:
    contacts = attributed.doc["contacts"]
    assert len(contacts) == 4
    assert {c["external_id"]: c["heard_name"] for c in contacts if c["heard_name"]} == HEARD
    assert {c["external_id"]: c["text"] for c in contacts if c["text"]} == TEXTS
    assert {c["from"] for c in contacts} == {n.replace("+860", "+86") for n in CALLERS}  # E.164: no trunk 0


def test_json_is_the_attribution_itself(attributed: Attributed) -> None:
    assert json.loads(attributed.render(ReportFormat.JSON, redacted=False)) == attributed.doc


@pytest.mark.parametrize("redacted", [False, True], ids=["plain", "redacted"])
def test_csv_has_every_field_of_every_contact(attributed: Attributed, redacted: bool) -> None:
    shown = redact(attributed.doc, attributed.real_name) if redacted else attributed.doc
    rows = _csv(attributed.render(ReportFormat.CSV, redacted=redacted))
    assert len(rows) == len(shown["contacts"])
    for row, contact in zip(rows, shown["contacts"], strict=True):
        assert {k: row[k] for k in SCALARS} == {k: _cell(contact[k]) for k in SCALARS}
        assert row["candidates"].split(";") == [
            f"{c['platform']}:{c['p']:.2f}" for c in contact["candidates"]
        ]
        assert row["evidence"] == " | ".join(f"{e['kind']}: {e['detail']}" for e in contact["evidence"])


@pytest.mark.parametrize("redacted", [False, True], ids=["plain", "redacted"])
def test_html_shows_every_contact_with_what_was_said(attributed: Attributed, redacted: bool) -> None:
    shown = redact(attributed.doc, attributed.real_name) if redacted else attributed.doc
    page = attributed.render(ReportFormat.HTML, redacted=redacted)
    for contact in shown["contacts"]:
        for key in ("id", "from", "to", "heard_name", "text"):
            if contact[key] is not None:
                assert html.escape(contact[key], quote=False) in page, (key, contact[key])
    for platform in attributed.doc["platforms"]:
        assert html.escape(platform["platform"]) in page


def test_table_lists_every_platform_and_counts_every_contact(attributed: Attributed) -> None:
    table = attributed.render(ReportFormat.TABLE, redacted=True)
    lines = table.splitlines()
    for platform in attributed.doc["platforms"]:
        row = next(line for line in lines if line.startswith(platform["platform"] + " "))
        assert f" {platform['contacts']} " in row
    assert f"{len(attributed.doc['contacts'])} contacts" in table


def test_frames_hold_every_field_of_every_contact(attributed: Attributed) -> None:
    platforms, contacts, _campaigns = frames(attributed.doc)
    assert list(platforms["platform"]) == [p["platform"] for p in attributed.doc["platforms"]]
    assert len(contacts) == len(attributed.doc["contacts"])
    for (_, row), contact in zip(contacts.iterrows(), attributed.doc["contacts"], strict=True):
        held = {key: None if pd.isna(row[key]) else row[key] for key in SCALARS}
        held["at"] = held["at"].strftime("%Y-%m-%dT%H:%M:%SZ")  # a UTC datetime in the frame
        assert held == {key: contact[key] for key in SCALARS}


@pytest.mark.parametrize("fmt", list(ReportFormat))
def test_a_redacted_real_report_holds_no_real_number_or_real_name(
    attributed: Attributed, fmt: ReportFormat
) -> None:
    spare = {"+86" + re.sub(r"\D", "", raw)[-11:] for raw in POOL}
    numbers = {ME.phone, *CALLERS, *spare}
    numbers |= {c[key] for c in attributed.doc["contacts"] for key in ("to", "from")}
    numbers |= {n[3:] for n in numbers if n.startswith("+86")}
    out = attributed.render(fmt, redacted=True)
    squeezed = re.sub(r"[\s\-()]", "", out)  # 139-0013-9001 and 139 0013 9001 as well
    assert [n for n in numbers if n in out or n in squeezed] == []
    assert ME.name not in out


def test_the_collector_paused_for_the_row_dicts_is_left_as_it_was() -> None:
    """`to_dict` builds its rows with the cyclic collector off; afterwards (even after an error)
    the collector is on again if it was, and still off if the caller had turned it off."""
    import gc

    from tracer.collector import paused as _collector_paused  # what `to_dict` and `canary batch` use

    assert gc.isenabled()
    with pytest.raises(RuntimeError), _collector_paused():
        assert not gc.isenabled()
        raise RuntimeError("stop")
    assert gc.isenabled()
    gc.disable()
    try:
        with _collector_paused():
            pass
        assert not gc.isenabled()
    finally:
        gc.enable()
