"""One renderer per report format, chosen by `ReportFormat`; `render` is the single entry point.

A renderer is any object with `render(report, options) -> str`. Each lives in its own module and
is imported only when asked for, so `tracer report --format table` never loads pandas or Jinja.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol, cast

from tracer import i18n
from tracer.errors import InputError
from tracer.i18n import _
from tracer.reports import redaction

REQUIRED_KEYS = ("generated_at", "platforms", "contacts", "campaigns")


class ReportFormat(StrEnum):
    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    HTML = "html"


@dataclass(frozen=True)
class Options:
    """What a renderer needs to know beyond the report: width and what was redacted."""

    redacted: bool = True
    real_name_redacted: bool = False
    width: int = 80
    # platform -> the identity given to it ({"phone", "name", "email"}), for the complaint
    # drafts the HTML report carries; without it the drafts name the numbers the contacts reached.
    identities: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)
    # platform -> the fields of its identity no other platform was given (`complaint.given_only`,
    # worked out before redaction), so that a draft says "given to no one else" only of those
    given_only: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # where the page's "back" link leads (`tracer serve` passes its desk, "/"); None: no link,
    # as in a report written to a file
    back_to: str | None = None


class Renderer(Protocol):
    def render(self, report: Mapping[str, Any], options: Options) -> str: ...


_MODULES = {
    ReportFormat.TABLE: "tracer.reports.table",
    ReportFormat.JSON: "tracer.reports.json_format",
    ReportFormat.CSV: "tracer.reports.csv_format",
    ReportFormat.HTML: "tracer.reports.html_format",
}


def renderer(fmt: ReportFormat | str) -> Renderer:
    """The renderer for `fmt` (each module exposes it as `RENDERER`)."""
    return cast(Renderer, importlib.import_module(_MODULES[_format(fmt)]).RENDERER)


def render(
    report: Mapping[str, Any],
    fmt: ReportFormat | str,
    *,
    redact: bool = True,
    real_name: str | None = None,
    width: int = 80,
    identities: Mapping[str, Mapping[str, str | None]] | None = None,
    lang: str | None = None,
    tz: str | None = None,
    back_to: str | None = None,
) -> str:
    """`report` (the `tracer report --format json` dict) as text in `fmt`.

    With `redact` (the default) phone numbers, mail addresses and `real_name` are redacted
    everywhere, including evidence details and message text; see `tracer.reports.redaction`.
    Text a person reads is in `lang` with times in IANA zone `tz` (default: the current
    `tracer.i18n` language and zone); the JSON and CSV keep UTC. `back_to`: a link the HTML
    page starts its navigation with (the web desk serving the page), none by default.
    """
    check(report)
    chosen = renderer(fmt)
    data = redaction.redact(report, real_name) if redact else dict(report)
    options = Options(
        redacted=redact, real_name_redacted=bool(redact and real_name and real_name.strip()),
        width=width, identities=_masked(identities or {}, real_name) if redact else dict(identities or {}),
        given_only=_given_only(identities, real_name), back_to=back_to,
    )  # fmt: skip
    with i18n.reading(lang, tz):
        return chosen.render(data, options)


def _given_only(
    identities: Mapping[str, Mapping[str, str | None]] | None, real_name: str | None
) -> dict[str, frozenset[str]]:
    if not identities:
        return {}
    from tracer.reports import complaint  # Jinja loads only for a page that carries drafts

    return complaint.given_only(identities.items(), own=(real_name,))


def _masked(
    identities: Mapping[str, Mapping[str, str | None]], real_name: str | None
) -> dict[str, dict[str, str | None]]:
    """Identities redacted like the report: a canary's number may be the user's own, and a
    real-name (KYC) canary carries the user's name."""
    doc = redaction.redact({"identities": dict(identities)}, real_name)
    return {str(k): dict(v) for k, v in doc["identities"].items()}


def check(report: Mapping[str, Any]) -> None:
    """InputError unless `report` has the contract's top-level shape."""
    if not isinstance(report, Mapping):
        raise InputError(_("a report must be a JSON object (the `tracer report --format json` shape)"))
    missing = [key for key in REQUIRED_KEYS if key not in report]
    if missing:
        raise InputError(_("report is missing {missing}").format(missing=', '.join(missing)), field=missing[0])
    for key in REQUIRED_KEYS[1:]:
        if not isinstance(report[key], list):
            raise InputError(_("must be a list"), field=key)


def _format(fmt: ReportFormat | str) -> ReportFormat:
    try:
        return ReportFormat(fmt)
    except ValueError:
        choices = ", ".join(f.value for f in ReportFormat)
        raise InputError(_("unknown report format {fmt!r} (choose {choices})").format(fmt=fmt, choices=choices)) from None
