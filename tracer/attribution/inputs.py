"""What attribution reads: canaries, contacts and the user's setup as plain DataFrames.

`load(vault)` decrypts them once; tests, benchmarks and notebooks can build `Inputs` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from tracer import contacts, identities, pool
from tracer.vault import Vault

CANARY_COLUMNS = (
    "canary_id",
    "platform",
    "category",
    "issued_at",
    "phone",
    "email",
    "name",
    "surname_key",
    "real_name",
    "markers",
)


@dataclass
class Inputs:
    """`canaries`: CANARY_COLUMNS (issued_at in epoch seconds); `contacts`: contacts.COLUMNS, among
    them `caller_name`, the caller ID name the export showed (evidence beside heard_name)."""

    canaries: pd.DataFrame
    contacts: pd.DataFrame
    real_name: str = ""
    primary: str | None = None
    controls: frozenset[str] = frozenset()
    locale: str = "zh_CN"
    region: str = "CN"
    platforms: list[str] = field(default_factory=list)  # every registered platform, in order
    categories: dict[str, str | None] = field(default_factory=dict)

    def identities(self) -> dict[str, dict[str, str | None]]:
        """Platform -> the identity its first canary gave it ({"phone", "name", "email"})."""
        given: dict[str, dict[str, str | None]] = {}
        for row in self.canaries[["platform", "phone", "name", "email"]].itertuples(index=False):
            given.setdefault(str(row.platform), {
                "phone": _text(row.phone), "name": _text(row.name), "email": _text(row.email)
            })  # fmt: skip
        return given


def load(vault: Vault) -> Inputs:
    """Decrypt what attribution needs from the vault."""
    found = identities.canaries_in(vault)
    rows = [
        (
            c.id,
            c.platform,
            c.category,
            c.issued_at.timestamp(),
            c.phone,
            c.email,
            c.name,
            _surname_key(c.name, vault.settings.locale),
            c.real_name,
            tuple(c.identity.markers.values()),
        )
        for c in found
    ]
    canary_frame = pd.DataFrame.from_records(rows, columns=list(CANARY_COLUMNS))
    platforms = list(dict.fromkeys(c.platform for c in found))
    categories = {c.platform: c.category for c in found}
    numbers = pool.numbers(vault)
    return Inputs(
        canaries=canary_frame,
        contacts=contacts.frame(vault),
        real_name=vault.settings.real_name,
        primary=vault.settings.phone,
        controls=frozenset(n.e164 for n in numbers if n.control),
        locale=vault.settings.locale,
        region=vault.settings.region,
        platforms=platforms,
        categories=categories,
    )


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _surname_key(name: str | None, locale: str) -> str:
    import canaries

    return canaries.name_key(name, locale=locale) if name else ""
