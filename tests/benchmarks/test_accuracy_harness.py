"""The accuracy harness's scoring on a tiny hand-made report and truth (no pipeline run)."""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `benchmarks` is a folder of scripts, not an installed package
    sys.path.insert(0, str(ROOT))

from benchmarks import accuracy  # noqa: E402


def _t(cause, platform, key, identifying=False, channel="call"):
    return {"key": key, "channel": channel, "platform": platform, "cause": cause,
            "identifying": identifying, "centre": None}


def _truth():
    """A, D leaked with identifying evidence; B leaked without; C innocent. Broker b1 bought A, B, D."""
    platforms = {
        "A": {"leaked": True, "behaviour": "broker"},
        "B": {"leaked": True, "behaviour": "broker"},
        "C": {"leaked": False, "behaviour": "none"},
        "D": {"leaked": True, "behaviour": "broker"},
    }
    contacts = [
        _t("leak", "A", "call-1", True),
        _t("leak", "A", "call-2", True),
        _t("leak", "D", "sms|+8613800000001|2026-03-01T10:00:00Z|106900", True, "sms"),
        _t("leak", "B", "call-4"),
        _t("background", None, "call-5"),
        _t("previous-owner", None, "call-6"),
        _t("first-party", "A", "call-7", True),
        _t("background", None, "m1@spam.example", channel="email"),
    ]
    brokers = [{"id": "b1", "platforms": ["A", "B", "D"], "centres": ["cc-1"], "sells_email": False}]
    return {"platforms": platforms, "contacts": contacts, "brokers": brokers, "centres": []}


def _r(external_id, platform, confidence, channel="call", **more):
    return {"external_id": external_id, "channel": channel, "at": "2026-03-01T10:00:00Z",
            "to": "+8613800000001", "from": "+8613900000000", "platform": platform,
            "confidence": confidence, "evidence": [], **more}


def _report():
    return {
        "platforms": [
            {"platform": "A", "verdict": "leaked", "linked_platforms": ["B"]},
            {"platform": "B", "verdict": "suspected", "linked_platforms": ["A"]},
            {"platform": "C", "verdict": "leaked", "linked_platforms": ["D"]},
            {"platform": "D", "verdict": "no-evidence", "linked_platforms": []},
        ],
        "contacts": [
            _r("call-1", "A", 0.95),
            _r("call-2", None, 0.15),
            # the importer writes the 106 service code as +86106…; truth keeps it as sent
            _r(None, "D", 0.95, channel="sms", **{"from": "+86106900"}),
            _r("call-4", None, 0.15),
            _r("call-5", "C", 0.95),
            _r("call-6", None, 0.95),
            _r("call-7", None, 0.95),
            _r("<m1@spam.example>", None, 0.15, channel="email"),
        ],
    }


def _model():
    pairs, missing = accuracy.match_report(_report(), _truth())
    assert missing == 0
    return accuracy.model_view(pairs, _report())


def test_every_report_contact_finds_its_truth_key_by_csv_id_message_id_and_sms_line_second_sender():
    pairs, missing = accuracy.match_report(_report(), _truth())
    assert missing == 0
    assert [t["key"] for _, t in pairs] == [c["key"] for c in _truth()["contacts"]]


def test_an_sms_matches_only_a_sender_with_the_same_digits_on_the_same_line_and_second():
    matcher = accuracy.Matcher(_truth())
    at = "2026-03-01T10:00:00.400Z"  # sub-second arrival: the key's second is truncated
    assert matcher.find("sms", None, "+8613800000001", at, "+86106900") is not None
    assert matcher.find("sms", None, "+8613800000001", at, "+86106901") is None
    assert matcher.find("sms", None, "+8613800000002", at, "+86106900") is None


def test_precision_of_leaked_counts_an_innocent_platform_called_leaked_as_a_false_positive():
    scores = accuracy.platform_scores(_model()["leaked"], _truth(), _model()["suspected"])
    assert scores["precision"] == pytest.approx(1 / 2)


def test_recall_is_over_all_leaked_platforms_and_over_those_with_identifying_leak_contacts():
    scores = accuracy.platform_scores(_model()["leaked"], _truth())
    assert scores["recall_all"] == pytest.approx(1 / 3)  # A of A, B, D
    assert scores["recall_detectable"] == pytest.approx(1 / 2)  # A of A, D
    assert accuracy.detectable(_truth()) == {"A", "D"}


def test_suspected_platforms_are_counted_apart_and_never_as_leaked():
    scores = accuracy.platform_scores(_model()["leaked"], _truth(), _model()["suspected"])
    assert (scores["suspected"], scores["suspected_leaked"], scores["found"]) == (1, 1, 2)


def test_ratios_without_a_denominator_are_none_rather_than_a_perfect_score():
    scores = accuracy.platform_scores(set(), {"platforms": {"C": {"leaked": False}}, "contacts": []})
    assert scores["precision"] is None
    assert scores["recall_all"] is None


