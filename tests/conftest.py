"""Shared fixtures: a temporary vault home, the CLI run in-process (or as a subprocess), a filled vault.

Tests read English (LC_MESSAGES=en_US) and UTC unless they ask otherwise. Key derivation is made cheap (TRACER_SCRYPT_LOG_N=10) in every fixture that creates or opens a
vault. Nothing here touches the user's real data directory: TRACER_HOME always points at tmp.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, NamedTuple, cast

import pytest
from typer.testing import CliRunner

from tracer import contacts, identities, lifecycle, pool
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault

CLI_TIMEOUT = 120

# The suite reads English unless a test asks for another language (`--lang`, or LC_MESSAGES in
# the environment it passes): the vaults it makes are zh_CN, which would otherwise choose Chinese.
os.environ["LC_MESSAGES"] = "en_US.UTF-8"


@pytest.fixture(autouse=True)
def _english_in_utc() -> Iterator[None]:
    """In-process rendering starts in English and UTC for every test, whatever ran before."""
    from tracer import i18n

    with i18n.reading("en_US", "UTC"):
        yield


@dataclass(frozen=True)
class Me:
    """The user the `vault` fixture is created for."""

    passphrase: str = "correct horse battery staple"
    name: str = "杨伟"
    phone: str = "+8613800138000"
    phone_local: str = "13800138000"
    email_domain: str = "mail.example.org"
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_CN"


ME = Me()


class Result(NamedTuple):
    """What one `tracer …` run returned: exit code, stdout, stderr."""

    code: int
    stdout: str
    stderr: str


@pytest.fixture(scope="session")
def me() -> Me:
    return ME


@pytest.fixture
def home(tmp_path: Path) -> Path:
    """The vault folder (not created: `init` creates it)."""
    return tmp_path / "vault"


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, home: Path) -> dict[str, str]:
    """TRACER_HOME, TRACER_PASSPHRASE and a cheap scrypt for this process and its children."""
    monkeypatch.setenv("TRACER_HOME", str(home))
    monkeypatch.setenv("TRACER_PASSPHRASE", ME.passphrase)
    monkeypatch.setenv("TRACER_SCRYPT_LOG_N", "10")
    monkeypatch.delenv("TRACER_NEW_PASSPHRASE", raising=False)
    return {"TRACER_HOME": str(home), "TRACER_PASSPHRASE": ME.passphrase}


class Cli:
    """The console entry point (`tracer.cli.main`, what `tracer ARGS` runs), called in this
    process on the vault at `home`, as a subprocess would see it.

    `cli(*args)` runs one command and returns its exit code and output; `cli.many(args1, …)` runs
    several in order; `start` then `wait` is the same call split in two (kept so that a test can
    switch to the `Process` runner, where `start` returns while the command runs).
    `extra_env` values of None remove a variable.

    Each call sees what a child process would: the environment of `Process` (restored after),
    stdin at end of file and not a terminal (fd 0 on /dev/null: a prompt fails as it would
    without a terminal), `cwd` as working directory, new rich consoles (200 columns, no colour),
    and the language, zone, global options and Typer's help titles of a fresh start, put back
    when the call returns. SystemExit becomes the exit code; an exception that escapes `main`
    (only `--verbose` lets one) prints its traceback to stderr and exits 1, as Python does.
    """

    def __init__(self, home: Path, cwd: Path) -> None:
        self.home, self.cwd = home, cwd

    def __call__(self, *args: object, extra_env: dict[str, str | None] | None = None) -> Result:
        with CliRunner(charset="utf-8").isolation(env=self.environ(extra_env)) as (out, err, _):
            with _stdin_at_end(), pytest.MonkeyPatch.context() as patch:
                _fresh_start(patch, self.cwd, args)
                code = _exit_code()
            sys.stdout.flush()
            sys.stderr.flush()
            return Result(code, out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"))

    def environ(self, extra_env: dict[str, str | None] | None = None) -> dict[str, str | None]:
        """What the call sets in (value) or removes from (None) the environment it inherits."""
        return {
            "TRACER_HOME": str(self.home), "TRACER_PASSPHRASE": ME.passphrase,
            "TRACER_SCRYPT_LOG_N": "10", "COLUMNS": "200", "NO_COLOR": "1",
            "PYTHONIOENCODING": "utf-8", "TRACER_NEW_PASSPHRASE": None, **(extra_env or {}),
        }  # fmt: skip

    def many(self, *calls: tuple[object, ...]) -> list[Result]:
        return [self(*args) for args in calls]

    def start(self, args: tuple[object, ...], extra_env: dict[str, str | None] | None = None) -> Any:
        return self(*args, extra_env=extra_env)

    @staticmethod
    def wait(started: Any) -> Result:
        return cast(Result, started)


@contextmanager
def _stdin_at_end() -> Iterator[None]:
    """fd 0 on /dev/null for the block (code that asks `os.isatty(0)` gets a subprocess's answer)."""
    saved, null = os.dup(0), os.open(os.devnull, os.O_RDONLY)
    try:
        os.dup2(null, 0)
        yield
    finally:
        os.dup2(saved, 0)
        os.close(saved)
        os.close(null)


def _fresh_start(patch: pytest.MonkeyPatch, cwd: Path, args: tuple[object, ...]) -> None:
    """The process-wide state `tracer.cli.main` reads or sets, as a new process has it; `patch`
    puts every piece back. Called inside the isolation: the consoles see its streams and env."""
    import typer.rich_utils

    from tracer import i18n, sanitize
    from tracer.cli import common, help

    patch.chdir(cwd)
    patch.setattr(sys, "argv", ["tracer", *map(str, args)])
    patch.setattr(common, "state", common.State())
    patch.setattr(common, "console", sanitize.SafeConsole(highlight=False))
    patch.setattr(common, "err_console", sanitize.SafeConsole(stderr=True, highlight=False))
    for name in help._PANELS:  # help.command translates these module settings in place
        patch.setattr(typer.rich_utils, name, getattr(typer.rich_utils, name))
    patch.setattr(i18n, "_current", i18n.DEFAULT)
    patch.setattr(i18n, "_zone", "UTC")


def _exit_code() -> int:
    """Run `tracer.cli.main` and return the exit status a process running it would have."""
    from tracer.cli import main

    try:
        main()
    except SystemExit as exc:
        if exc.code is None or isinstance(exc.code, int):
            return exc.code or 0
        print(exc.code, file=sys.stderr)
        return 1
    except Exception:  # uncaught: Python prints the traceback and exits 1
        traceback.print_exc()
        return 1
    return 0


class Process(Cli):
    """The real console entry point (`python -m tracer ARGS`) as a subprocess, for what only a
    process shows: exit statuses through the interpreter, the console script, signals, a server.
    Same interface as `Cli`; `start` returns while the command runs (each call costs a Python
    start-up)."""

    def __call__(self, *args: object, extra_env: dict[str, str | None] | None = None) -> Result:
        return self.wait(self.start(args, extra_env))

    def many(self, *calls: tuple[object, ...]) -> list[Result]:
        started = [self.start(args, None) for args in calls]
        return [self.wait(process) for process in started]

    def start(
        self, args: tuple[object, ...], extra_env: dict[str, str | None] | None = None
    ) -> subprocess.Popen[str]:
        environ = dict(os.environ)
        for key, value in self.environ(extra_env).items():
            if value is None:
                environ.pop(key, None)
            else:
                environ[key] = value
        return subprocess.Popen(
            [sys.executable, "-m", "tracer", *map(str, args)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
            text=True,
            encoding="utf-8",
            env=environ,
            cwd=self.cwd,
        )

    @staticmethod
    def wait(started: Any) -> Result:
        process = cast("subprocess.Popen[str]", started)
        try:
            stdout, stderr = process.communicate(timeout=CLI_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.communicate()
            raise
        return Result(process.returncode, stdout, stderr)


@pytest.fixture
def run(env: dict[str, str], home: Path, tmp_path: Path) -> Cli:
    """run(*args, extra_env={...}) -> (code, stdout, stderr) of `tracer ARGS` on `home`."""
    return Cli(home, tmp_path)


@pytest.fixture
def run_process(env: dict[str, str], home: Path, tmp_path: Path) -> Process:
    """`run` as a real `python -m tracer` subprocess (exit statuses, signals, servers)."""
    return Process(home, tmp_path)


@pytest.fixture(scope="session")
def runner() -> type[Cli]:
    """runner(home, cwd) -> a `run` for module-scoped scenarios (no monkeypatch needed)."""
    return Cli


def sql(home: Path, statement: str, *params: object) -> list[tuple[Any, ...]]:
    """Run one SQL statement on the vault file in `home` behind tracer's back (a tamper, a peek)."""
    conn = sqlite3.connect(home / "vault.sqlite", isolation_level=None)
    try:
        return conn.execute(statement, params).fetchall()
    finally:
        conn.close()


def canaries_frame(rows: list[tuple[Any, ...]]) -> Any:
    """Canary rows (tuples in `attribution.inputs.CANARY_COLUMNS` order) as attribution reads them."""
    import pandas as pd

    from tracer.attribution.inputs import CANARY_COLUMNS

    return pd.DataFrame(rows, columns=list(CANARY_COLUMNS))


def contacts_frame(rows: list[dict[str, Any]]) -> Any:
    """Contact rows as attribution reads them (`contacts.COLUMNS`, in order): each row's missing
    columns None, and a row without an id or a channel is call k_<n>."""
    import pandas as pd

    base = dict.fromkeys(contacts.COLUMNS)
    frame = pd.DataFrame([{**base, "id": f"k_{n}", "channel": "call", **r} for n, r in enumerate(rows)])
    return frame[list(contacts.COLUMNS)]


def create_vault(home: Path, passphrase: str = ME.passphrase, **overrides: Any) -> Vault:
    """lifecycle.init for the `Me` user (zh_CN, 13800138000, 杨伟, mail.example.org, Shanghai)."""
    options: dict[str, Any] = {
        "name": ME.name,
        "phone": ME.phone_local,
        "locale": ME.locale,
        "timezone": ME.timezone,
        "email_domain": ME.email_domain,
    }
    options.update(overrides)
    return lifecycle.init(home, passphrase, **options)


@pytest.fixture
def vault(env: dict[str, str], home: Path) -> Iterator[Vault]:
    """A fresh, open vault at `home`. Close it before checking files a subprocess rewrote."""
    opened = create_vault(home)
    yield opened
    opened.close()


@pytest.fixture
def reopen(env: dict[str, str], home: Path) -> Callable[..., Vault]:
    """reopen(passphrase=ME.passphrase) -> a new connection to the vault at `home`."""

    def opener(passphrase: str = ME.passphrase) -> Vault:
        return Vault.open(home, passphrase)

    return opener


def strict_json(text: str) -> Any:
    """Parse exactly one JSON document; NaN and Infinity (not JSON) are rejected."""

    def refuse(name: str) -> Any:
        raise ValueError(f"{name} is not JSON")

    return json.loads(text, parse_constant=refuse)


@pytest.fixture(scope="session")
def parse_json() -> Callable[[str], Any]:
    return strict_json


def table_dump(home: Path, tables: tuple[str, ...] = ("contacts", "ledger", "batches")) -> list[str]:
    """`iterdump` lines of `tables` (schema and rows) of the vault file, read with sqlite3."""
    conn = sqlite3.connect(home / "vault.sqlite")
    try:
        prefixes = tuple(f'INSERT INTO "{t}"' for t in tables)
        return [line for line in conn.iterdump() if line.startswith(prefixes)]
    finally:
        conn.close()


@pytest.fixture(scope="session")
def dump() -> Callable[..., list[str]]:
    return table_dump


# -- a vault with something in every table ------------------------------------------------------

SIGNUP = datetime(2026, 2, 1, 2, 0, tzinfo=UTC)
POOL = ("13900139001", "+86 139 0013 9002", "139-0013-9003")
CALLERS = ("+8617012345671", "+8617012345672", "+8602155501234")
CONTACTS_CSV = """channel,at,to,from,heard_name,text,id
call,2026-03-01T09:30:00+08:00,{to0},{c0},欧阳先生,,row-1
sms,2026-03-02 10:00,{to1},{c1},,内部牛股推荐 回电,row-2
call,2026-03-03T10:00:00Z,{to0},{c2},,,row-3
"""


@dataclass
class Filled:
    """What `fill` put in a vault: its canaries and every plaintext that must stay sealed."""

    canaries: list[Any]
    secrets: set[str] = field(default_factory=set)


def fill(vault: Vault, folder: Path) -> Filled:
    """Pool numbers (one control), four canaries (one KYC, one recorded), imported and logged
    contacts, a retired canary: every table and every kind of ledger entry."""
    for i, raw in enumerate(POOL):
        pool.add(vault, raw, label=f"spare {i}", control=i == 2)
    requests = [
        identities.Request("StockPro", "stocks", SIGNUP),
        identities.Request("CarDeals", "cars", SIGNUP),
        identities.Request("招商理财", "finance", SIGNUP, real_name=True),
    ]
    issued = identities.issue_many(vault, requests, seed=7)
    recorded = identities.record(
        vault, "OldShop", phone="13900139004", name="欧阳建国", email="oldshop7q@mail.example.org",
        at=datetime(2025, 6, 1, tzinfo=UTC),
    )  # fmt: skip
    csv_path = folder / "calls.csv"
    csv_path.write_text(
        CONTACTS_CSV.format(to0=issued[0].phone, to1=issued[1].phone, c0=CALLERS[0],
                            c1=CALLERS[1], c2=CALLERS[2]),
        encoding="utf-8",
    )  # fmt: skip
    contacts.import_file(vault, csv_path)
    record = ContactRecord(Channel.CALL, datetime(2026, 3, 4, 1, 0, tzinfo=UTC),
                           to=issued[2].phone, sender=CALLERS[0], heard_name="杨女士")  # fmt: skip
    contacts.log(vault, record)
    identities.retire(vault, issued[1].id)
    everything = [*issued, recorded]
    secrets = {ME.name, ME.phone, ME.phone_local, "13900139004", "+8613900139004", "欧阳先生"}
    secrets |= {"+8613900139001", "+8613900139002", "+8613900139003"}
    secrets |= {n[3:] for n in ("+8613900139001", "+8613900139002", "+8613900139003")}
    secrets |= set(CALLERS) | {"内部牛股推荐", "calls.csv", "杨女士"}
    for canary in everything:
        secrets |= {canary.platform, canary.name or "", canary.email or ""}
        secrets |= {(canary.email or "").split("@")[0]}
        secrets |= set(canary.identity.markers.values())
    secrets.discard("")
    return Filled(everything, secrets)


@pytest.fixture
def filled(vault: Vault, tmp_path: Path) -> Filled:
    """The `vault` fixture after `fill`."""
    return fill(vault, tmp_path)


@pytest.fixture(scope="session")
def build_filled() -> Callable[[Path, str], Path]:
    """build_filled(folder, passphrase) -> the home of a new, filled and closed vault.

    For module- or session-scoped fixtures, which cannot use `env` or `filled`.
    """

    def build(folder: Path, passphrase: str) -> Path:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TRACER_SCRYPT_LOG_N", "10")
            vault = create_vault(folder / "vault", passphrase)
            try:
                fill(vault, folder)
            finally:
                vault.close()
        return folder / "vault"

    return build


@pytest.fixture(scope="session")
def build_vault() -> Callable[..., Path]:
    """build_vault(home, **init_overrides) -> `home` of a new, closed vault for the `Me` user."""

    def build(home: Path, **overrides: Any) -> Path:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("TRACER_SCRYPT_LOG_N", "10")
            create_vault(home, **overrides).close()
        return home

    return build
