"""The web app's words in the vault's language (zh_CN first, en_US beside it).

Category chips put a word into "what they wanted" that the attribution lexicon reads as that
category's topic (tests/serve/test_labels.py holds every chip word to the lexicon).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

_ZH = {
    "title": "泄露追踪",
    "nav_log": "记一通",
    "nav_canary": "发身份",
    "nav_report": "报告",
    "nav_contacts": "来电记录",
    "log_heading": "刚接到的电话或短信",
    "channel_call": "电话",
    "channel_sms": "短信",
    "my_number": "打到我哪个号码",
    "caller": "来电号码",
    "heard_name": "对方怎么称呼我",
    "wanted": "对方想要什么",
    "sms_text": "短信内容(粘贴)",
    "at": "时间(留空即现在)",
    "save": "保存",
    "logged": "已记录 {id}",
    "known": "已经记过了:{id}",
    "canary_heading": "注册时用的身份",
    "platform": "平台名称",
    "category": "类别",
    "real_name": "平台要求实名",
    "issue": "生成",
    "issued": "在 {platform} 的注册表里填写:",
    "phone": "手机号",
    "name": "姓名",
    "email": "邮箱",
    "copy": "复制",
    "copied": "已复制",
    "contacts_heading": "最近的来电与短信",
    "explain_heading": "为什么这样判断",
    "attributed_to": "归因于",
    "nobody": "无法确定平台(背景骚扰、平台自身或证据不足)",
    "confidence": "置信度",
    "candidate": "候选",
    "open_report": "打开完整报告",
    "pair_heading": "配对这台设备",
    "pair_help": "在终端里打开 tracer serve 打印的链接,或输入其中的配对码。",
    "pair_code": "配对码",
    "pair": "配对",
    "pair_failed": "配对码无效或已用过。",
    "too_many": "尝试次数太多,请稍后再试。",
    "bad_form": "表单已过期,请重新提交。",
    "logout": "退出",
    "none": "无",
}

_EN = {
    "title": "Leak Tracer",
    "nav_log": "Log",
    "nav_canary": "Canary",
    "nav_report": "Report",
    "nav_contacts": "Contacts",
    "log_heading": "A call or SMS you just got",
    "channel_call": "Call",
    "channel_sms": "SMS",
    "my_number": "Which of my numbers",
    "caller": "Caller number",
    "heard_name": "Name they called me",
    "wanted": "What they wanted",
    "sms_text": "SMS text (paste)",
    "at": "Time (blank = now)",
    "save": "Save",
    "logged": "Logged {id}",
    "known": "Already logged as {id}",
    "canary_heading": "An identity for a signup",
    "platform": "Platform",
    "category": "Category",
    "real_name": "Platform checks my real name",
    "issue": "Issue",
    "issued": "Type this into the {platform} form:",
    "phone": "Phone",
    "name": "Name",
    "email": "Email",
    "copy": "Copy",
    "copied": "Copied",
    "contacts_heading": "Recent calls and messages",
    "explain_heading": "Why this attribution",
    "attributed_to": "Attributed to",
    "nobody": "No platform (background, first-party or too little evidence)",
    "confidence": "confidence",
    "candidate": "candidate",
    "open_report": "Open the full report",
    "pair_heading": "Pair this device",
    "pair_help": "Open the link `tracer serve` printed in the terminal, or type its pairing code.",
    "pair_code": "Pairing code",
    "pair": "Pair",
    "pair_failed": "That pairing code is wrong or already used.",
    "too_many": "Too many attempts; wait a minute and try again.",
    "bad_form": "This form expired; send it again.",
    "logout": "Log out",
    "none": "none",
}

# category -> (zh chip word, en chip word); each word is a topic keyword of that category
CHIPS: Mapping[str, tuple[str, str]] = MappingProxyType(
    {
        "stocks": ("股票", "stocks"),
        "loans": ("贷款", "personal loan"),
        "debt": ("催收", "debt relief"),
        "real-estate": ("房产", "real estate"),
        "cars": ("车险", "car warranty"),
        "insurance": ("保险", "insurance"),
        "education": ("培训", "tutoring"),
        "beauty": ("医美", "beauty"),
        "jobs": ("招聘", "jobs"),
        "travel": ("旅游", "vacation"),
    }
)


def labels(locale: str) -> Mapping[str, str]:
    """The label table for `locale` (zh_* gets Chinese, anything else English)."""
    return MappingProxyType(_ZH if is_chinese(locale) else _EN)


def chips(locale: str) -> list[tuple[str, str]]:
    """(category, word) chips in the locale's language."""
    index = 0 if is_chinese(locale) else 1
    return [(category, words[index]) for category, words in CHIPS.items()]


def is_chinese(locale: str) -> bool:
    return locale.lower().startswith("zh")
