"""Identifiers are checked where they are entered; the README's order works with no canary; long
names are bounded; future dates, out-of-range years and weak passphrases are one clean line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import Cli
from tracer import identifiers
from tracer.errors import InputError

ZW = "\u200b"  # zero-width space
RLO = "\u202e"  # right-to-left override


def one_line(stderr: str) -> str:
    assert "internal error" not in stderr and "Traceback" not in stderr, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    return lines[0]


@pytest.fixture
def fresh(run: Cli) -> Cli:
    code, _, stderr = run("init", "--phone", "13800138000", "--name", "杨伟")
    assert code == 0, stderr
    return run


def test_the_readme_order_with_no_canary_reports_every_contact_unattributed(fresh: Cli, tmp_path: Path):
    calls = tmp_path / "calls.csv"
    calls.write_text("channel,at,to,from\ncall,2026-03-01T10:00:00+08:00,13800138000,+8617012345671\n")
    assert fresh("contacts", "import", calls).code == 0
    code, stdout, stderr = fresh("report", "--format", "json")
    assert code == 0, stderr
    doc = json.loads(stdout)
    assert doc["platforms"] == [] and [c["platform"] for c in doc["contacts"]] == [None]
    for args in (("report",), ("platforms",), ("explain", doc["contacts"][0]["id"])):
        code, _, stderr = fresh(*args)
        assert code == 0, (args, stderr)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (("canary", "new", "--platform", "P" * 500), "platform"),
        (("canary", "record", "--platform", "Shop", "--name", "名" * 600), "name"),
        (("--home", "elsewhere", "init", "--name", "N" * 600), "name"),
        (("numbers", "add", "12345"), "number"),
        (("canary", "new", "--platform", "Shop", "--at", "0001-01-01"), "at"),
        (("canary", "new", "--platform", "Shop", "--at", "9999-12-31T23:59:59-12:00"), "at"),
        (("contacts", "log", "--at", "2999-01-01T00:00:00Z", "--to", "13800138000"), "at"),
    ],
    ids=["long platform", "long name", "long real name", "short number", "year 1", "year 10000", "future contact"],
)
def test_bad_identifiers_are_one_clean_line_naming_the_field(fresh: Cli, args: tuple[str, ...], field: str):
    code, _, stderr = fresh(*args)
    assert code == 1
    assert f"field '{field}'" in one_line(stderr)


def test_allow_flags_accept_test_numbers_and_future_contacts(fresh: Cli):
    assert fresh("numbers", "add", "12345", "--allow-unusual").code == 0
    assert fresh("contacts", "log", "--at", "2999-01-01T00:00:00Z", "--to", "13800138000",
                 "--allow-future").code == 0  # fmt: skip


def test_a_future_row_in_an_import_names_its_line(fresh: Cli, tmp_path: Path):
    calls = tmp_path / "calls.csv"
    calls.write_text("channel,at,to,from\ncall,2026-03-01T10:00:00Z,13800138000,+8617012345671\n"
                     "call,2999-03-01T10:00:00Z,13800138000,+8617012345672\n")  # fmt: skip
    code, _, stderr = fresh("contacts", "import", calls)
    assert code == 1 and "calls.csv:3: field 'at': in the future" in one_line(stderr)
    assert fresh("contacts", "import", calls, "--allow-future").code == 0


@pytest.mark.parametrize(
    "args",
    [
        ("--region", "ZZ"),
        ("--email-domain", "a b"),
        ("--email", "not-an-address"),
        ("--email", "a@b@c.example"),
        ("--phone", "12345"),
    ],
)
def test_init_refuses_identifiers_that_would_break_every_later_command(run: Cli, args: tuple[str, ...]):
    code, _, stderr = run("init", *args)
    assert code == 1
    one_line(stderr)


def test_init_refuses_a_weak_passphrase_unless_told(run: Cli, tmp_path: Path):
    code, _, stderr = run("--home", tmp_path / "weak", "init", extra_env={"TRACER_PASSPHRASE": "a"})
    assert code == 1 and "weak" in one_line(stderr) and "--weak-passphrase" in stderr
    assert not (tmp_path / "weak").exists()
    code, _, stderr = run("--home", tmp_path / "weak", "init", "--weak-passphrase", extra_env={"TRACER_PASSPHRASE": "a"})
    assert code == 0, stderr


def test_a_binary_canary_batch_file_is_one_clean_line(fresh: Cli, tmp_path: Path):
    blob = tmp_path / "batch.csv"
    blob.write_bytes(bytes(range(256)) * 8)
    code, _, stderr = fresh("canary", "batch", blob)
    assert code == 1 and "batch.csv" in one_line(stderr)


def test_strict_booleans_in_batch_files(fresh: Cli, tmp_path: Path):
    batch = tmp_path / "batch.csv"
    batch.write_text("platform,category,at,real_name\nShop,shop,,maybe\n")
    code, _, stderr = fresh("canary", "batch", batch)
    assert code == 1 and "batch.csv:2: field 'real_name'" in one_line(stderr)


def test_platform_names_that_differ_only_by_hidden_or_width_characters_are_one_platform(fresh: Cli):
    for name in ("StockPro", f"Stock{ZW}Pro", f"{RLO}ＳｔｏｃｋＰｒｏ", "stockpro"):
        code, _, stderr = fresh("canary", "new", "--platform", name)
        assert code == 0, stderr
    code, stdout, _ = fresh("platforms", "--json")
    assert code == 0
    assert [p["platform"] for p in json.loads(stdout)] == ["StockPro"]


def test_cleaning_keeps_real_names_and_strips_what_cannot_be_seen():
    assert identifiers.name(f" 招商{ZW}理财 ", field="platform") == "招商理财"
    assert identifiers.name("Ｊｏｈｎ\u0007 Smith", field="name") == "John Smith"
    assert identifiers.platform_key("ＳｔｏｃｋＰｒｏ") == identifiers.platform_key("stockpro")
    with pytest.raises(InputError):
        identifiers.name(f"{ZW}{RLO}", field="platform")
    assert identifiers.email("Me+Tag@Mail.Example.ORG") == "me+tag@mail.example.org"
    with pytest.raises(InputError):
        identifiers.boolean("maybe", field="control")
