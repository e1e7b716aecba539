"""The report as pandas DataFrames for notebooks, and the flat contact rows the CSV uses."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from tracer.attribution.result import CONTACT_KEYS

PLATFORM_COLUMNS = [
    "platform", "verdict", "confidence", "contacts", "first_contact_at",
    "days_to_first_contact", "linked_platforms",
]  # fmt: skip
# The contract's contact keys (`attribution.result.ContactResult`), but the campaign and the
# import batch, which the flat views leave to the campaigns table and the vault
CONTACT_COLUMNS = [key for key in CONTACT_KEYS if key not in ("campaign", "batch_id")]
CAMPAIGN_COLUMNS = ["id", "callers", "platforms", "contacts"]
_TIME_COLUMNS = ("at", "first_contact_at", "signup_at", "issued_at", "generated_at")


def frames(report: Mapping[str, Any]) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(platforms, contacts, campaigns): times as UTC datetimes, one contact per row.

    Contacts carry `candidates` as "A:0.93;B:0.05" and `evidence` as "kind: detail | …", the
    same flattening as the CSV; extra keys in the report become extra columns.
    """
    platforms = _frame(report.get("platforms", []), PLATFORM_COLUMNS)
    contacts = _frame([contact_row(c) for c in report.get("contacts", [])], CONTACT_COLUMNS)
    campaigns = _frame(report.get("campaigns", []), CAMPAIGN_COLUMNS)
    return _parse_times(platforms), _parse_times(contacts), campaigns


def contact_row(contact: Mapping[str, Any]) -> dict[str, Any]:
    """One contact flattened: candidate list and evidence list become single strings."""
    row = {key: contact.get(key) for key in CONTACT_COLUMNS}
    row.update({k: v for k, v in contact.items() if k not in row})
    for key, flat in _FLATTENED.items():
        row[key] = flat(contact.get(key) or [])
    return row


def contact_columns(contacts: Sequence[Mapping[str, Any]]) -> dict[str, list[Any]]:
    """`contact_row`'s CONTACT_COLUMNS for many contacts, a column at a time (the CSV's shape)."""
    columns = {key: [contact.get(key) for contact in contacts] for key in CONTACT_COLUMNS}
    for key, flat in _FLATTENED.items():
        columns[key] = [flat(contact.get(key) or []) for contact in contacts]
    return columns


def candidates(items: list[Mapping[str, Any]]) -> str:
    return ";".join(f"{c.get('platform')}:{float(c.get('p') or 0):.2f}" for c in items)


def evidence(items: list[Mapping[str, Any]]) -> str:
    return " | ".join(f"{e.get('kind')}: {e.get('detail', '')}" for e in items)


# the list-valued contact keys, and the one string each becomes in the flat views
_FLATTENED = {"candidates": candidates, "evidence": evidence}


def _frame(records: list[Mapping[str, Any]], columns: list[str]) -> pd.DataFrame:
    frame = pd.DataFrame.from_records(list(records))
    extra = [c for c in frame.columns if c not in columns]
    return frame.reindex(columns=[*columns, *extra])


def _parse_times(frame: pd.DataFrame) -> pd.DataFrame:
    for column in _TIME_COLUMNS:
        if column in frame.columns:
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
    return frame
