"""Why a value is refused reaches a Chinese reader in Chinese: the reasons phones.py returns are
catalog messages (kept in English as data, translated where shown) and never repeat the input."""

from __future__ import annotations

import pytest

from tracer import i18n, phones
from tracer.errors import InputError

REFUSED = ["12", "abc", "+999 123456", "0011 2", "+86 1", "1" * 40, "someone@", "x" * 400]


@pytest.mark.parametrize("raw", REFUSED)
def test_every_refusal_reason_has_a_chinese_translation(raw: str) -> None:
    value, reason = phones.parse_party(raw, "CN")
    assert value is None and reason
    with i18n.reading("zh_CN"):
        assert i18n._(reason) != reason
    assert raw not in reason


@pytest.mark.parametrize("raw", ["12", "abc"])
def test_a_refused_number_is_named_in_the_readers_language(raw: str) -> None:
    with i18n.reading("zh_CN"), pytest.raises(InputError) as refused:
        phones.party(raw, "CN", field="to")
    assert refused.value.message.startswith("字段“to”：不是")
    with i18n.reading("en_US"), pytest.raises(InputError) as english:
        phones.parse_field(raw, "CN", field="number")
    assert "not a" in english.value.message


def test_output_from_an_unverified_vault_says_so_in_the_readers_language_and_json_stays_english() -> None:
    from tracer import outputs

    with i18n.reading("zh_CN"):
        assert outputs.stamp("report\n", "table", "entry 3").startswith("未通过核验：该保险库未通过校验（entry 3）")
        assert '"unverified": "UNVERIFIED: this vault failed verification (entry 3)' in outputs.stamp("{}", "json", "entry 3")
    with i18n.reading("en_US"):
        assert outputs.stamp("report\n", "md", "entry 3").startswith("> **UNVERIFIED: this vault failed verification")


@pytest.mark.parametrize(("lang", "advice"), [("zh_CN", "这是非常常见的密码。"), ("en_US", "This is a very common password.")])
def test_a_weak_passphrase_is_refused_with_zxcvbns_advice_in_the_readers_language(lang: str, advice: str) -> None:
    """zxcvbn wraps its advice in the stdlib's gettext; tracer lends it our catalog (i18n.lend)."""
    from tracer import passphrases
    from tracer.errors import RefusedError

    with i18n.reading(lang), pytest.raises(RefusedError) as refused:
        passphrases.require_strong("password123")
    assert advice in refused.value.message


def test_the_canaries_packages_refusals_reach_a_chinese_reader_in_chinese() -> None:
    """canaries imports nothing from tracer: it marks its messages N_, and the vault translates
    them where it turns them into its own errors (identities.generation_errors)."""
    import canaries
    from tracer import identities
    from tracer.errors import RefusedError

    with i18n.reading("zh_CN"), pytest.raises(RefusedError) as refused, identities.generation_errors():
        primary = canaries.PoolNumber("+8613800138000", 0, True)  # the primary, marked a control
        canaries.Allocator([primary], primary.e164).next()
    assert refused.value.message == "主号码是对照号码，号码池里也没有其他号码可分配"
    assert refused.value.hint == "请向号码池添加一个非对照号码"
