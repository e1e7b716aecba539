"""Text from files, made harmless where it is shown: terminals, Markdown (HTML is autoescaped by
its templates, CSV cells are defused by `reports.csv_format`).

An imported mail's Subject or a caller's text can hold terminal escapes (ESC ] 0 ; … BEL retitles
the window, ESC [ 2 J clears it, a bare CR overwrites a line), C1 controls (0x9B is CSI on some
terminals) or bidi overrides that make text read backwards. `terminal` shows each as a visible
escape (`\\x1b`, `\\u202e`), so what was in the file is still readable and nothing is executed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

# C0 controls but tab and newline, DEL, C1 controls; bidi embeddings, overrides and isolates;
# zero-width and other invisible format characters that could hide or reorder text
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_UNSAFE_LINE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]")
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()<>#+!|~])")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal(text: str) -> str:
    """`text` with every control, bidi and invisible format character shown as an escape."""
    return _UNSAFE.sub(_visible, text) if _UNSAFE.search(text) else text


def line(text: str) -> str:
    """`terminal`, and newlines and tabs shown too: for one-line fields."""
    return _UNSAFE_LINE.sub(_visible, text) if _UNSAFE_LINE.search(text) else text


def json_text(text: str) -> str:
    """JSON text with the same characters written as JSON escapes (`\u001b`): still the same
    document to a parser, inert in a terminal. They can only occur inside JSON strings."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text) if _UNSAFE.search(text) else text


class JsonStream:
    """A text handle writing `json_text` of everything written to it into `handle`."""

    def __init__(self, handle: Any) -> None:
        self.handle = handle

    def write(self, text: str) -> int:
        return int(self.handle.write(json_text(text)))


def markdown(text: str) -> str:
    """`line`, with Markdown's active characters escaped (no links, images, HTML or headings)."""
    return _MARKDOWN.sub(r"\\\1", line(text))


def deep(doc: Any, clean: Any = terminal) -> Any:
    """`clean` applied to every string in nested dicts and lists (keys too)."""
    if isinstance(doc, str):
        return clean(doc)
    if isinstance(doc, dict):
        return {deep(k, clean): deep(v, clean) for k, v in doc.items()}
    if isinstance(doc, list | tuple):
        return [deep(v, clean) for v in doc]
    return doc


class SafeConsole(Console):
    """A rich Console that neutralises what it prints: every text segment goes through
    `terminal`; only rich's own control segments (cursor moves it makes) pass unchanged."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(terminal(segment.text), segment.style)
            for segment in buffer
        )
