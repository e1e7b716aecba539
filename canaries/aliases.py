"""Email aliases: a random, pronounceable local part that says nothing about the platform.

A caller or mailer can read "komira82@…" aloud and it still identifies one canary, yet no one can
guess the platform from it (the generator is never told the platform).
"""

from __future__ import annotations

from collections.abc import Set
from random import Random

from canaries.errors import N_, InputError

PLUS_WARNING = N_(
    "plus-addressing: spammers often strip '+tags', so mail to this alias may prove only that "
    "the mailbox leaked, not which platform leaked it"
)
_CONSONANTS = "bdfgklmnprstvz"
_VOWELS = "aeiou"
_ATTEMPTS = 1000  # ~10^11 local parts: a collision streak this long means a bug


def pronounceable(rng: Random) -> str:
    """3–5 consonant–vowel syllables and two digits: "komira82" (6–10 letters + 2 digits)."""
    syllables = (rng.choice(_CONSONANTS) + rng.choice(_VOWELS) for _ in range(rng.randint(3, 5)))
    return "".join(syllables) + str(rng.randint(10, 99))


class Aliases:
    """Makes unique addresses at a catch-all domain, or plus-addresses of one mailbox."""

    def __init__(self, *, domain: str | None = None, plus_mailbox: str | None = None) -> None:
        if domain and plus_mailbox:
            raise InputError(N_("give an email domain or a plus mailbox, not both"), field="email")
        self._domain = _check_domain(domain) if domain else None
        self._mailbox = _split_mailbox(plus_mailbox) if plus_mailbox else None

    @property
    def warning(self) -> str | None:
        """The caveat every alias of this kind carries."""
        return PLUS_WARNING if self._mailbox else None

    def make(self, rng: Random, taken: Set[str]) -> str | None:
        """A new lowercase address not in `taken`, or None when no email is configured."""
        if not (self._domain or self._mailbox):
            return None
        for _ in range(_ATTEMPTS):
            address = self._address(pronounceable(rng))
            if address not in taken:
                return address
        raise AssertionError("no unused email alias after many draws; is `taken` a real set?")

    def _address(self, local: str) -> str:
        if self._mailbox:
            user, host = self._mailbox
            return f"{user}+{local}@{host}"
        return f"{local}@{self._domain}"


def _split_mailbox(mailbox: str) -> tuple[str, str]:
    user, at, host = mailbox.strip().lower().partition("@")
    if not (user and at and host) or "+" in user:
        raise InputError(
            N_("plus mailbox must look like name@example.com, without a +tag"),
            field="plus_mailbox",
            hint=N_("use the address your mail provider delivers name+anything@ to"),
        )
    return user, host


def _check_domain(domain: str) -> str:
    host = domain.strip().lstrip("@").lower()
    if "." not in host or "@" in host or any(c.isspace() for c in host):
        raise InputError(N_("email domain must be a bare domain such as example.org"), field="email_domain")
    return host
