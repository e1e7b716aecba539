"""`tracer unlock` and `tracer lock`: the vault's key kept for a while by an agent (tracer.agent)."""

from __future__ import annotations

import math
import re

import typer

from tracer.cli import common
from tracer.errors import InputError
from tracer.i18n import _, ngettext

_DURATION = re.compile(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")


def unlock(
    duration: str = typer.Option("15m", "--for", help="How long: 90s, 15m, 2h, 1h30m (a bare number is minutes; at most 24h)."),
    status: bool = typer.Option(False, "--status", help="Only say whether the vault is unlocked, and for how long."),
    as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP),
) -> None:
    """Keep the vault's key for a while, so that commands need no passphrase (off by default)."""
    import time

    from tracer import agent

    common.use_language(common.state.lang)
    if status:
        ends = agent.until(common.home())
    else:
        wanted = seconds(duration)  # a bad --for is refused before the passphrase is asked
        ends = agent.unlock(common.home(), common.passphrase(), wanted)
    left = None if ends is None else max(0, ends - time.time())
    if as_json:
        from tracer import times

        common.emit_json({"unlocked": ends is not None, "until": None if ends is None else times.iso(times.from_epoch(ends))})
        return
    if left is None:
        common.console.print(_("The vault is locked: commands ask for the passphrase."))
        return
    minutes = max(1, math.ceil(left / 60))
    common.console.print(
        ngettext(
            "Unlocked for {n} more minute: commands need no passphrase until then.",
            "Unlocked for {n} more minutes: commands need no passphrase until then.",
            minutes,
        ).format(n=minutes)
    )
    if not status:
        common.console.print(_("`tracer lock` forgets the key sooner. TRACER_PASSPHRASE, when set, is used instead."))


def lock(as_json: bool = typer.Option(False, "--json", help=common.JSON_HELP)) -> None:
    """Forget the key `tracer unlock` kept: commands ask for the passphrase again."""
    from tracer import agent

    common.use_language(common.state.lang)
    ended = agent.lock(common.home())
    if as_json:
        common.emit_json({"locked": True, "was_unlocked": ended})
        return
    common.console.print(_("Locked: the key is forgotten.") if ended else _("Nothing was unlocked."))


def seconds(text: str) -> float:
    """`--for`'s value in seconds: 90s, 15m, 2h, 1h30m, or a bare number of minutes."""
    spelled = text.strip().lower().replace(" ", "")
    if spelled.isdigit():
        return _checked(int(spelled) * 60.0)
    match = _DURATION.fullmatch(spelled)
    if not spelled or match is None:
        raise InputError(_("not a duration: {text!r}").format(text=text), field="--for", hint=_("write it like 90s, 15m, 2h or 1h30m"))
    hours, minutes, secs = (int(part or 0) for part in match.groups())
    return _checked(hours * 3600.0 + minutes * 60.0 + secs)


def _checked(value: float) -> float:
    from tracer import agent

    return agent.checked(value, field="--for")
