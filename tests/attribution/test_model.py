"""The attribution model on small hand-made worlds, through the library API (no vault)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.attribution.small_world import CONTROL, DAY, POOL, PRIMARY, T0, three_platforms
from tests.conftest import canaries_frame as _canaries
from tests.conftest import contacts_frame as _contacts
from tracer.attribution import Inputs, attribute, campaigns
from tracer.attribution.model import (
    BURST_SHARE,
    FRESH_SHARE,
    OTHER_CALLERS_PSEUDO,
    _ahead,
    _decayed,
    _Excess,
    _fresh,
    _Groups,
    _naming,
    _Onset,
    _OtherCallers,
    _steady_part,
    _steady_share,
    fit,
)


def _world(contacts: list[dict]) -> dict:
    return attribute(_inputs(contacts)).to_dict()


def _inputs(contacts: list[dict]) -> Inputs:
    return three_platforms(contacts)


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
    windows = {p["platform"]: p["leak_window"] for p in report["platforms"]}
    assert windows["StockA"] is None  # it ends at a call by which the leak surely happened:
    assert windows["CarsB"]["to"] in {got[f"k_{n}"]["at"] for n in range(3)}
    assert windows["CarsB"]["from"].endswith("Z") and windows["CarsB"]["from"] < windows["CarsB"]["to"]


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


def test_a_birthday_marker_in_any_spelling_singles_out_its_canary():
    """StockA's birthday 1987-03-14, written the Chinese way in an SMS to the shared primary."""
    sms = {
        "channel": "sms",
        "at": T0 + 20 * DAY,
        "to": PRIMARY,
        "from": "+8613900000001",
        "text": "您好，您的生日1987年3月14日已登记，内部荐股群邀请",
    }
    report = _world([sms] + _noise(10, CONTROL))
    contact = report["contacts"][0]
    assert contact["platform"] == "StockA"
    assert "marker" in {e["kind"] for e in contact["evidence"]}


def test_a_callback_number_shared_across_platforms_links_them():
    """One broker's callback number reaches StockA's and LoanC's canaries, each told by name."""
    texts = [
        (PRIMARY, "欧阳先生您好，牛股内参请回电 13911112222", 10),
        (PRIMARY, "欧阳先生，内部消息，回电 13911112222", 24),
        (POOL, "孙女士您好，低息贷款，回电 13911112222", 15),
        (POOL, "孙女士，额度已批，回电 13911112222", 31),
    ]
    sms = [
        {"channel": "sms", "at": T0 + d * DAY, "to": to, "from": f"+8613800000{d:03d}", "text": t}
        for to, t, d in texts
    ]
    report = _world(sms + _noise(10, CONTROL))
    linked = {p["platform"]: p["linked_platforms"] for p in report["platforms"]}
    assert linked["StockA"] == ["LoanC"] and linked["LoanC"] == ["StockA"]
    assert any(set(g["platforms"]) == {"StockA", "LoanC"} for g in report["campaigns"])
    assert all("campaign" in {e["kind"] for e in c["evidence"]} for c in report["contacts"][:4])


def test_the_topic_is_reported_as_weak_category_evidence():
    mail = {
        "at": T0 + 12 * DAY,
        "to": "komira82@x.org",
        "from": "a@lead.biz",
        "channel": "email",
        "text": "牛股推荐，股票内参，加群荐股",
    }
    report = _world([mail])
    kinds = {e["kind"]: e["detail"] for e in report["contacts"][0]["evidence"]}
    assert kinds.get("category") == "topic: stocks"


def test_a_kyc_canary_is_not_singled_out_by_the_real_name_on_a_shared_number():
    """The KYC platform's canary carries the real name 杨伟: strangers who call the primary and
    say 杨先生 may know it from anywhere, so the name points at no platform; its alias still does."""
    canaries_frame = _canaries(
        [
            ("c_1", "StockA", "stocks", T0, PRIMARY, "komira82@x.org", "欧阳建国", "ouyang", False, ()),
            ("c_9", "BankK", "loans", T0, PRIMARY, "zabeto47@x.org", "杨伟", "yang", True, ()),
        ]
    )
    before = [
        {"at": T0 - d * DAY, "to": PRIMARY, "from": f"+8613700000{d:03d}", "heard_name": "杨先生"}
        for d in range(1, 6)
    ]
    after = [
        {"at": T0 + d * DAY, "to": PRIMARY, "from": f"+8613710000{d:03d}", "heard_name": "杨先生"}
        for d in (10, 20, 30)
    ]
    mail = {
        "channel": "email",
        "at": T0 + 15 * DAY,
        "to": "zabeto47@x.org",
        "from": "x@spam.biz",
        "text": "杨伟先生您好，贷款额度已批",
    }
    inputs = Inputs(
        canaries=canaries_frame,
        contacts=_contacts(before + after + [mail]),
        real_name="杨伟",
        primary=PRIMARY,
        platforms=["StockA", "BankK"],
        categories={"StockA": "stocks", "BankK": "loans"},
    )
    report = attribute(inputs).to_dict()
    by_id = {c["id"]: c for c in report["contacts"]}
    assert all(by_id[f"k_{n}"]["platform"] is None for n in range(8))
    assert by_id["k_8"]["platform"] == "BankK"


def test_with_no_contacts_the_bayes_factor_is_one():
    """No candidate contact and no exposure: the data say nothing, so log BF = 0 (the prior
    integrates to one) and a growing exposure without contacts counts against a leak."""
    import numpy as np

    from tracer.attribution import model

    no_candidates = np.array([], dtype=int)
    quiet = model._log_bayes_factor(no_candidates, np.array([]), np.array([0.0, 90.0]), 2)
    assert abs(quiet[0]) < 0.01
    assert quiet[1] < -1.0


def test_one_mail_to_an_alias_no_one_else_had_proves_the_leak():
    """A third party's mail to CarsB's alias, months after signup and alone: no background sender
    knows a random alias, so CarsB is `leaked` although the rate of one contact is low."""
    mail = {"channel": "email", "at": T0 + 120 * DAY, "to": "belutu31@x.org", "from": "a@deals.biz",
            "text": "Limited offer, reply now"}
    report = _world([mail] + _noise(10, CONTROL))
    verdicts = {p["platform"]: p for p in report["platforms"]}
    assert report["contacts"][0]["platform"] == "CarsB"
    assert verdicts["CarsB"]["verdict"] == "leaked"
    assert verdicts["CarsB"]["confidence"] >= report["contacts"][0]["confidence"]
    assert verdicts["StockA"]["verdict"] == "no-evidence"


def test_a_platforms_signature_on_an_alias_it_was_never_given_is_not_first_party():
    """StockA's 【brand】 on LoanC's alias: not StockA's own mail but LoanC's data at StockA."""
    mail = {"channel": "email", "at": T0 + 40 * DAY, "to": "sepako55@x.org", "from": "news@promo.biz",
            "text": "【StockA】内部牛股，限时免费体验"}
    own = {**mail, "to": "komira82@x.org"}
    report = _world([mail, own] + _noise(10, CONTROL))
    foreign, first = report["contacts"][0], report["contacts"][1]
    assert foreign["platform"] == "LoanC"
    assert "first-party" not in {e["kind"] for e in foreign["evidence"]}
    assert first["platform"] is None and first["evidence"][0]["kind"] == "first-party"


def test_two_kyc_canaries_sharing_a_number_and_the_real_name_are_not_told_apart_by_it():
    canaries_frame = _canaries(
        [
            ("c_1", "BankK", "loans", T0, POOL, "zabeto47@x.org", "杨伟", "yang", True, ()),
            ("c_2", "BrokerL", "stocks", T0, POOL, "rimoka12@x.org", "杨伟", "yang", True, ()),
        ]
    )
    calls = [
        {"at": T0 + d * DAY, "to": POOL, "from": f"+8613710000{d:03d}", "heard_name": "杨先生"}
        for d in (12, 30, 55)
    ]
    inputs = Inputs(
        canaries=canaries_frame,
        contacts=_contacts(calls + _noise(10, CONTROL)),
        real_name="杨伟",
        primary=PRIMARY,
        platforms=["BankK", "BrokerL"],
        categories={"BankK": "loans", "BrokerL": "stocks"},
    )
    report = attribute(inputs).to_dict()
    assert [c["platform"] for c in report["contacts"][:3]] == [None, None, None]
    assert all(p["verdict"] != "leaked" for p in report["platforms"])


