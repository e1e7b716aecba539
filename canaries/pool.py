"""Phone allocation: give each canary a pool number of its own while any is unused."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tracer.errors import RefusedError
from tracer.phones import redact


@dataclass(frozen=True)
class PoolNumber:
    """A number the user owns, with how many active canaries already use it."""

    e164: str
    uses: int
    control: bool = False


@dataclass(frozen=True)
class Allocation:
    """The phone for a new canary; `exclusive` when no other active canary uses it."""

    phone: str
    exclusive: bool
    warning: str | None


def allocate_phone(pool: Sequence[PoolNumber], primary: str) -> Allocation:
    """An unused pool number; else the least-shared one; else `primary`. Never a control number.

    Ties go to pool order. Raises RefusedError when `primary` is itself a control number.
    """
    usable = [number for number in pool if not number.control]
    fresh = next((number for number in usable if number.uses == 0), None)
    if fresh:
        return Allocation(fresh.e164, exclusive=True, warning=None)
    if usable:
        return shared(min(usable, key=lambda number: number.uses).e164)
    if any(number.control and number.e164 == primary for number in pool):
        raise RefusedError(
            "the primary number is a control number and the pool has no other number to give",
            hint="add a non-control number to the pool",
        )
    return shared(primary)


def shared(phone: str) -> Allocation:
    """A non-exclusive allocation; the warning names the number only in redacted form."""
    warning = (
        f"no unused number left in the pool: this canary shares {redact(phone)} "
        "and is told apart only by its name and email"
    )
    return Allocation(phone, exclusive=False, warning=warning)
