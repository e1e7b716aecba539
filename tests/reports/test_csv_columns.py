"""The CSV report put together a column at a time (`csv_format.column_blocks`, what
`tracer report --format csv` writes) is, byte for byte, the table of the report's row dicts
(`csv_format.blocks`): redacted with a Latin or a Chinese real name, or not redacted; texts with
quotes, commas, line breaks, formulas, numbers, mail addresses and the real name; every kind of
evidence; several blocks; either language."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import canaries_frame, contacts_frame
from tracer import i18n
from tracer.attribution import Inputs, attribute, result
from tracer.reports import csv_format, redaction

T0 = 1_772_326_800.0  # 2026-03-01T01:00:00Z
DAY = 86_400.0
POOL, PRIMARY, CONTROL = "+8613912345678", "+8613800138000", "+8613912345679"
PLATFORMS = ["StockA", "=CarsB", 'Loan "C", Wei Yang', "Shop\nD", "杨伟商城"]
TEXTS = [
    None, "欧阳先生您好，牛股内参请回电 13911112222", '孙女士，"额度"已批\n回电 139-1111-2222', "tab\there\x01",
    "您的生日1987年3月14日已登记", "【CarsB】验证码 123456", "=HYPERLINK(\"x\")", "+8613911112222", "-12.5",
    "Yang  Wei, call 0086 139 1111 2222 or mail wei.yang@example.org", "杨 伟您好，2026-03-01 09:30 见", "@home, really",
    "\rcarriage", "WEI-YANG", "a,b", "null\x00byte 13911112222", "", "old Mac\rline", "CRLF\r\nline",
]  # fmt: skip


def _inputs() -> Inputs:
    canaries = canaries_frame(
        [
            ("c_1", PLATFORMS[0], "stocks", T0, PRIMARY, "komira82@x.org", "欧阳建国", "ouyang", False, ("1987-03-14",)),
            ("c_2", PLATFORMS[1], "cars", T0, PRIMARY, "belutu31@x.org", "汪丽", "wang", False, ("1990-05-02",)),
            ("c_3", PLATFORMS[2], "loans", T0 + 5 * DAY, POOL, "sepako55@x.org", "孙琴", "sun", False, ()),
            ("c_4", PLATFORMS[3], "shopping", T0 + 2 * DAY, "+8613912340000", "tamiru47@x.org", "李娜", "li", False, ()),
            ("c_5", PLATFORMS[4], "shopping", T0 + 3 * DAY, "+8613912340001", "wei.yang@x.org", "杨伟", "yang", False, ()),
        ]
    )
    rng = np.random.default_rng(11)
    numbers = [PRIMARY, POOL, CONTROL, "+8613912340000", "+8613912340001", "+8613700000000", None, "komira82@x.org",
               "wei.yang@x.org", "13911112222"]  # fmt: skip
    rows = []
    for n in range(400):
        to = numbers[int(rng.integers(len(numbers)))]
        rows.append(
            {
                "id": f"k_{n:04d}" if n % 13 else f"=k,{n}", "channel": "email" if to and "@" in to else ["call", "sms"][n % 2],
                "at": T0 + float(rng.uniform(-3, 60)) * DAY + (0.05 * 3600 if n % 7 == 0 else 0.0),
                "to": to, "from": f"+86135000{int(rng.integers(40)):05d}" if n % 5 else ["wei.yang@spam.cn", None, "-1"][n % 3],
                "heard_name": ["欧阳先生", None, "Mr. \"Sun\"", "汪丽", "Wei Yang", "杨伟"][n % 6],
                "text": TEXTS[n % len(TEXTS)],
                "external_id": f"row-{n}" if n % 3 else None, "caller_name": "Caller\n1" if n % 11 == 0 else None,
            }
        )  # fmt: skip
    contacts = contacts_frame(rows)
    return Inputs(
        canaries=canaries,
        contacts=contacts.sort_values(["at", "id"]).reset_index(drop=True),
        real_name="杨伟",
        primary=PRIMARY,
        controls=frozenset({CONTROL}),
        platforms=PLATFORMS,
        categories={p: c for p, c in zip(PLATFORMS, ["stocks", "cars", "loans", "shopping", "shopping"], strict=True)},
    )


@pytest.fixture(scope="module")
def report() -> result.Attribution:
    return attribute(_inputs())


@pytest.mark.parametrize("lang", ["en_US", "zh_CN"])
@pytest.mark.parametrize("block", [7, 4096])
@pytest.mark.parametrize(("redact", "real_name"), [(False, None), (True, "Wei Yang"), (True, "杨伟"), (True, None)])
def test_the_columnar_csv_is_the_row_dicts_table(report, monkeypatch, lang, block, redact, real_name):
    monkeypatch.setattr(csv_format, "BLOCK", block)
    i18n.activate(lang)
    try:
        fast = "".join(csv_format.column_blocks(report.rows, redact=redact, real_name=real_name))
        slow = "".join(csv_format.blocks(report.rows, redact=redact, real_name=real_name))
    finally:
        i18n.activate("en_US")
    assert fast == slow
    assert fast.count("\n") > len(report.rows)  # a header and a line per contact, some with line breaks
    parsed = list(csv.reader(io.StringIO(fast.replace("\r", "<CR>"))))  # the csv module leaves a CR unquoted
    assert len(parsed) == len(report.rows) + 1
    evidence = " | ".join(row[-1] for row in parsed[1:])
    assert all(f"{kind}: " in evidence for kind in ("identifier", "timing", "campaign", "first-party"))
    if redact:
        assert "13911112222" not in fast and "'=k," in fast
    if real_name == "Wei Yang":
        assert "Yang  Wei" not in fast and "[real name]" in fast


def test_a_report_without_canaries_is_written_as_its_rows_are():
    bare = attribute(Inputs(**{**_inputs().__dict__, "canaries": _inputs().canaries.iloc[:0]}))
    for redact in (False, True):
        fast = "".join(csv_format.column_blocks(bare.rows, redact=redact, real_name="Wei Yang"))
        assert fast == "".join(csv_format.blocks(bare.rows, redact=redact, real_name="Wei Yang"))


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.text(alphabet=st.sampled_from("Wei Yang杨伟 +-.,@()0123456789ax\x00\n:７١"), max_size=40), min_size=1, max_size=8),
    st.sampled_from([None, "Wei Yang", "杨伟", "Ann"]),
)
def test_touched_finds_every_value_redaction_would_change(values, real_name):
    name = redaction.name_pattern(real_name)
    touched = set(redaction.touched(values, name))
    assert {n for n, v in enumerate(values) if redaction.free(v, name) != v} <= touched
    only_name = set(redaction.touched(values, name, numbers=False))
    assert {n for n, v in enumerate(values) if redaction.verbatim(v, name) != v} <= only_name
