"""The language a person reads: gettext catalogs compiled by Babel, and local times.

    from tracer.i18n import _
    _("Wrote {path}").format(path=out)

Catalogs live in `tracer/locale/<lang>/LC_MESSAGES/tracer.po`; the build compiles them to `.mo`
(`setup.py`), and a catalog whose `.mo` is missing or older than its `.po` (a source checkout)
is compiled in memory on first use. English is the source language: a message without a
translation shows as written. `scripts/i18n` extracts new messages into every catalog, and a test
fails while any zh_CN message lacks its translation.

The language is chosen once per process, before the CLI builds its help texts: `--lang`, else
`LC_ALL`/`LC_MESSAGES`/`LANG` (the C and POSIX locales say nothing), else the vault's locale, else
English. Traditional Chinese (zh_TW, zh_HK) falls back to the Simplified catalog until it has its
own.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path
from types import ModuleType

LANGUAGES = ("zh_CN", "en_US")
DEFAULT = "en_US"
DOMAIN = "tracer"
LOCALE_DIR = Path(__file__).with_name("locale")
# Zones whose clocks are Beijing time; a Chinese reader knows them by that name.
_BEIJING = frozenset({"Asia/Shanghai", "Asia/Chongqing", "Asia/Chungking", "Asia/Harbin", "PRC"})
_FALLBACKS = {"zh_TW": "zh_CN", "zh_HK": "zh_CN", "zh_MO": "zh_CN", "zh_SG": "zh_CN"}

_current = DEFAULT
_zone = "UTC"


def normalize(tag: str | None) -> str | None:
    """`zh_CN.UTF-8`, `zh-Hans-CN`, `zh` or `en` as one of LANGUAGES (or a fallback); None if unknown."""
    if not tag:
        return None
    base = tag.split(".")[0].split("@")[0].replace("-", "_")
    if base in ("C", "POSIX", ""):
        return None
    parts = base.split("_")
    lang = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2), "")
    script = next((p.title() for p in parts[1:] if len(p) == 4), "")
    if lang == "zh":
        traditional = script == "Hant" or region in ("TW", "HK", "MO")
        tag = f"zh_{region or 'TW'}" if traditional else "zh_CN"
        return tag if tag in LANGUAGES else _FALLBACKS.get(tag, "zh_CN")
    if lang == "en":
        return "en_US"
    return None


def choose(explicit: str | None = None, vault_locale: str | None = None,
           environ: Mapping[str, str] | None = None) -> str:  # fmt: skip
    """The language to use: --lang, else the locale environment, else the vault's, else English."""
    return preferred(explicit, environ) or normalize(vault_locale) or DEFAULT


def preferred(explicit: str | None = None, environ: Mapping[str, str] | None = None) -> str | None:
    """The language --lang or the locale environment asks for; None when neither says."""
    env = os.environ if environ is None else environ
    for candidate in (explicit, env.get("LC_ALL"), env.get("LC_MESSAGES"), env.get("LANG")):
        found = normalize(candidate)
        if found:
            return found
    return None


def activate(lang: str) -> None:
    """Use `lang` (one of LANGUAGES) for every message from now on."""
    global _current
    _current = normalize(lang) or DEFAULT


def current() -> str:
    return _current


def set_zone(tz: str) -> None:
    """Show times a person reads in IANA zone `tz` (the vault's timezone); JSON stays UTC."""
    global _zone
    _zone = tz or "UTC"


def zone() -> str:
    return _zone


@contextmanager
def reading(lang: str | None = None, tz: str | None = None) -> Iterator[None]:
    """Within the block, messages are in `lang` and times in `tz` (None keeps the current one)."""
    saved = (_current, _zone)
    try:
        if lang:
            activate(lang)
        if tz:
            set_zone(tz)
        yield
    finally:
        activate(saved[0])
        set_zone(saved[1])


def is_chinese() -> bool:
    return _current.startswith("zh")


def _(message: str) -> str:
    """`message` in the current language (as written when it has no translation)."""
    return _catalog(_current).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for `n` in the current language (Chinese has one form)."""
    return _catalog(_current).ngettext(singular, plural, n)


def lend(module: ModuleType) -> None:
    """Make a library that wraps its English in the stdlib's `gettext` (zxcvbn's feedback) speak
    through our catalogs: its module-level `_` becomes ours. scripts/i18n.py extracts its messages
    (`LIBRARIES`) so that they are translated like our own."""
    setattr(module, "_", _)  # noqa: B010 - the name is the library's, not an attribute of ours


def N_(message: str) -> str:  # noqa: N802 - the gettext name for "mark, translate later"
    """Mark `message` for extraction only; translate it where it is shown with `_`."""
    return message


def reword(message: str, templates: tuple[str, ...]) -> str:
    """`message`, written in English from one of `templates` (catalog messages with `{fields}`,
    e.g. Click's "Missing option {name}."), in the current language: the template is recognised,
    translated, and filled with the same values, each itself reworded when it is one of the
    messages ("Invalid value for {name}: {reason}"). As written when no template matches."""
    for template, pattern in _patterns(templates):
        found = pattern.fullmatch(message)
        if found:
            values = {key: reword(value, templates) for key, value in found.groupdict().items()}
            return _(template).format(**values)
    return message


@cache
def _patterns(templates: tuple[str, ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Each template as a pattern, the most specific (the most fixed text) first."""
    field = re.compile(r"\\\{([a-z_]+)\\\}")  # a {field} as re.escape writes it
    ordered = sorted(templates, key=lambda t: len(re.sub(r"\{[a-z_]+\}", "", t)), reverse=True)
    return [(t, re.compile(field.sub(r"(?P<\1>.+?)", re.escape(t)), re.DOTALL)) for t in ordered]


@cache
def _catalog(lang: str) -> _gettext.NullTranslations:
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and (not po.exists() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    if po.exists():
        return _gettext.GNUTranslations(io.BytesIO(compile_po(po)))
    return _gettext.NullTranslations()


def compile_po(po: Path) -> bytes:
    """The `.mo` bytes of catalog `po` (Babel's compiler; fuzzy entries are left out)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    with po.open("rb") as handle:
        catalog = read_po(handle)
    out = io.BytesIO()
    write_mo(out, catalog)
    return out.getvalue()


# -- numbers and times, the reader's way -------------------------------------------------------
def number(value: float | int) -> str:
    """`12,345` / `12,345`; Babel's grouping for the current language."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_current))


def percent(confidence: float | None) -> str:
    """A probability as a percentage that never claims certainty: 1.0 and 0.996 show as >99%
    (every report, draft and evidence summary says it this way)."""
    if confidence is None:
        return "—"
    value = round(float(confidence) * 100)
    if value >= 100:
        return ">99%"
    if value <= 0 < confidence:
        return "<1%"
    return f"{value}%"


def zone_label(tz: str | None = None) -> str:
    """How the zone is named beside a time: 北京时间 for China's zone in Chinese, else its IANA name."""
    tz = tz or _zone
    if tz in _BEIJING and is_chinese():
        return "北京时间"
    return "UTC" if tz in ("UTC", "Etc/UTC") else tz


def local_time(moment: datetime, *, seconds: bool = False) -> str:
    """`2026-05-16 03:07` in the reader's zone (digits, sortable, the same in every language)."""
    from tracer import times

    local = moment.astimezone(times.zone(_zone))
    return local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
