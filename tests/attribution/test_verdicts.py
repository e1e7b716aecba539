"""Verdict rules on hand-made pairs: what a surname said on a shared line has at stake."""

from __future__ import annotations

import numpy as np
import pandas as pd

from tracer.attribution import verdicts
from tracer.attribution.inputs import Inputs


def _inputs(real: list[bool], keys: list[str]) -> Inputs:
    n = len(real)
    canaries = pd.DataFrame(
        {"platform": [f"P{j}" for j in range(n)], "real_name": real, "surname_key": keys, "issued_at": 0.0}
    )
    return Inputs(canaries=canaries, contacts=pd.DataFrame(), platforms=[f"P{j}" for j in range(n)])


def test_the_surnames_at_stake_are_the_distinct_made_up_ones_on_the_line():
    """A surname said on a line five canaries share could prove a leak by chance only through a
    made-up surname: two KYC canaries carry the user's real surname (which proves nothing alone)
    and two made-up canaries share "sun" (one draw), so two surnames are at stake, not five. A
    canary with no surname key counts as one of its own; pairs not asked about get 0."""
    inputs = _inputs([False, False, False, True, True, False], ["sun", "sun", "han", "yang", "yang", ""])
    pairs = pd.DataFrame({"i": [0, 0, 0, 0, 0, 1, 1], "j": [0, 1, 2, 3, 4, 2, 5], "p": [0, 1, 2, 3, 4, 2, 5]})
    wanted = np.array([True, False, False, False, False, True, False])
    at_stake = verdicts._surnames_at_stake(pairs, inputs, wanted, np.zeros(6, dtype=bool))
    assert at_stake.tolist() == [2.0, 0.0, 0.0, 0.0, 0.0, 2.0, 0.0]


def test_a_platform_already_proven_leaked_is_no_surname_at_stake():
    """Holm's step-down: a chance hit on the canary of a platform already `leaked` on its other
    evidence proves nothing false, so its surname leaves the count. With P2 (han) proven, a hit
    on the first line has one surname at stake (sun, shared by P0 and P1), not two; "sun" stays
    while P1 is not proven, though P0 is."""
    inputs = _inputs([False, False, False, True, True, False], ["sun", "sun", "han", "yang", "yang", ""])
    pairs = pd.DataFrame({"i": [0, 0, 0, 0, 0, 1, 1], "j": [0, 1, 2, 3, 4, 2, 5], "p": [0, 1, 2, 3, 4, 2, 5]})
    wanted = np.array([True, False, False, False, False, True, False])
    proven = np.array([True, False, True, False, False, False])
    at_stake = verdicts._surnames_at_stake(pairs, inputs, wanted, proven)
    assert at_stake.tolist() == [1.0, 0.0, 0.0, 0.0, 0.0, 1.0, 0.0]


def test_a_list_callers_words_naming_another_record_it_holds_are_that_records():
    """A list's caller named BrainAcademy's canary Alexandria Medina on this line; its "Hi Ms.
    Alexandria" matched the surname of DealBox's canary Kevin Alexander, but the words hold the
    given name of the record the caller holds (held-out 5003): they are that record's. "Hi Mr.
    Alexander" holds no part of hers. Only canaries of platforms the caller named count."""
    canaries = pd.DataFrame({"platform": ["DealBox", "BrainAcademy"], "name": ["Kevin Alexander", "Alexandria Medina"]})
    inputs = Inputs(canaries=canaries, contacts=pd.DataFrame(), locale="en_US", platforms=["DealBox", "BrainAcademy"])
    pairs = pd.DataFrame({"i": [0, 0], "j": [0, 1], "p": [0, 1]})
    rows = np.array([0])
    theirs = np.array([False, True])
    said = verdicts._names_another_record(pairs, inputs, rows, ["hi ms. alexandria, this message"], theirs)
    assert said.tolist() == [True]
    assert verdicts._names_another_record(pairs, inputs, rows, ["hi mr. alexander"], theirs).tolist() == [False]
    unnamed = np.array([False, False])
    assert verdicts._names_another_record(pairs, inputs, rows, ["hi ms. alexandria"], unnamed).tolist() == [False]


def test_a_list_callers_words_holding_the_users_real_name_ask_for_the_user():
    """"汪桂花女士您好" (the user 王桂花, typed with a homophone) from a list's caller matched 花女士 to
    canary 花静 (round 14's dev 5665 `late`): the words hold the user's own given name, so they
    ask for the user, whatever else they match. Words without it are judged by the caller's
    records alone."""
    canaries = pd.DataFrame({"platform": ["English"], "name": ["花静"]})
    inputs = Inputs(canaries=canaries, contacts=pd.DataFrame(), real_name="王桂花", platforms=["English"])
    pairs = pd.DataFrame({"i": [0], "j": [0], "p": [0]})
    rows, theirs = np.array([0]), np.array([False])
    assert verdicts._names_another_record(pairs, inputs, rows, ["【守护保】汪桂花女士您好"], theirs).tolist() == [True]
    assert verdicts._names_another_record(pairs, inputs, rows, ["【守护保】花女士您好"], theirs).tolist() == [False]


