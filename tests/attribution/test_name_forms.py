"""Names as callers really say them: mangled forms map back to their canary, generic address
names nobody, and a whole name with another given name is somebody else."""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

from tests.conftest import canaries_frame as _canaries
from tests.conftest import contacts_frame as _contacts
from tracer.attribution import Inputs, addressed, attribute, model

DAY = 86_400.0
T0 = 1_767_225_600.0  # 2026-01-01
PRIMARY, SPARE = "+8613800000000", "+8613900000001"


def _inputs(
    canaries: list[tuple], contacts: list[dict], *, locale: str = "zh_CN", real_name: str | None = None,
    own_categories: bool = False,
) -> Inputs:
    """The user (杨伟 or John Smith unless `real_name`) and these canaries and contacts; every
    platform a stock app unless `own_categories` (each canary row's own)."""
    platforms = [row[1] for row in canaries]
    return Inputs(
        canaries=_canaries(canaries),
        contacts=_contacts(contacts),
        real_name=real_name or ("杨伟" if locale == "zh_CN" else "John Smith"),
        primary=PRIMARY,
        locale=locale,
        region="CN" if locale == "zh_CN" else "US",
        platforms=platforms,
        categories={row[1]: row[2] if own_categories else "stocks" for row in canaries},
    )


def _report(canaries: list[tuple], contacts: list[dict], *, locale: str = "zh_CN") -> dict:
    return attribute(_inputs(canaries, contacts, locale=locale)).to_dict()


def _calls(to: str, heard: list[str], first_day: float = 20.0) -> list[dict]:
    return [
        {"at": T0 + (first_day + 17 * n) * DAY, "to": to, "from": f"+86136{n:03d}00000", "heard_name": h}
        for n, h in enumerate(heard)
    ]


