"""`tracer init`, `verify`, `passphrase change`, and the process conventions (exit codes, stderr)
through the real console entry point."""

from __future__ import annotations

import pytest

from tracer import lifecycle
from tracer.errors import VaultError
from tracer.vault.store import DB_NAME


def test_init_creates_a_vault_and_a_second_init_is_refused_with_exit_1(run, home, reopen, parse_json, me):
    code, stdout, stderr = run(
        "init", "--phone", "138 0013 8000", "--name", me.name, "--locale", "zh_CN",
        "--region", "CN", "--timezone", me.timezone, "--email-domain", me.email_domain, "--json",
    )  # fmt: skip
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert doc["home"] == str(home)
    assert doc["email_strategy"] == "catch-all"
    assert (doc["locale"], doc["region"], doc["timezone"]) == ("zh_CN", "CN", me.timezone)
    with reopen() as vault:
        assert vault.settings.phone == me.phone
        assert vault.settings.real_name == me.name
        assert lifecycle.verify(vault).entries == 2
    before = (home / DB_NAME).read_bytes()

    code, stdout, stderr = run("init", "--name", "张三")
    assert code == 1
    assert stdout == ""
    assert "already exists" in stderr and len(stderr.strip().splitlines()) == 1
    assert (home / DB_NAME).read_bytes() == before


@pytest.mark.parametrize(
    "args, region",
    [
        (("--locale", "en_US", "--phone", "+1 415 555 0100"), "US"),  # the number says its country
        (("--locale", "zh_CN", "--phone", "+44 20 7946 0018"), "GB"),
        (("--locale", "en_US",), "US"),  # no number: the locale's country
        (("--locale", "zh_CN", "--phone", "13800138000"), "CN"),
        (("--locale", "en_US", "--phone", "+1 415 555 0100", "--region", "CA"), "CA"),  # said outright
    ],
)
def test_init_reads_numbers_in_the_users_own_country_unless_told(run, reopen, parse_json, args, region):
    code, stdout, stderr = run("init", *args, "--timezone", "UTC", "--json")
    assert code == 0, stderr
    assert parse_json(stdout)["region"] == region
    with reopen() as vault:
        assert vault.settings.region == region


def test_verify_exits_0_and_reports_the_entry_count(filled, vault, run, parse_json):
    code, stdout, stderr = run("verify", "--json")
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert doc["ok"] is True
    assert doc["entries"] == lifecycle.verify(vault).entries
    assert doc["canaries"] == 4


def test_verify_checks_everything_unless_asked_to_go_on_from_the_checkpoint(filled, vault, run, parse_json):
    first, again, since = (run("verify", "--json"), run("verify", "--json"),
                           run("verify", "--since-checkpoint", "--json"))  # fmt: skip
    assert [r.code for r in (first, again, since)] == [0, 0, 0]
    docs = [parse_json(r.stdout) for r in (first, again, since)]
    assert [d["resumed_from"] for d in docs] == [0, 0, docs[0]["entries"]]
    assert len({(d["entries"], d["canaries"], d["head"]) for d in docs}) == 1
    # the person reading the terminal is told which of the two was done
    full, resumed = run("verify"), run("verify", "--since-checkpoint")
    assert "checkpoint" not in full.stdout
    assert f"checkpoint at entry {docs[0]['entries']}" in " ".join(resumed.stdout.split())


def test_wrong_passphrase_exits_1_with_one_line_and_no_traceback(vault, home, run):
    vault.close()
    before = (home / DB_NAME).read_bytes()
    code, stdout, stderr = run("numbers", "list", extra_env={"TRACER_PASSPHRASE": "hunter2-guess"})
    assert code == 1
    assert stdout == ""
    assert len(stderr.strip().splitlines()) == 1
    assert "wrong passphrase" in stderr
    assert "Traceback" not in stderr and "hunter2" not in stderr
    assert (home / DB_NAME).read_bytes() == before


def test_an_unknown_command_is_a_usage_error_with_exit_2(run):
    code, stdout, stderr = run("no-such-command")
    assert code == 2
    assert "No such command" in stderr


def test_passphrase_change_rekeys_the_vault(vault, run, reopen, me):
    vault.close()
    code, _, stderr = run("passphrase", "change", extra_env={"TRACER_NEW_PASSPHRASE": "orchid lantern new one"})
    assert code == 0, stderr
    with reopen("orchid lantern new one") as again:
        assert again.settings.real_name == me.name
        assert lifecycle.verify(again).entries == 2
    with pytest.raises(VaultError, match="wrong passphrase"):
        reopen(me.passphrase)
