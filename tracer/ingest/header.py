"""The header of a CSV export: find it (below any preamble), learn the delimiter, and resolve
where each of our columns is from presets and `--map`.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

from tracer.ingest import columns
from tracer.ingest.base import Context
from tracer.models import Channel

SEARCH = 32  # rows above the header (a bill's account name, billing period) are skipped
DELIMITERS = (",", "\t", ";")


@dataclass(frozen=True)
class Plan:
    """Where each of our columns sits in a row; an absent column points at the sentinel ""."""

    names: list[str]
    index: dict[str, int]
    channel: Channel  # when the row does not say

    def name(self, column: str) -> str:
        position = self.index[column]
        return self.names[position] if position < len(self.names) else column


def preset(ctx: Context) -> columns.Preset:
    name = ctx.options.preset
    if name is None:
        return columns.Preset()
    if name not in columns.PRESETS:
        known = ", ".join(columns.PRESETS)
        raise ctx.error(f"unknown preset {name!r} (known: {known})", field="--preset")
    return columns.PRESETS[name]


def wanted(ctx: Context, preset: columns.Preset) -> dict[str, tuple[str, ...]]:
    """Our column -> the header keys that may fill it, most specific first."""
    wanted = {col: (*preset.columns.get(col, ()), col) for col in columns.COLUMNS}
    for ours, theirs in ctx.options.mapping.items():
        if ours not in wanted:
            raise ctx.error(f"cannot map {ours!r}; columns are {', '.join(columns.COLUMNS)}", field="--map")
        wanted[ours] = (columns.header_key(theirs),)
    return wanted


def find(head: list[str], at: tuple[str, ...], ctx: Context) -> tuple[str, list[str], int]:
    """(delimiter, header row, its last line) for the first row naming the time column."""
    for delimiter in DELIMITERS:
        trial = csv.reader(head, delimiter=delimiter)
        try:
            for row in trial:
                if any(columns.header_key(cell) in at for cell in row):
                    return delimiter, row, trial.line_num
        except csv.Error:
            continue
    raise ctx.error(
        f"no header row with a '{at[0]}' column in {SEARCH} lines",
        hint="name the time column with --map at=HEADER, or pick --preset / --format",
    )


def plan(names: list[str], wanted: dict[str, tuple[str, ...]], ctx: Context, preset: columns.Preset) -> Plan:
    keys: dict[str, int] = {}
    for position, cell in enumerate(names):
        keys.setdefault(columns.header_key(cell), position)
    index = {col: next((keys[k] for k in cands if k in keys), len(names)) for col, cands in wanted.items()}
    for ours, theirs in ctx.options.mapping.items():
        if index[ours] == len(names):
            raise ctx.error(f"no column {theirs!r} in the header", field="--map")
    if index["to"] == len(names) and index["from"] == len(names):
        raise ctx.error("needs a 'to' or 'from' column", hint="name one with --map from=HEADER")
    if preset.needs_to and ctx.to is None and index["to"] == len(names):
        raise ctx.error("this bill does not name your own number", hint="pass --to YOUR_NUMBER")
    sms = preset.text_is_sms and index["text"] < len(names)
    return Plan([cell.strip() for cell in names], index, Channel.SMS if sms else Channel.CALL)
