"""A realistic report in the `tracer report --format json` shape, built deterministically.

Six platforms (three leaked incl. a real-name KYC one, one suspected, two without evidence),
about sixty calls, texts and mails with Chinese and English names, two campaigns: a scene for
the wording and layout tests, which need verdicts and volumes a small vault does not produce.
Whether renderers carry every field of a real report is tested on a real attribution of a
filled vault instead (test_reports_attributed.py): this sample holds only what its author wrote.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

REAL_NAME = "李秀英"
REAL_PHONE = "+8613700000000"  # the user's own primary number (unattributed traffic lands here)
START = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)

PLATFORMS: list[dict[str, Any]] = [
    # name, category, signup offset (days), verdict, confidence, canary phone, canary name
    {"platform": "StockPro", "category": "stocks", "signup": 0, "verdict": "leaked",
     "confidence": 0.97, "phone": "+8613811110001", "name": "欧阳建国"},
    {"platform": "CarDeals", "category": "cars", "signup": 7, "verdict": "leaked",
     "confidence": 0.91, "phone": "+8613922220002", "name": "Emily Carter"},
    {"platform": "招商理财", "category": "finance", "signup": 14, "verdict": "leaked",
     "confidence": 0.88, "phone": "+8615033330003", "name": REAL_NAME},
    {"platform": "安居房产", "category": "real-estate", "signup": 21, "verdict": "suspected",
     "confidence": 0.64, "phone": "+8618644440004", "name": "司马振华"},
    {"platform": "FoodieGo", "category": "food", "signup": 3, "verdict": "no-evidence",
     "confidence": 0.04, "phone": "+8613555550005", "name": "James O'Neill"},
    {"platform": "健康100", "category": "health", "signup": 30, "verdict": "no-evidence",
     "confidence": 0.0, "phone": "+8617766660006", "name": "上官婉清"},
]  # fmt: skip

CALLERS = {
    "StockPro": ["+8617012345671", "+8617012345672", "+8602155501234"],
    "CarDeals": ["+8617012345671", "+8613300001111"],
    "招商理财": ["+8640080012345", "+8619988887777"],
    "安居房产": ["+8619988887777", "+8613100002222"],
    "FoodieGo": ["+8613912340000"],
    None: ["+8613912340000", "+8618800005555", "+8675512345678"],
}
COUNTS = {"StockPro": 16, "CarDeals": 13, "招商理财": 8, "安居房产": 6, "FoodieGo": 1, None: 12}
FIRST_DELAY_HOURS = {
    "StockPro": 5,
    "CarDeals": 30,
    "招商理财": 60,
    "安居房产": 200,
    "FoodieGo": 400,
}

SMS = {
    "StockPro": ["欧阳建国先生您好，内部牛股推荐，回电 13811110001 了解", "【股】欧阳总，明天涨停板，加微信"],
    "CarDeals": ["Hi Emily Carter, your car loan is pre-approved. Call +86 133 0000 1111",
                 "Emily, trade in your car today! Reply Y"],
    "招商理财": [f"{REAL_NAME}女士您好，您的贷款额度已批准，回电 400-800-12345",
                 f"尊敬的{REAL_NAME}，您有一笔理财收益待领取"],
    "安居房产": ["司马先生，学区房急售，看房请回电 131-0000-2222", "=HYPERLINK(\"x\",\"看房\")"],
    "FoodieGo": ["Your FoodieGo code is 483920"],
    None: ["您的快递已到，请回电 18800005555", "验证码 123456，5分钟内有效"],
}  # fmt: skip


def _contacts(rng: random.Random) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for platform, count in COUNTS.items():
        meta = next((p for p in PLATFORMS if p["platform"] == platform), None)
        signup = START + timedelta(days=meta["signup"]) if meta else START
        first = signup + timedelta(hours=FIRST_DELAY_HOURS.get(platform, 20))
        for i in range(count):
            at = first if i == 0 else first + timedelta(hours=rng.uniform(2, 24 * 40))
            rows.append(_contact(rng, platform, meta, at, i))
    rows.sort(key=lambda c: c["at"])
    for n, row in enumerate(rows, 1):
        row["id"] = f"k_{n:04d}"
        row["external_id"] = f"row-{n}"
        row["at"] = row["at"].isoformat().replace("+00:00", "Z")
    return rows


def _contact(rng: random.Random, platform: str | None, meta: dict | None, at: datetime, i: int):
    channel = "email" if (platform == "CarDeals" and i % 5 == 4) else rng.choice(["call", "sms"])
    channel = "sms" if i in (1, 2) else channel  # every platform gets texts to show
    caller = rng.choice(CALLERS[platform])
    to = meta["phone"] if meta else REAL_PHONE
    contact: dict[str, Any] = {
        "channel": channel, "at": at, "to": to, "from": caller, "platform": None,
        "confidence": None, "candidates": [], "evidence": [],
    }  # fmt: skip
    if channel == "email":
        contact.update({"to": "k7m2qx@mail.example.org", "from": "offers@autoloans.example.com",
                        "text": "Dear Emily Carter, 0% financing on your next car"})  # fmt: skip
    elif channel == "sms":
        contact["text"] = rng.choice(SMS[platform])
    else:
        heard = meta["name"] if meta and rng.random() < 0.6 else None
        if heard:
            contact["heard_name"] = heard
    if meta is None:
        contact["candidates"] = [
            {"platform": "StockPro", "p": 0.2},
            {"platform": "CarDeals", "p": 0.1},
        ]
        contact["evidence"] = [{"kind": "timing", "detail": "received on your own number; no canary matched"}]
        return contact
    p = meta["confidence"] if meta["verdict"] != "no-evidence" else 0.3
    p = round(min(0.995, max(0.05, p + rng.uniform(-0.06, 0.03))), 2)
    attributed = meta["verdict"] != "no-evidence"
    contact["platform"] = platform if attributed else None
    contact["confidence"] = p if attributed else None
    contact["candidates"] = [{"platform": platform, "p": p}]
    if platform == "安居房产":
        contact["candidates"].append({"platform": "招商理财", "p": round(1 - p - 0.05, 2)})
    contact["evidence"] = [
        {"kind": "identifier", "detail": f"to {to}, the number given only to {platform}"},
        {"kind": "timing", "detail": f"{(at - START).days} days after signup at {platform}"},
    ]
    if contact.get("heard_name") or meta["name"] in (contact.get("text") or ""):
        contact["evidence"].append(
            {"kind": "name", "detail": f"caller used the name {meta['name']}, given to {platform}"}
        )
    if caller in CALLERS["StockPro"] and platform == "CarDeals":
        contact["evidence"].append({"kind": "campaign", "detail": f"{caller} also called StockPro's canary"})
    return contact


def build_report() -> dict[str, Any]:
    rng = random.Random(2026)
    contacts = _contacts(rng)
    platforms = []
    for meta in PLATFORMS:
        mine = [c for c in contacts if c["platform"] == meta["platform"]]
        signup = START + timedelta(days=meta["signup"])
        first = min((c["at"] for c in mine), default=None)
        delay = None
        if first:
            delay = round(
                (datetime.fromisoformat(first.replace("Z", "+00:00")) - signup) / timedelta(days=1),
                2,
            )
        platforms.append({
            "platform": meta["platform"], "verdict": meta["verdict"],
            "confidence": meta["confidence"], "contacts": len(mine), "first_contact_at": first,
            "days_to_first_contact": delay,
            "linked_platforms": {"StockPro": ["CarDeals"], "CarDeals": ["StockPro"],
                                 "招商理财": ["安居房产"], "安居房产": ["招商理财"]}.get(meta["platform"], []),
            "category": meta["category"], "signup_at": signup.isoformat().replace("+00:00", "Z"),
        })  # fmt: skip
    campaigns = [
        {"id": "g_01", "callers": ["+8617012345671"], "platforms": ["StockPro", "CarDeals"],
         "contacts": sum(1 for c in contacts if c["from"] == "+8617012345671")},
        {"id": "g_02", "callers": ["+8619988887777"], "platforms": ["招商理财", "安居房产"],
         "contacts": sum(1 for c in contacts if c["from"] == "+8619988887777")},
    ]  # fmt: skip
    return {"generated_at": "2026-03-20T08:00:00Z", "platforms": platforms,
            "contacts": contacts, "campaigns": campaigns}  # fmt: skip


def every_number(report: dict[str, Any]) -> set[str]:
    """Every phone number in the report, as E.164 and as dialled without +86."""
    found: set[str] = set()
    for c in report["contacts"]:
        found.update(v for v in (c["to"], c["from"]) if v.startswith("+"))
    for g in report["campaigns"]:
        found.update(g["callers"])
    return found | {n[3:] for n in found if n.startswith("+86")}


@pytest.fixture
def report() -> dict[str, Any]:
    return build_report()


@pytest.fixture(scope="session")
def sample() -> Callable[[], dict[str, Any]]:
    """`build_report` itself, for module-scoped fixtures (a fresh dict per call)."""
    return build_report


@pytest.fixture
def real_name() -> str:
    return REAL_NAME


@pytest.fixture
def numbers(report: dict[str, Any]) -> set[str]:
    """Every phone number in `report`, E.164 and national."""
    return every_number(report)
