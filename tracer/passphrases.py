"""Passphrase strength: zxcvbn's estimate (Dropbox's kept estimator), checked when one is chosen.

A weak passphrase is refused (`--weak-passphrase` accepts it): the vault's encryption is only
as strong as the passphrase that seals its keys. The message gives zxcvbn's score and advice,
never the passphrase.
"""

from __future__ import annotations

from tracer import i18n
from tracer.errors import RefusedError
from tracer.i18n import _

MIN_SCORE = 3  # of zxcvbn's 0-4: "safely unguessable: moderate protection from offline slow-hash attacks"
_CHECKED = 100  # zxcvbn's cost grows with length; the first 100 characters decide any real passphrase


def require_strong(passphrase: str) -> None:
    """Raise RefusedError unless zxcvbn scores `passphrase` at least MIN_SCORE."""
    from zxcvbn import feedback, zxcvbn  # loads its dictionaries only when a passphrase is chosen

    i18n.lend(feedback)  # its advice in the reader's language
    result = zxcvbn(passphrase[:_CHECKED])
    score = int(result["score"])
    if score >= MIN_SCORE:
        return
    advice = result["feedback"].get("warning") or _("add more words")
    raise RefusedError(
        _("the passphrase is weak (strength {score}/4, at least {MIN_SCORE} needed: {advice})").format(score=score, MIN_SCORE=MIN_SCORE, advice=advice),
        hint=_("use four or more random words, or pass --weak-passphrase"),
    )
