"""Which language a person reads, and that every message has its Chinese translation."""

from __future__ import annotations

import importlib.util
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tracer import i18n

ROOT = Path(__file__).resolve().parents[2]


def _catalog_tool():
    spec = importlib.util.spec_from_file_location("catalog_tool", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_flag_beats_environment_beats_vault() -> None:
    env = {"LANG": "en_US.UTF-8"}
    assert i18n.choose("zh_CN", "en_US", env) == "zh_CN"
    assert i18n.choose(None, "zh_CN", env) == "en_US"
    assert i18n.choose(None, "zh_CN", {}) == "zh_CN"
    assert i18n.choose(None, None, {}) == "en_US"


def test_lc_all_beats_lc_messages_beats_lang() -> None:
    env = {"LC_ALL": "zh_CN.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LANG": "en_GB.UTF-8"}
    assert i18n.choose(None, None, env) == "zh_CN"
    del env["LC_ALL"]
    assert i18n.choose(None, None, env) == "en_US"


@pytest.mark.parametrize("neutral", ["C", "C.UTF-8", "POSIX", ""])
def test_the_c_locale_says_nothing_so_the_vault_decides(neutral: str) -> None:
    assert i18n.choose(None, "zh_CN", {"LC_ALL": neutral, "LANG": neutral}) == "zh_CN"


@pytest.mark.parametrize(
    ("tag", "lang"),
    [("zh_TW.UTF-8", "zh_CN"), ("zh-Hant-HK", "zh_CN"), ("zh-Hans", "zh_CN"), ("zh", "zh_CN"),
     ("en_GB.UTF-8", "en_US"), ("de_DE.UTF-8", None), ("fr", None)],
)  # fmt: skip
def test_tags_map_to_a_catalog_or_to_nothing(tag: str, lang: str | None) -> None:
    assert i18n.normalize(tag) == lang


def test_every_message_in_the_code_has_a_chinese_translation() -> None:
    """Add a message without translating it and this fails: run scripts/i18n.py, then translate."""
    assert _catalog_tool().missing("zh_CN") == []


def test_catalogs_translate_plain_and_plural_messages() -> None:
    with i18n.reading("zh_CN"):
        assert i18n._("Whose data reached callers") == "谁的信息到达了骚扰方"
        assert i18n.ngettext("{n} contact", "{n} contacts", 3).format(n=3) == "3 次联系"
    with i18n.reading("en_US"):
        assert i18n.ngettext("{n} contact", "{n} contacts", 1).format(n=1) == "1 contact"
        assert i18n.ngettext("{n} contact", "{n} contacts", 2).format(n=2) == "2 contacts"


def test_a_missing_compiled_catalog_is_compiled_from_its_po(tmp_path: Path) -> None:
    po = ROOT / "tracer" / "locale" / "zh_CN" / "LC_MESSAGES" / "tracer.po"
    compiled = i18n.compile_po(po)
    assert compiled[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde")  # the gettext .mo magic


def test_times_are_local_and_the_zone_is_named() -> None:
    moment = datetime(2026, 5, 15, 19, 7, tzinfo=UTC)
    with i18n.reading("zh_CN", "Asia/Shanghai"):
        assert i18n.local_time(moment) == "2026-05-16 03:07"
        assert i18n.zone_label() == "北京时间"
    with i18n.reading("en_US", "Asia/Shanghai"):
        assert i18n.zone_label() == "Asia/Shanghai"
    with i18n.reading("en_US", "America/New_York"):
        assert i18n.local_time(moment) == "2026-05-15 15:07"
    with i18n.reading("zh_CN", "UTC"):
        assert i18n.zone_label() == "UTC"


def test_reading_restores_the_language_and_zone_it_found() -> None:
    before = (i18n.current(), i18n.zone())
    with i18n.reading("zh_CN", "Asia/Shanghai"):
        assert (i18n.current(), i18n.zone()) == ("zh_CN", "Asia/Shanghai")
    assert (i18n.current(), i18n.zone()) == before


CLICK = ("Invalid value for {name}: {reason}", "{value} is not one of {choices}.",
         "No such command {name}.", "No such command {name}. Did you mean {suggestions}?")  # fmt: skip


def test_reword_recognises_a_template_and_rewords_the_values_inside_it() -> None:
    with i18n.reading("zh_CN"):
        said = i18n.reword("Invalid value for '--format': 'xml' is not one of 'table', 'json'.", CLICK)
        assert said == "'--format' 的值无效：'xml' 不是 'table', 'json' 之一。"
        assert i18n.reword("No such command 'imprt'. Did you mean 'import'?", CLICK) == "没有命令 'imprt'。您是想用 'import' 吗？"
        assert i18n.reword("No such command 'x'.", CLICK) == "没有命令 'x'。"


def test_reword_leaves_an_unknown_message_and_english_as_written() -> None:
    with i18n.reading("zh_CN"):
        assert i18n.reword("Something Click says that we never saw.", CLICK) == "Something Click says that we never saw."
    with i18n.reading("en_US"):
        message = "Invalid value for '--format': 'xml' is not one of 'table'."
        assert i18n.reword(message, CLICK) == message
