"""Names far longer than anyone types (an old vault's 600-character platform) still attribute."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

from tracer import attribution, contacts, identities
from tracer.attribution import phrases
from tracer.models import Channel, ContactRecord
from tracer.vault import Vault


def test_a_2000_character_phrase_becomes_one_regex_without_recursing() -> None:
    long = "长" * 2000
    [pattern] = phrases.trie_patterns([long, "短信"])
    assert re.search(pattern, "前缀" + long + "后缀")
    assert re.search(pattern, "收到短信")


def test_attribution_runs_with_a_600_character_platform_and_real_name(vault: Vault, tmp_path: Path) -> None:
    canary = identities.issue(vault, identities.Request("P" * 90, "stocks", datetime(2026, 1, 1, tzinfo=UTC)))
    record = ContactRecord(Channel.CALL, datetime(2026, 2, 1, tzinfo=UTC), to=canary.phone,
                           sender="+8617012345671", heard_name="先生", text="荐股")  # fmt: skip
    contacts.log(vault, record)
    inputs = attribution.load(vault)
    inputs.canaries["platform"] = ["平台" * 300]  # as a vault from before names were bounded holds it
    inputs.platforms = ["平台" * 300]
    inputs.real_name = "长" * 600
    report = attribution.attribute(inputs).to_dict()
    assert len(report["contacts"]) == 1 and report["platforms"][0]["platform"] == "平台" * 300
