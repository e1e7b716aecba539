"""Chinese carrier bills (详单) of calls and messages, in CSV (GBK), .xlsx, .xls and text PDF.

The CSV files are in tests/data/real/cn_carrier; the workbooks and the PDF are built here from
the same carriers' layouts (see SOURCES.md): spreadsheet and PDF writers make them at test time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import openpyxl
import pytest
import xlwt
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

from tests.ingest.bills import read_bill
from tracer.errors import InputError
from tracer.ingest import Format, Options, read, sniff
from tracer.models import Channel, ContactRecord, Rejected

BILLS = Path(__file__).resolve().parents[1] / "data" / "real" / "cn_carrier"
ME = "+8613800138000"
SH = "Asia/Shanghai"
# China Unicom's call list as its .xls download lays it out (SOURCES.md)
UNICOM = ["序号", "业务类型", "通话起始时间", "通话时长", "呼叫类型", "对方号码", "本机通话地", "对方归属地", "通话类型", "通话费", "其他费", "小计"]
UNICOM_ROWS = [
    ["1", "语音通话", "2019-09-02 08:31:05", "00:01:23", "被叫", "13912345678", "北京", "江苏南京", "本地通话", "0.00", "0.00", "0.00"],
    ["2", "语音通话", "2019-09-02 09:00:10", "00:00:40", "主叫", "01062345678", "北京", "北京", "本地通话", "0.00", "0.00", "0.00"],
    ["3", "语音通话", "2019-09-03 19:45:00", "00:12:01", "被叫", "4006123123", "北京", "北京", "本地通话", "0.00", "0.00", "0.00"],
]
# China Telecom's e-bill call list (PDF), one table per page, the header on every page
TELECOM = ["起始时间", "通话时长", "呼叫类型", "对方号码", "通话地点", "通话类型", "费用(元)"]
TELECOM_PAGES = [
    [["2019-09-05 10:02:03", "83", "被叫", "13312345678", "上海", "本地", "0.00"]],
    [["2019-09-06 20:15:30", "5", "主叫", "02164561234", "上海", "本地", "0.10"],
     ["2019-09-07 07:00:00", "61", "呼入", "18912345678", "上海", "本地", "0.00"]],
]  # fmt: skip


def bill(path: Path, **options: object) -> tuple[list[ContactRecord], int]:
    """The records in a bill and the rows skipped as fee-only or repeated headers."""
    return read_bill(path, region="CN", tz=SH, to=ME, **options)


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


def test_china_mobile_call_bill_keeps_received_calls_and_counts_filler_rows():
    """Year-less times take the bill's period (查询月份：2019年09月), in Beijing time; 主叫 is
    skipped; the fee-only row and the header repeated for the next month are skipped, counted."""
    found, skipped = bill(BILLS / "china_mobile_calls.csv")
    assert [(r.channel, r.at, r.sender, r.duration, r.to) for r in found] == [
        (Channel.CALL, local(2019, 9, 28, 6, 12, 31), "+8613912345678", 83, ME),
        (Channel.CALL, local(2019, 9, 29, 2, 41, 52), "+864008123123", 125, ME),
        (Channel.CALL, local(2019, 9, 30, 13, 7, 44), "+862162880000", 3723, ME),
    ]
    assert skipped == 2


def test_china_mobile_sms_bill_reads_as_messages_with_10086_spelling_of_received():
    """Real 10086 records (SOURCES.md): 信息类型 makes it a message bill; 发送 rows are skipped;
    接受 (10086's spelling) is received; `-` is no number; year-less rows take the period in the
    file name (…_201609.csv), full dates stay as they are."""
    found, skipped = bill(BILLS / "china_mobile_sms_201609.csv")
    assert [(r.channel, r.at, r.sender, r.to) for r in found] == [
        (Channel.SMS, local(2016, 9, 28, 6, 12, 31), None, ME),
        (Channel.SMS, local(2016, 9, 28, 6, 12, 31), None, ME),
    ]
    assert skipped == 0


def test_a_year_less_bill_without_period_asks_for_year_and_takes_it(tmp_path):
    text = (BILLS / "china_mobile_calls.csv").read_bytes().decode("gbk").split("\n", 3)[3]
    path = tmp_path / "bill.csv"
    path.write_bytes(text.encode("gbk"))
    items = list(read(path, Format.AUTO, Options(region="CN", tz=SH, to=ME)))
    assert isinstance(items[0], Rejected) and "--year" in items[0].reason
    found, _ = bill(path, year=2018)
    assert found[0].at == local(2018, 9, 28, 6, 12, 31)


def test_a_january_bill_places_december_rows_in_the_year_before(tmp_path):
    path = tmp_path / "bill.csv"
    path.write_text("账期：2020年01月\n起始时间,通信方式,对方号码,通信时长\n12-31 23:59:00,被叫,13912345678,10秒\n")
    [record], _ = bill(path)
    assert record.at == local(2019, 12, 31, 15, 59, 0)


def test_china_unicom_xlsx_download_is_read_like_its_csv(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["中国联通 通话详单 2019年09月"])
    sheet.append(UNICOM)
    for row in UNICOM_ROWS:
        sheet.append(row)
    path = tmp_path / "详单.xlsx"
    book.save(path)
    assert sniff(path) is Format.EXCEL
    found, _ = bill(path)
    assert [(r.at, r.sender, r.duration) for r in found] == [
        (local(2019, 9, 2, 0, 31, 5), "+8613912345678", 83),
        (local(2019, 9, 3, 11, 45, 0), "+864006123123", 721),
    ]


def test_china_unicom_legacy_xls_download_is_read(tmp_path):
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("通话详单")
    for r, row in enumerate([UNICOM, *UNICOM_ROWS]):
        for c, value in enumerate(row):
            sheet.write(r, c, value)
    path = tmp_path / "detail.xls"
    book.save(str(path))
    assert sniff(path) is Format.EXCEL
    found, _ = bill(path)
    assert [r.sender for r in found] == ["+8613912345678", "+864006123123"]


def telecom_pdf(path: Path) -> Path:
    """A text PDF e-bill: a ruled table per page, the header repeated on each."""
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = TableStyle([("FONT", (0, 0), (-1, -1), "STSong-Light"), ("GRID", (0, 0), (-1, -1), 0.5, colors.black)])
    title = ParagraphStyle("t", fontName="STSong-Light")
    story: list[object] = [Paragraph("中国电信 电子账单 通话详单 计费周期 2019年09月", title)]
    for i, rows in enumerate(TELECOM_PAGES):
        story += [Table([TELECOM, *rows], style=style)] + ([PageBreak()] if i < len(TELECOM_PAGES) - 1 else [])
    SimpleDocTemplate(str(path), pagesize=A4).build(story)
    return path


def test_china_telecom_pdf_e_bill_reads_every_page_and_skips_repeated_headers(tmp_path):
    path = telecom_pdf(tmp_path / "ebill.pdf")
    assert sniff(path) is Format.PDF
    found, skipped = bill(path)
    assert [(r.at, r.sender, r.duration) for r in found] == [
        (local(2019, 9, 5, 2, 2, 3), "+8613312345678", 83),
        (local(2019, 9, 6, 23, 0, 0), "+8618912345678", 61),
    ]
    assert skipped == 1  # page 2's header


def test_a_pdf_that_is_not_one_is_one_input_error(tmp_path):
    path = tmp_path / "bad.pdf"
    path.write_bytes(b"%PDF-1.4\nnothing else")
    with pytest.raises(InputError, match="bad.pdf"):
        list(read(path, Format.AUTO, Options(to=ME)))


@pytest.mark.parametrize(
    ("value", "received"),
    [("被叫", True), ("被叫(漫游)", True), ("短信接收", True), ("呼叫转移", True), ("呼转", True),
     ("接受", True), ("主叫(本地)", False), ("短信发送", False), ("呼出", False), ("未知", None)],
)  # fmt: skip
def test_bill_direction_words(value, received):
    from tracer.ingest.columns import direction

    assert direction(value) is received


def test_a_masked_number_on_a_bill_is_kept_as_written(tmp_path):
    path = tmp_path / "bill.csv"
    path.write_text("起始时间,通信方式,对方号码,通信时长\n2019-09-01 10:00:00,被叫,138****1234,10秒\n")
    [record], _ = bill(path)
    assert record.sender == "138****1234"
