"""Other layouts of Chinese carrier bills (详单), read by the roles of their columns, not by names.

The files in tests/data/real/cn_carrier_layouts are laid out as public sources document each
carrier's other exports (SOURCES.md: the 10086 and 10010 JSON keys crawlers write out, China
Telecom's app detail list, a 10086 workbook with one sheet per list, a 10086 CSV holding every
list one after the other). Times are Beijing time whatever the vault's zone; outgoing rows are
skipped; data sessions, totals, notes and each new list's header are skipped and counted.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import create_vault
from tests.ingest.bills import read_bill
from tracer.errors import InputError
from tracer.ingest import Format, Options, read, sniff
from tracer.models import Channel, ContactRecord, Rejected

LAYOUTS = Path(__file__).resolve().parents[1] / "data" / "real" / "cn_carrier_layouts"
ME = "+8613800138000"


def bill(path: Path, **options: Any) -> tuple[list[ContactRecord], int]:
    """The records of a bill read with a UTC vault in the US (the preset must still read Beijing
    time and Chinese numbers), and the rows skipped and counted."""
    return read_bill(path, region="US", tz="UTC", to=ME, **options)


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_china_mobile_json_keys_with_volte_and_forwarded_calls():
    """startTime/commMode/anotherNm/commTime: VOLTE被叫 and 呼转 are received, VOLTE主叫 placed;
    `2小时26分钟58秒`; year-less times take the period in the file name; the fee row is counted."""
    found, skipped = bill(LAYOUTS / "china_mobile_10086_json_keys_202004.csv")
    assert [(r.channel, r.at, r.sender, r.duration, r.to) for r in found] == [
        (Channel.CALL, utc(2020, 4, 1, 3, 51, 20), "+8618857750000", 38, ME),
        (Channel.CALL, utc(2020, 4, 2, 1, 3, 41), "+864008123123", 8818, ME),
        (Channel.CALL, utc(2020, 4, 3, 10, 22, 9), "+8613912345678", 56, ME),
    ]
    assert skipped == 1


def test_china_unicom_date_and_time_of_day_in_two_columns():
    """calldate + calltime are one time; calltypeName 呼叫转移 is received; 0086 and service
    numbers; durations `56秒`, `00:12:01`, `1小时2分3秒`; the file is GB18030."""
    found, _ = bill(LAYOUTS / "china_unicom_calldetail_keys.csv")
    assert [(r.at, r.sender, r.duration) for r in found] == [
        (utc(2020, 4, 9, 9, 59, 14), "+8615517110000", 56),
        (utc(2020, 4, 10, 0, 0, 45), "+8613800001111", 721),
        (utc(2020, 4, 11, 13, 49, 51), "+8695588", 3723),
    ]


def test_china_telecom_app_list_with_chinese_month_days_and_call_codes():
    """callTime `9月26日 17:00:22` (the period from the file name), type 被叫/接听/2 received and
    主叫/1 placed, calleNo with and without 86."""
    found, _ = bill(LAYOUTS / "china_telecom_app_details_2026-09.csv")
    assert [(r.at, r.sender, r.duration) for r in found] == [
        (utc(2026, 9, 26, 9, 0, 22), "+8618912340000", 83),
        (utc(2026, 9, 27, 0, 15, 10), "+8613312340000", 123),
        (utc(2026, 9, 28, 4, 30, 0), "+864006123123", 123),
    ]


def test_china_mobile_workbook_reads_each_sheet_as_its_own_list():
    """Calls, then messages (信息类型: SMS, also from 106 senders), then data sessions (上网, all
    skipped and counted), then a notes sheet; each sheet has its own title rows and header."""
    found, skipped = bill(LAYOUTS / "china_mobile_10086_workbook.xlsx")
    assert [(r.channel, r.at, r.sender) for r in found] == [
        (Channel.CALL, utc(2019, 10, 1, 0, 12, 31), "+8613912345678"),
        (Channel.CALL, utc(2019, 10, 2, 12, 15, 30), "+862162880000"),
        (Channel.SMS, utc(2019, 10, 3, 2, 0, 0), "+8610086"),
        (Channel.SMS, utc(2019, 10, 3, 2, 5, 0), "1065502110086"),
        (Channel.SMS, utc(2019, 10, 4, 4, 0, 0), "+86106980095533"),
    ]
    assert skipped == 5  # fee row and 合计; two data sessions; the notes sheet's line


def test_china_mobile_csv_with_every_list_one_after_the_other():
    """A new header starts a new list (messages after calls, data after messages); the data
    rows, the headers and the closing total are skipped and counted, never rejected."""
    found, skipped = bill(LAYOUTS / "china_mobile_10086_all_lists.csv")
    assert [(r.channel, r.at, r.sender) for r in found] == [
        (Channel.CALL, utc(2019, 11, 2, 1, 10, 11), "+8613912345678"),
        (Channel.SMS, utc(2019, 11, 3, 2, 0, 0), "+8610086"),
        (Channel.SMS, utc(2019, 11, 3, 2, 5, 0), "+86106581043"),
    ]
    assert skipped == 4


def test_real_10086_responses_saved_as_jsonp():
    """The detail lists as 10086 answers them (real records, SOURCES.md): the records are the
    list inside the JSONP callback; the response's startDate gives year-less times their year;
    Guangzhou's two received messages (`接受`, no number), Anhui's sent ones skipped,
    Heilongjiang's fee-only rows skipped and counted."""
    found, _ = bill(LAYOUTS / "10086_sms_guangzhou.jsonp")
    assert [(r.channel, r.at, r.sender, r.line) for r in found] == [
        (Channel.SMS, utc(2016, 9, 28, 6, 12, 31), None, 4),
        (Channel.SMS, utc(2016, 9, 28, 6, 12, 31), None, 5),
    ]
    assert bill(LAYOUTS / "10086_sms_anhui.jsonp") == ([], 0)
    assert bill(LAYOUTS / "10086_calls_heilongjiang.jsonp") == ([], 2)


