"""When things happen: working hours in the user's zone, random times of day, count draws."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from random import Random
from zoneinfo import ZoneInfo

DAY = 86400.0

# Local hours (open, close) per channel. The US TCPA bars telephone solicitation before 8:00 and
# after 21:00 local time (47 CFR 64.1200(c)(1)); we assume Chinese call centres keep similar
# office hours. SMS go out a little wider; mail at any hour.
HOURS = {"call": (9, 21), "sms": (8, 22), "email": (0, 24)}
# Relative activity per local hour for unsolicited calls and SMS (a lunch dip, an evening tail).
_WEIGHTS = (0, 0, 0, 0, 0, 0, 0, 0, 2, 5, 6, 6, 3, 4, 6, 6, 6, 5, 4, 3, 2, 1, 0, 0)
_MAIL_WEIGHTS = (2, 1, 1, 1, 1, 1, 2, 3, 4, 5, 5, 5, 4, 4, 5, 5, 5, 4, 4, 4, 4, 3, 3, 2)


def seconds(value: datetime) -> datetime:
    """`value` without microseconds: every contact time is whole seconds."""
    return value.replace(microsecond=0)


def open_hours(rng: Random, at: datetime, zone: ZoneInfo, channel: str) -> datetime:
    """`at` if the channel is active then; else a random moment soon after the next opening."""
    start, stop = HOURS[channel]
    local = at.astimezone(zone)
    if start <= local.hour < stop:
        return seconds(at)
    opening = local.replace(hour=start, minute=0, second=0, microsecond=0)
    if local.hour >= stop:
        opening += timedelta(days=1)
    delay = timedelta(seconds=rng.expovariate(1 / 5400.0) % ((stop - start) * 3600))
    return seconds((opening + delay).astimezone(UTC))


def daytime(rng: Random, day: datetime, zone: ZoneInfo, channel: str) -> datetime:
    """A random moment on the local day containing `day`, weighted by channel activity."""
    weights = _MAIL_WEIGHTS if channel == "email" else _WEIGHTS
    local = day.astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)
    hour = rng.choices(range(24), weights=weights)[0]
    moment = local.replace(hour=hour, minute=rng.randrange(60), second=rng.randrange(60))
    return seconds(moment.astimezone(UTC))


def poisson(rng: Random, mean: float) -> int:
    """A Poisson count (Knuth for small means, a rounded normal beyond 50)."""
    if mean <= 0:
        return 0
    if mean > 50:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def geometric(rng: Random, mean: float) -> int:
    """A count >= 0 with the given mean (geometric), for repeat attempts."""
    if mean <= 0:
        return 0
    stop = 1.0 / (1.0 + mean)
    count = 0
    while rng.random() > stop:
        count += 1
    return count


def days(value: float) -> timedelta:
    return timedelta(seconds=value * DAY)
