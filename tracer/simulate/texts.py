"""Message templates: Chinese telemarketing and scam SMS, call notes, first-party mail and SMS.

Chinese texts follow the forms carriers enforce on 106 channels (a 【签名】 and an opt-out such
as "回T退订"). English spam texts come from the robocall corpus (see `corpus.py`); only English
first-party messages and spam mail are written here.
"""

from __future__ import annotations

from random import Random

# topic -> (SMS templates, what the user notes about such a call)
ZH: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "stocks": (
        (
            "【{sig}】{greet}今日主力资金大幅流入{stock}，明日有望涨停，添加老师微信{wx}免费领取3只牛股，回T退订",
            "【{sig}】{greet}恭喜您获得VIP内参名额，近期荐股{stock}累计上涨{pct}%，详询{cb}，拒收请回复R",
            "【{sig}】{greet}您预约的持仓诊断报告已生成，点击 {url} 查看，退订回T",
        ),
        ("推荐股票，让加微信", "说是投资顾问，推荐牛股", "荐股的，问我炒不炒股", "拉我进炒股群"),
    ),
    "used-cars": (
        (
            "【{sig}】{greet}您的爱车可享免费上门估价，今日成交再送{coupon}元油卡，详询{cb}，回T退订",
            "【{sig}】{greet}您关注的车型直降{pct}%，首付{coupon}元开回家，点击 {url} ，回T退订",
        ),
        ("问我卖不卖车", "二手车估价的", "问车要不要分期", "说我在网上登记了卖车"),
    ),
    "loans": (
        (
            "【{sig}】{greet}您有一笔{amount}元备用金待领取，3分钟到账，点击 {url} ，拒收请回复R",
            "【{sig}】{greet}您的信用额度已提升至{amount}元，日息低至0.02%，详询{cb}，回T退订",
            "【{sig}】{greet}您的借款申请已通过初审，请尽快联系{cb}完成放款，回T退订",
        ),
        ("问要不要贷款", "网贷，说额度已经批了", "贷款推销，说利息很低", "问我需不需要资金周转"),
    ),
    "real-estate": (
        (
            "【{sig}】{greet}{city}地铁口精装现房，首付{few}万起，看房专线{cb}，回T退订",
            "【{sig}】{greet}您关注的楼盘本周末开盘，到访即送{coupon}元家电券，详询{cb}，回T退订",
        ),
        ("房产中介，问买不买房", "问有没有房子要卖", "楼盘推销", "中介问我房子租不租"),
    ),
    "home-improvement": (
        ("【{sig}】{greet}您的新房可预约免费量房设计，本月签约送全屋家电，咨询{cb}，回T退订",),
        ("装修公司，问房子装修没有", "问要不要免费设计", "装修推销"),
    ),
    "shopping": (
        (
            "【{sig}】{greet}您有{coupon}元无门槛券即将过期，点击 {url} 立即使用，回T退订",
            "【{sig}】{greet}会员日全场{zhe}折起，限时抢购 {url} ，拒收请回复R",
        ),
        ("说是客服，问快递收到没有", "电商推销", "问我要不要办会员"),
    ),
    "lifestyle": (
        ("【{sig}】{greet}好友邀请您领取新人礼包，价值{coupon}元，点击 {url} ，回T退订",),
        ("推销会员", "问要不要做博主推广", "推销好物团购"),
    ),
    "short-video": (
        ("【{sig}】{greet}您的账号有{coupon}金币待提现，点击 {url} 领取，回T退订",),
        ("问要不要做直播带货", "说可以帮我涨粉", "推销直播课程"),
    ),
    "education": (
        (
            "【{sig}】{greet}孩子成绩提升有妙招，名师1对1免费试听一节，预约{cb}，回T退订",
            "【{sig}】{greet}学历提升限时优惠，报名立减{coupon}元，详询{cb}，回T退订",
        ),
        ("教育机构，问孩子几年级", "推销网课", "问要不要学历提升", "考研培训推销"),
    ),
    "insurance": (
        (
            "【{sig}】{greet}您有一份百万医疗保障待领取，首月仅需1元，点击 {url} ，回T退订",
            "【{sig}】{greet}您的保单权益即将到期，请致电{cb}办理续保，回T退订",
        ),
        ("推销保险", "问给家人买保险没有", "说有一份免费的意外险", "保险理财推销"),
    ),
    "beauty": (
        ("【{sig}】{greet}热玛吉、水光针限时{zhe}折，到店即送面部护理一次，预约{cb}，回T退订",),
        ("医美机构推销", "问要不要做皮肤管理", "推销美容卡"),
    ),
    "jobs": (
        ("【{sig}】{greet}诚招线上兼职，日结{coupon}元，添加微信{wx}，回T退订",),
        ("招兼职刷单的", "猎头，问要不要换工作", "招聘推销"),
    ),
    "delivery": (
        (
            "【{sig}】您的快递因地址不详无法派送，请点击 {url} 更新收货信息",
            "{greet}您的快递已丢失，我司将进行三倍理赔，请联系理赔专员{cb}",
        ),
        ("说快递丢了要理赔", "快递理赔，像诈骗", "说是快递客服"),
    ),
    "government": (
        (
            "【{sig}】您的ETC认证已失效，请登录 {url} 重新认证",
            "【{sig}】您的医保账户异常，请于24小时内致电{cb}核实",
        ),
        ("自称公安局，说我涉嫌洗钱", "说医保卡异常", "冒充公检法"),
    ),
    "telecom": (
        (
            "【{sig}】{greet}您的话费积分{amount}分即将清零，点击 {url} 兑换礼品",
            "【{sig}】{greet}宽带免费升级千兆，详询{cb}，回T退订",
        ),
        ("运营商推销套餐", "问要不要升级宽带", "说话费有优惠"),
    ),
    "credit-card": (
        ("【{sig}】{greet}您的信用卡可申请提额至{amount}元，回复Y办理，退订回T",),
        ("信用卡提额", "银行推信用卡分期", "办信用卡的"),
    ),
    "gambling": (("【{sig}】注册即送{coupon}元彩金，首充加赠{pct}%，{url}",), ("",)),
    "debt-collection": (
        (
            "{prev}，您的借款已逾期{days}天，请于今日18点前还款，否则将联系您的紧急联系人。",
            "请转告{prev}尽快处理名下欠款，联系电话{cb}",
        ),
        ("催收，找{prev}", "说{prev}欠钱不还", "找{prev}的"),
    ),
}

