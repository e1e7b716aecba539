"""JSON records as table rows: exports that list one JSON object per record, read by the CSV
importer (presets, `--map`, every check) with each object's keys as the header.

- JSON lines, one object per line: Twilio's BulkExport day files (gzip; `date_sent`,
  `start_time` … in UTC ISO 8601).
- A JSON document holding a list of objects: twilio-cli's `-o json` (camelCase keys), or a
  carrier's detail-list response as crawlers save it (China Mobile's `{"data": [...]}`, China
  Unicom's `{"pageMap": {"result": [...]}}`, China Telecom's `voiceDetailList`), also wrapped in a
  JSONP callback (`jQuery1830…({...})`). The longest list of objects found is the list of records.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from typing import Any

from tracer.errors import InputError
from tracer.i18n import _
from tracer.ingest.base import Context

_JSONP = re.compile(r"\s*[\w$.]+\s*\((.*)\)\s*;?\s*", re.DOTALL)
_CALLBACK = re.compile(r"\s*[\w$.]+\s*\(")
_KEYS_FROM = 256  # records whose keys make the header (a later key appears in few records)


def starts_json(line: str) -> bool:
    """Whether a file whose first line is `line` is JSON (or JSONP) rather than delimited text."""
    text = line.lstrip("\ufeff \t\r\n")
    return text[:1] in "[{" and text != "" or bool(re.match(r"[\w$.]+\s*\(\s*[\[{]", text))


BEFORE = 2  # lines written before the first record: a note (the document's own fields), the header


def lines(first: str, rest: Iterator[str], ctx: Context) -> Iterator[str]:
    """The records as CSV lines: a note line, the header, then one line per record (so record N
    is line N + BEFORE; for JSON lines, the file's own line N)."""
    return _csv(_records(first, rest, ctx))


def _records(first: str, rest: Iterator[str], ctx: Context) -> Iterator[dict[str, Any]]:
    one = _object(first)
    if isinstance(one, dict) and not _lists(one):
        yield one  # JSON lines: each line one record
        for number, line in enumerate(rest, start=2):
            if line.strip():
                record = _object(line)
                if not isinstance(record, dict):
                    raise ctx.error(_("not a JSON object: the file is cut off or damaged here"), line=number, field="json")
                yield record
        return
    text = first + "".join(rest)
    document = _object(text)
    if document is None:
        raise _unreadable(text, ctx)
    found = max(_lists(document), key=len, default=[])
    if not found:
        raise ctx.error(_("no list of records in this JSON"))
    yield {_ABOUT: _about(document)}
    yield from found


_ABOUT = "\0about"  # the document's own fields (a bill's period), written above the header


def _about(document: Any) -> str:
    """The top-level values beside the records (`"startDate": "20160901"`), as one note line."""
    if not isinstance(document, dict):
        return ""
    return " ".join(f"{k}: {v}" for k, v in document.items() if isinstance(v, str | int | float) and v is not None)


def _object(text: str) -> Any:
    inner, _start = _unwrapped(text)
    try:
        return json.loads(inner)
    except ValueError:
        return None


def _unwrapped(text: str) -> tuple[str, int]:
    """The JSON inside `text` (without a BOM, spaces around it or a JSONP callback) and where it
    starts in `text`."""
    stripped = text.strip().lstrip("\ufeff")
    start = text.index(stripped[:1]) if stripped else 0
    if wrapped := _JSONP.fullmatch(stripped):
        return wrapped[1], start + wrapped.start(1)
    if opened := _CALLBACK.match(stripped):  # a callback never closed: the response was cut
        return stripped[opened.end() :], start + opened.end()
    return stripped, start


def _unreadable(text: str, ctx: Context) -> InputError:
    """Where a JSON document stops being JSON (a download cut short, a hand edit): the file's line,
    field `json`."""
    inner, start = _unwrapped(text)
    try:
        json.loads(inner)
    except json.JSONDecodeError as exc:
        at = start + exc.pos  # in the file, not in the JSON inside a callback
        line, column = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
        reason = _("not readable JSON at column {column} ({error}): the file is cut off or damaged here")
        return ctx.error(reason.format(error=exc.msg, column=column), line=line, field="json")
    except ValueError:
        pass
    return ctx.error(_("not readable JSON"), field="json")


def _lists(value: Any) -> list[list[dict[str, Any]]]:
    """Every list of objects inside `value` (at any depth)."""
    found: list[list[dict[str, Any]]] = []
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        found.append(value)
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for child in children:
        if isinstance(child, dict | list):
            found.extend(_lists(child))
    return found


def _csv(records: Iterator[dict[str, Any]]) -> Iterator[str]:
    head: list[dict[str, Any]] = []
    for record in records:
        head.append(record)
        if len(head) == _KEYS_FROM:
            break
    about = [head.pop(0)[_ABOUT]] if head and _ABOUT in head[0] else [""]
    keys = list(dict.fromkeys(key for record in head for key in record))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in ([about], [keys], ([_cell(r.get(k)) for k in keys] for r in head), ([_cell(r.get(k)) for k in keys] for r in records)):
        for values in row:
            writer.writerow(values)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)
