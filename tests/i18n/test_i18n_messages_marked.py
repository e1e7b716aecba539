"""Every message an error or a rejected row carries goes through the catalog.

A literal string or f-string handed straight to an error reaches a Chinese reader in English
(round 10 found 55 in the importers). The scan reads tracer's source: a message, hint or rejected
row's reason must be a `_()`/`N_()`/`ngettext()` call or a value computed elsewhere, never a bare
literal."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest

from tracer import i18n, ingest
from tracer.errors import InputError

ROOT = Path(__file__).resolve().parents[2] / "tracer"
REAL = Path(__file__).resolve().parents[1] / "data" / "real"
ERRORS = {"error", "InputError", "RefusedError", "VaultError", "IntegrityError", "TracerError", "StaleKeyError"}
KEYWORDS = {"hint", "reason", "message"}


def _bare_messages(tree: ast.AST) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        values = [kw.value for kw in node.keywords if kw.arg in KEYWORDS and name in ERRORS | {"Rejected"}]
        if name in ERRORS and node.args:
            values.append(node.args[0])
        if name == "Rejected" and len(node.args) >= 3:
            values.append(node.args[2])
        if name == "Damaged" and len(node.args) >= 2:
            values.append(node.args[1])
        for value in values:
            literal = isinstance(value, ast.JoinedStr) or (isinstance(value, ast.Constant) and isinstance(value.value, str))
            if literal:
                found.append((node.lineno, ast.unparse(value)[:80]))
    return found


def test_no_error_message_bypasses_the_catalog() -> None:
    bare = [
        f"{path.relative_to(ROOT.parent)}:{line}: {text}"
        for path in sorted(ROOT.rglob("*.py"))
        for line, text in _bare_messages(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert bare == []


def test_the_scan_finds_a_bare_message() -> None:
    source = 'raise ctx.error(f"no {x}", hint="check --format")\nRejected(1, "date", "missing")\nRejected(1, "d", N_("ok"))'
    assert [line for line, _ in _bare_messages(ast.parse(source))] == [1, 1, 2]


def test_a_cut_backup_is_explained_in_chinese(tmp_path: Path) -> None:
    cut = tmp_path / "sms.xml"
    whole = (REAL / "sms_backup_restore" / "sms_and_mms.xml").read_bytes()
    cut.write_bytes(whole[: len(whole) // 2])
    options = ingest.Options(region="CN", tz="Asia/Shanghai", to="+8613800138000")
    with i18n.reading("zh_CN"):
        rows = list(ingest.read(cut, ingest.Format.ANDROID_SMS, options))
        damaged = [r for r in rows if getattr(r, "field", None) == "xml"]
        assert len(damaged) == 1
        reason = i18n._(damaged[0].reason)
        assert "文件在此处被截断或已损坏" in reason and "条完整记录" in reason
        assert "the file" not in reason


@pytest.mark.parametrize("lang, words", [("zh_CN", "不是 SQLite 数据库"), ("en_US", "not an SQLite database")])
def test_a_wrong_file_is_refused_in_the_readers_language(tmp_path: Path, lang: str, words: str) -> None:
    wrong = tmp_path / "calls.db"
    shutil.copy(REAL / "cn_carrier" / "china_mobile_calls.csv", wrong)
    with i18n.reading(lang), pytest.raises(InputError) as refused:
        list(ingest.read(wrong, ingest.Format.IOS_CALLS, ingest.Options()))
    assert words in refused.value.message
