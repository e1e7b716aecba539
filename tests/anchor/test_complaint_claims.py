"""Every claim a complaint draft makes comes from the evidence bundle it cites.

`tracer complaint --all` writes each flagged platform's bundle and its drafts; each draft is
parsed here and checked against that bundle: how many contacts, how sure, when, who called, what
they said, which command verifies it, and timestamps only when the bundle holds some.
"""

from __future__ import annotations

import json
import re
import zipfile
from datetime import datetime, timedelta
from pathlib import Path

import pytest

import canaries
from tests.anchor.test_cli_evidence import scene  # noqa: F401 - the StockPro-leaked vault, shared
from tests.conftest import ME, Cli
from tracer import i18n

TIMESTAMP_WORDS = ("时间戳", "RFC 3161", "timestamp", "openssl ts")


@pytest.fixture(scope="module")
def filed(scene: tuple[Cli, Path, str]) -> tuple[Path, dict]:  # noqa: F811
    run, root, _ = scene
    out = root / "filed"
    for lang in ("zh", "en"):
        result = run("complaint", "--all", "--lang", lang, "--out", str(out / lang))
        assert result.code == 0, result.stderr
    with zipfile.ZipFile(out / "zh" / "evidence-StockPro.zip") as archive:
        doc = json.loads(archive.read("attribution.json"))
    return out, doc


