"""Terminal table (rich): one sentence per finding, then every platform in a table that fits.

Data given to StockPro reached callers — 97% sure; 14 contacts, the first 5 h after
signup; the same callers also reached data given to CarDeals.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracer import i18n
from tracer.i18n import _, ngettext
from tracer.reports import wording
from tracer.reports.formats import Options

_STYLE = {"leaked": "bold red", "suspected": "yellow", "no-evidence": "dim"}
_MARK = {"leaked": "●", "suspected": "◐", "no-evidence": "○"}
_NAME_KEPT = 16  # cells of a platform's name the table never cuts


class TableRenderer:
    def render(self, report: Mapping[str, Any], options: Options) -> str:
        console = Console(
            width=options.width, record=True, file=io.StringIO(), color_system=None, markup=False,
            force_terminal=False, legacy_windows=False, emoji=False, highlight=False,
        )  # fmt: skip
        platforms = wording.sort_platforms(report.get("platforms", []))
        console.print(
            Text(_("Leak Tracer report · {time}").format(time=wording.stamp(report.get("generated_at"))),
                 style="bold")
        )
        console.print(wording.headline(platforms))
        console.print()
        for row in platforms:
            if row.get("verdict") in ("leaked", "suspected"):
                console.print(_finding(row))
        if any(r.get("verdict") in ("leaked", "suspected") for r in platforms):
            console.print()
        console.print(platform_table(platforms, options.width))
        for line in _footer(report, options):
            console.print(line)
        text = console.export_text(styles=False)
        return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _finding(row: Mapping[str, Any]) -> Table:
    verdict = str(row.get("verdict"))
    text = Text(wording.finding(row), style="bold")
    text.append(_(" — {percent} sure; ").format(percent=i18n.percent(row.get("confidence"))))
    count = int(row.get("contacts") or 0)
    text.append(ngettext("{n} contact", "{n} contacts", count).format(n=count))
    if row.get("days_to_first_contact") is not None:
        text.append(_(", the first {delay} after signup").format(delay=wording.delay(row["days_to_first_contact"])))
    linked = row.get("linked_platforms") or []
    if linked:
        text.append(_("; the same callers also reached data given to {platforms}").format(platforms=_(", ").join(linked)))
    text.append(_("."))
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(_MARK.get(verdict, "•"), style=_STYLE.get(verdict, "")), text)
    return grid


def platform_table(platforms: list[Mapping[str, Any]], width: int) -> Table:
    """All platforms, in the given order; below 72 columns the date and linked columns give way to
    the rest. Every cell is Text, so a name is printed as typed by any console (no markup)."""
    wide = width >= 72
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    # a platform's name is cut only past _NAME_KEPT cells: the linked column folds first
    names = [cell_len(str(row.get("platform", ""))) for row in platforms]
    table.add_column(_("Platform"), overflow="fold", min_width=min(max([8, *names]), _NAME_KEPT))
    table.add_column(_("Verdict"), no_wrap=True)
    table.add_column(_("Conf."), justify="right", no_wrap=True)
    table.add_column(_("Contacts"), justify="right", no_wrap=True)
    if wide:
        table.add_column(_("First contact"), no_wrap=True)
    table.add_column(_("Delay"), justify="right", no_wrap=True)
    if wide:
        table.add_column(_("Linked"), overflow="fold", min_width=8)
    for row in platforms:
        verdict = str(row.get("verdict"))
        cells = [
            Text(str(row.get("platform", ""))),
            Text(wording.verdict_label(verdict), style=_STYLE.get(verdict, "")),
            Text(i18n.percent(row.get("confidence"))),
            Text(str(row.get("contacts") or 0)),
            Text(wording.day(row.get("first_contact_at"))),
            Text(wording.delay(row.get("days_to_first_contact"), short=True)),
            Text(_(", ").join(row.get("linked_platforms") or []) or "—"),
        ]
        table.add_row(*(cells if wide else cells[:4] + cells[5:6]))
    return table


def _footer(report: Mapping[str, Any], options: Options) -> list[str]:
    contacts = report.get("contacts", [])
    loose = sum(1 for c in contacts if not c.get("platform"))
    lines = [
        "",
        ngettext(
            "{n} contact; {loose} not attributed to a single platform "
            "(background noise, or a number shared by several canaries).",
            "{n} contacts; {loose} not attributed to a single platform "
            "(background noise, or a number shared by several canaries).",
            len(contacts),
        ).format(n=wording.count(len(contacts)), loose=wording.count(loose)),
        _("Times are {zone}.").format(zone=wording.zone()),
    ]
    for campaign in report.get("campaigns", []):
        callers = len(campaign.get("callers") or [])
        lines.append(
            ngettext(
                "Campaign {id}: {n} caller reached data given to {platforms} ({contacts} contacts).",
                "Campaign {id}: {n} callers reached data given to {platforms} ({contacts} contacts).",
                callers,
            ).format(
                id=campaign.get("id"), n=callers, contacts=campaign.get("contacts", 0),
                platforms=_(", ").join(campaign.get("platforms") or []),
            )  # fmt: skip
        )
    lines.append(wording.confidence_note())
    if options.redacted:
        lines.append(_redaction_note(options))
    return lines


def _redaction_note(options: Options) -> str:
    if options.real_name_redacted:
        return _("Redacted: your real name, phone numbers (country code and last two digits kept), mail addresses.")
    return _("Redacted: phone numbers (country code and last two digits kept), mail addresses.")


RENDERER = TableRenderer()
