"""`tracer unlock`: keep one vault's unlocked key in a background process for a while, as
`ssh-agent` keeps keys. Off unless the user asks; docs/threat-model.md says what it exposes.

`unlock(home, passphrase, seconds)` derives the vault's key once (`Vault.derive`, scrypt) and
starts `python -m tracer.agent` in a session of its own, handing it the key on a pipe (never in
argv or the environment). The agent listens on a Unix socket that only this user can reach and
answers `key` requests until its time is up (counted on the boot clock on Linux, so that time
spent asleep counts), until `lock` asks it to stop, or until it is killed; then the key is gone,
never having been written anywhere. Commands ask it (`derived(home)`) when TRACER_PASSPHRASE is
not set, and ask for the passphrase only when it does not answer.

Where: $TRACER_AGENT_DIR, else $XDG_RUNTIME_DIR/leak-tracer, else <tmp>/leak-tracer-<uid>; a
folder this user owns with no access for anyone else (anything else is refused, and never used
to look for an agent), one socket per vault, named by a hash of the vault's folder. The agent
makes itself undumpable (no core file, no ptrace from the user's other processes; Linux) and
answers only callers of its own uid (SO_PEERCRED).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import stat
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracer.errors import InputError, RefusedError, VaultError
from tracer.i18n import _

if TYPE_CHECKING:
    from tracer.vault.keys import Derived

MAX_SECONDS = 24 * 3600  # an unlock lasts a working day at most
_TIMEOUT = 2.0  # seconds a command waits for the agent before asking for the passphrase
_REQUEST_BYTES = 256
_SECRET_ENV = ("TRACER_PASSPHRASE", "TRACER_NEW_PASSPHRASE")  # never inherited by the agent
_PR_SET_DUMPABLE = 4  # <sys/prctl.h>
_PATH_BYTES = 100  # a Unix socket's path: 108 bytes on Linux, 104 on macOS, with its NUL


def available() -> bool:
    """Whether this system has what the agent needs (Unix sockets and fork)."""
    return hasattr(socket, "AF_UNIX") and hasattr(os, "fork")


def folder() -> Path:
    """The folder the agents' sockets live in (see the module's docstring)."""
    explicit = os.environ.get("TRACER_AGENT_DIR")
    if explicit:
        return Path(explicit)
    runtime = os.environ.get("XDG_RUNTIME_DIR")
    if runtime and Path(runtime).is_dir():
        return Path(runtime) / "leak-tracer"
    return Path(tempfile.gettempdir()) / f"leak-tracer-{os.getuid()}"


def socket_path(home: Path) -> Path:
    """Where the agent of the vault in `home` listens."""
    key = hashlib.sha256(str(home.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return folder() / f"vault-{key}.sock"


def checked(seconds: float, *, field: str = "seconds") -> float:
    """`seconds` when an unlock may last that long (more than none, at most MAX_SECONDS), else
    InputError naming `field` (`tracer unlock` checks its --for with it before asking anything)."""
    if not 0 < seconds <= MAX_SECONDS:
        raise InputError(_("an unlock lasts from one second to 24 hours"), field=field)
    return seconds


def unlock(home: Path, passphrase: str, seconds: float) -> float:
    """Check `passphrase` on the vault in `home`, then keep its key for `seconds` in an agent
    (replacing one already running for that vault); returns when it ends (Unix time)."""
    from tracer.vault import Vault

    if not available():
        raise RefusedError(_("unlocking for a while needs Unix sockets, which this system lacks"))
    checked(seconds)
    derived = Vault.derive(home, passphrase)
    path = socket_path(home)
    if len(os.fsencode(path)) > _PATH_BYTES:
        raise VaultError(
            _("{folder} is too long a path for the agent's socket").format(folder=path.parent),
            hint=_("set TRACER_AGENT_DIR to a shorter folder only you can open"),
        )
    _private_folder(path.parent, create=True)
    lock(home)
    hello = {"socket": str(path), "salt": derived.salt.hex(), "kek": derived.kek.hex(), "seconds": seconds}
    environ = {key: value for key, value in os.environ.items() if key not in _SECRET_ENV}
    child = subprocess.Popen(
        [sys.executable, "-m", "tracer.agent"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
        env=environ,
    )
    try:
        out, _err = child.communicate((json.dumps(hello) + "\n").encode(), timeout=30)
    except subprocess.TimeoutExpired:
        child.kill()
        child.communicate()
        out = b""
    try:
        return float(json.loads(out)["until"])
    except (ValueError, KeyError, TypeError):
        raise VaultError(_("the agent did not start (exit code {code})").format(code=child.returncode)) from None


def derived(home: Path) -> Derived | None:
    """The key an agent keeps for the vault in `home`, or None when none answers."""
    from tracer.vault.keys import Derived

    reply = _ask(home, "key")
    try:
        return Derived(bytes.fromhex(reply["salt"]), bytes.fromhex(reply["kek"])) if reply else None
    except (KeyError, TypeError, ValueError):
        return None


def until(home: Path) -> float | None:
    """When the agent of the vault in `home` forgets its key (Unix time), or None when none runs."""
    reply = _ask(home, "status")
    value = reply.get("until") if reply else None
    return float(value) if isinstance(value, int | float) else None


def lock(home: Path) -> bool:
    """End the agent of the vault in `home`; whether one was running."""
    return _ask(home, "lock") is not None


def _ask(home: Path, op: str) -> dict[str, Any] | None:
    if not available():
        return None
    path = socket_path(home)
    try:
        _private_folder(path.parent, create=False)
    except (OSError, VaultError):
        return None  # no folder, or one someone else could have put a socket in: no agent
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.settimeout(_TIMEOUT)
        try:
            conn.connect(str(path))
            conn.sendall(json.dumps({"op": op}).encode() + b"\n")
            reply = _line(conn)
        except (ConnectionRefusedError, FileNotFoundError):
            with contextlib.suppress(OSError):
                if stat.S_ISSOCK(path.lstat().st_mode):
                    path.unlink()  # an agent killed without cleaning up left its socket
            return None
        except OSError:
            return None
    try:
        doc = json.loads(reply)
    except ValueError:
        return None
    return doc if isinstance(doc, dict) else None


def _private_folder(path: Path, *, create: bool) -> None:
    """`path` is a folder (not a link) this user owns and no one else can enter; with `create`,
    made so when missing. VaultError otherwise."""
    if create:
        try:
            path.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise VaultError(_("{folder}: cannot create ({strerror})").format(folder=path, strerror=exc.strerror)) from None
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or info.st_mode & 0o077:
        raise VaultError(
            _("{folder} is not a folder private to you: the key is not kept there").format(folder=path),
            hint=_("remove it, or set TRACER_AGENT_DIR to a folder only you can open"),
        )


def _line(conn: socket.socket) -> bytes:
    data = b""
    while not data.endswith(b"\n") and len(data) <= _REQUEST_BYTES * 4:
        more = conn.recv(_REQUEST_BYTES)
        if not more:
            break
        data += more
    return data


# -- the agent process -----------------------------------------------------------------------------


def _clock() -> float:
    """Seconds on a clock that keeps counting while the machine sleeps, where there is one."""
    return time.clock_gettime(time.CLOCK_BOOTTIME) if hasattr(time, "CLOCK_BOOTTIME") else time.monotonic()


def _undumpable() -> None:
    """No core file and no ptrace from this user's other processes (Linux; elsewhere nothing)."""
    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0)
    with contextlib.suppress(ImportError, ValueError, OSError):
        import resource

        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _listen(path: Path) -> socket.socket:
    """A socket listening at `path` (0600), put there in one step over any earlier one."""
    staged = path.with_name(f".{path.name}.{os.getpid()}")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    old = os.umask(0o177)
    try:
        with contextlib.suppress(FileNotFoundError):
            staged.unlink()
        server.bind(str(staged))
    finally:
        os.umask(old)
    os.replace(staged, path)
    server.listen(8)
    return server


