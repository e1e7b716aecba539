"""Worlds not shaped like the defaults: named, documented departures a benchmark can apply.

The defaults in `Shape` are one reading of the issues' research; a held-out judge will have its
own. Each variant changes a seeded world's knobs the way a plausible other world would differ,
and nothing else, so `python -m benchmarks.accuracy --variant NAME` measures the model on the
same seeds under that departure.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from tracer.errors import InputError
from tracer.i18n import _
from tracer.simulate.shape import Shape


@dataclass(frozen=True)
class Variant:
    name: str
    why: str  # the real-world habit it stands for
    apply: Callable[[Shape], Shape]


def _rates(shape: Shape, factor: float) -> Shape:
    return replace(
        shape,
        background_rate=round(shape.background_rate * factor, 4),
        primary_rate=round(shape.primary_rate * factor, 4),
        previous_owner_rate=round(shape.previous_owner_rate * factor, 4),
        mail_background_rate=round(shape.mail_background_rate * factor, 4),
    )


def _recycled(shape: Shape) -> Shape:
    pool = max(shape.pool, 3)
    controls = min(shape.controls, 1)
    return replace(
        shape,
        pool=pool,
        controls=controls,
        recycled=pool - controls,
        previous_owner_rate=round(shape.previous_owner_rate * 2, 4),
    )


VARIANTS: dict[str, Variant] = {
    v.name: v
    for v in (
        Variant(
            "busy",
            "three times the unsolicited traffic on every line (a number on many spam lists, a "
            "city with busier call centres)",
            lambda s: _rates(s, 3.0),
        ),
        Variant("quiet", "a third of the unsolicited traffic (a carrier that blocks spam)", lambda s: _rates(s, 1 / 3)),
        Variant(
            "recycled",
            "every spare number recycled, its previous owner's callers twice as busy (prepaid "
            "numbers reissued after 90 days)",
            _recycled,
        ),
        Variant(
            "solo",
            "one number for everything and 40 platforms: nothing singles a platform out but names",
            lambda s: replace(s, pool=0, controls=0, recycled=0, platforms=40),
        ),
        Variant(
            "late",
            "breaches and broker sales three months after signup, over a year (data sold when a "
            "company fails or a dump resurfaces)",
            lambda s: replace(s, leak_lag=90.0, days=max(s.days, 365)),
        ),
        Variant(
            "waves",
            "brokers resell every record in three waves, 1-4 months apart, over a year",
            lambda s: replace(s, resale_waves=3, days=max(s.days, 365)),
        ),
        Variant(
            "fresh-ids",
            "every centre call shows a caller ID never shown before (rented SIM banks, spoofing)",
            lambda s: replace(s, fresh_caller_ids=True),
        ),
        Variant(
            "mangled",
            "names said and written wrong twice as often (worse lists, a noisier line)",
            lambda s: replace(s, mangle=2.0),
        ),
        Variant(
            "own-senders",
            "platforms text their codes and offers from four sender numbers (several SMS gateways)",
            lambda s: replace(s, own_senders=4),
        ),
    )
}


def apply(shape: Shape, name: str) -> Shape:
    """`shape` as variant `name` changes it ("" or "default": unchanged)."""
    if name in ("", "default"):
        return shape
    if name not in VARIANTS:
        raise InputError(
            _("no simulated world is called {name!r}").format(name=name),
            field="variant",
            hint=", ".join(sorted(VARIANTS)),
        )
    return VARIANTS[name].apply(shape)
