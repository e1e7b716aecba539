"""Terminal table (rich): one sentence per finding, then every platform in a table that fits.

Data given to StockPro reached callers — 97% sure; 14 contacts, the first 5 h after
signup; the same callers also reached data given to CarDeals.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from tracer.reports import wording
from tracer.reports.formats import Options

_STYLE = {"leaked": "bold red", "suspected": "yellow", "no-evidence": "dim"}
_MARK = {"leaked": "●", "suspected": "◐", "no-evidence": "○"}


class TableRenderer:
    def render(self, report: Mapping[str, Any], options: Options) -> str:
        console = Console(
            width=options.width, record=True, file=io.StringIO(), color_system=None,
            force_terminal=False, legacy_windows=False, emoji=False, highlight=False,
        )  # fmt: skip
        platforms = wording.sort_platforms(report.get("platforms", []))
        console.print(
            Text(f"Leak Tracer report · {wording.when(report.get('generated_at'))} UTC", style="bold")
        )
        console.print(wording.headline(platforms))
        console.print()
        for row in platforms:
            if row.get("verdict") in ("leaked", "suspected"):
                console.print(_finding(row))
        if any(r.get("verdict") in ("leaked", "suspected") for r in platforms):
            console.print()
        console.print(_table(platforms, options.width))
        for line in _footer(report, options):
            console.print(line)
        text = console.export_text(styles=False)
        return "\n".join(line.rstrip() for line in text.splitlines()) + "\n"


def _finding(row: Mapping[str, Any]) -> Table:
    verdict = str(row.get("verdict"))
    text = Text(wording.finding(row), style="bold")
    text.append(f" — {wording.percent(row.get('confidence'))} sure; ")
    count = int(row.get("contacts") or 0)
    text.append(f"{count} contact{'s' if count != 1 else ''}")
    if row.get("days_to_first_contact") is not None:
        text.append(f", the first {wording.delay(row['days_to_first_contact'])} after signup")
    linked = row.get("linked_platforms") or []
    if linked:
        text.append(f"; the same callers also reached data given to {', '.join(linked)}")
    text.append(".")
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row(Text(_MARK.get(verdict, "•"), style=_STYLE.get(verdict, "")), text)
    return grid


def _table(platforms: list[Mapping[str, Any]], width: int) -> Table:
    """All platforms; below 72 columns the date and linked columns give way to the rest."""
    wide = width >= 72
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("Platform", overflow="fold", min_width=8)
    table.add_column("Verdict", no_wrap=True)
    table.add_column("Conf.", justify="right", no_wrap=True)
    table.add_column("Contacts", justify="right", no_wrap=True)
    if wide:
        table.add_column("First contact", no_wrap=True)
    table.add_column("Delay", justify="right", no_wrap=True)
    if wide:
        table.add_column("Linked", overflow="fold", min_width=8)
    for row in platforms:
        verdict = str(row.get("verdict"))
        cells: list[str | Text] = [
            str(row.get("platform", "")),
            Text(wording.VERDICT_LABEL.get(verdict, verdict), style=_STYLE.get(verdict, "")),
            wording.percent(row.get("confidence")),
            str(row.get("contacts") or 0),
            wording.day(row.get("first_contact_at")),
            wording.delay(row.get("days_to_first_contact"), short=True),
            ", ".join(row.get("linked_platforms") or []) or "—",
        ]
        table.add_row(*(cells if wide else cells[:4] + cells[5:6]))
    return table


def _footer(report: Mapping[str, Any], options: Options) -> list[str]:
    contacts = report.get("contacts", [])
    loose = sum(1 for c in contacts if not c.get("platform"))
    lines = [
        "",
        f"{len(contacts)} contacts; {loose} not attributed to a single platform "
        "(background noise, or a number shared by several canaries).",
    ]
    for campaign in report.get("campaigns", []):
        callers = len(campaign.get("callers") or [])
        lines.append(
            f"Campaign {campaign.get('id')}: {callers} caller{'s' if callers != 1 else ''} "
            f"reached data given to {', '.join(campaign.get('platforms') or [])} "
            f"({campaign.get('contacts', 0)} contacts)."
        )
    lines.append(wording.CONFIDENCE_NOTE)
    if options.redacted:
        lines.append(_redaction_note(options))
    return lines


def _redaction_note(options: Options) -> str:
    name = "your real name, " if options.real_name_redacted else ""
    return f"Redacted: {name}phone numbers (country code and last two digits kept), mail addresses."


RENDERER = TableRenderer()
