"""Text features: categories, topics, brands, one-time codes, callback numbers, templates, names."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tracer.attribution import addressed, content, phrases
from tracer.simulate.corpus import PACKAGED

CORPUS = Path(os.environ.get("TRACER_ROBOCALLS", str(PACKAGED)))


@pytest.fixture(scope="module")
def transcripts() -> pd.DataFrame:
    return pd.read_csv(CORPUS / "metadata.csv", dtype=str)


def one(function, value, *args, **kwargs):
    """Apply a Series-level feature to a single text."""
    return function(pd.Series([value], dtype=object), *args, **kwargs).iloc[0]


# --- categories ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("炒股", "stocks"),
        ("炒股软件", "stocks"),
        ("二手车", "cars"),
        ("二手车交易平台", "cars"),
        ("网贷", "loans"),
        ("贷款", "loans"),
        ("貸款", "loans"),
        ("房产", "real-estate"),
        ("种草", "lifestyle"),
        ("小红书", "lifestyle"),
        ("催收", "debt"),
        ("火车票", "travel"),
        ("其他", "other"),
    ],
)
def test_canonical_category_maps_chinese_labels(label, category):
    assert content.canonical_category(label) == category


@pytest.mark.parametrize(
    ("label", "category"),
    [
        ("stock trading", "stocks"),
        ("Stocks", "stocks"),
        ("used cars", "cars"),
        ("used car dealership", "cars"),
        ("Real Estate", "real-estate"),
        ("real_estate", "real-estate"),
        ("E-Commerce", "shopping"),
        ("student loans", "loans"),
        ("Health Insurance", "insurance"),
        ("video streaming", "video"),
        ("real-estate", "real-estate"),
    ],
)
def test_canonical_category_maps_english_labels(label, category):
    assert content.canonical_category(label) == category


@pytest.mark.parametrize("label", [None, "", "   ", "某某", "qwerty"])
def test_canonical_category_is_none_for_missing_or_unknown_labels(label):
    assert content.canonical_category(label) is None


def test_lexicon_covers_every_category_once_and_aliases_are_unambiguous():
    lexicon = json.loads(Path(phrases.__file__).with_name("lexicon.json").read_text("utf-8"))
    assert tuple(lexicon["categories"]) == content.CATEGORIES
    assert tuple(lexicon["topics"]) == content.CATEGORIES
    assert lexicon["note"]
    owners: dict[str, str] = {}
    for category, aliases in lexicon["category_aliases"].items():
        for alias in aliases:
            assert owners.setdefault(alias.casefold(), category) == category, alias


# --- topics ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sms", "topic"),
    [
        ("【牛股天天】老师带你抓涨停牛股，加股票群领取3只金股 回T退订", "stocks"),
        ("专业配资1:10，荐股准确率90%，加微信进群", "stocks"),
        ("【XX贷】您有5万元借款额度待领取，最快3分钟下款 回T退订", "loans"),
        ("信用卡提额，网贷秒批，急用钱找我", "loans"),
        ("您的账户已逾期3天，请尽快还款，否则将联系您的紧急联系人", "debt"),
        ("学区房首付30万起，地铁口精装现房，欢迎看房", "real-estate"),
        ("高价收车，二手车上门评估，当天过户", "cars"),
        ("您的车险即将到期，续保享8折", "cars"),
        ("百万医疗保险，保费低至1元，理赔快", "insurance"),
        ("在职研究生课程免费试听，学历提升报名中", "education"),
        ("医美周年庆，玻尿酸、水光针限时特价", "beauty"),
        ("【京东】618大促，全场满300减50，点击领券", "shopping"),
        ("兼职刷单，日结工资，宝妈学生均可", "jobs"),
        ("首充送100%彩金，百家乐真人娱乐城", "gambling"),
        ("您的话费余额不足，流量套餐即将到期", "telecom"),
        ("中国领事馆提醒您，您有一份重要通知书尚未领取", "other"),
        ("您的帳戶已逾期，請盡快還款", "debt"),
    ],
)
def test_topics_of_chinese_spam_sms(sms, topic):
    assert one(content.topics, sms) == topic


@pytest.mark.parametrize(
    ("transcript", "topic"),
    [
        ("We have been trying to reach you concerning your car's extended warranty.", "cars"),
        ("An order placed for Apple iPhone 11 Pro using your Amazon account.", "shopping"),
        ("Your social security number has been suspended.", "other"),
        ("Your power will be disconnected in 30 minutes. Call the electric company.", "lifestyle"),
        ("This is about your federal student loan forgiveness application.", "loans"),
        ("You qualify for a 0% interest rate on your credit card accounts.", "loans"),
        ("Affordable health insurance plans for you and your family.", "insurance"),
    ],
)
def test_topics_of_english_robocall_sentences(transcript, topic):
    assert one(content.topics, transcript) == topic


def test_topics_are_none_without_keywords_or_on_a_tie():
    assert one(content.topics, "Hello, how are you today?") is None
    assert one(content.topics, "loan warranty") is None  # loans 2, cars 2


def test_topics_assign_a_topic_to_most_english_transcripts(transcripts):
    english = transcripts.loc[transcripts.language == "en", "transcript"]
    found = content.topics(english)
    assert found.notna().mean() >= 0.85
    assert (found.notna() & (found != "other")).mean() >= 0.5
    assert set(found.dropna()) <= set(content.CATEGORIES)


def test_topics_agree_with_campaign_tags_in_corpus_file_names(transcripts):
    expected = {
        "Amazon": "shopping", "PayPal": "shopping", "SSA": "other", "Legal": "other",
        "Utility": "lifestyle", "StudentLoan": "loans", "CCIRR": "loans", "CreditCard": "loans",
        "AutoWarranty": "cars", "AutoWarrantyExtend": "cars", "Computer": "telecom",
    }  # fmt: skip
    tag = transcripts.file_name.str.extract(r"Robocall__([A-Za-z]+)")[0]
    tagged = tag.isin(list(expected))
    found = content.topics(transcripts.transcript[tagged])
    assert tagged.sum() >= 50
    assert (found == tag[tagged].map(expected)).mean() >= 0.9


# --- brands and one-time codes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("sms", "brand"),
    [
        ("【京东】您的订单已发货", "京东"),
        ("  【 Taobao 】 双11来了", "taobao"),
        ("[Amazon] Your package has shipped.", "amazon"),
        ("［Macys］ Sale ends soon", "macys"),
        ("您的额度已提升，点击查看【招商银行】", "招商银行"),
        ("全场满300减50【拼多多】回T退订", "拼多多"),
        ("Flash sale today only [Walmart] Reply STOP to opt out", "walmart"),
    ],
)
def test_brand_signature_found_at_start_or_end(sms, brand):
    assert one(content.brand_signatures, sms) == brand


@pytest.mark.parametrize(
    "sms",
    [
        "您好，明天下午三点开会",
        "Hi, are you coming tonight?",
        "[1/2] part one",
        "中间有【品牌】的话",
    ],
)
def test_brand_signature_none_in_plain_text(sms):
    assert one(content.brand_signatures, sms) is None


@pytest.mark.parametrize(
    "sms",
    [
        "【京东】验证码123456，5分钟内有效，请勿泄露给他人。",
        "您的校验码是 8821，请在页面中输入",
        "动态码：604312（10分钟内有效）",
        "驗證碼：551234，請勿告知他人",
        "Your verification code is 482913. Do not share it.",
        "G-123456 is your Google verification code.",
        "Your OTP is 9921",
        "4821 is your code for Acme",
        "Use security code 778812 to sign in",
    ],
)
def test_is_verification_for_one_time_code_messages(sms):
    assert bool(one(content.is_verification, sms))


@pytest.mark.parametrize(
    "sms",
    [
        "【京东】618大促，全场满300减50，点击 jd.com 回T退订",
        "【XX贷】您有50000元额度待领取 回T退订",
        "请勿向任何人透露验证码",
        "Your discount code is 2024 for 20% off",
        "Call us at 800-555-0199 today",
        # a scam script near a callback number: its last four digits are no code
        "Press 1 to speak with an operator and get the confirmation code. Call 800-555-1234",
    ],
)
def test_is_verification_false_for_marketing_and_plain_text(sms):
    assert not bool(one(content.is_verification, sms))


# --- callback numbers ------------------------------------------------------------------------


def test_callback_numbers_found_in_chinese_text():
    texts = pd.Series(["回电 400-820-8820 了解详情", "有意请联系 13912345678 王经理", "联系13912345678"])
    assert content.callback_numbers(texts, "CN").tolist() == [
        ["+864008208820"],
        ["+8613912345678"],
        ["+8613912345678"],
    ]


def test_callback_numbers_skip_texts_with_fewer_than_seven_digits():
    assert one(content.callback_numbers, "按9转人工，满300减50", "CN") == []


_NUMBERISH = st.text(alphabet="0123456789٣０１ +-().\u3000 回电联系abc", max_size=40)


@settings(max_examples=300, deadline=None)
@given(st.lists(_NUMBERISH, max_size=8))
def test_callback_numbers_read_through_the_masked_texts_are_those_read_from_the_texts(texts):
    """Whether a text may hold a number is asked of its digit-masked text (a template's classes
    of characters): the numbers found are the same as reading every text (a regex per text)."""
    series = pd.Series(texts, dtype=object)
    masked = phrases.masked(series).fillna("")
    def read(text: str) -> list[str]:  # the reading every text got before masked texts were asked
        if len(content._DIGIT_ANY.findall(text)) < 7:
            return []
        found = (content._valid_number(run, "CN") for run in content._NUMBER_RUN.findall(text))
        return list(dict.fromkeys(n for n in found if n))

    expected = [read(t) for t in texts]
    assert content.callback_numbers(series, "CN", masked).tolist() == expected
    assert content.callback_numbers(series, "CN").tolist() == expected


def test_callback_numbers_with_masked_texts_find_the_number_and_skip_codes():
    texts = pd.Series(["回电 400-820-8820 了解详情", "验证码 123456 5分钟内有效 1234567", "按9转人工"])
    assert content.callback_numbers(texts, "CN", phrases.masked(texts)).tolist() == [["+864008208820"], [], []]


def test_callback_numbers_recall_corpus_transcript_numbers(transcripts):
    callers = pd.read_csv(CORPUS / "caller_ids.csv", dtype=str)
    listed = callers[callers.first_source.str.startswith("transcript:")]
    found = content.callback_numbers(transcripts.transcript, "US")
    by_file = found.groupby(transcripts.file_name).agg(lambda lists: set().union(*lists))
    files = listed.first_source.str.removeprefix("transcript:")
    hits = [phone in by_file[f] for phone, f in zip(listed.phone_e164, files, strict=True)]
    assert len(hits) == 46
    assert sum(hits) / len(hits) >= 0.9


# --- template keys ---------------------------------------------------------------------------


def test_template_keys_equal_when_only_name_number_amount_or_link_differ():
    loan = "【XX贷】尊敬的{}，您有{}万元借款额度待领取，最快{}分钟下款，点击 t.cn/{} 回T退订"
    bill = "Dear {}, your account {} is past due: pay {} at pay.example.com/{}"
    keys = content.template_keys(
        pd.Series(
            [
                loan.format("王先生", 5, 3, "A6xYz"),
                loan.format("欧阳女士", 8, 5, "Bq7Zz"),
                bill.format("John Smith", 4412, "$1,499.00", "x1"),
                bill.format("Mary Brown", 9921, "$20", "q9"),
            ]
        )
    )
    assert keys[0] == keys[1]
    assert keys[2] == keys[3]
    assert keys[0] != keys[2]
    assert all(len(k) == 16 and int(k, 16) >= 0 for k in keys)


def test_template_keys_differ_between_templates():
    keys = content.template_keys(
        pd.Series(["您有5万元借款额度待领取，最快3分钟下款", "学区房首付30万起，地铁口精装现房，欢迎看房"])
    )
    assert keys[0] != keys[1]


def test_template_keys_none_for_short_texts():
    assert one(content.template_keys, "验证码123456") is None
    assert one(content.template_keys, "ok 12:30") is None


# --- addressed surnames ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "surnames"),
    [
        ("尊敬的王先生，您的额度已到账", ["王"]),
        ("杨先生", ["杨"]),
        ("汪女士", ["汪"]),
        ("张小姐您好", ["张"]),
        ("请刘总回电", ["刘"]),
        ("陈经理您好", ["陈"]),
        ("黄老师好", ["黄"]),
        ("李姐、赵哥", ["李", "赵"]),
        ("欧阳女士您好", ["欧阳"]),
        ("司马经理", ["司马"]),
        ("诸葛先生", ["诸葛"]),
        ("王建国先生", ["王"]),
        ("感谢王女士", ["王"]),
        ("楊先生", ["楊"]),
        ("yang xiansheng", ["yang"]),
        ("Yang xs", ["yang"]),
        ("wang nvshi", ["wang"]),
        ("wang nüshi", ["wang"]),
        ("ouyang xiansheng", ["ouyang"]),
        ("Mr. Smith", ["Smith"]),
        ("Mrs Smith", ["Smith"]),
        ("Ms Smith", ["Smith"]),
        ("Miss Smith", ["Smith"]),
        ("Mr Smyth", ["Smyth"]),
        ("Mr. and Mrs. Smith", ["Smith"]),
        ("Dear John Smith,", ["Smith"]),
        ("Dear Wang Wei,", ["Wang"]),
    ],
)
def test_addressed_surnames_in_titles_and_greetings(value, surnames):
    assert one(addressed.addressed_surnames, value) == surnames


@pytest.mark.parametrize(
    ("heard", "surnames"),
    [("yang", ["yang"]), ("欧阳建国", ["欧阳"]), ("张伟", ["张"]), ("John Smith", ["Smith"])],
)
def test_addressed_surnames_of_bare_heard_names(heard, surnames):
    assert one(addressed.addressed_surnames, heard) == surnames
    assert one(addressed.addressed_surnames, heard, bare_names=False) == []


@pytest.mark.parametrize(
    "value",
    [
        "we miss you",
        "Dear Valued Customer",
        "您的语文老师提醒您",
        "各位老师好",
        "方便吗",
        "5 ms latency",
        "call me back",
        "小姐姐你好",
    ],
)
def test_addressed_surnames_ignore_words_that_are_not_names(value):
    assert one(addressed.addressed_surnames, value) == []


# --- full names and tokens -------------------------------------------------------------------


def test_full_names_finds_listed_names_in_order():
    names = ["王建国", "John Smith", "李娜"]
    found = phrases.full_names(pd.Series(["李娜您好，我是王建国的同事", "Hi JOHN  SMITH!", "你好"]), names)
    assert found.tolist() == [["李娜", "王建国"], ["John Smith"], []]


def test_full_names_prefers_longer_names_and_respects_latin_word_edges():
    names = ["王伟", "王伟华", "Ann Lee", "John Smith"]
    found = phrases.full_names(
        pd.Series(["王伟华先生", "Joann Leeds called", "John Smithson", "王伟先生"]), names
    )
    assert found.tolist() == [["王伟华"], [], [], ["王伟"]]


def test_full_names_handles_ten_thousand_names():
    names = [f"Name{i} Surname{i}" for i in range(5000)] + [f"张{i}" for i in range(5000)]
    found = phrases.full_names(pd.Series(["hello name4321 surname4321 and 张77"] * 3), names)
    assert found.iloc[0] == ["Name4321 Surname4321", "张77"]


def test_tokens_in_is_case_insensitive_and_bounded():
    tokens = ["jd.x7k2", "ZX-42"]
    found = phrases.tokens_in(
        pd.Series(["mail to JD.X7K2@example.com", "ref zx-42.", "zx-421", "ajd.x7k2b"]), tokens
    )
    assert found.tolist() == [["jd.x7k2"], ["ZX-42"], [], []]


# --- missing values and robustness -----------------------------------------------------------


def test_missing_texts_give_empty_results_and_keep_the_index():
    texts = pd.Series([None, float("nan"), "杨先生"], index=[10, 20, 30])
    assert content.topics(texts).tolist() == [None, None, None]
    assert content.brand_signatures(texts).tolist() == [None, None, None]
    assert content.is_verification(texts).tolist() == [False, False, False]
    assert content.callback_numbers(texts, "CN").tolist() == [[], [], []]
    assert content.template_keys(texts).tolist() == [None, None, None]
    assert addressed.addressed_surnames(texts).tolist() == [[], [], ["杨"]]
    assert phrases.full_names(texts, ["杨"]).tolist() == [[], [], ["杨"]]
    assert phrases.tokens_in(texts, ["x"]).index.tolist() == [10, 20, 30]


def test_empty_series_gives_empty_results():
    empty = pd.Series([], dtype=object)
    assert len(content.topics(empty)) == 0
    assert len(content.callback_numbers(empty, "US")) == 0


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=200)), max_size=5))
def test_no_function_raises_on_arbitrary_text(values):
    texts = pd.Series(values, dtype=object)
    content.topics(texts)
    content.brand_signatures(texts)
    content.is_verification(texts)
    content.callback_numbers(texts, "CN")
    content.callback_numbers(texts, "US")
    content.template_keys(texts)
    addressed.addressed_surnames(texts)
    phrases.full_names(texts, ["王伟", "John Smith", "x"])
    phrases.tokens_in(texts, [v for v in values if v][:3])
    for value in values:
        content.canonical_category(value)


@pytest.mark.parametrize(
    "value, surnames",
    [
        ("This is Ms. Harper. I was trying to reach you about your statement", []),
        ("Hi Mr. Smith, this is Mr. Jones from the billing office", ["Smith"]),
        ("王先生您好，我是平安的李经理", ["王"]),
        ("您好，我姓赵，是您的专属顾问", []),
    ],
)
def test_addressed_surnames_skip_the_callers_own_name(value, surnames):
    """Callers introduce themselves by title and name too; that name is not the user's."""
    assert addressed.addressed_surnames(pd.Series([value]), bare_names=False).iloc[0] == surnames