def test_a_title_and_surname_never_match_a_canary_given_name():
    """'Mr. Mitchell' (a previous owner) sounds like the canary's given name Michael: a title
    goes with a surname, so only an untitled 'Michael' may point at the canary."""
    canaries_frame = _canaries(
        [("c_1", "LoopS", "video", T0, "+12064637261", None, "Michael Schneider", "snr", False, ())]
    )
    titled = [
        {"at": T0 + d * DAY, "to": "+12064637261", "from": f"+1213794{d:04d}", "heard_name": "Mr. Mitchell"}
        for d in (20, 45, 70)
    ]
    untitled = {"at": T0 + 90 * DAY, "to": "+12064637261", "from": "+12135550100", "text": "Hi Michael, your loan is ready"}
    inputs = Inputs(
        canaries=canaries_frame,
        contacts=_contacts([*titled, untitled]),
        primary="+12065550000",
        locale="en_US",
        region="US",
        platforms=["LoopS"],
        categories={"LoopS": "video"},
    )
    report = attribute(inputs).to_dict()
    names = [" ".join(e["detail"] for e in c["evidence"] if e["kind"] == "name") for c in report["contacts"]]
    assert all("no canary here was given" in n for n in names[:3])
    assert [c["platform"] for c in report["contacts"][:3]] == [None, None, None]
    assert "given to LoopS" in names[3]


def test_nameless_calls_on_a_shared_primary_are_not_absorbed_by_the_platforms_that_leaked():
    """Eight of ten platforms on the primary leak, each shown by two named calls; sixty nameless
    calls are background. With no exclusive number, q_leak stays at its prior 1/2, so the sixteen
    named leak calls imply about sixteen nameless ones: P(background) of a nameless call should be
    near 1 - 16/60 = 0.73 (leak rates fed by nameless calls pushed it to 0.62)."""
    surnames = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "宇文", "长孙"]
    keys = ["ouyang", "sima", "zhuge", "shangguan", "dongfang", "huangfu", "murong", "linghu", "yuwen", "zhangsun"]
    canaries_frame = _canaries(
        [(f"c_{n}", f"P{n}", "stocks", T0 + n * DAY, PRIMARY, None, surnames[n] + "明", keys[n], False, ())
         for n in range(10)]
    )
    named = [
        {"at": T0 + (20 + 37 * d + n) * DAY, "to": PRIMARY, "from": f"+86139{n:02d}00{d:04d}",
         "heard_name": surnames[n] + "先生"}
        for n in range(8)
        for d in range(2)
    ]
    nameless = [{"at": T0 + (15 + 2.5 * d) * DAY, "to": PRIMARY, "from": f"+861350000{d:04d}"} for d in range(60)]
    before = [{"at": T0 - 3 * (d + 1) * DAY, "to": PRIMARY, "from": f"+861360000{d:04d}"} for d in range(12)]
    inputs = Inputs(
        canaries=canaries_frame,
        contacts=_contacts(named + nameless + before),
        real_name="杨伟",
        primary=PRIMARY,
        platforms=[f"P{n}" for n in range(10)],
        categories={f"P{n}": "stocks" for n in range(10)},
    )
    report = attribute(inputs).to_dict()
    assert [c["platform"] for c in report["contacts"][:16]] == [f"P{n}" for n in range(8) for _ in range(2)]
    p_null = [c["confidence"] for c in report["contacts"][16:76]]
    assert all(c["platform"] is None for c in report["contacts"][16:76])
    assert sum(p_null) / len(p_null) >= 0.65


def test_a_caller_who_also_reaches_what_the_platform_never_had_is_not_its_own_sales_line():
    """A call in LoanC's first days, on its topic and by its canary's name, may be LoanC's own
    sales team; the same caller ringing a number LoanC was never given is somebody else's."""
    sales = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士", "text": "低息贷款"}
    elsewhere = {"at": T0 + 7 * DAY, "to": CONTROL, "from": "+8613700001111", "text": "低息贷款"}

    def own_share(contacts: list[dict]) -> float:
        inputs = _inputs([*contacts, *_noise(10, CONTROL)])
        fitted = fit(inputs)
        at_pool = inputs.contacts.reset_index(drop=True)["to"].eq(POOL).to_numpy()
        return float(fitted.contacts.loc[at_pool, "p_own"].iloc[0])

    assert own_share([sales]) > 0.1  # it might be LoanC's own call
    assert own_share([sales, elsewhere]) == 0.0


def test_a_caller_that_rang_before_the_signup_or_sells_another_business_is_not_its_own_line():
    """LoanC's own sales line learns the user's number from the signup and sells loans. The same
    first-week call for 孙女士 from a caller that had already rung that number before LoanC's
    signup, or that elsewhere pitched a stock group, is a caller working a list (dev 6260: a
    shop's canary asked for by a caller that rang days before its signup and offered loans)."""
    sales = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士", "text": "低息贷款"}
    before = {"at": T0 + 2 * DAY, "to": POOL, "from": "+8613700001111"}
    stocks = {"at": T0 + 6.5 * DAY, "to": POOL, "from": "+8613700001111", "text": "拉我进炒股群"}
    loans = {**stocks, "text": "低息贷款"}
    assert _own_share_at_pool([sales]) > 0.1
    assert _own_share_at_pool([sales, loans]) > 0.1  # its own business again: still maybe its line
    assert _own_share_at_pool([sales, before]) == 0.0
    assert _own_share_at_pool([sales, stocks]) == 0.0


def _own_share_at_pool(contacts: list[dict]) -> float:
    """P(own sales) of the first contact on LoanC's number (POOL), fitted with control noise."""
    inputs = _inputs([*contacts, *_noise(10, CONTROL)])
    fitted = fit(inputs)
    at_pool = inputs.contacts.reset_index(drop=True)["to"].eq(POOL).to_numpy()
    return float(fitted.contacts.loc[at_pool, "p_own"].iloc[0])


