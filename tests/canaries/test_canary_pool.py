"""Phone allocation from the user's pool: exclusive while possible, never a control number."""

from __future__ import annotations

import pytest

from canaries import Allocator, PoolNumber, RefusedError, allocate_phone

PRIMARY = "+8613800000001"
A, B, C = "+8613900000011", "+8613900000022", "+8613900000033"


def test_first_unused_number_in_pool_order_is_exclusive() -> None:
    pool = [PoolNumber(A, uses=2), PoolNumber(B, uses=0), PoolNumber(C, uses=0)]
    allocation = allocate_phone(pool, PRIMARY)
    assert (allocation.phone, allocation.exclusive, allocation.warning) == (B, True, None)


def test_unused_control_number_is_never_allocated() -> None:
    pool = [PoolNumber(A, uses=0, control=True), PoolNumber(B, uses=3)]
    allocation = allocate_phone(pool, PRIMARY)
    assert allocation.phone == B
    assert not allocation.exclusive


def test_when_all_are_used_the_least_shared_number_is_given_with_a_warning() -> None:
    pool = [PoolNumber(A, uses=3), PoolNumber(B, uses=1), PoolNumber(C, uses=2)]
    allocation = allocate_phone(pool, PRIMARY)
    assert allocation.phone == B and not allocation.exclusive
    assert allocation.warning is not None
    assert allocation.warning.startswith("no unused number left in the pool")


def test_ties_in_sharing_go_to_pool_order() -> None:
    pool = [PoolNumber(A, uses=2), PoolNumber(B, uses=1), PoolNumber(C, uses=1)]
    assert allocate_phone(pool, PRIMARY).phone == B


def test_shared_warning_redacts_the_number() -> None:
    warning = allocate_phone([PoolNumber(A, uses=1)], PRIMARY).warning
    assert warning is not None
    assert A not in warning and A[3:-2] not in warning
    assert "+86•••••••••11" in warning


def test_empty_pool_gives_the_primary_with_a_warning() -> None:
    allocation = allocate_phone([], PRIMARY)
    assert allocation.phone == PRIMARY and not allocation.exclusive
    assert allocation.warning is not None and PRIMARY not in allocation.warning


def test_pool_of_only_control_numbers_gives_the_primary() -> None:
    allocation = allocate_phone([PoolNumber(A, uses=0, control=True)], PRIMARY)
    assert allocation.phone == PRIMARY


def test_a_control_primary_is_refused_rather_than_handed_out() -> None:
    with pytest.raises(RefusedError):
        allocate_phone([PoolNumber(PRIMARY, uses=0, control=True)], PRIMARY)


def test_an_allocator_gives_what_allocate_phone_gives_one_canary_at_a_time() -> None:
    """The vault's batch and the simulator draw from one Allocator; it must agree, allocation by
    allocation, with re-reading the pool's uses before each canary."""
    pool = [PoolNumber(A, uses=2), PoolNumber(B, uses=0, control=True), PoolNumber(C, uses=0),
            PoolNumber("+8613900000044", uses=1)]  # fmt: skip
    allocator = Allocator(pool, PRIMARY)
    uses = {n.e164: n.uses for n in pool}
    for _ in range(12):
        expected = allocate_phone([PoolNumber(n.e164, uses[n.e164], n.control) for n in pool], PRIMARY)
        assert allocator.next() == expected
        uses[expected.phone] += 1


def test_an_allocator_without_usable_numbers_keeps_giving_the_primary() -> None:
    allocator = Allocator([PoolNumber(A, uses=0, control=True)], PRIMARY)
    assert [allocator.next().phone for _ in range(3)] == [PRIMARY] * 3
