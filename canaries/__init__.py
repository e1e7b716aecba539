"""Canary identities: names that sound unique, email aliases, marker fields, pool phones.

Pure generation, no storage, and nothing from `tracer`: the vault and the simulator fill `Taken`
(`add_identity` for stored canaries, `add` for new ones), draw phones from one `Allocator`, call
`Generator.issue`, and store what they return. Errors are `CanaryError`s (canaries/errors.py).
"""

from canaries.address import Form, Heard, forms, full_key, heard_surname, is_generic, mistyped, read
from canaries.aliases import PLUS_WARNING
from canaries.allocator import SHARED_WARNING, Allocation, Allocator, PoolNumber, allocate_phone
from canaries.errors import CanaryError, InputError, RefusedError
from canaries.generator import SURNAME_WARNING, Generator
from canaries.markers import EXHAUSTED
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
from canaries.records import Issued, Taken

# Every warning an issued canary may carry, as templates (`{phone}`): the vault keeps them in
# English with the canary and translates them where it shows them (tracer/cli/canary.py).
WARNINGS = (SHARED_WARNING, *EXHAUSTED.values(), SURNAME_WARNING, PLUS_WARNING)

__all__ = [
    "COMPOUND_SURNAMES",
    "LOCALES",
    "PLUS_WARNING",
    "SURNAME_READINGS",
    "SURNAME_WARNING",
    "WARNINGS",
    "Allocation",
    "Allocator",
    "CanaryError",
    "Form",
    "Heard",
    "Generator",
    "InputError",
    "Issued",
    "PoolNumber",
    "RefusedError",
    "Taken",
    "allocate_phone",
    "forms",
    "full_key",
    "heard_surname",
    "is_generic",
    "mistyped",
    "name_key",
    "read",
    "simplify",
    "spoken_key",
    "split_name",
    "surname_key",
]