def test_a_name_said_alone_weighs_as_a_surname_when_it_is_the_surname_or_a_rare_given_name():
    """A name said alone ("given") weighs as a made-up surname when it is the canary's surname
    said bare ("Combs": the issue's surname said as a first name) or its given name that
    strangers say as seldom as a canary's surname ("Reginald"); not "Michael" (about 3% of
    people), nor "Bob" for Robert (a nickname said of every Robert), nor a titled surname (a
    surname match already)."""
    canaries = pd.DataFrame(
        {"name": ["Reginald Combs", "Michael Combs", "Robert Combs"], "surname_key": ["kmbs"] * 3, "real_name": False}
    )
    inputs = Inputs(canaries=canaries, contacts=pd.DataFrame(), locale="en_US", platforms=["P0", "P1", "P2"])
    pairs = pd.DataFrame(
        {
            "j": [0, 0, 1, 1, 2, 0],
            "name_kind": ["given", "given", "given", "given", "given", "surname"],
            "key": ["kmbs", "rjnlt", "kmbs", "mxl", "bb", "kmbs"],
            "token": False,
            "via": "phone",
        }
    )
    share = verdicts._given_shares(pairs, inputs)
    assert verdicts._as_surname(pairs, inputs, share).tolist() == [True, True, True, False, False, False]


def test_a_common_given_name_said_alone_is_weighed_at_its_share_of_people():
    """"Hi Michael" is said of about 3% of people: the model weighed it as a surname of the floor
    share (1/400), so its posterior is weighed again at its share, about thirteen times lower
    odds: 0.999 becomes about 0.987, no proof. "Teresa" (0.7%) keeps more (0.9996); a name at or
    under the floor keeps its posterior. Only the canary's own given-name key and its nicknames
    have a share (below): not the surname said bare, not a name the table does not list."""
    canaries = pd.DataFrame(
        {"name": ["Michael Combs", "Robert Combs", "Teresa Combs", "Xyzzo Combs"], "surname_key": ["kmbs"] * 4, "real_name": False}
    )
    inputs = Inputs(canaries=canaries, contacts=pd.DataFrame(), locale="en_US", platforms=["P0", "P1", "P2", "P3"])
    pairs = pd.DataFrame(
        {"j": [0, 1, 0, 2, 3], "name_kind": "given", "key": ["mxl", "bb", "kmbs", "trs", "xs"], "token": False, "via": "phone"}
    )
    share = verdicts._given_shares(pairs, inputs)
    assert 0.02 < share[0] < 0.05 and 0.003 < share[3] < 0.01
    assert np.isnan(share[[2, 4]]).all()
    post = verdicts._by_share(np.array([0.999, 0.999, 0.999]), np.array(["mxl", "trs", "rjnlt"]), np.array([share[0], share[3], 0.0005]))
    assert 0.98 < post[0] < 0.99 < post[1] < 0.999
    assert post[2] == 0.999


def test_a_nickname_said_alone_is_weighed_at_the_share_of_everyone_it_is_said_to():
    """"Dear Kenny" to canary Kenneth Boyd: strangers say "Kenny" to every Kenneth and every Kenny
    (and Ken, Kendall …: the `nicknames` dataset, both ways), so its share of people is the sum of
    theirs, never less than Kenneth's own; "Bob" for Robert at least every Robert's. Weighed at
    that share, "Kenny" (about 1%) keeps a proof's odds from 0.9999 (dev 10876 GigBoard: "Dear
    Kenny" to a number only its canary had, held as a given name from one caller); "Bob" (about
    1.7%) keeps a seventh of its odds, 0.999 becomes 0.993. The surname said bare has no share."""
    canaries = pd.DataFrame(
        {"name": ["Kenneth Boyd", "Robert Combs"], "surname_key": ["bt", "kmbs"], "real_name": False}
    )
    inputs = Inputs(canaries=canaries, contacts=pd.DataFrame(), locale="en_US", platforms=["P0", "P1"])
    pairs = pd.DataFrame(
        {"j": [0, 0, 1, 1, 0], "name_kind": "given", "key": ["kn0", "kn", "rbrt", "bb", "bt"], "token": False, "via": "phone"}
    )
    share = verdicts._given_shares(pairs, inputs)
    assert share[1] > share[0] > 0.003 and share[3] > share[2] > 0.01
    assert np.isnan(share[4])
    post = verdicts._by_share(np.array([0.9999, 0.999]), np.array(["kn", "bb"]), share[[1, 3]])
    assert post[0] > 0.999 and 0.99 < post[1] < 0.995


def test_a_name_said_beside_the_canarys_token_has_no_share_to_be_weighed_by():
    """"Dani, Regarding the delivery to Suite 6520" (solo 8458): the suite is the canary's marker,
    a secret no stranger draws by chance. The name's share of people says how often strangers say
    the name, so it weighs what the name proves, never what the marker beside it proves: the pair
    that quotes the token, or reached the canary's alias, gets no share (and its posterior is not
    weighed down); the same name said alone keeps its share."""
    canaries = pd.DataFrame({"name": ["Danielle Porter"], "surname_key": ["prtr"], "real_name": False})
    inputs = Inputs(canaries=canaries, contacts=pd.DataFrame(), locale="en_US", platforms=["P0"])
    pairs = pd.DataFrame(
        {"j": [0, 0, 0], "name_kind": "given", "key": ["tn", "tn", "tn"], "token": [False, True, False], "via": ["phone", "phone", "email"]}
    )
    share = verdicts._given_shares(pairs, inputs)
    assert share[0] > 0.01
    assert np.isnan(share[1:]).all()
