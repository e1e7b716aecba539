"""The CLI speaks the vault's language unless --lang or the locale environment says otherwise,
and shows times in the vault's zone; JSON stays English keys and UTC."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.anchor.test_cli_evidence import scene  # noqa: F401 - a zh_CN vault where StockPro leaked
from tests.conftest import Cli

NO_LOCALE = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}


def test_a_chinese_vault_speaks_chinese_in_beijing_time(scene: tuple[Cli, Path, str]) -> None:  # noqa: F811
    run, _, _ = scene
    result = run("report", extra_env=NO_LOCALE)
    assert result.code == 0, result.stderr
    assert result.stdout.startswith("Leak Tracer 报告 · ") and " 北京时间" in result.stdout.splitlines()[0]
    assert "提供给「StockPro」的信息到达了骚扰方" in result.stdout
    assert "时间为北京时间。" in result.stdout


def test_help_is_chinese_before_any_passphrase_is_asked(scene: tuple[Cli, Path, str]) -> None:  # noqa: F811
    run, _, _ = scene
    result = run("--help", extra_env={**NO_LOCALE, "TRACER_PASSPHRASE": None})
    assert result.code == 0
    assert "命令" in result.stdout and "创建新的加密保险库。" in result.stdout


def test_lang_and_the_environment_override_the_vault(scene: tuple[Cli, Path, str]) -> None:  # noqa: F811
    run, _, _ = scene
    flagged = run("--lang", "en_US", "report", extra_env=NO_LOCALE)
    assert "Data given to StockPro reached callers" in flagged.stdout
    assert "Times are Asia/Shanghai." in flagged.stdout
    environment = run("report", extra_env={**NO_LOCALE, "LC_MESSAGES": "en_US.UTF-8"})
    assert "Data given to StockPro reached callers" in environment.stdout


def test_explain_reads_chinese_with_local_time_and_what_was_said(scene: tuple[Cli, Path, str]) -> None:  # noqa: F811
    run, _, surname = scene
    report = json.loads(run("report", "--format", "json").stdout)
    contact = next(c for c in report["contacts"] if c["platform"] == "StockPro")
    result = run("explain", contact["id"], extra_env=NO_LOCALE)
    assert result.code == 0, result.stderr
    assert "北京时间" in result.stdout and "归因于：StockPro" in result.stdout
    assert f"“{surname}先生” 荐股" in result.stdout


def test_json_keeps_its_keys_and_utc_in_any_language(scene: tuple[Cli, Path, str]) -> None:  # noqa: F811
    run, _, _ = scene
    report = json.loads(run("report", "--format", "json", extra_env=NO_LOCALE).stdout)
    assert report["platforms"][0]["verdict"] in ("leaked", "suspected", "no-evidence")
    assert all(c["at"].endswith("Z") for c in report["contacts"])


@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_an_english_vault_speaks_english_unless_told(tmp_path: Path, runner: type[Cli], lang: str) -> None:
    run = runner(tmp_path / "vault", tmp_path)
    assert run("init", "--locale", "en_US", "--timezone", "America/New_York", "--phone", "+12025550143").code == 0
    assert run("canary", "new", "--platform", "AutoFinder").code == 0
    flag = ["--lang", lang] if lang == "zh_CN" else []
    result = run(*flag, "report", extra_env=NO_LOCALE)
    assert result.code == 0, result.stderr
    if lang == "en_US":
        assert "Data given to 0 of 1 platform reached callers." in result.stdout
        assert "Times are America/New_York." in result.stdout
    else:
        assert "在 1 个平台中，提供给 0 个平台的信息到达了骚扰方。" in result.stdout
