"""The attribution model on small hand-made worlds, through the library API (no vault)."""

from __future__ import annotations

import pandas as pd

from tracer import contacts as contact_store
from tracer.attribution import Inputs, attribute

T0 = 1_772_326_800.0  # 2026-03-01T01:00:00Z
DAY = 86_400.0
POOL, PRIMARY, CONTROL = "+8613912345678", "+8613800138000", "+8613912345679"


def _canaries(rows: list[tuple]) -> pd.DataFrame:
    cols = [
        "canary_id",
        "platform",
        "category",
        "issued_at",
        "phone",
        "email",
        "name",
        "surname_key",
        "real_name",
        "markers",
    ]
    return pd.DataFrame(rows, columns=cols)


def _contacts(rows: list[dict]) -> pd.DataFrame:
    base = {c: None for c in contact_store.COLUMNS}
    frame = pd.DataFrame([{**base, "id": f"k_{n}", "channel": "call", **r} for n, r in enumerate(rows)])
    return frame[list(contact_store.COLUMNS)]


def _world(contacts: list[dict]) -> dict:
    canaries = _canaries(
        [
            (
                "c_1",
                "StockA",
                "stocks",
                T0,
                PRIMARY,
                "komira82@x.org",
                "欧阳建国",
                "ouyang",
                False,
                ("1987-03-14",),
            ),
            ("c_2", "CarsB", "cars", T0, PRIMARY, "belutu31@x.org", "汪丽", "wang", False, ("1990-05-02",)),
            ("c_3", "LoanC", "loans", T0 + 5 * DAY, POOL, "sepako55@x.org", "孙琴", "sun", False, ()),
        ]
    )
    inputs = Inputs(
        canaries=canaries,
        contacts=_contacts(contacts),
        real_name="杨伟",
        primary=PRIMARY,
        controls=frozenset({CONTROL}),
        platforms=["StockA", "CarsB", "LoanC"],
        categories={"StockA": "stocks", "CarsB": "cars", "LoanC": "loans"},
    )
    return attribute(inputs).to_dict()


def _noise(n: int, to: str, start: float = T0 - 30 * DAY) -> list[dict]:
    return [{"at": start + i * 8 * DAY / 2, "to": to, "from": f"+86135000{i:05d}"} for i in range(n)]


def test_homophone_surname_tells_apart_two_platforms_sharing_the_primary():
    """汪先生 heard, 王 typed: the spoken key 'wang' singles out CarsB, not StockA."""
    calls = [
        {"at": T0 + d * DAY, "to": PRIMARY, "from": f"+8613600000{d:03d}", "heard_name": "王女士"}
        for d in (9, 20, 41)  # weeks apart: a leak, not the platform's own first-week sales calls
    ]
    report = _world(calls + _noise(40, PRIMARY) + _noise(20, CONTROL))
    got = {c["id"]: c for c in report["contacts"]}
    assert [got[f"k_{n}"]["platform"] for n in range(3)] == ["CarsB"] * 3
    verdicts = {p["platform"]: p["verdict"] for p in report["platforms"]}
    assert verdicts["CarsB"] == "leaked" and verdicts["StockA"] == "no-evidence"


def test_previous_owner_calls_are_background_not_a_leak():
    """Calls for 王先生 on the pool number before and after LoanC's canary: background."""
    before = [
        {"at": T0 - d * DAY, "to": POOL, "from": f"+8613700000{d:03d}", "heard_name": "王先生"}
        for d in range(1, 8)
    ]
    after = [
        {"at": T0 + (6 + d) * DAY, "to": POOL, "from": f"+8613710000{d:03d}", "heard_name": "王先生"}
        for d in range(4)
    ]
    report = _world(before + after + _noise(20, CONTROL))
    assert all(c["platform"] is None for c in report["contacts"])
    assert {p["platform"]: p["verdict"] for p in report["platforms"]}["LoanC"] == "no-evidence"


def test_contact_before_issuance_cannot_be_the_platforms_leak():
    report = _world([{"at": T0 + 1 * DAY, "to": POOL, "from": "+8613800000001", "heard_name": "孙女士"}])
    assert report["contacts"][0]["platform"] is None


def test_platforms_own_verification_sms_is_first_party():
    sms = {
        "channel": "sms",
        "at": T0 + 60,
        "to": PRIMARY,
        "from": "106900001111",
        "text": "【StockA】您的验证码是482913，5分钟内有效",
    }
    report = _world([sms])
    contact = report["contacts"][0]
    assert contact["platform"] is None
    assert contact["evidence"][0]["kind"] == "first-party"


def test_mail_to_an_alias_with_the_full_name_is_strong_evidence():
    mail = {
        "channel": "email",
        "at": T0 + 2 * DAY,
        "to": "komira82@x.org",
        "from": "a@spam.biz",
        "text": "欧阳建国您好，内部牛股推荐",
    }
    report = _world([mail] + _noise(10, CONTROL))
    assert report["contacts"][0]["platform"] == "StockA"
    kinds = {e["kind"] for e in report["contacts"][0]["evidence"]}
    assert {"identifier", "name", "timing"} <= kinds


def test_every_platform_is_reported_and_confidences_are_probabilities():
    report = _world(_noise(5, PRIMARY))
    assert [p["platform"] for p in report["platforms"]] == ["StockA", "CarsB", "LoanC"]
    assert all(0.0 <= c["confidence"] <= 1.0 for c in report["contacts"])
