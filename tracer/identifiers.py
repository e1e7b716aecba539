"""Identifiers are what they claim, checked where they are entered (InputError naming the field).

- platform names: NFKC-normalised (full-width letters become ASCII), stripped of control, zero-
  width and bidi characters, spaces collapsed, at most `MAX_NAME` characters; `platform_key` is
  what makes two names the same platform (case- and width-insensitive);
- people's names: the same cleaning and bound (a 600-character name is a mistake or an attack);
- regions: a region phonenumbers knows; numbers the user owns: valid for their region unless
  `allow_unusual` (test ranges, new ranges phonenumbers does not know yet);
- mail addresses and domains: parseable, with a real host name; booleans: strict.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers

from tracer import phones
from tracer.errors import InputError
from tracer.i18n import _

MAX_NAME = 100  # characters: longer than any real platform or person name (and bounds the regexes built from them)
MAX_EMAIL = 254  # RFC 5321's limit on a forward path
_HIDDEN = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}  # controls, zero-width/bidi formats, private use, surrogates
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_LOCAL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}$")
TRUE, FALSE = frozenset({"1", "true", "yes", "y"}), frozenset({"0", "false", "no", "n", ""})


def clean_text(raw: str) -> str:
    """NFKC, hidden characters dropped, runs of spaces made one, trimmed."""
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(" " if ch in "\t\n\r" else ch for ch in text if ch in "\t\n\r" or unicodedata.category(ch) not in _HIDDEN)
    return " ".join(text.split())


def name(raw: str, *, field: str, file: str | None = None, line: int | None = None) -> str:
    """A platform or person name, cleaned and bounded."""
    text = clean_text(raw)
    if not text:
        raise InputError(_("a name is required"), file=file, line=line, field=field)
    if len(text) > MAX_NAME:
        raise InputError(_("too long ({n_text} characters; at most {limit})").format(n_text=len(text), limit=MAX_NAME), file=file, line=line, field=field)
    return text


def platform_key(platform: str) -> str:
    """What makes two platform names one platform: cleaned, then case-folded."""
    return clean_text(platform).casefold()


def region(raw: str) -> str:
    code = raw.strip().upper()
    if code not in phonenumbers.SUPPORTED_REGIONS:
        raise InputError(_("not a region code phonenumbers knows ({value!r})").format(value=code[:8]), field="region",
                         hint=_("a two-letter code such as CN, US or GB"))  # fmt: skip
    return code


def owned_number(
    raw: str, region_code: str, *, allow_unusual: bool = False, field: str = "number",
    file: str | None = None, line: int | None = None,
) -> str:  # fmt: skip
    """E.164 of a number the user owns: a valid number for its region unless `allow_unusual`."""
    e164, valid = phones.parse_field(raw, region_code, field=field, file=file, line=line)
    if not allow_unusual and not valid:
        raise InputError(_("{e164} is not a valid number in any assigned range").format(e164=phones.redact(e164)), file=file,
                         line=line, field=field, hint=_("check it, or pass --allow-unusual for a test number"))  # fmt: skip
    return e164


def domain(raw: str, *, field: str = "email-domain") -> str:
    """A host name: dot-separated labels of letters, digits and hyphens (IDNs as punycode)."""
    text = raw.strip().lower().rstrip(".")
    try:
        ascii_form = text.encode("idna").decode("ascii")
    except UnicodeError:
        raise InputError(_("not a domain name"), field=field) from None
    labels = ascii_form.split(".")
    if len(ascii_form) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        raise InputError(_("not a domain name"), field=field, hint=_("e.g. mail.example.org"))
    return text


def email(raw: str, *, field: str = "email", file: str | None = None, line: int | None = None) -> str:
    """A mail address: local@domain, lower-cased, at most 254 characters."""
    text = raw.strip()
    local, at, host = text.rpartition("@")
    if not at or len(text) > MAX_EMAIL or not _LOCAL.match(local) or ".." in local:
        raise InputError(_("not a mail address"), file=file, line=line, field=field)
    try:
        host = domain(host, field=field)
    except InputError:
        raise InputError(_("not a mail address (bad domain)"), file=file, line=line, field=field) from None
    return f"{local}@{host}".lower()


def boolean(raw: str | None, *, field: str, file: str | None = None, line: int | None = None) -> bool:
    """Strict yes/no: 1/true/yes/y or 0/false/no/n/empty; anything else is an error."""
    text = (raw or "").strip().lower()
    if text in TRUE:
        return True
    if text in FALSE:
        return False
    raise InputError(_("not a yes/no value ({value!r}; use true or false)").format(value=text[:12]), file=file, line=line, field=field)
