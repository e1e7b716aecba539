"""The report's contacts written column by column (`_ContactRows.json_bytes`) are, byte for byte,
its row dicts as orjson writes them (`write_json`'s generic path): every kind of evidence, names
and texts that need escaping, several blocks, either language."""

from __future__ import annotations

import io
import json

import numpy as np
import orjson
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import canaries_frame, contacts_frame
from tracer import i18n
from tracer.attribution import Inputs, attribute, result

T0 = 1_772_326_800.0  # 2026-03-01T01:00:00Z
DAY = 86_400.0
POOL, PRIMARY, CONTROL = "+8613912345678", "+8613800138000", "+8613912345679"
PLATFORMS = ["StockA", "CarsB", 'Loan "C"\\', "Shop\tD"]


def _inputs() -> Inputs:
    canaries = canaries_frame(
        [
            ("c_1", PLATFORMS[0], "stocks", T0, PRIMARY, "komira82@x.org", "欧阳建国", "ouyang", False, ("1987-03-14",)),
            ("c_2", PLATFORMS[1], "cars", T0, PRIMARY, "belutu31@x.org", "汪丽", "wang", False, ("1990-05-02",)),
            ("c_3", PLATFORMS[2], "loans", T0 + 5 * DAY, POOL, "sepako55@x.org", "孙琴", "sun", False, ()),
            ("c_4", PLATFORMS[3], "shopping", T0 + 2 * DAY, "+8613912340000", "tamiru47@x.org", "李娜", "li", False, ()),
        ]
    )
    rng = np.random.default_rng(7)
    texts = [None, "欧阳先生您好，牛股内参请回电 13911112222", '孙女士，"额度"已批\\n回电 13911112222', "tab\there\x01",
             "您的生日1987年3月14日已登记", "【CarsB】验证码 123456", "汪女士，二手车置换", "牛股推荐，股票内参，加群荐股"]  # fmt: skip
    numbers = [PRIMARY, POOL, CONTROL, "+8613912340000", "+8613700000000", None, "komira82@x.org"]
    rows = []
    for n in range(300):
        to = numbers[int(rng.integers(len(numbers)))]
        rows.append(
            {
                "id": f"k_{n:04d}", "channel": "email" if to and "@" in to else ["call", "sms"][n % 2],
                "at": T0 + float(rng.uniform(-3, 60)) * DAY + (0.05 * 3600 if n % 7 == 0 else 0.0),
                "to": to, "from": f"+86135000{int(rng.integers(40)):05d}" if n % 5 else None,
                "heard_name": ["欧阳先生", None, "Mr. \"Sun\"", "汪丽"][n % 4], "text": texts[n % len(texts)],
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
        categories={p: c for p, c in zip(PLATFORMS, ["stocks", "cars", "loans", "shopping"], strict=True)},
    )


@pytest.fixture(scope="module")
def report() -> result.Attribution:
    return attribute(_inputs())


@pytest.mark.parametrize("lang", ["en_US", "zh_CN"])
@pytest.mark.parametrize("block", [7, 4096])
def test_the_columnar_lines_are_the_row_dicts_as_orjson_writes_them(report, monkeypatch, lang, block):
    monkeypatch.setattr(result, "_JSON_BLOCK", block)
    i18n.activate(lang)
    try:
        fast = b",\n    ".join(report.rows.json_bytes()).decode()
        slow = ",\n    ".join(result._dumped(report.rows, None))
    finally:
        i18n.activate("en_US")
    assert fast == slow
    kinds = {e["kind"] for line in fast.split(",\n    ") for e in orjson.loads(line)["evidence"]}
    assert {"identifier", "timing", "campaign", "first-party"} <= kinds, kinds


def test_the_streamed_document_parses_to_the_report_dict(report):
    out = io.StringIO()
    report.write_json(out)
    assert json.loads(out.getvalue()) == json.loads(json.dumps(report.to_dict()))


def test_a_binary_stream_gets_the_text_documents_bytes(report):
    text, binary = io.StringIO(), io.BytesIO()
    report.write_json(text)
    report.write_json(binary)
    assert binary.getvalue() == text.getvalue().encode()


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.none() | st.text(alphabet=st.characters(exclude_categories=["Cs"])), min_size=1, max_size=8))
def test_strings_are_escaped_as_orjson_escapes_them(values):
    expected = [orjson.dumps(v).decode() for v in values]
    assert result._json_strings(pd.Series(values, dtype=object)).to_pylist() == expected  # once per distinct value
    arrow = pd.Series(values, dtype="str")  # an Arrow-backed column, escaped as Arrow strings
    assert result._json_strings(arrow).to_pylist() == expected


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    st.lists(st.none() | st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=6), min_size=1, max_size=10),
    st.integers(0, 3), st.booleans(),
)  # fmt: skip
def test_the_strings_that_need_escaping_are_those_arrows_regex_finds(values, skip, wide):
    import pyarrow as pa
    import pyarrow.compute as pc

    strings = pa.array(values, type=pa.large_string() if wide else pa.string())[min(skip, len(values)):]  # a slice too
    regex = pc.fill_null(pc.match_substring_regex(strings, result._NEEDS_ESCAPE), False).to_pylist()
    assert result._needing_escape(strings).tolist() == regex


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True) | st.integers(0, 10**6).map(lambda k: k / 10**5 + 0.00005),
                min_size=1, max_size=20))  # fmt: skip
def test_confidences_round_as_python_rounds_them(values):
    got = result._rounded(np.array(values, dtype=np.float64)).tolist()
    assert orjson.dumps(got) == orjson.dumps([round(v, 4) for v in values])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.floats(min_value=0, max_value=5000, allow_nan=False), min_size=1, max_size=20))
def test_delays_read_as_ago_says_them(hours):
    unit, count = result._delays(np.array(hours, dtype=np.float64))
    said = [result._delay(int(u), int(c)) for u, c in zip(unit, count, strict=True)]
    assert said == [result._ago(h) for h in hours]


def test_delays_at_the_edges_of_rounding_read_as_ago_says_them():
    edges = [0.0, 0.9999, 1.0, 1.05, 1.15, 2.25, 47.95, 47.99, 48.0, 59.5 / 60, 0.5 / 60, 36.5 * 24]
    tenths = [k / 10 + 0.05 for k in range(10, 480)]
    hours = np.array(edges + tenths + list(np.nextafter(tenths, 0)) + list(np.nextafter(tenths, 99)))
    unit, count = result._delays(hours)
    assert [result._delay(int(u), int(c)) for u, c in zip(unit, count, strict=True)] == [
        result._ago(h) for h in hours.tolist()
    ]


def test_a_template_field_that_is_not_ours_is_refused_not_guessed():
    with pytest.raises(ValueError, match="unexpected field"):
        result._templated(1, np.array([0]), "timing", "{delay:>5}", {"delay": result._escaped(["x"])})


def test_a_topic_is_said_in_the_readers_language() -> None:
    from tracer import i18n
    from tracer.attribution.result import _topic_item

    with i18n.reading("zh_CN", "UTC"):
        assert _topic_item("insurance")["detail"] == "话题：保险"
        assert _topic_item("real-estate")["detail"] == "话题：房产"
    assert _topic_item("real-estate")["detail"] == "topic: real estate"
    assert _topic_item("a-new-topic")["detail"] == "topic: a-new-topic"
