"""The planned world: the user, their numbers, the platforms and who secretly does what.

A `World` is everything decided before any identity is issued. What the user knows is written
to world.json; who leaks, to whom and when lives only here and in truth.json.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from tracer.simulate.shape import Shape

BEHAVIOURS = ("none", "partners", "breach", "broker")


@dataclass(frozen=True)
class User:
    locale: str
    name: str
    gender: str  # "male" | "female": what callers' titles follow
    phone: str
    email: str
    email_domain: str  # catch-all domain for canary aliases
    region: str
    timezone: str
    city: str


@dataclass(frozen=True)
class Line:
    """A number the user owns. A recycled line still gets its previous owner's traffic."""

    e164: str
    label: str
    primary: bool = False
    control: bool = False
    recycled: bool = False
    previous_owner: str = ""
    previous_gender: str = ""


@dataclass(frozen=True)
class Platform:
    """A platform and its hidden conduct."""

    name: str
    category: str
    domain: str  # its own mail domain
    sender: str  # its SMS sender (106 channel / short code)
    hotline: str  # the number its sales team calls from
    real_name: bool  # verifies identity (KYC)
    behaviour: str  # one of BEHAVIOURS
    leak_delay: float | None  # days from signup until the data leaves, None when it never does
    broker: str | None
    partners: tuple[str, ...]  # centre ids that receive the data (partners, breach buyers)
    marketing_sms: float  # own marketing SMS per day
    marketing_mail: float  # own newsletters per day
    sales_calls: int  # own sales calls in the days after signup


@dataclass(frozen=True)
class Planned:
    """A signup before its identity exists."""

    platform: str
    category: str
    at: datetime
    real_name: bool


@dataclass(frozen=True)
class Signup:
    """A signup with the identity actually given: what generate() works from.

    Only these fields are used downstream, so identities issued through the real vault (the
    demo) work as well as those from `issue_locally`.
    """

    platform: str
    category: str
    at: datetime
    real_name: bool
    phone: str
    name: str
    email: str | None
    markers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Centre:
    """A call centre (or spam operation) working one topic from a list of targets."""

    id: str
    kind: str  # "partner" | "scam" | "broker" | "background"
    topic: str
    signature: str  # the 【签名】 its SMS carry, or the company a recording claims to be
    callers: tuple[str, ...]  # caller IDs it rents, used in turn
    rotate: float  # mean calls per caller ID before it moves to the next
    spoof: float  # share of calls showing a local-looking spoofed number instead
    senders: tuple[str, ...]  # SMS sender numbers
    sms: float  # share of its contacts that are SMS
    mail: float  # chance it also mails a target whose alias it holds
    callbacks: tuple[str, ...]  # numbers printed in its texts; the next one every `callback_days`
    callback_days: float
    live: bool  # live agents say names; recordings never do
    scripts: tuple[int, ...]  # its templates (Chinese) or corpus scripts (English)
    per_target: float  # mean contacts per target
    gap: float  # mean days between the first contacts to one target (grows later)
    url: str
    wx: str  # WeChat id printed in texts
    batch_days: float  # broker centres buy fresh lists every this many days


@dataclass(frozen=True)
class Broker:
    id: str
    platforms: tuple[str, ...]
    centres: tuple[str, ...]
    sells_email: bool


@dataclass(frozen=True)
class World:
    shape: Shape
    user: User
    lines: tuple[Line, ...]
    platforms: tuple[Platform, ...]
    signups: tuple[Planned, ...]
    centres: tuple[Centre, ...]
    brokers: tuple[Broker, ...]
    start: datetime
    end: datetime

    def platform(self, name: str) -> Platform:
        for platform in self.platforms:
            if platform.name == name:
                return platform
        raise KeyError(name)

    def line(self, e164: str) -> Line:
        for line in self.lines:
            if line.e164 == e164:
                return line
        raise KeyError(e164)

    def centre(self, centre_id: str) -> Centre:
        for centre in self.centres:
            if centre.id == centre_id:
                return centre
        raise KeyError(centre_id)
