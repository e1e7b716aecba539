"""Platform categories, the topics callers talk about, and realistic-looking brand names.

The per-category numbers are assumptions drawn from the product issues (KYC is the norm for
stock brokers, lenders and insurers; lead selling is rife in finance, property, cars and
education), not measurements. They are kept in one table so benchmarks can see and vary them.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from random import Random

from pypinyin import lazy_pinyin


@dataclass(frozen=True)
class Category:
    """A kind of platform and how such platforms tend to behave."""

    key: str
    zh: str  # what a Chinese user calls it
    kyc: float  # share of such platforms that verify the real name
    leak_weight: float  # relative chance of being among the leaking platforms
    partner_topics: tuple[str, ...]  # what its partners sell (车贷, 车险 for a used-car site)
    sales_calls: float  # chance its own sales team phones after signup


CATEGORIES: tuple[Category, ...] = (
    Category("stocks", "炒股", 0.6, 3.0, ("stocks", "stocks", "insurance"), 0.5),
    Category("used-cars", "二手车", 0.1, 2.5, ("used-cars", "loans", "insurance"), 0.8),
    Category("lifestyle", "种草", 0.03, 1.0, ("beauty", "shopping", "education"), 0.0),
    Category("loans", "网贷", 0.9, 3.0, ("loans", "loans", "insurance", "stocks"), 0.6),
    Category("real-estate", "房产", 0.15, 2.5, ("real-estate", "home-improvement", "loans"), 0.7),
    Category("shopping", "购物", 0.05, 1.0, ("shopping", "loans", "lifestyle"), 0.0),
    Category("short-video", "短视频", 0.1, 0.7, ("shopping", "education", "gambling"), 0.0),
    Category("education", "教育", 0.05, 2.5, ("education", "education", "loans"), 0.7),
    Category("insurance", "保险", 0.7, 2.0, ("insurance", "stocks", "loans"), 0.6),
    Category("beauty", "医美", 0.05, 1.5, ("beauty", "beauty", "loans"), 0.4),
    Category("jobs", "招聘", 0.2, 2.0, ("education", "loans", "jobs"), 0.2),
)
BY_KEY = {category.key: category for category in CATEGORIES}

# Topics of unsolicited traffic with no platform behind it (and of previous owners' traffic).
BACKGROUND_TOPICS: tuple[str, ...] = (
    "delivery",
    "government",
    "telecom",
    "credit-card",
    "gambling",
    "home-improvement",
    "real-estate",
    "loans",
    "insurance",
    "education",
    "stocks",
    "shopping",
)
BACKGROUND_TOPICS_EN: tuple[str, ...] = (
    "government",
    "utility",
    "shopping",
    "used-cars",
    "loans",
    "lifestyle",
    "education",
    "insurance",
)

_ZH_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "stocks": (
        (
            "淘金",
            "金牛",
            "牛股",
            "涨停",
            "慧投",
            "鑫盈",
            "红盘",
            "赢家",
            "智选",
            "掌上",
            "易富",
            "财神",
            "聚财",
            "股道",
        ),
        ("股票", "炒股", "财经", "证券", "选股", "投顾", "股市通", "理财"),
    ),
    "used-cars": (
        (
            "优车",
            "好车",
            "车易",
            "瓜瓜",
            "淘车",
            "车速",
            "诚信",
            "安心",
            "快卖",
            "易达",
            "车之家",
            "大众",
        ),
        ("二手车", "车市", "好车", "车商城", "卖车", "车拍", "车宝"),
    ),
    "lifestyle": (
        (
            "小红",
            "种草",
            "好物",
            "生活",
            "有品",
            "趣味",
            "小美",
            "发现",
            "悦享",
            "小蜜",
            "宝藏",
            "日常",
        ),
        ("书", "笔记", "日记", "社区", "清单", "生活", "好物"),
    ),
    "loans": (
        (
            "闪电",
            "信用",
            "易借",
            "速贷",
            "安心",
            "分期",
            "快易",
            "钱袋",
            "好借",
            "融易",
            "有钱",
            "金鼎",
        ),
        ("贷", "借款", "钱包", "金融", "花", "分期", "白卡"),
    ),
    "real-estate": (
        ("安居", "好房", "优家", "乐居", "房多", "置业", "幸福", "城市", "宜居", "家园", "筑梦"),
        ("客", "网", "找房", "在线", "宝", "房产", "租房"),
    ),
    "shopping": (
        ("拼拼", "淘乐", "优品", "惠买", "乐购", "聚划", "省省", "多多", "好省", "易购", "万家"),
        ("商城", "优选", "购", "严选", "特卖", "集市", "百货"),
    ),
    "short-video": (
        ("快拍", "抖趣", "微视", "秒拍", "火星", "好看", "趣看", "西柚", "星光", "咔咔"),
        ("视频", "短视频", "直播", "小视频", "影像"),
    ),
    "education": (
        ("学而", "状元", "好课", "掌门", "智慧", "名师", "学霸", "一起", "尚学", "启航", "天天"),
        ("教育", "课堂", "网校", "学堂", "辅导", "英语", "考研"),
    ),
    "insurance": (
        ("安心", "福佑", "守护", "慧择", "惠保", "无忧", "安盛", "康宁", "益民", "泰和"),
        ("保", "保险", "保网", "保障", "健康"),
    ),
    "beauty": (
        ("颜值", "美丽", "悦颜", "花样", "美妆", "丽人", "小美", "焕颜", "美呗", "素颜"),
        ("说", "日记", "美妆", "医美", "魔方", "社"),
    ),
    "jobs": (
        ("职达", "优聘", "快招", "才聘", "易职", "高薪", "青年", "前途", "英才", "众聘"),
        ("招聘", "直聘", "人才网", "求职", "工作"),
    ),
    "home-improvement": (
        ("匠心", "美家", "筑美", "居然", "东易", "好家"),
        ("装饰", "装修", "家装", "设计"),
    ),
    "gambling": (("金沙", "永利", "皇冠", "银河"), ("娱乐", "国际", "棋牌")),
    "credit-card": (("招联", "信用", "金卡", "速卡"), ("卡中心", "信用卡", "提额")),
    "telecom": (("移动", "联通", "电信"), ("营业厅", "客服", "宽带")),
    "government": (("ETC", "交管", "医保", "社保", "公积金"), ("服务", "中心", "平台")),
    "delivery": (("速递", "快运", "物流", "同城"), ("中心", "服务", "客服")),
}
_ZH_SUFFIXES = ("", "", "", "极速版", "Pro", "通", "宝")

_EN_PARTS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "stocks": (
        (
            "Stock",
            "Trade",
            "Bull",
            "Alpha",
            "Ticker",
            "Market",
            "Invest",
            "Equity",
            "Chart",
            "Penny",
        ),
        ("Pro", "Hub", "Wise", "Now", "ly", "Edge", "Desk", "Pilot"),
    ),
    "used-cars": (
        ("Car", "Auto", "Motor", "Drive", "Wheel", "Ride", "Fleet", "Garage"),
        ("Deals", "Mart", "Trader", "Hub", "Bids", "Finder", "Lot"),
    ),
    "lifestyle": (
        ("Glow", "Vibe", "Nest", "Daily", "Pin", "Curio", "Bloom", "Kindred"),
        ("Board", "Feed", "Picks", "List", "Space", "ly"),
    ),
    "loans": (
        ("Cash", "Loan", "Lend", "Credit", "Fund", "Quick", "Pay", "Money"),
        ("Now", "Wise", "Up", "ify", "Go", "Point", "Bridge"),
    ),
    "real-estate": (
        ("Home", "House", "Nest", "Realty", "Key", "Door", "Estate", "Porch"),
        ("Finder", "Hunt", "Spot", "Scout", "Market", "Link"),
    ),
    "shopping": (
        ("Shop", "Deal", "Cart", "Buy", "Bargain", "Outlet", "Basket"),
        ("Zone", "Hub", "Mart", "ly", "Box", "Spot"),
    ),
    "short-video": (
        ("Clip", "Reel", "Snap", "Loop", "Vid", "Flick", "Frame"),
        ("Tube", "Stream", "Go", "ly", "Hub", "Cast"),
    ),
    "education": (
        ("Learn", "Study", "Tutor", "Skill", "Class", "Brain", "Mentor"),
        ("ly", "Hub", "Path", "Up", "Box", "Academy"),
    ),
    "insurance": (
        ("Safe", "Shield", "Cover", "Guard", "Secure", "Trust", "Haven"),
        ("Life", "Plan", "Quote", "Direct", "Mutual", "Wise"),
    ),
    "beauty": (
        ("Glam", "Beauty", "Glow", "Luxe", "Skin", "Pretty", "Radiant"),
        ("Box", "Lab", "Club", "Studio", "Bar"),
    ),
    "jobs": (
        ("Job", "Hire", "Career", "Work", "Talent", "Gig", "Staff"),
        ("Board", "Hub", "Match", "Finder", "Link", "Path"),
    ),
}
_EN_PARTS["government"] = (
    ("Federal", "National", "US", "Benefits"),
    ("Services", "Center", "Office"),
)
_EN_PARTS["utility"] = (("Power", "Energy", "Utility", "Grid"), ("Services", "Billing", "Rebates"))
_EN_PARTS["delivery"] = (("Parcel", "Express", "Package"), ("Notice", "Services", "Delivery"))
_EN_SUFFIXES = ("", "", "", " Plus", " Pro", " Go", "+")
_TLDS_ZH = (".com", ".cn", ".com.cn", ".net", ".com")
_TLDS_EN = (".com", ".com", ".io", ".app", ".co", ".net")


def brand(
    locale: str, topic: str, rng: Random, used: set[str], avoid: Set[str] = frozenset()
) -> str:
    """A new brand name for `topic` in neither `used` (which it extends) nor `avoid`."""
    parts = _ZH_PARTS if locale.startswith("zh") else _EN_PARTS
    heads, tails = parts.get(topic, parts["shopping"])
    suffixes = _ZH_SUFFIXES if locale.startswith("zh") else _EN_SUFFIXES
    for attempt in range(200):
        suffix = rng.choice(suffixes) if attempt > 20 else ""
        name = rng.choice(heads) + rng.choice(tails) + suffix
        if name not in used and name not in avoid:
            used.add(name)
            return name
    number = 2
    while f"{name}{number}" in used or f"{name}{number}" in avoid:
        number += 1
    used.add(f"{name}{number}")
    return f"{name}{number}"


def domain(name: str, locale: str, rng: Random) -> str:
    """A mail domain a brand would own: 淘金股票 -> taojingupiao.com, StockPro -> stockpro.io."""
    slug = "".join(lazy_pinyin(name)) if locale.startswith("zh") else name
    slug = re.sub(r"[^a-z0-9]", "", slug.lower().replace("+", "plus")) or "app"
    if rng.random() < 0.3:
        slug += rng.choice(("app", "online", "hq", "group"))
    return slug + rng.choice(_TLDS_ZH if locale.startswith("zh") else _TLDS_EN)