def test_identifying_accuracy_is_over_identifying_leak_contacts_on_their_own_platform():
    scores = accuracy.contact_scores(_model()["attributed"], _truth())
    assert scores["identifying"] == 3  # the identifying first-party contact is not a leak
    assert scores["identifying_accuracy"] == pytest.approx(2 / 3)


def test_background_and_previous_owner_contacts_given_any_platform_count_as_wrongly_attributed():
    scores = accuracy.contact_scores(_model()["attributed"], _truth())
    assert (scores["background"], scores["background_attributed"]) == (3, 1)
    assert scores["background_wrong"] == pytest.approx(1 / 3)


def test_first_party_contacts_are_right_only_without_a_platform():
    scores = accuracy.contact_scores({"call-7": "A"}, _truth())
    assert scores["first_party_wrong"] == 1.0
    assert accuracy.contact_scores(_model()["attributed"], _truth())["first_party_wrong"] == 0.0


def test_a_contact_is_right_for_calibration_when_a_leak_has_its_platform_or_a_non_leak_has_none():
    leak, noise = _t("leak", "A", "k", True), _t("background", None, "k")
    assert accuracy.is_right("A", leak)
    assert not accuracy.is_right(None, leak)
    assert not accuracy.is_right("B", leak)
    assert accuracy.is_right(None, noise)
    assert not accuracy.is_right("A", noise)


def test_ece_weighs_each_bins_gap_between_accuracy_and_mean_confidence_by_its_share_of_contacts():
    table = accuracy.reliability(_model()["samples"])
    top, low = table[9], table[1]
    assert (top["n"], top["right"], low["n"], low["right"]) == (5, 4, 3, 1)
    expected = 5 / 8 * abs(4 / 5 - 0.95) + 3 / 8 * abs(1 / 3 - 0.15)
    assert accuracy.ece(table) == pytest.approx(expected)


def test_confidence_one_falls_in_the_last_bin_and_zero_in_the_first():
    table = accuracy.reliability([(1.0, True), (0.0, True), (0.1, False)])
    assert [row["n"] for row in table] == [1, 1, 0, 0, 0, 0, 0, 0, 0, 1]
    assert accuracy.ece(table) == pytest.approx(1 / 3 * 1.0 + 1 / 3 * 0.1 + 1 / 3 * 0.0)
    assert accuracy.ece(accuracy.reliability([])) is None


def test_broker_links_are_the_share_of_pairs_sold_to_one_broker_shown_as_linked_either_way():
    links = accuracy.broker_links(_report(), _truth())
    assert (links["broker_pairs"], links["broker_pairs_linked"]) == (3, 1)  # A-B of A-B, A-D, B-D
    assert links["broker_links"] == pytest.approx(1 / 3)
    assert links["link_precision"] == pytest.approx(1 / 2)  # C-D shares no broker or centre


def test_score_gathers_the_model_numbers_for_one_world():
    got = accuracy.score(_report(), _truth(), {})
    model = got["systems"]["model"]
    assert (model["precision"], model["recall_all"]) == (pytest.approx(0.5), pytest.approx(1 / 3))
    assert model["ece"] == pytest.approx(5 / 8 * 0.15 + 3 / 8 * (1 / 3 - 0.15))
    assert got["unmatched"] == 0


def _at(day, hour=12):
    return datetime(2026, 3, day, hour, tzinfo=UTC)


def _ids():
    return [
        accuracy.Identity("Solo", _at(1), "+8613800000001", "欧阳建国", "solo1@alias.example",
                          own_sms="1069001", own_domain="solo.example"),
        accuracy.Identity("P1", _at(1), "+8613800000002", "王小明"),
        accuracy.Identity("P2", _at(2), "+8613800000002", "李秀英"),
        accuracy.Identity("Late", _at(20), "+8613800000003", "赵磊"),
        accuracy.Identity("Kyc", _at(1), "+8613800000002", "孙雷"),
    ]


def _rec(key, to, day, sender="+8617000000000", heard="", text="", channel="call"):
    return accuracy.Record(key, channel, to, _at(day), sender, heard, text)


def test_identity_baseline_attributes_a_contact_only_when_one_canary_held_the_identifier_by_then():
    records = [
        _rec("unique", "+8613800000001", 5),
        _rec("alias", "solo1@alias.example", 5, "x@spam.example", channel="email"),
        _rec("shared", "+8613800000002", 5),
        _rec("before-signup", "+8613800000003", 5),
    ]
    got = accuracy.baseline(records, _ids(), locale="zh_CN", real_name="孙雷")
    assert got.attributed == {"unique": "Solo", "alias": "Solo", "shared": None, "before-signup": None}
    assert got.leaked == {"Solo"}


def test_identity_baseline_ignores_the_primary_number_and_the_platforms_own_sms_and_mail():
    ids = [accuracy.Identity("Solo", _at(1), "+8613800000009", "欧阳建国", "solo1@alias.example",
                             own_sms="1069001", own_domain="solo.example")]
    records = [
        _rec("primary", "+8613800000009", 5),
        _rec("own-sms", "+8613800000009", 5, "+861069001", channel="sms"),
        _rec("own-mail", "solo1@alias.example", 5, "news@mail.solo.example", channel="email"),
    ]
    got = accuracy.baseline(records, ids, locale="zh_CN", primary="+8613800000009")
    assert got.leaked == set()
    assert got.own_skipped == 1  # the mail; the SMS reached the primary number and had no holder
    literal = accuracy.baseline(records, ids, locale="zh_CN", skip_own=False)
    assert literal.leaked == {"Solo"}