def _beijing(iso: str) -> str:
    return (datetime.fromisoformat(iso.replace("Z", "+00:00")) + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M")


def _rows(draft: str) -> list[list[str]]:
    table = re.search(r"\n\| (?:时间|Time).*?\n\|---.*?\n((?:\|.*\n)+)", draft)
    assert table, "the draft lists the contacts received"
    return [[cell.strip() for cell in line.strip().strip("|").split(" | ")] for line in table.group(1).splitlines()]


def test_all_writes_one_bundle_and_a_draft_per_body_for_each_flagged_platform(filed: tuple[Path, dict]) -> None:
    out, _ = filed
    assert sorted(p.name for p in (out / "zh").iterdir()) == sorted([
        "evidence-StockPro.zip",
        "complaint-StockPro-12321-zh.md", "complaint-StockPro-miit-zh.md", "complaint-StockPro-generic-zh.md",
    ])  # fmt: skip
    assert sorted(p.name for p in (out / "en").iterdir()) == sorted([
        "evidence-StockPro.zip",
        "complaint-StockPro-ftc-en.md", "complaint-StockPro-ico-en.md", "complaint-StockPro-generic-en.md",
    ])  # fmt: skip


def test_all_names_every_file_it_wrote_whole_in_80_columns(scene: tuple[Cli, Path, str]) -> None:  # noqa: F811
    run, root, _ = scene
    out = root / "filed-80"
    result = run("complaint", "--all", "--lang", "en", "--out", str(out), extra_env={"COLUMNS": "80"})
    assert result.code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    assert len(names) == 4
    for name in names:
        assert name in result.stdout


def test_all_never_overwrites_without_force(scene: tuple[Cli, Path, str], filed: tuple[Path, dict]) -> None:  # noqa: F811
    run, _, _ = scene
    out, _ = filed
    before = (out / "zh" / "complaint-StockPro-12321-zh.md").read_bytes()
    again = run("complaint", "--all", "--lang", "zh", "--out", str(out / "zh"))
    assert again.code == 1 and "--force" in again.stderr
    assert (out / "zh" / "complaint-StockPro-12321-zh.md").read_bytes() == before


@pytest.mark.parametrize("name", ["complaint-StockPro-12321-zh.md", "complaint-StockPro-miit-zh.md",
                                  "complaint-StockPro-ftc-en.md", "complaint-StockPro-generic-en.md"])
def test_every_claim_in_a_draft_is_in_its_bundle(filed: tuple[Path, dict], name: str) -> None:
    out, _ = filed
    folder = out / name.removesuffix(".md").rsplit("-", 1)[1]
    with zipfile.ZipFile(folder / "evidence-StockPro.zip") as archive:
        doc = json.loads(archive.read("attribution.json"))
    draft = (folder / name).read_text(encoding="utf-8")
    contacts, row = doc["contacts"], doc["platform"]
    total = re.search(r"(?:共有|Since then) \*\*(\d+)\*\*", draft)
    assert total and int(total.group(1)) == len(contacts)
    assert f"{i18n.percent(row['confidence'])}" in draft
    rows = _rows(draft)
    assert len(rows) == len(contacts)
    by_time = {_beijing(c["at"]): c for c in contacts}
    for when, _channel, caller, content in rows:
        contact = by_time[when]  # a time in Beijing time that the bundle holds
        assert caller == contact["from"]
        assert contact["text"] in content and content != "—", "what the caller said is in the draft"
    first = min(contacts, key=lambda c: c["at"])
    assert _beijing(first["at"]) in draft and ("北京时间" in draft or "Asia/Shanghai" in draft)
    assert "tracer evidence verify evidence-StockPro.zip" in draft
    assert "`tracer verify`" not in draft


def test_a_bundle_without_anchors_is_never_said_to_hold_timestamps(filed: tuple[Path, dict]) -> None:
    out, _ = filed
    with zipfile.ZipFile(out / "zh" / "evidence-StockPro.zip") as archive:
        assert archive.read("anchors.jsonl").strip() == b""
    for draft in out.glob("*/complaint-*.md"):
        text = draft.read_text(encoding="utf-8")
        assert not any(word in text for word in TIMESTAMP_WORDS), draft.name


def test_a_draft_citing_a_verified_bundle_says_what_it_holds(filed: tuple[Path, dict]) -> None:
    out, _ = filed
    text = (out / "zh" / "complaint-StockPro-12321-zh.md").read_text(encoding="utf-8")
    assert "本稿引用时已核验" in text and "条签名账本记录" in text


def test_a_bundle_that_does_not_verify_is_refused(scene: tuple[Cli, Path, str]) -> None:  # noqa: F811
    run, root, _ = scene
    garbage = root / "garbage.bin"
    garbage.write_bytes(b"\x00not a zip at all\xff" * 20)
    result = run("complaint", "StockPro", "--to", "12321", "--bundle", str(garbage))
    assert result.code == 3, (result.code, result.stderr)
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr


def test_a_bundle_for_another_platform_is_refused(scene: tuple[Cli, Path, str], filed: tuple[Path, dict]) -> None:  # noqa: F811
    run, _, _ = scene
    out, _ = filed
    result = run("complaint", "OtherShop", "--bundle", str(out / "zh" / "evidence-StockPro.zip"))
    assert result.code == 1
    assert "the bundle is about 'StockPro', not 'OtherShop'" in result.stderr


def _identity_rows(draft: str) -> dict[str, tuple[str, str]]:
    """The draft's table of the details given: label -> (value, to whom)."""
    table = re.search(r"\n\| (?:项目|Detail) .*?\n\|---.*?\n((?:\|.*\n)+)", draft)
    assert table, "the draft lists the details given"
    cells = [[c.strip() for c in line.strip().strip("|").split(" | ")] for line in table.group(1).splitlines()]
    return {label: (value, given) for label, value, given in cells}


def test_a_detail_is_called_given_to_no_one_else_only_when_it_was(
    scene: tuple[Cli, Path, str], filed: tuple[Path, dict],  # noqa: F811
) -> None:
    run, _, _ = scene
    out, _ = filed
    issued = json.loads(run("canary", "list", "--json").stdout)
    others = {value for c in issued if c["platform"] != "StockPro" for value in (c["phone"], c["name"], c["email"])}
    for draft in out.glob("*/complaint-StockPro-*.md"):
        rows = _identity_rows(draft.read_text(encoding="utf-8"))
        assert rows, draft.name
        for value, given in rows.values():
            only = given in ("仅「StockPro」", "StockPro only")
            assert only == (value not in others and value != ME.name), (draft.name, value, given)


def test_a_number_two_signups_shared_is_not_said_to_be_given_to_no_one_else(
    tmp_path: Path, runner: type[Cli],
) -> None:
    """One number, two signups: the user's own number went to both (and everywhere else)."""
    run = runner(tmp_path / "vault", tmp_path)
    assert run("init", "--phone", ME.phone_local, "--name", ME.name, "--timezone", ME.timezone).code == 0
    first = json.loads(run("canary", "new", "--platform", "StockPro", "--at", "2026-03-01T09:00:00+08:00", "--json").stdout)
    run("canary", "new", "--platform", "LoanNow", "--at", "2026-03-02T09:00:00+08:00", "--json")
    surname = canaries.split_name(first["name"])[0]
    rows = ["channel,at,to,from,heard_name,text,id"]
    rows += [f"call,2026-03-{day:02d}T10:00:00+08:00,{ME.phone},+86135000{n:05d},{surname}先生,荐股,r{n}"
             for n, day in enumerate((9, 16, 23, 28))]  # fmt: skip
    (tmp_path / "calls.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert run("contacts", "import", str(tmp_path / "calls.csv")).code == 0
    result = run("complaint", "StockPro", "--to", "ftc", "--lang", "en", "--out", str(tmp_path / "ftc.md"))
    assert result.code == 0, result.stderr
    rows_given = _identity_rows((tmp_path / "ftc.md").read_text(encoding="utf-8"))
    assert rows_given["Phone number"][1] == "not only StockPro"
    assert rows_given["Name"][1] == "StockPro only"
