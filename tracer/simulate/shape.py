"""The knobs of a synthetic world, with where each default comes from."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from tracer.errors import InputError
from tracer.i18n import _

LOCALES = ("zh_CN", "en_US")
DEPARTURES = ("leak_lag", "resale_waves", "fresh_caller_ids", "mangle", "own_senders")


@dataclass(frozen=True)
class Shape:
    """What kind of world to generate. Same Shape, same files, byte for byte.

    Rates are contacts per line (or per day) and come from the product research quoted in the
    issues where one exists; the rest are stated assumptions, kept here so a benchmark can vary
    them instead of trusting them.
    """

    seed: int = 1
    platforms: int = 30
    days: int = 180
    locale: str = "zh_CN"
    pool: int = 2  # extra numbers besides the primary; most people own one or two numbers
    controls: int = 1  # of the pool: never given out, they measure background traffic
    recycled: int = 1  # of the pool: still called for their previous owner
    leak_share: float = 0.4  # platforms whose data leaves them; the rest are innocent
    start: str = "2026-01-05"  # first local day of the period (no wall clock, so reproducible)
    signup_span: float = 0.6  # signups fall in this leading share of the period
    # Research baseline (issues #2, #4): numbers never given out still receive about one
    # unsolicited contact every eight days.
    background_rate: float = 0.12
    # A number published for years (the user's own) draws more; assumed 0.3-0.5 per day.
    primary_rate: float = 0.4
    # Recycled numbers keep receiving their previous owner's traffic; assumed 0.1-0.3 per day.
    previous_owner_rate: float = 0.2
    # Dictionary spam to random local parts of a catch-all domain; an assumption.
    mail_background_rate: float = 0.03
    # How leaked platforms leak: shared with partners, breached later, sold to a broker.
    partners_share: float = 0.35
    breach_share: float = 0.2
    broker_share: float = 0.45
    # Of calls where the caller said a name, the share whose name the user writes down.
    heard_share: float = 0.5
    # Departures from the habits above (`tracer.simulate.variants` names plausible sets of them).
    # At their defaults they draw nothing and are left out of to_dict(), so a default world's
    # files stay byte for byte what they were before these knobs existed.
    leak_lag: float = 0.0  # days added to breach and broker leak delays (data sold months later)
    resale_waves: int = 1  # how many times a broker sells each record (1: one batch, then stale)
    fresh_caller_ids: bool = False  # every centre call shows a caller ID not shown before
    mangle: float = 1.0  # scales every name-mangling rate of `speech` (2.0: twice as often)
    own_senders: int = 1  # SMS sender numbers a platform texts its own codes and offers from

    def __post_init__(self) -> None:
        check(self)

    def to_dict(self) -> dict[str, Any]:
        """Every knob, except departures left at their defaults (world.json as it always was)."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in DEPARTURES or getattr(self, f.name) != f.default
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Shape:
        known = {f.name for f in fields(cls)}
        return cls(**{key: value for key, value in data.items() if key in known})


def check(shape: Shape) -> None:
    """Raise InputError naming the first field that cannot describe a world."""
    if shape.locale not in LOCALES:
        raise InputError(_("unsupported locale {locale!r}").format(locale=shape.locale), field="locale", hint=_("zh_CN|en_US"))
    _at_least(shape, "platforms", 1)
    _at_least(shape, "days", 7)
    for name in ("pool", "controls", "recycled"):
        _at_least(shape, name, 0)
    if shape.controls > shape.pool or shape.recycled > shape.pool:
        raise InputError(
            _("controls and recycled numbers are counted within the pool"),
            field="pool",
            hint=_("use --pool {controls} or more").format(controls=max(shape.controls, shape.recycled)),
        )
    try:
        date.fromisoformat(shape.start)
    except (TypeError, ValueError):
        raise InputError(_("{start!r} is not a date like 2026-01-05").format(start=shape.start), field="start") from None
    for name in ("leak_share", "signup_span", "heard_share"):
        value = getattr(shape, name)
        if not 0.0 <= value <= 1.0:
            raise InputError(_("{value} is not a share between 0 and 1").format(value=value), field=name)
    for name in ("background_rate", "primary_rate", "previous_owner_rate", "mail_background_rate", "leak_lag", "mangle"):
        if getattr(shape, name) < 0:
            raise InputError(_("a rate cannot be negative"), field=name)
    _at_least(shape, "resale_waves", 1)
    _at_least(shape, "own_senders", 1)
    mix = (shape.partners_share, shape.breach_share, shape.broker_share)
    if min(mix) < 0 or sum(mix) <= 0:
        raise InputError(_("leak behaviour shares must be non-negative, not all 0"), field="mix")


def _at_least(shape: Shape, name: str, low: int) -> None:
    if getattr(shape, name) < low:
        raise InputError(_("must be at least {low}").format(low=low), field=name)