ZH_OFFERS: dict[str, tuple[str, ...]] = {
    "stocks": ("新户专享Level-2行情免费体验30天", "您订阅的盘前早报已更新"),
    "used-cars": ("您关注的车辆有新报价", "卖车享免费检测，最快当天成交"),
    "loans": ("您的可借额度已更新", "限时免息券已到账"),
    "real-estate": ("您关注的小区有新房源", "本周成交价格报告已生成"),
    "shopping": ("您有一张{coupon}元优惠券待领取", "会员日全场{zhe}折起"),
    "lifestyle": ("您关注的博主发布了新笔记", "本周好物清单已上线"),
    "short-video": ("您关注的主播正在直播", "新人提现红包已到账"),
    "education": ("您预约的试听课即将开始", "新学期课程限时优惠"),
    "insurance": ("您的保障方案已生成", "百万医疗险限时升级"),
    "beauty": ("会员专享项目限时{zhe}折", "您的体验券即将过期"),
    "jobs": ("有{few}个新职位匹配您的简历", "HR查看了您的简历"),
}
EN_OFFERS: dict[str, tuple[str, ...]] = {
    "stocks": ("Get a free stock when you fund your account this week.", "Your watchlist moved."),
    "used-cars": ("Price drop on a car you viewed.", "Get an instant cash offer for your car."),
    "loans": ("Your rate is ready. Check your offer.", "You may qualify for a higher limit."),
    "real-estate": ("New listings match your search.", "Your home value estimate changed."),
    "shopping": ("Your ${coupon} coupon expires soon.", "Flash sale: up to {pct}% off today."),
    "lifestyle": ("New picks from creators you follow.", "Your weekly roundup is here."),
    "short-video": ("Creators you follow are live now.", "Your video got new views."),
    "education": ("Your free trial lesson is waiting.", "New courses picked for you."),
    "insurance": ("Your quote is ready.", "Save up to {pct}% when you bundle."),
    "beauty": ("Members save {pct}% this weekend.", "Your sample box is ready."),
    "jobs": ("{few} new jobs match your profile.", "A recruiter viewed your profile."),
}
EN_NOTES: dict[str, tuple[str, ...]] = {
    "stocks": ("guy pitching a penny stock", "investment newsletter sales call"),
    "used-cars": ("asked if I still want to sell my car", "car warranty again"),
    "loans": ("said my loan was pre-approved", "debt consolidation pitch"),
    "real-estate": ("wants to buy my house for cash", "realtor cold call"),
    "education": ("student loan forgiveness call", "online degree program"),
    "insurance": ("health insurance quote call", "Medicare plan sales"),
    "shopping": ("said there was a problem with my order", "Amazon impersonator"),
    "lifestyle": ("free vacation offer", "TV discount offer"),
    "beauty": ("spa membership offer", "skincare sales"),
    "jobs": ("recruiter for a work-from-home job", "job offer that sounded fake"),
    "short-video": ("influencer program pitch",),
}
EN_SPAM_SUBJECTS: dict[str, tuple[str, ...]] = {
    "stocks": ("This stock could 10x before Friday", "Insider pick: {stock} is about to move"),
    "used-cars": ("Final notice: your vehicle warranty", "We want to buy your car today"),
    "loans": ("You're pre-approved for ${amount}", "Lower your payments this month"),
    "real-estate": ("Cash offer for your home", "Is your home still for sale?"),
    "education": ("Student loan forgiveness: you may qualify", "Finish your degree online"),
    "insurance": ("Your Medicare benefits update", "Coverage for just $1 a day"),
    "shopping": ("Your order #{n} could not be delivered", "Claim your ${coupon} reward"),
    "lifestyle": ("You've won a complimentary stay", "Exclusive member discount inside"),
    "beauty": ("Exclusive {pct}% off treatments", "Your free sample is waiting"),
    "jobs": ("Work from home - ${coupon}/day", "Interview invitation"),
    "government": ("Final notice before legal action", "Your case number requires attention"),
    "utility": ("Your service will be disconnected today", "Past-due balance on your account"),
    "delivery": ("Your parcel is waiting", "Delivery attempt failed"),
    "other": ("Important notice about your account", "Action required", "Re: your account"),
}
ZH_SPAM_SUBJECTS = (
    "{greet}您的专属福利已到账",
    "重要通知：请尽快处理",
    "限时{zhe}折，仅剩今天",
    "您有一条新消息待查看",
)
STOCKS = ("中科科技", "华信电子", "东方智造", "国泰新能", "天宇医药", "金石股份", "远航科技")
US_STOCKS = ("NVTX", "QBIO", "HLXR", "ZNTA", "AMVR", "KLRA")