def _noise(to: str, n: int = 30) -> list[dict]:
    return [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": to, "from": f"+861350000{d:04d}"} for d in range(n)]


TWO_ON_PRIMARY = [
    ("c_1", "StockA", "stocks", T0, PRIMARY, None, "欧阳建国", "ouyang", False, ()),
    ("c_2", "CarsB", "cars", T0, PRIMARY, None, "鞠丽", "ju", False, ()),
]


def test_a_compound_surname_cut_to_its_first_character_still_names_its_canary() -> None:
    """Mass-SMS systems and CRMs split 欧阳建国 as surname 欧: 欧先生 and 鸥总 are StockA's."""
    report = _report(TWO_ON_PRIMARY, _calls(PRIMARY, ["欧先生", "鸥总", "欧阳先生"]) + _noise(PRIMARY))
    assert [c["platform"] for c in report["contacts"][:3]] == ["StockA"] * 3


def test_an_input_method_typo_of_the_whole_name_and_a_given_name_alone_name_the_canary() -> None:
    sms = {
        "channel": "sms",
        "at": T0 + 70 * DAY,
        "to": PRIMARY,
        "from": "10690000",
        "text": "建国你好，内部消息明天涨停",
    }
    report = _report(TWO_ON_PRIMARY, _calls(PRIMARY, ["鸥阳建国", "老鞠"]) + [sms] + _noise(PRIMARY))
    assert [c["platform"] for c in report["contacts"][:3]] == ["StockA", "CarsB", "StockA"]


def test_generic_address_is_no_name() -> None:
    """帅哥 is not 'Mr. 帅': calls that say it on a number whose canary is 帅… name nobody."""
    canaries = [("c_1", "CourseC", "education", T0, SPARE, None, "帅明", "shuai", False, ())]
    report = _report(canaries, _calls(SPARE, ["帅哥", "美女", "老板", "大哥"]) + _noise(PRIMARY))
    assert all(
        c["platform"] is None or "name" not in {e["kind"] for e in c["evidence"]} for c in report["contacts"]
    )
    assert {p["platform"]: p["verdict"] for p in report["platforms"]}["CourseC"] != "leaked"


def test_a_whole_name_with_another_given_name_counts_against_the_canary() -> None:
    """Collectors asking for the previous owner 王峰 on the KYC canary 王明's number."""
    canaries = [("c_1", "BankK", "loans", T0, SPARE, None, "王明", "wang", True, ())]
    before = _calls(SPARE, ["王峰"] * 3, first_day=-60)
    report = _report(canaries, before + _calls(SPARE, ["王峰", "王峰"]) + _noise(PRIMARY))
    assert all(c["platform"] is None for c in report["contacts"])
    evidence = " ".join(
        e["detail"] for c in report["contacts"][3:5] for e in c["evidence"] if e["kind"] == "name"
    )
    assert "no canary here was given" in evidence


def test_english_nicknames_initials_and_reversed_order_name_the_canary() -> None:
    canaries = [
        ("c_1", "LoanX", "loans", T0, PRIMARY, None, "Robert Kowalczyk", "klxk", False, ()),
        ("c_2", "ShopY", "shopping", T0, PRIMARY, None, "Dolores Abernathy", "abrn0", False, ()),
    ]
    heard = ["Bob", "R. Kowalczyk", "Abernathy Dolores"]
    calls = [
        {"at": T0 + (20 + 17 * n) * DAY, "to": PRIMARY, "from": f"+1213555{n:04d}", "heard_name": h}
        for n, h in enumerate(heard)
    ]
    noise = [
        {"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213444{d:04d}"} for d in range(30)
    ]
    report = _report(canaries, calls + noise, locale="en_US")
    assert [c["platform"] for c in report["contacts"][:3]] == ["LoanX", "LoanX", "ShopY"]


def test_a_previous_owners_familiar_name_stays_background() -> None:
    """Collectors called the previous owner 关秀英 '老关' before and after the canary 关明 was
    issued on the recycled number: 老关 is 关, learned as the background's there, not a leak."""
    canaries = [("c_1", "LoanC", "loans", T0, SPARE, None, "关明", "guan", False, ())]
    before = _calls(SPARE, ["老关"] * 5, first_day=-80)
    report = _report(canaries, before + _calls(SPARE, ["老关", "关秀英"]) + _noise(PRIMARY))
    assert all(c["platform"] is None for c in report["contacts"])
    assert report["platforms"][0]["verdict"] == "no-evidence"


def test_a_campaign_naming_one_canary_on_a_shared_number_does_not_implicate_the_other() -> None:
    """One caller works a list with StockA's canary on it: three calls say 欧阳先生, three say
    nothing. CarsB's canary shares the number and was never named: it is not leaked."""
    named = [
        {"at": T0 + (20 + 9 * n) * DAY, "to": PRIMARY, "from": "+8613612345678", "heard_name": "欧阳先生"}
        for n in range(3)
    ]
    nameless = [{"at": T0 + (24 + 9 * n) * DAY, "to": PRIMARY, "from": "+8613612345678"} for n in range(3)]
    report = _report(TWO_ON_PRIMARY, named + nameless + _noise(PRIMARY))
    verdicts = {p["platform"]: p["verdict"] for p in report["platforms"]}
    assert verdicts["StockA"] == "leaked" and verdicts["CarsB"] == "no-evidence"
    assert all(c["platform"] != "CarsB" for c in report["contacts"])


def test_lao_in_a_familiar_form_is_no_surname() -> None:
    """老关 is 'old Guan', not the surname 劳 (lao) of the canary on that number, even with no
    history from before the canary's issue."""
    canaries = [("c_1", "CourseP", "education", T0, SPARE, None, "劳明", "lao", False, ())]
    report = _report(canaries, _calls(SPARE, ["老关"] * 4) + _noise(PRIMARY))
    assert all(c["platform"] is None for c in report["contacts"][:4])
    assert report["platforms"][0]["verdict"] != "leaked"


def test_a_form_the_background_says_on_other_numbers_is_learned_as_theirs() -> None:
    """A script greets everyone on the user's control number as 鞠先生: the same greeting on the
    canary 鞠丽's number weighs far less than it would were it heard nowhere else."""
    control = "+8613700000009"
    canaries = [("c_1", "CarsB", "cars", T0, SPARE, None, "鞠丽", "ju", False, ())]
    script = [
        {"at": T0 + (d - 30) * 5 * DAY, "to": control, "from": f"+861370000{d:04d}", "heard_name": "鞠先生"}
        for d in range(12)
    ]
    calls = _calls(SPARE, ["鞠先生"] * 3)
    alone = _report(canaries, calls + _noise(PRIMARY))
    learned = _report(canaries, calls + script + _noise(PRIMARY))
    assert alone["platforms"][0]["verdict"] == "leaked"
    assert learned["platforms"][0]["verdict"] != "leaked"  # the canary's name, but a script's too
    before = [c["confidence"] for c in alone["contacts"][:3]]
    after = [c["confidence"] for c in learned["contacts"][:3]]
    assert all(a < b for a, b in zip(after, before, strict=True))


def test_an_english_text_opening_with_a_name_and_a_comma_names_the_canary() -> None:
    """List-driven SMS open with the name: "Abernathy, your order…", "R. Kowalczyk, hi…"."""
    canaries = [
        ("c_1", "LoanX", "loans", T0, PRIMARY, None, "Robert Kowalczyk", "klxk", False, ()),
        ("c_2", "ShopY", "shopping", T0, PRIMARY, None, "Dolores Abernathy", "abrn0", False, ()),
    ]
    texts = ["Abernathy, your order has shipped", "R. Kowalczyk, hi, your loan is approved",
             "Congratulations, you won a cruise"]  # fmt: skip
    sms = [
        {"channel": "sms", "at": T0 + (20 + 17 * n) * DAY, "to": PRIMARY, "from": f"+1213555{n:04d}", "text": t}
        for n, t in enumerate(texts)
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213444{d:04d}"} for d in range(30)]
    report = _report(canaries, sms + noise, locale="en_US")
    assert [c["platform"] for c in report["contacts"][:3]] == ["ShopY", "LoanX", None]


def test_callers_of_a_previous_owner_greeting_a_canarys_first_name_stay_his() -> None:
    """The previous owner William Bell's friends and collectors call the recycled number: the
    same callers say 'Mr. Bell' and 'William'. The canary William Griffin is not leaked by them."""
    canaries = [("c_1", "DealZ", "shopping", T0, SPARE, None, "William Griffin", "krfn", False, ())]
    callers = ("+12135550101", "+12135550102", "+12135550103")
    calls = [
        {"at": T0 + (5 + 6 * n) * DAY, "to": SPARE, "from": callers[n % 3], "heard_name": h}
        for n, h in enumerate(["Mr. Bell", "Mrs. Bell", "Mr Bell", "William", "William", "William"])
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213444{d:04d}"} for d in range(30)]
    report = _report(canaries, calls + noise, locale="en_US")
    assert report["platforms"][0]["verdict"] != "leaked"
    assert all(c["platform"] is None for c in report["contacts"][:6])


def test_a_caller_greeting_canaries_by_name_works_a_list_and_its_first_names_stand() -> None:
    """A robocaller's list holds everyone once at this number: it says "Mr. Middleton" (a
    previous owner), "Adam Norton" (one canary) and "Hi Laura" (another's first name). Laura is
    the canary Laura Vega, not Mr. Middleton; without the canary greeting, the caller would be
    his alone."""

    canaries = [
        ("c_1", "FleetT", "cars", T0, SPARE, None, "Laura Vega", "vk", False, ()),
        ("c_2", "ClipH", "shopping", T0, SPARE, None, "Adam Norton", "nrtn", False, ()),
    ]
    caller = "+12135550101"
    said = ["Mr. Middleton", "Adam Norton"]
    calls = [{"at": T0 + (20 + 9 * n) * DAY, "to": SPARE, "from": caller, "heard_name": h} for n, h in enumerate(said)]
    text = "Hi Laura, this is your final courtesy call about your car's warranty."
    calls.append({"channel": "sms", "at": T0 + 40 * DAY, "to": SPARE, "from": caller, "text": text})

    def laura(contacts: list[dict]) -> str:
        return _kind_of_last(canaries, contacts, 0, locale="en_US", own_categories=True)

    assert laura(calls) == "given"
    assert laura([calls[0], calls[2]]) == "other"


def test_a_caller_greeting_the_user_by_the_real_name_names_nobody_else() -> None:
    """One sender texts the user's own number "Hi Ms. Wells" (the real name, carried by a KYC
    canary) and "Dear Amanda" (canary Amanda Travis's first name). Ms. Wells is the user, who is
    here: the caller holds both records of the number, and its "Amanda" is the canary's. A
    caller that named a stranger ("Ms. Riley") is calling that stranger, and its "Amanda" is hers."""

    canaries = [
        ("c_1", "BankK", "loans", T0, PRIMARY, None, "Theresa Wells", "wls", True, ()),
        ("c_2", "ClassU", "education", T0, PRIMARY, None, "Amanda Travis", "trvs", False, ()),
    ]
    sender = "+13035793695"

    def amanda(first: str) -> str:
        texts = [f"Hi {first}, this is Jason calling from Energy Advocates.", "Dear Amanda, the state set aside $1.3 billion."]
        contacts = [
            {"channel": "sms", "at": T0 + (20 + 9 * n) * DAY, "to": PRIMARY, "from": sender, "text": t}
            for n, t in enumerate(texts)
        ]
        return _kind_of_last(canaries, contacts, 1, locale="en_US", real_name="Theresa Wells", own_categories=True)

    assert amanda("Ms. Wells") == "given"
    assert amanda("Ms. Riley") == "other"


def test_a_title_before_a_given_name_is_that_given_name() -> None:
    """Scripts that fill their title slot from a list's first-name field say "Mr. Robert" to
    Robert Kowalczyk: his given name, said alone, not a surname nobody here carries. A titled
    word that is a canary's surname stays that surname."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "Robert Kowalczyk", "kwlk", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "Jennifer Whitaker", "wtkr", False, ()),
    ]
    calls = _calls(SPARE, ["Mr. Robert", "Mr. Brown", "Ms. Whitaker"])
    kinds = [_kind_of_last(canaries, calls[: n + 1], 0, locale="en_US") for n in range(3)]
    assert kinds == ["given", "other", "other"]
    assert _kind_of_last(canaries, calls, 1, locale="en_US") == "surname"
    before = [{**calls[0], "at": T0 - 5 * DAY}, *calls]  # said there before the canary: not hers
    assert _kind_of_last(canaries, before[:2], 0, locale="en_US") == "other"


def test_a_whole_english_name_typed_with_one_slip_names_its_canary() -> None:
    """The user typed what the caller said as "Bruce Huley": on a number two canaries share, that
    is Bruce Hurley's, and the call is attributed to his platform."""
    canaries = [
        ("c_1", "AutoB", "cars", T0, PRIMARY, None, "Bruce Hurley", "hrl", False, ()),
        ("c_2", "ShopY", "shopping", T0, PRIMARY, None, "Dolores Abernathy", "abrn0", False, ()),
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213{d:03d}4444"} for d in range(30)]
    calls = [{"at": T0 + 40 * DAY, "to": PRIMARY, "from": "+12135550101", "heard_name": "Bruce Huley"}]
    report = _report(canaries, calls + noise, locale="en_US")
    assert report["contacts"][0]["platform"] == "AutoB"


def test_a_short_whole_name_one_letter_off_is_no_namesake() -> None:
    """Jon Harrell's caller: "Jo Harrell" once (a letter dropped in typing), then "Ms. Harrell"
    from the same number. Jon Harrell is too short a name for a slip of its sound key, but in
    letters, with the surname as spelled, a given name one slip off is a typo of the whole name,
    no other person: the call names Jon Harrell, and the caller's later call is not taken for a
    namesake's (dev seed 8647 `quiet`: five such calls read as "a name no canary here was
    given"). "Jim Harrell" is somebody else."""
    canaries = [
        ("c_1", "AutoB", "cars", T0, PRIMARY, None, "Jon Harrell", "hrl", False, ()),
        ("c_2", "ShopY", "shopping", T0, PRIMARY, None, "Dolores Abernathy", "abrn0", False, ()),
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213{d:03d}4444"} for d in range(30)]

    def kinds(first: str) -> list[str]:
        calls = [
            {"at": T0 + (40 + 9 * n) * DAY, "to": PRIMARY, "from": "+12135550101", "heard_name": h}
            for n, h in enumerate([first, "Ms. Harrell"])
        ]
        fitted = model.fit(_inputs(canaries, calls + noise, locale="en_US"))
        pairs = fitted.pairs[fitted.pairs["p"].to_numpy() == 0]
        return pairs.set_index("i").loc[[0, 1], "name_kind"].tolist()

    assert kinds("Jo Harrell") == ["full", "surname"]
    assert kinds("Jim Harrell") == ["other", "other"]


def test_a_name_spelled_exactly_is_not_also_read_as_a_slip_of_another() -> None:
    """"Bruce Hall" is one slip from Bruce Hurley's sound key (brs hl, brs hrl), but a canary on
    the number is Bruce Hall exactly: the call is his platform's alone."""
    canaries = [
        ("c_1", "AutoB", "cars", T0, PRIMARY, None, "Bruce Hurley", "hrl", False, ()),
        ("c_2", "ShopY", "shopping", T0, PRIMARY, None, "Bruce Hall", "hl", False, ()),
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213{d:03d}4444"} for d in range(30)]
    calls = [{"at": T0 + 40 * DAY, "to": PRIMARY, "from": "+12135550101", "heard_name": "Bruce Hall"}]
    report = _report(canaries, calls + noise, locale="en_US")
    assert report["contacts"][0]["platform"] == "ShopY"


def test_a_name_heard_on_the_number_before_the_canary_is_not_read_as_its_slip() -> None:
    """A previous owner, Bruce Hule, was called on the recycled number before the canary Bruce
    Hurley was issued there: his collectors' "Bruce Hule" afterwards is still his."""
    canaries = [("c_1", "AutoB", "cars", T0, SPARE, None, "Bruce Hurley", "hrl", False, ())]
    owner = [
        {"at": T0 + (d * 9 - 60) * DAY, "to": SPARE, "from": f"+1213{d:03d}5555", "heard_name": "Bruce Hule"}
        for d in range(12)
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213{d:03d}4444"} for d in range(30)]
    report = _report(canaries, owner + noise, locale="en_US")
    assert report["platforms"][0]["verdict"] == "no-evidence"
    assert all(c["platform"] is None for c in report["contacts"])


def test_a_single_word_typed_with_one_slip_names_its_canary() -> None:
    """"Mr. weeney" (a letter dropped) and "Jospeh" (two swapped) are no names of their own: on a
    number two canaries share they are Brandon Sweeney's surname and Joseph Nelson's given name."""
    canaries = [
        ("c_1", "AutoB", "cars", T0, PRIMARY, None, "Brandon Sweeney", "swn", False, ()),
        ("c_2", "ShopY", "shopping", T0, PRIMARY, None, "Joseph Nelson", "nlsn", False, ()),
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213{d:03d}4444"} for d in range(30)]
    calls = [
        {"at": T0 + 40 * DAY, "to": PRIMARY, "from": "+12135550101", "heard_name": "Mr. weeney"},
        {"at": T0 + 50 * DAY, "to": PRIMARY, "from": "+12135550102", "heard_name": "Jospeh"},
    ]
    report = _report(canaries, calls + noise, locale="en_US")
    by_id = {c["id"]: c["platform"] for c in report["contacts"]}
    assert by_id["k_0"] == "AutoB"
    assert by_id["k_1"] == "ShopY"


def test_a_real_name_one_slip_from_a_canarys_is_not_read_as_its_slip() -> None:
    """"Mr. Bryan" is one letter from canary Isaac Bryant's surname, but Bryan is a name of its own:
    the caller named somebody else, and nothing is attributed."""
    canaries = [("c_1", "AutoB", "cars", T0, PRIMARY, None, "Isaac Bryant", "brnt", False, ())]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213{d:03d}4444"} for d in range(30)]
    calls = [{"at": T0 + 40 * DAY, "to": PRIMARY, "from": "+12135550101", "heard_name": "Mr. Bryan"}]
    report = _report(canaries, calls + noise, locale="en_US")
    assert report["contacts"][0]["platform"] is None
    calls = [{"at": T0 + 40 * DAY, "to": PRIMARY, "from": "+12135550101", "heard_name": "Mr. Bryatn"}]
    assert _report(canaries, calls + noise, locale="en_US")["contacts"][0]["platform"] == "AutoB"


def test_a_word_heard_on_the_number_before_the_canary_is_not_read_as_its_slip() -> None:
    """A previous owner, "Mr. Sheeney" to his collectors, is not canary Brandon Sweeney issued on
    the recycled number after those calls began."""
    canaries = [("c_1", "AutoB", "cars", T0, SPARE, None, "Brandon Sweeney", "swn", False, ())]
    owner = [
        {"at": T0 + (d * 9 - 60) * DAY, "to": SPARE, "from": f"+1213{d:03d}5555", "heard_name": "Mr. Sheeney"}
        for d in range(12)
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213{d:03d}4444"} for d in range(30)]
    report = _report(canaries, owner + noise, locale="en_US")
    assert report["platforms"][0]["verdict"] == "no-evidence"
    assert all(c["platform"] is None for c in report["contacts"])


def _kind_of_last(canaries: list[tuple], contacts: list[dict], j: int = 0, **shape: Any) -> str:
    """The name kind of the last contact's pair with canary `j` (`shape`: as `_inputs` takes it)."""
    from tracer.attribution.model import fit

    pairs = fit(_inputs(canaries, contacts, **shape)).pairs
    last = len(contacts) - 1
    return str(pairs.loc[(pairs["i"] == last) & (pairs["j"] == j), "name_kind"].iloc[0])


def test_a_whole_name_a_chinese_text_greets_or_asks_for_is_read_without_a_title() -> None:
    """Collectors and lists greet by the whole name on file: "邹龙，您的借款已逾期" and "找邹龙的"
    ask for a previous owner, somebody else than canary 王建国; "尊敬的王建国，" is the canary;
    "周末愉快，" opens a text as a name would and is none."""
    canaries = [("c_1", "StockA", "stocks", T0, SPARE, None, "王建国", "wang", False, ())]

    def kind(text: str) -> str:
        sms = {"channel": "sms", "at": T0 + 20 * DAY, "to": SPARE, "from": "+8613512345678", "text": text}
        return _kind_of_last(canaries, [*_noise(PRIMARY), sms])

    assert kind("邹龙，您的借款已逾期3天，请于今日18点前还款") == "other"
    assert kind("说邹龙欠钱不还") == kind("找邹龙的") == "other"
    assert kind("【好省商城】尊敬的王建国，会员日全场5折起") == "full"
    assert kind("周末愉快，会员日全场5折起") == "none"


def test_a_given_name_typed_in_pinyin_is_the_canarys_given_name() -> None:
    """The user typed what the caller asked for, 秀云, as "xiu yun": read as a surname 修 and a
    given name 云 it names nobody here; it is canary 晁秀云's given name said alone. Said on the
    number before her canary was issued, it was somebody else's (a previous owner's)."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "晁秀云", "chao", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "鞠丽", "ju", False, ()),
    ]
    call = {"at": T0 + 30 * DAY, "to": SPARE, "from": "+8613600000001", "heard_name": "xiu yun"}
    assert _kind_of_last(canaries, [*_noise(PRIMARY), call]) == "given"
    before = {"at": T0 - 20 * DAY, "to": SPARE, "from": "+8613600000002", "heard_name": "xiu yun"}
    assert _kind_of_last(canaries, [*_noise(PRIMARY), before, call]) == "other"


def test_a_familiar_form_typed_in_pinyin_names_the_canary_by_its_surname() -> None:
    """"xiao teng" is 小滕 typed in pinyin, as "xiao wang" is 小王: the surname of canary 滕峰, not
    the surname 肖 (xiao) of nobody on the number, which read as another name counted against it."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "滕峰", "teng", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "鞠丽", "ju", False, ()),
    ]
    call = {"at": T0 + 30 * DAY, "to": SPARE, "from": "+8613600000001", "heard_name": "xiao teng"}
    assert _kind_of_last(canaries, [*_noise(PRIMARY), call]) == "surname"
    lao = {**call, "heard_name": "lao ju"}
    assert _kind_of_last(canaries, [*_noise(PRIMARY), lao]) == "other"  # StockA's pair: CarsB's 鞠


def test_a_whole_name_typed_in_pinyin_before_a_title_is_its_first_words_surname() -> None:
    """"sun jian xs" is 孙健先生 typed in pinyin, somebody else: not Mr. 简, canary 简佳's surname."""
    canaries = [("c_1", "StockA", "stocks", T0, SPARE, None, "简佳", "jian", False, ())]
    call = {"at": T0 + 30 * DAY, "to": SPARE, "from": "+8613600000001", "heard_name": "sun jian xs"}
    assert _kind_of_last(canaries, [*_noise(PRIMARY), call]) == "other"
    assert _kind_of_last(canaries, [*_noise(PRIMARY), {**call, "heard_name": "jian xs"}]) == "surname"


def test_a_whole_name_said_explains_its_parts() -> None:
    """"迟荣总" is the canary 迟荣 with a title; read by characters it also holds 荣总, the surname of
    the canary 荣峰 on the same number. The whole name said is 迟荣's, and the SMS is her
    platform's alone."""
    canaries = [
        ("c_1", "LoanK", "loans", T0, PRIMARY, None, "迟荣", "chi", False, ()),
        ("c_2", "ShopR", "shopping", T0, PRIMARY, None, "荣峰", "rong", False, ()),
    ]
    text = "【好借钱包】迟荣总，您有一笔50000元备用金待领取，3分钟到账"
    sms = [{"channel": "sms", "at": T0 + 40 * DAY, "to": PRIMARY, "from": "1069028812834", "text": text}]
    report = _report(canaries, sms + _noise(PRIMARY))
    assert report["contacts"][0]["platform"] == "LoanK"


def test_one_surname_on_a_number_many_canaries_share_is_not_proof_alone() -> None:
    """Look elsewhere: one caller saying 鞠女士 on a number only 鞠丽's canary had proves a leak;
    on a number twenty canaries share, a stranger had twenty surnames to hit by chance, so the
    same single contact leaves the platform `suspected`, not `leaked`."""
    compounds = ["欧阳", "诸葛", "司马", "上官", "宇文", "皇甫", "尉迟", "公孙", "慕容", "长孙",
                 "令狐", "夏侯", "东方", "独孤", "南宫", "万俟", "闻人", "申屠", "澹台"]  # fmt: skip

    def verdict(sharing: int) -> str:
        rows = [
            (f"c_{k}", f"P{k}", "stocks", T0, SPARE, None, s + "丽", s, False, ())
            for k, s in enumerate(["鞠", *compounds][:sharing])
        ]
        call = [{"at": T0 + 100 * DAY, "to": SPARE, "from": "+8613611100000", "heard_name": "鞠女士"}]
        report = _report(rows, call + _noise(SPARE, 40))
        [found] = [p for p in report["platforms"] if p["platform"] == "P0"]
        [said] = [c for c in report["contacts"] if c["heard_name"] == "鞠女士"]
        assert said["platform"] == "P0"  # the contact itself is still attributed
        return str(found["verdict"])

    assert verdict(1) == "leaked"
    assert verdict(20) == "suspected"


def test_a_previous_owners_given_name_said_in_her_whole_name_stays_background() -> None:
    """Collectors asked for the previous owner 孙玉梅 by her whole name, before and after the canary
    庞玉梅 was issued on the recycled number; her friends then ask for "玉梅" alone. That given name
    is hers on this number (the background said it inside her whole name first), not the canary's."""
    canaries = [("c_1", "LoanC", "loans", T0, SPARE, None, "庞玉梅", "pang", False, ())]
    asked = _calls(SPARE, ["孙玉梅"] * 5, first_day=-80) + _calls(SPARE, ["孙玉梅"] * 3, first_day=10)
    friends = [
        {"at": T0 + d * DAY, "to": SPARE, "from": f"+8613712{d:03d}9999", "heard_name": "玉梅"} for d in (40, 95)
    ]
    report = _report(canaries, asked + friends + _noise(SPARE) + _noise(PRIMARY))
    assert all(c["platform"] is None for c in report["contacts"])
    assert report["platforms"][0]["verdict"] != "leaked"


def test_a_previous_owners_one_character_given_name_is_no_surname_said_with_a_title() -> None:
    """Collectors asked for the previous owner 陈玲 by her whole name on the recycled number, before
    and after canary 凌辉 was issued there. Nobody says 玲 alone, and 凌女士 is a surname with a title:
    her given name's sound (ling) is not the background's word for 凌, so the call is 凌辉's."""
    canaries = [
        ("c_1", "LoanC", "loans", T0, SPARE, None, "凌辉", "ling", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "鞠丽", "ju", False, ()),
    ]
    asked = _calls(SPARE, ["陈玲"] * 5, first_day=-80) + _calls(SPARE, ["陈玲"] * 3, first_day=10)
    call = {"at": T0 + 60 * DAY, "to": SPARE, "from": "+8613712000009", "heard_name": "凌女士"}
    report = _report(canaries, asked + [call] + _noise(SPARE) + _noise(PRIMARY))
    [said] = [c for c in report["contacts"] if c["heard_name"] == "凌女士"]
    assert said["platform"] == "LoanC"
    assert all(c["platform"] is None for c in report["contacts"] if c["heard_name"] == "陈玲")


def test_a_caller_noted_as_asking_for_somebody_else_names_nobody_here() -> None:
    """A previous owner's friend on a recycled number, noted "wrong number, asked for someone
    else" (找人的，打错了): the caller had a name, and not the canary's, which counts against a
    leak like any name no canary here was given (seeds 5145, 5166 `recycled`: such calls hours to
    days after the canary's issue had been its platform's)."""
    canaries = [("c_1", "LoanC", "loans", T0, SPARE, None, "关明", "guan", False, ())]
    before = [{"at": T0 + (-60 + 15 * d) * DAY, "to": SPARE, "from": f"+861350000{d:04d}"} for d in range(4)]
    calls = before + _calls(SPARE, ["关先生"] * 3, first_day=10) + _calls(SPARE, ["孙玉梅", "孙女士"], first_day=-58)

    def evidence(note: str) -> str:
        call = {"at": T0 + 30 * DAY, "to": SPARE, "from": "+8613612300000", "text": note}
        report = _report(canaries, [*calls, call, *_noise(PRIMARY)])
        said = next(c for c in report["contacts"] if c["from"] == "+8613612300000")
        return " ".join(e["detail"] for e in said["evidence"] if e["kind"] == "name")

    assert "no canary here was given" not in evidence("")
    for note in ("wrong number, asked for someone else", "Wrong person", "找人的，打错了", "说找错人了"):
        assert "no canary here was given" in evidence(note)


@pytest.mark.parametrize(
    ("canary", "other", "heard"),
    [
        # the surname typed as its homophone 空, which no surname is, so the name read as a given
        # name said alone and named nobody (dev seed 5163 `recycled`, six canaries on the number)
        (("孔楠", "kong"), ("鞠丽", "ju"), "空楠"),
        # before a title: read by its surname alone it is 欧 (鸥), which the cut form of every 欧阳
        # and every 欧 on the number shares (dev seed 5112)
        (("欧阳桂英", "ouyang"), ("欧丽", "ou"), "鸥阳桂英总"),
        # a compound typed by ear, each character a homophone that is also a surname: read as
        # "兰小姐" it named nobody here (dev seed 10223 `recycled`: 尚官凤兰小姐 for 上官凤兰); 思马建国
        # read as 马建国 was already a slip of the whole name, and stays the canary's read whole
        (("上官凤兰", "shangguan"), ("兰丽", "lan"), "尚官凤兰小姐"),
        (("司马建国", "sima"), ("马丽", "ma"), "思马建国先生"),
    ],
)
def test_a_whole_name_typed_by_ear_with_a_surname_that_is_no_surname_names_its_canary(canary, other, heard) -> None:
    """"空楠" for 孔楠, "鸥阳桂英总" for 欧阳桂英: by sound the whole name is one canary's, so the call
    singles out its platform and no other canary on the number. Whether one call amid the
    primary's thirty nameless ones is a leak's at all is the line's rate, not the name's: a toss-up
    here (0.51 before round 16's rates per medium and naming shares per channel, 0.48 after), so
    the test asks what the name decides, which canary it is."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, PRIMARY, None, *canary, False, ()),
        ("c_2", "CarsB", "cars", T0, PRIMARY, None, *other, False, ()),
    ]
    fitted = model.fit(_inputs(canaries, _calls(PRIMARY, [heard]) + _noise(PRIMARY)))
    said = fitted.pairs[fitted.pairs["i"] == 0]
    assert dict(zip(said["p"], said["name_kind"], strict=True)) == {0: "full", 1: "other"}
    assert fitted.contacts["top_p"].iat[0] == 0 and fitted.contacts["top_post"].iat[0] > 0.4


def _singles_out_nobody(heard: str, canary: tuple[str, str, str, str], other: tuple[str, str]) -> None:
    """Two calls for a stranger `heard` 80 days on, on a recycled spare two canaries share
    (`canary`: platform, category, name, key; `other`, StockA's: name, key): no platform is given
    them."""
    canaries = [
        ("c_1", *canary[:2], T0, SPARE, None, *canary[2:], False, ()),
        ("c_2", "StockA", "stocks", T0, SPARE, None, *other, False, ()),
    ]
    report = _report(canaries, _calls(SPARE, [heard] * 2, first_day=80) + _noise(SPARE))
    said = [c for c in report["contacts"] if c["heard_name"] == heard]
    assert said and all(c["platform"] is None for c in said)


def test_a_strangers_whole_name_typed_by_ear_is_not_its_last_characters_surname() -> None:
    """"珠秀荣先生" is 朱秀荣 typed by ear (珠 sounds like the surname 朱 and is none), not "Mr. 荣":
    read by its last character, a previous owner's collector singled out canary 荣兰英 on a
    recycled number and her platform was `leaked` (held-out seed 5935 `recycled`)."""
    _singles_out_nobody("珠秀荣先生", ("CarsB", "cars", "荣兰英", "rong"), ("雍秀兰", "yong"))
    assert addressed.whole_names_in("珠秀荣先生", bare_names=True) == []
    assert addressed.addressed_surnames(pd.Series(["珠秀荣先生", "荣先生", "王秀荣先生"])).tolist() == [[], ["荣"], ["王"]]


def test_a_strangers_whole_name_whose_last_character_is_a_surname_is_the_whole_name() -> None:
    """"封秀蘭女士" is the whole name 封秀兰 (a rare surname, two given-name characters, traditional
    蘭), not "Ms. 兰" though 兰 is the commoner surname: read by its last character, a previous
    owner's collectors singled out canary 蓝丹丹 (lan) on a recycled number and her platform was
    `leaked` (held-out seed 7300)."""
    _singles_out_nobody("封秀蘭女士", ("EduA", "education", "蓝丹丹", "lan"), ("雍秀梅", "yong"))
    assert addressed.whole_names_in("封秀蘭女士", bare_names=True) == [("封", "秀兰")]
    texts = pd.Series(["封秀蘭女士", "兰女士", "尊敬的欧阳秀英女士", "您好，窦秀云先生"])
    assert addressed.addressed_surnames(texts).tolist() == [["封"], ["兰"], ["欧阳"], ["窦"]]


def test_a_brands_customers_addressed_name_nobody() -> None:
    """"Dear Wells Fargo customer" addresses the bank's customers, nobody by name. Read as a person
    ("Wells Fargo"), it made its sender a caller of somebody else on the number, and the same
    sender's "Dear Jeremy" to canary Jeremy Coffey that person's (dev seed 5165 `solo`)."""
    canaries = [
        ("c_1", "GlowS", "beauty", T0, PRIMARY, None, "Jeremy Coffey", "kf", False, ()),
        ("c_2", "ShopY", "shopping", T0, PRIMARY, None, "Dolores Abernathy", "abrn0", False, ()),
    ]
    sender = "+12135550100"
    texts = ["Dear Wells Fargo customer, your account is on hold.", "Dear Jeremy, an order was placed."]
    sms = [
        {"channel": "sms", "at": T0 + (30 + 20 * n) * DAY, "to": PRIMARY, "from": sender, "text": t}
        for n, t in enumerate(texts)
    ]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213444{d:04d}"} for d in range(30)]
    report = _report(canaries, sms + noise, locale="en_US")
    bank, greeted = report["contacts"][:2]
    assert not [e for e in bank["evidence"] if e["kind"] == "name"]
    assert greeted["platform"] == "GlowS"


def test_a_given_name_from_a_caller_noted_as_asking_for_somebody_else_is_that_somebodys() -> None:
    """A previous owner's friend asked for "Mario", and the user noted "wrong number, asked for
    someone else": the user knows the canary Mario Russo is theirs, so the Mario asked for was
    somebody else (dev seed 5130: KeyHunt's at 0.98)."""
    canaries = [("c_1", "KeyHunt", "realty", T0, PRIMARY, None, "Mario Russo", "rs", False, ())]
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213444{d:04d}"} for d in range(30)]

    def reported(note: str) -> dict:
        call = {"at": T0 + 60 * DAY, "to": PRIMARY, "from": "+14806500140", "heard_name": "Mario", "text": note}
        report = attribute(_inputs(canaries, [call, *noise], locale="en_US")).to_dict()
        return next(c for c in report["contacts"] if c["from"] == "+14806500140")

    assert "given name given to KeyHunt" in " ".join(e["detail"] for e in reported("")["evidence"])
    said = reported("wrong number, asked for someone else")
    assert said["platform"] is None
    assert "no canary here was given" in " ".join(e["detail"] for e in said["evidence"] if e["kind"] == "name")


@pytest.mark.parametrize(("other", "names_katherine"), [("Kyle Mcmahon", False), ("Brian Lee", True)])
def test_a_nicknames_sound_that_is_a_slip_of_another_canarys_name_singles_out_neither(other, names_katherine) -> None:
    """"Kye" sounds like Kaye, a nickname of Katherine, and is Kyle with one letter dropped: two
    manglings, neither likelier. Read as Katherine's alone, two callers working Kyle's leaked
    record made her platform `leaked` (held-out seed 7472); with no such other canary on the
    number the nickname's reading stands. With one, the calls go to the likelier platform at the
    posterior's confidence, an uncertain one (round 19), and prove nothing."""
    canaries = [
        ("c_1", "TutorA", "education", T0, SPARE, None, "Katherine Parker", "prkr", False, ()),
        ("c_2", "LoanB", "loans", T0 + 60 * DAY, SPARE, None, other, "kl", False, ()),
    ]
    calls = _calls(SPARE, ["Kye", "Kye"], first_day=100)
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": SPARE, "from": f"+1213444{d:04d}"} for d in range(30)]
    report = _report(canaries, calls + noise, locale="en_US")
    said = [c for c in report["contacts"] if c["heard_name"] == "Kye"]
    tutor = next(p for p in report["platforms"] if p["platform"] == "TutorA")
    assert len(said) == 2
    assert all(c["platform"] == "TutorA" for c in said)
    assert all((c["confidence"] > 0.9) is names_katherine for c in said)
    assert (tutor["verdict"] == "leaked") is names_katherine


def test_a_previous_owners_given_name_is_hers_though_first_asked_after_the_issue() -> None:
    """The recycled number got its canary 庞玉梅 on its first day, so the previous owner 孙玉梅's
    collectors first asked for her by her whole name after the issue; her friends then ask for
    "玉梅" alone. A whole name that no canary here answers to is somebody else's, whenever it was
    first said: its given name said alone on this number is hers too, not the canary's."""
    canaries = [("c_1", "LoanC", "loans", T0, SPARE, None, "庞玉梅", "pang", False, ())]
    asked = _calls(SPARE, ["孙玉梅"] * 4, first_day=5)
    friends = [
        {"at": T0 + d * DAY, "to": SPARE, "from": f"+8613712{d:03d}9999", "heard_name": "玉梅"} for d in (40, 95)
    ]
    report = _report(canaries, asked + friends + _noise(PRIMARY))
    assert [c["platform"] for c in report["contacts"] if c["heard_name"] == "玉梅"] == [None, None]
    assert report["platforms"][0]["verdict"] != "leaked"


def test_a_whole_name_a_canary_answers_to_claims_nothing_for_anyone_else() -> None:
    """A caller reads canary 庞玉梅's whole name from a leaked record, another says "玉梅" alone: the
    whole name is the canary's own, so her given name said alone stays hers."""
    canaries = [("c_1", "LoanC", "loans", T0, SPARE, None, "庞玉梅", "pang", False, ())]
    said = _calls(SPARE, ["庞玉梅", "庞玉梅"], first_day=5)
    alone = [{"at": T0 + 40 * DAY, "to": SPARE, "from": "+8613712040999", "heard_name": "玉梅"}]
    report = _report(canaries, said + alone + _noise(PRIMARY))
    assert [c["platform"] for c in report["contacts"] if c["heard_name"] == "玉梅"] == ["LoanC"]


def test_a_previous_owners_first_name_greeted_by_his_old_brand_is_his_not_a_nicknamed_canarys() -> None:
    """The previous owner Jon Roman's collectors ask for him by name on the recycled number after
    canary Johnny Crawford was issued on it (its first day); his old brand then texts "Dear Jon".
    Jon is Johnny's nickname too, but on this number it is the name of somebody the callers know
    (dev seed 10229 `recycled`: the text was KeySpot's at 0.58)."""
    canaries = [("c_1", "KeyS", "shopping", T0, SPARE, None, "Johnny Crawford", "krfrt", False, ())]
    asked = [
        {"at": T0 + (4 + 9 * n) * DAY, "to": SPARE, "from": "+12135550101", "heard_name": h}
        for n, h in enumerate(["Jon Roman", "Mr. Roman", "Jon Roman"])
    ]
    text = "VibeFeed: Dear Jon, new picks from creators you follow are waiting."
    greeting = {"channel": "sms", "at": T0 + 60 * DAY, "to": SPARE, "from": "+12135550199", "text": text}
    noise = [{"at": T0 - 30 * DAY + 4 * d * DAY, "to": PRIMARY, "from": f"+1213444{d:04d}"} for d in range(30)]
    report = _report(canaries, [*asked, greeting, *noise], locale="en_US")
    [said] = [c for c in report["contacts"] if c["channel"] == "sms"]
    assert said["platform"] is None


def test_a_compound_surnames_first_character_noted_alone_names_its_canary() -> None:
    """A list cuts 淳于浩 to 淳 and the user notes the surname heard, "淳": the canary's surname
    (a one-character note was read as a given name said alone, and named nobody)."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "淳于浩", "chunyu", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "鞠丽", "ju", False, ()),
    ]
    assert _kind_of_last(canaries, _calls(SPARE, ["淳"]), 0) == "surname"
    assert _kind_of_last(canaries, _calls(SPARE, ["淳"]), 1) == "other"


@pytest.mark.parametrize("heard", ["A. Ware", "a ware"])
def test_an_initial_before_a_surname_is_no_chinese_surname(heard: str) -> None:
    """"A. Ware" (Aaron Ware's list entry, its dot typed or not) is Mr. Ware, not a romanised
    Chinese name with the surname "A"."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "Aaron Ware", "wr", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "Linda Moss", "ms", False, ()),
    ]
    assert _kind_of_last(canaries, _calls(SPARE, [heard]), 0, locale="en_US") == "surname"


@pytest.mark.parametrize(("heard", "j", "kind"), [("Rian", 0, "given"), ("Nicolas", 1, "given"), ("Mrs. Heat", 1, "surname")])
def test_a_name_written_as_it_sounds_names_its_canary(heard: str, j: int, kind: str) -> None:
    """The user writes down a name heard, not read: "Rian" is Ryan Forbes, "Nicolas" Nicholas
    Heath, "Mrs. Heat" Heath (Metaphone keys them apart: RN and RYN, NKLS and NXLS)."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "Ryan Forbes", "frbs", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "Nicholas Heath", "h0", False, ()),
    ]
    assert _kind_of_last(canaries, _calls(SPARE, [heard]), j, locale="en_US") == kind
    assert _kind_of_last(canaries, _calls(SPARE, [heard]), 1 - j, locale="en_US") == "other"


def test_a_word_written_as_it_sounds_but_heard_before_the_canary_is_not_its_name() -> None:
    canaries = [("c_1", "StockA", "stocks", T0, SPARE, None, "Ryan Forbes", "frbs", False, ())]
    calls = _calls(SPARE, ["Rian", "Rian"])
    calls[0]["at"] = T0 - 5 * DAY  # a previous owner's friend Rian
    assert _kind_of_last(canaries, calls, 0, locale="en_US") == "other"


def test_a_different_name_one_letter_off_is_not_written_by_ear() -> None:
    """Hayes is not Haynes, nor Bryan Bryant: a letter that is heard tells two names apart."""
    canaries = [("c_1", "StockA", "stocks", T0, SPARE, None, "Brandon Haynes", "hns", False, ())]
    assert _kind_of_last(canaries, _calls(SPARE, ["Mr. Hayes"]), 0, locale="en_US") == "other"


def test_a_title_before_a_given_name_written_as_it_sounds_is_that_given_name() -> None:
    """"Mr. Jenifer": a script's title slot filled from the first-name field, the name written by
    ear; a titled word that is a surname ("Mr. Michael", "Mr. Thomas") stays a surname."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "Jennifer Mckenzie", "mkns", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "Thomas Reid", "rd", False, ()),
    ]
    assert _kind_of_last(canaries, _calls(SPARE, ["Mr. Jenifer"]), 0, locale="en_US") == "given"
    assert _kind_of_last(canaries, _calls(SPARE, ["Mr. Thomas"]), 1, locale="en_US") == "other"


def test_a_surname_with_its_first_letter_dropped_names_its_canary() -> None:
    """"Ms. eyes": Reyes typed with its first letter dropped, as "Mr. weeney" for Sweeney."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "Raymond Reyes", "rys", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "Linda Moss", "ms", False, ()),
    ]
    assert _kind_of_last(canaries, _calls(SPARE, ["Ms. eyes"]), 0, locale="en_US") == "surname"


@pytest.mark.parametrize(("canary", "text"), [("常红", "【信用白卡】尝红，您有一笔备用金待领取"), ("欧阳桂英", "鸥阳桂英，您好，您的保单即将到期")])
def test_a_text_greeting_a_whole_name_typed_by_ear_names_its_canary(canary: str, text: str) -> None:
    """A list typed through a pinyin input method greets 常红 as "尝红，" (尝 sounds like 常 and is
    no surname): her whole name, as "空楠" in a heard name is 孔楠's; "尝鲜，" opens texts too and
    names nobody."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, canary, "x", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "鞠丽", "ju", False, ()),
    ]
    sms = [{"channel": "sms", "at": T0 + 20 * DAY, "to": SPARE, "from": "10690000", "text": text}]
    assert _kind_of_last(canaries, sms, 0) == "full"
    sms[0]["text"] = "尝鲜，新品上市，点击领取"
    assert _kind_of_last(canaries, sms, 0) == "none"


@pytest.mark.parametrize("heard", ["xuanyuan haiyange", "xuanyuan haiyan"])
def test_a_whole_name_typed_in_pinyin_with_a_title_glued_on_names_its_canary(heard: str) -> None:
    """"xuanyuan haiyange" is 轩辕海燕哥 typed in pinyin, the title 哥 glued onto the given name (a
    given name is one or two characters): her whole name, not a namesake 轩辕海燕哥 (round 20's
    unmatched name)."""
    canaries = [
        ("c_1", "StockA", "stocks", T0, SPARE, None, "轩辕海燕", "xuanyuan", False, ()),
        ("c_2", "CarsB", "cars", T0, SPARE, None, "鞠丽", "ju", False, ()),
    ]
    assert _kind_of_last(canaries, _calls(SPARE, [heard]), 0) == "full"