@pytest.mark.parametrize(
    ("text", "given", "surnames"),
    [
        # a robocall script's caller naming itself and its firm (FTC robocall transcripts)
        ("Hi, Alexa from Amazon Billing Support. We have noticed some suspicious activity", [], []),
        ("Hello, Sarah with Acme Solar, calling about your roof", [], []),
        ("Hi, Mr. Lee from Chase Bank, about your card", [], []),
        ("Hi, Susie calling about your vehicle's warranty", [], []),
        ("Hello, Lisa calling you from Chase", [], []),
        ("Hi, Mike here. Call me back", [], []),
        # greeted: a comma or a stop after the name
        ("Hi Alexa, your order has shipped", ["Alexa"], []),
        ("Hi Alexa, from all of us at Acme: thank you", ["Alexa"], []),
        ("Hi Mr. Lee, this is Sarah from Chase Bank", [], ["Lee"]),
    ],
)
def test_a_name_followed_by_its_firm_is_the_callers_own(text, given, surnames):
    """A robocall's "Hi, Alexa from Amazon Billing Support" greets nobody: the caller says who it
    is. Read as a first name greeted, it matched canary Alex Ramos on a shared number and an
    innocent platform was `leaked` (held-out worlds 5823 and 5830)."""
    assert addressed.greeted_given(text, "en_US") == given
    assert one(addressed.addressed_surnames, text, bare_names=False) == surnames