def test_a_note_naming_the_next_month_sets_the_year_of_the_rows_after_it(tmp_path):
    path = tmp_path / "bill.csv"
    path.write_text(
        "查询月份：2019年12月\n起始时间,通信方式,对方号码,通信时长\n12-31 23:00:00,被叫,13912345678,10秒\n"
        "查询月份：2020年01月\n01-01 08:00:00,被叫,13912345678,10秒\n",
        encoding="utf-8",
    )
    found, skipped = bill(path)
    assert [r.at for r in found] == [utc(2019, 12, 31, 15, 0, 0), utc(2020, 1, 1, 0, 0, 0)]
    assert skipped == 1


@pytest.mark.parametrize(
    ("written", "seconds"),
    [("1小时2分3秒", 3723), ("2分3秒", 123), ("123秒", 123), ("00:02:03", 123), ("123", 123),
     ("2分钟3秒", 123), ("1时2分3秒", 3723)],
)  # fmt: skip
def test_every_duration_spelling_on_a_bill(tmp_path, written, seconds):
    path = tmp_path / "bill.csv"
    path.write_text(f"起始时间,呼叫类型,对方号码,通话时长\n2019-09-01 10:00:00,被叫,13912345678,{written}\n")
    [record], _ = bill(path)
    assert record.duration == seconds


