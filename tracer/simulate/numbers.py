"""Phone numbers a real world would show: valid mobiles and landlines, spoofs, SMS senders.

Every E.164 number made here passes `phonenumbers.is_valid_number`, so importers see the same
kind of numbers they see in real exports. SMS senders from companies are not E.164: Chinese
106-channel numbers and US short codes are written as the phone shows them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from random import Random

import phonenumbers

# Mobile prefixes in service (MIIT number plan); 170/171/162/165/167 are the virtual-operator
# ranges that telemarketers favour.
CN_MOBILE = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147",
    "150", "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175",
    "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188",
    "189", "191", "193", "195", "198", "199",
)  # fmt: skip
CN_VIRTUAL = ("170", "171", "162", "165", "167")
# 106 SMS gateways: one gateway number serves many client companies, each told apart by the
# extension digits after it, so unrelated senders share leading digits.
GATEWAYS = ("10690288", "10690155", "1069055", "10655903", "10657109", "1065902", "10691588")


@dataclass(frozen=True)
class City:
    """Where the user lives: name, area code (landline or NPA) and IANA zone."""

    name: str
    area_codes: tuple[str, ...]
    timezone: str


CN_CITIES = (
    City("上海", ("21",), "Asia/Shanghai"),
    City("北京", ("10",), "Asia/Shanghai"),
    City("广州", ("20",), "Asia/Shanghai"),
    City("深圳", ("755",), "Asia/Shanghai"),
    City("杭州", ("571",), "Asia/Shanghai"),
    City("成都", ("28",), "Asia/Shanghai"),
    City("武汉", ("27",), "Asia/Shanghai"),
    City("南京", ("25",), "Asia/Shanghai"),
    City("西安", ("29",), "Asia/Shanghai"),
    City("重庆", ("23",), "Asia/Shanghai"),
)
US_CITIES = (
    City("New York", ("212", "646", "718", "917", "347"), "America/New_York"),
    City("Chicago", ("312", "773", "872"), "America/Chicago"),
    City("Los Angeles", ("213", "310", "323", "424"), "America/Los_Angeles"),
    City("Houston", ("713", "832", "281"), "America/Chicago"),
    City("Atlanta", ("404", "678", "470"), "America/New_York"),
    City("Seattle", ("206", "425"), "America/Los_Angeles"),
    City("Denver", ("303", "720"), "America/Denver"),
    City("Phoenix", ("602", "480"), "America/Phoenix"),
)


def cities(locale: str) -> tuple[City, ...]:
    return CN_CITIES if locale.startswith("zh") else US_CITIES


def valid(e164: str) -> bool:
    return _valid(e164)


@lru_cache(maxsize=1 << 16)
def _valid(e164: str) -> bool:
    try:
        return phonenumbers.is_valid_number(phonenumbers.parse(e164, None))
    except phonenumbers.NumberParseException:
        return False


def mobile(rng: Random, locale: str, city: City, *, spammy: bool = False) -> str:
    """A valid mobile number: +86 1xx… in China, an NPA of `city` in the US."""
    if not locale.startswith("zh"):
        return us_number(rng, rng.choice(city.area_codes))
    prefixes = CN_VIRTUAL if spammy and rng.random() < 0.6 else CN_MOBILE
    return _until_valid(lambda: f"+86{rng.choice(prefixes)}{rng.randrange(10**8):08d}")


def landline(rng: Random, locale: str, city: City) -> str:
    """A valid fixed-line number in `city` (8 digits after a Chinese area code)."""
    area = rng.choice(city.area_codes)
    if not locale.startswith("zh"):
        return us_number(rng, area)
    return _until_valid(lambda: f"+86{area}{rng.randrange(2, 9)}{rng.randrange(10**7):07d}")


def us_number(rng: Random, area: str) -> str:
    """A valid +1 number in `area`; never the 555-01xx fiction range."""

    def draw() -> str:
        exchange = rng.randrange(200, 1000)
        if exchange % 100 == 11 or exchange == 555:
            exchange = 321
        return f"+1{area}{exchange}{rng.randrange(10**4):04d}"

    return _until_valid(draw)


def neighbour(rng: Random, target: str, locale: str, city: City) -> str:
    """A spoofed caller ID that looks local to `target`.

    US robocallers keep the target's area code and exchange ("neighbor spoofing"); Chinese
    callers show a landline of the target's city.
    """
    if locale.startswith("zh"):
        return landline(rng, locale, city)
    return _until_valid(lambda: f"{target[:8]}{rng.randrange(10**4):04d}", fallback=target)


def block(rng: Random, locale: str, city: City, size: int) -> list[str]:
    """Consecutive-looking numbers a call centre rents as one block (shared leading digits)."""
    first = (
        mobile(rng, locale, city, spammy=True)
        if rng.random() < 0.6
        else landline(rng, locale, city)
    )
    stem = first[:-3]
    found = {first}
    for _ in range(size * 20):
        if len(found) >= size:
            break
        candidate = f"{stem}{rng.randrange(1000):03d}"
        if valid(candidate):
            found.add(candidate)
    return sorted(found)


def service_sender(rng: Random, locale: str) -> str:
    """An SMS sender a company uses: a 106 channel number in China, a short code in the US."""
    if locale.startswith("zh"):
        gateway = rng.choice(GATEWAYS)
        extension = "".join(str(rng.randrange(10)) for _ in range(rng.randint(3, 6)))
        return gateway + extension
    if rng.random() < 0.7:
        return str(rng.randrange(20000, 99999))
    return str(rng.randrange(200000, 999999))


def spoken(e164: str, locale: str) -> str:
    """How a number is written inside a text: 400-820-1234, 138 1234 5678, 833-631-7911."""
    digits = e164.lstrip("+")
    if locale.startswith("zh"):
        national = digits[2:] if digits.startswith("86") else digits
        if national.startswith("1") and len(national) == 11:
            return national
        return "0" + national[: len(national) - 8] + "-" + national[-8:]
    national = digits[1:] if digits.startswith("1") else digits
    return f"{national[:3]}-{national[3:6]}-{national[6:]}"


def hotline(rng: Random) -> str:
    """A Chinese 400 service line as printed in texts (not E.164: it cannot call out)."""
    return f"400-{rng.randrange(100, 1000)}-{rng.randrange(10**4):04d}"


def _until_valid(draw: Callable[[], str], *, fallback: str | None = None) -> str:
    for _ in range(200):
        number = draw()
        if _valid(number):
            return number
    if fallback is not None:
        return fallback
    raise RuntimeError("could not draw a valid phone number")  # pragma: no cover
