"""The attribution tests' small world: three platforms, StockA and CarsB on the user's primary,
LoanC on one pool number, and a control never given out (times in seconds since the epoch)."""

from __future__ import annotations

from typing import Any

from tests.conftest import canaries_frame, contacts_frame
from tracer.attribution import Inputs

T0 = 1_772_326_800.0  # 2026-03-01T01:00:00Z
DAY = 86_400.0
POOL, PRIMARY, CONTROL = "+8613912345678", "+8613800138000", "+8613912345679"
ALIASES = ("komira82@x.org", "belutu31@x.org", "sepako55@x.org")


def three_platforms(contacts: list[dict[str, Any]], more: tuple[tuple[Any, ...], ...] = ()) -> Inputs:
    """The world's Inputs: its three canaries (and the canary rows `more`), `contacts`."""
    rows = [
        ("c_1", "StockA", "stocks", T0, PRIMARY, ALIASES[0], "欧阳建国", "ouyang", False, ("1987-03-14",)),
        ("c_2", "CarsB", "cars", T0, PRIMARY, ALIASES[1], "汪丽", "wang", False, ("1990-05-02",)),
        ("c_3", "LoanC", "loans", T0 + 5 * DAY, POOL, ALIASES[2], "孙琴", "sun", False, ()),
        *more,
    ]
    return Inputs(
        canaries=canaries_frame(rows),
        contacts=contacts_frame(contacts),
        real_name="杨伟",
        primary=PRIMARY,
        controls=frozenset({CONTROL}),
        platforms=["StockA", "CarsB", "LoanC"],
        categories={"StockA": "stocks", "CarsB": "cars", "LoanC": "loans"},
    )
