"""The Jinja2 environment for report pages and complaint drafts (templates/ in this package).

HTML templates are autoescaped. Markdown drafts are not (HTML entities would show up in a
letter); they escape table cells with the `cell` filter instead.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from tracer import i18n


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("tracer.reports", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html", "html.j2"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = cell
    # Messages are looked up when a page renders, in the language active then (`tracer.i18n`).
    env.globals.update(_=i18n._, ngettext=i18n.ngettext, strong=strong)
    return env


def strong(message: str, **values: object) -> Markup:
    """`message.format(**values)` with each value in <strong>, everything escaped."""
    return Markup(escape(message).format(**{k: Markup("<strong>{}</strong>").format(v) for k, v in values.items()}))


@cache
def asset(name: str) -> str:
    """A static file (CSS, JS) shipped next to the templates."""
    return resources.files("tracer.reports").joinpath("templates", name).read_text("utf-8")


def cell(value: object) -> str:
    """A value safe inside a Markdown table cell: one line, pipes and tags escaped."""
    text = "" if value is None else str(value)
    return " ".join(text.split()).replace("|", "\\|").replace("<", "\\<")
