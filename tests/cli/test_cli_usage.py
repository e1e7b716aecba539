"""Click's and Typer's own words (usage lines, usage errors, `--help`, prompts) in the reader's
language: a zh_CN reader meets none of their English, an en_US reader none of our Chinese."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.conftest import Cli, Process
from tracer import i18n
from tracer.cli import common, usage

# What Click and Typer say in English around our own messages (typer/_click, typer/core.py,
# typer/rich_utils.py, Pydantic's conversion errors).
CLICK_ENGLISH = (
    "Usage:", "Show this message and exit.", "No such command", "Did you mean", "Try '", "for help",
    "Missing argument", "Missing option", "Missing command", "No such option", "Possible options",
    "Invalid value", "is not one of", "requires an argument", "Got unexpected extra", "Input should be",
    "Value error", "Error", "[required]", "[default:", "[OPTIONS]", "COMMAND [ARGS]", "Options",
    "Commands", "Arguments", "<bool>", "Aborted",
)  # fmt: skip
CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")

# The mistakes a new user makes, and the help they then ask for: (argv, exit code).
ATTEMPTS = [
    (("--help",), 0),
    (("contacts", "--help"), 0),
    (("contacts", "import", "--help"), 0),
    (("canary", "new", "--help"), 0),
    (("contacts",), 2),  # a group without a command shows its help
    (("imprt",), 2),
    (("contacts", "imprt"), 2),
    (("contacts", "import"), 2),
    (("contacts", "import", "--bogus", "x"), 2),
    (("report", "--format", "xml"), 2),
    (("report", "--formt", "table"), 2),
    (("canary", "new"), 2),
    (("canary", "new", "--platform"), 2),
    (("numbers", "add", "13800138000", "extra"), 2),
    (("demo", "--seed", "abc"), 2),
    (("contacts", "list", "--limit", "1.5"), 2),
    (("serve", "--port", "99999"), 2),  # a port out of range is a usage error, not a server's traceback
]


def _english_in(text: str) -> list[str]:
    return [phrase for phrase in CLICK_ENGLISH if phrase in text]


@pytest.mark.parametrize(("argv", "code"), ATTEMPTS, ids=lambda a: " ".join(a) if isinstance(a, tuple) else str(a))
def test_click_and_typer_speak_chinese_to_a_chinese_reader(run: Cli, argv: tuple[str, ...], code: int) -> None:
    result = run("--lang", "zh_CN", *argv)
    said = result.stdout + result.stderr
    assert result.code == code, said
    assert _english_in(said) == []
    assert CJK.search(said)


@pytest.mark.parametrize(("argv", "code"), ATTEMPTS, ids=lambda a: " ".join(a) if isinstance(a, tuple) else str(a))
def test_an_english_reader_gets_click_as_written_and_no_chinese(run: Cli, argv: tuple[str, ...], code: int) -> None:
    result = run("--lang", "en_US", *argv)
    said = result.stdout + result.stderr
    assert result.code == code, said
    assert CJK.findall(said) == []
    assert _english_in(said)  # the list above is what Click really says


def test_an_error_is_reworded_with_its_values_and_nested_reason(run: Cli) -> None:
    result = run("--lang", "zh_CN", "report", "--format", "xml")
    assert "用法：tracer report [选项]" in result.stderr
    assert "运行 'tracer report --help' 查看帮助。" in result.stderr
    assert "'--format' 的值无效：'xml' 不是 'table', 'json', 'csv', 'html' 之一。" in result.stderr
    assert "没有命令 'imprt'。您是想用 'import' 吗？" in run("--lang", "zh_CN", "contacts", "imprt").stderr
    missing = run("--lang", "zh_CN", "contacts", "import").stderr
    assert "用法：tracer contacts import [选项] {文件}" in missing and "缺少参数 '文件'。" in missing


def test_a_flag_shows_no_value_type_and_a_value_option_keeps_it(run: Cli) -> None:
    shown = run("--lang", "zh_CN", "report", "--help").stdout
    assert re.search(r"--force\s+(?!<)\S", shown)  # the flag's help follows its name
    assert re.search(r"--out\s+<path>", shown)
    assert "显示本帮助并退出。" in shown


def test_the_process_speaks_chinese_through_the_console_script(run_process: Process) -> None:
    """The same through `python -m tracer` (the environment's language, no --lang)."""
    result = run_process("contacts", "imprt", extra_env={"LC_ALL": None, "LC_MESSAGES": "zh_CN.UTF-8"})
    assert result.code == 2
    assert "没有命令 'imprt'。您是想用 'import' 吗？" in result.stderr
    assert _english_in(result.stdout + result.stderr) == []
    helped = run_process("--help", extra_env={"LC_ALL": None, "LC_MESSAGES": "zh_CN.UTF-8"})
    assert helped.code == 0 and "用法：tracer [选项] 命令 [参数]..." in helped.stdout
    assert _english_in(helped.stdout) == []


def test_a_chinese_vault_alone_makes_click_speak_chinese(vault: object, run: Cli) -> None:
    """No --lang and a silent environment: the vault's locale (zh_CN) chooses, for Click's words too."""
    silent = {"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
    result = run("report", "--formt", "table", extra_env=silent)
    assert result.code == 2
    assert "没有这个选项：--formt（可能是：--force, --format, --out）" in result.stderr
    assert _english_in(result.stderr) == []
    english = run("report", "--formt", "table", extra_env={**silent, "LANG": "en_US.UTF-8"})
    assert "No such option: --formt (Possible options: --force, --format, --out)" in english.stderr


@pytest.mark.parametrize(
    ("argv", "said"),
    [(("init", "--locale", "zh_CN"), ("保险库已创建于", "下一步：")),
     (("init", "--locale", "en_US", "--region", "US"), ("Vault created at", "Next: ")),
     (("--lang", "en_US", "init", "--locale", "zh_CN"), ("Vault created at", "Next: "))],
)  # fmt: skip
def test_init_speaks_the_new_vaults_language_unless_told(run: Cli, argv: tuple[str, ...], said: tuple[str, ...]) -> None:
    """Before `init` there is no vault to ask: its messages follow --lang, the environment, else --locale."""
    result = run(*argv, "--timezone", "Asia/Shanghai", extra_env={"LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"})
    assert result.code == 0, result.stderr
    assert all(text in result.stdout for text in said)


def test_a_chinese_import_names_the_rejected_rows_reason_in_chinese(run: Cli, tmp_path: Path) -> None:
    assert run("init", "--timezone", "Asia/Shanghai").code == 0
    assert run("numbers", "add", "+8613912345678").code == 0
    bad = tmp_path / "calls.csv"
    bad.write_text("channel,at,to,from\ncall,2026-03-01T09:00,+8613912345678,+8613000000001\ncall,someday,+8613912345678,+8613000000002\n")
    result = run("--lang", "zh_CN", "contacts", "import", bad)
    assert result.code == 1
    assert "calls.csv:3: 字段“at”：不是日期时间" in result.stderr
    assert "）（请修正该行" in result.stderr  # the hint in full-width brackets
    log = tmp_path / "rejected.txt"
    assert run("--lang", "zh_CN", "contacts", "import", bad, "--skip-bad", log).code == 0
    assert log.read_text(encoding="utf-8").startswith("calls.csv:3: 字段“at”：不是日期时间")
    number = run("--lang", "zh_CN", "numbers", "add", "12")
    assert number.code == 1 and "字段“number”：不是可能存在的电话号码" in number.stderr


def test_the_passphrase_is_confirmed_in_the_readers_words(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Click's own confirmation says "Repeat for confirmation" and its mismatch in English."""
    answers = iter(["first try", "mistyped", "second try", "second try"])
    asked: list[str] = []

    def prompt(question: str, hide_input: bool = False) -> str:
        assert hide_input
        asked.append(question)
        return next(answers)

    monkeypatch.setattr(common.typer, "prompt", prompt)
    monkeypatch.setattr(common, "err_console", common.sanitize.SafeConsole(stderr=True, highlight=False))
    with i18n.reading("zh_CN"):
        assert common.ask_secret(i18n._("Vault passphrase"), confirm=True) == "second try"
    assert asked == ["保险库口令", "请再输入一次以确认", "保险库口令", "请再输入一次以确认"]
    assert "两次输入的内容不一致。" in capsys.readouterr().err


def test_the_canary_warnings_shown_are_the_canaries_packages_own() -> None:
    """The canaries package's warnings are catalog templates, translated where shown."""
    import canaries
    from canaries import aliases, allocator, generator

    assert aliases.PLUS_WARNING in canaries.WARNINGS and generator.SURNAME_WARNING in canaries.WARNINGS
    shared = allocator.shared("+8613800138000").warning
    assert shared is not None
    with i18n.reading("zh_CN"):
        assert i18n.reword(shared, canaries.WARNINGS) == (
            "号码池中已没有未用过的号码：这个金丝雀身份与别的身份共用 +86•••••••••00，只能靠姓名和邮箱区分"
        )
        assert CJK.search(i18n.reword(aliases.PLUS_WARNING, canaries.WARNINGS))


def test_every_click_template_is_a_catalog_message_with_a_translation() -> None:
    with i18n.reading("zh_CN"):
        assert [t for t in usage.MESSAGES if not CJK.search(i18n._(t)) and i18n._(t) != "{reason}"] == []


def test_every_option_says_what_it_does() -> None:
    """An option without help shows a zh_CN reader only its English name."""
    import typer.main

    from tracer.cli import app, help

    bare = [f"{node.name} {param.opts[0]}" for node in help._walk(typer.main.get_command(app))
            for param in node.params if param.param_type_name == "option" and not param.help]  # fmt: skip
    assert bare == []


def test_contacts_list_and_show_read_chinese_in_beijing_time(vault: object, run: Cli) -> None:
    logged = run("contacts", "log", "--channel", "call", "--at", "2026-03-05T02:00:00Z", "--to", "+8613800138000",
                 "--from", "+8613900000501", "--heard-name", "王先生", "--json")  # fmt: skip
    assert logged.code == 0, logged.stderr
    listed = run("--lang", "zh_CN", "contacts", "list")
    assert "时间（北京时间）" in listed.stdout and "2026-03-05 10:00" in listed.stdout and "来电" in listed.stdout
    shown = run("--lang", "zh_CN", "contacts", "show", json.loads(logged.stdout)["id"])
    assert "2026-03-05 10:00 北京时间" in shown.stdout and re.search(r"称呼\s+王先生", shown.stdout)
    english = run("--lang", "en_US", "contacts", "list")
    assert "2026-03-05 10:00" in english.stdout and "call" in english.stdout and CJK.findall(english.stdout) == ["王", "先", "生"]


def test_contacts_list_in_80_columns_keeps_every_id_and_time_whole(vault: object, run: Cli) -> None:
    """The list is where a person finds the id to `explain` or `delete`: on an 80-column terminal
    the id and the time are never cut (the text and numbers wrap instead), and the caller ID
    column, which no call here has, is left out."""
    ids = []
    for minute in range(3):
        logged = run("contacts", "log", "--channel", "sms", "--at", f"2026-03-05T02:0{minute}:00Z", "--to", "+8613800138000",
                     "--from", "+8613900000501", "--heard-name", "王先生",
                     "--text", "王先生您好，" + "内部牛股推荐，加微信了解详情" * 3, "--json")  # fmt: skip
        assert logged.code == 0, logged.stderr
        ids.append(json.loads(logged.stdout)["id"])
    for lang, caller_id in (("zh_CN", "来电显示"), ("en_US", "caller ID")):
        listed = run("--lang", lang, "contacts", "list", extra_env={"COLUMNS": "80"})
        assert listed.code == 0, listed.stderr
        lines = listed.stdout.splitlines()
        assert max(len(line) for line in lines) <= 80
        for n, contact in enumerate(ids):
            assert re.search(rf"^{contact}\s.*2026-03-05 10:0{n}", listed.stdout, re.M), listed.stdout
        assert caller_id not in listed.stdout and "王先生" in listed.stdout


def test_contacts_list_shows_square_brackets_as_written(vault: object, run: Cli) -> None:
    """An SMS signed "[CarsB]" or quoting "[/]" is text, not terminal markup (it made `contacts
    list` an internal error)."""
    logged = run("contacts", "log", "--channel", "sms", "--at", "2026-03-05T02:00:00Z", "--to", "+8613800138000",
                 "--from", "1069000", "--heard-name", "[b]王先生", "--text", "[CarsB] code [/] 123 [bold]", "--json")  # fmt: skip
    assert logged.code == 0, logged.stderr
    listed = run("contacts", "list")
    assert listed.code == 0, listed.stderr
    assert "[CarsB] code [/] 123 [bold]" in listed.stdout and "[b]王先生" in listed.stdout


def test_canary_list_in_80_columns_keeps_every_id_day_and_number_whole(vault: object, run: Cli) -> None:
    """`canary show ID` and `retire ID` take the id the list prints: at 80 columns it was cut
    ("c_fc45aa…"), with the day and the number."""
    issued = [run("canary", "new", "--platform", f"平台{n}号购物商城", "--at", f"2026-03-0{n + 1}T02:00:00Z", "--json")
              for n in range(3)]  # fmt: skip
    assert all(r.code == 0 for r in issued), [r.stderr for r in issued]
    docs = [json.loads(r.stdout) for r in issued]
    for lang in ("zh_CN", "en_US"):
        listed = run("--lang", lang, "canary", "list", extra_env={"COLUMNS": "80"})
        assert listed.code == 0, listed.stderr
        assert max(len(line) for line in listed.stdout.splitlines()) <= 80
        for n, doc in enumerate(docs):
            assert re.search(rf"^{doc['id']}\s.*2026-03-0{n + 1}\s+{re.escape(doc['phone'])}", listed.stdout, re.M), listed.stdout
