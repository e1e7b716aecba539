"""The evidence commands through the real entry point: report formats, explain, evidence bundles,
timestamp anchors and complaint drafts, on one small vault where StockPro leaked."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

import canaries
from tests.conftest import ME, Cli

POOL = "+8613912345678"


@pytest.fixture(scope="module")
def scene(tmp_path_factory: pytest.TempPathFactory, runner: type[Cli]) -> tuple[Cli, Path, str]:
    root = tmp_path_factory.mktemp("evidence")
    run = runner(root / "vault", root)
    assert (
        run(
            "init",
            "--phone",
            ME.phone_local,
            "--name",
            ME.name,
            "--email-domain",
            ME.email_domain,
            "--timezone",
            ME.timezone,
        ).code
        == 0
    )
    assert run("numbers", "add", POOL).code == 0
    issued = json.loads(
        run(
            "canary",
            "new",
            "--platform",
            "StockPro",
            "--category",
            "stocks",
            "--at",
            "2026-03-01T09:00:00+08:00",
            "--json",
        ).stdout
    )
    surname = canaries.split_name(issued["name"])[0]
    rows = ["channel,at,to,from,heard_name,text,id"]
    for n, day in enumerate((9, 16, 23, 28)):  # weeks after signup: not the platform's own sales
        rows.append(f"call,2026-03-{day:02d}T10:00:00+08:00,{POOL},+86135000{n:05d},{surname}先生,荐股,r{n}")
    (root / "calls.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert run("contacts", "import", str(root / "calls.csv")).code == 0
    return run, root, surname


def test_every_report_format_renders_and_html_is_redacted(scene: tuple[Cli, Path, str]) -> None:
    run, root, _ = scene
    for fmt in ("table", "json", "csv", "html"):
        done = run("report", "--format", fmt, "--out", str(root / f"r.{fmt}"))
        assert done.code == 0, done.stderr
    html = (root / "r.html").read_text(encoding="utf-8")
    assert "StockPro" in html and POOL not in html and ME.name not in html
    assert json.loads((root / "r.json").read_text(encoding="utf-8"))["platforms"][0]["platform"] == "StockPro"


def test_explain_shows_the_evidence_for_one_contact(scene: tuple[Cli, Path, str]) -> None:
    run, _, _ = scene
    report = json.loads(run("report", "--format", "json").stdout)
    contact = report["contacts"][0]["id"]
    done = run("explain", contact)
    assert done.code == 0 and "identifier" in done.stdout and "StockPro" in done.stdout
    assert run("explain", "k_nope").code == 1


def test_evidence_bundle_verifies_and_a_changed_byte_exits_3(scene: tuple[Cli, Path, str]) -> None:
    run, root, _ = scene
    bundle = root / "stockpro.zip"
    assert run("evidence", "StockPro", "--out", str(bundle)).code == 0
    ok = run(
        "evidence",
        "verify",
        str(bundle),
        extra_env={"TRACER_PASSPHRASE": None, "TRACER_HOME": str(root / "none")},
    )
    assert ok.code == 0 and "StockPro" in ok.stdout
    tampered = root / "tampered.zip"
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(tampered, "w") as dst:
        for name in src.namelist():
            data = src.read(name)
            dst.writestr(name, data.replace(b"StockPro", b"StockPr0") if name == "summary.md" else data)
    bad = run("evidence", "verify", str(tampered))
    assert bad.code == 3 and "summary.md" in bad.stderr


def test_anchor_request_and_import_through_the_cli(scene: tuple[Cli, Path, str], tsa) -> None:  # type: ignore[no-untyped-def]
    run, root, _ = scene
    query, response = root / "head.tsq", root / "head.tsr"
    assert run("anchor", "request", "--out", str(query)).code == 0
    response.write_bytes(tsa.reply(query.read_bytes()))
    done = run("anchor", "import", str(response))
    assert done.code == 0 and "Anchored" in done.stdout
    garbage = root / "garbage.tsr"
    garbage.write_bytes(b"not a timestamp")
    assert run("anchor", "import", str(garbage)).code == 3
    assert run("verify").code == 0


def test_complaint_drafts_name_the_platform_and_the_bundle(scene: tuple[Cli, Path, str]) -> None:
    run, _, _ = scene
    for authority, lang in (("12321", "zh"), ("ftc", "en"), ("generic", "en")):
        done = run("complaint", "StockPro", "--to", authority, "--lang", lang, "--bundle", "stockpro.zip")
        assert done.code == 0, done.stderr
        assert "StockPro" in done.stdout and "stockpro.zip" in done.stdout
