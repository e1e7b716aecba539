"""CSV columns, presets and the value vocabularies rows use.

Our columns are the contract's `channel, at, to, from, heard_name, text, id`, plus `duration`
(seconds, or `1分23秒`, `1:23`, `PT1M23S`) and `direction` (received rows are kept, placed and
sent rows are skipped silently). `--map our=theirs,...` names the header that fills a column.
Headers compare case-insensitively, with spaces and dashes read as underscores.

Presets (`--preset NAME`) list the headers an export uses, first found wins:

- `twilio`: a Twilio call or message log, as the console, the API (`.csv`, JSON pages), twilio-cli
  and BulkExport write them (`To`, `From`, `StartTime`/`Start Time`/`DateSent`/`Date Sent`/
  `DateCreated` -> at, `Direction` or `Flags` (`[outbound]`): `inbound`/`trunking-originating`
  kept, `Duration` seconds, `Sid` -> id, `CallerName` (CNAM) -> caller_name). A log with a `Body`
  column reads as SMS. Twilio writes UTC: a time without an offset is read as UTC, not in the
  vault's timezone. A withheld caller logged as the word typed on a keypad (+266696687 for
  ANONYMOUS) is withheld.
- `cn-carrier`: a Chinese carrier's itemised bill (详单) of calls or messages, as China Mobile,
  China Unicom and China Telecom hand them out and their exporters write them (CSV, JSON, and
  .xlsx/.xls/PDF through `tables`), in Beijing time, numbers read as Chinese. Columns by role in
  every spelling listed below (起始时间/通话起始时间/`startTime`/`callTime` -> at, a date and a time
  of day apart joined; 通信方式/呼叫类型/`commMode`/`calltypeName` -> direction, also found by its
  values; 对方号码/`anotherNm`/`othernum`/`calleNo` -> from; 通信时长/`commTime`/`calllonghour` ->
  duration). A bill with a 信息类型 column, or without a duration column, lists messages. Rows
  above the header (account name, billing period) are read for the period only; fee-only rows,
  repeated headers, data sessions (上网), totals, notes and lists without contacts are skipped
  and counted (`csvfile`). Times without a year (`09-28 14:12:31`) take the year of the period
  (or `--year`). The bill never names its own number: `--to`, or the vault's only number.
- `iphone`: iPhone call logs and messages exported by desktop tools. iExplorer writes a header
  (`"Contact","Number","Date","Duration","Call Type",…`); iMazing 2 wrote none
  (`Incoming,02/06/17 09:45,00:01:43,+46879111111,Bob Smith`): such a file gets iMazing's column
  names; iMazing now writes `Call type,Date,Duration,Number,Contact,Location,Service` for calls and
  `Chat Session,Message Date,…,Service,Type,Sender ID,Sender Name,Status,…,Text,…` for messages
  (`Message Date` -> at, `Sender ID` -> from, `Type` Incoming/Outgoing, `Text`: a message log;
  also WhatsApp chats exported by iMazing, with `Sent Date`, `Forwarded`, `Reactions` columns, whose
  `Type` Notification rows (the chat's own notices) are skipped and counted).
  `Contact`/`Sender Name` is the caller ID name the phone showed. `02/06/17` is read day first,
  unless a part is over 12 or the region writes month first (US).

Without `--preset` and `--map`, a file without our `at` column is read with the first preset
whose time column it has (a Twilio log, a carrier bill, an iExplorer export).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tracer.i18n import N_
from tracer.models import Channel

COLUMNS = (
    "channel", "at", "to", "from", "heard_name", "text", "id", "duration", "direction", "caller_name",
)  # fmt: skip


@dataclass(frozen=True)
class Preset:
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    needs_to: bool = False  # the file never names the number it was received on
    text_is_sms: bool = False  # rows with a text column are messages, not calls
    zone: str | None = None  # the exporter's clock (Twilio: UTC; Chinese bills: Beijing time)
    region: str | None = None  # the country of numbers written without one (Chinese bills: CN)
    sms_headers: tuple[str, ...] = ()  # headers only message bills have (then no duration column either)
    data_headers: tuple[str, ...] = ()  # headers of a data-usage list (上网/流量): no contacts in it
    clock: tuple[str, ...] = ()  # a time of day kept apart from its date (joined with `day`)
    withheld: frozenset[str] = frozenset()  # caller numbers that stand for a withheld caller
    guess_from: int = 1  # columns of this preset a header must name for it to be guessed
    day: tuple[str, ...] = ()  # a date kept apart from its time of day


def keypad(word: str) -> str:
    """A word spelled on a phone keypad: Twilio logs a withheld caller as ANONYMOUS typed on
    the keys (+266696687), RESTRICTED as +7378742833, BLOCKED as +2562533."""
    keys = {letter: str(digit) for digit, letters in _KEYS.items() for letter in letters}
    return "".join(keys[letter] for letter in word.lower())


_KEYS = {2: "abc", 3: "def", 4: "ghi", 5: "jkl", 6: "mno", 7: "pqrs", 8: "tuv", 9: "wxyz"}


PRESETS: dict[str, Preset] = {
    "twilio": Preset(
        {
            "at": (
                "starttime", "start_time", "datesent", "date_sent", "sentdate", "sent_date",
                "datecreated", "date_created", "date",
            ),
            "direction": ("direction", "flags"),
            "duration": ("duration",),
            "id": ("sid", "call_sid", "callsid", "message_sid", "messagesid"),
            "text": ("body",),
            "caller_name": ("callername", "caller_name"),
        },
        text_is_sms=True,
        zone="UTC",
        withheld=frozenset(map(keypad, ("anonymous", "restricted", "blocked", "unavailable", "unknown", "private"))),
    ),  # fmt: skip
    "iphone": Preset(
        {
            "at": ("date", "message_date"),
            "from": ("number", "sender_id"),
            "duration": ("duration",),
            "direction": ("call_type", "type"),
            "caller_name": ("contact", "sender_name"),
            "text": ("text",),
        },
        text_is_sms=True,
    ),
    "cn-carrier": Preset(
        {
            # full date-and-time headers first; 通话日期/通话时间 (a date and a time of day in two
            # columns, as China Unicom's calldate/calltime) are joined by `header.Plan.stamp`
            "at": (
                "起始时间", "通话起始时间", "开始时间", "通话开始时间", "起始日期时间", "发送时间",
                "通信时间", "呼叫时间", "日期时间", "通话时间", "时间", "通话日期", "日期", "起始日期",
                "starttime", "start_time", "begintime", "calldate", "smsdate", "calltime", "time",
            ),
            "direction": (
                "通信方式", "呼叫类型", "主被叫", "主/被叫", "主叫/被叫", "收发类型", "通话类型_主被叫",
                "发送类型", "呼叫方式", "通话方式", "话单方向", "收/发", "commmode", "calltypename",
                "dial_type", "send_type", "smstype", "type",
            ),
            "from": (
                "对方号码", "对端号码", "对方电话", "对方手机号", "对方手机号码", "对方号", "anothernm",
                "othernum", "peer_number", "calleno", "主叫号码",
            ),
            # the user's own number when the bill lists it, else a bill listing both parties:
            # 主叫号码 -> from, 被叫号码 -> to
            "to": ("本机号码", "用户号码", "计费号码", "被叫号码"),
            "duration": (
                "通信时长", "通话时长", "时长", "通话秒数", "commtime", "calllonghour",
                "duration_in_second",
            ),
        },
        needs_to=True,
        sms_headers=(
            "信息类型", "短信类型", "短彩信类型", "发送时间", "信息条数", "infotype", "smsdate",
            "send_type", "msg_type",
        ),
        zone="Asia/Shanghai",
        region="CN",
        data_headers=(
            "上网方式", "网络类型", "总流量", "流量", "上网时长", "上网流量", "使用流量", "通信流量",
            "sumflow", "nettype", "netplaytype",
        ),
        clock=("通话时间", "时间", "起始时刻", "calltime", "smstime", "begintime"),
        guess_from=2,  # a bill names its time and its number, direction or duration; `time` alone is no bill
        day=("通话日期", "日期", "起始日期", "calldate", "smsdate", "begindate"),
    ),
}  # fmt: skip

# True: received (kept); False: placed or sent (skipped without a Rejected).
_IN = (
    "in inbound incoming received receive missed voicemail trunking-originating mt dialed "
    "被叫 接收 接受 来电 呼入 呼转 收 接听 已接 拒接 下行"
)
_OUT = "out outbound outgoing placed sent send trunking-terminating mo dial 主叫 发送 去电 呼出 发 拨出 拨打 上行 呼叫"
# A data session listed among calls or messages (上网, 流量, GPRS): no contact, skipped and counted
DATA_WORDS = ("上网", "流量", "gprs", "wlan", "数据业务")
# A chat's own notice in a message export's direction column (iMazing writes `Notification` for
# WhatsApp's "Messages to this chat and calls are now secured…", a group renamed…): no contact,
# skipped and counted
NOTICE_TYPES = frozenset({"notification"})
DIRECTIONS: dict[str, bool] = {
    **dict.fromkeys(_IN.split(), True),
    **dict.fromkeys(_OUT.split(), False),
}
DIRECTIONS["未接"] = True

CHANNELS: dict[str, Channel] = {
    **dict.fromkeys(("call", "calls", "voice", "phone", "通话", "语音"), Channel.CALL),
    **dict.fromkeys(("sms", "text", "message", "mms", "短信", "彩信"), Channel.SMS),
    **dict.fromkeys(("email", "mail", "e-mail", "邮件"), Channel.EMAIL),
}


# A header's unit in brackets says nothing about the column's role: `通话时长(秒)`, `通话时长（秒）`
_UNIT = re.compile(r"\s*[(（](?:秒|s|元|次|条)[)）]$")


# A PDF table wraps a long header over lines (`通话起始` / `时间`): the break is no word boundary
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def header_key(name: str) -> str:
    key = _CJK_SPACE.sub("", name.strip().lstrip("\ufeff")).lower().replace(" ", "_").replace("-", "_")
    return _UNIT.sub("", key)


def direction(value: str) -> bool | None:
    """True for a received row, False for a placed/sent one, None when the value is unknown.
    A bill's longer Chinese value (`被叫(漫游)`, `短信接收`, `呼叫转移`) counts by the one direction
    word in it."""
    key = value.strip().strip("[]").strip().lower().replace(" ", "-").replace("_", "-")
    found = DIRECTIONS.get(key)
    if found is None and key.startswith(("outbound-", "outgoing-")):
        return False
    if found is None and not key.isascii():
        return _within(key)
    return found


_CN_WORDS = {word: way for word, way in DIRECTIONS.items() if len(word) > 1 and not word.isascii()}
_CN_WORDS["呼叫转移"] = True  # the user's number was called and the call forwarded


def _within(key: str) -> bool | None:
    """The way of the direction words in a longer value; a word inside a longer one found there
    does not count (`呼叫` in `呼叫转移`)."""
    found = [word for word in _CN_WORDS if word in key]
    ways = {_CN_WORDS[word] for word in found if not any(word != other and word in other for other in found)}
    return ways.pop() if len(ways) == 1 else None


_UNITS = re.compile(
    r"(?:(\d+)\s*(?:小时|时|h|hr|hours?))?\s*(?:(\d+)\s*(?:分钟|分|m|min|minutes?))?"
    r"\s*(?:(\d+)\s*(?:秒钟|秒|s|sec|seconds?))?",
    re.IGNORECASE,
)
_ISO = re.compile(r"P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.\d+)?S)?)?")
_CLOCK = re.compile(r"(?:(\d+):)?(\d{1,2}):(\d{1,2})")


def seconds(text: str) -> int:
    """Whole seconds from `83`, `1:23`, `01:02:03`, `1分23秒`, `1小时2分3秒`, `1m 23s`, `PT22S`."""
    value = text.strip()
    if value.isdigit():
        return int(value)
    if match := _CLOCK.fullmatch(value):
        hours, minutes, secs = (int(g or 0) for g in match.groups())
        return hours * 3600 + minutes * 60 + secs
    if (match := _ISO.fullmatch(value.upper())) and value.upper() not in ("P", "PT"):
        days, hours, minutes, secs = (int(g or 0) for g in match.groups())
        return days * 86400 + hours * 3600 + minutes * 60 + secs
    match = _UNITS.fullmatch(value)
    if not value or match is None or not any(match.groups()):
        raise ValueError(N_("not a duration (seconds, 1:23 or 1分23秒)"))
    hours, minutes, secs = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + secs