def fill(template: str, rng: Random, **values: str) -> str:
    """`template` with its placeholders filled from `values` or drawn from plausible ranges."""
    drawn = {
        "amount": str(rng.choice((500, 1000, 2000, 5000, 8000, 20000, 50000, 200000))),
        "coupon": str(rng.choice((5, 10, 20, 50, 88, 100, 200, 500))),
        "few": str(rng.randint(3, 60)),
        "pct": str(rng.choice((15, 20, 30, 35, 50, 68))),
        "zhe": rng.choice(("3", "5", "6.8", "7", "8.8")),
        "stock": rng.choice(STOCKS),
        "days": str(rng.randint(3, 90)),
        "n": str(rng.randrange(10**7, 10**8)),
    }
    drawn.update(values)
    return template.format_map(_Default(drawn))


def verification(locale: str, brand: str, code: str, rng: Random) -> str:
    if locale.startswith("zh"):
        return rng.choice(
            (
                f"【{brand}】您的验证码是{code}，5分钟内有效，请勿泄露给他人。",
                f"【{brand}】验证码{code}，用于手机号注册，10分钟内有效。如非本人操作，请忽略本短信。",
                f"【{brand}】{code}（注册验证码），请在页面中输入完成验证。",
            )
        )
    return rng.choice(
        (
            f"{brand}: Your verification code is {code}. It expires in 10 minutes.",
            f"Your {brand} code is {code}. Don't share it with anyone.",
            f"{code} is your {brand} verification code.",
        )
    )


def marketing(locale: str, brand: str, category: str, greet: str, url: str, rng: Random) -> str:
    if locale.startswith("zh"):
        offer = fill(rng.choice(ZH_OFFERS.get(category, ZH_OFFERS["shopping"])), rng)
        return f"【{brand}】{greet}{offer}，戳 {url} 查看，回T退订"
    offer = fill(rng.choice(EN_OFFERS.get(category, EN_OFFERS["shopping"])), rng)
    return f"{brand}: {greet}{offer} {url} Reply STOP to opt out"


class _Default(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return ""
