"""What attribution reads: canaries, contacts and the user's setup as plain DataFrames.

`load(vault)` decrypts them once; tests, benchmarks and notebooks can build `Inputs` directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from tracer import collector, contacts, identities, pool
from tracer.contacts import Reader
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
    # `load(vault, reread=True)`: reads the contacts' REREAD fields again from the open vault, so
    # that `contacts` holds WRITER_ONLY and UNREAD never and FIT_TEXTS only until the fit has read them
    reader: Reader | None = None

    def give_up_texts(self, frame: pd.DataFrame) -> None:
        """With a `reader`: drop FIT_TEXTS from `frame` and from `contacts`, in place (the frame
        `load` made for this `Inputs`; the report's writer reads them again). Without one, keep
        them: a frame built by hand has no other copy."""
        if self.reader is None:
            return
        for held in (frame, self.contacts):
            for name in FIT_TEXTS:
                if name in held:
                    del held[name]

    def identities(self) -> dict[str, dict[str, str | None]]:
        """Platform -> the identity its first canary gave it ({"phone", "name", "email"})."""
        given: dict[str, dict[str, str | None]] = {}
        for row in self.canaries[["platform", "phone", "name", "email"]].itertuples(index=False):
            given.setdefault(str(row.platform), {
                "phone": _text(row.phone), "name": _text(row.name), "email": _text(row.email)
            })  # fmt: skip
        return given


# The contacts' fields a report shows that the model does not read (left out of the frame with a
# reader; the import batch, stored beside the chunks, the reader keeps as codes), those the
# features, first-party and name evidence read and the EM does not, and all of them, which the
# writer reads again a block of contacts at a time (`contacts.Reader`).
WRITER_ONLY = ("external_id", "caller_name", "batch_id")
FIT_TEXTS = ("heard_name", "text")
REREAD = (*WRITER_ONLY, *FIT_TEXTS)
# Fields that neither the fit nor a report reads: with a reader, the frame never holds them (a
# call's duration, 8 bytes a contact, was carried through the whole report unread).
UNREAD = ("duration",)


def load(vault: Vault, *, reread: bool = False) -> Inputs:
    """Decrypt what attribution needs from the vault. `reread`: the contacts' texts, names and
    external ids are read again from the vault's chunks when the report is written instead of
    being held through the fit (`Inputs.reader`), so `vault` must stay open until then."""
    canary_frame, platforms, categories = _canaries(vault)
    numbers = pool.numbers(vault)
    # the canaries' records (about 160 MiB for 66,000) are gone before the contacts are read
    collector.release_memory()
    if reread:
        read, reader = contacts.frame_and_reader(
            vault, later=(*WRITER_ONLY, *UNREAD), reread=REREAD, shared=ELEMENTWISE
        )
    else:
        read, reader = contacts.frame(vault), None
    contact_frame = elementwise(read)
    del read
    collector.release_memory()  # the Arrow strings `elementwise` replaced
    return Inputs(
        canaries=canary_frame,
        contacts=contact_frame,
        real_name=vault.settings.real_name,
        primary=vault.settings.phone,
        controls=frozenset(n.e164 for n in numbers if n.control),
        locale=vault.settings.locale,
        region=vault.settings.region,
        platforms=platforms,
        categories=categories,
        reader=reader,
    )


def _canaries(vault: Vault) -> tuple[pd.DataFrame, list[str], dict[str, str | None]]:
    """The canaries as CANARY_COLUMNS, every platform in order, and each platform's category."""
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
    return canary_frame, platforms, categories


# Columns every step reads element by element (joins, maps, per-row evidence): Python objects,
# one shared object per distinct value (a few thousand numbers recur over a million contacts).
# The rest (ids, texts, names) stay in pandas' Arrow-backed strings, a third of the memory of
# Python strings; features read them once per distinct value (`phrases.per_unique`).
ELEMENTWISE = ("channel", "to", "from", "batch_id")


def elementwise(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` (contacts) with its `ELEMENTWISE` columns made shared Python objects (missing
    values NaN), in place: `load` converts them as it reads, so that the Arrow copies (about
    110 MiB at 1.5M contacts) do not stay alive beside them for the whole report."""
    for col in ELEMENTWISE:
        if col in frame and not is_elementwise(frame[col]):
            frame[col] = interned(frame[col])
    return frame


def is_elementwise(column: pd.Series) -> bool:
    """Is `column` already what `elementwise` makes of it (objects, missing values NaN)? Other
    columns that are not strings are left as they are."""
    if column.dtype != object:
        return not pd.api.types.is_string_dtype(column.dtype)
    return not np.equal(column.to_numpy(), np.array(None)).any()  # no None (missing is NaN)


def interned(column: pd.Series) -> pd.Series:
    """`column` as Python objects, equal values sharing one object, missing values NaN."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    values = np.append(uniques.to_numpy(dtype=object), np.nan)
    return pd.Series(values[codes], index=column.index, name=column.name, dtype=object)


def at_rows(column: pd.Series, rows: np.ndarray) -> pd.Series:
    """`column`'s values at positions `rows`, in its dtype, indexed 0, 1, …"""
    return column.take(rows).reset_index(drop=True)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _surname_key(name: str | None, locale: str) -> str:
    import canaries

    return canaries.name_key(name, locale=locale) if name else ""