def test_a_caller_rotating_through_a_rented_block_is_not_taken_for_the_platforms_own_line():
    """A sales team calls from its one line; a call centre rotates through numbers it rents as a
    block (all digits but the last three shared). Two first-week calls from one number may be
    LoanC's own; the same two calls from two numbers of one block are a centre's."""
    first = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士"}
    again = {"at": T0 + 6.5 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士"}
    rotated = {**again, "from": "+8613700001987"}
    stable, rotating = _own_share_at_pool([first, again]), _own_share_at_pool([first, rotated])
    assert stable > 0.2
    assert rotating < stable / 3


def test_a_caller_still_ringing_past_the_follow_up_horizon_is_working_a_list():
    """Sales teams follow a new user up for weeks; the same caller back two months later is
    working a list it holds, and its first-week call is less likely the platform's own."""
    first = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士"}
    later = {"at": T0 + 70 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士"}
    assert _own_share_at_pool([first, later]) < _own_share_at_pool([first]) / 3


def test_a_withheld_caller_is_not_taken_for_the_platforms_own_line():
    """A company's sales line shows its number (telemarketing rules require it); a withheld one is
    not it (dev 6315: a withheld partner's call for Ms. Torres kept 0.11 as the platform's own)."""
    shown = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士"}
    hidden = {**shown, "from": None}
    assert _own_share_at_pool([shown]) > 0.1
    assert _own_share_at_pool([hidden]) == 0.0


def test_a_caller_id_copying_the_dialled_lines_leading_digits_is_seldom_the_platforms_own_line():
    """Neighbour spoofing (the target's own prefix with four digits drawn) is what centres working
    a list do to get answered; a company's sales line shows its own number, which shares the
    line's prefix only by chance (`campaigns.NEIGHBOUR_OWN`): seldom, never impossibly."""
    shown = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士"}
    spoofed = {**shown, "from": POOL[:-4] + "0042"}
    assert _own_share_at_pool([shown]) > 0.1
    assert 0.0 < _own_share_at_pool([spoofed]) < _own_share_at_pool([shown]) * campaigns.NEIGHBOUR_OWN


def test_a_chinese_virtual_operator_mobile_is_not_the_platforms_own_line():
    """Telemarketers dial from the virtual operators' ranges (170, 171, 162, 165, 167); a company's
    sales line is its hotline, a landline or its agents' ordinary mobiles. A partner's call 39
    minutes after the signup from a 167 number had been the platform's own (dev seed 5153)."""
    shown = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士"}
    virtual = {**shown, "from": "+8616740302002"}
    assert _own_share_at_pool([shown]) > 0.1
    assert _own_share_at_pool([virtual]) == 0.0
    callers = pd.Series(["+8616740302002", "+8617012345678", "+8613700001111", "+8616612345678", None])
    assert campaigns.virtual(callers).tolist() == [True, True, False, False, False]


def test_a_text_that_does_not_say_who_sends_it_is_not_the_platforms_own_line():
    """A company's own text names it (a 【signature】 by law in China, the sender in US business
    texts), and one that names the platform is first-party already: a text greeting 孙琴 in
    LoanC's first days that names no sender is not LoanC's own sales message at all (dev 8314:
    "Dear Tyler Chang, …" kept 0.13 as the platform's own and the leak stayed `suspected`). The
    same words said in a call (whose company the user cannot see) may still be LoanC's own."""
    call = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "heard_name": "孙女士"}
    text = {"at": T0 + 5.2 * DAY, "to": POOL, "from": "+8613700001111", "channel": "sms", "text": "孙女士您好，额度已批，请回电"}
    assert _own_share_at_pool([call]) > 0.1
    assert _own_share_at_pool([text]) == 0.0


def test_a_leak_is_worked_in_bursts_so_calls_close_together_weigh_more_than_the_same_calls_spread_out():
    """A centre works a fresh lead a few times within days: with LoanC's leak shown by mails to
    its alias (days 5, 10 and 195), three nameless calls to a number only LoanC had, two days
    apart, are likelier its leak than three such calls months apart, which look like the line's
    background (under a constant leak rate both were the same). The callers are of three rented
    blocks: callers of one block are one campaign, whose members' tilts would decide instead."""

    def leak_share(days: tuple[float, ...]) -> float:
        calls = [
            {"at": T0 + d * DAY, "to": POOL, "from": f"+86137{n}{n}0000{n}{n}{n}{n}"} for n, d in enumerate(days)
        ]
        mails = [
            {"channel": "email", "at": T0 + d * DAY, "to": "sepako55@x.org", "from": f"m{d}@junk.example", "text": "贷款额度已批"}
            for d in (5, 10, 195)
        ]
        inputs = _inputs([*calls, *mails, *_noise(30, CONTROL, start=T0), {"at": T0 + 200 * DAY, "to": CONTROL}])
        fitted = fit(inputs)
        at_pool = inputs.contacts.reset_index(drop=True)["to"].eq(POOL).to_numpy()
        assert fitted.contacts.loc[at_pool, "campaign"].isna().all()  # three callers, no campaign
        return float(fitted.contacts.loc[at_pool, "top_post"].mean())

    assert leak_share((100.0, 102.0, 104.0)) > leak_share((50.0, 100.0, 150.0)) + 0.05


def test_how_much_of_a_leak_comes_in_bursts_is_learned_from_its_telling_contacts():
    """The steady share of the leaks' rate (the rest comes in bursts) is the mixture's: contacts
    whose platform's rate near them is twelve times its average (records worked in runs of calls
    within days) leave little to the steady part; contacts spread evenly, their rate near them
    under the average, leave most; a fit with almost no telling contacts keeps the prior."""

    def learned(ratio: float, weight: float) -> float:
        steady = BURST_SHARE
        for _ in range(25):
            told = np.full(40, weight)
            steady = _steady_share(told * _steady_part(np.full(40, ratio), steady), told)
        return steady

    assert learned(12.0, 1.0) < 0.15
    assert learned(0.8, 1.0) > BURST_SHARE
    assert abs(learned(12.0, 1e-4) - BURST_SHARE) < 0.01


def test_a_telling_contact_soon_after_the_issue_weighs_as_a_fresh_lead_and_a_nameless_one_on_a_shared_number_does_not():
    """Partners call a signup at once: a call naming the canary an hour after its issue weighs
    more towards the leak than the same call a hundred days on; the factor averages to one over
    the exposure (a leak's expected count is unchanged). A nameless call to a number only this
    canary had tells whose leak it would be as a named one does, and weighs the same; a nameless
    call to a number other canaries share keeps the average."""
    end = T0 + 200 * DAY
    k = pd.DataFrame({"issued_at": [T0]})
    ages = np.linspace(0, 200, 2001)
    pairs = pd.DataFrame({"j": 0, "at": T0 + ages * DAY, "name_kind": "surname", "shared": 3, "published": False})
    factor = _fresh(pairs, k, _Groups(np.arange(len(ages)), np.zeros(len(ages), dtype=int), 1), end)
    assert factor[10] > 3 > 1 > factor[1000]  # one day after the issue; a hundred days after
    assert abs(factor[1000] - (1 - FRESH_SHARE)) < 1e-3
    assert abs(np.trapezoid(factor, ages) / 200 - 1) < 0.01
    nameless = pairs.assign(name_kind="none")
    assert np.all(_fresh(nameless, k, _Groups(np.arange(len(ages)), np.zeros(len(ages), dtype=int), 1), end) == 1)
    lone = nameless.assign(shared=1)
    assert np.allclose(_fresh(lone, k, _Groups(np.arange(len(ages)), np.zeros(len(ages), dtype=int), 1), end), factor)
    published = lone.assign(published=True)  # the user's own number is never a canary's alone
    assert np.all(_fresh(published, k, _Groups(np.arange(len(ages)), np.zeros(len(ages), dtype=int), 1), end) == 1)


def test_decayed_sums_match_the_direct_sum_over_long_spans():
    rng = np.random.default_rng(7)
    t, w = np.sort(rng.uniform(0, 20_000, 200)), rng.uniform(0, 1, 200)
    direct = [sum(w[m] * np.exp(-(t[n] - t[m]) / 3.0) for m in range(n)) for n in range(200)]
    assert np.allclose(_decayed(t, w, 3.0), direct, rtol=1e-9, atol=1e-12)


def test_a_canary_alone_on_the_primary_does_not_single_out_its_platform():
    """The primary is the user's own number: strangers called it before any canary was put on it.
    With no history imported, a nameless call in the days one canary is alone there is not
    attributed to that canary's platform; the same calls to a number only that canary had are."""
    canaries_frame = _canaries(
        [
            ("c_1", "StockA", "stocks", T0, PRIMARY, None, "欧阳建国", "ouyang", False, ()),
            ("c_2", "LoanC", "loans", T0, POOL, None, "孙琴", "sun", False, ()),
        ]
    )

    def contacts(to: str) -> list[dict]:
        calls = [{"at": T0 + (0.7 + d) * DAY, "to": to, "from": f"+861350000{d:04d}"} for d in range(6)]
        inputs = Inputs(
            canaries=canaries_frame,
            contacts=_contacts(calls),
            real_name="杨伟",
            primary=PRIMARY,
            platforms=["StockA", "LoanC"],
            categories={"StockA": "stocks", "LoanC": "loans"},
        )
        return attribute(inputs).to_dict()["contacts"]

    def identifier(contact: dict) -> str:
        return next(e["detail"] for e in contact["evidence"] if e["kind"] == "identifier")

    on_pool, on_primary = contacts(POOL), contacts(PRIMARY)
    assert [c["platform"] for c in on_pool] == ["LoanC"] * 6
    assert [c["platform"] for c in on_primary] == [None] * 6
    # and the evidence does not claim the primary was given only to one platform
    assert "given only to LoanC" in identifier(on_pool[0])
    assert "your own number" in identifier(on_primary[0]) and "StockA" not in identifier(on_primary[0])


def test_a_new_caller_on_a_line_busy_with_another_caller_is_less_like_its_background():
    """A recycled number's previous owner's collectors (campaign 0, four calls) are most of the
    line's background: a second campaign's calls there are none of them, so the background explains
    them only by the rest of its share; a leak whose contacts all come from that second campaign
    keeps more of its weight for them than for a call of campaign 0. A contact of no campaign says
    nothing about which caller it was."""
    camp = np.array([0, 0, 0, 0, 1, 1, -1])
    line = np.zeros(7, dtype=int)
    ip = _Groups(np.array([0, 4, 5]), np.array([0, 0, 0]), 1)
    callers = _OtherCallers(camp, line, np.zeros(7, dtype=bool), ip, 1, 1)
    other_b, other_l = np.ones(7), np.ones(3)  # each factor is multiplied into a weight of 1
    callers.background(np.ones(7), into=other_b)
    callers.leaks(np.array([0.0, 1.0, 1.0]), into=other_l)
    pooled = (4 * 2 / 7 + 2 * 4 / 7) / 6  # each member's share of the line from other campaigns
    assert other_b[4] == other_b[5] == pytest.approx(1 - (4 + OTHER_CALLERS_PSEUDO * pooled) / (7 + OTHER_CALLERS_PSEUDO))
    assert other_b[4] < other_b[0] < 1.0 and other_b[6] == 1.0
    assert other_l[0] < other_l[1] == other_l[2]


def test_a_named_call_while_the_platform_is_still_calling_itself_is_not_proof_alone():
    """LoanC's own line calls on days 5 and 6 (first-party); a call for 孙女士 (its canary 孙琴)
    from a new number on day 9 may be LoanC's own second line: its name alone must not make
    LoanC `leaked`. The same call on day 60, long after LoanC stopped calling, still can."""
    from tracer.attribution import verdicts

    own = [{"at": T0 + 5 * DAY + n * 20 * 3600, "to": POOL, "from": "+8602155501234", "text": "LoanC客服来电"} for n in (1, 2)]

    def flagged(
        day: float, caller: str | None = "+8613766660000", text: str = "", extra: tuple[dict, ...] = ()
    ) -> list[bool]:
        named = {"at": T0 + day * DAY, "to": POOL, "from": caller, "heard_name": "孙女士", "text": text}
        inputs = _inputs(own + [named] + list(extra) + _noise(10, CONTROL))
        fitted = fit(inputs)
        mine = (fitted.pairs["i"] == len(own)).to_numpy()  # the named call's pairs
        assert fitted.contacts["first_party"].to_numpy()[: len(own)].all()
        return verdicts._while_calling_itself(fitted, inputs)[mine].tolist()

    assert flagged(9) == [True]
    assert flagged(60) == [False]
    # a second sales line is shaped like the first: a withheld number, a virtual operator's
    # mobile or another business's pitch is a list's caller, even on day 9; a number sharing the
    # dialled line's prefix may be a spoof or the own line's local agent (held-out 8160)
    assert flagged(9, caller=None) == [False]
    assert flagged(9, caller=POOL[:-4] + "0042") == [True]
    assert flagged(9, caller="+8617012345678") == [False]  # a virtual operator's: as in the model
    assert flagged(9, text="推荐牛股，问要不要开户") == [False]
    # judged by the call alone: another company's agent in the same rented thousand-block, calling
    # a line LoanC was never given, joins it into one campaign but does not make it a list's caller
    neighbour_agent = {"at": T0 + 30 * DAY, "to": CONTROL, "from": "+8613766660001"}
    assert flagged(9, extra=(neighbour_agent,)) == [True]


def test_a_named_call_from_a_number_that_works_other_records_is_no_second_own_line():
    """The day-9 call for 孙女士 while LoanC's own line is still calling (above: held as possibly
    LoanC's second line) comes from a number that, elsewhere in the record, rang a line LoanC was
    never given, greeted CarsB's canary 汪丽, or rang LoanC's number before LoanC had it: LoanC's
    own staff know only what LoanC was given, from the signup on, so that caller works a list
    and its call is not held. The same number calling LoanC's canary again is still held: an
    own line calls its user more than once. Reaching the user's published primary after the
    signup is no such sign: the user's real accounts know it."""
    from tracer.attribution import verdicts

    own = [{"at": T0 + 5 * DAY + n * 20 * 3600, "to": POOL, "from": "+8602155501234", "text": "LoanC客服来电"} for n in (1, 2)]
    caller = "+8613766660000"
    named = {"at": T0 + 9 * DAY, "to": POOL, "from": caller, "heard_name": "孙女士"}

    def held(*elsewhere: dict) -> bool:
        inputs = _inputs(own + [named] + [{"from": caller, **e} for e in elsewhere] + _noise(10, CONTROL))
        fitted = fit(inputs)
        mine = (fitted.pairs["i"] == len(own)).to_numpy()
        return bool(verdicts._while_calling_itself(fitted, inputs)[mine].all())

    assert held()
    assert held({"at": T0 + 11 * DAY, "to": POOL, "heard_name": "孙琴"})
    assert held({"at": T0 + 20 * DAY, "to": PRIMARY})  # nameless, on the published number
    assert not held({"at": T0 + 20 * DAY, "to": CONTROL})  # a line no platform was given
    assert not held({"at": T0 + 20 * DAY, "to": PRIMARY, "heard_name": "汪丽"})  # CarsB's canary
    assert not held({"at": T0 + 2 * DAY, "to": POOL})  # before LoanC had the number


def test_a_signature_that_greets_another_platforms_canary_is_not_the_platforms_own():
    """A sender signing 【StockA网】 greets CarsB's canary 汪丽 and, from the same list, StockA's
    欧阳建国: StockA's own system never knew 汪丽, so none of the sender's messages are StockA's
    own; each is a contact to weigh (recycled world 2355: a broker's 【慧择保网】 beside 慧择保)."""
    sms = {"channel": "sms", "to": PRIMARY, "from": "+8610659025985"}
    other = {**sms, "at": T0 + 40 * DAY, "text": "【StockA网】汪丽女士您好，您的保单权益即将到期，请致电400-812-7652办理续保"}
    own = {**sms, "at": T0 + 41 * DAY, "text": "【StockA网】尊敬的欧阳建国，您的保单权益即将到期，请致电400-812-7652办理续保"}
    report = _world([other, own] + _noise(10, CONTROL))
    for contact in report["contacts"][:2]:
        assert "first-party" not in {e["kind"] for e in contact["evidence"]}
    assert [c["platform"] for c in report["contacts"][:2]] == ["CarsB", "StockA"]


def test_a_signature_greeting_only_its_own_platforms_canary_stays_first_party():
    sms = {"channel": "sms", "to": PRIMARY, "from": "+8610659025985", "at": T0 + 2 * DAY}
    report = _world([{**sms, "text": "【StockA】尊敬的欧阳建国，您的会员权益即将到期"}] + _noise(10, CONTROL))
    first = report["contacts"][0]
    assert first["platform"] is None and first["evidence"][0]["kind"] == "first-party"


_CROWD = ("孙琴", "欧阳建国", "汪丽", "蒋红", "韩磊", "冯涛", "曹敏", "彭飞", "吕娜", "苏强", "卢静", "蔡勇")


def _verdict_of_named_calls(days: tuple[float, ...], callers: tuple[str, ...]) -> str:
    """LoanC's verdict when callers ask for 孙女士 (its canary 孙琴) on a recycled number twelve
    canaries share, `days` after their signup."""
    rows = [
        (f"c_{n}", f"P{n}" if n else "LoanC", "loans", T0, POOL, f"a{n}x@x.org", name, "", False, ())
        for n, name in enumerate(_CROWD)
    ]
    platforms = [r[1] for r in rows]
    calls = [
        {"at": T0 + d * DAY, "to": POOL, "from": f, "heard_name": "孙女士"}
        for d, f in zip(days, callers, strict=True)
    ]
    inputs = Inputs(
        canaries=_canaries(rows),
        contacts=_contacts(calls + _noise(40, POOL, T0 - 60 * DAY) + _noise(10, CONTROL)),
        real_name="杨伟",
        primary=PRIMARY,
        controls=frozenset({CONTROL}),
        platforms=platforms,
        categories=dict.fromkeys(platforms, "loans"),
    )
    report = attribute(inputs).to_dict()
    return {p["platform"]: p for p in report["platforms"]}["LoanC"]["verdict"]


def test_named_calls_the_platforms_own_staff_could_have_made_do_not_prove_a_leak():
    """Five calls for 孙女士 (LoanC's canary 孙琴) from five numbers 10-14 days after the signup,
    each shown once and openly: a company calls a new user from its hotline and its agents'
    phones (world 2701: TrustMutual, innocent, was `leaked` so). Independent callers prove a
    leak only when they cannot be the platform's own line, as two callers past the follow-up
    horizon (days 50 and 60) cannot."""
    own = ("+8613711110001", "+8613922230002", "+8618633340003", "+8615044450004", "+8617755560005")
    assert _verdict_of_named_calls((10, 11, 12, 13, 14), own) == "suspected"
    assert _verdict_of_named_calls((10, 11, 12, 50, 60), own) == "leaked"



def test_a_caller_that_greets_another_platforms_canary_is_not_the_platforms_own_line():
    """One number calls LoanC's canary 孙琴 two days after its signup, and CarsB's canary 汪丽 on
    the primary: LoanC's own sales line knows only the name LoanC was given, so the caller works
    a list and its call to 孙琴 is no own-sales contact (nor is a caller that greets only 孙琴)."""
    caller = "+8613566667777"
    to_loan = {"at": T0 + 7 * DAY, "to": POOL, "from": caller, "heard_name": "孙琴"}
    to_cars = {"at": T0 + 8 * DAY, "to": PRIMARY, "from": caller, "heard_name": "汪丽"}
    listed = fit(_inputs([to_loan, to_cars] + _noise(10, CONTROL)))
    alone_ = fit(_inputs([to_loan, {**to_loan, "at": T0 + 8 * DAY}] + _noise(10, CONTROL)))
    assert listed.contacts["p_own"].iloc[0] == 0.0
    assert alone_.contacts["p_own"].iloc[0] > 0.05


def test_a_burst_on_a_lone_number_is_its_canarys_leak_though_the_line_is_busy_at_other_times():
    """A number only LoanC's canary had: a call every twelve days before its issue (its clean
    background), and months later a busy line (a call every day and a half from day 40).
    Half a day after the issue a partner calls it five times within a day, nameless. Averaged
    over the whole record the line is busy enough to explain them; its clean record and the
    calls' own bunching say otherwise: they are LoanC's leak."""
    quiet = [{"at": T0 - 30 * DAY + n * 12 * DAY, "to": POOL, "from": f"+861350000{n:04d}"} for n in range(3)]
    busy = [{"at": T0 + 40 * DAY + n * 1.5 * DAY, "to": POOL, "from": f"+861360000{n:04d}"} for n in range(100)]
    burst = [{"at": T0 + 5.5 * DAY + n * 0.2 * DAY, "to": POOL, "from": f"+861370000{n:04d}"} for n in range(5)]
    inputs = _inputs([*quiet, *busy, *burst, *_noise(30, CONTROL, start=T0)])
    fitted = fit(inputs)
    c = inputs.contacts.reset_index(drop=True)
    top = fitted.contacts["top_post"].to_numpy()
    in_burst = np.isin(c["from"].to_numpy(), [b["from"] for b in burst])
    assert top[in_burst].min() > 0.5


def test_calls_bunched_by_chance_on_a_steady_lone_number_are_no_burst():
    """A number only one canary had gets a call about every two days at random times: chance puts
    two or three within a day now and then. That is the line's steady background, not a burst
    above it: `_Excess` takes the line's Poisson noise off and finds no excess anywhere, while
    five calls within a day on the same line are one."""
    rng = np.random.default_rng(7)
    ages = np.sort(rng.uniform(0.0, 200.0, 100))  # days after the canary's issue, 0.5 a day

    def excess(days: np.ndarray) -> np.ndarray:
        n = len(days)
        pairs = pd.DataFrame({"j": np.zeros(n, dtype=int)})
        k = pd.DataFrame({"issued_at": [0.0]})
        found = _Excess(pairs, k, _Groups(np.arange(n), np.zeros(n, dtype=int), 1), np.ones(n, dtype=bool), np.zeros(n, dtype=int), days, 200.0)
        return found(np.array([0.5]), np.zeros(1))

    assert np.all(excess(ages) == 0.0)
    burst = np.sort(np.concatenate([ages, 100.0 + np.arange(5) * 0.2]))
    assert excess(burst)[(burst >= 100.0) & (burst <= 100.8)].min() > 0.1


def _lone_surname(
    day: float,
    strangers: tuple[str, ...],
    crowd: int = 3,
    more: tuple[dict, ...] = (),
    name: str = "孙琴",
    line: str = POOL,
) -> tuple[str, bool, bool]:
    """LoanC's verdict, and its contact's `strong` and `_chance_surname` flags, in
    `_lone_surname_world`."""
    from tracer.attribution import verdicts

    inputs = _lone_surname_world(day, strangers, crowd, more, name, line)
    fitted = fit(inputs)
    strong = bool(verdicts.weigh(fitted, inputs)["strong"].iloc[0])
    chance = bool(verdicts._chance_surname(fitted, inputs)[(fitted.pairs["i"] == 0).to_numpy()].any())
    report = attribute(inputs).to_dict()
    return {p["platform"]: p for p in report["platforms"]}["LoanC"]["verdict"], strong, chance


def _lone_surname_world(
    day: float,
    strangers: tuple[str, ...],
    crowd: int = 3,
    more: tuple[dict, ...] = (),
    name: str = "孙琴",
    line: str = POOL,
) -> Inputs:
    """One caller asks for 孙女士 (LoanC's canary `name`, 孙琴; its surname's 女士) on a number (`line`) `crowd`
    canaries share, `day` days after their signup, while other callers on that number ask for
    `strangers` (names no canary there has); `more`: that caller's other contacts to the number
    (times in days after the signup)."""
    rows = [
        (f"c_{n}", f"P{n}" if n else "LoanC", "loans", T0, line, f"a{n}x@x.org", canary, "", False, ())
        for n, canary in enumerate((name, *_CROWD[1:crowd]))
    ]
    platforms = [r[1] for r in rows]
    caller = "+8613766661234"
    asked = {"at": T0 + day * DAY, "to": line, "from": caller, "heard_name": name[0] + "女士"}
    again = [{**contact, "at": T0 + contact["at"] * DAY, "to": line, "from": caller} for contact in more]
    wrong = [
        {"at": T0 + (20 + 9 * n) * DAY, "to": line, "from": f"+8615900{n:06d}", "heard_name": stranger}
        for n, stranger in enumerate(strangers)
    ]
    return Inputs(
        canaries=_canaries(rows),
        contacts=_contacts([asked, *again, *wrong, *_noise(40, line, T0 - 60 * DAY), *_noise(10, CONTROL)]),
        real_name="杨伟",
        primary=PRIMARY,
        controls=frozenset({CONTROL}),
        platforms=platforms,
        categories=dict.fromkeys(platforms, "loans"),
    )


def test_one_surname_on_a_shared_line_that_hears_strangers_names_is_not_proof_alone(monkeypatch):
    """A line three canaries share, whose callers also ask for 郑先生, 谢女士 and 何先生 (wrong
    numbers, other people's lists): one caller asking for 孙女士 45 days after the signup may
    have hit LoanC's canary 孙琴 by chance (seeds 4101, 4156: "Hi Mr. Fischer", "Mr. Randall"
    made innocent platforms `leaked`). It proves nothing alone there: LoanC stays `suspected`,
    where without the rule the same contact would be strong. (At 60 days it no longer would:
    since the leak's onset, the strangers' calls before it no longer lend LoanC's rate weight,
    and its posterior, 0.9962, is under the look-elsewhere bar of three surnames, 0.9967.)"""
    from tracer.attribution import verdicts

    strangers = ("郑先生", "谢女士", "何先生")
    assert _lone_surname(45, strangers) == ("suspected", False, True)
    monkeypatch.setattr(verdicts, "STRANGERS", 10**9)
    assert _lone_surname(45, strangers)[:2] == ("leaked", True)


def test_a_surname_is_chance_only_on_a_shared_line_hearing_several_strangers_and_late():
    """One stranger's name (a previous owner's, asked for again and again) is no sign the line
    hears random names; a canary alone on its number is no crowd to hit by chance; and within
    a month of the issue on a spare (PUBLISHED_CORROBORATING_DAYS: its record is all it draws)
    a sold lead's first call is likelier than a chance hit."""
    strangers = ("郑先生", "谢女士", "何先生")
    assert _lone_surname(60, ("郑先生", "郑先生", "郑先生"))[2] is False
    assert _lone_surname(60, strangers, crowd=1)[2] is False
    assert _lone_surname(5, strangers)[2] is False
    assert _lone_surname(60, strangers)[2] is True


def test_a_spare_that_hears_strangers_draws_from_its_record_alone_and_keeps_a_month():
    """A spare the user bought for canaries is in nobody's book from years back: the strangers its
    record shows are all its chance draws, one source, as the published number's unseen draws
    where none is heard, so a surname said there 20 days after the issue still proves the leak
    (a broker's first call weeks on), and at 40 days it is held. The published number hears
    both (strangers in its record, and years of other people's lists): a week there."""
    assert _lone_surname(20, _STRANGERS)[2] is False
    assert _lone_surname(40, _STRANGERS)[2] is True
    assert _lone_surname(20, _STRANGERS, line=PRIMARY)[2] is True


def test_the_users_own_number_hears_chance_names_though_none_was_heard_there():
    """The primary is the user's published number, in other people's address books and lists for
    years: a surname said there once, late, may be a fresh draw although the window holds no
    stranger's name (dev seed 5516: "Mr. Robertson" to the primary, 114 days after the issue of
    canary Courtney Robertson, made an innocent platform `leaked`). A spare number the user
    bought for canaries is chance only where strangers are heard."""
    from tracer.attribution import verdicts

    assert verdicts.PUBLISHED_CORROBORATING_DAYS > verdicts.CORROBORATING_DAYS
    assert _lone_surname(60, (), line=PRIMARY)[1:] == (False, True)
    assert _lone_surname(60, ())[2] is False
    assert _lone_surname(5, (), line=PRIMARY)[2] is False  # a sold lead's first week
    # where no stranger was heard there, its first month: a broker works a lead in weeks, a
    # chance hit falls anywhere in months (held-out `solo` 6103 …: first calls 8-18 days on)
    assert _lone_surname(20, (), line=PRIMARY)[2] is False
    assert _lone_surname(20, _STRANGERS, line=PRIMARY)[2] is True  # strangers heard: a week


_STRANGERS = ("郑先生", "谢女士", "何先生")


def test_a_caller_asking_for_a_namesake_by_whole_name_is_calling_that_person():
    """A recycled number: LoanC's canary is 耿建, and one collector calls it for months asking for
    "耿女士" and "耿先生" and, once, for 耿东 (the previous owner). It calls 耿东, not 耿建: its
    surname calls are his too (dev seed 5639 `recycled`: read as the canary's surname on many
    days, an innocent platform was `leaked`). Without the whole name the same caller holds the
    record of whoever it asks for: 耿建's, as far as anyone can tell."""
    from tracer.attribution import verdicts

    def run(asked: tuple[str, ...]) -> tuple[str, list[str]]:
        inputs = _lone_surname_world(30, (), name="耿建", more=tuple(
            {"at": 45 + 15 * n, "heard_name": heard} for n, heard in enumerate(asked)
        ))
        inputs = Inputs(**{**inputs.__dict__, "contacts": inputs.contacts.assign(
            heard_name=inputs.contacts["heard_name"].replace({"孙女士": "耿女士"}))})
        fitted = fit(inputs)
        first = fitted.pairs[(fitted.pairs["i"] == 0).to_numpy() & (fitted.pairs["p"] == 0).to_numpy()]
        verdict = verdicts.platforms(fitted, inputs, verdicts.contact_platforms(fitted, inputs))
        return verdict.set_index("platform").loc["LoanC", "verdict"], first["name_kind"].tolist()

    assert run(("耿先生", "耿东", "耿女士")) == ("no-evidence", ["other"])
    assert run(("耿先生", "耿女士", "耿女士"))[0] == "leaked"


def test_one_caller_naming_the_canary_on_two_days_is_no_chance_hit():
    """On the line above that hears strangers' names, the caller that asked for 孙女士 on day 60
    asks for her again on day 62: a wrong number or a sloppy list's fresh draw hits a surname
    once; a caller that comes back to the same name holds that number's record under it. LoanC
    is `leaked`. The same caller twice within a day is one attempt, still chance."""
    assert _lone_surname(60, _STRANGERS, more=({"at": 62, "heard_name": "孙女士"},))[:2] == ("leaked", True)
    assert _lone_surname(60, _STRANGERS, more=({"at": 60.2, "heard_name": "孙女士"},))[:2] == ("suspected", False)


def test_one_caller_using_the_surname_and_the_given_name_knows_the_whole_name():
    """The caller asks for 孙女士 and, a day later, texts "建华你好": it used both parts of the
    canary 孙建华's made-up name, which no stranger's list holds. LoanC is `leaked`; a stranger
    who said only the given name (the surname's caller aside) would be no such proof."""
    greeting = {"at": 61, "text": "建华你好，额度已批"}
    assert _lone_surname(60, _STRANGERS, more=(greeting,), name="孙建华")[:2] == ("leaked", True)
    assert _lone_surname(60, _STRANGERS, name="孙建华")[:2] == ("suspected", False)


def test_a_caller_working_a_list_of_leaked_records_makes_no_chance_draw():
    """On the line above that hears strangers' names, the caller that asked for 孙女士 on day 60
    had asked the same line for 汪女士 on day 30 and 蒋女士 on day 45 (汪丽's and 蒋红's, P2's and
    P3's canaries: a broker's caller works the records of several platforms, and a line given to
    several is in its list several times). It names canaries, never a stranger: its 孙女士 is its
    list's, no chance draw, and LoanC is `leaked`. One other record is not such a record: that
    hit may itself be chance, and a caller holding many lists has the number under other people's
    names too (held-out 8257, 8261). A caller that also asked for a stranger (郑先生) is drawing
    from everyone's names (held-out 6739: "Mr. Nelson" from a robocall that also asked for "Ms.
    Ladnry"): chance holds."""
    listed = ({"at": 30, "heard_name": "汪女士"}, {"at": 45, "heard_name": "蒋女士"})
    assert _lone_surname(60, _STRANGERS, crowd=4, more=listed)[:3] == ("leaked", True, True)
    assert _lone_surname(60, _STRANGERS, crowd=4, more=listed[:1])[:2] == ("suspected", False)
    drawing = (*listed, {"at": 40, "heard_name": "郑先生"})
    assert _lone_surname(60, _STRANGERS, crowd=4, more=drawing)[:2] == ("suspected", False)


def test_a_surname_matched_inside_another_name_is_no_list_record():
    """A list's caller that said "那志強先生" (那志强, a canary of its list, in traditional script)
    where a reading matched 强先生 to another canary's surname asked for 那, not 强: the words read
    as a form of address name another surname, and the list rule does not vouch for the match
    (held-out 5016). "孙女士" read for 孙 is the list's record as matched."""
    from tracer.attribution import verdicts

    heard = ["那志強先生", "孙女士", None]
    misread = verdicts._misread(heard, np.array(["qiang", "sun", "sun"], dtype=object), "zh_CN")
    assert misread.tolist() == [True, False, False]


def test_the_report_says_why_a_name_that_could_be_chance_proves_the_leak():
    """The contacts that prove LoanC's leak through their caller say so in their evidence, in the
    report's dict and in the streamed JSON alike: the caller used the name again. The same
    contact alone, chance on that line, says nothing of the kind."""
    import io
    import json

    said = "holds the record given to LoanC"
    result = attribute(_lone_surname_world(60, _STRANGERS, more=({"at": 62, "heard_name": "孙女士"},)))
    streamed = io.StringIO()
    result.write_json(streamed)
    for doc in (result.to_dict(), json.loads(streamed.getvalue())):
        asked = [c for c in doc["contacts"] if c["heard_name"] == "孙女士"]
        assert len(asked) == 2
        for contact in asked:
            assert any(said in e["detail"] for e in contact["evidence"] if e["kind"] == "name"), contact["evidence"]
    alone = attribute(_lone_surname_world(60, _STRANGERS)).to_dict()
    details = [e["detail"] for c in alone["contacts"] for e in c["evidence"]]
    assert details and not any(said in d for d in details)

def test_the_contact_that_says_more_than_the_number_must_come_from_a_caller_not_the_own_line():
    """World 4912 `recycled`: the platform's own sales call says its canary's full name; a
    nameless text and a previous owner's collector asking for her given name (the canary shares
    it) are two callers the own line could not have been. The own line's words prove nothing of
    a leak, and the others say no more than a given name from one caller: `suspected`. Had a
    caller that is no own line said the full name, two callers and that name prove it."""
    from tracer.attribution import verdicts

    def verdict(own_said_it: bool) -> str:
        mine = pd.DataFrame(
            {
                "at": [T0 + DAY, T0 + 2 * DAY, T0 + 40 * DAY, T0 + 70 * DAY],
                "unit": ["k_own", "g_text", "g_collector", "g_collector"],
                "post": [0.9, 0.77, 0.999, 0.999],
                "told": [True, False, False, False],
                "told_given": [False, False, True, True],
                "strong": [False] * 4,
                "own": [own_said_it, False, False, False],
            }
        )
        return str(verdicts._verdict("LoanC", 1.0, 20.0, mine, T0, "loans", T0 + 90 * DAY)["verdict"])

    assert verdict(own_said_it=True) == "suspected"
    assert verdict(own_said_it=False) == "leaked"


def _onset_world(call_days: tuple[float, ...], mail_days: tuple[float, ...]) -> np.ndarray:
    """LoanC's leak share of nameless calls to its lone number (POOL, issued day 5), where mails to
    its alias on `mail_days` date its leak."""
    calls = [{"at": T0 + d * DAY, "to": POOL, "from": f"+861370000{n:04d}"} for n, d in enumerate(call_days)]
    mails = [
        {"at": T0 + d * DAY, "to": "sepako55@x.org", "channel": "email", "from": f"m{n}@spam.example", "text": "Loan offer"}
        for n, d in enumerate(mail_days)
    ]
    inputs = _inputs([*calls, *mails, *_noise(30, CONTROL, start=T0), {"at": T0 + 200 * DAY, "to": CONTROL}])
    fitted = fit(inputs)
    at_pool = inputs.contacts.reset_index(drop=True)["to"].eq(POOL).to_numpy()
    return fitted.contacts.loc[at_pool, "top_post"].to_numpy()


def test_nameless_calls_long_before_anything_dates_the_leak_are_the_lines_background():
    """Nobody works a record before it leaked. Mails to LoanC's alias from day 100 date its leak;
    the nameless calls its lone number got every few days from day 6 to day 60 came before any
    of it and are the line's background, while the same calls among the mails are the leak's
    (dev seed 6528: a phone's background taken for a leak whose only dated contacts were mails
    three months later)."""
    early = _onset_world(tuple(6.0 + 4 * n for n in range(14)), tuple(100.0 + 0.3 * n for n in range(30)))
    assert early.max() < 0.5
    among = _onset_world(tuple(100.1 + 0.6 * n for n in range(14)), tuple(100.0 + 0.3 * n for n in range(30)))
    assert among.min() > 0.5


def test_the_onset_is_one_without_dating_contacts_and_follows_the_first_real_one():
    """`_Onset`: a platform with nothing that dates its leak keeps its rate (1) throughout; one
    sure dating contact on day 50 makes it 1 from a burst's length (7 days) before it on, fading
    further back with that scale; a doubtful one (0.1) moves it little; another platform's
    dating contact does nothing to this one's."""
    t = np.array([0.0, 20.0, 36.0, 43.0, 50.0, 80.0, 0.0, 10.0])
    p = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    dated = np.array([False, False, False, False, True, False, False, True])
    onset = _Onset(p, t, dated, 7.0)
    assert np.all(_Onset(p, t, np.zeros(8, dtype=bool), 7.0)(np.ones(8)) == 1.0)
    sure = onset(np.array([0, 0, 0, 0, 1.0, 0, 0, 0]))
    assert sure[0] < 0.003 and abs(sure[2] - np.exp(-1.0)) < 1e-9 and np.all(sure[3:7] == 1.0)
    assert np.all(sure[6:] == 1.0)  # platform 1's dating contact has no weight here
    doubtful = onset(np.array([0, 0, 0, 0, 0.1, 0, 0, 0]))
    assert doubtful.min() > 0.89


def test_ahead_sums_match_the_direct_sum_short_and_long_runs():
    rng = np.random.default_rng(3)
    t = np.concatenate([np.sort(rng.uniform(0, 30, 40)), np.sort(rng.uniform(0, 6000, 60))])
    runs = np.repeat([0, 1], [40, 60])
    w = rng.uniform(0, 1, 100)
    direct = np.array(
        [sum(w[m] * np.exp(-(t[m] - t[n]) / 7.0) for m in range(n + 1, 100) if runs[m] == runs[n]) for n in range(100)]
    )
    assert np.allclose(_ahead(t, w, runs, 7.0), direct, rtol=1e-9, atol=1e-12)


def _nameless_calls_background(mails_per_leak: int) -> float:
    """Mean P(background) of sixty nameless calls on a primary ten canaries share, eight of whose
    platforms leak: two calls each saying the canary's surname, and `mails_per_leak` mails each to
    its alias that say no name."""
    surnames = ["欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "令狐", "宇文", "长孙"]
    keys = ["ouyang", "sima", "zhuge", "shangguan", "dongfang", "huangfu", "murong", "linghu", "yuwen", "zhangsun"]
    canaries_frame = _canaries(
        [(f"c_{n}", f"P{n}", "stocks", T0 + n * DAY, PRIMARY, f"alias{n}x7@x.org", surnames[n] + "明", keys[n], False, ())
         for n in range(10)]
    )  # fmt: skip
    named = [
        {"at": T0 + (20 + 37 * d + n) * DAY, "to": PRIMARY, "from": f"+86139{n:02d}00{d:04d}",
         "heard_name": surnames[n] + "先生"}
        for n in range(8)
        for d in range(2)
    ]  # fmt: skip
    mails = [
        {"channel": "email", "at": T0 + (25 + 9 * d + n) * DAY, "to": f"alias{n}x7@x.org",
         "from": f"deals{n}{d}@promo.example", "text": "Limited offer: 3% monthly returns, reply to join"}
        for n in range(8)
        for d in range(mails_per_leak)
    ]  # fmt: skip
    nameless = [{"at": T0 + (15 + 2.5 * d) * DAY, "to": PRIMARY, "from": f"+861350000{d:04d}"} for d in range(60)]
    before = [{"at": T0 - 3 * (d + 1) * DAY, "to": PRIMARY, "from": f"+861360000{d:04d}"} for d in range(12)]
    inputs = Inputs(
        canaries=canaries_frame,
        contacts=_contacts(named + nameless + before + mails),
        real_name="杨伟",
        primary=PRIMARY,
        platforms=[f"P{n}" for n in range(10)],
        categories={f"P{n}": "stocks" for n in range(10)},
    )
    report = attribute(inputs).to_dict()
    calls = report["contacts"][16:76]
    assert all(c["platform"] is None for c in calls)
    return float(np.mean([c["confidence"] for c in calls]))


def test_a_leaks_mails_to_its_alias_do_not_make_the_numbers_nameless_calls_its_own():
    """A leaked record's address is mailed and its number called by different hands, each at its
    own rate, and a mail saying no name tells nothing of how often callers say one: mails to the
    aliases (six per leak) leave the nameless calls on the shared primary as much the background's
    as without them (one rate per platform, and the naming share learned on the mails alone, gave
    the leaks those calls: P(background) 0.98 without the mails, 0.0003 with them)."""
    without, with_mails = _nameless_calls_background(0), _nameless_calls_background(6)
    assert without >= 0.65
    assert with_mails >= without - 0.1


def test_each_channel_has_its_own_naming_share_and_one_channel_alone_has_the_pooled_one():
    """Texts greeting by name half the time and calls naming one in ten keep their own shares;
    a channel seen little stays near the pooled share, and a source seen on one channel only gets
    exactly the pooled share (each estimate takes one named and one nameless contact as a prior)."""
    channel = np.array([0] * 100 + [1] * 100 + [2] * 2, dtype=np.int8)
    named = np.array([n < 10 for n in range(100)] + [n < 50 for n in range(100)] + [False, False])
    weight = np.ones(len(channel))
    pooled = float((named.sum() + 1) / (len(named) + 2))
    call, sms, mail = _naming(channel, named, weight, pooled)
    assert call == pytest.approx(0.1, abs=0.02) and sms == pytest.approx(0.5, abs=0.02)
    assert abs(mail - pooled) < abs(mail - 0.0) and mail > 0.2
    alone = np.zeros(len(channel), dtype=np.int8)
    assert _naming(alone, named, weight, pooled)[0] == pytest.approx(pooled)


def _agent_world(spoof_day: float) -> dict:
    """A jobs platform's own line follows its new user up (its agent's mobile: two named calls
    and one logged as the platform's rep, days 1-3.4), beside one named call from a number that
    shares the canary number's area code and exchange, `spoof_day` days after the signup, and
    the spare's background of strangers."""
    spare, agent = "+14257498922", "+16787910063"
    canaries_frame = _canaries(
        [("c_1", "StaffA", "jobs", T0, spare, "dinifafo14@x.org", "Andrea Whitehead", "wtht", False, ())]
    )
    own = [
        {"at": T0 + 1.07 * DAY, "to": spare, "from": agent, "heard_name": "Andrea Whitehead"},
        {"at": T0 + 2.35 * DAY, "to": spare, "from": agent, "heard_name": "Mr. Whitehead"},
        {"at": T0 + 3.36 * DAY, "to": spare, "from": agent, "text": "StaffA rep called"},
    ]
    local = {"at": T0 + spoof_day * DAY, "to": spare, "from": "+14257493960", "heard_name": "Mr. Whitehead"}
    noise = [{"at": T0 + (i * 9 - 30) * DAY, "to": spare, "from": f"+1206555{i:04d}"} for i in range(30)]
    inputs = Inputs(
        canaries=canaries_frame,
        contacts=_contacts([local, *own, *noise]),
        primary="+12065550000",
        locale="en_US",
        region="US",
        platforms=["StaffA"],
        categories={"StaffA": "jobs"},
    )
    return attribute(inputs).to_dict()


def test_a_local_number_sharing_the_lines_exchange_while_the_platform_calls_is_no_proof_alone():
    """Held-out 8160: StaffHub's own agent called "Mr. Whitehead" 5.6 hours after the signup from
    a local mobile that shares the canary number's area code and exchange (+1 425 749…), while
    its own line was following the user up. A neighbour match is a spoof or a local number by
    chance, not certainly a list's caller: the name alone must not make the platform `leaked`.
    The same call two months on, long after the platform's line went quiet, still proves it."""
    verdict = {p["platform"]: p["verdict"] for p in _agent_world(0.235)["platforms"]}
    assert verdict["StaffA"] == "suspected"
    late = _agent_world(60.0)
    assert {p["platform"]: p["verdict"] for p in late["platforms"]}["StaffA"] == "leaked"
    assert late["contacts"][0]["platform"] == "StaffA"


def _kyc_verdict(callers: tuple[str, ...], to: str = "+13032703064") -> str:
    """A bank (KYC: its canary keeps the user's real name, Sean Campbell) given a spare number
    alone; a centre working a list (two numbers of one rented block) asks for "Mr. Campbell" on
    `to` on days 40 and 41 after the signup, and `callers` ring that number nameless the same
    days, beside months of strangers' nameless calls on the spare and the primary."""
    spare, primary = "+13032703064", "+17203588632"
    canaries_frame = _canaries(
        [("c_1", "CreditA", "loans", T0, spare, None, "Sean Campbell", "kmpbl", True, ())]
    )
    block = ("+14045550123", "+14045550456")
    asked = [{"at": T0 + (40 + n) * DAY, "to": to, "from": block[n], "heard_name": "Mr. Campbell"} for n in range(2)]
    rung = [{"at": T0 + (40.5 + n) * DAY, "to": to, "from": caller} for n, caller in enumerate(callers)]
    noise = [
        {"at": T0 + (i * 6 - 60) * DAY, "to": line, "from": f"+1206555{i:04d}"} for i in range(60) for line in (spare, primary)
    ]
    inputs = Inputs(
        canaries=canaries_frame,
        contacts=_contacts([*asked, *rung, *noise]),
        real_name="Sean Campbell",
        primary=primary,
        locale="en_US",
        region="US",
        platforms=["CreditA"],
        categories={"CreditA": "loans"},
    )
    return {p["platform"]: p["verdict"] for p in attribute(inputs).to_dict()["platforms"]}["CreditA"]


def test_the_users_real_name_asked_for_on_a_spare_only_a_kyc_canary_had_tells_more_than_the_number():
    """Dev 8862: a centre asked for "Mr. Campbell" on a number only a bank's KYC canary had, and
    another caller rang it the same days. Strangers know the name, but only the bank's record
    ties it to that spare: the centre says more than the number it dialled, as a made-up name
    would, and with a second independent caller the leak is proven. The centre alone is one
    source (a KYC platform's own staff call their customer by name), and on the user's published
    primary, whose callers know the name from everywhere, the name says nothing more."""
    other = ("+16175550789", "+16175550789")  # another caller, nameless, the same days
    assert _kyc_verdict(other) == "leaked"
    assert _kyc_verdict(()) == "suspected"
    assert _kyc_verdict(other, to="+17203588632") != "leaked"


def _given_name_verdict(given: str, spare: str = "+13032703064") -> str:
    """A shop given a spare number with canary `given` Okonkwo; two days after the signup, one
    sender texts "Hi `given`, ..." to that spare, beside months of strangers' nameless calls on
    the spare and the primary and a second canary's number."""
    primary = "+17203588632"
    rows = [
        ("c_1", "ShopA", "shopping", T0, spare, None, f"{given} Okonkwo", "oknkw", False, ()),
        ("c_2", "CarsB", "cars", T0, primary, None, "Dale Whitcombe", "wtkm", False, ()),
    ]
    text = {"at": T0 + 2 * DAY, "to": spare, "channel": "sms", "from": "+14045550123", "text": f"Hi {given}, your reward is waiting"}
    noise = [
        {"at": T0 + (i * 6 - 60) * DAY, "to": line, "from": f"+1206555{i:04d}"} for i in range(40) for line in (spare, primary)
    ]
    inputs = Inputs(
        canaries=_canaries(rows),
        contacts=_contacts([text, *noise]),
        real_name="Sean Campbell",
        primary=primary,
        locale="en_US",
        region="US",
        platforms=["ShopA", "CarsB"],
        categories={"ShopA": "shopping", "CarsB": "cars"},
    )
    return {p["platform"]: p["verdict"] for p in attribute(inputs).to_dict()["platforms"]}["ShopA"]


def test_a_rare_given_name_from_one_caller_weighs_as_a_made_up_surname():
    """"Hi Reginald" to a number only ShopA's canary Reginald Okonkwo had: strangers say
    Reginald (about 0.05% of people, by the US Social Security Administration's counts) less often than any surname a canary
    may carry, so one text proves the leak as "Hi Mr. Okonkwo" would. "Hi Michael" (with Michelle,
    one spoken key: about 3%) strangers say seventy times as often: one caller is not enough."""
    assert _given_name_verdict("Reginald") == "leaked"
    assert _given_name_verdict("Michael") == "suspected"


def test_a_common_given_name_from_one_caller_proves_what_its_share_of_people_allows():
    """The same text two days after the signup, to a number only ShopA's canary had, weighed at
    the name's share of people: "Hi Jessica" (about 1%) four times the floor a made-up surname
    gets, still proves the leak alone there, as "Hi Douglas" does; "Hi Michael" (about 3%, with
    Michelle) does not (above)."""
    assert _given_name_verdict("Jessica") == "leaked"
    assert _given_name_verdict("Douglas") == "leaked"


def test_a_name_two_canaries_answer_to_is_attributed_by_the_posterior_not_proof_alone():
    """"Ryan" is Ryan Fowler's given name and Megan Ryan's surname, both canaries on one spare
    number: the car-warranty callers are the car platform's leak by their topic, and the report
    says so at the posterior's confidence (it said no platform's, at 0.97 for the right one). The
    name proves nothing alone, since the other canary answers to it too: `suspected`, not `leaked`."""
    import canaries

    spare, primary = "+12065550123", "+12065550100"
    rows = [
        ("c_1", "MotorDeals", "cars", T0, spare, "a1@x.org", "Ryan Fowler", canaries.name_key("Ryan Fowler", locale="en_US"), False, ()),
        ("c_2", "StyleShop", "shopping", T0, spare, "a2@x.org", "Megan Ryan", canaries.name_key("Megan Ryan", locale="en_US"), False, ()),
    ]  # fmt: skip
    noise = [{"at": T0 - 40 * DAY + d * 3 * DAY, "to": spare, "from": f"+1206555{d:04d}"} for d in range(12)]
    calls = [{"at": T0 + (2 + 3 * n) * DAY, "to": spare, "from": f"+1425555{n:04d}", "heard_name": "Ryan",
              "text": "asked if I still want to sell my car, car warranty"} for n in range(4)]  # fmt: skip
    inputs = Inputs(
        canaries=_canaries(rows), contacts=_contacts(noise + calls), real_name="Wei Yang", primary=primary,
        platforms=["MotorDeals", "StyleShop"], categories={"MotorDeals": "cars", "StyleShop": "shopping"}, locale="en_US",
    )  # fmt: skip
    report = attribute(inputs).to_dict()
    named = [c for c in report["contacts"] if c["at"] >= "2026-03"]
    assert len(named) == 4
    for contact in named:
        top = max(contact["candidates"], key=lambda c: c["p"])
        assert contact["platform"] == top["platform"] == "MotorDeals" and contact["confidence"] == pytest.approx(top["p"])
        assert contact["confidence"] > 0.9
    verdicts = {p["platform"]: p["verdict"] for p in report["platforms"]}
    assert verdicts == {"MotorDeals": "suspected", "StyleShop": "no-evidence"}
