"""What the canaries package raises. It depends on nothing in `tracer`: the vault translates
these into its own errors (`tracer.identities`), carrying the same message, field and hint, read
in the user's language: messages marked `N_` here are in tracer's catalog (scripts/i18n.py
extracts them from this package too)."""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark a message for tracer's catalog; canaries itself speaks English."""
    return message


class CanaryError(Exception):
    """Base: a message for a person, the field it is about, and how to fix it."""

    def __init__(self, message: str, *, field: str | None = None, hint: str | None = None) -> None:
        super().__init__(message)
        self.message, self.field, self.hint = message, field, hint


class InputError(CanaryError):
    """A setting the caller can correct: an unknown locale, a malformed email domain."""


class RefusedError(CanaryError):
    """A valid request that cannot be met: no unused name left, only a control number to give."""
