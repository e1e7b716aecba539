"""Keep the message catalogs in step with the code.

    .venv/bin/python scripts/i18n.py          # extract, then merge into every catalog
    .venv/bin/python scripts/i18n.py --check  # exit 1 while a message lacks its zh_CN translation

Messages are found where the code marks them (`_`, `N_`, `ngettext` in Python and in
report.html.j2), in the CLI's help texts (`tracer.cli.help.texts`) and in the libraries tracer
lends its catalog (`LIBRARIES`). English is the source
language: en_US's catalog repeats each message, zh_CN's translates it. New messages arrive
untranslated; the test suite fails until they are translated.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "tracer" / "locale"
LANGUAGES = ("zh_CN", "en_US")
METHODS = [
    ("**/templates/**.html.j2", "jinja2.ext:babel_extract"),
    ("**.py", "python"),
]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
# Libraries whose English goes through the stdlib's gettext; tracer lends them our catalog
# (`tracer.i18n.lend`), so their messages are extracted here like ours.
LIBRARIES = ("zxcvbn.feedback",)
PLACEHOLDER = re.compile(r"\{[a-z_0-9]*\}")


def template() -> Catalog:
    """Every message the code can show, as a catalog template."""
    sys.path.insert(0, str(ROOT))
    from tracer.cli import app
    from tracer.cli.help import texts

    pot = Catalog(project="leak-tracer", fuzzy=False)
    for package in ("tracer", "canaries"):  # canaries marks its errors' messages N_ too
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / package, METHODS, keywords=KEYWORDS
        ):
            if message:
                pot.add(message)
    for text in texts(app):
        pot.add(text)
    for library in LIBRARIES:
        origin = importlib.util.find_spec(library).origin  # type: ignore[union-attr]
        for _line, message, _comments, _context in extract_from_file("python", origin, keywords={"_": None}):
            pot.add(message)
    return pot


def path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "tracer.po"


def read(lang: str) -> Catalog:
    file = path(lang)
    if not file.exists():
        return Catalog(locale=lang, project="leak-tracer", fuzzy=False)
    with file.open("rb") as handle:
        return read_po(handle, locale=lang)


def update() -> None:
    pot = template()
    for lang in LANGUAGES:
        catalog = read(lang)
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()
        if lang == "en_US":
            for message in catalog:
                if message.id and not all(_strings(message.string)):
                    message.string = message.id
        target = path(lang)
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("wb") as handle:
            write_po(handle, catalog, omit_header=False, sort_output=True, no_location=True, width=100)
        print(f"{target.relative_to(ROOT)}: {len(catalog)} messages, {len(missing(lang, pot))} untranslated")


def missing(lang: str, pot: Catalog | None = None) -> list[str]:
    """Messages of the code that `lang` has no (or a broken) translation for."""
    pot = pot or template()
    catalog = read(lang)
    problems = []
    for message in pot:
        if not message.id:
            continue
        found = catalog.get(message.id)
        flat = _strings(found.string) if found else [""]
        if found is None or found.fuzzy or not all(flat):
            problems.append(_ident(message.id))
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        wanted = set(PLACEHOLDER.findall(" ".join(ids)))
        if any(set(PLACEHOLDER.findall(s)) != wanted for s in flat):
            problems.append(_ident(message.id) + "  (placeholders differ)")
    return problems


def _strings(value: str | tuple[str, ...] | None) -> list[str]:
    if isinstance(value, tuple | list):
        return list(value) or [""]
    return [value or ""]


def _ident(message_id: str | tuple[str, ...]) -> str:
    return message_id[0] if isinstance(message_id, tuple) else message_id


if __name__ == "__main__":
    if "--check" in sys.argv[1:]:
        gaps = missing("zh_CN")
        for gap in gaps:
            print(f"zh_CN: no translation: {gap!r}")
        sys.exit(1 if gaps else 0)
    update()