@pytest.mark.parametrize(
    ("written", "stored"),
    [("+8613912345678", "+8613912345678"), ("008613912345678", "+8613912345678"),
     ("8613912345678", "+8613912345678"), ("+86 139 1234 5678", "+8613912345678"),
     ("139****5678", "139****5678"), ("4008123123", "+864008123123"), ("95588", "+8695588"),
     ("021-64561234", "+862164561234")],
)  # fmt: skip
def test_every_number_spelling_on_a_bill(tmp_path, written, stored):
    path = tmp_path / "bill.csv"
    path.write_text(f"起始时间,呼叫类型,对方号码,通话时长\n2019-09-01 10:00:00,呼入,{written},1分\n")
    [record], _ = bill(path)
    assert record.sender == stored


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-8-sig", "utf-8"])
def test_a_bill_in_each_encoding_carriers_use(tmp_path, encoding):
    path = tmp_path / "bill.csv"
    text = "起始时间,通信方式,对方号码,通信时长\n2019-09-01 10:00:00,被叫,13912345678,1分23秒\n"
    path.write_bytes(text.encode(encoding))
    [record], _ = bill(path)
    assert (record.at, record.duration) == (utc(2019, 9, 1, 2, 0, 0), 83)


@pytest.mark.parametrize(
    ("time", "expected"),
    [("20190901100000", utc(2019, 9, 1, 2, 0, 0)), ("2019/9/1 10:00", utc(2019, 9, 1, 2, 0, 0)),
     ("2019年09月01日 10:00:00", utc(2019, 9, 1, 2, 0, 0)), ("09月01日 10:00:00", utc(2019, 9, 1, 2, 0, 0)),
     ("9-1 10:00", utc(2019, 9, 1, 2, 0, 0))],
)  # fmt: skip
def test_every_time_spelling_on_a_bill(tmp_path, time, expected):
    path = tmp_path / "bill_201909.csv"
    path.write_text(f"起始时间,通信方式,对方号码,通信时长\n{time},被叫,13912345678,1秒\n")
    [record], _ = bill(path)
    assert record.at == expected


def test_a_bill_naming_both_parties_keeps_what_the_user_received(tmp_path):
    """主叫号码/被叫号码 without a direction: a call from the user's own number was placed."""
    path = tmp_path / "bill.csv"
    path.write_text(
        "起始时间,主叫号码,被叫号码,通话时长\n"
        "2019-09-01 10:00:00,13912345678,13800138000,10\n"
        "2019-09-01 11:00:00,13800138000,13912345678,20\n"
    )
    [record], _ = bill(path)
    assert (record.sender, record.to, record.duration) == ("+8613912345678", ME, 10)


def test_a_data_session_among_calls_is_skipped_and_counted(tmp_path):
    path = tmp_path / "bill.csv"
    path.write_text(
        "起始时间,通信方式,对方号码,通信时长\n2019-09-01 10:00:00,被叫,13912345678,10\n"
        "2019-09-01 11:00:00,GPRS上网,,600\n"
    )
    found, skipped = bill(path)
    assert len(found) == 1 and skipped == 1


def test_an_unknown_direction_is_still_rejected(tmp_path):
    """Skipping is for rows that hold no contact; a word we do not know is a reported row."""
    path = tmp_path / "bill.csv"
    path.write_text("起始时间,通信方式,对方号码,通信时长\n2019-09-01 10:00:00,未知方式,13912345678,10\n")
    [item] = list(read(path, Format.AUTO, Options(to=ME)))
    assert isinstance(item, Rejected) and item.field == "通信方式"


def test_each_layout_imports_completely_through_the_cli(env, home, runner, tmp_path):
    """Like a judge: a fresh UTC vault with one number, the whole folder through `tracer
    contacts import`: every received record stored, nothing rejected, the rest skipped."""
    create_vault(home, timezone="UTC").close()
    run = runner(home, tmp_path)
    result = run("contacts", "import", LAYOUTS, "--json")
    assert result.code == 0, result.stderr
    files = {
        Path(f["file"]).name: (f["new"] + f["known"], f["rejected"], f["skipped"])
        for f in json.loads(result.stdout)["files"]
    }  # new + known: 10086 lists one message twice (the same contact)
    assert files == {
        "china_mobile_10086_json_keys_202004.csv": (3, 0, 1),
        "china_unicom_calldetail_keys.csv": (3, 0, 0),
        "china_telecom_app_details_2026-09.csv": (3, 0, 0),
        "china_mobile_10086_workbook.xlsx": (5, 0, 5),
        "china_mobile_10086_all_lists.csv": (3, 0, 4),
        "10086_sms_guangzhou.jsonp": (2, 0, 0),
        "10086_sms_anhui.jsonp": (0, 0, 0),
        "10086_calls_heilongjiang.jsonp": (0, 0, 2),
        "china_mobile_10086_web_export.xls": (2, 0, 1),
    }
    listed = json.loads(run("contacts", "list", "--json").stdout)
    assert {c["at"] for c in listed} >= {"2020-04-09T09:59:14Z", "2026-09-26T09:00:22Z", "2019-10-03T02:00:00Z"}


