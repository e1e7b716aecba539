"""Twilio webhooks: voice and messaging callbacks for pool numbers become contacts.

Twilio signs each request (X-Twilio-Signature: HMAC of the URL it called and the POST fields,
keyed by the account's auth token). `Guard.check` refuses a request whose signature does not
hold, one for a CallSid/MessageSid already recorded (a replay: Twilio's retries and an attacker's
copies look alike, and both would count the same caller twice), and one whose `Timestamp` field is
older than `MAX_AGE`. Refusals are logged with the path and reason, never the fields.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import StrEnum

from twilio.request_validator import RequestValidator

from tracer import contacts, phones, times
from tracer.errors import InputError
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault

log = logging.getLogger("tracer.serve.twilio")
MAX_AGE = 300.0  # seconds: Twilio calls back within seconds; an older signed request is a copy
AUTH_TOKEN_ENV = "TRACER_TWILIO_AUTH_TOKEN"
AUTH_TOKEN_KEYRING = "twilio-auth-token"


class Hook(StrEnum):
    VOICE = "voice"
    SMS = "sms"


class Refused(Exception):
    """A webhook request that must not become a contact; `status` is the HTTP answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


@dataclass
class Guard:
    """Signature, replay and age checks for one Twilio account's auth token."""

    auth_token: str
    clock: Callable[[], float] = time.time
    max_age: float = MAX_AGE

    def __post_init__(self) -> None:
        self._validator = RequestValidator(self.auth_token)
        self._lock = threading.Lock()
        self._seen: set[str] = set()

    def remember(self, sids: Iterable[str]) -> None:
        """SIDs already in the vault (from an earlier run): replays of them are refused too."""
        with self._lock:
            self._seen.update(sids)

    def check(self, url: str, params: Mapping[str, str], signature: str | None) -> str:
        """The request's SID, claimed; Refused when unsigned, forged, stale or replayed."""
        if not signature or not self._validator.validate(url, dict(params), signature):
            raise Refused(403, "missing or invalid X-Twilio-Signature")
        self._check_age(params.get("Timestamp"))
        sid = params.get("CallSid") or params.get("MessageSid") or params.get("SmsSid") or ""
        if not sid:
            raise Refused(400, "no CallSid or MessageSid")
        with self._lock:
            if sid in self._seen:
                raise Refused(409, f"replayed {sid}")
            self._seen.add(sid)
        return sid

    def release(self, sid: str) -> None:
        """Forget a claim whose contact could not be stored (Twilio's retry may then succeed)."""
        with self._lock:
            self._seen.discard(sid)

    def _check_age(self, stamp: str | None) -> None:
        if not stamp:
            return
        try:
            sent = parsedate_to_datetime(stamp).timestamp()
        except (TypeError, ValueError):
            raise Refused(400, "unreadable Timestamp") from None
        if self.clock() - sent > self.max_age:
            raise Refused(403, "stale request (Timestamp too old)")


def record_for(hook: Hook, params: Mapping[str, str], region: str, sid: str) -> ContactRecord:
    """The contact a verified callback describes (InputError for an unreadable number)."""
    caller_name = (params.get("CallerName") or "").strip() or None
    body = (params.get("Body") if hook is Hook.SMS else params.get("TranscriptionText")) or ""
    duration = params.get("CallDuration") or params.get("Duration")
    return ContactRecord(
        channel=Channel.SMS if hook is Hook.SMS else Channel.CALL,
        at=times.now().replace(microsecond=0),
        to=phones.party(params.get("To"), region, field="To"),
        sender=phones.party(params.get("From"), region, field="From"),
        heard_name=None,
        text=body.strip() or None,
        duration=int(duration) if duration and duration.isdigit() else None,
        external_id=sid,
        headers={"source": "twilio"},
        caller_name=caller_name,
    )


def store(vault: Vault, hook: Hook, params: Mapping[str, str], sid: str) -> str:
    """Record a verified callback as a contact; returns its id."""
    try:
        contact, _ = contacts.log(vault, record_for(hook, params, vault.settings.region, sid))
    except InputError as exc:
        raise Refused(400, exc.message) from None
    return contact.id


def known_sids(vault: Vault) -> set[str]:
    """External ids in the vault that look like Twilio SIDs (CA…, SM…, MM…)."""
    frame = contacts.frame(vault)
    ids = frame["external_id"].dropna().astype(str)
    return set(ids[ids.str.match(r"^(CA|SM|MM)[0-9a-f]{32}$")])
