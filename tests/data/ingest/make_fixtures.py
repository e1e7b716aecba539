"""Regenerate the byte-exact fixtures (GBK, UTF-16) in this folder: `python make_fixtures.py`.

The text fixtures (calls.xml, sms.xml, three.mbox, twilio.csv, google_voice/...) are written by
hand from the published formats; these are built here because their bytes are not UTF-8.
Numbers are fictional (138 0013 8000 is China Mobile's documentation example).
"""

from __future__ import annotations

import base64
import quopri
from pathlib import Path

HERE = Path(__file__).parent


def gbk_word(text: str) -> str:
    return "=?GBK?B?" + base64.b64encode(text.encode("gbk")).decode() + "?="


def gbk_mail() -> bytes:
    plain = "尊敬的欧阳建国先生：\n您的专属理财顾问已就位，新股申购请回复1。\n退订回TD\n"
    html = "<html><body><p>尊敬的欧阳建国先生：</p><p>朱镕基式的稳健理财</p></body></html>"
    head = "\r\n".join(
        [
            "Return-Path: <bounce+7f3a@mailer.example-stock.cn>",
            "Delivered-To: k7m2qx@mail.example.org",
            "Received: from mx.example-stock.cn (mx.example-stock.cn [203.0.113.5])",
            "\tby mail.example.org (Postfix) with ESMTPS id 4F2A1C0042",
            "\tfor <k7m2qx@mail.example.org>; Sun,  1 Mar 2026 09:30:05 +0800 (CST)",
            "Received: from app01 (unknown [198.51.100.7]) by mx.example-stock.cn;",
            " Sun, 1 Mar 2026 09:30:01 +0800",
            "Authentication-Results: mail.example.org; spf=pass"
            " smtp.mailfrom=mailer.example-stock.cn; dkim=pass header.d=example-stock.cn",
            f"From: {gbk_word('某某证券客服')} <Service@Example-Stock.CN>",
            f"To: {gbk_word('欧阳建国')} <K7M2QX@mail.example.org>",
            "Cc: other@Example.net",
            f"Subject: {gbk_word('【某某证券】您的专属理财顾问已就位')}",
            "Date: Sun, 1 Mar 2026 09:30:00 +0800",
            "Message-ID: <20260301093000.4f2a@example-stock.cn>",
            "MIME-Version: 1.0",
            'Content-Type: multipart/mixed; boundary="----=_Part_1"',
            "",
            "------=_Part_1",
            'Content-Type: multipart/alternative; boundary="----=_Part_2"',
            "",
            "------=_Part_2",
            'Content-Type: text/plain; charset="GBK"',
            "Content-Transfer-Encoding: base64",
            "",
        ]
    )
    plain_part = base64.encodebytes(plain.encode("gbk")).decode().replace("\n", "\r\n")
    html_part = quopri.encodestring(html.encode("gbk")).decode().replace("\n", "\r\n")
    tail = "\r\n".join(
        [
            "------=_Part_2",
            'Content-Type: text/html; charset="gb2312"',
            "Content-Transfer-Encoding: quoted-printable",
            "",
            html_part,
            "------=_Part_2--",
            "",
            "------=_Part_1",
            'Content-Type: application/pdf; name="report.pdf"',
            'Content-Disposition: attachment; filename="report.pdf"',
            "Content-Transfer-Encoding: base64",
            "",
            "JVBERi0xLjQKJcTl8uXrp/Og0MTGCg==",
            "------=_Part_1--",
            "",
        ]
    )
    return (head + "\r\n" + plain_part + tail).encode("ascii")


def carrier_bill() -> bytes:
    rows = [
        "客户姓名：欧阳**,手机号码：138****8000",
        "查询时段：2026年03月01日至2026年03月31日",
        "",
        "序号,起始时间,通信地点,通信方式,对方号码,通信时长,通信类型,套餐优惠,实收通信费(元)",
        "1,2026-03-01 09:30:00,上海,被叫,13900139001,1分23秒,本地,,0.00",
        "2,2026-03-01 10:02:11,上海,主叫,13800138001,45秒,本地,,0.00",
        "3,2026-03-02 18:45:09,上海,被叫,02168880000,45秒,本地,,0.00",
        "4,2026/03/03 08:05,上海,被叫,4008123123,1小时2分3秒,本地,,0.00",
        "5,2026-03-04 12:00:00,上海,被叫,+86 139-0013-9005,0秒,漫游,,0.00",
    ]
    return ("\r\n".join(rows) + "\r\n").encode("gbk")


def utf16_csv() -> bytes:
    rows = [
        "channel,at,to,from,heard_name,text,id",
        "call,2026-03-01T09:30:00+08:00,+8613800138000,13900139001,欧阳先生,推荐股票,u-1",
        'sms,2026-03-01 09:31:00,+8613800138000,10690000123,,"验证码 123456, 请勿泄露",u-2',
    ]
    return ("\r\n".join(rows) + "\r\n").encode("utf-16")


def main() -> None:
    (HERE / "gbk_multipart.eml").write_bytes(gbk_mail())
    (HERE / "carrier_bill_gbk.csv").write_bytes(carrier_bill())
    (HERE / "utf16.csv").write_bytes(utf16_csv())


if __name__ == "__main__":
    main()
