"""Every file tracer writes goes through here: nothing clobbers the vault, an input or a file.

`write(path, data, guard)` and `writing(path, guard)` refuse a path inside the vault's folder,
equal to one of the command's inputs, a folder, a FIFO or device, or an existing file unless
`guard.force`; they write a temporary file in the target's folder and rename it into place, so
a reader never sees half a file and a failure leaves what was there. Files are created 0600:
reports and bundles may hold your numbers. Failures are one clean
`InputError`/`RefusedError` line naming the path.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import stat
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from tracer.errors import InputError, RefusedError
from tracer.i18n import N_, _


@dataclass(frozen=True)
class Guard:
    """What an output must not overwrite: the vault folder, the command's inputs, existing files."""

    vault_home: Path | None = None
    inputs: Sequence[Path] = field(default_factory=tuple)
    force: bool = False


def check(path: Path, guard: Guard) -> Path:
    """Raise unless `path` may be written under `guard`; returns it resolved."""
    target = _resolved(path)
    if guard.vault_home is not None and _inside(target, _resolved(guard.vault_home)):
        raise RefusedError(_("{path}: inside the vault's folder").format(path=path), hint=_("write it somewhere else"))
    for given in guard.inputs:
        if _same(target, given) or (given.is_dir() and _inside(target, _resolved(given))):
            raise RefusedError(_("{path}: that is an input of this command").format(path=path), hint=_("choose another file"))
    parent = target.parent
    if not parent.is_dir():
        raise InputError(_("the folder does not exist") if not parent.exists() else _("not a folder"), file=str(parent))
    try:
        mode = os.stat(target).st_mode
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise InputError(_("cannot write: {strerror}").format(strerror=exc.strerror), file=str(path)) from None
    if stat.S_ISDIR(mode):
        raise InputError(_("is a folder, not a file"), file=str(path), hint=_("give a file name"))
    if not stat.S_ISREG(mode):
        raise RefusedError(_("{path}: not a regular file (a FIFO or device)").format(path=path))
    if not guard.force:
        raise RefusedError(_("{path}: the file exists").format(path=path), hint=_("pass --force to replace it"))
    return target


@contextmanager
def writing(path: Path, guard: Guard, *, binary: bool = False) -> Iterator[IO[Any]]:
    """A handle on a temporary file next to `path`, renamed to `path` when the block succeeds."""
    target = check(path, guard)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name[:64]}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise InputError(_("cannot write: {strerror}").format(strerror=exc.strerror), file=str(path)) from None
    try:
        handle: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8")
        with handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except OSError as exc:
        _discard(temp)
        raise InputError(_("cannot write: {value}").format(value=exc.strerror or exc.__class__.__name__), file=str(path)) from None
    except BaseException:
        _discard(temp)
        raise


def write(path: Path, data: str | bytes, guard: Guard) -> Path:
    """Write `data` (text as UTF-8) to `path` under `guard`; returns the path written."""
    with writing(path, guard, binary=isinstance(data, bytes)) as handle:
        handle.write(data)
    return path


def readable(path: Path) -> Path:
    """An input file: InputError unless it is an existing regular file (a FIFO would block
    forever, a device never end, a folder is not a file)."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise InputError(_("no such file"), file=str(path)) from None
    except OSError as exc:
        raise InputError(_("cannot read: {strerror}").format(strerror=exc.strerror), file=str(path)) from None
    if stat.S_ISDIR(mode):
        raise InputError(_("is a folder, not a file"), file=str(path))
    if not stat.S_ISREG(mode):
        raise InputError(_("not a regular file (a FIFO or device)"), file=str(path))
    return path


def read_bytes(path: Path) -> bytes:
    """The bytes of an input file (`readable`), or one clean InputError."""
    try:
        return readable(path).read_bytes()
    except OSError as exc:
        raise InputError(_("cannot read: {strerror}").format(strerror=exc.strerror), file=str(path)) from None


def check_folder(path: Path, guard: Guard) -> Path:
    """A folder outputs go into (created if missing): refused inside the vault or onto a file."""
    target = _resolved(path)
    if guard.vault_home is not None and _inside(target, _resolved(guard.vault_home)):
        raise RefusedError(_("{path}: inside the vault's folder").format(path=path), hint=_("write it somewhere else"))
    if target.exists() and not target.is_dir():
        raise InputError(_("is a file, not a folder"), file=str(path))
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(_("cannot create the folder: {strerror}").format(strerror=exc.strerror), file=str(path)) from None
    return target


def _resolved(path: Path) -> Path:
    try:
        return path.expanduser().resolve()
    except (OSError, RuntimeError) as exc:
        raise InputError(_("not a usable path ({name})").format(name=exc.__class__.__name__), file=str(path)) from None


def _inside(target: Path, folder: Path) -> bool:
    return target == folder or folder in target.parents


def _same(target: Path, given: Path) -> bool:
    other = _resolved(given)
    if target == other:
        return True
    with contextlib.suppress(OSError):
        return target.exists() and os.path.samefile(target, other)
    return False


def _discard(temp: str) -> None:
    with contextlib.suppress(OSError):
        os.unlink(temp)


# -- outputs made from a vault that does not verify ----------------------------------------------

UNVERIFIED = N_("UNVERIFIED: this vault failed verification ({reason}); these results may rest on altered evidence.")


def stamp(text: str, fmt: str, reason: str) -> str:
    """`text` (a report, draft or summary in `fmt`: table, md, csv, json or html) saying first
    that it comes from a vault that failed verification, in that format's own way."""
    notice = (UNVERIFIED if fmt == "json" else _(UNVERIFIED)).format(reason=reason)  # JSON keeps English
    if fmt == "json":
        head, brace, rest = text.partition("{")
        return f'{head}{brace}\n  "unverified": {json.dumps(notice, ensure_ascii=False)},{rest}' if brace else text
    if fmt == "html":
        banner = f'<p role="alert" class="unverified"><strong>{html.escape(notice)}</strong></p>'
        match = re.search(r"<body[^>]*>", text)
        return text[: match.end()] + banner + text[match.end() :] if match else banner + text
    if fmt == "csv":
        return f"# {notice}\n{text}"
    if fmt == "md":
        return f"> **{notice}**\n\n{text}"
    return f"{notice}\n{text}"


class StampedJson:
    """A text handle that puts the unverified notice into the JSON document written through it."""

    def __init__(self, handle: Any, reason: str) -> None:
        self.handle, self.reason, self.started = handle, reason, False

    def write(self, text: str) -> int:
        if not self.started and "{" in text:
            self.started = True
            text = stamp(text, "json", self.reason)
        return int(self.handle.write(text))
