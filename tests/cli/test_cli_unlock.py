"""`tracer unlock` / `tracer lock`: a vault's key kept for a while by a background agent.

The agents are real processes (`python -m tracer.agent`); every test ends its own. Commands run
without TRACER_PASSPHRASE and without a terminal, so a command that is not unlocked fails with
"no passphrase" instead of prompting.
"""

from __future__ import annotations

import os
import signal
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tracer import agent
from tracer.cli.unlock import seconds
from tracer.errors import InputError, StaleKeyError
from tracer.vault import Vault

NO_PASSPHRASE = {"TRACER_PASSPHRASE": None}


@pytest.fixture
def agents(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, home: Path) -> Iterator[Path]:
    """A private folder for this test's agent sockets; whatever agent is left is ended."""
    folder = tmp_path / "agents"
    monkeypatch.setenv("TRACER_AGENT_DIR", str(folder))
    yield folder
    agent.lock(home)


def _agent_pids(folder: Path) -> list[int]:
    """The agents started with `folder` as their TRACER_AGENT_DIR (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if b"tracer.agent" in cmdline and f"TRACER_AGENT_DIR={folder}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _agent_pids_once_ended(folder: Path) -> list[int]:
    """`_agent_pids` once an agent that was told to end (or killed) has had up to 10 s to exit: it
    answers `lock` before its process is gone, and on a loaded machine the exit can lag."""
    deadline = time.monotonic() + 10
    while _agent_pids(folder) and time.monotonic() < deadline:
        time.sleep(0.1)
    return _agent_pids(folder)


def test_an_unlocked_vault_opens_without_the_passphrase_until_locked(vault, run, agents, home, parse_json):
    assert run("numbers", "list", extra_env=NO_PASSPHRASE).code == 1  # locked: nothing to open it with

    code, stdout, stderr = run("unlock", "--for", "10m")
    assert code == 0, stderr
    assert "10 more minutes" in stdout
    code, stdout, stderr = run("numbers", "list", "--json", extra_env=NO_PASSPHRASE)
    assert code == 0, stderr
    assert parse_json(stdout)  # the primary number, read from the opened vault
    code, stdout, _ = run("unlock", "--status", "--json", extra_env=NO_PASSPHRASE)
    doc = parse_json(stdout)
    assert doc["unlocked"] is True and doc["until"].endswith("Z")

    assert run("lock").stdout.strip() == "Locked: the key is forgotten."
    code, _, stderr = run("numbers", "list", extra_env=NO_PASSPHRASE)
    assert code == 1 and "no passphrase" in stderr and "tracer unlock" in stderr
    assert run("lock").stdout.strip() == "Nothing was unlocked."
    assert not list(agents.glob("*.sock"))
    assert _agent_pids_once_ended(agents) == []


def test_the_key_is_private_to_the_user_and_never_in_argv_or_environment(vault, run, agents, home, me):
    assert run("unlock", "--for", "5m").code == 0
    assert stat.S_IMODE(agents.stat().st_mode) == 0o700
    [sock] = agents.glob("*.sock")
    assert stat.S_ISSOCK(sock.stat().st_mode) and stat.S_IMODE(sock.stat().st_mode) == 0o600
    [pid] = _agent_pids(agents)
    kept = agent.derived(home)
    assert kept is not None
    seen = Path(f"/proc/{pid}/cmdline").read_bytes() + Path(f"/proc/{pid}/environ").read_bytes()
    assert me.passphrase.encode() not in seen  # TRACER_PASSPHRASE is not passed on
    assert kept.kek.hex().encode() not in seen and kept.kek not in seen
    # the key opens this vault and no other: it is the one scrypt derives from the passphrase
    assert kept == Vault.derive(home, me.passphrase)


def test_an_unlock_ends_by_itself_when_its_time_is_up(vault, run, agents, home):
    assert run("unlock", "--for", "1s").code == 0
    deadline = time.monotonic() + 10
    while agent.until(home) is not None and time.monotonic() < deadline:
        time.sleep(0.2)
    assert agent.derived(home) is None
    assert not list(agents.glob("*.sock"))
    assert run("unlock", "--status").stdout.strip() == "The vault is locked: commands ask for the passphrase."


def test_a_wrong_passphrase_starts_no_agent(vault, run, agents, home):
    code, stdout, stderr = run("unlock", extra_env={"TRACER_PASSPHRASE": "not the passphrase"})
    assert code == 1 and stdout == ""
    assert "wrong passphrase" in stderr and len(stderr.strip().splitlines()) == 1
    assert agent.until(home) is None and _agent_pids(agents) == []


def test_changing_the_passphrase_forgets_the_kept_key(vault, run, agents, home):
    assert run("unlock").code == 0
    code, _, stderr = run("passphrase", "change", extra_env={"TRACER_NEW_PASSPHRASE": "a whole new stable horse battery"})
    assert code == 0, stderr
    assert agent.until(home) is None
    assert run("numbers", "list", extra_env=NO_PASSPHRASE).code == 1
    assert run("numbers", "list", extra_env={"TRACER_PASSPHRASE": "a whole new stable horse battery"}).code == 0


def test_a_key_kept_for_the_old_passphrase_is_dropped_and_the_passphrase_asked(vault, run, agents, home, me):
    """An agent started before the passphrase changed elsewhere (its salt is gone): the command
    does not fail on it, it forgets it and asks, as without an agent."""
    assert run("unlock").code == 0
    vault.change_passphrase("a whole new stable horse battery")  # behind the agent's back
    with pytest.raises(StaleKeyError, match="passphrase was changed"):
        Vault.open(home, agent.derived(home))
    code, _, stderr = run("numbers", "list", extra_env=NO_PASSPHRASE)
    assert code == 1 and "no passphrase" in stderr
    assert agent.until(home) is None  # forgotten on the way
    assert run("numbers", "list", extra_env={"TRACER_PASSPHRASE": "a whole new stable horse battery"}).code == 0


def test_a_killed_agent_leaves_nothing_that_breaks_a_command(vault, run, agents, home):
    assert run("unlock").code == 0
    [pid] = _agent_pids(agents)
    os.kill(pid, signal.SIGKILL)
    _agent_pids_once_ended(agents)
    assert list(agents.glob("*.sock"))  # SIGKILL runs no cleanup: the socket is left behind
    code, _, stderr = run("numbers", "list", extra_env=NO_PASSPHRASE)
    assert code == 1 and "no passphrase" in stderr and "Traceback" not in stderr
    assert not list(agents.glob("*.sock"))  # the stale socket was removed


def test_a_folder_others_can_enter_is_never_used(vault, run, agents, home):
    agents.mkdir(mode=0o700)
    agents.chmod(0o777)
    code, _, stderr = run("unlock")
    assert code == 1 and "not a folder private to you" in stderr
    assert _agent_pids(agents) == [] and not list(agents.glob("*.sock"))
    assert agent.derived(home) is None


def test_each_vault_has_its_own_agent(vault, run, agents, home, tmp_path, build_vault):
    other = build_vault(tmp_path / "other")
    assert run("unlock").code == 0
    assert agent.until(other) is None and agent.derived(other) is None
    assert agent.socket_path(home) != agent.socket_path(other)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("90s", 90), ("15m", 900), ("2h", 7200), ("1h30m", 5400), ("15", 900), (" 5M ", 300)],
)
def test_durations_read_as_people_write_them(text, expected):
    assert seconds(text) == expected


@pytest.mark.parametrize("text", ["", "abc", "15 minutes", "-5m", "1.5h", "m"])
def test_a_duration_that_is_not_one_is_refused_naming_the_option(text):
    with pytest.raises(InputError) as caught:
        seconds(text)
    assert caught.value.field == "--for"


def test_an_unlock_longer_than_a_day_or_of_nothing_is_refused_before_the_passphrase_is_asked(vault, run, agents):
    for duration in ("25h", "0s", "1441"):
        code, _, stderr = run("unlock", "--for", duration, extra_env=NO_PASSPHRASE)
        assert code == 1 and "from one second to 24 hours" in stderr and "--for" in stderr
    code, _, stderr = run("unlock", "--for", "abc", extra_env=NO_PASSPHRASE)
    assert code == 1 and "not a duration" in stderr
    assert _agent_pids(agents) == []


def test_a_socket_folder_too_long_for_a_unix_socket_is_refused_before_anything_starts(vault, run, tmp_path):
    folder = tmp_path / ("x" * 90)
    code, _, stderr = run("unlock", extra_env={"TRACER_AGENT_DIR": str(folder)})
    assert code == 1 and "too long a path" in stderr and "TRACER_AGENT_DIR" in stderr
    assert not folder.exists()