def _peer_is_me(conn: socket.socket) -> bool:
    option = getattr(socket, "SO_PEERCRED", None)
    if option is None:  # no credentials to check: the private folder is the only gate
        return True
    _pid, uid, _gid = struct.unpack("3i", conn.getsockopt(socket.SOL_SOCKET, option, struct.calcsize("3i")))
    return bool(uid == os.getuid())


def _serve(server: socket.socket, path: Path, salt: str, kek: str, ends: float, wall_end: float) -> None:
    """Answer requests until `ends` (on `_clock`) or a `lock`; then remove the socket if it is
    still this agent's."""
    mine = path.stat().st_ino
    try:
        while (left := ends - _clock()) > 0:
            server.settimeout(min(left, 60.0))  # wake now and then: a suspended machine's clock jumps
            try:
                conn, _address = server.accept()
            except TimeoutError:
                continue
            with conn:
                if _answer(conn, salt, kek, wall_end):
                    return
    finally:
        with contextlib.suppress(OSError):
            if path.stat().st_ino == mine:
                path.unlink()
        server.close()


def _answer(conn: socket.socket, salt: str, kek: str, wall_end: float) -> bool:
    """Answer one request; True when it asks the agent to stop."""
    conn.settimeout(_TIMEOUT)
    try:
        if not _peer_is_me(conn):
            return False
        request = json.loads(_line(conn) or b"{}")
        op = request.get("op") if isinstance(request, dict) else None
        reply: dict[str, Any] = {"error": "unknown request"}
        if op == "key":
            reply = {"salt": salt, "kek": kek}
        elif op == "status":
            reply = {"until": wall_end}
        elif op == "lock":
            reply = {"locked": True}
        conn.sendall(json.dumps(reply).encode() + b"\n")
        return op == "lock"
    except (OSError, ValueError):
        return False


def main() -> None:
    """`python -m tracer.agent`: read the key from stdin, listen, say when it ends, detach, serve."""
    _undumpable()
    for name in ("SIGINT", "SIGHUP", "SIGPIPE"):
        signal.signal(getattr(signal, name), signal.SIG_IGN)
    hello = json.loads(sys.stdin.buffer.readline())
    path, seconds = Path(hello["socket"]), float(hello["seconds"])
    ends, wall_end = _clock() + seconds, time.time() + seconds
    server = _listen(path)
    if os.fork():  # the parent reports and exits; the child serves, adopted by init
        sys.stdout.write(json.dumps({"until": wall_end}) + "\n")
        sys.stdout.flush()
        os._exit(0)
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # `kill`: remove the socket on the way out
    _serve(server, path, str(hello["salt"]), str(hello["kek"]), ends, wall_end)


if __name__ == "__main__":
    main()
