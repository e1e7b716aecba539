"""Canary identities: names that sound unique, email aliases, marker fields, pool phones.

Pure generation, no storage: the vault fills `Taken` from active canaries, calls
`Generator.issue`, `allocate_phone`, and stores what they return.
"""

from canaries.address import Form, Heard, forms, full_key, heard_surname, is_generic, read
from canaries.aliases import PLUS_WARNING
from canaries.generator import SURNAME_WARNING, Generator
from canaries.namebook import LOCALES
from canaries.names import (
    COMPOUND_SURNAMES,
    SURNAME_READINGS,
    name_key,
    simplify,
    split_name,
    spoken_key,
    surname_key,
)
from canaries.pool import Allocation, PoolNumber, allocate_phone
from canaries.records import Issued, Taken

__all__ = [
    "COMPOUND_SURNAMES",
    "LOCALES",
    "PLUS_WARNING",
    "SURNAME_READINGS",
    "SURNAME_WARNING",
    "Allocation",
    "Form",
    "Heard",
    "Generator",
    "Issued",
    "PoolNumber",
    "Taken",
    "allocate_phone",
    "forms",
    "full_key",
    "heard_surname",
    "is_generic",
    "name_key",
    "read",
    "simplify",
    "spoken_key",
    "split_name",
    "surname_key",
]
