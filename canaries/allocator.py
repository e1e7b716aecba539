"""Phone allocation: give each canary a pool number of its own while any is unused.

One allocator for the vault (`tracer.identities`) and the simulator (`tracer.simulate`): each
unused pool number in pool order, then the least-shared one (ties in pool order), else the user's
primary number; never a control number.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass

from canaries.errors import N_, RefusedError


@dataclass(frozen=True)
class PoolNumber:
    """A number the user owns, with how many canaries already use it."""

    e164: str
    uses: int
    control: bool = False


@dataclass(frozen=True)
class Allocation:
    """The phone for a new canary; `exclusive` when no other canary uses it."""

    phone: str
    exclusive: bool
    warning: str | None


class Allocator:
    """Phones for a run of new canaries, each allocation counted as a use of its number.

    Unused numbers come from a queue and used ones from a heap of (uses, pool order), so a batch
    of n canaries over a pool of n numbers costs O(n log n), not a scan of the pool per canary.
    """

    def __init__(self, pool: Sequence[PoolNumber], primary: str) -> None:
        usable = [number for number in pool if not number.control]
        self._order = {number.e164: order for order, number in enumerate(usable)}
        self._fresh = deque(number.e164 for number in usable if number.uses == 0)
        self._heap = [(number.uses, order, number.e164) for order, number in enumerate(usable) if number.uses]
        heapq.heapify(self._heap)
        self._primary = primary
        self._primary_is_control = any(number.control and number.e164 == primary for number in pool)

    def next(self) -> Allocation:
        """The phone for the next canary. Raises RefusedError when only a control primary is left."""
        if self._fresh:
            phone = self._fresh.popleft()
            heapq.heappush(self._heap, (1, self._order[phone], phone))
            return Allocation(phone, exclusive=True, warning=None)
        if self._heap:
            uses, order, phone = heapq.heappop(self._heap)
            heapq.heappush(self._heap, (uses + 1, order, phone))
            return shared(phone)
        if self._primary_is_control:
            raise RefusedError(
                N_("the primary number is a control number and the pool has no other number to give"),
                hint=N_("add a non-control number to the pool"),
            )
        return shared(self._primary)


SHARED_WARNING = N_(
    "no unused number left in the pool: this canary shares {phone} and is told apart only by its name and email"
)


def allocate_phone(pool: Sequence[PoolNumber], primary: str) -> Allocation:
    """One phone for one canary, from the pool as it stands (`Allocator(pool, primary).next()`)."""
    return Allocator(pool, primary).next()


def shared(phone: str) -> Allocation:
    """A non-exclusive allocation; the warning names the number only in redacted form."""
    return Allocation(phone, exclusive=False, warning=SHARED_WARNING.format(phone=redact(phone)))


def redact(e164: str | None) -> str:
    """Keep the country code and the last two digits: +86•••••••••00 (as `tracer.phones.redact`)."""
    if not e164:
        return ""
    if len(e164) <= 5:
        return "•" * len(e164)
    code_len = 3 if e164.startswith(("+86", "+44")) else 2
    return e164[:code_len] + "•" * (len(e164) - code_len - 2) + e164[-2:]