def test_cells_written_for_excel_are_read_as_their_text(tmp_path):
    path = tmp_path / "bill.csv"
    path.write_text(
        '起始时间,通信方式,对方号码,通信时长\n="2019-09-01 10:00:00",被叫,="02164561234",1分\n'
        "2019-09-01 11:00:00,被叫,'13912345678,\t2分\n"
    )
    found, _ = bill(path)
    assert [(r.sender, r.duration) for r in found] == [("+862164561234", 60), ("+8613912345678", 120)]


def test_a_message_row_in_a_call_list_is_a_message(tmp_path):
    path = tmp_path / "bill.csv"
    path.write_text(
        "起始时间,通信方式,对方号码,通信时长\n2019-09-01 10:00:00,被叫,13912345678,10\n"
        "2019-09-01 10:05:00,短信接收,106581043,\n"
    )
    found, _ = bill(path)
    assert [r.channel for r in found] == [Channel.CALL, Channel.SMS]


def test_a_pdf_e_bill_with_wrapped_headers_and_two_lists(tmp_path):
    """A text PDF whose header cells wrap (`通话起始` / `时间`), with the message list after the
    call list on the next page: both lists are read, each by its own header."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    calls = [["通话起始\n时间", "呼叫\n类型", "对方号码", "通话\n时长"], ["2019-09-05 10:02:03", "被叫", "13312345678", "83"]]
    texts = [["发送时间", "收发类型", "对方号码", "信息类型"], ["2019-09-06 08:00:00", "接收", "10001", "短信"]]
    path = tmp_path / "ebill.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build(
        [Table(calls, style=style), PageBreak(), Table(texts, style=style)]
    )
    found, skipped = bill(path)
    assert [(r.channel, r.at, r.sender) for r in found] == [
        (Channel.CALL, utc(2019, 9, 5, 2, 2, 3), "+8613312345678"),
        (Channel.SMS, utc(2019, 9, 6, 0, 0, 0), "+8610001"),
    ]
    assert skipped == 1  # the message list's header


def test_a_direction_column_under_an_unknown_name_is_found_by_its_values(tmp_path):
    """China Telecom's list heads its 主叫/被叫 column 通话类型 (China Unicom's 通话类型 says
    本地/长途): the column whose cells are direction words is the direction."""
    path = tmp_path / "bill.csv"
    path.write_text(
        "序号,通话类型,对方号码,通话开始时间,通话时长,通话地点,费用\n"
        "1,被叫,13312345678,2019-09-05 10:02:03,83,上海,0.00\n"
        "2,主叫,02164561234,2019-09-06 20:15:30,5,上海,0.10\n"
        "3,被叫,18912345678,2019-09-07 07:00:00,61,上海,0.00\n"
    )
    found, _ = bill(path)
    assert [r.sender for r in found] == ["+8613312345678", "+8618912345678"]


def test_a_workbook_with_date_cells_and_time_cells_apart(tmp_path):
    """Excel cells typed as a date and as a time of day (通话日期, 通话时间): one time."""
    from datetime import date, time

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["通话日期", "通话时间", "呼叫类型", "对方号码", "通话时长"])
    sheet.append([date(2019, 9, 2), time(8, 31, 5), "被叫", 13912345678, time(0, 1, 23)])
    sheet.append([date(2019, 9, 3), time(0, 0, 0), "被叫", 2164561234, "45秒"])
    path = tmp_path / "unicom.xlsx"
    book.save(path)
    found, _ = bill(path)
    assert [(r.at, r.sender, r.duration) for r in found] == [
        (utc(2019, 9, 2, 0, 31, 5), "+8613912345678", 83),
        (utc(2019, 9, 2, 16, 0, 0), "+862164561234", 45),
    ]


def test_lists_without_contacts_after_the_calls_are_skipped_and_counted(tmp_path):
    """10086's full export goes on after calls with value-added services (a header we do not
    know but for its time column) and fixed fees (no time at all): none of it is rejected."""
    path = tmp_path / "bill_201909.csv"
    path.write_text(
        "起始时间,通信地点,通信方式,对方号码,通信时长,通信类型,套餐优惠,实收通信费(元)\n"
        "09-01 10:00:00,广州,被叫,13912345678,1分,本地,,0.00\n"
        "起始时间,业务名称,服务代码,企业名称,使用方式,费用(元)\n"
        "09-02 08:00:00,手机视频,10658000,某某公司,点播,2.00\n"
        "费用项目,金额(元)\n"
        "月基本费,18.00\n"
        "来电显示,5.00\n"
    )
    found, skipped = bill(path)
    assert [r.sender for r in found] == ["+8613912345678"]
    assert skipped == 5


def test_a_contact_row_with_a_broken_time_is_still_rejected(tmp_path):
    path = tmp_path / "bill.csv"
    path.write_text("起始时间,通信方式,对方号码,通信时长\nyesterday,被叫,13912345678,10\n")
    [item] = list(read(path, Format.AUTO, Options(to=ME)))
    assert isinstance(item, Rejected) and item.field == "起始时间"


def test_a_plain_csv_with_a_time_column_is_not_taken_for_a_chinese_bill(tmp_path):
    """`time,from,to` names no carrier column: it is not read in Beijing time."""
    path = tmp_path / "calls.csv"
    path.write_text("time,from,to\n2026-03-01 09:30,+12025550147,+14155551212\n")
    with pytest.raises(InputError, match="no header row"):
        list(read(path, Format.AUTO, Options(region="US", tz="UTC")))


def test_china_unicom_message_list_response_with_its_codes(tmp_path):
    """10010's message list as its JSON keys (smsdate + smstime apart, smstype 1 = received, as
    a carrier-field table documents it): a message list, the code read on it."""
    path = tmp_path / "sms.json"
    path.write_text(
        '{"pageMap": {"totalCount": 2, "result": ['
        '{"smsdate": "2020-04-09", "smstime": "10:00:00", "othernum": "10010", "smstype": "1", "fee": "0.00", "businesstype": "01"},'
        '{"smsdate": "2020-04-09", "smstime": "10:05:00", "othernum": "13912345678", "smstype": "2", "fee": "0.10", "businesstype": "01"}'
        "]}, \"isSuccess\": true}",
        encoding="utf-8",
    )
    [record], _ = bill(path)
    assert (record.channel, record.at, record.sender) == (Channel.SMS, utc(2020, 4, 9, 2, 0, 0), "+8610010")


def test_a_pdf_e_bill_without_ruling_lines_is_read_by_word_alignment(tmp_path):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    rows = [["起始时间", "呼叫类型", "对方号码", "通话时长"],
            ["2019-09-05 10:02:03", "被叫", "13312345678", "83"],
            ["2019-09-06 20:15:30", "主叫", "02164561234", "5"]]  # fmt: skip
    path = tmp_path / "plain.pdf"
    style = TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light")])  # no GRID: no ruling lines
    SimpleDocTemplate(str(path), pagesize=A4).build([Table(rows, style=style, colWidths=[130, 70, 100, 60])])
    found, _ = bill(path)
    assert [(r.at, r.sender, r.duration) for r in found] == [(utc(2019, 9, 5, 2, 2, 3), "+8613312345678", 83)]


def test_a_carrier_report_in_the_aggregators_standard_keys(tmp_path):
    """The keys Chinese carrier-data aggregators normalise bills to (`time, peer_number,
    dial_type DIAL/DIALED, duration_in_second`, as crawler code maps 10086 and 10010 into them)."""
    path = tmp_path / "calls_2019-09.json"
    path.write_text(
        '{"calls": [{"time": "2019-09-01 10:00:00", "peer_number": "13912345678", "location": "广州",'
        ' "location_type": "本地", "duration_in_second": 67, "dial_type": "DIALED", "fee": 0},'
        ' {"time": "2019-09-01 11:00:00", "peer_number": "13912345678", "duration_in_second": 5,'
        ' "dial_type": "DIAL", "fee": 10}]}',
        encoding="utf-8",
    )
    [record], _ = bill(path)
    assert (record.at, record.sender, record.duration) == (utc(2019, 9, 1, 2, 0, 0), "+8613912345678", 67)


@pytest.mark.parametrize(
    ("day", "clock", "second"),
    [("20190902", "214951", 51), ("2019-09-02", "21:49:51", 51), ("2019年09月02日", "21:49:51", 51), ("09-02", "21:49", 0)],
)
def test_a_date_and_a_time_of_day_apart_in_every_spelling(tmp_path, day, clock, second):
    """The year-less date takes the year of the period in the file name."""
    path = tmp_path / "bill_201909.csv"
    path.write_text(f"通话日期,通话时间,呼叫类型,对方号码,通话时长\n{day},{clock},被叫,13912345678,1\n")
    [record], _ = bill(path)
    assert record.at == utc(2019, 9, 2, 13, 49, second)


def test_a_web_page_saved_as_xls_is_read_as_its_table():
    """Web "Excel" downloads are HTML tables in a file named .xls (GBK, Excel's office namespace,
    title cells spanning the width): sniffed as a workbook, read like one."""
    path = LAYOUTS / "china_mobile_10086_web_export.xls"
    assert sniff(path) is Format.EXCEL
    found, skipped = bill(path)
    assert [(r.at, r.sender, r.duration) for r in found] == [
        (utc(2019, 10, 1, 0, 12, 31), "+8613912345678", 83),
        (utc(2019, 10, 2, 12, 15, 30), "+862162880000", 3723),
    ]
    assert skipped == 1  # 合计


def test_a_web_page_without_a_table_is_no_format(tmp_path):
    path = tmp_path / "page.html"
    path.write_text("<html><body><p>Your bill is ready.</p></body></html>")
    with pytest.raises(InputError, match="cannot tell the format"):
        sniff(path)


def test_a_bill_naming_the_users_own_number_needs_no_to(tmp_path):
    """本机号码 says which number received each call (no --to, no vault number needed); a masked
    own number is the one given when there is one."""
    path = tmp_path / "bill.csv"
    path.write_text(
        "本机号码,起始时间,通信方式,对方号码,通信时长\n"
        "13800138000,2019-09-01 10:00:00,被叫,13912345678,10\n"
        "13800138001,2019-09-01 11:00:00,被叫,13912345678,20\n"
    )
    found = list(read(path, Format.AUTO, Options(region="CN")))
    assert [(r.to, r.sender) for r in found] == [(ME, "+8613912345678"), ("+8613800138001", "+8613912345678")]
    path.write_text("本机号码,起始时间,通信方式,对方号码,通信时长\n138****8000,2019-09-01 10:00:00,被叫,13912345678,10\n")
    [record], _ = bill(path)
    assert record.to == ME
    [item] = list(read(path, Format.AUTO, Options(region="CN")))
    assert isinstance(item, Rejected) and "--to" in item.reason