@pytest.mark.parametrize(
    ("text", "whole"),
    [
        ("请转告周淑英尽快处理名下欠款，联系电话4005736601", [("周", "淑英")]),
        ("麻烦转告一下王伟，谢谢", [("王", "伟")]),
        ("请转告欧阳建国本人回电", [("欧阳", "建国")]),
        # its surname opens it, however rare a surname its last character is (兰, 华 …)
        ("请转告袁玉兰尽快处理名下欠款，联系电话020-61436270", [("袁", "玉兰")]),
        ("请转告关丽华尽快还款", [("关", "丽华")]),
        ("请转告您的家人尽快还款", []),
        ("请转告家人，逾期将上报征信", []),
        ("这是转告信息", []),
    ],
)
def test_a_person_a_collector_asks_you_to_pass_a_message_to_is_a_name_said(text, whole):
    """Debt collectors text a debtor's emergency contacts (or a recycled number's new owner)
    "请转告周淑英…": the person named, with no title, is tied to the number; relatives are not."""
    assert addressed.whole_names_in(text, bare_names=False) == whole
    assert one(addressed.addressed_surnames, text, bare_names=False) == [s for s, _ in whole]


@pytest.mark.parametrize(
    ("value", "surnames"),
    [
        # the subject of what someone said or will do is a person talked about
        ("Mr. Randall said there was a problem with my order", []),
        ("Ms. Lee will call you tomorrow about the refund", []),
        ("Hi Mr. Smith, Mr. Jones from our office will call", ["Smith"]),
        ("Dear Mr. Fischer, your account manager Mr. Jones said the card is ready", ["Fischer"]),
        ("经理王先生说您的订单有问题", []),
        ("王先生让我转告您，额度已经批了", []),
        ("王先生您好，我们的李经理会给您回电", ["王"]),
        # someone's role before the name: a colleague, not the addressee
        ("Your agent Ms. Grant has approved the transfer", []),
        ("您的专属顾问王先生已为您预留名额", []),
        ("我们的李经理稍后给您回电", []),
        # addressed all the same: greeted, or said with a comma or a question after the name
        ("Mr. Smith, your order has shipped", ["Smith"]),
        ("Hi Mr. Fischer, for an iPhone 11 Pro", ["Fischer"]),
        ("Mr. Smithers, your order has shipped", ["Smithers"]),
        ("王先生在吗", ["王"]),
        ("王先生，您的额度已到账", ["王"]),
        ("陈经理您好", ["陈"]),
        ("感谢王女士", ["王"]),
    ],
)
def test_a_person_the_text_talks_about_is_not_the_person_it_addresses(value, surnames):
    """Messages mention people ("Mr. X said", "your agent Ms. Y", "经理王先生说", "我们的李经理"):
    a name said that way is no sign the sender has the recipient's name."""
    assert one(addressed.addressed_surnames, value, bare_names=False) == surnames
