"""Canaries issued in bulk stay tellable apart: by ear (surname keys) and field by field."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import pytest

import canaries
from tracer import pool
from tracer.vault import Vault

COUNT = 120  # below the ~130 Chinese surname keys a canary may carry (canaries/frequency.py)


def batch_file(count: int, real_names: int = 0) -> str:
    rows = [f"Shop{i:03d},stocks,2026-02-01T10:00:00," for i in range(count)]
    rows += [f"Bank{i},finance,2026-02-02T10:00:00,yes" for i in range(real_names)]
    return "platform,category,at,real_name\n" + "\n".join(rows) + "\n"


def start_batch(root: Path, build_vault, runner, me, numbers=(), **init) -> Any:
    """A fresh vault (`init` overrides), `numbers` in its pool, then `canary batch` started."""
    home = build_vault(root / "vault", **init)
    with Vault.open(home, me.passphrase) as vault:
        for number in numbers:
            pool.add(vault, number)
    (root / "batch.csv").write_text(batch_file(COUNT, real_names=2), encoding="utf-8")
    cli = runner(home, root)
    return cli, cli.start(("canary", "batch", "batch.csv", "--seed", "11"))


@pytest.fixture(scope="module")
def batches(tmp_path_factory, build_vault, runner, me, parse_json) -> dict[str, list[dict]]:
    """COUNT (+2 real-name) canaries from one `canary batch` in a zh_CN and an en_US vault."""
    zh = start_batch(tmp_path_factory.mktemp("zh"), build_vault, runner, me,
                     numbers=("13900139001", "13900139002", "13900139003"))  # fmt: skip
    en = start_batch(
        tmp_path_factory.mktemp("en"), build_vault, runner, me, name="John Smith",
        phone="+1 202 555 0100", locale="en_US", region="US", timezone="America/New_York",
    )  # fmt: skip
    out = {}
    for locale, (cli, process) in (("zh_CN", zh), ("en_US", en)):
        code, stdout, stderr = cli.wait(process)
        assert code == 0, stderr
        out[locale] = [parse_json(line) for line in stdout.splitlines()]
    return out


@pytest.fixture(scope="module")
def zh(batches) -> list[dict[str, Any]]:
    return batches["zh_CN"]


@pytest.fixture(scope="module")
def en(batches) -> list[dict[str, Any]]:
    return batches["en_US"]


def assert_distinct_by_ear(docs: list[dict[str, Any]], real_name: str, locale: str) -> None:
    generated = [d for d in docs if not d["real_name"]]
    assert len(generated) == COUNT
    keys = [canaries.name_key(d["name"], locale=locale) for d in generated]
    assert all(keys)
    assert len(set(keys)) == COUNT, sorted(k for k in keys if keys.count(k) > 1)
    assert canaries.name_key(real_name, locale=locale) not in keys


def test_a_batch_of_zh_cn_canaries_have_distinct_spoken_surname_keys_unlike_the_real_name(zh, me):
    assert_distinct_by_ear(zh, me.name, "zh_CN")


def test_a_batch_of_en_us_canaries_have_distinct_metaphone_surname_keys_unlike_the_real_name(en):
    assert_distinct_by_ear(en, "John Smith", "en_US")


def fields(doc: dict[str, Any], locale: str) -> tuple[Any, ...]:
    return (doc["phone"], canaries.name_key(doc["name"], locale=locale), doc["email"],
            set(doc["markers"].values()))  # fmt: skip


def differing(a: tuple[Any, ...], b: tuple[Any, ...]) -> int:
    same = [a[0] == b[0], a[1] == b[1], a[2] == b[2], bool(a[3] & b[3])]
    return same.count(False)


@pytest.mark.parametrize("locale", ["zh_CN", "en_US"])
def test_every_two_active_canaries_differ_in_at_least_two_fields(locale, zh, en):
    """Fields: phone, surname key, email, markers (any shared marker counts as the same).
    Includes the two real-name (KYC) canaries, which share the user's surname."""
    docs = zh if locale == "zh_CN" else en
    assert len(docs) == COUNT + 2
    keyed = [fields(d, locale) for d in docs]
    close = [(docs[i]["platform"], docs[j]["platform"])
             for i, j in itertools.combinations(range(len(docs)), 2)
             if differing(keyed[i], keyed[j]) < 2]  # fmt: skip
    assert close == []


def test_every_batch_line_is_a_contract_document(zh, en):
    for doc in zh + en:
        assert {"id", "platform", "category", "issued_at", "phone", "name", "email"} <= set(doc)
        assert doc["issued_at"].endswith("Z")
        assert doc["email"].endswith("@mail.example.org")
