"""`tracer numbers add|import|list|retire` through the real entry point.

One scenario runs the commands in order on one vault (each CLI call costs a process start);
each test checks one behaviour of one step.
"""

from __future__ import annotations

from typing import Any

import pytest

from tracer import pool
from tracer.vault import Vault

GOOD = "number,label,control\n139 0013 9002,home,\n+86 139-0013-9003,spare,control\n"
BAD = "number,label,control\n13900139004,ok,\n123,broken,\n13900139005,ok,\n"


@pytest.fixture(scope="module")
def story(tmp_path_factory, build_vault, runner, me) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("numbers")
    home = build_vault(root / "vault")
    run = runner(home, root)
    (root / "good.csv").write_text(GOOD, encoding="utf-8")
    (root / "bad.csv").write_text(BAD, encoding="utf-8")
    out: dict[str, Any] = {"home": home}
    out["add"] = run("numbers", "add", "139 0013 9001", "--label", "work", "--json")
    out["import"] = run("numbers", "import", "good.csv", "--json")
    with Vault.open(home, me.passphrase) as vault:
        out["pool_before_bad"] = pool.numbers(vault)
        out["ledger_before_bad"] = vault.ledger.head()
    out["invalid"], out["duplicate"], out["import_bad"], out["unassigned"] = run.many(
        ("numbers", "add", "123"),
        ("numbers", "add", "+86 138-0013-8000"),
        ("numbers", "import", "bad.csv"),
        ("numbers", "add", "120 1234 5678"),  # the length of a mobile number, in no assigned range
    )
    with Vault.open(home, me.passphrase) as vault:
        out["pool_after_bad"] = pool.numbers(vault)
        out["ledger_after_bad"] = vault.ledger.head()
    out["verify"] = run("verify")
    out["unusual"] = run("numbers", "add", "120 1234 5678", "--allow-unusual", "--json")
    out["retire"] = run("numbers", "retire", "13900139001", "--json")
    out["list"] = run("numbers", "list", "--json")
    return out


def test_add_stores_any_spelling_as_e164_and_prints_json(story, parse_json):
    code, stdout, stderr = story["add"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert doc["number"] == "+8613900139001"
    assert (doc["label"], doc["control"], doc["primary"]) == ("work", False, False)
    assert doc["added_at"].endswith("Z")


def test_an_invalid_number_exits_1_naming_the_number_field(story):
    code, stdout, stderr = story["invalid"]
    assert code == 1
    assert stdout == ""
    assert "field 'number'" in stderr
    assert len(stderr.strip().splitlines()) == 1


def test_a_number_in_no_assigned_range_is_refused_unless_allowed(story, parse_json):
    code, _, stderr = story["unassigned"]
    assert code == 1
    assert "assigned range" in stderr and "--allow-unusual" in stderr
    assert "12012345678" not in stderr
    code, stdout, stderr = story["unusual"]
    assert code == 0, stderr
    assert parse_json(stdout)["number"] == "+8612012345678"


def test_a_duplicate_number_is_refused_without_echoing_the_number(story, me):
    code, _, stderr = story["duplicate"]
    assert code == 1
    assert "already in the pool" in stderr
    for spelling in (me.phone, me.phone_local, "138-0013-8000", "13800138000"[2:]):
        assert spelling not in stderr


def test_import_adds_every_line_with_labels_and_control_flags(story, parse_json):
    code, stdout, stderr = story["import"]
    assert code == 0, stderr
    docs = parse_json(stdout)
    assert [(d["number"], d["label"], d["control"]) for d in docs] == [
        ("+8613900139002", "home", False),
        ("+8613900139003", "spare", True),
    ]


def test_import_with_a_bad_line_exits_1_naming_file_and_line_and_adds_nothing(story):
    code, _, stderr = story["import_bad"]
    assert code == 1
    assert "bad.csv:3" in stderr
    assert "field 'number'" in stderr
    assert story["pool_after_bad"] == story["pool_before_bad"]
    assert "+8613900139004" not in {n.e164 for n in story["pool_after_bad"]}
    assert story["ledger_after_bad"] == story["ledger_before_bad"]  # no entry of the first line was kept
    assert story["verify"].code == 0, story["verify"].stderr  # the signed head was not moved either


def test_retire_marks_the_number_retired(story, parse_json):
    code, stdout, stderr = story["retire"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert doc["number"] == "+8613900139001"
    assert doc["retired_at"] and doc["retired_at"].endswith("Z")


def test_list_json_shows_the_whole_pool_with_roles_and_status(story, parse_json, me):
    code, stdout, stderr = story["list"]
    assert code == 0, stderr
    docs = {d["number"]: d for d in parse_json(stdout)}
    assert set(docs) == {me.phone, "+8613900139001", "+8613900139002", "+8613900139003", "+8612012345678"}
    assert docs[me.phone]["primary"] is True
    assert docs["+8613900139003"]["control"] is True
    assert docs["+8613900139001"]["retired_at"] is not None
    assert docs["+8613900139002"]["retired_at"] is None


def test_a_label_with_brackets_is_listed_as_typed(run, filled):
    """A label is the user's text: "[/]" in one made `numbers list` an internal error."""
    assert run("numbers", "add", "139 0013 9077", "--label", "old SIM [/] [spare]").code == 0
    code, stdout, stderr = run("numbers", "list")
    assert code == 0, stderr
    assert "old SIM [/] [spare]" in stdout
