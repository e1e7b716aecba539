"""`tracer canary new|record|batch|list|show|retire` through the real entry point.

One scenario runs the commands in order on one vault; each test checks one step.
"""

from __future__ import annotations

from typing import Any

import pytest

from tracer import identities, pool
from tracer.ledger import Ledger
from tracer.vault import Vault

CONTRACT_KEYS = {"id", "platform", "category", "issued_at", "phone", "name", "email"}
BATCH = (
    "platform,category,at,real_name\n"
    "CarDeals,cars,2026-03-02T10:00:00+08:00,\n"
    "招商理财,finance,2026-03-03 09:00,yes\n"
    "FoodieGo,,,\n"
)
BAD_AT = "platform,category,at,real_name\nA1,,2026-03-01T10:00:00Z,\nA2,,not-a-time,\nA3,,,\n"
BAD_PLATFORM = "platform,category,at,real_name\nB1,,,\n ,loans,,\nB3,,,\n"


def state(vault: Vault) -> tuple[list[str], int]:
    return [c.id for c in identities.canaries_in(vault)], Ledger(vault).head()[0]


@pytest.fixture(scope="module")
def story(tmp_path_factory, build_vault, runner, me, parse_json) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("canary")
    home = build_vault(root / "vault")
    run = runner(home, root)
    for name, text in (("batch.csv", BATCH), ("bad_at.csv", BAD_AT), ("bad_pf.csv", BAD_PLATFORM)):
        (root / name).write_text(text, encoding="utf-8")
    out: dict[str, Any] = {"home": home}
    with Vault.open(home, me.passphrase) as vault:
        for number in ("13900139001", "13900139002", "13900139003"):
            pool.add(vault, number)
    out["new"] = run("canary", "new", "--platform", "StockPro", "--category", "stocks",
                     "--at", "2026-03-01T09:30:00+08:00", "--json")  # fmt: skip
    out["record"] = run("canary", "record", "--platform", "OldShop", "--phone", "139 0013 9009",
                        "--name", "张三丰", "--email", "Old.Shop@Example.org",
                        "--at", "2025-01-02T03:04:05", "--json")  # fmt: skip
    out["batch"] = run("canary", "batch", "batch.csv", "--seed", "5")
    with Vault.open(home, me.passphrase) as vault:
        out["before_bad"] = state(vault)
    out["bad_at"], out["bad_platform"] = run.many(
        ("canary", "batch", "bad_at.csv"), ("canary", "batch", "bad_pf.csv")
    )
    with Vault.open(home, me.passphrase) as vault:
        out["after_bad"] = state(vault)
    target = parse_json(out["new"].stdout)["id"]
    out["list"], out["show"] = run.many(("canary", "list", "--json"), ("canary", "show", target, "--json"))
    out["retire"] = run("canary", "retire", target, "--json")
    with Vault.open(home, me.passphrase) as vault:
        out["active"] = [c.id for c in identities.canaries_in(vault, include_retired=False)]
    return out


def test_new_json_has_the_contract_keys_and_utc_issued_at(story, parse_json):
    code, stdout, stderr = story["new"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert set(doc) >= CONTRACT_KEYS
    assert doc["id"].startswith("c_")
    assert (doc["platform"], doc["category"]) == ("StockPro", "stocks")
    assert doc["issued_at"] == "2026-03-01T01:30:00Z"
    assert doc["phone"] == "+8613900139001"
    assert doc["email"].endswith("@mail.example.org")
    assert doc["name"] and doc["name"] != "杨伟"


def test_record_backdates_with_at_read_in_the_vault_timezone(story, parse_json):
    code, stdout, stderr = story["record"]
    assert code == 0, stderr
    doc = parse_json(stdout)
    assert set(doc) >= CONTRACT_KEYS
    assert doc["issued_at"] == "2025-01-01T19:04:05Z"  # 03:04:05 in Asia/Shanghai
    assert (doc["platform"], doc["phone"], doc["name"]) == ("OldShop", "+8613900139009", "张三丰")
    assert doc["email"] == "old.shop@example.org"


def test_batch_prints_one_json_line_per_row_in_file_order(story, parse_json):
    code, stdout, stderr = story["batch"]
    assert code == 0, stderr
    docs = [parse_json(line) for line in stdout.splitlines()]
    assert [d["platform"] for d in docs] == ["CarDeals", "招商理财", "FoodieGo"]
    assert all(set(d) >= CONTRACT_KEYS for d in docs)
    assert docs[0]["issued_at"] == "2026-03-02T02:00:00Z"
    assert docs[1]["issued_at"] == "2026-03-03T01:00:00Z"
    assert docs[1]["real_name"] is True and docs[1]["name"] == "杨伟"
    assert docs[0]["category"] == "cars" and docs[2]["category"] is None


def test_batch_with_a_bad_time_on_line_3_exits_1_and_issues_nothing(story):
    code, stdout, stderr = story["bad_at"]
    assert code == 1
    assert stdout == ""
    assert "bad_at.csv:3" in stderr and "field 'at'" in stderr
    assert story["after_bad"] == story["before_bad"]


def test_batch_with_an_empty_platform_on_line_3_names_file_line_and_field(story):
    """Issuing had started (line 2) when line 3 failed: all of it is rolled back."""
    code, stdout, stderr = story["bad_platform"]
    assert code == 1
    assert stdout == ""
    assert story["after_bad"] == story["before_bad"]
    assert "field 'platform'" in stderr
    assert "bad_pf.csv:3" in stderr


def test_list_json_shows_every_canary_with_its_signal(story, parse_json):
    code, stdout, stderr = story["list"]
    assert code == 0, stderr
    docs = parse_json(stdout)
    assert sorted(d["platform"] for d in docs) == sorted(
        ["StockPro", "OldShop", "CarDeals", "招商理财", "FoodieGo"]
    )
    assert all(set(d) >= CONTRACT_KEYS for d in docs)
    for doc in docs:
        assert set(doc["signal"]) <= {"phone", "surname", "email", "marker"}
        assert len(doc["signal"]) >= 2 or doc["platform"] == "OldShop"  # recorded: no markers


def test_show_json_returns_the_same_canary(story, parse_json):
    code, stdout, stderr = story["show"]
    assert code == 0, stderr
    new = parse_json(story["new"].stdout)
    shown = parse_json(stdout)
    assert {k: shown[k] for k in CONTRACT_KEYS} == {k: new[k] for k in CONTRACT_KEYS}


def test_retire_sets_retired_at_and_takes_the_canary_out_of_the_active_set(story, parse_json):
    code, stdout, stderr = story["retire"]
    assert code == 0, stderr
    retired = parse_json(stdout)
    assert retired["retired_at"].endswith("Z")
    assert retired["id"] not in story["active"]
    assert len(story["active"]) == 4