def test_name_baseline_picks_the_one_sharing_canary_whose_full_name_or_surname_and_title_was_used():
    records = [
        _rec("full", "+8613800000002", 5, text="李秀英您好，您的贷款已审批"),
        _rec("titled", "+8613800000002", 5, heard="王先生"),
        _rec("bare-surname", "+8613800000002", 5, heard="王"),
        _rec("real-name", "+8613800000002", 5, heard="孙雷"),
        _rec("both", "+8613800000002", 5, text="王先生、李女士"),
    ]
    got = accuracy.baseline(records, _ids(), locale="zh_CN", real_name="孙雷", names=True)
    assert got.attributed == {"full": "P2", "titled": "P1", "bare-surname": None, "real-name": None,
                              "both": None}


def test_name_baseline_matches_english_titles_as_whole_words():
    ids = [accuracy.Identity("P1", _at(1), "+12025550101", "John Smith"),
           accuracy.Identity("P2", _at(1), "+12025550101", "Mary Jones")]
    records = [_rec("mr", "+12025550101", 5, heard="Mr. Smith"),
               _rec("word", "+12025550101", 5, text="Ms Jonesy called"),
               _rec("full", "+12025550101", 5, text="Hi mary jones, your loan")]
    got = accuracy.baseline(records, ids, locale="en_US", names=True)
    assert got.attributed == {"mr": "P1", "word": None, "full": "P2"}


def test_summary_means_per_world_ratios_and_pools_counts_across_worlds():
    world = accuracy.score(_report(), _truth(), {})
    perfect = {**world, "systems": {"model": {**world["systems"]["model"], "precision": 1.0,
                                              "true_positives": 4, "found": 4}}}
    summary = accuracy.summarize([{"seed": 1, **world}, {"seed": 2, **perfect}])
    assert summary["model"]["mean"]["precision"] == pytest.approx((0.5 + 1.0) / 2)
    assert summary["model"]["pooled"]["precision"] == pytest.approx((1 + 4) / (2 + 4))
    assert summary["model"]["totals"]["found"] == 6
    assert "platform precision" in accuracy.summary_table(summary)


def test_each_world_shape_follows_from_its_seed_within_the_stated_ranges():
    shapes = [accuracy.shape_for(seed) for seed in range(40)]
    assert accuracy.shape_for(7) == shapes[7]
    assert {s.locale for s in shapes} == {"zh_CN", "en_US"}
    for s in shapes:
        assert 10 <= s.platforms <= 60 and 90 <= s.days <= 365 and 0 <= s.pool <= 4
        assert s.controls <= min(2, s.pool) and s.recycled <= min(2, s.pool)
        assert 0.2 <= s.leak_share <= 0.6
    assert len({(s.platforms, s.days) for s in shapes}) > 30


def test_a_leak_window_holds_the_moment_only_between_its_ends():
    truth = {"platforms": {"A": {"leak_moment": "2026-03-01T10:00:00Z"}, "B": {"leak_moment": "2026-03-05T00:00:00Z"},
                           "C": {"leak_moment": None}}}  # fmt: skip
    report = {
        "platforms": [
            {"platform": "A", "leak_window": {"from": "2026-02-28T00:00:00Z", "to": "2026-03-01T10:00:00Z"}},
            {"platform": "B", "leak_window": {"from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z"}},
            {"platform": "C", "leak_window": {"from": "2026-03-01T00:00:00Z", "to": "2026-03-02T00:00:00Z"}},
        ]
    }
    scores = accuracy.window_scores(report, truth)
    assert (scores["windows"], scores["windows_covered"]) == (2, 1)  # C never leaked: not scored
    assert scores["window_coverage"] == pytest.approx(0.5)


def test_the_summary_keeps_each_metrics_worst_world_and_counts_innocents():
    def world(seed: int, accuracy_: float, background: float, found: int, right: int) -> dict:
        model = {"identifying_accuracy": accuracy_, "background_wrong": background, "found": found,
                 "true_positives": right, "identifying": 10, "identifying_right": int(10 * accuracy_),
                 "background": 100, "background_attributed": int(100 * background)}  # fmt: skip
        return {"seed": seed, "systems": {"model": model}, "reliability": accuracy.reliability([])}

    summary = accuracy.summarize([world(1, 1.0, 0.0, 3, 3), world(2, 0.9, 0.02, 4, 3)])
    model = summary["model"]
    assert model["worst"]["identifying_accuracy"] == pytest.approx(0.9)
    assert model["worst"]["background_wrong"] == pytest.approx(0.02)
    assert model["totals"]["innocent"] == 1
    assert "NO" in accuracy.summary_table(summary).splitlines()[3 + 2]  # identifying accuracy row
